//! Task descriptors and taskgroups: what they hold, how they are counted,
//! when they are freed.
//!
//! # Counting and lifetime
//! `Task::counts` packs `refs << 32 | incomplete children`. A task holds one
//! reference on itself until it completes; each child holds one on its
//! parent until the child is freed, and dependence maps hold one on each task
//! they list. Only deferred children are counted as incomplete children: an
//! undeferred one completes before its creator resumes, so no wait of the
//! creator can see it. An undeferred task without detach does not take its
//! parent reference at spawn either (its creator, the parent, is suspended
//! in it, hence alive): at completion, if it is still referenced by others
//! (children, dependence maps), it takes one then (`holds_parent`), before
//! dropping its own; if its own reference is the only one, nobody can walk
//! up through it any more and it is freed without touching the parent.
//! So a plain undeferred task costs no read-modify-write on shared state.
//! The thread that drops the last reference frees the descriptor and then
//! drops the reference it held on its parent; so while a task is alive its
//! whole ancestor chain is alive (the descendant test walks it).
//!
//! Completion (run.rs) drops the task's own reference last, after every
//! notify, so each notified object is alive when notified. Taskgroups are
//! recycled through a free list (freelist.rs), never freed while a region
//! runs, so a late notify after the owner moved on is a spurious wake-up,
//! which every waiter tolerates.

use std::cell::{Cell, RefCell, UnsafeCell};
use std::ffi::c_void;
use std::mem::MaybeUninit;
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU32, AtomicU64, AtomicUsize, Ordering};

use super::deps::{DepMap, Edge};
use super::freelist;
use crate::runtime::globals;
use crate::runtime::icv::Icvs;
use crate::runtime::sleep::EventCount;
use crate::runtime::team::{Outlined, Team};

/// Argument blocks up to this size live inside the descriptor.
pub(super) const INLINE_ARGS: usize = 128;
pub(super) const REF: u64 = 1 << 32;
pub(super) const CHILD_MASK: u64 = REF - 1;

// detach_state
pub(super) const PENDING: u32 = 0;
pub(super) const FULFILLED: u32 = 1;
pub(super) const BODY_DONE: u32 = 2;
pub(super) const COMPLETED: u32 = 3;

/// A task descriptor. Fields above `counts` are written by the spawning
/// thread before the task is published (deque/injector/heap push, or the
/// dependence release, all Release/Acquire) and read-only afterwards.
#[repr(C, align(64))]
pub struct Task {
    pub(super) args: [MaybeUninit<u8>; INLINE_ARGS],
    pub(super) func: Option<Outlined>,
    /// Run instead of `func` when cancellation discards the task.
    pub(super) discarded: Option<Outlined>,
    pub(super) data: *mut c_void,
    /// posix_memalign'ed argument block (null: none or inline).
    pub(super) heap_args: *mut c_void,
    pub(super) parent: *const Task,
    pub(super) team: *const Team,
    /// The taskgroup this task belongs to (its creator's innermost).
    pub(super) group: *const TaskGroup,
    /// The task-reduction chain visible to the creator (runtime/reduction.rs),
    /// installed while the task runs so `in_reduction` finds it on any thread.
    pub(super) reductions: *mut usize,
    pub(super) icv: Icvs,
    /// 0 for implicit tasks; parent's depth + 1.
    pub(super) depth: u32,
    pub(super) priority: i32,
    pub(super) is_final: bool,
    pub(super) detach: bool,
    /// Created with dependences: only then can successors find it (deps.rs).
    pub(super) has_deps: bool,
    /// A thread waits inline for this task: make it ready by notifying its
    /// creator's waits (`notify_waits`) instead of queueing it, and
    /// (detached tasks) notify them when it completes.
    pub(super) waited: bool,
    /// refs << 32 | incomplete children (module comment).
    pub(super) counts: AtomicU64,
    /// This task holds a reference on its parent (module comment: an
    /// undeferred task takes one only if something outlives its body).
    pub(super) holds_parent: AtomicBool,
    /// The word of waits inside this task when it runs outside any team
    /// (in a team they park on the team's sleep word): notified when an
    /// undeferred child it waits for becomes ready or (detach) complete.
    pub(super) wake: EventCount,
    /// Unfinished predecessors, + 1 while dependences are being added.
    pub(super) npred: AtomicU32,
    pub(super) succ: AtomicPtr<Edge>,
    pub(super) detach_state: AtomicU32,
    /// Innermost taskgroup of this task's region; only the thread running
    /// the task touches it.
    pub(super) cur_group: Cell<*const TaskGroup>,
    /// Dependence map of this task's children; only the thread running the
    /// task touches it.
    pub(super) deps: UnsafeCell<Option<Box<DepMap>>>,
    /// Which thread's cache the descriptor returns to (freelist.rs).
    pub(super) link: freelist::Link<Task>,
}

