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
//! - It may need a node while its body runs: `omp_in_final`, taskwait
//!   and taskgroups inside it, its children's dependence map and their
//!   reference on it (they may outlive it), the task identity of locks.
//!   Every one of those asks `ctx` (wait.rs) for the current task, so the
//!   node is made only then: until it is, the thread's current-task word
//!   points to a `Frame` on the creator's stack (tagged), which holds what
//!   the node will. Creating another plain undeferred task does not ask:
//!   its frame names the creator's frame, and a node made later for it
//!   makes its creators' nodes first (`node_of`), so every node's parent is
//!   a node. A copy constructor needs the node's argument area, so such a
//!   task gets its node at once. The node comes from the thread's
//!   own stack of them
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

use std::cell::Cell;
use std::sync::atomic::Ordering;

use super::descriptor::{self, REF};
use super::spawn::{copy_args, Spawn};
use super::{flag, Task, TaskGroup};
use crate::runtime::team::{Team, ThreadState};
use crate::runtime::trace;

/// What a plain undeferred task's node would hold, on its creator's stack:
/// until something asks for the node (`ctx`, through `materialize`), the
/// thread's current task is this frame, tagged (`FRAME_TAG`), and a task
/// whose body asks for nothing (a leaf task, or one that only creates more
/// plain undeferred tasks) never has one.
pub(super) struct Frame {
    /// The creator's current-task word: its node, or its own frame.
    parent: *const Task,
    team: *const Team,
    group: *const TaskGroup,
    depth: u32,
    is_final: bool,
    /// The node once made; only the creating thread touches it.
    node: Cell<*mut Task>,
}

/// Set in the current-task word when it points to a `Frame`: descriptors
/// are 64-aligned, frames at least pointer-aligned, so bit 0 is free.
const FRAME_TAG: usize = 1;

/// Whether a current-task word is a tagged frame.
#[inline]
pub(super) fn is_frame(word: *const Task) -> bool {
    word as usize & FRAME_TAG != 0
}

/// # Safety
/// `word` is tagged and its frame's body is still running on this thread.
unsafe fn frame_of<'a>(word: *const Task) -> &'a Frame {
    // SAFETY: per the contract (`run` restores the word before its frame
    // goes).
    unsafe { &*((word as usize & !FRAME_TAG) as *const Frame) }
}

/// What a new task inherits from its creator, whose current-task word is
/// `word`: its node, or its frame's fields without making the node.
pub(super) struct Creator {
    word: *const Task,
    depth: u32,
    pub(super) is_final: bool,
    group: *const TaskGroup,
}

impl Creator {
    /// # Safety
    /// `word` is the calling thread's current-task word, resolved (a node)
    /// by `node` unless it is a frame.
    pub(super) unsafe fn of(word: *const Task, node: impl FnOnce() -> *const Task) -> Creator {
        if is_frame(word) {
            // SAFETY: the caller's contract.
            let f = unsafe { frame_of(word) };
            return Creator { word, depth: f.depth, is_final: f.is_final, group: f.group };
        }
        // SAFETY: a resolved current task is alive while it runs.
        let t = unsafe { &*node() };
        Creator { word: t, depth: t.depth, is_final: t.is_final, group: t.cur_group.get() }
    }
}

/// The node of the frame the tagged current-task word `tagged` points to,
/// made now if it has none; it becomes the thread's current task. Only
/// `ctx` calls this, on the thread running the frame's body.
///
/// # Safety
/// `tagged` is the calling thread's current-task word and is tagged.
#[cold]
#[inline(never)]
pub(super) unsafe fn materialize(ts: &ThreadState, tagged: *const Task) -> *const Task {
    // SAFETY: the caller's contract.
    let node = unsafe { node_of(ts, frame_of(tagged)) };
    ts.update(|c| c.task = node);
    node
}

/// The frame's node, made now if it has none (and, first, its creator's,
/// up the chain of frames, none of which is the current task then).
///
/// # Safety
/// `frame`'s body is running on this thread, and so are its creators'.
unsafe fn node_of(ts: &ThreadState, frame: &Frame) -> *mut Task {
    let made = frame.node.get();
    if !made.is_null() {
        return made;
    }
    let parent = if is_frame(frame.parent) {
        // SAFETY: the creator's frame outlives this one (its body is
        // suspended in this one's).
        unsafe { node_of(ts, frame_of(frame.parent)) }
    } else {
        frame.parent as *mut Task
    };
    let mut b = ts.undeferred_nodes.pop().unwrap_or_else(fresh_node);
    let t = &mut *b;
    t.parent = parent;
    t.team = frame.team;
    t.group = frame.group;
    t.depth = frame.depth;
    t.is_final = frame.is_final;
    t.cur_group.set(frame.group);
    let node = Box::into_raw(b);
    frame.node.set(node);
    node
}

