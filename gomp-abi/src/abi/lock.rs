//! omp_lock_t and omp_nest_lock_t (OpenMP 5.1 §3.9).
//!
//! GCC's omp.h makes `omp_lock_t` 4 bytes and `omp_nest_lock_t` 16 bytes,
//! pointer-aligned; clang's makes both 8 bytes. The program allocates them:
//! a simple lock is a `RawMutex` inside the first 4 bytes; a nestable lock
//! uses the first 8, a pointer to its state (runtime/nest_lock.rs), so
//! both compilers' programs share one implementation. Under clang the same
//! routines are also `name@VERSION` (libomp's version; build.rs).
//!
//! # Two ABIs
//! These are the `@@OMP_3.0` definitions. Binaries built against OpenMP 2.5
//! (GCC before 4.4) bind to `@OMP_1.0`, which GCC's runtime keeps for them:
//! the simple lock is the same 4-byte mutex (a mutex may be unlocked by a
//! thread other than its locker), so those entry points forward here; the
//! 2.5 nestable lock is a different 8-byte object, `{ int owner; int count; }`,
//! owned by an OS thread (the owner word holds its kernel thread id and is the
//! futex word) rather than by a task. Both nestable locks are
//! runtime/nest_lock.rs; this file only has the entry points.

use std::ffi::c_int;

use crate::runtime::lock::RawMutex;
pub use crate::runtime::nest_lock::NestLock25;
use crate::runtime::nest_lock::{NestLock, NestLockSlot};

pub type OmpLock = u32;
/// The first 8 bytes of either compiler's `omp_nest_lock_t`.
pub type OmpNestLock = u64;

fn lock<'a>(p: *mut OmpLock) -> &'a RawMutex {
    assert!(!p.is_null(), "hsomp: omp lock routine called with a NULL lock");
    // SAFETY: p points to the program's omp_lock_t (4 bytes, 4-aligned),
    // which the OpenMP API reserves for the lock routines.
    unsafe { RawMutex::from_ptr(p) }
}

fn slot<'a>(p: *mut OmpNestLock) -> &'a NestLockSlot {
    assert!(!p.is_null(), "hsomp: omp nest lock routine called with a NULL lock");
    // SAFETY: p points to the program's omp_nest_lock_t (8 or 16 bytes,
    // pointer-aligned), reserved for the lock routines.
    unsafe { NestLockSlot::from_ptr(p) }
}

fn nest<'a>(p: *mut OmpNestLock) -> &'a NestLock {
    slot(p).get()
}

pub(crate) fn nest25<'a>(p: *mut NestLock25) -> &'a NestLock25 {
    assert!(!p.is_null(), "hsomp: omp nest lock routine called with a NULL lock");
    // SAFETY: p points to a program's OpenMP 2.5 omp_nest_lock_t (8 bytes,
    // int-aligned), reserved for the lock routines.
    unsafe { NestLock25::from_ptr(p) }
}

#[no_mangle]
#[inline(never)]
pub extern "C" fn omp_init_lock(p: *mut OmpLock) {
    lock(p).init();
}

/// Hints (contended, speculative...) are advice; a futex lock serves all.
#[no_mangle]
pub extern "C" fn omp_init_lock_with_hint(p: *mut OmpLock, _hint: c_int) {
    lock(p).init();
}

#[no_mangle]
#[inline(never)]
pub extern "C" fn omp_destroy_lock(p: *mut OmpLock) {
    if lock(p).is_locked() {
        eprintln!("hsomp: omp_destroy_lock on a locked lock");
    }
}

#[no_mangle]
#[inline(never)]
pub extern "C" fn omp_set_lock(p: *mut OmpLock) {
    lock(p).lock();
}

#[no_mangle]
#[inline(never)]
pub extern "C" fn omp_unset_lock(p: *mut OmpLock) {
    lock(p).unlock();
}

#[no_mangle]
#[inline(never)]
pub extern "C" fn omp_test_lock(p: *mut OmpLock) -> c_int {
    c_int::from(lock(p).try_lock())
}