impl freelist::Pooled for Task {
    fn link(&self) -> &freelist::Link<Task> {
        &self.link
    }
}

// SAFETY: the Cell/UnsafeCell fields are used only by the thread running the
// task (tasks never migrate); the rest is immutable once published or atomic.
unsafe impl Sync for Task {}
// SAFETY: as above; descriptors move between threads only through the
// queues and free lists.
unsafe impl Send for Task {}

crate::runtime::tls::lasting! {
    pub(super) static TASK_CACHE: freelist::Cache<Task> = freelist::Cache::new();
    pub(super) static GROUP_POOL: freelist::List<TaskGroup> = RefCell::new(Vec::new());
    /// The node of the initial task (no team) of this thread.
    pub(super) static INITIAL: Task = Task::blank();
}

impl Task {
    pub(crate) fn blank() -> Task {
        Task {
            args: [MaybeUninit::uninit(); INLINE_ARGS],
            func: None,
            discarded: None,
            data: std::ptr::null_mut(),
            heap_args: std::ptr::null_mut(),
            parent: std::ptr::null(),
            team: std::ptr::null(),
            group: std::ptr::null(),
            reductions: std::ptr::null_mut(),
            icv: globals().initial_icv,
            depth: 0,
            priority: 0,
            is_final: false,
            detach: false,
            has_deps: false,
            waited: false,
            counts: AtomicU64::new(REF),
            holds_parent: AtomicBool::new(false),
            wake: EventCount::default(),
            npred: AtomicU32::new(1),
            succ: AtomicPtr::new(std::ptr::null_mut()),
            detach_state: AtomicU32::new(PENDING),
            cur_group: Cell::new(std::ptr::null()),
            deps: UnsafeCell::new(None),
            link: freelist::Link::new(),
        }
    }

    pub(crate) fn retain(&self) {
        self.counts.fetch_add(REF, Ordering::Relaxed);
    }

    /// Drop one reference; the last one frees the descriptor and drops the
    /// reference it held on its parent, and so on up.
    ///
    /// # Safety
    /// The caller owns one reference on `t`.
    pub(crate) unsafe fn release(mut t: *const Task) {
        loop {
            // SAFETY: we own a reference, so `t` is alive until we drop it.
            let task = unsafe { &*t };
            // Holding the only reference, we are the only thread that can
            // reach `t` (every path to it holds one): nobody can take another
            // concurrently, so a load (Acquire: every other holder's drop
            // happened before) replaces the RMW.
            if task.counts.load(Ordering::Acquire) >> 32 != 1
                && task.counts.fetch_sub(REF, Ordering::AcqRel) >> 32 != 1
            {
                return;
            }
            let parent = if task.holds_parent.load(Ordering::Relaxed) { task.parent } else { std::ptr::null() };
            // SAFETY: that was the last reference: nobody else can reach the
            // task any more, and every explicit task comes from Box::into_raw.
            unsafe { free(t as *mut Task) };
            if parent.is_null() {
                return;
            }
            t = parent;
        }
    }

    /// Drop the dependence map of this task's children (they are complete,
    /// or no new sibling can be created any more).
    #[inline]
    pub(super) fn clear_deps(&self) {
        // SAFETY: only the thread running the task (or, for implicit nodes,
        // the master between regions) reaches `deps`.
        let deps = unsafe { &mut *self.deps.get() };
        if deps.is_some() {
            drop_map(deps);
        }
    }

    pub(super) fn incomplete_children(&self) -> u64 {
        self.counts.load(Ordering::Acquire) & CHILD_MASK
    }

    /// Whether `self` is `anc` or one of its descendants.
    pub(super) fn descends_from(&self, anc: &Task) -> bool {
        let mut p: *const Task = self;
        // SAFETY: ancestors of a live task are alive (module comment), and
        // `p` is always `self` or one of them.
        while unsafe { (*p).depth } > anc.depth {
            // SAFETY: as above.
            p = unsafe { (*p).parent };
        }
        std::ptr::eq(p, anc)
    }
}

