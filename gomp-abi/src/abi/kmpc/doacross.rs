//! Doacross loops in LLVM's ABI (`ordered(n)` with `depend(sink: ...)` /
//! `depend(source)`): runtime/doacross.rs (`llvm`) does the work.

use super::Ident;
use crate::runtime::doacross::llvm::{self, Dim};
use crate::runtime::team::with_state;

/// # Safety
/// `dims` holds `num_dims` `kmp_dim`s.
#[no_mangle]
pub unsafe extern "C" fn __kmpc_doacross_init(_loc: *const Ident, _gtid: i32, num_dims: i32, dims: *const Dim) {
    // SAFETY: per the contract.
    let dims = unsafe { std::slice::from_raw_parts(dims, num_dims.max(0) as usize) };
    with_state(|ts| llvm::init(ts, dims))
}

/// # Safety
/// `vec` holds one value per loop of the current nest.
#[no_mangle]
pub unsafe extern "C" fn __kmpc_doacross_wait(_loc: *const Ident, _gtid: i32, vec: *const i64) {
    // SAFETY: per the contract.
    with_state(|ts| unsafe { llvm::wait(ts, vec) })
}

/// # Safety
/// `vec` holds one value per loop of the current nest.
#[no_mangle]
pub unsafe extern "C" fn __kmpc_doacross_post(_loc: *const Ident, _gtid: i32, vec: *const i64) {
    // SAFETY: per the contract.
    unsafe { llvm::post(vec) }
}

#[no_mangle]
pub extern "C" fn __kmpc_doacross_fini(_loc: *const Ident, _gtid: i32) {
    with_state(llvm::fini)
}
