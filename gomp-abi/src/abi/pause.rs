//! omp_pause_resource / omp_pause_resource_all: outside any parallel region
//! the calling thread's worker threads end (those of its nested regions
//! too), and so do the idle workers no thread's crew holds; the next region
//! starts new threads, whose threadprivate variables hold their initial
//! values, as with GCC's runtime. Other threads' crews, which may be running
//! regions, are left alone. Inside a region (of any level) they fail with -1
//! and change nothing.

use std::ffi::c_int;

use crate::runtime::pool;
use crate::runtime::team::with_state;

/// omp_pause_soft = 1, omp_pause_hard = 2 (GCC's omp.h).
fn pause(kind: c_int) -> c_int {
    if !(1..=2).contains(&kind) {
        eprintln!("hsomp: omp_pause_resource: unknown pause kind {kind}");
        return -1;
    }
    if !with_state(|ts| ts.retire_crews()) {
        return -1;
    }
    pool::retire_idle();
    0
}

#[no_mangle]
pub extern "C" fn omp_pause_resource(kind: c_int, device_num: c_int) -> c_int {
    if device_num != crate::abi::hsomp::INITIAL_DEVICE {
        return -1;
    }
    pause(kind)
}

#[no_mangle]
pub extern "C" fn omp_pause_resource_all(kind: c_int) -> c_int {
    pause(kind)
}
