//! `__kmpc_for_static_init_*`: the bounds of one thread's share of a loop
//! with a static schedule, computed from the thread's number and the team
//! size alone (no shared state).
//!
//! LLVM passes the loop as inclusive bounds `lower..=upper` stepping by
//! `incr` (negative for a downward loop) in one of four integer types, and
//! gets back in place the thread's own `lower`/`upper`, a `stride` and
//! whether it runs the last iteration. The arithmetic here is exact
//! (`i128`); the entry points convert from and to their type. What each
//! schedule hands out is LLVM's, so that clang-built programs see the same
//! iteration-to-thread mapping on hsomp as on libomp:
//!
//! - `static` (no chunk): libomp's default "greedy" split: blocks of
//!   ceil(trip / nthreads) iterations, the last block shorter; with fewer
//!   iterations than threads, one iteration each. `stride` is the trip count.
//! - `static, chunk`: chunk `tid`, then every nthreads-th chunk; `stride`
//!   advances one round (chunk * incr * nthreads).
//! - `static_balanced_chunked` (`schedule(simd: static)`): one block per
//!   thread, its length rounded up to a multiple of `chunk` (a power of two).
//! - the `distribute` variants split among the teams of a league instead of
//!   the threads of a team.
//!
//! A thread that gets nothing is given an empty range (`lower` past
//! `upper`); the empty range is chosen to stay inside the type, where
//! libomp's `upper + 1` could wrap.

/// LLVM's `sched_type` values that reach the static initialisers (the
/// monotonic/nonmonotonic modifier bits removed).
pub mod sched {
    pub const STATIC_CHUNKED: i32 = 33;
    pub const STATIC: i32 = 34;
    pub const STATIC_BALANCED_CHUNKED: i32 = 45;
    pub const DISTRIBUTE_STATIC_CHUNKED: i32 = 91;
    pub const DISTRIBUTE_STATIC: i32 = 92;
    /// The modifier bits (monotonic 1<<29, nonmonotonic 1<<30).
    pub const MODIFIERS: i32 = (1 << 29) | (1 << 30);
}

/// A loop as LLVM passes it, widened to `i128`: `lower..=upper` by `incr`,
/// and the `chunk` argument.
#[derive(Clone, Copy, Debug)]
pub struct Loop {
    pub lower: i128,
    pub upper: i128,
    pub incr: i128,
    pub chunk: i128,
}

/// One thread's share, as LLVM gets it back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bounds {
    pub lower: i128,
    pub upper: i128,
    pub stride: i128,
    pub last: bool,
}

/// Thread `tid` of `nth`'s share under `schedule` (one of `sched`, without
/// the distribute offset). `min`/`max` are the loop type's limits.
pub fn static_share(schedule: i32, l: Loop, tid: u64, nth: u64, (min, max): (i128, i128)) -> Bounds {
    let Loop { lower, upper, incr, chunk } = l;
    let (tid, nth) = (i128::from(tid), i128::from(nth.max(1)));
    if incr == 0 || (incr > 0 && upper < lower) || (incr < 0 && lower < upper) {
        return Bounds { lower, upper, stride: incr, last: false };
    }
    if nth == 1 {
        let stride = if incr > 0 { upper - lower + 1 } else { -(lower - upper + 1) };
        return Bounds { lower, upper, stride, last: true };
    }
    let trip = (upper - lower) / incr + 1;
    // An empty range inside [min, max] (see the module comment).
    let empty = |stride: i128| {
        let step = incr.signum();
        if (min..=max).contains(&(upper + step)) {
            Bounds { lower: upper + step, upper, stride, last: false }
        } else {
            Bounds { lower: upper, upper: upper - step, stride, last: false }
        }
    };
    // Whether `[lo, ..]` starts past the loop's end.
    let past = |lo: i128| if incr > 0 { lo > upper } else { lo < upper };
    // `hi` moved back to the loop's end if it goes beyond.
    let clip = |hi: i128| if incr > 0 { hi.min(upper) } else { hi.max(upper) };
    match schedule {
        sched::STATIC_CHUNKED => {
            let chunk = chunk.clamp(1, trip);
            let nchunks = (trip + chunk - 1) / chunk;
            let span = chunk * incr;
            let stride = span * nchunks.min(nth);
            let last = tid == (nchunks - 1) % nth;
            if tid >= nchunks {
                return Bounds { last, ..empty(stride) };
            }
            let lo = lower + span * tid;
            Bounds { lower: lo, upper: lo + span - incr, stride, last }
        }
        sched::STATIC_BALANCED_CHUNKED => {
            let chunk = chunk.max(1);
            let per = (trip + nth - 1) / nth;
            let len = (per + chunk - 1) / chunk * chunk;
            let lo = lower + len * incr * tid;
            let last = tid == (trip - 1) / len;
            if past(lo) {
                return Bounds { last, ..empty(trip) };
            }
            Bounds { lower: lo, upper: clip(lo + len * incr - incr), stride: trip, last }
        }
        _ => {
            if trip < nth {
                if tid < trip {
                    let v = lower + tid * incr;
                    return Bounds { lower: v, upper: v, stride: trip, last: tid == trip - 1 };
                }
                return empty(trip);
            }
            let block = (trip + nth - 1) / nth * incr;
            let lo = lower + tid * block;
            if past(lo) {
                return empty(trip);
            }
            let hi = lo + block - incr;
            let last = if incr > 0 { hi > upper - incr } else { hi < upper - incr };
            Bounds { lower: lo, upper: clip(hi), stride: trip, last }
        }
    }
}

