//! Running a task's body, and completing the task.
//!
//! # Completion
//! Completion of `t` (body done and, with `detach`, the event fulfilled,
//! detach_cancel.rs): release dependence successors (only a task created
//! with dependences can have any, deps.rs); `group.pending -= 1` (notify
//! the group at 0); for a deferred task, parent's incomplete children
//! `-= 1` (notify the parent at 0); if a thread waits inline for detached
//! `t`, notify the parent; drop t's own reference (descriptor.rs); finally
//! count the completion (counts.rs). Every waiter waits on an `EventCount`
//! (sleep/) that its condition's writer notifies after writing, so no
//! wake-up is lost. Every notify happens while the notified object is
//! alive: the parent through `t`'s reference on it, `t` through its own
//! reference (dropped last), the team because `t`'s completion is not yet
//! counted.

use std::sync::atomic::{AtomicBool, Ordering};

use super::deps::{self, Ready};
use super::descriptor::{BODY_DONE, CHILD_MASK, COMPLETED, PENDING};
use super::detach_cancel::{cancel_flag, cancellation_enabled, group_cancelled};
use super::Task;
use crate::runtime::icv::Icvs;
use crate::runtime::team::{Team, ThreadState};
use crate::runtime::{cancel, trace};

/// Run `t`'s body on this thread as its current task, then finish it.
pub(super) fn execute(ts: &ThreadState, t: &Task) {
    run_body(ts, t);
    finish(ts, t);
}

/// What `enter` saved of the thread's state, restored by `leave`. Only
/// the three fields a task changes (not the whole implicit task: this is
/// on every task's path).
pub(super) struct Entered {
    task: *const Task,
    icv: Icvs,
    reductions: *mut usize,
    tid: u32,
    saved_flag: *const AtomicBool,
    cancellable: bool,
}

/// Make `t` the thread's current task (its ICVs, task reductions and
/// taskgroup cancel flag).
pub(super) fn enter(ts: &ThreadState, t: &Task) -> Entered {
    let (task, icv, reductions, tid) = ts.update(|c| {
        (
            std::mem::replace(&mut c.task, t),
            std::mem::replace(&mut c.icv, t.icv),
            std::mem::replace(&mut c.task_reductions, t.reductions),
            c.tid,
        )
    });
    // The taskgroup cancel flag is only read when cancellation is enabled.
    let cancellable = cancellation_enabled();
    let saved_flag = if cancellable { cancel::set_taskgroup_flag(cancel_flag(t.group)) } else { std::ptr::null() };
    Entered { task, icv, reductions, tid, saved_flag, cancellable }
}

/// Restore what `enter` saved.
pub(super) fn leave(ts: &ThreadState, e: Entered) {
    if e.cancellable {
        cancel::set_taskgroup_flag(e.saved_flag);
    }
    ts.update(|c| {
        c.task = e.task;
        c.icv = e.icv;
        c.task_reductions = e.reductions;
    });
}

/// Run `t`'s body on this thread as its current task (skipped when its
/// taskgroup is cancelled).
pub(super) fn run_body(ts: &ThreadState, t: &Task) {
    let e = enter(ts, t);
    let skip = e.cancellable && group_cancelled(t.group);
    if skip {
        if let Some(hook) = t.discarded {
            // SAFETY: the creator's hook for this argument block.
            unsafe { hook(t.data) };
        }
    } else if let Some(f) = t.func {
        let trace_start = trace::start();
        // SAFETY: GCC's task body and its argument block (copied at spawn,
        // or the creator's own block for an undeferred task it waits for).
        unsafe { f(t.data) };
        trace::end(trace_start, "task", "task", u64::from(e.tid));
    }
    leave(ts, e);
}

/// `t`'s body ran: complete it, unless it waits for its detach event.
pub(super) fn finish(ts: &ThreadState, t: &Task) {
    t.clear_deps();
    if !t.detach
        || t.detach_state.compare_exchange(PENDING, BODY_DONE, Ordering::AcqRel, Ordering::Acquire).is_err()
    {
        complete(ts, t);
    }
}

/// Tell the waits inside `task` (running in `team`, or in no team) that
/// something they wait for happened.
pub(super) fn notify_waits(team: Option<&Team>, task: &Task) {
    match team {
        Some(team) => team.sleep.notify_all(),
        None => task.wake.notify_all(),
    }
}

/// `t` is complete: see the module comment for the order of steps.
pub(super) fn complete(ts: &ThreadState, t: &Task) {
    // SAFETY: the team outlives its tasks: it is not quiescent before the
    // count at the end of this function.
    let team = unsafe { t.team.as_ref() };
    let (cur_team, cur_tid) = ts.with_cur(|c| (c.team, c.tid));
    let outside = team.filter(|team| !std::ptr::eq(cur_team, *team));
    if let Some(team) = outside {
        team.tasks.external.enter();
    }
    if t.has_deps {
        deps::release_successors(t, |s| make_ready(team, s));
    }
    // SAFETY: a deferred `t` holds a reference on its parent until it is
    // freed below; an undeferred one completes while its creator, the
    // parent, waits for it.
    let parent = unsafe { &*t.parent };
    leave_group(team, t, parent);
    if !t.waited && parent.counts.fetch_sub(1, Ordering::AcqRel) & CHILD_MASK == 1 {
        notify_waits(team, parent);
    }
    if !t.holds_parent.load(Ordering::Relaxed) && t.counts.load(Ordering::Acquire) >> 32 != 1 {
        // Something outlives the body (children, a dependence map) and may
        // walk up through `t`: from now on `t` keeps its parent alive.
        parent.retain();
        t.holds_parent.store(true, Ordering::Relaxed);
    }
    // Only a detached undeferred task is waited for past its body.
    // Its creator waits on its own word (the parent's), which `t` keeps
    // alive (a detached task holds its parent).
    if t.waited && t.detach {
        t.detach_state.store(COMPLETED, Ordering::Release);
        notify_waits(team, parent);
    }
    // SAFETY: this drops the task's reference on itself.
    unsafe { Task::release(t) };
    match (team, outside) {
        // The last access to the team (counts.rs).
        (_, Some(team)) => team.tasks.external.count_and_leave(|| team.sleep.notify_all()),
        (Some(team), None) => team.tasks.slot(cur_tid).counts.completed(),
        (None, None) => {}
    }
}

/// `t` completed: count it out of its taskgroup.
pub(super) fn leave_group(team: Option<&Team>, t: &Task, parent: &Task) {
    // SAFETY: the group has `t` pending, so it is alive until this
    // decrement. Its end waits in the team (outside a team every member
    // completes before its creator resumes, so no end waits).
    if let Some(g) = unsafe { t.group.as_ref() } {
        if g.pending.fetch_sub(1, Ordering::AcqRel) == 1 {
            notify_waits(team, parent);
        }
    }
}

/// The last predecessor of `t` completed (deps::release_successors): queue
/// it, or, when its creator waits for it inline, notify that wait. `waited`
/// and the creator were read, and the creator held, before the decrement.
pub(super) fn make_ready(team: Option<&Team>, t: Ready<'_>) {
    match t {
        Ready::Deferred(t) => {
            // SAFETY: deferred tasks always have a team (no team: undeferred).
            unsafe { (*t.team).tasks.push_shared(t) };
        }
        Ready::Waited { creator } => notify_waits(team, creator),
    }
}
