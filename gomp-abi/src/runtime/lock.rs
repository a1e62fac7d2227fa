//! A futex mutex in one 32-bit word, small enough to live inside GCC's
//! 4-byte `omp_lock_t` or a named critical section's pointer-sized slot.
//!
//! # Protocol
//! States: 0 free, 1 locked, 2 locked with (possible) sleepers.
//! - lock: CAS 0→1 (Acquire) is the fast path; after a short spin a waiter
//!   swaps in 2 and parks while the word stays 2, so an unlocker knows it
//!   must wake someone.
//! - unlock: swap 0 (Release); a previous value of 2 means a waiter may be
//!   parked, so wake one. The woken thread swaps 2 back in, keeping later
//!   unlocks waking the remaining sleepers.
//!
//! Mutual exclusion: only the thread whose CAS/swap observed 0 owns the lock.

use std::sync::atomic::{AtomicU32, Ordering};

use super::sleep::futex::{futex_wait, futex_wake};

const FREE: u32 = 0;
const LOCKED: u32 = 1;
const CONTENDED: u32 = 2;

/// Spins before a contended locker parks.
const LOCK_SPINS: u32 = 100;

#[repr(transparent)]
#[derive(Default)]
pub struct RawMutex(AtomicU32);

impl RawMutex {
    pub const fn new() -> Self {
        RawMutex(AtomicU32::new(FREE))
    }

    /// View a caller-owned, 4-byte aligned word as a mutex.
    ///
    /// # Safety
    /// `p` must be valid, 4-byte aligned, live for `'a`, and only accessed
    /// through this type while used as a lock.
    pub unsafe fn from_ptr<'a>(p: *mut u32) -> &'a RawMutex {
        // SAFETY: RawMutex is a transparent AtomicU32, which has u32's layout;
        // validity and exclusivity of access are the caller's contract.
        unsafe { &*(p as *const RawMutex) }
    }

    /// Reset to unlocked (omp_init_lock).
    pub fn init(&self) {
        self.0.store(FREE, Ordering::Relaxed);
    }

    #[inline]
    pub fn try_lock(&self) -> bool {
        self.0.compare_exchange(FREE, LOCKED, Ordering::Acquire, Ordering::Relaxed).is_ok()
    }

    #[inline]
    pub fn lock(&self) {
        if !self.try_lock() {
            self.lock_contended();
        }
    }

    #[cold]
    fn lock_contended(&self) {
        for _ in 0..LOCK_SPINS {
            std::hint::spin_loop();
            if self.0.load(Ordering::Relaxed) == FREE && self.try_lock() {
                return;
            }
        }
        while self.0.swap(CONTENDED, Ordering::Acquire) != FREE {
            futex_wait(&self.0, CONTENDED);
        }
    }

    #[inline]
    pub fn unlock(&self) {
        if self.0.swap(FREE, Ordering::Release) == CONTENDED {
            futex_wake(&self.0, 1);
        }
    }

    pub fn is_locked(&self) -> bool {
        self.0.load(Ordering::Relaxed) != FREE
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn excludes_under_contention() {
        struct Shared {
            m: RawMutex,
            n: std::cell::UnsafeCell<u64>,
        }
        // SAFETY: `n` is only touched while `m` is held.
        unsafe impl Sync for Shared {}
        let s = Arc::new(Shared { m: RawMutex::new(), n: 0.into() });
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let s = s.clone();
                std::thread::spawn(move || {
                    for _ in 0..20_000 {
                        s.m.lock();
                        // SAFETY: the mutex is held.
                        unsafe { *s.n.get() += 1 };
                        s.m.unlock();
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        // SAFETY: all threads joined.
        assert_eq!(unsafe { *s.n.get() }, 80_000);
        assert!(s.m.try_lock());
        assert!(!s.m.try_lock());
        s.m.unlock();
    }
}