#[no_mangle]
pub extern "C" fn omp_init_nest_lock(p: *mut OmpNestLock) {
    slot(p).init();
}

#[no_mangle]
pub extern "C" fn omp_init_nest_lock_with_hint(p: *mut OmpNestLock, _hint: c_int) {
    omp_init_nest_lock(p);
}

#[no_mangle]
pub extern "C" fn omp_destroy_nest_lock(p: *mut OmpNestLock) {
    if !slot(p).destroy() {
        eprintln!("hsomp: omp_destroy_nest_lock on a locked lock");
    }
}

#[no_mangle]
pub extern "C" fn omp_set_nest_lock(p: *mut OmpNestLock) {
    nest(p).set();
}

#[no_mangle]
pub extern "C" fn omp_unset_nest_lock(p: *mut OmpNestLock) {
    nest(p).unset();
}

/// The new nesting depth, or 0 when another thread holds the lock.
#[no_mangle]
pub extern "C" fn omp_test_nest_lock(p: *mut OmpNestLock) -> c_int {
    nest(p).test()
}

/// Forwarders binding the OpenMP 2.5 simple lock symbols to the routines
/// above. Those are `inline(never)`: a forwarder with the callee inlined
/// would be merged with it into one address, and GNU ld cannot give one
/// address both `name@OMP_1.0` and `name@@OMP_3.0`.
macro_rules! compat_simple_lock {
    ($($compat:ident => $current:ident $(-> $ret:ty)?),* $(,)?) => {$(
        #[no_mangle]
        pub extern "C" fn $compat(p: *mut OmpLock) $(-> $ret)? {
            $current(p)
        }
    )*};
}

compat_simple_lock! {
    hsomp_omp_init_lock_10 => omp_init_lock,
    hsomp_omp_destroy_lock_10 => omp_destroy_lock,
    hsomp_omp_set_lock_10 => omp_set_lock,
    hsomp_omp_unset_lock_10 => omp_unset_lock,
    hsomp_omp_test_lock_10 => omp_test_lock -> c_int,
}

#[no_mangle]
pub extern "C" fn hsomp_omp_init_nest_lock_10(p: *mut NestLock25) {
    nest25(p).init();
}

#[no_mangle]
pub extern "C" fn hsomp_omp_destroy_nest_lock_10(p: *mut NestLock25) {
    nest25(p).destroy();
}

#[no_mangle]
pub extern "C" fn hsomp_omp_set_nest_lock_10(p: *mut NestLock25) {
    nest25(p).set();
}

#[no_mangle]
pub extern "C" fn hsomp_omp_unset_nest_lock_10(p: *mut NestLock25) {
    nest25(p).unset();
}

#[no_mangle]
pub extern "C" fn hsomp_omp_test_nest_lock_10(p: *mut NestLock25) -> c_int {
    nest25(p).test()
}

// The OpenMP 2.5 entry points, visible only under their versioned names
// (`remove` drops the hsomp_* ones; the version script makes the plain
// names `@@OMP_3.0`).
std::arch::global_asm!(
    ".symver hsomp_omp_init_lock_10, omp_init_lock@OMP_1.0, remove",
    ".symver hsomp_omp_destroy_lock_10, omp_destroy_lock@OMP_1.0, remove",
    ".symver hsomp_omp_set_lock_10, omp_set_lock@OMP_1.0, remove",
    ".symver hsomp_omp_unset_lock_10, omp_unset_lock@OMP_1.0, remove",
    ".symver hsomp_omp_test_lock_10, omp_test_lock@OMP_1.0, remove",
    ".symver hsomp_omp_init_nest_lock_10, omp_init_nest_lock@OMP_1.0, remove",
    ".symver hsomp_omp_destroy_nest_lock_10, omp_destroy_nest_lock@OMP_1.0, remove",
    ".symver hsomp_omp_set_nest_lock_10, omp_set_nest_lock@OMP_1.0, remove",
    ".symver hsomp_omp_unset_nest_lock_10, omp_unset_nest_lock@OMP_1.0, remove",
    ".symver hsomp_omp_test_nest_lock_10, omp_test_nest_lock@OMP_1.0, remove",
);
