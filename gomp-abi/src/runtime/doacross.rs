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
    /// One done-bit per iteration of the whole nest (`init_bits`).
    Bits,
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
            EntryMap::Bits => unreachable!("bit entries are indexed by flattened iteration"),
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
        let n = self.set_shape(counts);
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
        self.set_entries(map, nentries);
    }

    /// Initialiser only: a nest whose schedule is unknown, whose outer
    /// iterations may even be split among threads (LLVM's ABI, where a
    /// `collapse` folds outer ordered loops into the workshared one): one
    /// done-bit per iteration, set by `post`, read by `wait`.
    pub fn init_bits(&self, counts: impl DoubleEndedIterator<Item = u64>) {
        self.set_shape(counts);
        let total = self.shape().counts.iter().fold(1u64, |a, &c| a.saturating_mul(c));
        self.set_entries(EntryMap::Bits, total.div_ceil(64));
    }

    /// The counts and flattening weights; returns the outermost count.
    fn set_shape(&self, counts: impl DoubleEndedIterator<Item = u64>) -> u64 {
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
        shape.counts.first().copied().unwrap_or(0)
    }

    fn set_entries(&self, map: EntryMap, nentries: u64) {
        // SAFETY: initialiser only, before the slot is published.
        unsafe { (*self.shape.get()).map = map };
        // SAFETY: as above.
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
            match self.shape().map {
                EntryMap::Bits => {
                    self.entries()[(flat / 64) as usize].fetch_or(1 << (flat % 64), Ordering::SeqCst);
                }
                map => self.entries()[map.entry(v[0])].store(flat + 1, Ordering::SeqCst),
            }
            self.ev.notify_all();
        }
    }

    /// `depend(sink: v)`: wait until iteration `v` posted, or `stop()`.
    pub fn wait(&self, v: &[u64], stop: impl Fn() -> bool) {
        if let Some(flat) = self.flatten(v) {
            // Bits: the iteration's bit; otherwise its entry passed `flat`.
            let (cell, bit) = match self.shape().map {
                EntryMap::Bits => (&self.entries()[(flat / 64) as usize], 1u64 << (flat % 64)),
                map => (&self.entries()[map.entry(v[0])], 0),
            };
            let done = || {
                let x = cell.load(Ordering::SeqCst);
                if bit != 0 {
                    x & bit != 0
                } else {
                    x > flat
                }
            };
            self.ev.wait_until(spin_policy(), || done() || stop());
        }
    }

    /// Wake waiters so they re-check their stop condition (cancellation).
    pub fn wake_to_recheck_stop(&self) {
        self.ev.notify_all();
    }
}

/// LLVM's doacross nests (`__kmpc_doacross_*`): the compiler describes
/// the nest by its loops' bounds (`lo..=up` by `st`) before the loop that
/// workshares it starts, and names iterations by the loop variables'
/// values. The nest gets a construct of its own beside the loop's
/// (`workshare::begin_aside`), with a done-bit per iteration (`init_bits`):
/// the schedule is not known yet, and a `collapse` may split outer
/// iterations among threads.
pub mod llvm {
    use std::cell::RefCell;

    use crate::runtime::cancel::team_cancelled;
    use crate::runtime::team::ThreadState;
    use crate::runtime::workshare::{begin_aside, end_aside, Kind, LoopShare, Space, WorkShare};

    /// `struct kmp_dim`. Clang 14 passes `lo` 0, `st` 1 and `up` the
    /// number of iterations, and names iterations by their number: so `up`
    /// is taken as exclusive (libomp reads it as inclusive, which only
    /// adds an iteration nobody posts; with 61 loops that doubles the
    /// table 61 times).
    #[repr(C)]
    #[derive(Clone, Copy, Debug)]
    pub struct Dim {
        pub lo: i64,
        pub up: i64,
        pub st: i64,
    }

    impl Dim {
        /// Iterations of this loop: `lo`, `lo + st`, ... short of `up`.
        pub fn count(&self) -> u64 {
            let (lo, up, st) = (i128::from(self.lo), i128::from(self.up), i128::from(self.st));
            let span = if st < 0 { lo - up } else { up - lo };
            if span <= 0 {
                0
            } else {
                ((span + st.abs().max(1) - 1) / st.abs().max(1)) as u64
            }
        }

        /// Iteration number of the value `x` (u64::MAX: outside the loop).
        pub fn iteration(&self, x: i64) -> u64 {
            let (lo, x, st) = (i128::from(self.lo), i128::from(x), i128::from(self.st));
            let off = if st < 0 { lo - x } else { x - lo };
            let i = off / st.abs().max(1);
            if off < 0 || i as u128 >= u128::from(self.count()) {
                u64::MAX
            } else {
                i as u64
            }
        }
    }

