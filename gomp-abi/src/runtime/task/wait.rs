//! Waiting inside a task: taskwait, taskyield, taskgroups, and the context
//! (`Ctx`) every task operation starts from.
//!
//! # Waiting
//! A wait in a team parks on the team's sleep word and runs, meanwhile,
//! only descendants of the waiting task (queues.rs); outside a team it
//! parks on the waiting task's own word (`Task::wake`). Whoever makes the
//! awaited condition true writes it first and then notifies that word
//! (`notify_waits`, run.rs), so no wake-up is lost (sleep/README.md).
//!
//! # Taskgroups
//! A taskgroup is opened and ended by the same task, hence on the same
//! thread; it counts its incomplete members, descendants included
//! (`pending`, decremented by `complete`). The end waits for 0, then the
//! group goes back to the thread's free list (freelist.rs), never to the
//! allocator while a region runs: a member that completes on another
//! thread may still notify it after the wait ended.

use std::ffi::c_void;
use std::sync::atomic::Ordering;

use super::descriptor::{GROUP_POOL, INITIAL};
use super::detach_cancel::{cancel_flag, cancellation_enabled};
use super::{flag, freelist, spawn, undeferred, Spawn, Task, TaskBody, TaskGroup};
use crate::runtime::barrier::TeamWork;
use crate::runtime::cancel;
use crate::runtime::spin_policy;
use crate::runtime::team::{with_state, Team, ThreadState};

/// The calling thread's task context.
pub(super) struct Ctx<'a> {
    pub(super) ts: &'a ThreadState,
    pub(super) team: Option<&'a Team>,
    pub(super) tid: u32,
    pub(super) task: &'a Task,
}

#[inline]
pub(super) fn ctx(ts: &ThreadState) -> Ctx<'_> {
    let (team, tid, word) = current(ts);
    let task = if undeferred::is_frame(word) {
        // SAFETY: the thread's own tagged current-task word.
        unsafe { undeferred::materialize(ts, word) }
    } else {
        resolve(team, tid, word)
    };
    // SAFETY: the current task outlives this call: an explicit task runs
    // until `execute` returns, implicit nodes live as long as their team or
    // thread.
    Ctx { ts, team, tid, task: unsafe { &*task } }
}

/// The calling thread's team, number and current-task word (null: the
/// implicit task; tagged: an undeferred task's frame, undeferred.rs).
#[inline]
pub(super) fn current(ts: &ThreadState) -> (Option<&Team>, u32, *const Task) {
    let (team, tid, word) = ts.with_cur(|c| (c.team, c.tid, c.task));
    // SAFETY: a non-null team outlives the implicit tasks pointing to it.
    (unsafe { team.as_ref() }, tid, word)
}

/// The task node of a current-task word that is not a frame.
#[inline]
pub(super) fn resolve(team: Option<&Team>, tid: u32, word: *const Task) -> *const Task {
    if !word.is_null() {
        word
    } else if let Some(team) = team {
        &team.tasks.slot(tid).implicit
    } else {
        initial_node()
    }
}

/// The thread's initial-task node. Out of line: making it (once per
/// thread) builds a descriptor on the stack, which would cost every
/// caller of `ctx` a realigned frame.
#[cold]
#[inline(never)]
fn initial_node() -> *const Task {
    INITIAL.with(|t| t as *const Task)
}

impl Ctx<'_> {
    /// The task a wait in the current task may run: descendants of it.
    pub(super) fn waiter(&self) -> Option<&Task> {
        Some(self.task)
    }

    /// Wait until `done()`, running allowed tasks meanwhile. In a team the
    /// wait parks on the team's sleep word, never while any task is queued
    /// (one this waiter may run can sit anywhere in the queues, and only
    /// searching finds it); whoever queues a task or makes `done()` true
    /// notifies that word (`notify_waits`).
    pub(super) fn wait_until(&self, done: impl Fn() -> bool) {
        match self.team {
            Some(team) => team.sleep.wait(
                spin_policy(),
                done,
                || team.tasks.run_one_as(self.ts, self.tid, self.waiter()),
                || team.tasks.maybe_queued(),
            ),
            None => self.task.wake.wait_until(spin_policy(), done),
        }
    }
}

