//! omp_lock_t and omp_nest_lock_t (OpenMP 5.1 §3.9).
//!
//! GCC's omp.h makes `omp_lock_t` 4 bytes and `omp_nest_lock_t` 16 bytes,
//! pointer-aligned; the program allocates them, so our state lives inside:
//! a `RawMutex` for a simple lock; a `RawMutex`, a depth and an owner for a
//! nestable lock. The owner is the calling task (`owner_id`); only the
//! owner reads or writes `depth`, so it needs no atomicity beyond the mutex.

use std::cell::Cell;
use std::ffi::c_int;
use std::sync::atomic::{AtomicUsize, Ordering};

use static_assertions::const_assert;

use crate::runtime::lock::RawMutex;

#[repr(C)]
pub struct NestLock {
    mutex: RawMutex,
    depth: Cell<u32>,
    owner: AtomicUsize,
}

const_assert!(std::mem::size_of::<RawMutex>() == 4);
const_assert!(std::mem::size_of::<NestLock>() == 16);
const_assert!(std::mem::align_of::<NestLock>() <= std::mem::align_of::<*const u8>());

pub type OmpLock = u32;
pub type OmpNestLock = [u64; 2];

/// A non-zero identity of the calling task (OpenMP: nestable locks are owned
/// by tasks): the running explicit task's descriptor, or, in an implicit
/// task, the thread (one implicit task runs per thread at a time).
fn owner_id() -> usize {
    thread_local!(static ID: u8 = const { 0 });
    match crate::runtime::task::current_task_id() {
        0 => ID.with(|b| b as *const u8 as usize),
        task => task,
    }
}

fn lock<'a>(p: *mut OmpLock) -> &'a RawMutex {
    assert!(!p.is_null(), "hsomp: omp lock routine called with a NULL lock");
    // SAFETY: p points to the program's omp_lock_t (4 bytes, 4-aligned),
    // which the OpenMP API reserves for the lock routines.
    unsafe { RawMutex::from_ptr(p) }
}

fn nest<'a>(p: *mut OmpNestLock) -> &'a NestLock {
    assert!(!p.is_null(), "hsomp: omp nest lock routine called with a NULL lock");
    // SAFETY: p points to the program's omp_nest_lock_t (16 bytes,
    // pointer-aligned, checked above against NestLock's layout).
    unsafe { &*(p as *const NestLock) }
}

#[no_mangle]
pub extern "C" fn omp_init_lock(p: *mut OmpLock) {
    lock(p).init();
}

/// Hints (contended, speculative...) are advice; a futex lock serves all.
#[no_mangle]
pub extern "C" fn omp_init_lock_with_hint(p: *mut OmpLock, _hint: c_int) {
    lock(p).init();
}

#[no_mangle]
pub extern "C" fn omp_destroy_lock(p: *mut OmpLock) {
    if lock(p).is_locked() {
        eprintln!("hsomp: omp_destroy_lock on a locked lock");
    }
}

#[no_mangle]
pub extern "C" fn omp_set_lock(p: *mut OmpLock) {
    lock(p).lock();
}

#[no_mangle]
pub extern "C" fn omp_unset_lock(p: *mut OmpLock) {
    lock(p).unlock();
}

#[no_mangle]
pub extern "C" fn omp_test_lock(p: *mut OmpLock) -> c_int {
    c_int::from(lock(p).try_lock())
}

#[no_mangle]
pub extern "C" fn omp_init_nest_lock(p: *mut OmpNestLock) {
    let l = nest(p);
    l.mutex.init();
    l.depth.set(0);
    l.owner.store(0, Ordering::Relaxed);
}

#[no_mangle]
pub extern "C" fn omp_init_nest_lock_with_hint(p: *mut OmpNestLock, _hint: c_int) {
    omp_init_nest_lock(p);
}

#[no_mangle]
pub extern "C" fn omp_destroy_nest_lock(p: *mut OmpNestLock) {
    if nest(p).mutex.is_locked() {
        eprintln!("hsomp: omp_destroy_nest_lock on a locked lock");
    }
}

#[no_mangle]
pub extern "C" fn omp_set_nest_lock(p: *mut OmpNestLock) {
    let l = nest(p);
    let me = owner_id();
    if l.owner.load(Ordering::Relaxed) != me {
        l.mutex.lock();
        l.owner.store(me, Ordering::Relaxed);
    }
    l.depth.set(l.depth.get() + 1);
}

#[no_mangle]
pub extern "C" fn omp_unset_nest_lock(p: *mut OmpNestLock) {
    let l = nest(p);
    if l.owner.load(Ordering::Relaxed) != owner_id() {
        eprintln!("hsomp: omp_unset_nest_lock by a thread that does not own the lock; ignored");
        return;
    }
    let depth = l.depth.get() - 1;
    l.depth.set(depth);
    if depth == 0 {
        l.owner.store(0, Ordering::Relaxed);
        l.mutex.unlock();
    }
}

/// The new nesting depth, or 0 when another thread holds the lock.
#[no_mangle]
pub extern "C" fn omp_test_nest_lock(p: *mut OmpNestLock) -> c_int {
    let l = nest(p);
    let me = owner_id();
    if l.owner.load(Ordering::Relaxed) != me {
        if !l.mutex.try_lock() {
            return 0;
        }
        l.owner.store(me, Ordering::Relaxed);
    }
    l.depth.set(l.depth.get() + 1);
    l.depth.get() as c_int
}
