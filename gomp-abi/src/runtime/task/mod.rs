//! Explicit tasks on work-stealing deques.
//!
//! # Structures
//! - `Task`: one descriptor per explicit task (pooled, see freelist.rs), plus one
//!   node per implicit task (in the team's per-thread `Slot`) and one per
//!   thread for the initial task outside any region (`INITIAL`).
//! - `TeamTasks` (one per team): per thread a crossbeam `Worker` deque (LIFO
//!   for its owner) with its `Stealer`, an `Injector` for tasks made ready
//!   by other threads (dependences released, tasks moved off a deque), and a
//!   mutex-protected heap for tasks with a priority above 0 (only programs
//!   that use priorities ever touch it: the hot path reads one atomic).
//! - `TaskGroup`: pooled per thread; counts its incomplete member tasks.
//!
//! # Counting, lifetime, waiting
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
//! So a plain undeferred task costs no read-modify-write on shared state. The thread that drops the last reference frees the descriptor
//! and then drops the reference it held on its parent; so while a task is
//! alive its whole ancestor chain is alive (the descendant test walks it).
//! Completion of `t` (body done and, with `detach`, the event fulfilled):
//! release dependence successors (only a task created with dependences can
//! have any); `group.pending -= 1` (notify the group at 0); for a
//! deferred task, parent's incomplete children `-= 1` (notify the parent
//! at 0); if a thread waits inline for detached `t`, notify the parent;
//! drop t's own reference; finally count the completion. Every waiter
//! waits on an `EventCount` (sleep/) that its condition's writer notifies
//! after writing, so no wake-up is lost. Every notify happens while the
//! notified object is alive: the parent through `t`'s reference on it, `t`
//! through its own reference (dropped last), the team because `t`'s
//! completion is not yet counted. Taskgroups are recycled through a pool,
//! never freed while a region runs, so a late notify after the owner moved
//! on is a spurious wake-up, which every waiter tolerates.
//!
//! # Quiescence
//! Counted per thread without a team-wide atomic per task (counts.rs); a
//! task spawned and run by one thread touches only that thread's deque,
//! counters and its parent (which that thread is running). A completion by
//! a thread outside the team keeps the team alive through
//! `ExternalCompletions` until its last access.
//!
//! # Scheduling
//! Spawn pushes on the spawning thread's deque (priority > 0: the heap), or
//! runs the task at once when it is undeferred: if(0), final/included, no
//! team, a team of one thread for a task without detach, dependences or
//! priority (nobody else could run it, deferring would only cost; those
//! three can make the order observable, e.g. a dependence on a detached
//! task whose event a later sibling fulfils), or (except for detached
//! tasks and tasks with dependences) the thread's deque already holds
//! `THROTTLE` tasks (this bounds memory and stack for 10^6-task loops). A waiting thread runs tasks in this order:
//! priority heap, own deque, injector, stealing from the others.
//! At a barrier any task of the team may run. At taskwait / taskgroup end /
//! undeferred waits only descendants of the waiting task may (the task
//! scheduling constraint for tied tasks; it also bounds stack depth by the
//! task tree's depth). A task taken that may not run here goes back (own
//! deque top, injector tail) or, when stolen, to the injector (`publish`).
//! Waking: every waiter of a team, at a barrier or in a task wait, parks on
//! the team's sleep word, and only when no task is queued (sleep/README.md);
//! whatever queues a task or ends a wait notifies all its sleepers (no
//! syscall when nobody sleeps). Sleepers re-check `maybe_queued` after
//! announcing themselves, so a spawn racing with a parking waiter is never
//! missed.
//! Tasks never migrate once started: untied tasks are run as tied ones.
//!
//! Only threads of a team touch its queues, and only while they are in its
//! region: a thread finishing the end barrier acks before the master
//! reuses the team (team.rs), and the team is quiescent by then.

pub mod counts;
pub mod deps;
pub mod freelist;
pub mod taskloop;

use std::cell::{Cell, RefCell, UnsafeCell};
use std::collections::BinaryHeap;
use std::ffi::c_void;
use std::mem::MaybeUninit;
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;

use crossbeam_deque::{Injector, Steal, Stealer, Worker};