    struct Nest {
        slot: *const WorkShare,
        pos: u64,
        dims: Vec<Dim>,
    }

    crate::runtime::tls::lasting! {
        /// Open nests of this thread, innermost last.
        static NESTS: RefCell<Vec<Nest>> = RefCell::new(Vec::new());
    }

    /// `__kmpc_doacross_init`.
    pub fn init(ts: &ThreadState, dims: &[Dim]) {
        let Some(first) = dims.first() else { return };
        let n = first.count();
        let entered = begin_aside(ts, |slot, nthreads| {
            slot.init_loop(LoopShare::new(Space::count(n), Kind::Guided, 1, nthreads, false));
            slot.deps.init_bits(dims.iter().map(Dim::count));
        });
        if let Some((slot, pos)) = entered {
            NESTS.with(|v| v.borrow_mut().push(Nest { slot, pos, dims: dims.to_vec() }));
        }
    }

    /// The innermost nest's slot and `vec` as iteration numbers.
    ///
    /// # Safety
    /// `vec` holds one value per loop of the innermost nest.
    unsafe fn with_nest(vec: *const i64, f: impl FnOnce(&WorkShare, &[u64])) {
        let found = NESTS.with(|v| {
            v.borrow().last().map(|nest| {
                // SAFETY: per the contract.
                let vals = unsafe { std::slice::from_raw_parts(vec, nest.dims.len()) };
                (nest.slot, nest.dims.iter().zip(vals).map(|(d, &x)| d.iteration(x)).collect::<Vec<u64>>())
            })
        });
        if let Some((slot, iters)) = found {
            // SAFETY: the slot stays valid until `fini` leaves it.
            f(unsafe { &*slot }, &iters);
        }
    }

    /// `__kmpc_doacross_wait` (`depend(sink: vec)`).
    ///
    /// # Safety
    /// As `with_nest`.
    pub unsafe fn wait(ts: &ThreadState, vec: *const i64) {
        let team = ts.team();
        // SAFETY: per the contract.
        unsafe { with_nest(vec, |ws, v| ws.deps.wait(v, || team.is_some_and(team_cancelled))) }
    }

    /// `__kmpc_doacross_post` (`depend(source)`).
    ///
    /// # Safety
    /// As `with_nest`.
    pub unsafe fn post(vec: *const i64) {
        // SAFETY: per the contract.
        unsafe { with_nest(vec, |ws, v| ws.deps.post(v)) }
    }

    /// `__kmpc_doacross_fini`.
    pub fn fini(ts: &ThreadState) {
        if let Some(nest) = NESTS.with(|v| v.borrow_mut().pop()) {
            end_aside(ts, nest.pos);
        }
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

    /// Bit entries: any thread may post any iteration, in any order.
    #[test]
    fn bits_for_split_outer_iterations() {
        let d = Deps::default();
        d.init_bits([2u64, 70].into_iter());
        d.post(&[0, 69]);
        d.wait(&[0, 69], || false);
        d.post(&[1, 3]);
        d.wait(&[1, 3], || false);
        let waited = std::sync::atomic::AtomicBool::new(false);
        std::thread::scope(|s| {
            s.spawn(|| {
                d.wait(&[0, 5], || false);
                waited.store(true, Ordering::SeqCst);
            });
            s.spawn(|| d.post(&[0, 5]));
        });
        assert!(waited.load(Ordering::SeqCst));
    }

    #[test]
    fn llvm_dims() {
        use super::llvm::Dim;
        // What clang 14 passes: lo 0, st 1, up = the number of iterations.
        let c = Dim { lo: 0, up: 5, st: 1 };
        assert_eq!((c.count(), c.iteration(0), c.iteration(4)), (5, 0, 4));
        assert_eq!((c.iteration(5), c.iteration(-1)), (u64::MAX, u64::MAX));
        let d = Dim { lo: 10, up: 0, st: -3 };
        assert_eq!(d.count(), 4);
        assert_eq!((d.iteration(10), d.iteration(4), d.iteration(1)), (0, 2, 3));
        assert_eq!((d.iteration(13), d.iteration(-2)), (u64::MAX, u64::MAX));
        assert_eq!(Dim { lo: 5, up: 5, st: 1 }.count(), 0);
        assert_eq!(Dim { lo: 0, up: 10, st: 3 }.count(), 4);
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
