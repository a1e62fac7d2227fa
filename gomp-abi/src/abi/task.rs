//! `#pragma omp task`, taskwait, taskyield, taskgroup, taskloop, detach
//! events (runtime/task does the work). Task reduction registration and
//! remapping are in abi/reduction.rs (shared with worksharing reductions).

use std::ffi::{c_int, c_long, c_uint, c_ulong, c_void};

use crate::runtime::task::taskloop::{taskloop, trip_count_long, trip_count_ull, Taskloop};
use crate::runtime::task::{self, flag, CopyFn, Spawn, Task, TaskBody};
use crate::runtime::team::{with_state, Outlined};

/// # Safety
/// Arguments as GCC 12 passes them for `#pragma omp task`.
#[no_mangle]
pub unsafe extern "C" fn GOMP_task(
    func: Outlined,
    data: *mut c_void,
    cpyfn: Option<CopyFn>,
    arg_size: c_long,
    arg_align: c_long,
    if_clause: bool,
    flags: c_uint,
    depend: *mut *mut c_void,
    priority: c_int,
    detach: *mut c_void,
) {
    let s = Spawn {
        body: TaskBody::from_gcc(func, data, cpyfn, arg_size, arg_align),
        if_clause,
        flags,
        depend,
        priority,
        detach,
        bounds: None,
    };
    // SAFETY: GCC's arguments, passed through.
    with_state(|ts| unsafe { task::spawn(ts, &s) })
}

#[no_mangle]
pub extern "C" fn GOMP_taskwait() {
    with_state(task::taskwait)
}

/// `taskwait depend(...)`: wait for the sibling tasks the dependences name.
///
/// # Safety
/// `depend` is GCC's dependence array.
#[no_mangle]
pub unsafe extern "C" fn GOMP_taskwait_depend(depend: *mut *mut c_void) {
    // SAFETY: GCC's dependence array.
    with_state(|ts| unsafe { task::taskwait_depend(ts, depend) })
}

#[no_mangle]
pub extern "C" fn GOMP_taskyield() {
    with_state(task::taskyield)
}

#[no_mangle]
pub extern "C" fn GOMP_taskgroup_start() {
    with_state(task::taskgroup_start)
}

#[no_mangle]
pub extern "C" fn GOMP_taskgroup_end() {
    with_state(task::taskgroup_end)
}

#[allow(clippy::too_many_arguments)]
unsafe fn taskloop_common(
    func: Outlined,
    data: *mut c_void,
    cpyfn: Option<CopyFn>,
    arg_size: c_long,
    arg_align: c_long,
    flags: c_uint,
    num_tasks: c_ulong,
    priority: c_int,
    start: u64,
    step: u64,
    n: u64,
) {
    let l = Taskloop {
        body: TaskBody::from_gcc(func, data, cpyfn, arg_size, arg_align),
        flags,
        num_tasks,
        priority,
        start,
        step,
        n,
    };
    // SAFETY: GCC's arguments, passed through.
    with_state(|ts| unsafe { taskloop(ts, &l) })
}

/// # Safety
/// Arguments as GCC 12 passes them for `#pragma omp taskloop`.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn GOMP_taskloop(
    func: Outlined,
    data: *mut c_void,
    cpyfn: Option<CopyFn>,
    arg_size: c_long,
    arg_align: c_long,
    flags: c_uint,
    num_tasks: c_ulong,
    priority: c_int,
    start: c_long,
    end: c_long,
    step: c_long,
) {
    let n = trip_count_long(start, end, step);
    // SAFETY: as GCC passes them.
    unsafe { taskloop_common(func, data, cpyfn, arg_size, arg_align, flags, num_tasks, priority, start as u64, step as u64, n) }
}

/// # Safety
/// Arguments as GCC 12 passes them for a taskloop over unsigned long long.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn GOMP_taskloop_ull(
    func: Outlined,
    data: *mut c_void,
    cpyfn: Option<CopyFn>,
    arg_size: c_long,
    arg_align: c_long,
    flags: c_uint,
    num_tasks: c_ulong,
    priority: c_int,
    start: u64,
    end: u64,
    step: u64,
) {
    let n = trip_count_ull(start, end, step, flags & flag::UP != 0);
    // SAFETY: as GCC passes them.
    unsafe { taskloop_common(func, data, cpyfn, arg_size, arg_align, flags, num_tasks, priority, start, step, n) }
}

#[no_mangle]
pub extern "C" fn omp_in_final() -> c_int {
    c_int::from(with_state(task::in_final))
}

/// # Safety
/// `event` is an `omp_event_handle_t` of a detached task.
#[no_mangle]
pub unsafe extern "C" fn omp_fulfill_event(event: *mut c_void) {
    // SAFETY: per the contract.
    unsafe { task::fulfill(event as *const Task) }
}
