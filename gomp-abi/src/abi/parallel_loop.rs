//! Combined `#pragma omp parallel for`: GOMP_parallel_loop_*. The loop is
//! handed to the region (`RegionExtras::combined`); each thread's outlined
//! body starts with GOMP_loop_*_next, which enters it (workshare.rs).

use std::ffi::{c_long, c_uint, c_void};

use super::r#loop::resolve;
use crate::runtime::team::{with_state, Outlined, RegionExtras};
use crate::runtime::workshare::{LoopSpec, Space};

/// Open the region with its loop; `run` also runs the body on the master
/// and joins (GCC 4.9+ forms) or leaves that to GOMP_parallel_end (_start forms).
/// `flags & 7` is the proc_bind clause (0 for the _start forms).
fn open(func: Outlined, data: *mut c_void, nthreads: c_uint, loop_: (c_long, c_long, c_long), sched: (i64, c_long), run: bool, flags: c_uint) {
    with_state(|ts| {
        let (kind, chunk) = resolve(ts, sched.0, sched.1);
        let spec = LoopSpec { space: Space::signed(loop_.0, loop_.1, loop_.2), kind, chunk, ordered: false };
        ts.fork_with(func, data, nthreads, RegionExtras { combined: Some(spec), proc_bind: flags, ..RegionExtras::NONE });
        if run {
            // SAFETY: GCC's outlined body and its argument block.
            unsafe { func(data) };
            ts.join();
        }
    })
}

macro_rules! with_chunk {
    ($($name:ident => $kind:expr;)*) => {$(
        /// # Safety
        /// Arguments as GCC passes them.
        #[no_mangle]
        pub unsafe extern "C" fn $name(func: Outlined, data: *mut c_void, nthreads: c_uint, start: c_long, end: c_long, incr: c_long, chunk: c_long, flags: c_uint) {
            open(func, data, nthreads, (start, end, incr), ($kind, chunk), true, flags)
        }
    )*};
}

macro_rules! runtime {
    ($($name:ident;)*) => {$(
        /// # Safety
        /// Arguments as GCC passes them.
        #[no_mangle]
        pub unsafe extern "C" fn $name(func: Outlined, data: *mut c_void, nthreads: c_uint, start: c_long, end: c_long, incr: c_long, flags: c_uint) {
            open(func, data, nthreads, (start, end, incr), (0, 0), true, flags)
        }
    )*};
}

macro_rules! old_with_chunk {
    ($($name:ident => $kind:expr;)*) => {$(
        /// Older ABI: the caller runs the body and calls GOMP_parallel_end.
        ///
        /// # Safety
        /// Arguments as GCC passes them.
        #[no_mangle]
        pub unsafe extern "C" fn $name(func: Outlined, data: *mut c_void, nthreads: c_uint, start: c_long, end: c_long, incr: c_long, chunk: c_long) {
            open(func, data, nthreads, (start, end, incr), ($kind, chunk), false, 0)
        }
    )*};
}

with_chunk! {
    GOMP_parallel_loop_static => 1;
    GOMP_parallel_loop_dynamic => 2;
    GOMP_parallel_loop_guided => 3;
    GOMP_parallel_loop_nonmonotonic_dynamic => 2;
    GOMP_parallel_loop_nonmonotonic_guided => 3;
}

runtime! {
    GOMP_parallel_loop_runtime;
    GOMP_parallel_loop_nonmonotonic_runtime;
    GOMP_parallel_loop_maybe_nonmonotonic_runtime;
}

old_with_chunk! {
    GOMP_parallel_loop_static_start => 1;
    GOMP_parallel_loop_dynamic_start => 2;
    GOMP_parallel_loop_guided_start => 3;
}

/// # Safety
/// Arguments as GCC passes them.
#[no_mangle]
pub unsafe extern "C" fn GOMP_parallel_loop_runtime_start(func: Outlined, data: *mut c_void, nthreads: c_uint, start: c_long, end: c_long, incr: c_long) {
    open(func, data, nthreads, (start, end, incr), (0, 0), false, 0)
}
