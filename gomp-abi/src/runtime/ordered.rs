//! `#pragma omp ordered` inside a worksharing loop: the ordered baton.
//!
//! # Protocol
//! Chunks are handed out as ranges of iteration numbers `lo..hi` and every
//! schedule hands them out in increasing order of `lo` (static by formula,
//! dynamic/guided through one counter). `done` is the iteration number up to
//! which every chunk has passed the baton. A thread holding chunk `lo..hi`
//! may enter ordered regions once `done == lo`; it keeps the baton for the
//! whole chunk (an iteration may skip its ordered region, so the baton
//! cannot move per region) and passes it when it gives the chunk up (next
//! chunk or end of loop): wait for `done == lo`, then store `hi` (SeqCst) and
//! notify. The owner of the lowest chunk not yet passed is never waiting on
//! anyone (all lower chunks passed), so the baton always moves: no deadlock.
//! `done` has one writer at a time: only the thread whose `lo` equals it.

use std::sync::atomic::{AtomicU64, Ordering};

use super::sleep::EventCount;
use super::spin_policy;

#[derive(Default)]
pub struct Baton {
    done: AtomicU64,
    ev: EventCount,
}

impl Baton {
    /// New loop (the work share's initialiser, before publishing the slot).
    pub fn reset(&self) {
        self.done.store(0, Ordering::Relaxed);
    }

    /// Wait until every chunk before `lo` passed the baton, or `stop()`.
    pub fn acquire(&self, lo: u64, stop: impl Fn() -> bool) {
        self.ev.wait_until(spin_policy(), || self.done.load(Ordering::SeqCst) == lo || stop());
    }

    /// Give up chunk `lo..hi`: pass the baton to the chunk starting at `hi`.
    pub fn release(&self, lo: u64, hi: u64, stop: impl Fn() -> bool) {
        self.acquire(lo, &stop);
        if self.done.load(Ordering::SeqCst) == lo {
            self.done.store(hi, Ordering::SeqCst);
            self.ev.notify_all();
        }
    }

    /// Wake waiters so they re-check their stop condition.
    pub fn wake_to_recheck_stop(&self) {
        self.ev.notify_all();
    }
}
