//! The queues of one team's tasks, and how a thread picks the next task.
//!
//! # Scheduling
//! Spawn (spawn.rs) pushes on the spawning thread's deque, or on the
//! priority heap for a priority above 0. Tasks made ready elsewhere
//! (dependences released, tasks set aside) go to the `Injector` through
//! `push_shared`. A waiting thread runs tasks in this order: priority heap,
//! own deque, injector, stealing from the others.
//!
//! At a barrier any task of the team may run. At taskwait / taskgroup end /
//! undeferred waits only descendants of the waiting task may (the task
//! scheduling constraint for tied tasks; it also bounds stack depth by the
//! task tree's depth). A task taken that may not run here goes back (own
//! deque top, injector tail) or, when stolen, to the injector (`publish`).
//!
//! # Waking
//! Every waiter of a team, at a barrier or in a task wait, parks on the
//! team's sleep word, and only when no task is queued (sleep/README.md);
//! whatever queues a task or ends a wait notifies all its sleepers (no
//! syscall when nobody sleeps). Sleepers re-check `maybe_queued` after
//! announcing themselves, so a spawn racing with a parking waiter is never
//! missed.

use std::cell::UnsafeCell;
use std::collections::BinaryHeap;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicUsize, Ordering};
use std::sync::Mutex;

use crossbeam_deque::{Injector, Steal, Stealer, Worker};

use super::counts::{self, ExternalCompletions, ThreadCounts};
use super::run::execute;
use super::Task;
use crate::runtime::barrier::TeamWork;
use crate::runtime::team::{with_state, ThreadState};
use crate::runtime::CachePadded;

#[derive(Clone, Copy)]
pub(super) struct TaskRef(pub(super) *const Task);
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
pub(super) struct Slot {
    /// Used only by the thread with this number in the current region.
    deque: UnsafeCell<Worker<TaskRef>>,
    stealer: Stealer<TaskRef>,
    pub(super) counts: ThreadCounts,
    /// The node of this thread's implicit task.
    pub(super) implicit: Task,
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
    pub(super) unsafe fn deque(&self) -> &Worker<TaskRef> {
        // SAFETY: per the contract, no other reference exists.
        unsafe { &*self.deque.get() }
    }
}

/// The tasks of one team, as the barrier sees them.
pub struct TeamTasks {
    /// Resized only by `reset` (master, no worker attached).
    slots: UnsafeCell<Box<[CachePadded<Slot>]>>,
    pub(super) nthreads: AtomicU32,
    injector: Injector<TaskRef>,
    prio: Mutex<(BinaryHeap<Prio>, u64)>,
    prio_len: AtomicUsize,
    pub(super) external: CachePadded<ExternalCompletions>,
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

    pub(super) fn slot(&self, tid: u32) -> &Slot {
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

    pub(super) fn push_prio(&self, t: &Task) {
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
    pub(super) fn push_shared(&self, t: &Task) {
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
    pub(super) fn run_one_as(&self, ts: &ThreadState, tid: u32, waiter: Option<&Task>) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn prio(priority: i32, seq: u64) -> Prio {
        Prio { priority, seq, task: TaskRef(std::ptr::null()) }
    }

    #[test]
    fn heap_runs_highest_priority_then_oldest() {
        let mut h = BinaryHeap::new();
        for (p, s) in [(1, 1), (5, 2), (1, 3), (5, 4), (3, 5)] {
            h.push(prio(p, s));
        }
        let order: Vec<(i32, u64)> = std::iter::from_fn(|| h.pop().map(|p| (p.priority, p.seq))).collect();
        assert_eq!(order, vec![(5, 2), (5, 4), (3, 5), (1, 1), (1, 3)]);
    }

    #[test]
    fn pop_prio_sets_aside_what_a_waiter_may_not_run() {
        let tasks = TeamTasks::default();
        let a = Box::new(Task { priority: 2, ..Task::blank() });
        let b = Box::new(Task { priority: 1, ..Task::blank() });
        tasks.push_prio(&a);
        tasks.push_prio(&b);
        let pa: *const Task = &*a;
        let pb: *const Task = &*b;
        // The higher one is refused: the lower one runs, the refused one stays.
        assert_eq!(tasks.pop_prio(|t| std::ptr::eq(t, pb)), Some(pb));
        assert_eq!(tasks.prio_len.load(Ordering::Relaxed), 1);
        assert_eq!(tasks.pop_prio(|_| false), None);
        assert_eq!(tasks.pop_prio(|_| true), Some(pa));
        assert_eq!(tasks.prio_len.load(Ordering::Relaxed), 0);
    }

    #[test]
    fn reset_grows_slots_and_sets_the_team_size() {
        let tasks = TeamTasks::default();
        tasks.reset(3);
        assert_eq!(tasks.team_slots().len(), 3);
        tasks.reset(2);
        assert_eq!(tasks.team_slots().len(), 2);
        assert_eq!(tasks.slots().len(), 3, "slots are kept for a larger team later");
        assert!(!tasks.maybe_queued());
    }
}
