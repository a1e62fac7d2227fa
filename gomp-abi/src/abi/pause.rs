//! omp_pause_resource / omp_pause_resource_all: outside any parallel region
//! the calling thread gives its idle worker crews back to the shared pool
//! (where other threads' regions can reuse them). Inside a region they fail.

use std::ffi::c_int;

use crate::runtime::team::with_state;

/// omp_pause_soft = 1, omp_pause_hard = 2 (GCC's omp.h).
fn pause(kind: c_int) -> c_int {
    if !(1..=2).contains(&kind) {
        eprintln!("hsomp: omp_pause_resource: unknown pause kind {kind}");
        return -1;
    }
    with_state(|ts| if ts.release_idle_crews() { 0 } else { -1 })
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
