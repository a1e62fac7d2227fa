//! The atomics of the wake-up protocols. Under `--cfg loom` they are loom's,
//! so the model checker explores every interleaving of the code that ships
//! (sleep/, barrier.rs, task/counts.rs); elsewhere they are std's.

#[cfg(loom)]
pub use loom::sync::atomic::{fence, AtomicBool, AtomicU32, AtomicU64};
#[cfg(not(loom))]
pub use std::sync::atomic::{fence, AtomicBool, AtomicU32, AtomicU64};

/// Give the CPU away (a loom model switches threads here).
#[inline]
pub fn yield_now() {
    #[cfg(loom)]
    loom::thread::yield_now();
    #[cfg(not(loom))]
    std::thread::yield_now();
}