use super::barrier::TeamWork;
use super::icv::Icvs;
use super::sleep::EventCount;
use super::team::{with_state, Outlined, Team, ThreadState};
use super::{cancel, globals, spin_policy, trace, CachePadded};
use counts::{ExternalCompletions, ThreadCounts};
use deps::{DepMap, Edge, Ready};

pub type CopyFn = unsafe extern "C" fn(*mut c_void, *mut c_void);

/// GOMP_task / GOMP_taskloop flag bits (GCC's gomp-constants.h).
pub mod flag {
    pub const UNTIED: u32 = 1 << 0;
    pub const FINAL: u32 = 1 << 1;
    pub const MERGEABLE: u32 = 1 << 2;
    pub const DEPEND: u32 = 1 << 3;
    pub const PRIORITY: u32 = 1 << 4;
    pub const UP: u32 = 1 << 8;
    pub const GRAINSIZE: u32 = 1 << 9;
    pub const IF: u32 = 1 << 10;
    pub const NOGROUP: u32 = 1 << 11;
    pub const REDUCTION: u32 = 1 << 12;
    pub const DETACH: u32 = 1 << 13;
    pub const STRICT: u32 = 1 << 14;
}

/// Queued tasks on a thread's deque beyond which it runs new tasks at once.
const THROTTLE: usize = 256;
/// Argument blocks up to this size live inside the descriptor.
const INLINE_ARGS: usize = 128;
const REF: u64 = 1 << 32;
const CHILD_MASK: u64 = REF - 1;

// detach_state
const PENDING: u32 = 0;
const FULFILLED: u32 = 1;
const BODY_DONE: u32 = 2;
const COMPLETED: u32 = 3;

