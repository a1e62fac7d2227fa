//! The `__kmpc_*_lock` entry points (what Flang and some compilers call for
//! `omp_*_lock`): `user_lock` is the program's `omp_lock_t` /
//! `omp_nest_lock_t`, handled by the same routines as the omp_* API
//! (abi/lock.rs).

use std::ffi::{c_int, c_void};

use super::Ident;
use crate::abi::lock as omp;

macro_rules! forward {
    ($($name:ident => $target:ident $(-> $ret:ty)?;)+) => {$(
        #[no_mangle]
        pub extern "C" fn $name(_loc: *const Ident, _gtid: i32, user_lock: *mut *mut c_void) $(-> $ret)? {
            omp::$target(user_lock.cast())
        }
    )+};
}

forward! {
    __kmpc_init_lock => omp_init_lock;
    __kmpc_destroy_lock => omp_destroy_lock;
    __kmpc_set_lock => omp_set_lock;
    __kmpc_unset_lock => omp_unset_lock;
    __kmpc_test_lock => omp_test_lock -> c_int;
    __kmpc_init_nest_lock => omp_init_nest_lock;
    __kmpc_destroy_nest_lock => omp_destroy_nest_lock;
    __kmpc_set_nest_lock => omp_set_nest_lock;
    __kmpc_unset_nest_lock => omp_unset_nest_lock;
    __kmpc_test_nest_lock => omp_test_nest_lock -> c_int;
}

#[no_mangle]
pub extern "C" fn __kmpc_init_lock_with_hint(_loc: *const Ident, _gtid: i32, user_lock: *mut *mut c_void, hint: u32) {
    omp::omp_init_lock_with_hint(user_lock.cast(), hint as c_int)
}

#[no_mangle]
pub extern "C" fn __kmpc_init_nest_lock_with_hint(_loc: *const Ident, _gtid: i32, user_lock: *mut *mut c_void, hint: u32) {
    omp::omp_init_nest_lock_with_hint(user_lock.cast(), hint as c_int)
}
