//! `EventCount`: wait until an arbitrary condition holds, without a mutex,
//! for conditions that live in other words (the ordered baton, doacross
//! progress, the work-share ring).
//!
//! # Protocol
//! `seq` is a futex word that changes only when a notifier finds sleepers;
//! `sleepers` counts threads that may be parked on `seq`.
//! - Notifier: makes the condition true with a SeqCst store (or RMW), then
//!   `notify()` reads `sleepers` (SeqCst); only if it is non-zero does it
//!   bump `seq` and `futex_wake` (the uncontended notifier pays one load).
//! - Waiter: spins and yields re-checking the condition (spin budget from
//!   `spin_policy`), then: increment `sleepers` (SeqCst), read `seq`, re-check
//!   the condition (SeqCst loads), and only then `futex_wait(seq, s)`.
//! Either the notifier's `sleepers` load comes before the waiter's increment
//! in the SeqCst order (then the waiter's re-check sees the condition), or
//! the notifier bumps `seq`: before the waiter read it (the re-check or the
//! kernel's compare sees it) or after (the wake reaches the parked waiter).
//! No lost wake-up either way.

use std::sync::atomic::{AtomicU32, Ordering};

use super::spin_policy;
use super::wait::{futex_wait, futex_wake_all};

#[derive(Default)]
pub struct EventCount {
    seq: AtomicU32,
    sleepers: AtomicU32,
}

impl EventCount {
    /// Call after making a waited-for condition true (with a SeqCst write).
    #[inline]
    pub fn notify(&self) {
        if self.sleepers.load(Ordering::SeqCst) != 0 {
            self.seq.fetch_add(1, Ordering::SeqCst);
            futex_wake_all(&self.seq);
        }
    }

    /// Return once `cond()` holds. `cond` must read with SeqCst loads the
    /// words whose writers call `notify`.
    pub fn wait_until(&self, cond: impl Fn() -> bool) {
        if cond() {
            return;
        }
        let policy = spin_policy();
        for _ in 0..policy.spins {
            std::hint::spin_loop();
            if cond() {
                return;
            }
        }
        for _ in 0..policy.yields {
            // SAFETY: sched_yield has no preconditions.
            unsafe { libc::sched_yield() };
            if cond() {
                return;
            }
        }
        loop {
            self.sleepers.fetch_add(1, Ordering::SeqCst);
            let s = self.seq.load(Ordering::SeqCst);
            let done = cond();
            if !done {
                futex_wait(&self.seq, s);
            }
            self.sleepers.fetch_sub(1, Ordering::SeqCst);
            if done || cond() {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicBool;
    use std::sync::Arc;

    #[test]
    fn parked_waiter_sees_condition() {
        let ev = Arc::new(EventCount::default());
        let flag = Arc::new(AtomicBool::new(false));
        let (e2, f2) = (ev.clone(), flag.clone());
        let t = std::thread::spawn(move || e2.wait_until(|| f2.load(Ordering::SeqCst)));
        std::thread::sleep(std::time::Duration::from_millis(30));
        flag.store(true, Ordering::SeqCst);
        ev.notify();
        t.join().unwrap();
    }
}
