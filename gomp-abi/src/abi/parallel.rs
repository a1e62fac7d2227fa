//! `#pragma omp parallel`: GOMP_parallel and the older start/end pair.

use std::ffi::{c_uint, c_void};

use crate::runtime::team::{with_state, Outlined, RegionExtras};

/// GCC 4.9+: run `func(data)` on a new team of `num_threads` (0 = default)
/// threads, the calling thread being thread 0. `flags & 7` is the
/// proc_bind clause (runtime/bind.rs).
///
/// # Safety
/// `func` and `data` are an outlined region body and its argument block, as
/// GCC emits them.
#[no_mangle]
pub unsafe extern "C" fn GOMP_parallel(func: Outlined, data: *mut c_void, num_threads: c_uint, flags: c_uint) {
    with_state(|ts| {
        ts.fork_with(func, data, num_threads, RegionExtras { proc_bind: flags, ..RegionExtras::NONE });
        // SAFETY: func/data are GCC's outlined region body and its argument block.
        unsafe { func(data) };
        ts.join();
    })
}

/// Older ABI: open the team; the caller then runs `func(data)` itself and
/// calls GOMP_parallel_end.
///
/// # Safety
/// As for `GOMP_parallel`.
#[no_mangle]
pub unsafe extern "C" fn GOMP_parallel_start(func: Outlined, data: *mut c_void, num_threads: c_uint) {
    with_state(|ts| ts.fork(func, data, num_threads))
}

#[no_mangle]
pub extern "C" fn GOMP_parallel_end() {
    with_state(|ts| ts.join())
}

