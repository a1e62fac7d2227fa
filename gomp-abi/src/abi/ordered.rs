//! `#pragma omp ordered` (threads / simd) and doacross dependences
//! (`ordered depend(source)` / `depend(sink: ...)`).

use std::ffi::c_long;

use crate::runtime::doacross::MAX_DIMS;
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

// GOMP_doacross_wait / _ull_wait are C-variadic: `(first, ...)` with one
// value per loop of the nest. Defining C-variadic functions needs an
// unstable Rust feature, so they are defined with MAX_DIMS fixed integer
// parameters instead: on x86-64 SysV the first six integer arguments of a
// variadic call travel in the same registers as for a fixed one and the
// rest in consecutive stack slots, where fixed parameters 7.. are read.
// Only the nest's own number of values is used; the extra parameters read
// the caller's stack slots above its arguments (always mapped memory), and
// the body only copies them, never writing the incoming argument area.
#[cfg(not(target_arch = "x86_64"))]
compile_error!("GOMP_doacross_wait's fixed-parameter definition assumes the x86-64 SysV ABI");

macro_rules! doacross_wait {
    ($name:ident, $ty:ty) => {
        /// # Safety
        /// Called by GCC's code as a C-variadic function with one value per
        /// loop of the current doacross nest.
        #[no_mangle]
        #[allow(clippy::too_many_arguments)]
        pub unsafe extern "C" fn $name(
            a0: $ty, a1: $ty, a2: $ty, a3: $ty, a4: $ty, a5: $ty, a6: $ty, a7: $ty,
            a8: $ty, a9: $ty, a10: $ty, a11: $ty, a12: $ty, a13: $ty, a14: $ty, a15: $ty,
        ) {
            let v: [u64; MAX_DIMS] = [a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15].map(|x| x as u64);
            with_state(|ts| workshare::doacross_wait(ts, &v));
        }
    };
}

doacross_wait!(GOMP_doacross_wait, c_long);
doacross_wait!(GOMP_doacross_ull_wait, u64);
