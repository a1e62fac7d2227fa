//! `__kmpc_dispatch_*`: loops whose chunks are handed out at run time
//! (dynamic, guided, runtime, auto, and every ordered loop), over the same
//! work-share ring and schedules as GOMP_loop_* (runtime/workshare).
//!
//! LLVM's bounds are inclusive (`lb..=ub` by `st`); the work share counts
//! iterations `0..n` and hands back the exclusive end value of a chunk, so a
//! chunk's inclusive upper bound is that end minus `st` (in the loop type's
//! wrapping arithmetic, which is exact).
//!
//! There is no "loop end" call: a thread leaves the work share when
//! `dispatch_next` finds nothing more (clang then emits a separate barrier
//! unless `nowait`), so a fast thread may already be in the next loop while
//! others finish this one; the ring keeps both constructs apart.
//!
//! Ordered loops: `__kmpc_ordered` waits for the ordered baton of the
//! thread's current chunk; the baton passes on when the thread asks for its
//! next chunk (or finds none), so `dispatch_fini` (called by clang after
//! each ordered iteration) has nothing left to do.

use crate::runtime::team::ThreadState;
use crate::runtime::workshare::gomp_loop::runtime_schedule;
use crate::runtime::workshare::{begin, current, end, next, Extras, Kind, LoopSpec, Space};

/// LLVM's `sched_type` values (kmp.h), without the modifier bits.
mod sched {
    pub const STATIC_CHUNKED: i32 = 33;
    pub const STATIC: i32 = 34;
    pub const DYNAMIC_CHUNKED: i32 = 35;
    pub const GUIDED_CHUNKED: i32 = 36;
    pub const RUNTIME: i32 = 37;
    pub const AUTO: i32 = 38;
    pub const TRAPEZOIDAL: i32 = 39;
    pub const STATIC_GREEDY: i32 = 40;
    pub const STATIC_BALANCED: i32 = 41;
    pub const GUIDED_ITERATIVE: i32 = 42;
    pub const GUIDED_ANALYTICAL: i32 = 43;
    pub const STATIC_STEAL: i32 = 44;
    pub const STATIC_BALANCED_CHUNKED: i32 = 45;
    pub const GUIDED_SIMD: i32 = 46;
    pub const RUNTIME_SIMD: i32 = 47;
    /// `ordered` variants are these plus 32 (65..=71).
    pub const ORDERED_OFFSET: i32 = 32;
    /// "nomerge" variants (160..) are the others plus 128.
    pub const NOMERGE_OFFSET: i32 = 128;
}

/// Kind, chunk and ordered-ness for LLVM's `schedule` argument.
fn resolve(ts: &ThreadState, schedule: i32, chunk: i128) -> (Kind, u64, bool) {
    let mut s = schedule & !super::static_sched::sched::MODIFIERS;
    if s >= 160 {
        s -= sched::NOMERGE_OFFSET;
    }
    let ordered = (65..=72).contains(&s);
    if ordered {
        s -= sched::ORDERED_OFFSET;
    }
    let chunk = chunk.clamp(0, i128::from(u64::MAX)) as u64;
    let (kind, chunk) = match s {
        sched::STATIC_CHUNKED | sched::STATIC_BALANCED_CHUNKED => (Kind::Static, chunk.max(1)),
        sched::STATIC | sched::STATIC_GREEDY | sched::STATIC_BALANCED | sched::AUTO => (Kind::Static, 0),
        sched::DYNAMIC_CHUNKED | sched::TRAPEZOIDAL | sched::STATIC_STEAL => (Kind::Dynamic, chunk.max(1)),
        sched::GUIDED_CHUNKED | sched::GUIDED_ITERATIVE | sched::GUIDED_ANALYTICAL | sched::GUIDED_SIMD => {
            (Kind::Guided, chunk.max(1))
        }
        sched::RUNTIME | sched::RUNTIME_SIMD => runtime_schedule(ts.cur().icv.run_sched),
        other => {
            eprintln!("hsomp: unknown __kmpc_dispatch_init schedule {other}; using dynamic");
            (Kind::Dynamic, 1)
        }
    };
    (kind, chunk, ordered)
}

/// The iteration space of `lb..=ub` by `st` (exact; a span of 2^64
/// iterations, only possible for 64-bit loops over the whole type, is cut
/// to 2^64 - 1).
pub fn inclusive_space(lb: i128, ub: i128, st: i128) -> Space {
    let n = if st > 0 && lb <= ub {
        (ub - lb) / st + 1
    } else if st < 0 && lb >= ub {
        (lb - ub) / -st + 1
    } else {
        0
    };
    let n = n.min(i128::from(u64::MAX)) as u64;
    let start = lb as u64;
    let incr = st as u64;
    Space { start, end: start.wrapping_add(n.wrapping_mul(incr)), incr, n }
}

/// `__kmpc_dispatch_init_*`: enter the loop's work share.
pub fn init(ts: &ThreadState, schedule: i32, lb: i128, ub: i128, st: i128, chunk: i128) {
    let (kind, chunk, ordered) = resolve(ts, schedule, chunk);
    let spec = LoopSpec { space: inclusive_space(lb, ub, st), kind, chunk, ordered };
    begin(ts, Extras::NONE, |slot, n| slot.init_loop(spec.share(n)));
}

/// A chunk as `dispatch_next` returns it: first and last values (as bits),
/// and whether it holds the loop's last iteration.
pub struct Chunk {
    pub lower: u64,
    pub upper: u64,
    pub stride: u64,
    pub last: bool,
}

/// `__kmpc_dispatch_next_*`: the next chunk, or None after leaving the
/// work share.
pub fn next_chunk(ts: &ThreadState) -> Option<Chunk> {
    match next(ts) {
        Some((s, e)) => {
            let (ws, cur) = current(ts).expect("a chunk comes from the current work share");
            let space = ws.share().space;
            Some(Chunk { lower: s, upper: e.wrapping_sub(space.incr), stride: space.incr, last: cur.hi == space.n })
        }
        None => {
            end(ts, true, false);
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inclusive_bounds_count_iterations() {
        assert_eq!(inclusive_space(0, 9, 1).n, 10);
        assert_eq!(inclusive_space(0, 9, 3).n, 4);
        assert_eq!(inclusive_space(9, 0, -2).n, 5);
        assert_eq!(inclusive_space(5, 4, 1).n, 0);
        assert_eq!(inclusive_space(4, 5, -1).n, 0);
        assert_eq!(inclusive_space(i64::MIN as i128, i64::MAX as i128, 1).n, u64::MAX);
        assert_eq!(inclusive_space(0, u32::MAX as i128, 1).n, 1 << 32);
        // The last chunk's inclusive bound, from the exclusive end.
        let s = inclusive_space(-3, 7, 5);
        assert_eq!((s.n, s.end.wrapping_sub(s.incr) as i64), (3, 7));
    }
}
