//! A plain undeferred task run by its creator: the common case of `if(0)`,
//! final, throttled and team-of-one tasks, kept to the bare minimum.
//!
//! # What a plain undeferred task needs
//! "Plain": no dependences, no detach, not prepared by LLVM's
//! `__kmpc_omp_task_alloc`, and cancellation off (spawn.rs sends every
//! other undeferred task through the general path). Such a task starts and
//! completes while its creator waits, on the creator's thread, so:
//! - No wait of anybody can see it incomplete: its parent (the creator) is
//!   suspended in it; a taskgroup that has it as a member is ended by the
//!   creator or an ancestor, which cannot resume before it completes
//!   either; and the barrier's quiescence check (counts.rs) sees the task
//!   that encloses it (the creator's task, counted or implicit) incomplete
//!   for as long as it runs. So it is not counted anywhere: not in its
//!   parent's children, its taskgroup, or the thread's spawn/completion
//!   counters. Its own deferred children are counted as any task's are.
//! - It still needs a node while its body runs: `omp_in_final`, taskwait
//!   and taskgroups inside it, its children's dependence map and their
//!   reference on it (they may outlive it), the task identity of locks.
//!   The node comes from the thread's own stack of them
//!   (`ThreadState::undeferred_nodes`: one per nesting level used so far)
//!   and goes back there as soon as the body returns, when nothing else
//!   references it (the count is exactly its own reference: no child is
//!   incomplete, no child holds it). Nobody else can add a reference then:
//!   only the thread running a task (this one) creates its children.
//!   Otherwise its children keep it: it takes the reference on its parent
//!   that lets them walk up through it (descriptor.rs) and drops its own;
//!   the last child frees it, as any descriptor.
//! - Its data environment: the creator's argument block as is (no copy
//!   without a copy constructor), and the creator's ICVs and task-reduction
//!   chain, saved before the body and restored after, so nothing the body
//!   sets leaks to the creator.
//!
//! Only the creating thread touches the node until the body spawns a child,
//! so every write below is a plain store.

use std::sync::atomic::Ordering;

use super::descriptor::{self, REF};
use super::spawn::{copy_args, Spawn};
use super::{flag, Task, TaskGroup};
use crate::runtime::team::{Team, ThreadState};
use crate::runtime::trace;

/// Run the body of a plain undeferred task (module comment) created by
/// `parent` in `team`, in taskgroup `group`.
///
/// # Safety
/// `s` describes a valid GCC task body and argument block; `parent` is the
/// calling thread's current task.
#[inline(always)]
pub(super) unsafe fn run(ts: &ThreadState, parent: &Task, team: Option<&Team>, group: *const TaskGroup, s: &Spawn) {
    let mut b = ts.undeferred_nodes.pop().unwrap_or_else(fresh_node);
    let t = &mut *b;
    t.parent = parent;
    t.team = team.map_or(std::ptr::null(), |team| team as *const Team);
    t.group = group;
    t.depth = parent.depth + 1;
    t.is_final = s.flags & flag::FINAL != 0 || parent.is_final;
    t.cur_group.set(group);
    let node: *mut Task = Box::into_raw(b);
    // SAFETY: `node` is still private; the block is `arg_size` bytes.
    let data = unsafe {
        let data = if s.body.cpyfn.is_some() { copy_args(node, s) } else { s.body.data };
        if let Some((lo, hi)) = s.bounds {
            let words = data as *mut u64;
            *words = lo;
            *words.add(1) = hi;
        }
        data
    };
    let (creator, icv, reductions, tid) =
        ts.update(|c| (std::mem::replace(&mut c.task, node), c.icv, c.task_reductions, c.tid));
    let trace_start = trace::start();
    // SAFETY: GCC's task body on its argument block (caller's contract).
    unsafe { (s.body.func)(data) };
    trace::end(trace_start, "task", "task", u64::from(tid));
    ts.update(|c| {
        c.task = creator;
        c.icv = icv;
        c.task_reductions = reductions;
    });
    // SAFETY: the node is alive: its own reference is still held.
    let task = unsafe { &*node };
    task.clear_deps();
    if task.counts.load(Ordering::Acquire) == REF {
        // SAFETY: the only reference (module comment): nobody reaches it.
        let mut b = unsafe { Box::from_raw(node) };
        if !b.heap_args.is_null() {
            // SAFETY: allocated by copy_args with posix_memalign.
            unsafe { libc::free(b.heap_args) };
            b.heap_args = std::ptr::null_mut();
        }
        ts.undeferred_nodes.push(b);
    } else {
        parent.retain();
        task.holds_parent.store(true, Ordering::Relaxed);
        // SAFETY: drops the node's own reference; its children hold theirs.
        unsafe { Task::release(task) };
    }
}

/// A descriptor for the thread's stack of undeferred nodes, in the state
/// every node there is in between two uses: referenced only by itself, no
/// heap arguments, no dependence map, and the fields no other path reads
/// for it set once. Out of line: the descriptor is built on the stack
/// (64-aligned), which would cost the short path a realigned frame.
#[cold]
#[inline(never)]
fn fresh_node() -> Box<Task> {
    let mut b = descriptor::take();
    let t = &mut *b;
    t.priority = 0;
    t.detach = false;
    t.has_deps = false;
    t.waited = true;
    t.func = None;
    t.discarded = None;
    *t.counts.get_mut() = REF;
    *t.holds_parent.get_mut() = false;
    t.heap_args = std::ptr::null_mut();
    b
}