/// GOMP_taskwait: wait for the current task's children.
pub fn taskwait(ts: &ThreadState) {
    let cx = ctx(ts);
    let t = cx.task;
    if t.incomplete_children() != 0 {
        cx.wait_until(|| t.incomplete_children() == 0);
    }
    // Every child is complete: later siblings cannot depend on them.
    t.clear_deps();
}

unsafe extern "C" fn no_body(_: *mut c_void) {}

/// `taskwait depend(...)`: wait for the sibling tasks the dependences name,
/// as an undeferred empty task with those dependences.
///
/// # Safety
/// `depend` is GCC's dependence array.
pub unsafe fn taskwait_depend(ts: &ThreadState, depend: *mut *mut c_void) {
    let s = Spawn {
        body: TaskBody::from_gcc(no_body, std::ptr::null_mut(), None, 0, 1),
        if_clause: false,
        flags: flag::DEPEND,
        depend,
        priority: 0,
        detach: std::ptr::null_mut(),
        bounds: None,
    };
    // SAFETY: an empty task with GCC's dependence array.
    unsafe { spawn(ts, &s) }
}

/// GOMP_taskyield: run one other task if one may run here.
pub fn taskyield(ts: &ThreadState) {
    let cx = ctx(ts);
    if let Some(team) = cx.team {
        team.tasks.run_one_as(ts, cx.tid, cx.waiter());
    }
}

pub fn taskgroup_start(ts: &ThreadState) {
    open_taskgroup(ts, false)
}

/// The implicit taskgroup of a worksharing construct with task reductions
/// (one per thread of the team, ended by taskgroup_end).
pub fn workshare_taskgroup_start(ts: &ThreadState) {
    open_taskgroup(ts, true)
}

fn open_taskgroup(ts: &ThreadState, workshare: bool) {
    let cx = ctx(ts);
    let prev = cx.task.cur_group.get();
    let mut g = freelist::get(&GROUP_POOL, TaskGroup::blank);
    g.prev = prev;
    g.workshare = workshare;
    *g.pending.get_mut() = 0;
    *g.cancelled.get_mut() = false;
    let g = Box::into_raw(g);
    cx.task.cur_group.set(g);
    if cancellation_enabled() {
        cancel::set_taskgroup_flag(cancel_flag(g));
    }
}

/// Wait for every task of the innermost taskgroup (descendants included),
/// then leave it.
pub fn taskgroup_end(ts: &ThreadState) {
    let cx = ctx(ts);
    let gp = cx.task.cur_group.get();
    // SAFETY: the current group was created by taskgroup_start in this task.
    let Some(g) = (unsafe { gp.as_ref() }) else {
        eprintln!("hsomp: GOMP_taskgroup_end without a matching GOMP_taskgroup_start; ignored");
        return;
    };
    if g.pending.load(Ordering::Acquire) != 0 {
        cx.wait_until(|| g.pending.load(Ordering::Acquire) == 0);
    }
    cx.task.cur_group.set(g.prev);
    if cancellation_enabled() {
        cancel::set_taskgroup_flag(cancel_flag(g.prev));
    }
    // SAFETY: no member task is left; the group goes back to the free list
    // (recycled memory: see descriptor.rs about late notifies).
    freelist::put(&GROUP_POOL, unsafe { Box::from_raw(gp as *mut TaskGroup) });
}

/// The identity of the calling task's innermost taskgroup (0: none), for
/// what belongs to it outside this module (reduction/kmpc.rs).
pub fn current_taskgroup(ts: &ThreadState) -> usize {
    ctx(ts).task.cur_group.get() as usize
}

pub fn in_final(ts: &ThreadState) -> bool {
    ctx(ts).task.is_final
}

/// A non-zero identity of the calling task (for lock ownership): the
/// address of its node: an explicit task's descriptor, an implicit task's
/// node in its team (every region, serialized ones too, has its own team),
/// or the thread's initial-task node.
pub fn current_task_id() -> usize {
    with_state(|ts| ctx(ts).task as *const Task as usize)
}
