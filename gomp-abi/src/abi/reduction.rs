//! Task reductions on worksharing and parallel constructs, and the
//! registration entry points: thin shells over runtime/reduction/
//! (mod.rs has GCC's array layout, constructs.rs what each entry does).
//! The `reductions` parameter of GOMP_loop_start / GOMP_sections2_start is
//! handled in workshare::begin.

use std::ffi::{c_uint, c_void};

use crate::runtime::reduction::constructs;
use crate::runtime::team::Outlined;

/// `parallel reduction(task, ...)`: returns the team size.
///
/// # Safety
/// Arguments as GCC passes them.
#[no_mangle]
pub unsafe extern "C" fn GOMP_parallel_reductions(func: Outlined, data: *mut c_void, nthreads: c_uint, _flags: c_uint) -> c_uint {
    // SAFETY: GCC's arguments, passed through.
    unsafe { constructs::parallel_with_reductions(func, data, nthreads) }
}

/// `scope reduction(task, ...)`.
#[no_mangle]
pub extern "C" fn GOMP_scope_start(reductions: *mut usize) {
    constructs::scope_start(reductions)
}

/// End of a worksharing construct with task reductions.
#[no_mangle]
pub extern "C" fn GOMP_workshare_task_reduction_unregister(cancelled: bool) {
    constructs::workshare_unregister(cancelled)
}

/// `taskgroup task_reduction(...)` start (after GOMP_taskgroup_start).
///
/// # Safety
/// `data` is GCC's registration array.
#[no_mangle]
pub unsafe extern "C" fn GOMP_taskgroup_reduction_register(data: *mut usize) {
    // SAFETY: GCC's registration array.
    unsafe { constructs::taskgroup_register(data) }
}

/// # Safety
/// `data` was registered with GOMP_taskgroup_reduction_register (or is the
/// array of GOMP_parallel_reductions) and its copies are combined.
#[no_mangle]
pub unsafe extern "C" fn GOMP_taskgroup_reduction_unregister(data: *mut usize) {
    // SAFETY: caller's contract.
    unsafe { constructs::taskgroup_unregister(data) }
}

/// `in_reduction` / task-modifier reductions inside a task.
///
/// # Safety
/// `ptrs` holds `cnt + cntorig` pointers, as GCC passes them.
#[no_mangle]
pub unsafe extern "C" fn GOMP_task_reduction_remap(cnt: usize, cntorig: usize, ptrs: *mut *mut c_void) {
    // SAFETY: caller's contract.
    unsafe { constructs::remap_current(cnt, cntorig, ptrs) }
}
