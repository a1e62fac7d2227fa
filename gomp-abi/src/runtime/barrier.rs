//! The team barrier: centralized, with a generation counter as sense.
//!
//! # Protocol
//! - `arrived` counts threads of the current episode; `gen` (a `Futex`) is
//!   the episode number waiters sleep on.
//! - A thread reads `gen` (g) *before* incrementing `arrived` (AcqRel).
//! - The barrier completes when all `n` threads arrived and the team's tasks
//!   are quiescent (no queued or running task; the barrier must complete them
//!   all). Whoever observes that first wins a CAS `arrived: n -> 0` and then
//!   publishes `gen = g + 1` (SeqCst store, wakes sleepers). Because `arrived`
//!   is reset before `gen` moves, the next episode starts from 0.
//! - Waiters run pending tasks while they wait (`TeamTasks::run_one`); task
//!   producers wake parked waiters through `gen.wake_sleepers()`.
//! No deadlock: when all `n` have arrived every thread is in this loop, so the
//! thread that finishes the last task re-checks and releases.
//! A thread still leaving episode g only reads `gen`; episode g+1 cannot
//! complete without it, so it can never mistake g+1's state for g's.

use std::sync::atomic::{AtomicU32, Ordering};

use super::task::TeamTasks;
use super::wait::Futex;
use super::{spin_policy, CachePadded};

#[derive(Default)]
pub struct Barrier {
    arrived: CachePadded<AtomicU32>,
    gen: CachePadded<Futex>,
    nthreads: AtomicU32,
}

impl Barrier {
    /// Set the team size. Only while no thread is inside the barrier.
    pub fn reset(&self, nthreads: u32) {
        self.nthreads.store(nthreads, Ordering::Relaxed);
        self.arrived.store(0, Ordering::Relaxed);
    }

    /// Current episode number (used by waiters that need to be woken for tasks).
    pub fn futex(&self) -> &Futex {
        &self.gen
    }

    fn try_release(&self, n: u32, g: u32) -> bool {
        if self.arrived.compare_exchange(n, 0, Ordering::AcqRel, Ordering::Relaxed).is_ok() {
            self.gen.set(g.wrapping_add(1));
            true
        } else {
            false
        }
    }

    /// Wait for the whole team, running the team's tasks meanwhile.
    pub fn wait(&self, tasks: &TeamTasks) {
        let n = self.nthreads.load(Ordering::Relaxed);
        let g = self.gen.load();
        let arrived = self.arrived.fetch_add(1, Ordering::AcqRel) + 1;
        if arrived == n && tasks.quiescent() && self.try_release(n, g) {
            return;
        }
        self.gen.wait_while(g, spin_policy(), || {
            if tasks.run_one() {
                return true;
            }
            self.arrived.load(Ordering::Acquire) == n && tasks.quiescent() && self.try_release(n, g)
        });
    }
}
