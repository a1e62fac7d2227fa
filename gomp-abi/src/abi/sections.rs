//! `#pragma omp sections`: section numbers 1..=count handed out like a
//! dynamic loop with chunk 1 (0 = no more sections).

use std::ffi::{c_uint, c_void};

use crate::runtime::team::{with_state, Outlined, RegionExtras, ThreadState};
use crate::runtime::workshare::{self, Extras, Kind, LoopSpec, Space};

fn spec(count: c_uint) -> LoopSpec {
    LoopSpec { space: Space::count(u64::from(count)), kind: Kind::Dynamic, chunk: 1, ordered: false }
}

fn next_section(ts: &ThreadState) -> c_uint {
    workshare::next(ts).map_or(0, |(s, _)| s as c_uint + 1)
}

fn start(count: c_uint, extras: Extras) -> c_uint {
    with_state(|ts| {
        let s = spec(count);
        workshare::begin(ts, extras, |slot, n| slot.init_loop(s.share(n)));
        next_section(ts)
    })
}

#[no_mangle]
pub extern "C" fn GOMP_sections_start(count: c_uint) -> c_uint {
    start(count, Extras::NONE)
}

/// GCC 9+: with task reductions and shared memory (as GOMP_loop_start).
#[no_mangle]
pub extern "C" fn GOMP_sections2_start(count: c_uint, reductions: *mut usize, mem: *mut *mut c_void) -> c_uint {
    start(count, Extras { reductions, mem })
}

#[no_mangle]
pub extern "C" fn GOMP_sections_next() -> c_uint {
    with_state(next_section)
}

/// `flags & 7` is the proc_bind clause (0 for the _start form).
fn parallel(func: Outlined, data: *mut c_void, nthreads: c_uint, count: c_uint, run: bool, flags: c_uint) {
    with_state(|ts| {
        let extras = RegionExtras { combined: Some(spec(count)), proc_bind: flags, ..RegionExtras::NONE };
        ts.fork_with(func, data, nthreads, extras);
        if run {
            // SAFETY: GCC's outlined body and its argument block.
            unsafe { func(data) };
            ts.join();
        }
    })
}

/// # Safety
/// Arguments as GCC passes them.
#[no_mangle]
pub unsafe extern "C" fn GOMP_parallel_sections(func: Outlined, data: *mut c_void, nthreads: c_uint, count: c_uint, flags: c_uint) {
    parallel(func, data, nthreads, count, true, flags)
}

/// Older ABI: the caller runs the body and calls GOMP_parallel_end.
///
/// # Safety
/// Arguments as GCC passes them.
#[no_mangle]
pub unsafe extern "C" fn GOMP_parallel_sections_start(func: Outlined, data: *mut c_void, nthreads: c_uint, count: c_uint) {
    parallel(func, data, nthreads, count, false, 0)
}

#[no_mangle]
pub extern "C" fn GOMP_sections_end() {
    with_state(|ts| workshare::end(ts, false, false));
}

#[no_mangle]
pub extern "C" fn GOMP_sections_end_nowait() {
    with_state(|ts| workshare::end(ts, true, false));
}

#[no_mangle]
pub extern "C" fn GOMP_sections_end_cancel() -> bool {
    with_state(|ts| workshare::end(ts, false, true))
}
