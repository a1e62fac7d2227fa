//! The Fortran lock routines. gfortran's `omp_lib` has `omp_lock_kind = 4`
//! and `omp_nest_lock_kind = 8`: a simple lock variable is an `omp_lock_t`
//! itself (4 bytes), and a nestable lock variable is an `omp_nest_lock_t`
//! itself too: hsomp's uses only its first 8 bytes (abi/lock.rs).
//!
//! Binaries built against OpenMP 2.5 bind to `@OMP_1.0`: there both lock
//! kinds hold the 2.5 lock itself (the 4-byte simple lock and the 8-byte
//! thread-owned `NestLock25`, which fit their kinds exactly).

use std::ffi::c_int;

use crate::abi::lock::{self as c, NestLock25, OmpLock, OmpNestLock};

#[no_mangle]
#[inline(never)]
pub extern "C" fn omp_init_lock_(l: *mut OmpLock) {
    c::omp_init_lock(l);
}

#[no_mangle]
#[inline(never)]
pub extern "C" fn omp_destroy_lock_(l: *mut OmpLock) {
    c::omp_destroy_lock(l);
}

#[no_mangle]
#[inline(never)]
pub extern "C" fn omp_set_lock_(l: *mut OmpLock) {
    c::omp_set_lock(l);
}

#[no_mangle]
#[inline(never)]
pub extern "C" fn omp_unset_lock_(l: *mut OmpLock) {
    c::omp_unset_lock(l);
}

#[no_mangle]
#[inline(never)]
pub extern "C" fn omp_test_lock_(l: *mut OmpLock) -> c_int {
    c::omp_test_lock(l)
}

#[no_mangle]
pub extern "C" fn omp_init_nest_lock_(var: *mut OmpNestLock) {
    c::omp_init_nest_lock(var);
}

#[no_mangle]
pub extern "C" fn omp_destroy_nest_lock_(var: *mut OmpNestLock) {
    c::omp_destroy_nest_lock(var);
}

#[no_mangle]
pub extern "C" fn omp_set_nest_lock_(var: *mut OmpNestLock) {
    c::omp_set_nest_lock(var);
}

#[no_mangle]
pub extern "C" fn omp_unset_nest_lock_(var: *mut OmpNestLock) {
    c::omp_unset_nest_lock(var);
}

#[no_mangle]
pub extern "C" fn omp_test_nest_lock_(var: *mut OmpNestLock) -> c_int {
    c::omp_test_nest_lock(var)
}

/// The OpenMP 2.5 simple lock is the same lock: these forward to the
/// routines above, which are `inline(never)` so that no forwarder becomes
/// an alias of its target (GNU ld cannot give one address both
/// `name@OMP_1.0` and `name@@OMP_3.0`).
macro_rules! compat_simple_lock {
    ($($compat:ident => $current:ident $(-> $ret:ty)?),* $(,)?) => {$(
        #[no_mangle]
        pub extern "C" fn $compat(l: *mut OmpLock) $(-> $ret)? {
            $current(l)
        }
    )*};
}

compat_simple_lock! {
    hsomp_omp_init_lock__10 => omp_init_lock_,
    hsomp_omp_destroy_lock__10 => omp_destroy_lock_,
    hsomp_omp_set_lock__10 => omp_set_lock_,
    hsomp_omp_unset_lock__10 => omp_unset_lock_,
    hsomp_omp_test_lock__10 => omp_test_lock_ -> c_int,
}

#[no_mangle]
pub extern "C" fn hsomp_omp_init_nest_lock__10(l: *mut NestLock25) {
    c::nest25(l).init();
}

#[no_mangle]
pub extern "C" fn hsomp_omp_destroy_nest_lock__10(l: *mut NestLock25) {
    c::nest25(l).destroy();
}

#[no_mangle]
pub extern "C" fn hsomp_omp_set_nest_lock__10(l: *mut NestLock25) {
    c::nest25(l).set();
}

#[no_mangle]
pub extern "C" fn hsomp_omp_unset_nest_lock__10(l: *mut NestLock25) {
    c::nest25(l).unset();
}

#[no_mangle]
pub extern "C" fn hsomp_omp_test_nest_lock__10(l: *mut NestLock25) -> c_int {
    c::nest25(l).test()
}

// As in abi/lock.rs: the 2.5 entry points only under their versioned names.
std::arch::global_asm!(
    ".symver hsomp_omp_init_lock__10, omp_init_lock_@OMP_1.0, remove",
    ".symver hsomp_omp_destroy_lock__10, omp_destroy_lock_@OMP_1.0, remove",
    ".symver hsomp_omp_set_lock__10, omp_set_lock_@OMP_1.0, remove",
    ".symver hsomp_omp_unset_lock__10, omp_unset_lock_@OMP_1.0, remove",
    ".symver hsomp_omp_test_lock__10, omp_test_lock_@OMP_1.0, remove",
    ".symver hsomp_omp_init_nest_lock__10, omp_init_nest_lock_@OMP_1.0, remove",
    ".symver hsomp_omp_destroy_nest_lock__10, omp_destroy_nest_lock_@OMP_1.0, remove",
    ".symver hsomp_omp_set_nest_lock__10, omp_set_nest_lock_@OMP_1.0, remove",
    ".symver hsomp_omp_unset_nest_lock__10, omp_unset_nest_lock_@OMP_1.0, remove",
    ".symver hsomp_omp_test_nest_lock__10, omp_test_nest_lock_@OMP_1.0, remove",
);
