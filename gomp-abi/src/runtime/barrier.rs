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
//!
//! # Cancellation (GOMP_barrier_cancel and the *_end_cancel barriers)
//! `arrived` packs the episode number (high 32 bits, equal to `gen` while
//! the episode runs: `gen` moves only together with the CAS that opens the
//! next episode) with two counts: all arrivals (low 16 bits) and arrivals
//! at a cancellable wait (next 16 bits).
//! - A cancellable waiter leaves when the team's cancel flag is set: it
//!   withdraws with a CAS that fails if the episode moved on (then the
//!   barrier completed normally). Threads arriving after the flag is set
//!   do not arrive at all. The canceller wakes parked waiters
//!   (`wake_for_cancel`); the flag is read with SeqCst (wait.rs protocol).
//! - A cancelled thread skips to the end of the region, whose barrier is
//!   not cancellable. An episode therefore completes only when all arrived
//!   *and* the arrivals are all plain or all cancellable: a mix means the
//!   team is cancelled and the cancellable ones are about to withdraw (and
//!   arrive again at the region's end), so the final barrier is never
//!   completed by a thread that is really waiting somewhere else.
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};

use super::task::TeamTasks;
use super::wait::Futex;
use super::{spin_policy, CachePadded};

const ONE: u64 = 1;
const ONE_CANCELLABLE: u64 = 1 + (1 << 16);
const COUNT_MASK: u64 = 0xffff;

/// Most threads a team barrier counts (the packed counts are 16 bits).
pub const MAX_TEAM: u32 = 0xffff;

#[derive(Default)]
pub struct Barrier {
    /// episode << 32 | cancellable arrivals << 16 | arrivals
    arrived: CachePadded<AtomicU64>,
    gen: CachePadded<Futex>,
    nthreads: AtomicU32,
}

impl Barrier {
    /// Set the team size. Only while no thread is inside the barrier.
    pub fn reset(&self, nthreads: u32) {
        assert!(nthreads <= MAX_TEAM, "hsomp: teams are limited to {MAX_TEAM} threads");
        self.nthreads.store(nthreads, Ordering::Relaxed);
        self.arrived.store(u64::from(self.gen.load()) << 32, Ordering::Relaxed);
    }

    /// Current episode number (used by waiters that need to be woken for tasks).
    pub fn futex(&self) -> &Futex {
        &self.gen
    }

    /// Episode `g` can complete with this `arrived` word.
    fn complete(word: u64, n: u32, g: u32) -> bool {
        let all = word & COUNT_MASK;
        let cancellable = (word >> 16) & COUNT_MASK;
        (word >> 32) as u32 == g && all == u64::from(n) && (cancellable == 0 || cancellable == all)
    }

    fn try_release(&self, word: u64, g: u32) -> bool {
        let next = u64::from(g.wrapping_add(1)) << 32;
        if self.arrived.compare_exchange(word, next, Ordering::AcqRel, Ordering::Relaxed).is_ok() {
            self.gen.set(g.wrapping_add(1));
            true
        } else {
            false
        }
    }

    /// Wait for the whole team, running the team's tasks meanwhile.
    pub fn wait(&self, tasks: &TeamTasks) {
        self.wait_impl(tasks, None);
    }

    /// A barrier that is a cancellation point: true when the team was
    /// cancelled (before or while waiting), in which case the caller skips
    /// to the end of the region.
    pub fn wait_cancellable(&self, tasks: &TeamTasks, cancelled: &AtomicBool) -> bool {
        if cancelled.load(Ordering::SeqCst) {
            return true;
        }
        self.wait_impl(tasks, Some(cancelled));
        cancelled.load(Ordering::SeqCst)
    }

    /// Wake cancellable waiters after setting their cancel flag.
    pub fn wake_for_cancel(&self) {
        self.gen.wake_sleepers();
    }

    fn wait_impl(&self, tasks: &TeamTasks, cancel: Option<&AtomicBool>) {
        let n = self.nthreads.load(Ordering::Relaxed);
        let add = if cancel.is_some() { ONE_CANCELLABLE } else { ONE };
        let word = self.arrived.fetch_add(add, Ordering::AcqRel) + add;
        let g = (word >> 32) as u32;
        if Self::complete(word, n, g) && tasks.quiescent() && self.try_release(word, g) {
            return;
        }
        let stop = || cancel.is_some_and(|c| c.load(Ordering::SeqCst));
        let stopped = self.gen.wait_while_or(
            g,
            spin_policy(),
            || {
                if tasks.run_one() {
                    return true;
                }
                let w = self.arrived.load(Ordering::Acquire);
                Self::complete(w, n, g) && tasks.quiescent() && self.try_release(w, g)
            },
            stop,
        );
        if stopped {
            self.withdraw(g);
        }
    }

    /// Take back a cancellable arrival in episode `g`, unless the episode
    /// completed meanwhile.
    fn withdraw(&self, g: u32) {
        let mut w = self.arrived.load(Ordering::Acquire);
        while (w >> 32) as u32 == g {
            match self.arrived.compare_exchange_weak(w, w - ONE_CANCELLABLE, Ordering::AcqRel, Ordering::Acquire) {
                Ok(_) => return,
                Err(cur) => w = cur,
            }
        }
    }
}
