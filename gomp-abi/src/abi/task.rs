//! `#pragma omp task`, taskwait, taskyield, taskgroup.
//!
//! Tasks currently run immediately on the encountering thread (see
//! runtime/task.rs), so every task is complete when GOMP_task returns and the
//! waiting constructs have nothing to wait for.

use std::ffi::{c_int, c_long, c_uint, c_void};

use crate::runtime::task::run_task_now;
use crate::runtime::team::Outlined;

pub type CopyFn = unsafe extern "C" fn(*mut c_void, *mut c_void);

/// # Safety
/// Arguments as GCC 12 passes them for `#pragma omp task`.
#[no_mangle]
pub unsafe extern "C" fn GOMP_task(
    func: Outlined,
    data: *mut c_void,
    cpyfn: Option<CopyFn>,
    arg_size: c_long,
    arg_align: c_long,
    _if_clause: bool,
    _flags: c_uint,
    _depend: *mut *mut c_void,
    _priority: c_int,
    _detach: *mut c_void,
) {
    // SAFETY: GCC's task body, argument block and copy function.
    unsafe { run_task_now(func, data, cpyfn, arg_size.max(0) as usize, arg_align.max(1) as usize) }
}

#[no_mangle]
pub extern "C" fn GOMP_taskwait() {}

#[no_mangle]
pub extern "C" fn GOMP_taskyield() {}

#[no_mangle]
pub extern "C" fn GOMP_taskgroup_start() {}

#[no_mangle]
pub extern "C" fn GOMP_taskgroup_end() {}

#[no_mangle]
pub extern "C" fn omp_in_final() -> c_int {
    0
}
