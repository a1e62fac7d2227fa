//! Waiting without a mutex: spin with `pause`, then `sched_yield`, then park
//! on a Linux futex.
//!
//! # Protocol (`Futex`)
//! One word (`value`) is the condition; `sleepers` counts threads that may be
//! inside `futex_wait` on it.
//! - A waiter spins/yields re-reading `value`; before parking it increments
//!   `sleepers` (SeqCst RMW), re-reads `value` (SeqCst) and only then calls
//!   `futex_wait(value, old)`, which the kernel refuses if `value != old`.
//! - A setter stores `value` (SeqCst) and then reads `sleepers` (SeqCst);
//!   only when it is non-zero does it pay for the `futex_wake` syscall.
//! In the single total order of SeqCst operations either the waiter's re-read
//! sees the new value, or the setter's read of `sleepers` sees the waiter:
//! no lost wake-up, and the uncontended setter makes no syscall.
//!
//! # Spin budget
//! `SpinPolicy` comes from OMP_WAIT_POLICY / GOMP_SPINCOUNT (see env.rs). When
//! the runtime has more threads than CPUs the budget is cut to a short spin
//! followed by yields: spinning then only steals the CPU from the thread being
//! waited for (8 threads on 2 cores must not collapse).

use std::sync::atomic::{AtomicU32, Ordering};

/// How long a waiter spins and yields before it parks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SpinPolicy {
    pub spins: u64,
    pub yields: u32,
}

impl SpinPolicy {
    /// Budget used while threads outnumber CPUs.
    pub const THROTTLED: SpinPolicy = SpinPolicy { spins: 100, yields: 16 };
}

/// A 32-bit condition word that threads can wait on.
#[derive(Default)]
#[repr(C)]
pub struct Futex {
    value: AtomicU32,
    sleepers: AtomicU32,
}

impl Futex {
    pub const fn new(v: u32) -> Self {
        Futex { value: AtomicU32::new(v), sleepers: AtomicU32::new(0) }
    }

    #[inline]
    pub fn load(&self) -> u32 {
        self.value.load(Ordering::Acquire)
    }

    /// Publish `v` (Release for everything written before) and wake sleepers.
    #[inline]
    pub fn set(&self, v: u32) {
        self.value.store(v, Ordering::SeqCst);
        self.wake_sleepers();
    }

    /// Move the value on by one (an event counter) and wake sleepers. Unlike
    /// `set` it cannot lose a concurrent bump: every caller changes the value.
    #[inline]
    pub fn bump(&self) {
        self.value.fetch_add(1, Ordering::SeqCst);
        self.wake_sleepers();
    }

    /// Wake every parked waiter without changing the value (they re-check
    /// their condition; used when new tasks appear for barrier waiters).
    #[inline]
    pub fn wake_sleepers(&self) {
        if self.sleepers.load(Ordering::SeqCst) != 0 {
            futex_wake_all(&self.value);
        }
    }

    /// Wake at most one parked waiter without changing the value: for news
    /// that any single waiter can act on (one new task for barrier waiters,
    /// who may each run any task and each release the barrier). Free when
    /// nobody sleeps, like `wake_sleepers`.
    #[inline]
    pub fn wake_one(&self) {
        if self.sleepers.load(Ordering::SeqCst) != 0 {
            futex_wake(&self.value, 1);
        }
    }

    /// Wait until the value differs from `old`. `idle` is called between
    /// checks; it returns true when it did useful work (e.g. ran a task),
    /// which restarts the spin budget.
    #[inline]
    pub fn wait_while(&self, old: u32, policy: SpinPolicy, idle: impl FnMut() -> bool) {
        self.wait_while_or(old, policy, idle, || false);
    }

