//! `#pragma omp for` over `long` iteration variables: GOMP_loop_*.
//!
//! Thin shells over runtime/workshare/; the `unsigned long long` family
//! (loop_ull.rs) and the combined forms (parallel_loop.rs) share the
//! helpers of runtime/workshare/gomp_loop.rs (schedule decoding, chunk
//! out-parameters, loop and doacross starts).

use std::ffi::{c_long, c_uint, c_void};

use crate::runtime::team::with_state;
pub(crate) use crate::runtime::workshare::gomp_loop::{doacross_start, resolve, start_loop};
use crate::runtime::workshare::gomp_loop::GFS_RUNTIME;
use crate::runtime::workshare::{self, Extras, Kind, LoopSpec, Space};

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
            with_state(|ts| unsafe { $crate::runtime::workshare::gomp_loop::next_into(ts, istart, iend) })
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
