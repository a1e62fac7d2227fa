//! The kernel side of parking: Linux futexes, and the model loom checks in
//! their place.
//!
//! `futex_wait(word, expected)` parks only if `*word == expected` at the
//! moment it is queued; `futex_wake` wakes threads queued on the address.
//! The kernel does both under one lock per address, so a wake issued after
//! a change of the word either finds the waiter queued or the waiter sees
//! the change. `Parker` gives `EventCount` that same contract; under loom it
//! is a mutex and a condition variable with the same semantics, so the model
//! checker sees exactly the interleavings the kernel allows.

use std::sync::atomic::AtomicU32 as KernelWord;

/// Park while `*word == expected` (spurious returns are fine: callers loop).
/// True when a `futex_wake` woke it (the kernel returns 0 only then); false
/// when it did not sleep (the word had moved) or a signal interrupted it.
pub fn futex_wait(word: &KernelWord, expected: u32) -> bool {
    // SAFETY: FUTEX_WAIT_PRIVATE on a live, aligned u32 owned by `word`; a
    // null timeout means no deadline. The kernel re-checks the value.
    let r = unsafe {
        libc::syscall(
            libc::SYS_futex,
            word.as_ptr(),
            libc::FUTEX_WAIT | libc::FUTEX_PRIVATE_FLAG,
            expected,
            std::ptr::null::<libc::timespec>(),
        )
    };
    r == 0
}

/// Wake up to `n` threads parked on `word`; returns how many it woke.
pub fn futex_wake(word: &KernelWord, n: i32) -> u32 {
    // SAFETY: FUTEX_WAKE_PRIVATE only uses the address as a key; it never
    // reads or writes the memory.
    let r = unsafe { libc::syscall(libc::SYS_futex, word.as_ptr(), libc::FUTEX_WAKE | libc::FUTEX_PRIVATE_FLAG, n) };
    u32::try_from(r).unwrap_or(0)
}

/// Parks threads on an `AtomicU32` of `runtime::sync` (the kernel needs no
/// state of ours; the loom model does).
#[cfg(not(loom))]
#[derive(Default)]
pub struct Parker;

#[cfg(not(loom))]
impl Parker {
    /// True when woken by `wake_all` (see `futex_wait`).
    #[inline]
    pub fn wait(&self, word: &super::super::sync::AtomicU32, expected: u32) -> bool {
        futex_wait(word, expected)
    }

    /// Returns how many parked threads it woke.
    #[inline]
    pub fn wake_all(&self, word: &super::super::sync::AtomicU32) -> u32 {
        futex_wake(word, i32::MAX)
    }
}

#[cfg(loom)]
#[derive(Default)]
pub struct Parker {
    queue: loom::sync::Mutex<()>,
    parked: loom::sync::Condvar,
}

#[cfg(loom)]
impl Parker {
    /// The kernel's answer is only used for the load estimate, which loom
    /// does not model: always "not woken by a wake".
    pub fn wait(&self, word: &loom::sync::atomic::AtomicU32, expected: u32) -> bool {
        let guard = self.queue.lock().unwrap();
        // The kernel's compare happens under its bucket lock: a wake that
        // follows a change of the word cannot fall between compare and sleep.
        if word.load(std::sync::atomic::Ordering::Relaxed) == expected {
            drop(self.parked.wait(guard).unwrap());
        }
        false
    }

    pub fn wake_all(&self, _word: &loom::sync::atomic::AtomicU32) -> u32 {
        let _guard = self.queue.lock().unwrap();
        self.parked.notify_all();
        0
    }
}
