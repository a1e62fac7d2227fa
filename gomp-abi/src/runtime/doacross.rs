//! Doacross loops (`ordered(n)` with `depend(sink: ...)` / `depend(source)`).
//!
//! GCC workshares the outermost of the `n` ordered loops over logical
//! iteration numbers `0..counts[0]` (collapsed loops are already folded into
//! it) and runs the inner `n-1` loops sequentially inside each iteration. An
//! iteration vector `(i0, i1, ..)` is flattened to `i0*P + i1*S1 + ..`
//! (row-major; P = product of the inner counts). The flattened numbers are
//! below the loop's total number of iterations, which any loop that runs to
//! completion keeps far below 2^64.
//!
//! # Protocol
//! Progress is kept per *entry*, a run of outer iterations that one thread
//! executes in order: a chunk of the dynamic / chunked static schedules
//! (their chunks start at multiples of `chunk`), a thread's block in the
//! blocked static schedule, a single outer iteration for guided. An entry
//! has one writer (the thread owning that chunk), whose posts are in
//! increasing flattened order, so `entry = 1 + last posted` (SeqCst store,
//! then `EventCount::notify`) means every iteration of the entry up to it is
//! done. `wait(v)` returns once `entry(v0) > flat(v)`; a sink outside the
//! iteration space returns at once. Lexicographically earlier iterations
//! than the waiter's own are owned by threads that never wait for it (the
//! sink relation is acyclic), so some thread can always progress.
//! The entry table and the shape (any number of loops) are written by the
//! initialiser into the slot's buffers from earlier loops (allocation only
//! when they must grow); posts and waits allocate nothing.

use std::cell::UnsafeCell;
use std::sync::atomic::{AtomicU64, Ordering};

use super::sleep::EventCount;
use super::spin_policy;
use super::workshare::Kind;

/// The nest's shape: one count and one flattening weight per loop, in
/// buffers reused by later nests (any depth; they grow only when a nest is
/// deeper than every earlier one in this slot).
#[derive(Default)]
struct Shape {
    counts: Vec<u64>,
    /// Flattening weight of each dimension.
    strides: Vec<u64>,
    /// How outer iterations map to entries.
    map: EntryMap,
}

#[derive(Clone, Copy, Default)]
enum EntryMap {
    #[default]
    PerIteration,
    Chunk(u64),
    Block { n: u64, nthreads: u64 },
}

impl EntryMap {
    fn entry(&self, i: u64) -> usize {
        match *self {
            EntryMap::PerIteration => i as usize,
            EntryMap::Chunk(c) => (i / c) as usize,
            EntryMap::Block { n, nthreads } => {
                let q = n / nthreads;
                let t = n % nthreads;
                if i < t * (q + 1) {
                    (i / (q + 1)) as usize
                } else {
                    (t + (i - t * (q + 1)) / q) as usize
                }
            }
        }
    }
}

#[derive(Default)]
pub struct Deps {
    shape: UnsafeCell<Shape>,
    entries: UnsafeCell<Vec<AtomicU64>>,
    ev: EventCount,
}

// SAFETY: `shape` and `entries` (the Vec itself) are written only by the
// work share's initialiser before the slot is published and only read while
// it is open (see workshare.rs); the entries are atomics.
unsafe impl Sync for Deps {}

impl Deps {
    /// Initialiser only: a doacross nest with these loop counts (outermost
    /// first, at least one), workshared with `kind`/`chunk` over the first
    /// count among `nthreads` threads.
    pub fn init(&self, counts: impl DoubleEndedIterator<Item = u64>, kind: Kind, chunk: u64, nthreads: u32) {
        // SAFETY: initialiser only, before the slot is published.
        let shape = unsafe { &mut *self.shape.get() };
        shape.counts.clear();
        shape.strides.clear();
        let mut stride = 1u64;
        for count in counts.rev() {
            shape.counts.push(count);
            shape.strides.push(stride);
            stride = stride.saturating_mul(count);
        }
        shape.counts.reverse();
        shape.strides.reverse();
        let n = shape.counts.first().copied().unwrap_or(0);
        let (map, nentries) = match kind {
            Kind::Static if chunk == 0 => {
                let nthreads = u64::from(nthreads.max(1));
                (EntryMap::Block { n, nthreads }, nthreads)
            }
            Kind::Static | Kind::Dynamic => {
                let c = chunk.max(1);
                (EntryMap::Chunk(c), n.div_ceil(c))
            }
            Kind::Guided => (EntryMap::PerIteration, n),
        };
        shape.map = map;
        // SAFETY: initialiser only, before the slot is published.
        let e = unsafe { &mut *self.entries.get() };
        e.clear();
        e.resize_with(nentries as usize, || AtomicU64::new(0));
    }

