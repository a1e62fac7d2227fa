//! Iteration math and schedules: a loop as iteration numbers, and the
//! chunks each schedule hands out. No state of its own beyond the one
//! counter (`next`) that dynamic and guided claims share.
//!
//! # Iteration spaces
//! GCC hands us `for (v = start; v < end (or > end); v += incr)` over `long`
//! or `unsigned long long`. `Space` turns both into iteration numbers
//! `0..n` (u64) plus the bits of start/end/incr; every schedule hands out
//! ranges of iteration numbers and `Space::bounds` maps them back with
//! wrapping two's-complement arithmetic, which is exact for both types. The
//! last chunk ends at GCC's own `end`, so `start + n*incr` (which may
//! overflow near the type limits) is never formed.
//!
//! # Dispatch (one generic dispatcher for both types)
//! - static: computed from (tid, nthreads, trip) alone, no shared write.
//! - dynamic: one `fetch_add(chunk)` on the work share's `next` counter per
//!   chunk. After `next` passes `n` each thread adds at most once more (GCC
//!   stops calling *_next after a false), so `next <= n + (nthreads+1)*chunk`;
//!   when that could overflow u64 the same claim is made with a CAS loop.
//! - guided: one CAS per chunk on `next` (the size depends on what is left).
//!
//! `next` only hands out numbers; no data is published through it (Relaxed).

use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Static,
    Dynamic,
    Guided,
}

/// A loop normalised to iteration numbers `0..n`; values as raw u64 bits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Space {
    pub start: u64,
    pub end: u64,
    pub incr: u64,
    pub n: u64,
}

impl Space {
    /// `for (v = start; v < end (incr > 0) or v > end (incr < 0); v += incr)` over `long`.
    pub fn signed(start: i64, end: i64, incr: i64) -> Space {
        let n = if incr > 0 && start < end {
            (end.wrapping_sub(start) as u64 - 1) / incr as u64 + 1
        } else if incr < 0 && start > end {
            (start.wrapping_sub(end) as u64 - 1) / incr.unsigned_abs() + 1
        } else {
            0
        };
        Space { start: start as u64, end: end as u64, incr: incr as u64, n }
    }

    /// The same over `unsigned long long`; `up` tells the direction and a
    /// downward `incr` is the two's complement of the step.
    pub fn unsigned(up: bool, start: u64, end: u64, incr: u64) -> Space {
        let n = if up && start < end && incr != 0 {
            (end - start - 1) / incr + 1
        } else if !up && start > end && incr != 0 {
            (start - end - 1) / incr.wrapping_neg() + 1
        } else {
            0
        };
        Space { start, end, incr, n }
    }

    /// `iterations` iterations from 0 by 1 (doacross, sections).
    pub fn count(iterations: u64) -> Space {
        Space { start: 0, end: iterations, incr: 1, n: iterations }
    }

    #[inline]
    pub fn value(&self, idx: u64) -> u64 {
        self.start.wrapping_add(idx.wrapping_mul(self.incr))
    }

    /// (istart, iend) for iterations `lo..hi`.
    #[inline]
    pub fn bounds(&self, lo: u64, hi: u64) -> (u64, u64) {
        (self.value(lo), if hi == self.n { self.end } else { self.value(hi) })
    }
}

/// The static schedule: thread `tid`'s `trip`-th chunk. `chunk == 0` is the
/// blocked schedule (one block per thread; the first `n % nthreads` threads
/// get one iteration more), as GCC's inline code and runtime do.
pub fn static_chunk(n: u64, nthreads: u64, tid: u64, chunk: u64, trip: u64) -> Option<(u64, u64)> {
    if chunk == 0 {
        if trip > 0 {
            return None;
        }
        let (lo, len) = static_block(n, nthreads, tid);
        return (len > 0).then_some((lo, lo + len));
    }
    let k = trip.checked_mul(nthreads)?.checked_add(tid)?;
    let lo = k.checked_mul(chunk)?;
    (lo < n).then(|| (lo, lo + chunk.min(n - lo)))
}

/// (first iteration, length) of `tid`'s block in the blocked static schedule.
#[inline]
pub fn static_block(n: u64, nthreads: u64, tid: u64) -> (u64, u64) {
    let q = n / nthreads;
    let t = n % nthreads;
    if tid < t {
        (tid * (q + 1), q + 1)
    } else {
        (tid * q + t, q)
    }
}

/// Claim the next dynamic chunk from `next`.
#[inline]
pub fn dynamic_chunk(next: &AtomicU64, n: u64, chunk: u64, fetch_add: bool) -> Option<(u64, u64)> {
    if fetch_add {
        let lo = next.fetch_add(chunk, Ordering::Relaxed);
        return (lo < n).then(|| (lo, lo + chunk.min(n - lo)));
    }
    let mut lo = next.load(Ordering::Relaxed);
    loop {
        if lo >= n {
            return None;
        }
        let hi = lo + chunk.min(n - lo);
        match next.compare_exchange_weak(lo, hi, Ordering::Relaxed, Ordering::Relaxed) {
            Ok(_) => return Some((lo, hi)),
            Err(v) => lo = v,
        }
    }
}

