//! The team barrier: arrivals combine up a tree of counters, release is one
//! generation word, and every waiter parks on the team's `EventCount`.
//!
//! # Protocol
//! - Arrival: thread `tid` increments its leaf counter (AcqRel); the thread
//!   that completes a node resets it to 0 and carries the arrival up to the
//!   parent. Teams of up to `FANIN` threads have a single node (the classic
//!   centralized barrier); larger teams spread arrivals over `FANIN`-wide
//!   nodes so no counter sees more than `FANIN` writers. The AcqRel RMWs
//!   chain: the thread completing the root has synchronised with every
//!   arrival, hence with every task spawned before one.
//! - `gen` is the episode number; each thread reads it (g) *before*
//!   arriving, and waits until it moves.
//! - Completion needs all threads arrived AND the team's work quiescent (the
//!   barrier completes every task). The thread completing the root releases
//!   at once (`gen = g + 1`) when the work is quiescent; otherwise it raises
//!   `all_arrived` (Release), and whichever waiter later reads `all_arrived`
//!   *and then* finds the work quiescent wins a CAS on it and releases.
//!   The order of those two reads is the point: `all_arrived` read true
//!   (Acquire) makes every spawn made before any arrival visible to the
//!   quiescence check that follows, so a stale "quiescent" can never pair
//!   with a fresh "all arrived" (the defect this order fixes). Tasks spawned
//!   after all arrived are spawned by task bodies run by waiters, which
//!   `TeamWork::quiescent` sees (task/counts.rs).
//! - Waiting is `EventCount::wait` on the team's sleep word (sleep/), with
//!   `done` = gen moved or `stop()`, idle work = run a task or release, and
//!   `has_work` = a task may be queued, or all arrived and quiescent. Who
//!   notifies that word (notify_all: task waiters sleep there too): the
//!   releaser, a spawn or a task made ready, an external completion, a
//!   cancellation. sleep/README.md has the proof that none is lost.
//! - At the end of a region a worker that is not the last to arrive leaves
//!   without waiting for the release when the work is quiescent
//!   (`arrive_at_end`): only the master needs to know the region is over,
//!   and a worker that need not be scheduled again keeps regions cheap when
//!   threads outnumber cores (and leaves the cores to Haskell threads).
//!   Leaving releases nothing, so a stale read there is harmless. A worker
//!   that left cannot run tasks spawned later; the team counts it
//!   (`TeamWork::worker_left`), and task waits then run any task rather
//!   than only descendants (task/queues.rs), so a task a suspended tied task
//!   needs is never left without a thread.
//!
//! Why it is safe: node counters are reset before the arrival moves up and
//! `all_arrived` before `gen` moves, so the next episode starts clean; nobody
//! arrives for episode g+1 before `gen` moves. No deadlock: once all threads
//! arrived, every thread is in this loop; the thread that completes the
//! last task re-checks and releases, or (external completion) a waiter it
//! notifies does. A thread still leaving episode g only reads `gen`.
//!
//! # Cancellation
//! `wait_cancellable` (GOMP_barrier_cancel, the *_end_cancel barriers) is
//! the same wait that also ends when the team's cancel flag is set; the
//! canceller notifies the sleep word after setting it. A thread leaving that
//! way leaves its arrival behind, so the team uses a separate Barrier for
//! cancellable waits (`Team::cancel_barrier`): after a cancellation every
//! thread skips to the region's end, never waits at that barrier again in
//! the region (a cancellable wait returns at once once the flag is set), and
//! the next `fork` clears it.

use std::cell::UnsafeCell;
use std::sync::atomic::Ordering;

use super::sleep::{EventCount, SpinPolicy};
use super::sync::{AtomicBool, AtomicU32};
use super::{trace, CachePadded};

/// Arrivals per tree node.
const FANIN: u32 = 8;

/// What the barrier needs from the team's tasks (task/queues.rs implements it;
/// the tests and loom models implement it over plain counters).
pub trait TeamWork {
    /// No task is queued or running. Callers read `all_arrived` first.
    fn quiescent(&self) -> bool;
    /// A task may be queued: a waiter must not park.
    fn maybe_queued(&self) -> bool;
    /// Run one task if one may run; true when it did.
    fn run_one(&self, tid: u32) -> bool;
    /// A worker leaves the region's end barrier early (`arrive_at_end`).
    fn worker_left(&self);
}

struct Node {
    count: CachePadded<AtomicU32>,
    expected: u32,
}

/// Counter nodes, leaves first, then each level up to the single root. Node
/// `i` of a level has parent `i / FANIN` in the next level.
struct Tree {
    nodes: Vec<Node>,
    /// Index of the first node of each level.
    level_start: Vec<usize>,
}

impl Tree {
    fn new(nthreads: u32) -> Tree {
        let mut nodes = Vec::new();
        let mut level_start = Vec::new();
        let mut width = nthreads.max(1);
        loop {
            level_start.push(nodes.len());
            let count = width.div_ceil(FANIN);
            for i in 0..count {
                let expected = (width - i * FANIN).min(FANIN);
                nodes.push(Node { count: CachePadded(AtomicU32::new(0)), expected });
            }
            if count == 1 {
                break;
            }
            width = count;
        }
        Tree { nodes, level_start }
    }

    fn width(&self) -> u32 {
        // Leaves cover FANIN threads each; the tree was built for this many.
        self.nodes[..self.level_start.get(1).copied().unwrap_or(self.nodes.len())]
            .iter()
            .map(|n| n.expected)
            .sum()
    }

