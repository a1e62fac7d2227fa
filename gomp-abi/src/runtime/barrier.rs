//! The team barrier: arrivals combine up a tree of counters, release is one
//! generation word every thread waits on.
//!
//! # Protocol
//! - Arrival: thread `tid` increments its leaf counter (AcqRel); the thread
//!   that completes a node resets it to 0 and carries the arrival up to the
//!   parent. Teams of up to `FANIN` threads have a single node (the classic
//!   centralized barrier); larger teams spread arrivals over `FANIN`-wide
//!   nodes so no counter sees more than `FANIN` writers.
//! - `gen` (a `Futex`) is the episode number; each thread reads it (g)
//!   *before* arriving.
//! - Completion needs all threads arrived AND the team's tasks quiescent (the
//!   barrier completes them all). The thread completing the root releases at
//!   once (`gen = g + 1`) when no task is pending; otherwise it raises
//!   `all_arrived`, and whichever waiter later sees `all_arrived` with the
//!   tasks quiescent wins a CAS on it and releases.
//! - Waiters run pending tasks (`TeamTasks::run_one`); task producers wake
//!   a parked waiter through `futex().wake_one()` (any one waiter can run
//!   the new task and, if it was the last, release the barrier).
//! - At the end of a region a worker that is not the last to arrive leaves
//!   without waiting for the release when no task is pending
//!   (`arrive_at_end`): only the master needs to know the region is over, and
//!   a worker that need not be scheduled again is what keeps regions cheap
//!   when threads outnumber cores.
//! Why it is safe: node counters are reset before the arrival moves up and
//! `all_arrived` before `gen` moves, so the next episode starts clean; nobody
//! arrives for episode g+1 before `gen` moves. No deadlock: once all threads
//! arrived, every thread is in this loop, so the thread that finishes the last
//! task re-checks and releases. A thread still leaving episode g only reads
//! `gen`, which it sees changed.
//!
//! # Cancellation
//! `wait_cancellable` (GOMP_barrier_cancel, the *_end_cancel barriers) is
//! the same wait that also ends when the team's cancel flag is set (SeqCst;
//! the canceller then calls `wake_for_cancel`, see wait.rs's
//! `wait_while_or`). A thread leaving that way leaves its arrival behind,
//! so the team uses a separate Barrier for cancellable waits
//! (`Team::cancel_barrier`): after a cancellation every thread skips to the
//! region's end, never waits at that barrier again in the region (a
//! cancellable wait returns at once once the flag is set), and the next
//! `fork` clears it.

use std::cell::UnsafeCell;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use super::task::TeamTasks;
use super::wait::Futex;
use super::{spin_policy, trace, CachePadded};

/// Arrivals per tree node.
const FANIN: u32 = 8;

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
    gen: CachePadded<Futex>,
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
            gen: CachePadded(Futex::new(0)),
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

    /// The release word; wake its sleepers when new tasks appear.
    pub fn futex(&self) -> &Futex {
        &self.gen
    }

    fn try_release(&self, g: u32) -> bool {
        if self.all_arrived.compare_exchange(true, false, Ordering::AcqRel, Ordering::Relaxed).is_ok() {
            self.gen.set(g.wrapping_add(1));
            true
        } else {
            false
        }
    }

    /// Wait for the whole team (thread `tid` arriving), running the team's
    /// tasks meanwhile.
    pub fn wait(&self, tid: u32, tasks: &TeamTasks) {
        self.arrive(tid, tasks, false, || false);
    }

    /// A wait that is a cancellation point: true when `cancelled` was set
    /// before or during the wait (the caller then skips to the region's end).
    pub fn wait_cancellable(&self, tid: u32, tasks: &TeamTasks, cancelled: &AtomicBool) -> bool {
        if cancelled.load(Ordering::SeqCst) {
            return true;
        }
        self.arrive(tid, tasks, false, || cancelled.load(Ordering::SeqCst));
        cancelled.load(Ordering::SeqCst)
    }

    /// Wake parked cancellable waiters after setting their cancel flag.
    pub fn wake_for_cancel(&self) {
        self.gen.wake_sleepers();
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

    /// A worker's arrival at the implicit barrier that ends a region. When
    /// the team has no pending task the worker may leave at once: it does
    /// nothing the barrier orders after this point (it only returns to its
    /// mailbox), and the master, still waiting in `wait`, sees the episode
    /// complete when the last thread arrives. With tasks pending it stays
    /// and helps until the barrier completes.
    pub fn arrive_at_end(&self, tid: u32, tasks: &TeamTasks) {
        self.arrive(tid, tasks, true, || false);
    }

    fn arrive(&self, tid: u32, tasks: &TeamTasks, may_leave: bool, stop: impl Fn() -> bool) {
        // SAFETY: the tree is only replaced in `reset`, never while a team
        // member can be here.
        let tree = unsafe { &*self.tree.get() };
        let trace_start = trace::start();
        let g = self.gen.load();
        if tree.arrive(tid) {
            if tasks.quiescent() {
                self.gen.set(g.wrapping_add(1));
                trace::end(trace_start, "barrier", "barrier", u64::from(tid));
                return;
            }
            self.all_arrived.store(true, Ordering::Release);
        } else if may_leave && tasks.quiescent() {
            trace::end(trace_start, "barrier", "barrier", u64::from(tid));
            return;
        }
        self.gen.wait_while_or(
            g,
            spin_policy(),
            || {
                // Stealing probes every thread's deque; a scan of the task
                // counters is far cheaper and tells when there is nothing to steal.
                let quiescent = tasks.quiescent();
                (!quiescent && tasks.run_one())
                    || (quiescent && self.all_arrived.load(Ordering::Acquire) && self.try_release(g))
            },
            stop,
        );
        trace::end(trace_start, "barrier", "barrier", u64::from(tid));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;
    use std::sync::Arc;

    #[test]
    fn tree_shapes() {
        for n in [1u32, 2, 7, 8, 9, 64, 65, 100] {
            let t = Tree::new(n);
            assert_eq!(t.width(), n);
            assert_eq!(t.nodes[*t.level_start.last().unwrap()..].len(), 1, "one root for {n}");
        }
    }

    #[test]
    fn no_thread_passes_before_all_arrive() {
        // 9 and 17 threads exercise trees with several leaves.
        for (n, rounds) in [(2u32, 200usize), (3, 100), (9, 10), (17, 4)] {
            let b = Arc::new(Barrier::default());
            b.reset(n);
            let phase = Arc::new(AtomicUsize::new(0));
            let threads: Vec<_> = (0..n)
                .map(|tid| {
                    let (b, phase) = (b.clone(), phase.clone());
                    std::thread::spawn(move || {
                        let tasks = TeamTasks::default();
                        for round in 0..rounds {
                            phase.fetch_add(1, Ordering::SeqCst);
                            b.wait(tid, &tasks);
                            assert!(phase.load(Ordering::SeqCst) >= (round + 1) * n as usize);
                            b.wait(tid, &tasks);
                        }
                    })
                })
                .collect();
            for t in threads {
                t.join().unwrap();
            }
        }
    }
}