/// Size of the next guided chunk when `remaining` iterations are left:
/// remaining/nthreads rounded up, at least `chunk`, at most what is left.
#[inline]
pub fn guided_size(remaining: u64, nthreads: u64, chunk: u64) -> u64 {
    remaining.div_ceil(nthreads).max(chunk).min(remaining)
}

#[inline]
pub fn guided_chunk(next: &AtomicU64, n: u64, nthreads: u64, chunk: u64) -> Option<(u64, u64)> {
    let mut lo = next.load(Ordering::Relaxed);
    loop {
        if lo >= n {
            return None;
        }
        let hi = lo + guided_size(n - lo, nthreads, chunk);
        match next.compare_exchange_weak(lo, hi, Ordering::Relaxed, Ordering::Relaxed) {
            Ok(_) => return Some((lo, hi)),
            Err(v) => lo = v,
        }
    }
}

/// A loop as the entry points describe it, before the team size is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoopSpec {
    pub space: Space,
    pub kind: Kind,
    pub chunk: u64,
    pub ordered: bool,
}

impl LoopSpec {
    pub fn share(&self, nthreads: u32) -> LoopShare {
        LoopShare::new(self.space, self.kind, self.chunk, nthreads, self.ordered)
    }
}

/// What a loop work share hands out; fixed while the slot is open.
#[derive(Clone, Copy, Debug)]
pub struct LoopShare {
    pub space: Space,
    pub kind: Kind,
    /// Iterations per chunk (0 = blocked static).
    pub chunk: u64,
    pub nthreads: u32,
    /// Dynamic claims may use fetch_add (see the module comment).
    pub fetch_add: bool,
    /// The loop has an ordered clause: chunks pass the ordered baton.
    pub ordered: bool,
}