    /// Record the arrival of `tid`; true for the thread that completed the root.
    fn arrive(&self, tid: u32) -> bool {
        let mut index_in_level = (tid / FANIN) as usize;
        for (level, &start) in self.level_start.iter().enumerate() {
            let node = &self.nodes[start + index_in_level];
            if node.count.fetch_add(1, Ordering::AcqRel) + 1 < node.expected {
                return false;
            }
            node.count.store(0, Ordering::Relaxed);
            if level + 1 == self.level_start.len() {
                return true;
            }
            index_in_level /= FANIN as usize;
        }
        unreachable!("the last level has a single root")
    }
}

pub struct Barrier {
    tree: UnsafeCell<Tree>,
    all_arrived: CachePadded<AtomicBool>,
    gen: CachePadded<AtomicU32>,
}

// SAFETY: `tree` is replaced only in `reset`, which the region protocol
// (team.rs) calls while no thread is inside the barrier; otherwise the tree
// is only read and its counters are atomics.
unsafe impl Sync for Barrier {}

impl Default for Barrier {
    fn default() -> Self {
        Barrier {
            tree: UnsafeCell::new(Tree::new(1)),
            all_arrived: CachePadded(AtomicBool::new(false)),
            gen: CachePadded(AtomicU32::new(0)),
        }
    }
}

impl Barrier {
    /// Size the barrier for a team. Only while no thread is inside it.
    pub fn reset(&self, nthreads: u32) {
        // SAFETY: no thread is inside the barrier (caller's contract), so no
        // reference into the tree is alive.
        let tree = unsafe { &mut *self.tree.get() };
        if tree.width() != nthreads {
            *tree = Tree::new(nthreads);
        }
        // all_arrived is already false: every completed episode cleared it.
    }

    /// The current episode: it moves when the barrier releases.
    pub fn episode(&self) -> u32 {
        self.gen.load(Ordering::Acquire)
    }

    fn release(&self, g: u32, sleep: &EventCount) {
        self.gen.store(g.wrapping_add(1), Ordering::Release);
        sleep.notify_all();
    }

    fn try_release(&self, g: u32, sleep: &EventCount) -> bool {
        let won = self.all_arrived.compare_exchange(true, false, Ordering::AcqRel, Ordering::Relaxed).is_ok();
        if won {
            self.release(g, sleep);
        }
        won
    }

    /// Whether the episode can be released now: all arrived (read first,
    /// see the module comment) and the work quiescent.
    fn completable(&self, work: &impl TeamWork) -> bool {
        self.all_arrived.load(Ordering::Acquire) && work.quiescent()
    }

    /// Wait for the whole team (thread `tid` arriving), running the team's
    /// tasks meanwhile; `sleep` is the team's sleep word.
    pub fn wait(&self, tid: u32, work: &impl TeamWork, sleep: &EventCount, policy: SpinPolicy) {
        self.arrive(tid, work, sleep, policy, false, || false);
    }

    /// A worker's arrival at the implicit barrier that ends a region: it
    /// leaves at once when it is not the last and the work is quiescent
    /// (module comment); otherwise it stays and helps until the release.
    pub fn arrive_at_end(&self, tid: u32, work: &impl TeamWork, sleep: &EventCount, policy: SpinPolicy) {
        self.arrive(tid, work, sleep, policy, true, || false);
    }

    /// A wait that is a cancellation point: true when `cancelled()` held
    /// before or during the wait (the caller then skips to the region's end).
    /// The canceller notifies `sleep` after setting the flag.
    pub fn wait_cancellable(
        &self,
        tid: u32,
        work: &impl TeamWork,
        sleep: &EventCount,
        policy: SpinPolicy,
        cancelled: impl Fn() -> bool,
    ) -> bool {
        if cancelled() {
            return true;
        }
        self.arrive(tid, work, sleep, policy, false, &cancelled);
        cancelled()
    }

    /// Forget arrivals left behind by cancelled waits. Only while no thread
    /// is inside the barrier.
    pub fn clear(&self) {
        // SAFETY: no thread is inside the barrier (caller's contract).
        let tree = unsafe { &*self.tree.get() };
        for node in &tree.nodes {
            node.count.store(0, Ordering::Relaxed);
        }
        self.all_arrived.store(false, Ordering::Relaxed);
    }

    fn arrive(
        &self,
        tid: u32,
        work: &impl TeamWork,
        sleep: &EventCount,
        policy: SpinPolicy,
        may_leave: bool,
        stop: impl Fn() -> bool,
    ) {
        // SAFETY: the tree is only replaced in `reset`, never while a team
        // member can be here.
        let tree = unsafe { &*self.tree.get() };
        let trace_start = trace::start();
        let g = self.gen.load(Ordering::Acquire);
        if tree.arrive(tid) {
            if work.quiescent() {
                self.release(g, sleep);
                trace::end(trace_start, "barrier", "barrier", u64::from(tid));
                return;
            }
            self.all_arrived.store(true, Ordering::Release);
        } else if may_leave && work.quiescent() {
            work.worker_left();
            trace::end(trace_start, "barrier", "barrier", u64::from(tid));
            return;
        }
        sleep.wait(
            policy,
            || self.gen.load(Ordering::Acquire) != g || stop(),
            || {
                // A scan of the task counters is far cheaper than probing
                // every deque, and tells when there is nothing to steal.
                let arrived = self.all_arrived.load(Ordering::Acquire);
                if work.quiescent() {
                    arrived && self.try_release(g, sleep)
                } else {
                    work.run_one(tid)
                }
            },
            || work.maybe_queued() || self.completable(work),
        );
        trace::end(trace_start, "barrier", "barrier", u64::from(tid));
    }
}

#[cfg(test)]
mod tests;
