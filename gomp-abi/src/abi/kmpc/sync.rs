//! barrier, master, masked, single, critical, flush and ordered.

use std::sync::atomic::{fence, Ordering};

use super::Ident;
use crate::abi::single::claim_single;
use crate::runtime::kmpc::reduce::critical_lock;
use crate::runtime::team::with_state;
use crate::runtime::workshare::ordered_start;

#[no_mangle]
pub extern "C" fn __kmpc_barrier(_loc: *const Ident, _gtid: i32) {
    with_state(|ts| ts.team_barrier())
}

#[no_mangle]
pub extern "C" fn __kmpc_master(_loc: *const Ident, _gtid: i32) -> i32 {
    with_state(|ts| i32::from(ts.cur().tid == 0))
}

#[no_mangle]
pub extern "C" fn __kmpc_end_master(_loc: *const Ident, _gtid: i32) {}

/// `masked filter(f)`: the thread whose number is `filter`.
#[no_mangle]
pub extern "C" fn __kmpc_masked(_loc: *const Ident, _gtid: i32, filter: i32) -> i32 {
    with_state(|ts| i32::from(ts.cur().tid as i32 == filter))
}

#[no_mangle]
pub extern "C" fn __kmpc_end_masked(_loc: *const Ident, _gtid: i32) {}

/// 1 for the one thread that executes the single block (abi/single.rs).
#[no_mangle]
pub extern "C" fn __kmpc_single(_loc: *const Ident, _gtid: i32) -> i32 {
    with_state(|ts| i32::from(claim_single(ts)))
}

/// clang emits the barrier after a single (unless nowait) itself.
#[no_mangle]
pub extern "C" fn __kmpc_end_single(_loc: *const Ident, _gtid: i32) {}

/// `critical(name)`: `crit` is the 32-byte zeroed `kmp_critical_name`
/// clang emits per name (runtime/kmpc/reduce.rs: its first word is the lock).
///
/// # Safety
/// `crit` is such an object.
#[no_mangle]
pub unsafe extern "C" fn __kmpc_critical(_loc: *const Ident, _gtid: i32, crit: *mut u32) {
    // SAFETY: caller's contract.
    unsafe { critical_lock(crit) }.lock()
}

/// The hint selects nothing: hsomp's one lock serves every hint (as
/// omp_init_lock_with_hint).
///
/// # Safety
/// As for `__kmpc_critical`.
#[no_mangle]
pub unsafe extern "C" fn __kmpc_critical_with_hint(_loc: *const Ident, _gtid: i32, crit: *mut u32, _hint: u32) {
    // SAFETY: caller's contract.
    unsafe { critical_lock(crit) }.lock()
}

/// # Safety
/// As for `__kmpc_critical`; the calling thread holds the lock.
#[no_mangle]
pub unsafe extern "C" fn __kmpc_end_critical(_loc: *const Ident, _gtid: i32, crit: *mut u32) {
    // SAFETY: caller's contract.
    unsafe { critical_lock(crit) }.unlock()
}

#[no_mangle]
pub extern "C" fn __kmpc_flush(_loc: *const Ident) {
    fence(Ordering::SeqCst)
}

/// `ordered` inside a loop of `__kmpc_dispatch_*` (runtime/kmpc/dispatch.rs).
#[no_mangle]
pub extern "C" fn __kmpc_ordered(_loc: *const Ident, _gtid: i32) {
    with_state(ordered_start)
}

/// The baton passes on with the thread's next chunk.
#[no_mangle]
pub extern "C" fn __kmpc_end_ordered(_loc: *const Ident, _gtid: i32) {}
