//! `#pragma omp for` over `unsigned long long`: GOMP_loop_ull_*. Same
//! machinery as loop.rs; `up` tells the direction (a downward `incr` is the
//! two's complement of the step).

use std::ffi::{c_long, c_uint, c_void};

use super::r#loop::{doacross_start, next_entry, resolve, start_loop};
use crate::runtime::team::with_state;
use crate::runtime::workshare::{Extras, Kind, LoopSpec, Space};

type Ull = u64;

fn spec(up: bool, start: Ull, end: Ull, incr: Ull, (kind, chunk): (Kind, u64), ordered: bool) -> LoopSpec {
    LoopSpec { space: Space::unsigned(up, start, end, incr), kind, chunk, ordered }
}

/// A chunk as GCC passes it: unsigned, clamped into `long` for `resolve`.
fn chunk_arg(chunk: Ull) -> c_long {
    chunk.min(c_long::MAX as u64) as c_long
}

macro_rules! start_with_chunk {
    ($($name:ident => $kind:expr, $ordered:expr;)*) => {$(
        /// # Safety
        /// Arguments as GCC passes them.
        #[no_mangle]
        pub unsafe extern "C" fn $name(up: bool, start: Ull, end: Ull, incr: Ull, chunk: Ull, istart: *mut Ull, iend: *mut Ull) -> bool {
            with_state(|ts| {
                let s = spec(up, start, end, incr, resolve(ts, $kind, chunk_arg(chunk)), $ordered);
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
        pub unsafe extern "C" fn $name(up: bool, start: Ull, end: Ull, incr: Ull, istart: *mut Ull, iend: *mut Ull) -> bool {
            with_state(|ts| {
                let s = spec(up, start, end, incr, resolve(ts, 0, 0), $ordered);
                // SAFETY: GCC's out-parameters.
                unsafe { start_loop(ts, s, Extras::NONE, istart, iend) }
            })
        }
    )*};
}

start_with_chunk! {
    GOMP_loop_ull_static_start => 1, false;
    GOMP_loop_ull_dynamic_start => 2, false;
    GOMP_loop_ull_guided_start => 3, false;
    GOMP_loop_ull_nonmonotonic_dynamic_start => 2, false;
    GOMP_loop_ull_nonmonotonic_guided_start => 3, false;
    GOMP_loop_ull_ordered_static_start => 1, true;
    GOMP_loop_ull_ordered_dynamic_start => 2, true;
    GOMP_loop_ull_ordered_guided_start => 3, true;
}

start_runtime! {
    GOMP_loop_ull_runtime_start => false;
    GOMP_loop_ull_nonmonotonic_runtime_start => false;
    GOMP_loop_ull_maybe_nonmonotonic_runtime_start => false;
    GOMP_loop_ull_ordered_runtime_start => true;
}

next_entry!(u64:
    GOMP_loop_ull_static_next, GOMP_loop_ull_dynamic_next, GOMP_loop_ull_guided_next,
    GOMP_loop_ull_runtime_next, GOMP_loop_ull_nonmonotonic_dynamic_next,
    GOMP_loop_ull_nonmonotonic_guided_next, GOMP_loop_ull_nonmonotonic_runtime_next,
    GOMP_loop_ull_maybe_nonmonotonic_runtime_next, GOMP_loop_ull_ordered_static_next,
    GOMP_loop_ull_ordered_dynamic_next, GOMP_loop_ull_ordered_guided_next,
    GOMP_loop_ull_ordered_runtime_next,
);

/// # Safety
/// Arguments as GCC passes them.
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_ull_start(
    up: bool,
    start: Ull,
    end: Ull,
    incr: Ull,
    sched: c_long,
    chunk: Ull,
    istart: *mut Ull,
    iend: *mut Ull,
    reductions: *mut usize,
    mem: *mut *mut c_void,
) -> bool {
    with_state(|ts| {
        let s = spec(up, start, end, incr, resolve(ts, sched, chunk_arg(chunk)), false);
        // SAFETY: GCC's arguments.
        unsafe { start_loop(ts, s, Extras { reductions, mem }, istart, iend) }
    })
}

/// # Safety
/// Arguments as GCC passes them.
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_ull_ordered_start(
    up: bool,
    start: Ull,
    end: Ull,
    incr: Ull,
    sched: c_long,
    chunk: Ull,
    istart: *mut Ull,
    iend: *mut Ull,
    reductions: *mut usize,
    mem: *mut *mut c_void,
) -> bool {
    with_state(|ts| {
        let s = spec(up, start, end, incr, resolve(ts, sched, chunk_arg(chunk)), true);
        // SAFETY: GCC's arguments.
        unsafe { start_loop(ts, s, Extras { reductions, mem }, istart, iend) }
    })
}

macro_rules! doacross_with_chunk {
    ($($name:ident => $kind:expr;)*) => {$(
        /// # Safety
        /// Arguments as GCC passes them.
        #[no_mangle]
        pub unsafe extern "C" fn $name(ncounts: c_uint, counts: *const Ull, chunk: Ull, istart: *mut Ull, iend: *mut Ull) -> bool {
            // SAFETY: GCC's arguments.
            with_state(|ts| unsafe { doacross_start(ts, ncounts, counts, resolve(ts, $kind, chunk_arg(chunk)), Extras::NONE, istart, iend) })
        }
    )*};
}

doacross_with_chunk! {
    GOMP_loop_ull_doacross_static_start => 1;
    GOMP_loop_ull_doacross_dynamic_start => 2;
    GOMP_loop_ull_doacross_guided_start => 3;
}

/// # Safety
/// Arguments as GCC passes them.
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_ull_doacross_runtime_start(ncounts: c_uint, counts: *const Ull, istart: *mut Ull, iend: *mut Ull) -> bool {
    // SAFETY: GCC's arguments.
    with_state(|ts| unsafe { doacross_start(ts, ncounts, counts, resolve(ts, 0, 0), Extras::NONE, istart, iend) })
}

/// # Safety
/// Arguments as GCC passes them.
#[no_mangle]
pub unsafe extern "C" fn GOMP_loop_ull_doacross_start(
    ncounts: c_uint,
    counts: *const Ull,
    sched: c_long,
    chunk: Ull,
    istart: *mut Ull,
    iend: *mut Ull,
    reductions: *mut usize,
    mem: *mut *mut c_void,
) -> bool {
    // SAFETY: GCC's arguments.
    with_state(|ts| unsafe {
        doacross_start(ts, ncounts, counts, resolve(ts, sched, chunk_arg(chunk)), Extras { reductions, mem }, istart, iend)
    })
}
