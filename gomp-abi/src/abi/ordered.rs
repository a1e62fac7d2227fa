//! `#pragma omp ordered` (threads / simd) and doacross dependences
//! (`ordered depend(source)` / `depend(sink: ...)`).

use std::ffi::{c_long, c_uint};

use crate::runtime::team::with_state;
use crate::runtime::workshare;

#[no_mangle]
pub extern "C" fn GOMP_ordered_start() {
    with_state(workshare::ordered_start)
}

/// Nothing to do: the baton moves when the thread gives its chunk up
/// (runtime/ordered.rs).
#[no_mangle]
pub extern "C" fn GOMP_ordered_end() {}

/// # Safety
/// `counts` holds the iteration's value for every loop of the nest.
#[no_mangle]
pub unsafe extern "C" fn GOMP_doacross_post(counts: *const c_long) {
    // SAFETY: long and u64 have the same size; values are logical iteration numbers.
    with_state(|ts| unsafe { workshare::doacross_post(ts, counts.cast()) })
}

/// # Safety
/// As GOMP_doacross_post.
#[no_mangle]
pub unsafe extern "C" fn GOMP_doacross_ull_post(counts: *const u64) {
    // SAFETY: caller's contract.
    with_state(|ts| unsafe { workshare::doacross_post(ts, counts) })
}

// GOMP_doacross_wait / _ull_wait are C-variadic, which stable Rust cannot
// define: csrc/doacross_wait.c defines them, reads as many values as the
// current nest has loops (hsomp_doacross_dims) and passes them here.

/// Loops of the calling thread's current doacross nest (0 outside one).
#[no_mangle]
pub extern "C" fn hsomp_doacross_dims() -> c_uint {
    with_state(|ts| workshare::doacross_dims(ts) as c_uint)
}

/// `depend(sink: values)` of the current doacross nest.
///
/// # Safety
/// `values` points at `count` readable values.
#[no_mangle]
pub unsafe extern "C" fn hsomp_doacross_wait_values(values: *const u64, count: c_uint) {
    // SAFETY: caller's contract (the C shim passes its own array).
    let v = unsafe { std::slice::from_raw_parts(values, count as usize) };
    with_state(|ts| workshare::doacross_wait(ts, v));
}