/// `distribute parallel for` in one call (`__kmpc_dist_for_static_init_*`):
/// the team's block of the loop (the blocked split among `nteams`), then the
/// thread's share of that block under `schedule`. Returns the thread's
/// share and the team block's upper bound; only the thread with the last
/// iteration of the last team's block is last.
pub fn dist_share(schedule: i32, l: Loop, (team, nteams): (u64, u64), (tid, nth): (u64, u64), limits: (i128, i128)) -> (Bounds, i128) {
    let block = static_share(sched::STATIC, l, team, nteams, limits);
    if (l.incr > 0 && block.lower > block.upper) || (l.incr < 0 && block.lower < block.upper) {
        return (Bounds { last: false, ..block }, block.upper);
    }
    let inner = Loop { lower: block.lower, upper: block.upper, ..l };
    let mine = static_share(schedule, inner, tid, nth, limits);
    (Bounds { last: block.last && mine.last, ..mine }, block.upper)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every iteration the chunks of thread `tid` run, as clang's code runs
    /// them (inner loop lower..=min(upper, end), then advance by stride).
    fn run(schedule: i32, lower: i128, upper: i128, incr: i128, chunk: i128, tid: u64, nth: u64) -> (Vec<i128>, bool) {
        let lim = (i32::MIN as i128, i32::MAX as i128);
        let b = static_share(schedule, Loop { lower, upper, incr, chunk }, tid, nth, lim);
        assert!((lim.0..=lim.1).contains(&b.lower) && (lim.0..=lim.1).contains(&b.upper), "{b:?}");
        let (mut lo, mut hi) = (b.lower, b.upper);
        let mut out = Vec::new();
        let within = |v: i128, hi: i128| if incr > 0 { v <= hi } else { v >= hi };
        loop {
            let hi_c = if incr > 0 { hi.min(upper) } else { hi.max(upper) };
            if !within(lo, hi_c) {
                break;
            }
            let mut v = lo;
            while within(v, hi_c) {
                out.push(v);
                v += incr;
            }
            if schedule != sched::STATIC_CHUNKED {
                break;
            }
            lo += b.stride;
            hi += b.stride;
        }
        (out, b.last)
    }

    /// Brute force: every schedule covers each iteration exactly once, the
    /// thread flagged last runs the last iteration, and exactly one is.
    #[test]
    fn shares_cover_the_loop_once() {
        for schedule in [sched::STATIC, sched::STATIC_CHUNKED, sched::STATIC_BALANCED_CHUNKED] {
            for nth in 1..7u64 {
                for incr in [-7i128, -3, -1, 1, 2, 5] {
                    for trip in 1..40i128 {
                        for chunk in [1i128, 2, 4, 8] {
                            for lower in [-20i128, 0, 13, i32::MAX as i128 - 200] {
                                let upper = lower + (trip - 1) * incr;
                                if upper > i32::MAX as i128 || upper < i32::MIN as i128 {
                                    continue;
                                }
                                let want: Vec<i128> = (0..trip).map(|k| lower + k * incr).collect();
                                let mut got = Vec::new();
                                let mut lasts = 0;
                                for tid in 0..nth {
                                    let (its, last) = run(schedule, lower, upper, incr, chunk, tid, nth);
                                    if last {
                                        lasts += 1;
                                        assert!(its.contains(want.last().unwrap()), "last thread {tid} lacks the last iteration");
                                    }
                                    got.extend(its);
                                }
                                got.sort_unstable();
                                let mut w = want.clone();
                                w.sort_unstable();
                                assert_eq!(got, w, "{schedule} nth {nth} incr {incr} trip {trip} chunk {chunk} lower {lower}");
                                assert_eq!(lasts, 1, "{schedule} nth {nth} incr {incr} trip {trip} chunk {chunk}");
                            }
                        }
                    }
                }
            }
        }
    }

    /// Teams x threads of `distribute parallel for` cover the loop once.
    #[test]
    fn dist_shares_cover_the_loop_once() {
        let lim = (i64::MIN as i128, i64::MAX as i128);
        for schedule in [sched::STATIC, sched::STATIC_CHUNKED] {
            for (nteams, nth) in [(1, 1), (2, 3), (3, 2), (4, 4)] {
                for trip in 1..30i128 {
                    for incr in [-2i128, 1, 3] {
                        let l = Loop { lower: 5, upper: 5 + (trip - 1) * incr, incr, chunk: 2 };
                        let mut got = Vec::new();
                        let mut lasts = 0;
                        for team in 0..nteams {
                            for tid in 0..nth {
                                let (b, upper_d) = dist_share(schedule, l, (team, nteams), (tid, nth), lim);
                                lasts += usize::from(b.last);
                                let within = |v: i128, hi: i128| if incr > 0 { v <= hi } else { v >= hi };
                                let (mut lo, mut hi) = (b.lower, b.upper);
                                while within(lo, if incr > 0 { hi.min(upper_d) } else { hi.max(upper_d) }) {
                                    let end = if incr > 0 { hi.min(upper_d) } else { hi.max(upper_d) };
                                    let mut v = lo;
                                    while within(v, end) {
                                        got.push(v);
                                        v += incr;
                                    }
                                    if schedule != sched::STATIC_CHUNKED {
                                        break;
                                    }
                                    lo += b.stride;
                                    hi += b.stride;
                                }
                            }
                        }
                        got.sort_unstable();
                        let mut want: Vec<i128> = (0..trip).map(|k| 5 + k * incr).collect();
                        want.sort_unstable();
                        assert_eq!(got, want, "{schedule} {nteams}x{nth} trip {trip} incr {incr}");
                        assert_eq!(lasts, 1, "{schedule} {nteams}x{nth} trip {trip} incr {incr}");
                    }
                }
            }
        }
    }

    fn lp(lower: i128, upper: i128, incr: i128) -> Loop {
        Loop { lower, upper, incr, chunk: 0 }
    }

    #[test]
    fn greedy_blocks_as_libomp() {
        // 10 iterations, 4 threads: blocks of 3, 3, 3, 1.
        let lim = (i32::MIN as i128, i32::MAX as i128);
        let got: Vec<_> = (0..4).map(|t| {
            let b = static_share(sched::STATIC, lp(0, 9, 1), t, 4, lim);
            (b.lower, b.upper)
        }).collect();
        assert_eq!(got, vec![(0, 2), (3, 5), (6, 8), (9, 9)]);
        let b = static_share(sched::STATIC, lp(0, 2, 1), 3, 4, lim);
        assert!(b.lower > b.upper && !b.last);
        // An empty share at the very top of the type stays inside it.
        let b = static_share(sched::STATIC, lp(i32::MAX as i128 - 1, i32::MAX as i128, 1), 3, 4, lim);
        assert!(b.lower > b.upper && b.lower <= i32::MAX as i128);
        // Zero-trip loops come back unchanged, not last.
        assert_eq!(static_share(sched::STATIC, lp(5, 4, 1), 0, 4, lim), Bounds { lower: 5, upper: 4, stride: 1, last: false });
    }
}