#[cold]
fn drop_map(deps: &mut Option<Box<DepMap>>) {
    drop(deps.take());
}

/// A descriptor for a new task, from the thread's cache (freelist.rs).
pub(super) fn take() -> Box<Task> {
    freelist::take(&TASK_CACHE, Task::blank)
}

/// Free an explicit task descriptor (its last reference is gone).
///
/// # Safety
/// `t` came from `Box::into_raw` in `spawn` and nobody references it.
pub(super) unsafe fn free(t: *mut Task) {
    // SAFETY: per the contract we own the descriptor.
    let b = unsafe { Box::from_raw(t) };
    b.clear_deps();
    if !b.heap_args.is_null() {
        // SAFETY: allocated by posix_memalign in `spawn`.
        unsafe { libc::free(b.heap_args) };
    }
    freelist::give(&TASK_CACHE, b);
}

pub struct TaskGroup {
    /// Incomplete tasks belonging to the group (descendants included).
    pub(super) pending: AtomicUsize,
    pub(super) prev: *const TaskGroup,
    /// Set by `cancel taskgroup` (runtime/cancel.rs finds it through
    /// `cancel::set_taskgroup_flag`, installed by `execute` and the taskgroup
    /// start/end below for the running task's innermost group).
    pub(super) cancelled: AtomicBool,
    /// The implicit taskgroup of a worksharing construct with task
    /// reductions: inside an enclosing taskgroup, `cancel taskgroup`
    /// cancels that one instead (see `cancel_flag`).
    pub(super) workshare: bool,
}

impl TaskGroup {
    pub(super) fn blank() -> TaskGroup {
        TaskGroup {
            pending: AtomicUsize::new(0),
            prev: std::ptr::null(),
            cancelled: AtomicBool::new(false),
            workshare: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A chain of `n` heap descriptors, each a child of the one before,
    /// each child holding a reference on its parent (as deferred ones do).
    fn chain(n: usize) -> Vec<*const Task> {
        let mut v: Vec<*const Task> = Vec::new();
        for _ in 0..n {
            // From the thread's cache, as `spawn` takes them: `free` gives
            // them back there.
            let mut t = freelist::take(&TASK_CACHE, Task::blank);
            if let Some(&p) = v.last() {
                t.parent = p;
                // SAFETY: the parent is alive (the test holds its own ref).
                t.depth = unsafe { (*p).depth } + 1;
                *t.holds_parent.get_mut() = true;
                // SAFETY: as above.
                unsafe { (*p).retain() };
            }
            v.push(Box::into_raw(t));
        }
        v
    }

    #[test]
    fn descends_from_walks_the_ancestor_chain() {
        let c = chain(3);
        // SAFETY: every descriptor of the chain is alive until released.
        let (a, b, d) = unsafe { (&*c[0], &*c[1], &*c[2]) };
        assert!(d.descends_from(a) && d.descends_from(b) && d.descends_from(d));
        assert!(!a.descends_from(d) && !b.descends_from(d));
        for &t in c.iter().rev() {
            // SAFETY: the test's own reference on each.
            unsafe { Task::release(t) };
        }
    }

    #[test]
    fn counts_pack_refs_and_children() {
        let t = Task::blank();
        assert_eq!(t.counts.load(Ordering::Relaxed) >> 32, 1);
        t.counts.fetch_add(REF | 1, Ordering::Relaxed);
        assert_eq!(t.incomplete_children(), 1);
        assert_eq!(t.counts.load(Ordering::Relaxed) >> 32, 2);
        t.counts.fetch_sub(1, Ordering::Relaxed);
        assert_eq!(t.incomplete_children(), 0);
    }

    #[test]
    fn last_release_frees_up_the_chain() {
        let c = chain(3);
        // Dropping the root's own reference leaves it alive: its child holds one.
        // SAFETY: the test's own reference on the root.
        unsafe { Task::release(c[0]) };
        // SAFETY: still referenced by c[1].
        assert_eq!(unsafe { (*c[0]).counts.load(Ordering::Relaxed) } >> 32, 1);
        // SAFETY: the test's own reference; c[2] still holds c[1].
        unsafe { Task::release(c[1]) };
        // SAFETY: c[1] is still held by c[2].
        assert_eq!(unsafe { (*c[1]).counts.load(Ordering::Relaxed) } >> 32, 1);
        // SAFETY: the last reference on c[2]: it frees c[2], then c[1], then c[0].
        unsafe { Task::release(c[2]) };
    }
}
