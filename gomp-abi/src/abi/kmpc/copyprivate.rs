//! `single copyprivate(...)`: `__kmpc_copyprivate` (runtime/kmpc/reduce.rs).

use std::ffi::c_void;

use super::Ident;
use crate::runtime::kmpc::reduce;
use crate::runtime::team::with_state;

/// # Safety
/// `cpy_data` and `cpy_func` are clang's (`cpy_func(dst, src)`).
#[no_mangle]
pub unsafe extern "C" fn __kmpc_copyprivate(
    _loc: *const Ident,
    _gtid: i32,
    _cpy_size: usize,
    cpy_data: *mut c_void,
    cpy_func: Option<unsafe extern "C" fn(*mut c_void, *mut c_void)>,
    didit: i32,
) {
    // SAFETY: caller's contract.
    with_state(|ts| unsafe { reduce::copyprivate(ts, cpy_data, cpy_func, didit != 0) })
}
