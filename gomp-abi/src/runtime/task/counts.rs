//! Task quiescence without a team-wide atomic per task.
//!
//! # Protocol
//! Each team thread has `ThreadCounts` (`spawned`, `completed`), written
//! only by that thread (plain load + Release store). Completions by threads
//! outside the team (omp_fulfill_event from any thread) go through
//! `ExternalCompletions`. `quiescent` reads the external count, then every
//! `completed`, then every `spawned` (all Acquire). Each completion
//! happens-after its task's spawn, so every spawn whose completion was seen
//! is seen too: equal sums mean no task seen spawned is incomplete. A task
//! the reader does not see spawned at all was spawned either by a thread
//! that has not arrived at the barrier (the barrier reads `all_arrived`
//! before calling `quiescent`, see barrier.rs) or by a task body not yet
//! seen complete, which then counts as incomplete. So at a barrier, after
//! all arrived, "quiescent" means no task of the team is queued or running.
//!
//! # Outside completers and the team's lifetime
//! The external count is what lets the barrier release, after which the
//! master may leave and reuse the team: an outside thread must not touch
//! the team after it. It announces itself in `busy` before its completion
//! touches anything (the team cannot end before: the task is incomplete),
//! counts the completion, notifies the team's sleep word, and leaves `busy`
//! as its last access. The master `drain`s `busy` after the barrier; the
//! window is a few instructions of the outside thread, so it yields rather
//! than parks.

use std::sync::atomic::Ordering;

use crate::runtime::sync::{yield_now, AtomicU32, AtomicU64};

#[derive(Default)]
pub struct ThreadCounts {
    spawned: AtomicU64,
    completed: AtomicU64,
}

/// Add one to a counter only its owner writes.
fn bump_own(counter: &AtomicU64) {
    counter.store(counter.load(Ordering::Relaxed) + 1, Ordering::Release);
}

impl ThreadCounts {
    /// The owner spawned a task (before publishing it).
    #[inline]
    pub fn spawned(&self) {
        bump_own(&self.spawned);
    }

    /// The owner completed a task.
    #[inline]
    pub fn completed(&self) {
        bump_own(&self.completed);
    }

    /// Zero the counters for a new region (no thread of the team runs);
    /// writes only counters that moved, so untouched lines stay shared.
    pub fn reset(&self) {
        if self.spawned.load(Ordering::Relaxed) != 0 || self.completed.load(Ordering::Relaxed) != 0 {
            self.spawned.store(0, Ordering::Relaxed);
            self.completed.store(0, Ordering::Relaxed);
        }
    }
}

#[derive(Default)]
pub struct ExternalCompletions {
    done: AtomicU64,
    busy: AtomicU32,
}

impl ExternalCompletions {
    /// An outside thread is about to complete a task of the team.
    #[inline]
    pub fn enter(&self) {
        self.busy.fetch_add(1, Ordering::Relaxed);
    }

    /// Count the completion (it may let the barrier release), notify the
    /// team's waiters (`notify`: the team's sleep word), and leave: the
    /// caller must not touch the team after.
    #[inline]
    pub fn count_and_leave(&self, notify: impl FnOnce()) {
        self.done.fetch_add(1, Ordering::Release);
        notify();
        self.busy.fetch_sub(1, Ordering::Release);
    }

    /// Master, after the barrier released: wait until no outside thread is
    /// still inside `count_and_leave`.
    pub fn drain(&self) {
        while self.busy.load(Ordering::Acquire) != 0 {
            yield_now();
        }
    }

    /// Zero the count for a new region (no thread of the team runs).
    pub fn reset(&self) {
        if self.done.load(Ordering::Relaxed) != 0 {
            self.done.store(0, Ordering::Relaxed);
        }
    }
}

/// No task seen spawned is incomplete (module comment).
pub fn quiescent<'a>(external: &ExternalCompletions, threads: impl Iterator<Item = &'a ThreadCounts> + Clone) -> bool {
    let mut done = external.done.load(Ordering::Acquire);
    for t in threads.clone() {
        done += t.completed.load(Ordering::Acquire);
    }
    let mut made = 0;
    for t in threads {
        made += t.spawned.load(Ordering::Acquire);
    }
    made == done
}