    fn shape(&self) -> &Shape {
        // SAFETY: read while the slot is open (see the impl Sync comment).
        unsafe { &*self.shape.get() }
    }

    fn entries(&self) -> &[AtomicU64] {
        // SAFETY: as in `shape`.
        unsafe { &*self.entries.get() }
    }

    /// Flattened number of `v`, or None when outside the iteration space.
    fn flatten(&self, v: &[u64]) -> Option<u64> {
        let s = self.shape();
        let mut flat = 0u64;
        for ((&x, &count), &stride) in v.iter().zip(&s.counts).zip(&s.strides) {
            if x >= count {
                return None;
            }
            flat = flat.wrapping_add(x.wrapping_mul(stride));
        }
        Some(flat)
    }

    pub fn ndims(&self) -> usize {
        self.shape().counts.len()
    }

    /// `depend(source)` for the iteration `v` (ndims values).
    pub fn post(&self, v: &[u64]) {
        if let Some(flat) = self.flatten(v) {
            let e = self.shape().map.entry(v[0]);
            self.entries()[e].store(flat + 1, Ordering::SeqCst);
            self.ev.notify_all();
        }
    }

    /// `depend(sink: v)`: wait until iteration `v` posted, or `stop()`.
    pub fn wait(&self, v: &[u64], stop: impl Fn() -> bool) {
        if let Some(flat) = self.flatten(v) {
            let entry = &self.entries()[self.shape().map.entry(v[0])];
            self.ev.wait_until(spin_policy(), || entry.load(Ordering::SeqCst) > flat || stop());
        }
    }

    /// Wake waiters so they re-check their stop condition (cancellation).
    pub fn wake_to_recheck_stop(&self) {
        self.ev.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::workshare::{static_block, static_chunk};

    /// Entries never span two threads' chunks.
    #[test]
    fn entries_follow_chunks() {
        for n in [0u64, 1, 5, 17, 100] {
            for nthreads in [1u64, 2, 3, 7] {
                for chunk in [0u64, 1, 3, 8] {
                    let map = if chunk == 0 { EntryMap::Block { n, nthreads } } else { EntryMap::Chunk(chunk) };
                    for t in 0..nthreads {
                        let mut trip = 0;
                        while let Some((lo, hi)) = static_chunk(n, nthreads, t, chunk, trip) {
                            let e = map.entry(lo);
                            assert!((lo..hi).all(|i| map.entry(i) == e));
                            if chunk == 0 {
                                assert_eq!(e as u64, t);
                                assert_eq!(static_block(n, nthreads, t).0, lo);
                            }
                            trip += 1;
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn post_then_wait_in_two_dims() {
        let d = Deps::default();
        d.init([4, 3].into_iter(), Kind::Dynamic, 1, 2);
        d.post(&[0, 0]);
        d.post(&[0, 1]);
        d.wait(&[0, 1], || false);
        d.wait(&[9, 0], || false); // outside: no wait
        d.wait(&[u64::MAX, 0], || false); // "-1": no wait
        let flag = std::sync::atomic::AtomicBool::new(false);
        std::thread::scope(|s| {
            s.spawn(|| d.wait(&[1, 2], || false));
            s.spawn(|| {
                flag.store(true, Ordering::SeqCst);
                d.post(&[1, 2]);
            });
        });
        assert!(flag.load(Ordering::SeqCst));
    }

    /// Nests of any depth; a shallower nest reuses a deeper one's buffers.
    #[test]
    fn deep_nest_then_shallow() {
        let d = Deps::default();
        let mut counts = vec![1u64; 61];
        counts[0] = 3;
        counts[60] = 2;
        d.init(counts.iter().copied(), Kind::Static, 0, 2);
        assert_eq!(d.ndims(), 61);
        let mut v = vec![0u64; 61];
        d.post(&v);
        v[60] = 1;
        d.post(&v);
        d.wait(&v, || false);
        v[0] = 1;
        v[5] = 1; // outside (count 1): no wait
        d.wait(&v, || false);
        d.init([5u64].into_iter(), Kind::Guided, 1, 2);
        assert_eq!(d.ndims(), 1);
        d.post(&[4]);
        d.wait(&[4], || false);
    }
}
