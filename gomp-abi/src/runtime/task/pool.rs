//! Per-thread free lists: task descriptors and taskgroups are recycled
//! instead of going through the allocator for every task.
//!
//! # Protocol
//! A descriptor is returned by whichever thread drops its last reference
//! (see `Task` in mod.rs), into *that* thread's list; `get` takes from the
//! calling thread's list. Lists are thread-local (no atomics, no lock) and
//! capped at `CAP` entries, beyond which memory goes back to the allocator,
//! so a thread that only consumes tasks produced elsewhere cannot hoard.
//! Recursive patterns (a thread runs the children it spawned) reuse the same
//! few descriptors; a pure producer/consumer pair still allocates on the
//! producer side once its list is empty (throttling makes producers run
//! tasks themselves, which refills their list).
//! During thread exit (TLS destruction) `put` frees and `get` allocates.

use std::cell::RefCell;
use std::thread::LocalKey;

const CAP: usize = 4096;

pub type List<T> = RefCell<Vec<Box<T>>>;

/// Take a recycled value, or a fresh one from `make`.
pub fn get<T: 'static>(key: &'static LocalKey<List<T>>, make: impl FnOnce() -> T) -> Box<T> {
    key.try_with(|l| l.borrow_mut().pop()).ok().flatten().unwrap_or_else(|| Box::new(make()))
}

/// Give a value back to the calling thread's list (or free it).
pub fn put<T: 'static>(key: &'static LocalKey<List<T>>, b: Box<T>) {
    // If the list is gone (thread exit) the closure is dropped unrun, and
    // with it the box.
    let _ = key.try_with(move |l| {
        let mut l = l.borrow_mut();
        if l.len() < CAP {
            l.push(b);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    thread_local!(static L: List<u64> = const { RefCell::new(Vec::new()) });

    #[test]
    fn recycles_and_caps() {
        let a = get(&L, || 1);
        let pa = &*a as *const u64;
        put(&L, a);
        let b = get(&L, || 2);
        assert_eq!(&*b as *const u64, pa, "the freed box is reused");
        assert_eq!(*b, 1);
        for _ in 0..CAP + 10 {
            put(&L, Box::new(0));
        }
        assert_eq!(L.with(|l| l.borrow().len()), CAP);
    }
}
