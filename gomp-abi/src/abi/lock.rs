//! omp_lock_t and omp_nest_lock_t (OpenMP 5.1 §3.9).
//!
//! GCC's omp.h makes `omp_lock_t` 4 bytes and `omp_nest_lock_t` 16 bytes,
//! pointer-aligned; the program allocates them, so our state lives inside:
//! a `RawMutex` for a simple lock; a `RawMutex`, a depth and an owner for a
//! nestable lock. The owner is the calling task (`owner_id`); only the
//! owner reads or writes `depth`, so it needs no atomicity beyond the mutex.
//!
//! # Two ABIs
//! These are the `@@OMP_3.0` definitions. Binaries built against OpenMP 2.5
//! (GCC before 4.4) bind to `@OMP_1.0`, which GCC's runtime keeps for them:
//! the simple lock is the same 4-byte mutex (a mutex may be unlocked by a
//! thread other than its locker), so those entry points forward here; the
//! 2.5 nestable lock is a different 8-byte object, `{ int owner; int count; }`,
//! owned by an OS thread (the owner word holds its kernel thread id and is the
//! futex word) rather than by a task: `NestLock25` below.

use std::cell::Cell;
use std::ffi::c_int;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};

use static_assertions::const_assert;

use crate::runtime::lock::RawMutex;
use crate::runtime::sleep::futex::{futex_wait, futex_wake};

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

/// The calling task's identity (OpenMP: nestable locks are owned by tasks;
/// the implicit task of a serialized region is a task of its own).
fn owner_id() -> usize {
    crate::runtime::task::current_task_id()
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

/// OpenMP 2.5's nestable lock (GCC's `omp_nest_lock_25_t`): 0 or the owning
/// thread's kernel id, and the nesting depth, which only the owner touches.
#[repr(C)]
pub struct NestLock25 {
    owner: AtomicU32,
    count: Cell<u32>,
}

const_assert!(std::mem::size_of::<NestLock25>() == 8);

/// The calling thread's kernel thread id (never 0), cached per thread.
fn kernel_tid() -> u32 {
    crate::runtime::tls::lasting! {
        static TID: u32 = {
            // SAFETY: gettid has no preconditions.
            let tid = unsafe { libc::gettid() };
            tid as u32
        };
    }
    TID.with(|t| *t)
}

pub(crate) fn nest25<'a>(p: *mut NestLock25) -> &'a NestLock25 {
    assert!(!p.is_null(), "hsomp: omp nest lock routine called with a NULL lock");
    // SAFETY: p points to a program's OpenMP 2.5 omp_nest_lock_t (8 bytes,
    // int-aligned), reserved for the lock routines.
    unsafe { &*p }
}

impl NestLock25 {
    /// Take the lock if it is free or already ours: the new depth, or None
    /// with the owner seen when another thread holds it.
    fn try_enter(&self) -> Result<u32, u32> {
        let me = kernel_tid();
        match self.owner.compare_exchange(0, me, Ordering::Acquire, Ordering::Relaxed) {
            Ok(_) => {
                self.count.set(1);
                Ok(1)
            }
            Err(owner) if owner == me => {
                self.count.set(self.count.get() + 1);
                Ok(self.count.get())
            }
            Err(owner) => Err(owner),
        }
    }
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

impl NestLock25 {
    /// The routines of the OpenMP 2.5 nestable lock, shared by the C and
    /// Fortran entry points.
    pub fn init(&self) {
        self.owner.store(0, Ordering::Relaxed);
        self.count.set(0);
    }

    pub fn destroy(&self) {
        if self.owner.load(Ordering::Relaxed) != 0 {
            eprintln!("hsomp: omp_destroy_nest_lock on a locked lock");
        }
    }

    pub fn set(&self) {
        while let Err(owner) = self.try_enter() {
            futex_wait(&self.owner, owner);
        }
    }

    pub fn unset(&self) {
        if self.owner.load(Ordering::Relaxed) != kernel_tid() {
            eprintln!("hsomp: omp_unset_nest_lock by a thread that does not own the lock; ignored");
            return;
        }
        let depth = self.count.get() - 1;
        self.count.set(depth);
        if depth == 0 {
            self.owner.store(0, Ordering::Release);
            futex_wake(&self.owner, 1);
        }
    }

    /// The new nesting depth, or 0 when another thread holds the lock.
    pub fn test(&self) -> c_int {
        self.try_enter().map_or(0, |depth| depth as c_int)
    }
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
