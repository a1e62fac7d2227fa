//! `reduction` clauses: `__kmpc_reduce(_nowait)` and their ends
//! (runtime/kmpc/reduce.rs has the methods).

use std::ffi::c_void;

use super::Ident;
use crate::runtime::kmpc::reduce;
use crate::runtime::team::with_state;

/// clang's combiner of two private blocks: `lhs op= rhs`.
pub type ReduceFunc = unsafe extern "C" fn(*mut c_void, *mut c_void);

/// # Safety
/// `lck` is the construct's zeroed 32-byte `kmp_critical_name`.
#[no_mangle]
pub unsafe extern "C" fn __kmpc_reduce_nowait(
    loc: *const Ident,
    _gtid: i32,
    _num_vars: i32,
    _reduce_size: usize,
    _reduce_data: *mut c_void,
    _reduce_func: Option<ReduceFunc>,
    lck: *mut u32,
) -> i32 {
    // SAFETY: caller's contract.
    with_state(|ts| unsafe { reduce::reduce(ts, loc, lck) })
}

#[no_mangle]
pub extern "C" fn __kmpc_end_reduce_nowait(_loc: *const Ident, _gtid: i32, lck: *mut u32) {
    with_state(|ts| reduce::end_reduce(ts, lck, false))
}

/// # Safety
/// As for `__kmpc_reduce_nowait`.
#[no_mangle]
pub unsafe extern "C" fn __kmpc_reduce(
    loc: *const Ident,
    _gtid: i32,
    _num_vars: i32,
    _reduce_size: usize,
    _reduce_data: *mut c_void,
    _reduce_func: Option<ReduceFunc>,
    lck: *mut u32,
) -> i32 {
    // SAFETY: caller's contract.
    with_state(|ts| unsafe { reduce::reduce(ts, loc, lck) })
}

/// The end of a blocking reduction: the team barrier included.
#[no_mangle]
pub extern "C" fn __kmpc_end_reduce(_loc: *const Ident, _gtid: i32, lck: *mut u32) {
    with_state(|ts| reduce::end_reduce(ts, lck, true))
}