    /// `wait_while` that also ends, returning true, as soon as `stop()`
    /// holds (cancellation). `stop` must read with SeqCst loads, and whoever
    /// makes it true must call `wake_sleepers` afterwards: a parker re-checks
    /// `stop` after announcing itself in `sleepers`, as it does the value.
    #[inline]
    pub fn wait_while_or(&self, old: u32, policy: SpinPolicy, mut idle: impl FnMut() -> bool, stop: impl Fn() -> bool) -> bool {
        let mut spins: u64 = 0;
        let mut yields: u32 = 0;
        loop {
            if self.value.load(Ordering::Acquire) != old {
                return false;
            }
            if stop() {
                return true;
            }
            if idle() {
                spins = 0;
                yields = 0;
                continue;
            }
            if spins < policy.spins {
                spins += 1;
                std::hint::spin_loop();
            } else if yields < policy.yields {
                yields += 1;
                // SAFETY: sched_yield has no preconditions.
                unsafe { libc::sched_yield() };
            } else {
                self.sleepers.fetch_add(1, Ordering::SeqCst);
                if self.value.load(Ordering::SeqCst) == old && !stop() {
                    futex_wait(&self.value, old);
                }
                self.sleepers.fetch_sub(1, Ordering::SeqCst);
            }
        }
    }
}

/// Park while `*word == expected` (spurious returns are fine: callers loop).
pub fn futex_wait(word: &AtomicU32, expected: u32) {
    // SAFETY: FUTEX_WAIT_PRIVATE on a live, aligned u32 owned by `word`; a
    // null timeout means no deadline. The kernel re-checks the value.
    unsafe {
        libc::syscall(
            libc::SYS_futex,
            word.as_ptr(),
            libc::FUTEX_WAIT | libc::FUTEX_PRIVATE_FLAG,
            expected,
            std::ptr::null::<libc::timespec>(),
        );
    }
}

/// Wake up to `n` threads parked on `word`.
pub fn futex_wake(word: &AtomicU32, n: i32) {
    // SAFETY: FUTEX_WAKE_PRIVATE only reads the address as a key.
    unsafe {
        libc::syscall(libc::SYS_futex, word.as_ptr(), libc::FUTEX_WAKE | libc::FUTEX_PRIVATE_FLAG, n);
    }
}

pub fn futex_wake_all(word: &AtomicU32) {
    futex_wake(word, i32::MAX);
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn parked_waiter_is_woken() {
        let f = Arc::new(Futex::new(0));
        let f2 = f.clone();
        let t = std::thread::spawn(move || f2.wait_while(0, SpinPolicy { spins: 0, yields: 0 }, || false));
        std::thread::sleep(std::time::Duration::from_millis(20));
        f.set(1);
        t.join().unwrap();
        assert_eq!(f.load(), 1);
    }

    #[test]
    fn wake_one_wakes_a_parked_waiter() {
        let f = Arc::new(Futex::new(0));
        let f2 = f.clone();
        // The waiter's idle work appears only after the wake-up: it must
        // have been woken to see it.
        let work = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let w2 = work.clone();
        let t = std::thread::spawn(move || {
            f2.wait_while(0, SpinPolicy { spins: 0, yields: 0 }, || {
                if w2.swap(false, Ordering::SeqCst) {
                    f2.value.store(1, Ordering::SeqCst);
                    return true;
                }
                false
            })
        });
        while f.sleepers.load(Ordering::SeqCst) == 0 {
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        work.store(true, Ordering::SeqCst);
        // A wake-up sent between the waiter's announcement and its
        // futex_wait is lost (the value did not change): send until it ran.
        while !t.is_finished() {
            f.wake_one();
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        t.join().unwrap();
        assert_eq!(f.load(), 1);
    }

    #[test]
    fn idle_work_runs_while_waiting() {
        let f = Futex::new(0);
        let mut calls = 0;
        f.wait_while(0, SpinPolicy { spins: 10, yields: 0 }, || {
            calls += 1;
            if calls == 5 {
                f.set(7);
            }
            true
        });
        assert_eq!(calls, 5);
    }
}
