//! `threadprivate` without thread-local storage (runtime/kmpc/threadprivate.rs).

use std::ffi::c_void;

use super::Ident;
use crate::runtime::kmpc::threadprivate::{self as tp, Cctor, CctorVec, Ctor, CtorVec, Dtor, DtorVec, Init};

/// # Safety
/// `data` is a threadprivate variable of `size` bytes.
#[no_mangle]
pub unsafe extern "C" fn __kmpc_threadprivate(_loc: *const Ident, _gtid: i32, data: *mut c_void, size: usize) -> *mut c_void {
    // SAFETY: caller's contract.
    unsafe { tp::copy_of(data, size) }
}

/// # Safety
/// As for `__kmpc_threadprivate`; `cache` is not used.
#[no_mangle]
pub unsafe extern "C" fn __kmpc_threadprivate_cached(
    _loc: *const Ident,
    _gtid: i32,
    data: *mut c_void,
    size: usize,
    _cache: *mut *mut *mut c_void,
) -> *mut c_void {
    // SAFETY: caller's contract.
    unsafe { tp::copy_of(data, size) }
}

#[no_mangle]
pub extern "C" fn __kmpc_threadprivate_register(
    _loc: *const Ident,
    data: *mut c_void,
    ctor: Option<Ctor>,
    cctor: Option<Cctor>,
    dtor: Option<Dtor>,
) {
    tp::register(data, Init::Object { ctor, cctor, dtor })
}

#[no_mangle]
pub extern "C" fn __kmpc_threadprivate_register_vec(
    _loc: *const Ident,
    data: *mut c_void,
    ctor: Option<CtorVec>,
    cctor: Option<CctorVec>,
    dtor: Option<DtorVec>,
    vector_length: usize,
) {
    tp::register(data, Init::Array { ctor, cctor, dtor, len: vector_length })
}