/// A task descriptor. Fields above `counts` are written by the spawning
/// thread before the task is published (deque/injector/heap push, or the
/// dependence release, all Release/Acquire) and read-only afterwards.
#[repr(C, align(64))]
pub struct Task {
    args: [MaybeUninit<u8>; INLINE_ARGS],
    func: Option<Outlined>,
    data: *mut c_void,
    /// posix_memalign'ed argument block (null: none or inline).
    heap_args: *mut c_void,
    parent: *const Task,
    team: *const Team,
    /// The taskgroup this task belongs to (its creator's innermost).
    group: *const TaskGroup,
    /// The task-reduction chain visible to the creator (runtime/reduction.rs),
    /// installed while the task runs so `in_reduction` finds it on any thread.
    reductions: *mut usize,
    icv: Icvs,
    /// 0 for implicit tasks; parent's depth + 1.
    depth: u32,
    priority: i32,
    is_final: bool,
    detach: bool,
    /// Created with dependences: only then can successors find it (deps.rs).
    has_deps: bool,
    /// A thread waits inline for this task: make it ready by notifying its
    /// creator's waits (`notify_waits`) instead of queueing it, and
    /// (detached tasks) notify them when it completes.
    waited: bool,
    /// refs << 32 | incomplete children (module comment).
    counts: AtomicU64,
    /// This task holds a reference on its parent (module comment: an
    /// undeferred task takes one only if something outlives its body).
    holds_parent: AtomicBool,
    /// The word of waits inside this task when it runs outside any team
    /// (in a team they park on the team's sleep word): notified when an
    /// undeferred child it waits for becomes ready or (detach) complete.
    wake: EventCount,
    /// Unfinished predecessors, + 1 while dependences are being added.
    npred: AtomicU32,
    succ: AtomicPtr<Edge>,
    detach_state: AtomicU32,
    /// Innermost taskgroup of this task's region; only the thread running
    /// the task touches it.
    cur_group: Cell<*const TaskGroup>,
    /// Dependence map of this task's children; only the thread running the
    /// task touches it.
    deps: UnsafeCell<Option<Box<DepMap>>>,
    /// Which thread's cache the descriptor returns to (freelist.rs).
    link: freelist::Link<Task>,
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

super::tls::lasting! {
    static TASK_CACHE: freelist::Cache<Task> = freelist::Cache::new();
    static GROUP_POOL: freelist::List<TaskGroup> = RefCell::new(Vec::new());
    /// The node of the initial task (no team) of this thread.
    static INITIAL: Task = Task::blank();
}

impl Task {
    pub(crate) fn blank() -> Task {
        Task {
            args: [MaybeUninit::uninit(); INLINE_ARGS],
            func: None,
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
    fn clear_deps(&self) {
        // SAFETY: only the thread running the task (or, for implicit nodes,
        // the master between regions) reaches `deps`.
        let deps = unsafe { &mut *self.deps.get() };
        if deps.is_some() {
            drop(deps.take());
        }
    }

    fn incomplete_children(&self) -> u64 {
        self.counts.load(Ordering::Acquire) & CHILD_MASK
    }

    /// Whether `self` is `anc` or one of its descendants.
    fn descends_from(&self, anc: &Task) -> bool {
        let mut p: *const Task = self;
        // SAFETY: ancestors of a live task are alive (module comment).
        while unsafe { (*p).depth } > anc.depth {
            p = unsafe { (*p).parent };
        }
        std::ptr::eq(p, anc)
    }
}

/// Free an explicit task descriptor (its last reference is gone).
///
/// # Safety
/// `t` came from `Box::into_raw` in `spawn` and nobody references it.
unsafe fn free(t: *mut Task) {
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
    pending: AtomicUsize,
    prev: *const TaskGroup,
    /// Set by `cancel taskgroup` (runtime/cancel.rs finds it through
    /// `cancel::set_taskgroup_flag`, installed by `execute` and the taskgroup
    /// start/end below for the running task's innermost group).
    cancelled: AtomicBool,
    /// The implicit taskgroup of a worksharing construct with task
    /// reductions: inside an enclosing taskgroup, `cancel taskgroup`
    /// cancels that one instead (see `cancel_flag`).
    workshare: bool,
}

impl TaskGroup {
    fn blank() -> TaskGroup {
        TaskGroup {
            pending: AtomicUsize::new(0),
            prev: std::ptr::null(),
            cancelled: AtomicBool::new(false),
            workshare: false,
        }
    }
}

#[derive(Clone, Copy)]
struct TaskRef(*const Task);
// SAFETY: a queued task is owned by the queue until taken; see Task.
unsafe impl Send for TaskRef {}

struct Prio {
    priority: i32,
    seq: u64,
    task: TaskRef,
}
impl PartialEq for Prio {
    fn eq(&self, o: &Self) -> bool {
        self.priority == o.priority && self.seq == o.seq
    }
}
impl Eq for Prio {}
impl PartialOrd for Prio {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Prio {
    /// Highest priority first, then first queued first.
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        self.priority.cmp(&o.priority).then(o.seq.cmp(&self.seq))
    }
}

/// One team thread's part of the team's task machinery.
struct Slot {
    /// Used only by the thread with this number in the current region.
    deque: UnsafeCell<Worker<TaskRef>>,
    stealer: Stealer<TaskRef>,
    counts: ThreadCounts,
    /// The node of this thread's implicit task.
    implicit: Task,
}

impl Slot {
    fn new() -> CachePadded<Slot> {
        let deque = Worker::new_lifo();
        let stealer = deque.stealer();
        CachePadded(Slot {
            deque: UnsafeCell::new(deque),
            stealer,
            counts: ThreadCounts::default(),
            implicit: Task::blank(),
        })
    }

    /// # Safety
    /// Only the slot's own thread calls this.
    #[allow(clippy::mut_from_ref)]
    unsafe fn deque(&self) -> &Worker<TaskRef> {
        // SAFETY: per the contract, no other reference exists.
        unsafe { &*self.deque.get() }
    }
}

/// The tasks of one team, as the barrier sees them.
pub struct TeamTasks {
    /// Resized only by `reset` (master, no worker attached).
    slots: UnsafeCell<Box<[CachePadded<Slot>]>>,
    nthreads: AtomicU32,
    injector: Injector<TaskRef>,
    prio: Mutex<(BinaryHeap<Prio>, u64)>,
    prio_len: AtomicUsize,
    external: CachePadded<ExternalCompletions>,
    /// A worker left the region's end barrier early (barrier.rs).
    worker_left: AtomicBool,
}

impl Default for TeamTasks {
    fn default() -> Self {
        TeamTasks {
            slots: UnsafeCell::new(Box::new([])),
            nthreads: AtomicU32::new(0),
            injector: Injector::new(),
            prio: Mutex::new((BinaryHeap::new(), 0)),
            prio_len: AtomicUsize::new(0),
            external: CachePadded(ExternalCompletions::default()),
            worker_left: AtomicBool::new(false),
        }
    }
}

impl Drop for TeamTasks {
    fn drop(&mut self) {
        for s in self.slots.get_mut().iter() {
            s.implicit.clear_deps();
        }
    }
}

impl TeamTasks {
    fn slots(&self) -> &[CachePadded<Slot>] {
        // SAFETY: `slots` is replaced only in `reset`, while no thread of
        // the team runs (region protocol in team.rs).
        unsafe { &*self.slots.get() }
    }

    fn slot(&self, tid: u32) -> &Slot {
        &self.slots()[tid as usize]
    }

    /// Reset for a region of `n` threads (only while no thread of the team
    /// runs). The previous region ended quiescent; the implicit tasks'
    /// dependence maps still reference completed tasks and are dropped here.
    pub fn reset(&self, n: u32) {
        // Write only what a region changed: fork is the hot path of every
        // region, and untouched slot lines stay shared in the workers' caches.
        for s in self.slots() {
            s.implicit.clear_deps();
            if !s.implicit.cur_group.get().is_null() {
                s.implicit.cur_group.set(std::ptr::null());
            }
            s.counts.reset();
        }
        if self.slots().len() < n as usize {
            let slots: Box<[_]> = (0..n).map(|_| Slot::new()).collect();
            // SAFETY: no thread of the team runs (see `slots`).
            unsafe { *self.slots.get() = slots };
        }
        self.external.reset();
        if self.worker_left.load(Ordering::Relaxed) {
            self.worker_left.store(false, Ordering::Relaxed);
        }
        if self.nthreads.load(Ordering::Relaxed) != n {
            self.nthreads.store(n, Ordering::Relaxed);
        }
    }

    fn team_slots(&self) -> &[CachePadded<Slot>] {
        &self.slots()[..self.nthreads.load(Ordering::Relaxed) as usize]
    }

    /// The master, after the region's last barrier: wait until no thread
    /// outside the team still touches it (counts.rs).
    pub fn drain_external(&self) {
        self.external.drain();
    }

    fn push_prio(&self, t: &Task) {
        let mut q = self.prio.lock().unwrap_or_else(|e| e.into_inner());
        q.1 += 1;
        let seq = q.1;
        q.0.push(Prio { priority: t.priority, seq, task: TaskRef(t) });
        self.prio_len.fetch_add(1, Ordering::Release);
    }

    /// The highest-priority queued task this waiter may run. Tasks it may
    /// not run are set aside and put back under the same lock, so nobody
    /// sees the heap without them.
    fn pop_prio(&self, allowed: impl Fn(&Task) -> bool) -> Option<*const Task> {
        let mut q = self.prio.lock().unwrap_or_else(|e| e.into_inner());
        let mut refused = Vec::new();
        let mut found = None;
        while let Some(p) = q.0.pop() {
            // SAFETY: queued tasks are alive.
            if allowed(unsafe { &*p.task.0 }) {
                found = Some(p.task.0);
                break;
            }
            refused.push(p);
        }
        q.0.extend(refused);
        if found.is_some() {
            self.prio_len.fetch_sub(1, Ordering::Relaxed);
        }
        found
    }

    /// A task that became ready on some thread: into the shared queues, and
    /// tell every waiter of the team. Once queued, `t` may be run and freed
    /// by another thread at once: everything needed is read before.
    fn push_shared(&self, t: &Task) {
        self.publish(t, None);
    }

    /// Queue `t` (on `own`, the calling thread's deque, or in the shared
    /// queues) and notify as `push_shared` says.
    fn publish(&self, t: &Task, own: Option<&Worker<TaskRef>>) {
        let team = t.team;
        match own {
            Some(deque) => deque.push(TaskRef(t)),
            None if t.priority > 0 => self.push_prio(t),
            None => self.injector.push(TaskRef(t)),
        }
        // SAFETY: the team cannot end before the caller is done: a team
        // thread is inside the region, and an outside thread releasing
        // dependences is held by `ExternalCompletions::busy`.
        unsafe { (*team).sleep.notify_all() };
    }

    /// Find and run one task that thread `tid` may run now: any task when
    /// `waiter` is None, else a descendant of `waiter`.
    fn run_one_as(&self, ts: &ThreadState, tid: u32, waiter: Option<&Task>) -> bool {
        // Once a worker left the region's end barrier early (barrier.rs), a
        // task a suspended tied task needs may have no other thread to run
        // it: waits then run any task (the scheduling constraint yields to
        // progress).
        let unconstrained = self.worker_left.load(Ordering::Relaxed);
        let allowed = |t: &Task| unconstrained || waiter.is_none_or(|w| t.descends_from(w));
        let run = |t: *const Task| {
            // SAFETY: a task taken from a queue is alive and ours to run.
            execute(ts, unsafe { &*t });
            true
        };
        if self.prio_len.load(Ordering::Acquire) > 0 {
            if let Some(t) = self.pop_prio(allowed) {
                return run(t);
            }
        }
        let me = self.slot(tid);
        // SAFETY: `tid` is the calling thread's own slot.
        let deque = unsafe { me.deque() };
        // A task taken and refused goes back where it was through
        // `publish`, which notifies: while it was out of the queues a
        // waiter that may run it could have looked, found nothing and parked.
        if let Some(TaskRef(t)) = deque.pop() {
            // SAFETY: queued tasks are alive.
            let task = unsafe { &*t };
            if allowed(task) {
                return run(t);
            }
            self.publish(task, Some(deque));
        }
        loop {
            match self.injector.steal() {
                Steal::Success(TaskRef(t)) => {
                    // SAFETY: queued tasks are alive.
                    let task = unsafe { &*t };
                    if allowed(task) {
                        return run(t);
                    }
                    self.push_shared(task);
                    break;
                }
                Steal::Empty => break,
                Steal::Retry => continue,
            }
        }
        let slots = self.team_slots();
        let n = slots.len();
        for k in 1..n {
            let victim = &slots[(tid as usize + k) % n];
            loop {
                match victim.stealer.steal() {
                    Steal::Success(TaskRef(t)) => {
                        // SAFETY: queued tasks are alive.
                        let task = unsafe { &*t };
                        if allowed(task) {
                            return run(t);
                        }
                        self.push_shared(task);
                        return false;
                    }
                    Steal::Empty => break,
                    Steal::Retry => continue,
                }
            }
        }
        false
    }
}

impl TeamWork for TeamTasks {
    #[inline]
    fn quiescent(&self) -> bool {
        counts::quiescent(&self.external, self.team_slots().iter().map(|s| &s.counts))
    }

    fn maybe_queued(&self) -> bool {
        self.prio_len.load(Ordering::Acquire) > 0
            || !self.injector.is_empty()
            || self.team_slots().iter().any(|s| !s.stealer.is_empty())
    }

    #[inline]
    fn run_one(&self, tid: u32) -> bool {
        with_state(|ts| self.run_one_as(ts, tid, None))
    }

    fn worker_left(&self) {
        if !self.worker_left.load(Ordering::Relaxed) {
            self.worker_left.store(true, Ordering::Relaxed);
        }
    }
}

/// The calling thread's task context.
struct Ctx<'a> {
    ts: &'a ThreadState,
    team: Option<&'a Team>,
    tid: u32,
    task: &'a Task,
}

fn ctx(ts: &ThreadState) -> Ctx<'_> {
    let cur = ts.cur();
    // SAFETY: a non-null team outlives the implicit tasks pointing to it.
    let team = unsafe { cur.team.as_ref() };
    let task: *const Task = if !cur.task.is_null() {
        cur.task
    } else if let Some(team) = team {
        &team.tasks.slot(cur.tid).implicit
    } else {
        INITIAL.with(|t| t as *const Task)
    };
    // SAFETY: the current task outlives this call: an explicit task runs
    // until `execute` returns, implicit nodes live as long as their team or
    // thread.
    Ctx { ts, team, tid: cur.tid, task: unsafe { &*task } }
}

impl Ctx<'_> {
    /// The task a wait in the current task may run: descendants of it.
    fn waiter(&self) -> Option<&Task> {
        Some(self.task)
    }

