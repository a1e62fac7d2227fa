//! `__kmpc_reduce*` and `__kmpc_copyprivate`.
//!
//! # Reductions
//! clang emits, per `reduction` clause, a call that tells each thread how to
//! combine its private copies into the shared variables: 1, "combine them
//! yourself (non-atomically), then call the matching end"; 2, "combine them
//! with the atomic code" (clang emits it only when the `ident_t` says so);
//! 0, "nothing to do". hsomp picks per call:
//! - a thread outside any team, or alone in its team: 1, no lock (nothing
//!   to race with);
//! - the compiler generated atomic code: 2 (no lock, no waiting; the atomic
//!   updates of a few threads are what libomp also picks for small teams);
//! - otherwise 1 under the construct's lock (`lck`, a zeroed 32-byte
//!   `kmp_critical_name` whose first word is a `RawMutex`, as for named
//!   `critical`), which the end call releases.
//!
//! Which lock a thread holds is remembered per thread until its end call
//! (no thread can start another reduction in between). The blocking
//! variant's end (`__kmpc_end_reduce`, also called after the atomic code)
//! adds the team barrier.
//!
//! # copyprivate
//! After a `single`, every thread calls `__kmpc_copyprivate`; the one that
//! ran the single (`didit`) publishes its data pointer, a barrier makes it
//! visible, the others copy from it with clang's `cpy_func`, and a second
//! barrier keeps the executor's data alive until they are done.

use std::cell::Cell;
use std::ffi::c_void;
use std::sync::atomic::Ordering;

use super::{flags, Ident, IDENT_ATOMIC_REDUCE};
use crate::runtime::lock::RawMutex;
use crate::runtime::team::ThreadState;
use crate::runtime::tls;

tls::lasting! {
    /// The reduction lock the calling thread holds (null: none).
    static HELD: Cell<*mut u32> = Cell::new(std::ptr::null_mut());
}

/// The lock of a null `kmp_critical_name` (a compiler or caller error):
/// one shared lock, so the construct still excludes.
static NO_NAME: RawMutex = RawMutex::new();

/// The lock in a `kmp_critical_name` (32 zeroed bytes, 4-aligned, that the
/// compiler emits per name; zero is the unlocked `RawMutex`).
///
/// # Safety
/// `name` is null or points to such an object, used only by the kmpc
/// critical and reduction routines.
pub unsafe fn critical_lock<'a>(name: *mut u32) -> &'a RawMutex {
    if name.is_null() {
        eprintln!("hsomp: __kmpc critical or reduction with a NULL kmp_critical_name; using one shared lock");
        return &NO_NAME;
    }
    // SAFETY: per the contract.
    unsafe { RawMutex::from_ptr(name) }
}

/// `__kmpc_reduce` / `__kmpc_reduce_nowait`: the method (module comment).
///
/// # Safety
/// `lck` is the construct's `kmp_critical_name`; `loc` is null or clang's
/// `ident_t`.
pub unsafe fn reduce(ts: &ThreadState, loc: *const Ident, lck: *mut u32) -> i32 {
    if ts.team().is_none_or(|t| t.cfg().nthreads == 1) {
        return 1;
    }
    // SAFETY: clang's ident_t (caller's contract).
    if unsafe { flags(loc) } & IDENT_ATOMIC_REDUCE != 0 {
        return 2;
    }
    // SAFETY: caller's contract.
    unsafe { critical_lock(lck) }.lock();
    HELD.with(|h| h.set(lck));
    1
}

/// `__kmpc_end_reduce(_nowait)`: release the lock `reduce` took, if any;
/// then, when `barrier`, the team barrier.
pub fn end_reduce(ts: &ThreadState, lck: *mut u32, barrier: bool) {
    let held = HELD.with(|h| h.replace(std::ptr::null_mut()));
    if !held.is_null() {
        if held != lck {
            eprintln!("hsomp: __kmpc_end_reduce for another construct's reduction; releasing the held one");
        }
        // SAFETY: the lock this thread took in `reduce`.
        unsafe { critical_lock(held) }.unlock();
    }
    if barrier {
        ts.team_barrier();
    }
}

/// `__kmpc_copyprivate` (module comment).
///
/// # Safety
/// `data` and `cpy_func` are clang's: `cpy_func(dst, src)` copies between
/// two threads' blocks shaped like `data`.
pub unsafe fn copyprivate(ts: &ThreadState, data: *mut c_void, cpy_func: Option<unsafe extern "C" fn(*mut c_void, *mut c_void)>, didit: bool) {
    let Some(team) = ts.team() else { return };
    if didit {
        team.copyprivate.store(data, Ordering::Release);
    }
    ts.team_barrier();
    match cpy_func {
        Some(copy) if !didit => {
            let src = team.copyprivate.load(Ordering::Acquire);
            // SAFETY: the executor's block, alive until the barrier below.
            unsafe { copy(data, src) };
        }
        None => eprintln!("hsomp: __kmpc_copyprivate without a copy function; nothing copied"),
        _ => {}
    }
    ts.team_barrier();
}
