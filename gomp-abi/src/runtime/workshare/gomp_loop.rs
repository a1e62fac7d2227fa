//! What the GOMP_loop_* entry points (abi/loop.rs, loop_ull.rs,
//! parallel_loop.rs) share: GCC's schedule argument decoded, chunks handed
//! to GCC's out-parameters, and the start of a loop or doacross construct.
//!
//! GCC's `sched` values (GFS_*): 0 runtime, 1 static, 2 dynamic, 3 guided,
//! 4 auto (from GOMP_loop_start: runtime with the nonmonotonic modifier),
//! with bit 31 for the monotonic modifier. hsomp's dynamic and guided
//! schedules are monotonic anyway, so the modifiers select nothing.

use std::ffi::{c_long, c_uint};

use super::{begin, next, Extras, Kind, LoopSpec, Space};
use crate::runtime::icv::{sched, Schedule};
use crate::runtime::team::ThreadState;

pub const GFS_RUNTIME: i64 = 0;
const GFS_MONOTONIC: i64 = 0x8000_0000;

/// The schedule of the run-sched-var ICV; auto becomes blocked static.
pub fn runtime_schedule(icv: Schedule) -> (Kind, u64) {
    let chunk = icv.chunk.max(0) as u64;
    match icv.kind & !sched::MONOTONIC {
        sched::DYNAMIC => (Kind::Dynamic, chunk),
        sched::GUIDED => (Kind::Guided, chunk),
        sched::STATIC => (Kind::Static, chunk),
        _ => (Kind::Static, 0),
    }
}

/// Kind and chunk for GCC's `sched` argument.
pub fn resolve(ts: &ThreadState, gfs: i64, chunk: i64) -> (Kind, u64) {
    match gfs & !GFS_MONOTONIC {
        1 => (Kind::Static, chunk.max(0) as u64),
        2 => (Kind::Dynamic, chunk.max(1) as u64),
        3 => (Kind::Guided, chunk.max(1) as u64),
        GFS_RUNTIME | 4 => runtime_schedule(ts.cur().icv.run_sched),
        other => {
            eprintln!("hsomp: unknown loop schedule {other}; using dynamic");
            (Kind::Dynamic, 1)
        }
    }
}

/// 64-bit iteration variables as GCC passes them (long, unsigned long long).
pub trait Bits: Copy {
    fn from_bits(v: u64) -> Self;
    fn to_bits(self) -> u64;
}

impl Bits for c_long {
    fn from_bits(v: u64) -> Self {
        v as c_long
    }
    fn to_bits(self) -> u64 {
        self as u64
    }
}

impl Bits for u64 {
    fn from_bits(v: u64) -> Self {
        v
    }
    fn to_bits(self) -> u64 {
        self
    }
}

/// Hand the next chunk to GCC's out-parameters.
///
/// # Safety
/// `istart`/`iend` are GCC's out-parameters.
pub unsafe fn next_into<T: Bits>(ts: &ThreadState, istart: *mut T, iend: *mut T) -> bool {
    match next(ts) {
        Some((s, e)) => {
            // SAFETY: caller's contract.
            unsafe {
                *istart = T::from_bits(s);
                *iend = T::from_bits(e);
            }
            true
        }
        None => false,
    }
}

/// Start a loop construct and claim the first chunk. A null `istart` (GCC
/// computes a static schedule itself and only wants reductions / mem)
/// claims nothing and returns true.
///
/// # Safety
/// Pointers as GCC passes them to GOMP_loop_*start.
pub unsafe fn start_loop<T: Bits>(ts: &ThreadState, spec: LoopSpec, extras: Extras, istart: *mut T, iend: *mut T) -> bool {
    begin(ts, extras, |slot, n| slot.init_loop(spec.share(n)));
    if istart.is_null() {
        return true;
    }
    // SAFETY: caller's contract.
    unsafe { next_into(ts, istart, iend) }
}

/// Doacross loop start over `counts[0]` logical iterations (see
/// runtime/doacross.rs), for both iteration types.
///
/// # Safety
/// `counts` holds `ncounts` values; the rest as GCC passes them.
pub unsafe fn doacross_start<T: Bits>(
    ts: &ThreadState,
    ncounts: c_uint,
    counts: *const T,
    (kind, chunk): (Kind, u64),
    extras: Extras,
    istart: *mut T,
    iend: *mut T,
) -> bool {
    let ndims = ncounts.max(1) as usize;
    // SAFETY: `counts` holds `ncounts` values, at least one (caller's
    // contract: GCC emits ordered(n) with n >= 1).
    let count = |i: usize| unsafe { *counts.add(i) }.to_bits();
    let spec = LoopSpec { space: Space::count(count(0)), kind, chunk, ordered: false };
    begin(ts, extras, |slot, n| {
        let share = spec.share(n);
        slot.init_loop(share);
        slot.deps.init((0..ndims).map(count), kind, share.chunk, n);
    });
    if istart.is_null() {
        return true;
    }
    // SAFETY: caller's contract.
    unsafe { next_into(ts, istart, iend) }
}
