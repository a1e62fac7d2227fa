//! `#pragma omp for` over `long` iteration variables: GOMP_loop_*.
//!
//! Thin shells over runtime/workshare.rs; the `unsigned long long` family
//! (loop_ull.rs) and the combined forms (parallel_loop.rs) share the helpers
//! here. GCC's `sched` values (GFS_*): 0 runtime, 1 static, 2 dynamic,
//! 3 guided, 4 auto (from GOMP_loop_start: runtime with the nonmonotonic
//! modifier), with bit 31 for the monotonic modifier. hsomp's dynamic and
//! guided schedules are monotonic anyway, so the modifiers select nothing.

use std::ffi::{c_long, c_uint, c_void};

use crate::runtime::icv::{sched, Schedule};
use crate::runtime::team::{with_state, ThreadState};
use crate::runtime::workshare::{self, Extras, Kind, LoopSpec, Space};

const GFS_RUNTIME: i64 = 0;
const GFS_MONOTONIC: i64 = 0x8000_0000;

/// The schedule of the run-sched-var ICV; auto becomes blocked static.
pub(crate) fn runtime_schedule(icv: Schedule) -> (Kind, u64) {
    let chunk = icv.chunk.max(0) as u64;
    match icv.kind & !sched::MONOTONIC {
        sched::DYNAMIC => (Kind::Dynamic, chunk),
        sched::GUIDED => (Kind::Guided, chunk),
        sched::STATIC => (Kind::Static, chunk),
        _ => (Kind::Static, 0),
    }
}

