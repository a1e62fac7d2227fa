//! `#pragma omp parallel` and `teams` (host): fork, the clauses pushed
//! before a fork, serialized regions, thread ids.

use std::ffi::c_void;

use super::Ident;
use crate::runtime::kmpc::{self, Microtask};
use crate::runtime::team::with_state;

/// Called by `__kmpc_fork_call` (csrc/kmpc_fork.c) with its variadic
/// arguments in an array.
///
/// # Safety
/// `microtask` is clang's outlined body; `argv` holds its `argc`
/// arguments in at least 4 slots.
#[no_mangle]
pub unsafe extern "C" fn hsomp_kmpc_fork(_loc: *const Ident, argc: i32, microtask: Microtask, argv: *mut *mut c_void) {
    // SAFETY: caller's contract.
    unsafe { kmpc::fork(argc, microtask, argv) }
}

/// Called by `__kmpc_fork_teams` (csrc/kmpc_fork.c).
///
/// # Safety
/// As for `hsomp_kmpc_fork`.
#[no_mangle]
pub unsafe extern "C" fn hsomp_kmpc_fork_teams(_loc: *const Ident, argc: i32, microtask: Microtask, argv: *mut *mut c_void) {
    // SAFETY: caller's contract.
    unsafe { kmpc::fork_teams(argc, microtask, argv) }
}

#[no_mangle]
pub extern "C" fn __kmpc_push_num_threads(_loc: *const Ident, _gtid: i32, num_threads: i32) {
    kmpc::push_num_threads(num_threads)
}

#[no_mangle]
pub extern "C" fn __kmpc_push_proc_bind(_loc: *const Ident, _gtid: i32, proc_bind: i32) {
    kmpc::push_proc_bind(proc_bind)
}

#[no_mangle]
pub extern "C" fn __kmpc_push_num_teams(_loc: *const Ident, _gtid: i32, num_teams: i32, thread_limit: i32) {
    kmpc::push_num_teams(num_teams, thread_limit)
}

#[no_mangle]
pub extern "C" fn __kmpc_serialized_parallel(_loc: *const Ident, _gtid: i32) {
    kmpc::serialized_parallel()
}

#[no_mangle]
pub extern "C" fn __kmpc_end_serialized_parallel(_loc: *const Ident, _gtid: i32) {
    kmpc::end_serialized_parallel()
}

#[no_mangle]
pub extern "C" fn __kmpc_global_thread_num(_loc: *const Ident) -> i32 {
    kmpc::global_thread_num()
}

/// Threads the runtime has (libomp: all threads it ever registered).
#[no_mangle]
pub extern "C" fn __kmpc_global_num_threads(_loc: *const Ident) -> i32 {
    crate::runtime::WORKERS_CREATED.load(std::sync::atomic::Ordering::Relaxed) as i32 + 1
}

#[no_mangle]
pub extern "C" fn __kmpc_bound_thread_num(_loc: *const Ident) -> i32 {
    with_state(|ts| ts.cur().tid as i32)
}

#[no_mangle]
pub extern "C" fn __kmpc_bound_num_threads(_loc: *const Ident) -> i32 {
    with_state(|ts| ts.team().map_or(1, |t| t.cfg().nthreads as i32))
}

/// True inside an active parallel region.
#[no_mangle]
pub extern "C" fn __kmpc_in_parallel(_loc: *const Ident) -> i32 {
    with_state(|ts| i32::from(ts.levels().1 > 0))
}

/// A fork is always possible (team size rules apply inside the fork).
#[no_mangle]
pub extern "C" fn __kmpc_ok_to_fork(_loc: *const Ident) -> i32 {
    1
}

/// Program start (only some compilers emit it): the runtime starts on first use.
#[no_mangle]
pub extern "C" fn __kmpc_begin(_loc: *const Ident, _flags: i32) {}

/// Program end: the runtime's threads end with the process.
#[no_mangle]
pub extern "C" fn __kmpc_end(_loc: *const Ident) {}
