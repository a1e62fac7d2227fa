//! Thread and team queries: where the calling thread is.

use std::ffi::c_int;

use crate::runtime::globals;
use crate::runtime::team::{ancestor_thread_num, team_size_at, with_state};

#[no_mangle]
pub extern "C" fn omp_get_thread_num() -> c_int {
    with_state(|ts| ts.cur().tid as c_int)
}

#[no_mangle]
pub extern "C" fn omp_get_num_threads() -> c_int {
    with_state(|ts| ts.team().map_or(1, |t| t.cfg().nthreads as c_int))
}

#[no_mangle]
pub extern "C" fn omp_in_parallel() -> c_int {
    with_state(|ts| c_int::from(ts.levels().1 > 0))
}

#[no_mangle]
pub extern "C" fn omp_get_level() -> c_int {
    with_state(|ts| ts.levels().0 as c_int)
}

#[no_mangle]
pub extern "C" fn omp_get_active_level() -> c_int {
    with_state(|ts| ts.levels().1 as c_int)
}

#[no_mangle]
pub extern "C" fn omp_get_ancestor_thread_num(level: c_int) -> c_int {
    with_state(|ts| ancestor_thread_num(ts, level))
}

#[no_mangle]
pub extern "C" fn omp_get_team_size(level: c_int) -> c_int {
    with_state(|ts| team_size_at(ts, level))
}

#[no_mangle]
pub extern "C" fn omp_get_num_procs() -> c_int {
    globals().ncpus as c_int
}