impl LoopShare {
    pub fn new(space: Space, kind: Kind, chunk: u64, nthreads: u32, ordered: bool) -> LoopShare {
        let chunk = if kind == Kind::Static { chunk } else { chunk.max(1) };
        let fetch_add = (u64::from(nthreads) + 1)
            .checked_mul(chunk)
            .and_then(|x| x.checked_add(space.n))
            .is_some();
        LoopShare { space, kind, chunk, nthreads, fetch_add, ordered }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator (xorshift) for the randomised tests.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, m: u64) -> u64 {
            self.next() % m
        }
    }

    /// Values the loop `for (v = start; v <op> end; v += incr)` takes,
    /// computed the naive way (i128 to stay exact), at most `cap`.
    fn naive_signed(start: i64, end: i64, incr: i64, cap: usize) -> Vec<i64> {
        let mut out = Vec::new();
        let mut v = start as i128;
        while out.len() < cap && ((incr > 0 && v < end as i128) || (incr < 0 && v > end as i128)) {
            out.push(v as i64);
            v += incr as i128;
        }
        out
    }

    /// Walk the chunks of a loop the way GCC's code does and collect the values.
    fn run_chunks(space: Space, signed: bool, mut chunks: impl FnMut() -> Option<(u64, u64)>) -> Vec<u64> {
        let mut seen = Vec::new();
        while let Some((lo, hi)) = chunks() {
            let (is, ie) = space.bounds(lo, hi);
            let mut v = is;
            let below = |v: u64| {
                if signed {
                    if (space.incr as i64) > 0 {
                        (v as i64) < ie as i64
                    } else {
                        (v as i64) > ie as i64
                    }
                } else if (space.incr as i64) > 0 {
                    v < ie
                } else {
                    v > ie
                }
            };
            // The generated code runs while v is below iend, and never
            // steps past the type's range inside a chunk.
            let mut k = lo;
            while k < hi {
                assert!(below(v), "value {v} of chunk {lo}..{hi} is not before iend {ie}");
                seen.push(v);
                v = v.wrapping_add(space.incr);
                k += 1;
            }
            if hi == space.n {
                assert!(!below(v) || hi - lo == 0 || space.n == 0, "iend does not stop the last chunk");
            }
        }
        seen
    }

    #[test]
    fn counts_match_naive_loops() {
        let mut r = Rng(0x9e3779b97f4a7c15);
        for _ in 0..2000 {
            let start = r.below(200) as i64 - 100;
            let end = r.below(200) as i64 - 100;
            let incr = (r.below(9) as i64 + 1) * if r.below(2) == 0 { 1 } else { -1 };
            let s = Space::signed(start, end, incr);
            assert_eq!(s.n as usize, naive_signed(start, end, incr, 1000).len(), "{start} {end} {incr}");
        }
    }

    #[test]
    fn near_limit_bounds() {
        let s = Space::signed(i64::MIN, i64::MAX, 1);
        assert_eq!(s.n, u64::MAX);
        let s = Space::signed(0, i64::MAX, 2);
        assert_eq!(s.n, 1 << 62);
        assert_eq!(s.bounds(s.n - 1, s.n), ((i64::MAX - 1) as u64, i64::MAX as u64));
        let s = Space::signed(i64::MAX, i64::MIN, -3);
        assert_eq!(s.n, (u64::MAX - 1) / 3 + 1);
        let s = Space::unsigned(true, 0, u64::MAX, 1);
        assert_eq!(s.n, u64::MAX);
        let s = Space::unsigned(false, u64::MAX, 0, 7u64.wrapping_neg());
        assert_eq!(s.n, (u64::MAX - 1) / 7 + 1);
        assert_eq!(s.bounds(s.n - 1, s.n).1, 0);
        assert_eq!(Space::unsigned(true, 5, 5, 1).n, 0);
        assert_eq!(Space::signed(5, 4, 1).n, 0);
    }

    /// Every schedule hands out each iteration of random loops exactly once.
    #[test]
    fn every_schedule_covers_exactly_once() {
        let mut r = Rng(12345);
        for case in 0..600 {
            let nthreads = r.below(7) + 1;
            let chunk = [0, 1, 2, 3, 7, 64, 1000, u64::MAX / 2][r.below(8) as usize];
            let (space, signed) = if r.below(2) == 0 {
                let start = r.below(4000) as i64 - 2000;
                let span = r.below(3000) as i64;
                let incr = (r.below(13) as i64 + 1) * if r.below(2) == 0 { 1 } else { -1 };
                let end = if incr > 0 { start + span } else { start - span };
                (Space::signed(start, end, incr), true)
            } else {
                let base = if r.below(2) == 0 { 0 } else { u64::MAX - 5000 };
                let a = base + r.below(2500);
                let b = base + r.below(2500);
                let incr = r.below(11) + 1;
                if a <= b {
                    (Space::unsigned(true, a, b, incr), false)
                } else {
                    (Space::unsigned(false, a, b, incr.wrapping_neg()), false)
                }
            };
            let expected: Vec<u64> = (0..space.n).map(|i| space.value(i)).collect();
            for kind in [Kind::Static, Kind::Dynamic, Kind::Guided] {
                let share = LoopShare::new(space, kind, chunk, nthreads as u32, false);
                let next = AtomicU64::new(0);
                let mut all = Vec::new();
                // Threads take turns in a random order (any interleaving of
                // claims is some sequential order of the atomics).
                let mut trips = vec![0u64; nthreads as usize];
                let mut done = vec![false; nthreads as usize];
                while done.iter().any(|d| !d) {
                    let t = r.below(nthreads) as usize;
                    if done[t] {
                        continue;
                    }
                    let got = match kind {
                        Kind::Static => static_chunk(space.n, nthreads, t as u64, share.chunk, trips[t]),
                        Kind::Dynamic => dynamic_chunk(&next, space.n, share.chunk, share.fetch_add),
                        Kind::Guided => guided_chunk(&next, space.n, nthreads, share.chunk),
                    };
                    trips[t] += 1;
                    match got {
                        None => done[t] = true,
                        Some(c) => {
                            let mut once = Some(c);
                            all.extend(run_chunks(space, signed, || once.take()));
                        }
                    }
                }
                all.sort_unstable();
                let mut want = expected.clone();
                want.sort_unstable();
                assert_eq!(all, want, "case {case} {kind:?} chunk {chunk} nthreads {nthreads} {space:?}");
            }
        }
    }

    #[test]
    fn blocked_static_matches_gcc_split() {
        // 10 iterations, 4 threads: 3,3,2,2
        let got: Vec<_> = (0..4).map(|t| static_chunk(10, 4, t, 0, 0)).collect();
        assert_eq!(got, vec![Some((0, 3)), Some((3, 6)), Some((6, 8)), Some((8, 10))]);
        assert_eq!(static_chunk(2, 4, 3, 0, 0), None);
        assert_eq!(static_chunk(10, 4, 0, 0, 1), None);
    }

    #[test]
    fn guided_chunks_shrink() {
        let next = AtomicU64::new(0);
        let sizes: Vec<u64> = std::iter::from_fn(|| guided_chunk(&next, 100, 4, 3).map(|(a, b)| b - a)).collect();
        assert_eq!(sizes.iter().sum::<u64>(), 100);
        assert!(sizes.windows(2).all(|w| w[0] >= w[1]));
        assert_eq!(sizes[0], 25);
        assert!(sizes.iter().rev().skip(1).all(|&s| s >= 3), "chunks below the minimum before the last");
    }

    #[test]
    fn fetch_add_only_when_overshoot_fits() {
        assert!(LoopShare::new(Space::count(1000), Kind::Dynamic, 10, 4, false).fetch_add);
        assert!(!LoopShare::new(Space::unsigned(true, 0, u64::MAX, 1), Kind::Dynamic, 10, 4, false).fetch_add);
        // The CAS path still covers the space near the top.
        let next = AtomicU64::new(u64::MAX - 25);
        let got: Vec<_> = std::iter::from_fn(|| dynamic_chunk(&next, u64::MAX, 10, false)).collect();
        assert_eq!(got.last(), Some(&(u64::MAX - 5, u64::MAX)));
    }
}