/// Run the body of a plain undeferred task (module comment) created by
/// `creator` in `team`.
///
/// # Safety
/// `s` describes a valid GCC task body and argument block; `creator` was
/// made from the calling thread's current-task word.
#[inline(always)]
pub(super) unsafe fn run(ts: &ThreadState, creator: Creator, team: Option<&Team>, s: &Spawn) {
    let frame = Frame {
        parent: creator.word,
        team: team.map_or(std::ptr::null(), |team| team as *const Team),
        group: creator.group,
        depth: creator.depth + 1,
        is_final: s.flags & flag::FINAL != 0 || creator.is_final,
        node: Cell::new(std::ptr::null_mut()),
    };
    // SAFETY: a fresh node is still private; the block is `arg_size` bytes;
    // the creators' frames are running on this thread.
    let data = unsafe {
        let data = if s.body.cpyfn.is_some() { copy_args(node_of(ts, &frame), s) } else { s.body.data };
        if let Some((lo, hi)) = s.bounds {
            let words = data as *mut u64;
            *words = lo;
            *words.add(1) = hi;
        }
        data
    };
    let current = match frame.node.get() {
        node if node.is_null() => (&frame as *const Frame as usize | FRAME_TAG) as *const Task,
        node => node,
    };
    let (saved, icv, reductions, tid) =
        ts.update(|c| (std::mem::replace(&mut c.task, current), c.icv, c.task_reductions, c.tid));
    let trace_start = trace::start();
    // SAFETY: GCC's task body on its argument block (caller's contract).
    unsafe { (s.body.func)(data) };
    trace::end(trace_start, "task", "task", u64::from(tid));
    ts.update(|c| {
        c.task = saved;
        c.icv = icv;
        c.task_reductions = reductions;
    });
    let node = frame.node.get();
    if !node.is_null() {
        // SAFETY: made by `node_of`; its own reference is still held.
        unsafe { finish_node(ts, node) };
    }
}

/// The body of the node's task returned: keep the node for the next task,
/// or leave it to the children that still hold it (module comment).
///
/// # Safety
/// `node` is a node of `node_of` whose own reference is held.
unsafe fn finish_node(ts: &ThreadState, node: *mut Task) {
    // SAFETY: the node is alive: its own reference is still held.
    let task = unsafe { &*node };
    // SAFETY: the node's parent is alive while the node is (its creator is
    // suspended in the node's body until now, and holds it after).
    let parent = unsafe { &*task.parent };
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

#[cfg(test)]
mod tests {
    use std::ffi::c_void;

    use super::super::spawn::spawn;
    use super::super::wait::ctx;
    use super::*;
    use crate::runtime::team::{with_state, Outlined};

    /// What the bodies below saw (recorded, then checked by the test: a
    /// panic cannot leave a C-ABI body).
    struct Seen {
        frame_before: bool,
        frame_after_inner: bool,
        inner_parent: *const Task,
        inner_depth: u32,
        outer_node: *const Task,
        outer_node_again: *const Task,
    }

    fn plain_if0(func: Outlined, data: *mut c_void) -> Spawn {
        Spawn { if_clause: false, ..Spawn::plain(func, data, 0, 1) }
    }

    /// # Safety
    /// `data` is the test's `Seen`, alive for the whole spawn.
    unsafe fn seen<'a>(data: *mut c_void) -> &'a mut Seen {
        // SAFETY: the contract.
        unsafe { &mut *(data as *mut Seen) }
    }

    unsafe extern "C" fn inner(data: *mut c_void) {
        // SAFETY: the test's `Seen`.
        let seen = unsafe { seen(data) };
        with_state(|ts| {
            let node = ctx(ts).task;
            seen.inner_parent = node.parent;
            seen.inner_depth = node.depth;
        });
    }

    unsafe extern "C" fn outer(data: *mut c_void) {
        with_state(|ts| {
            // SAFETY: the test's `Seen`.
            unsafe { seen(data) }.frame_before = is_frame(ts.cur().task);
            // SAFETY: a body that only writes `Seen`.
            unsafe { spawn(ts, &plain_if0(inner, data)) };
            // SAFETY: the test's `Seen`.
            let seen = unsafe { seen(data) };
            seen.frame_after_inner = is_frame(ts.cur().task);
            seen.outer_node = ctx(ts).task;
            seen.outer_node_again = ctx(ts).task;
        });
    }

    unsafe extern "C" fn leaf(data: *mut c_void) {
        // SAFETY: the test's `Seen`.
        let seen = unsafe { seen(data) };
        with_state(|ts| seen.frame_before = is_frame(ts.cur().task));
    }

    fn blank() -> Seen {
        Seen {
            frame_before: false,
            frame_after_inner: false,
            inner_parent: std::ptr::null(),
            inner_depth: 0,
            outer_node: std::ptr::null(),
            outer_node_again: std::ptr::null(),
        }
    }

    #[test]
    fn a_node_is_made_once_and_creators_first() {
        with_state(|ts| {
            let outside: *const Task = ctx(ts).task;
            let mut seen = blank();
            // SAFETY: bodies that only write `seen`.
            unsafe { spawn(ts, &plain_if0(outer, (&mut seen as *mut Seen).cast())) };
            assert!(seen.frame_before, "no node before anything asks for it");
            assert!(seen.frame_after_inner, "the inner task made the outer node, not its current word");
            assert!(std::ptr::eq(seen.outer_node, seen.outer_node_again), "asking twice gives one node");
            assert!(std::ptr::eq(seen.inner_parent, seen.outer_node), "the inner node's parent is the outer node");
            // SAFETY: the outer node is back on the thread's stack, alive.
            let outer_node = unsafe { &*seen.outer_node };
            assert!(std::ptr::eq(outer_node.parent, outside));
            assert_eq!(seen.inner_depth, outer_node.depth + 1);
            assert!(std::ptr::eq(ctx(ts).task, outside), "the creator is current again");
        })
    }

    #[test]
    fn a_leaf_task_runs_on_its_frame() {
        with_state(|ts| {
            let mut seen = blank();
            // SAFETY: a body that only writes `seen`.
            unsafe { spawn(ts, &plain_if0(leaf, (&mut seen as *mut Seen).cast())) };
            assert!(seen.frame_before);
            assert!(!is_frame(ts.cur().task));
        })
    }
}