    /// Wait until `done()`, running allowed tasks meanwhile. In a team the
    /// wait parks on the team's sleep word, never while any task is queued
    /// (one this waiter may run can sit anywhere in the queues, and only
    /// searching finds it); whoever queues a task or makes `done()` true
    /// notifies that word (`notify_waits`).
    fn wait_until(&self, done: impl Fn() -> bool) {
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

/// The flag `cancel taskgroup` sets for a task whose innermost group is
/// `g` (null: none), for runtime/cancel.rs. A worksharing construct's
/// implicit taskgroup is not a taskgroup region of the program: inside an
/// enclosing taskgroup the cancellation is that group's (as in GCC's
/// runtime), which `group_cancelled` also sees from `g`.
fn cancel_flag(g: *const TaskGroup) -> *const AtomicBool {
    // SAFETY: a group is alive while a task of its region runs.
    let Some(group) = (unsafe { g.as_ref() }) else { return std::ptr::null() };
    // SAFETY: the enclosing group ends after this one.
    let target = match unsafe { group.prev.as_ref() } {
        Some(outer) if group.workshare => outer,
        _ => group,
    };
    &target.cancelled
}

fn cancellation_enabled() -> bool {
    globals().env.cancellation
}

/// Whether `g` or an enclosing taskgroup was cancelled.
fn group_cancelled(mut g: *const TaskGroup) -> bool {
    // SAFETY: the enclosing groups of a live group are alive (they end
    // after it).
    while let Some(group) = unsafe { g.as_ref() } {
        if group.cancelled.load(Ordering::Relaxed) {
            return true;
        }
        g = group.prev;
    }
    false
}

/// Run `t`'s body on this thread as its current task, then finish it.
fn execute(ts: &ThreadState, t: &Task) {
    let saved = ts.cur();
    ts.update(|c| {
        c.task = t;
        c.icv = t.icv;
        c.task_reductions = t.reductions;
    });
    // The taskgroup cancel flag is only read when cancellation is enabled.
    let cancellable = cancellation_enabled();
    let saved_flag = if cancellable { cancel::set_taskgroup_flag(cancel_flag(t.group)) } else { std::ptr::null() };
    let skip = cancellable && group_cancelled(t.group);
    if let (Some(f), false) = (t.func, skip) {
        let trace_start = trace::start();
        // SAFETY: GCC's task body and its argument block (copied at spawn,
        // or the creator's own block for an undeferred task it waits for).
        unsafe { f(t.data) };
        trace::end(trace_start, "task", "task", u64::from(saved.tid));
    }
    if cancellable {
        cancel::set_taskgroup_flag(saved_flag);
    }
    ts.update(|c| {
        c.task = saved.task;
        c.icv = saved.icv;
        c.task_reductions = saved.task_reductions;
    });
    t.clear_deps();
    if !t.detach
        || t.detach_state.compare_exchange(PENDING, BODY_DONE, Ordering::AcqRel, Ordering::Acquire).is_err()
    {
        complete(ts, t);
    }
}

/// Tell the waits inside `task` (running in `team`, or in no team) that
/// something they wait for happened.
fn notify_waits(team: Option<&Team>, task: &Task) {
    match team {
        Some(team) => team.sleep.notify_all(),
        None => task.wake.notify_all(),
    }
}

/// `t` is complete: see the module comment for the order of steps.
fn complete(ts: &ThreadState, t: &Task) {
    // SAFETY: the team outlives its tasks: it is not quiescent before the
    // count at the end of this function.
    let team = unsafe { t.team.as_ref() };
    let cur = ts.cur();
    let outside = team.filter(|team| !std::ptr::eq(cur.team, *team));
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
    // SAFETY: the group has `t` pending, so it is alive until this
    // decrement. Its end waits in the team (outside a team every member
    // completes before its creator resumes, so no end waits).
    if let Some(g) = unsafe { t.group.as_ref() } {
        if g.pending.fetch_sub(1, Ordering::AcqRel) == 1 {
            notify_waits(team, parent);
        }
    }
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
        (Some(team), None) => team.tasks.slot(cur.tid).counts.completed(),
        (None, None) => {}
    }
}

/// The last predecessor of `t` completed (deps::release_successors): queue
/// it, or, when its creator waits for it inline, notify that wait. `waited`
/// and the creator were read, and the creator held, before the decrement.
fn make_ready(team: Option<&Team>, t: Ready<'_>) {
    match t {
        Ready::Deferred(t) => {
            // SAFETY: deferred tasks always have a team (no team: undeferred).
            unsafe { (*t.team).tasks.push_shared(t) };
        }
        Ready::Waited { creator } => notify_waits(team, creator),
    }
}

/// What GOMP_task (and each taskloop chunk) asks for.
pub struct Spawn {
    pub func: Outlined,
    pub data: *mut c_void,
    pub cpyfn: Option<CopyFn>,
    pub arg_size: usize,
    pub arg_align: usize,
    pub if_clause: bool,
    pub flags: u32,
    pub depend: *const *mut c_void,
    pub priority: i32,
    pub detach: *mut c_void,
    /// Taskloop: the chunk's [start, end) written over the first two words
    /// of the argument block.
    pub bounds: Option<(u64, u64)>,
}

/// Create (and queue, or run) one explicit task.
///
/// # Safety
/// The pointers and sizes are those GCC passes to GOMP_task.
pub unsafe fn spawn(ts: &ThreadState, s: &Spawn) {
    let cx = ctx(ts);
    let parent = cx.task;
    let group = parent.cur_group.get();
    if cancellation_enabled() && group_cancelled(group) {
        return;
    }
    let slot = cx.team.map(|team| team.tasks.slot(cx.tid));
    // Throttling never applies to a detached task or one with dependences:
    // running it undeferred would block its creator until the event is
    // fulfilled or the predecessors complete, possibly thanks to a sibling
    // the creator has yet to create.
    let detach = s.flags & flag::DETACH != 0;
    let has_deps = s.flags & flag::DEPEND != 0 && !s.depend.is_null();
    let plain = !detach && !has_deps && (s.flags & flag::PRIORITY == 0 || s.priority <= 0);
    let undeferred = !s.if_clause
        || parent.is_final
        || slot.is_none()
        || (plain && cx.team.is_some_and(|team| team.tasks.nthreads.load(Ordering::Relaxed) == 1))
        // SAFETY: the slot is the calling thread's own.
        || (!detach && !has_deps && slot.is_some_and(|sl| unsafe { sl.deque() }.len() >= THROTTLE));
    let max_prio = globals().env.max_task_priority.max(0);
    let mut b = freelist::take(&TASK_CACHE, Task::blank);
    {
        let t = &mut *b;
        t.func = Some(s.func);
        t.parent = parent;
        t.team = cx.team.map_or(std::ptr::null(), |team| team as *const Team);
        t.group = group;
        t.reductions = ts.cur().task_reductions;
        t.icv = ts.cur().icv;
        t.depth = parent.depth + 1;
        t.priority = if s.flags & flag::PRIORITY != 0 { s.priority.clamp(0, max_prio) } else { 0 };
        t.is_final = s.flags & flag::FINAL != 0 || parent.is_final;
        t.detach = detach;
        t.has_deps = has_deps;
        t.waited = undeferred;
        *t.counts.get_mut() = REF;
        *t.holds_parent.get_mut() = !undeferred || detach;
        // The guard of deps.rs, only needed while dependences are added.
        *t.npred.get_mut() = u32::from(t.has_deps);
        *t.succ.get_mut() = std::ptr::null_mut();
        *t.detach_state.get_mut() = PENDING;
        t.cur_group.set(group);
        t.heap_args = std::ptr::null_mut();
    }
    let t: *mut Task = Box::into_raw(b);
    // SAFETY: `t` is private to this thread until published below; GCC's
    // argument block is `arg_size` bytes, copied by cpyfn or memcpy.
    unsafe {
        if (*t).detach {
            *(s.detach as *mut *const Task) = t;
            *(s.data as *mut *const Task) = t;
        }
        (*t).data = if undeferred && s.cpyfn.is_none() { s.data } else { copy_args(t, s) };
        if let Some((lo, hi)) = s.bounds {
            let words = (*t).data as *mut u64;
            *words = lo;
            *words.add(1) = hi;
        }
    }
    // SAFETY: from here on `t` is shared; only atomics and immutable fields.
    let task = unsafe { &*t };
    // An undeferred task completes before its creator resumes: it is not
    // counted as an incomplete child, and (without detach) takes a
    // reference on the parent only at completion, if it needs one.
    if !undeferred {
        parent.counts.fetch_add(REF | 1, Ordering::Relaxed);
    } else if detach {
        parent.retain();
    }
    // SAFETY: the current task's innermost group is alive.
    if let Some(g) = unsafe { group.as_ref() } {
        g.pending.fetch_add(1, Ordering::Relaxed);
    }
    if let Some(sl) = slot {
        sl.counts.spawned();
    }
    if task.has_deps {
        // SAFETY: only the thread running `parent` touches its map.
        let map = unsafe { (*parent.deps.get()).get_or_insert_with(Default::default) };
        // SAFETY: GCC's dependence array.
        unsafe { deps::for_each(s.depend, |addr, kind| map.register(task, addr, kind)) };
    }
    let ready = !task.has_deps || task.npred.fetch_sub(1, Ordering::AcqRel) == 1;
    if undeferred {
        if !ready {
            cx.wait_until(|| task.npred.load(Ordering::Acquire) == 0);
        }
        if detach {
            // Completion may come from another thread (omp_fulfill_event):
            // keep the descriptor alive for the wait below.
            task.retain();
        }
        // Without detach, `execute` completes the task and may free it.
        execute(ts, task);
        if detach {
            cx.wait_until(|| task.detach_state.load(Ordering::Acquire) == COMPLETED);
            // SAFETY: the reference taken above.
            unsafe { Task::release(task) };
        }
    } else if ready {
        let team = cx.team.expect("deferred tasks have a team");
        if task.priority > 0 {
            team.tasks.push_prio(task);
        } else {
            // SAFETY: the calling thread's own slot.
            unsafe { slot.expect("a team thread has a slot").deque() }.push(TaskRef(task));
        }
        team.sleep.notify_all();
    }
}

/// Copy GCC's argument block into storage owned by `t`.
///
/// # Safety
/// `t` is private to the caller; `s` describes a valid argument block.
unsafe fn copy_args(t: *mut Task, s: &Spawn) -> *mut c_void {
    let align = s.arg_align.max(1).next_power_of_two();
    let size = s.arg_size.max(1);
    // SAFETY: per the contract; `args` is 64-aligned (repr(align(64))).
    unsafe {
        let dst: *mut c_void = if size <= INLINE_ARGS && align <= 64 {
            (*t).args.as_mut_ptr().cast()
        } else {
            let mut p: *mut c_void = std::ptr::null_mut();
            if libc::posix_memalign(&mut p, align.max(std::mem::size_of::<usize>()), size) != 0 {
                eprintln!("hsomp: fatal: out of memory for a task's arguments ({size} bytes)");
                std::process::abort();
            }
            (*t).heap_args = p;
            p
        };
        match s.cpyfn {
            Some(copy) => copy(dst, s.data),
            None => std::ptr::copy_nonoverlapping(s.data as *const u8, dst as *mut u8, s.arg_size),
        }
        dst
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
    // SAFETY: no member task is left; the group goes back to the pool
    // (pooled memory: see the module comment about late bumps).
    freelist::put(&GROUP_POOL, unsafe { Box::from_raw(gp as *mut TaskGroup) });
}

pub fn in_final(ts: &ThreadState) -> bool {
    ctx(ts).task.is_final
}

/// omp_fulfill_event.
///
/// # Safety
/// `event` is a handle GOMP_task stored for a detached task.
pub unsafe fn fulfill(event: *const Task) {
    // SAFETY: a detached task is alive until its event is fulfilled.
    let t = unsafe { &*event };
    match t.detach_state.swap(FULFILLED, Ordering::AcqRel) {
        BODY_DONE => with_state(|ts| complete(ts, t)),
        PENDING => {}
        _ => eprintln!("hsomp: omp_fulfill_event: event {event:p} was already fulfilled"),
    }
}

/// A non-zero identity of the calling task (for lock ownership): the
/// address of its node: an explicit task's descriptor, an implicit task's
/// node in its team (every region, serialized ones too, has its own team),
/// or the thread's initial-task node.
pub fn current_task_id() -> usize {
    with_state(|ts| ctx(ts).task as *const Task as usize)
}