/// Kind and chunk for GCC's `sched` argument.
pub(crate) fn resolve(ts: &ThreadState, gfs: i64, chunk: i64) -> (Kind, u64) {
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
pub(crate) trait Bits: Copy {
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
pub(crate) unsafe fn next_into<T: Bits>(ts: &ThreadState, istart: *mut T, iend: *mut T) -> bool {
    match workshare::next(ts) {
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
pub(crate) unsafe fn start_loop<T: Bits>(ts: &ThreadState, spec: LoopSpec, extras: Extras, istart: *mut T, iend: *mut T) -> bool {
    workshare::begin(ts, extras, |slot, n| slot.init_loop(spec.share(n)));
    if istart.is_null() {
        return true;
    }
    // SAFETY: caller's contract.
    unsafe { next_into(ts, istart, iend) }
}

fn spec(start: c_long, end: c_long, incr: c_long, (kind, chunk): (Kind, u64), ordered: bool) -> LoopSpec {
    LoopSpec { space: Space::signed(start, end, incr), kind, chunk, ordered }
}

macro_rules! start_with_chunk {
    ($($name:ident => $kind:expr, $ordered:expr;)*) => {$(
        /// # Safety
        /// Arguments as GCC passes them.
        #[no_mangle]
        pub unsafe extern "C" fn $name(start: c_long, end: c_long, incr: c_long, chunk: c_long, istart: *mut c_long, iend: *mut c_long) -> bool {
            with_state(|ts| {
                let s = spec(start, end, incr, resolve(ts, $kind, chunk), $ordered);
                // SAFETY: GCC's out-parameters.
                unsafe { start_loop(ts, s, Extras::NONE, istart, iend) }
            })
        }
    )*};
}

macro_rules! start_runtime {
    ($($name:ident => $ordered:expr;)*) => {$(
        /// # Safety
        /// Arguments as GCC passes them.
        #[no_mangle]
        pub unsafe extern "C" fn $name(start: c_long, end: c_long, incr: c_long, istart: *mut c_long, iend: *mut c_long) -> bool {
            with_state(|ts| {
                let s = spec(start, end, incr, resolve(ts, GFS_RUNTIME, 0), $ordered);
                // SAFETY: GCC's out-parameters.
                unsafe { start_loop(ts, s, Extras::NONE, istart, iend) }
            })
        }
    )*};
}

/// Every GOMP_loop_*_next does the same: the work share knows its schedule.
macro_rules! next_entry {
    ($ty:ty: $($name:ident),* $(,)?) => {$(
        /// # Safety
        /// `istart`/`iend` are GCC's out-parameters.
        #[no_mangle]
        pub unsafe extern "C" fn $name(istart: *mut $ty, iend: *mut $ty) -> bool {
            // SAFETY: GCC's out-parameters.
            with_state(|ts| unsafe { $crate::abi::r#loop::next_into(ts, istart, iend) })
        }
    )*};
}
pub(crate) use next_entry;

start_with_chunk! {
    GOMP_loop_static_start => 1, false;
    GOMP_loop_dynamic_start => 2, false;
    GOMP_loop_guided_start => 3, false;
    GOMP_loop_nonmonotonic_dynamic_start => 2, false;
    GOMP_loop_nonmonotonic_guided_start => 3, false;
    GOMP_loop_ordered_static_start => 1, true;
    GOMP_loop_ordered_dynamic_start => 2, true;
    GOMP_loop_ordered_guided_start => 3, true;
}

start_runtime! {
    GOMP_loop_runtime_start => false;
    GOMP_loop_nonmonotonic_runtime_start => false;
    GOMP_loop_maybe_nonmonotonic_runtime_start => false;
    GOMP_loop_ordered_runtime_start => true;
}

next_entry!(c_long:
    GOMP_loop_static_next, GOMP_loop_dynamic_next, GOMP_loop_guided_next, GOMP_loop_runtime_next,
    GOMP_loop_nonmonotonic_dynamic_next, GOMP_loop_nonmonotonic_guided_next,
    GOMP_loop_nonmonotonic_runtime_next, GOMP_loop_maybe_nonmonotonic_runtime_next,
    GOMP_loop_ordered_static_next, GOMP_loop_ordered_dynamic_next,
    GOMP_loop_ordered_guided_next, GOMP_loop_ordered_runtime_next,
);

/// GCC 9+: any schedule, with task reductions and shared memory.
///
/// # Safety
/// Arguments as GCC passes them.
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_start(
    start: c_long,
    end: c_long,
    incr: c_long,
    sched: c_long,
    chunk: c_long,
    istart: *mut c_long,
    iend: *mut c_long,
    reductions: *mut usize,
    mem: *mut *mut c_void,
) -> bool {
    with_state(|ts| {
        let s = spec(start, end, incr, resolve(ts, sched, chunk), false);
        // SAFETY: GCC's arguments.
        unsafe { start_loop(ts, s, Extras { reductions, mem }, istart, iend) }
    })
}

/// # Safety
/// Arguments as GCC passes them.
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_ordered_start(
    start: c_long,
    end: c_long,
    incr: c_long,
    sched: c_long,
    chunk: c_long,
    istart: *mut c_long,
    iend: *mut c_long,
    reductions: *mut usize,
    mem: *mut *mut c_void,
) -> bool {
    with_state(|ts| {
        let s = spec(start, end, incr, resolve(ts, sched, chunk), true);
        // SAFETY: GCC's arguments.
        unsafe { start_loop(ts, s, Extras { reductions, mem }, istart, iend) }
    })
}

/// Doacross loop start over `counts[0]` logical iterations (see
/// runtime/doacross.rs), for both iteration types.
///
/// # Safety
/// `counts` holds `ncounts` values; the rest as GCC passes them.
pub(crate) unsafe fn doacross_start<T: Bits>(
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
    workshare::begin(ts, extras, |slot, n| {
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

macro_rules! doacross_with_chunk {
    ($($name:ident => $kind:expr;)*) => {$(
        /// # Safety
        /// Arguments as GCC passes them.
        #[no_mangle]
        pub unsafe extern "C" fn $name(ncounts: c_uint, counts: *const c_long, chunk: c_long, istart: *mut c_long, iend: *mut c_long) -> bool {
            // SAFETY: GCC's arguments.
            with_state(|ts| unsafe { doacross_start(ts, ncounts, counts, resolve(ts, $kind, chunk), Extras::NONE, istart, iend) })
        }
    )*};
}

doacross_with_chunk! {
    GOMP_loop_doacross_static_start => 1;
    GOMP_loop_doacross_dynamic_start => 2;
    GOMP_loop_doacross_guided_start => 3;
}

/// # Safety
/// Arguments as GCC passes them.
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_doacross_runtime_start(ncounts: c_uint, counts: *const c_long, istart: *mut c_long, iend: *mut c_long) -> bool {
    // SAFETY: GCC's arguments.
    with_state(|ts| unsafe { doacross_start(ts, ncounts, counts, resolve(ts, GFS_RUNTIME, 0), Extras::NONE, istart, iend) })
}

/// # Safety
/// Arguments as GCC passes them.
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_doacross_start(
    ncounts: c_uint,
    counts: *const c_long,
    sched: c_long,
    chunk: c_long,
    istart: *mut c_long,
    iend: *mut c_long,
    reductions: *mut usize,
    mem: *mut *mut c_void,
) -> bool {
    // SAFETY: GCC's arguments.
    with_state(|ts| unsafe { doacross_start(ts, ncounts, counts, resolve(ts, sched, chunk), Extras { reductions, mem }, istart, iend) })
}

#[no_mangle]
pub extern "C" fn GOMP_loop_end() {
    with_state(|ts| workshare::end(ts, false, false));
}

#[no_mangle]
pub extern "C" fn GOMP_loop_end_nowait() {
    with_state(|ts| workshare::end(ts, true, false));
}

/// The loop's barrier as a cancellation point: true when the region was cancelled.
#[no_mangle]
pub extern "C" fn GOMP_loop_end_cancel() -> bool {
    with_state(|ts| workshare::end(ts, false, true))
}
