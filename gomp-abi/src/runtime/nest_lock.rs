//! The nestable locks behind omp_*_nest_lock (abi/lock.rs has the entry
//! points): OpenMP 3.0's, owned by a task, and OpenMP 2.5's, owned by an
//! OS thread.
//!
//! # `NestLockSlot` / `NestLock` (`omp_nest_lock_t`, `@@OMP_3.0`, `@VERSION`)
//! The program allocates `omp_nest_lock_t`, and the two compilers disagree
//! on its size: GCC's omp.h makes it 16 bytes, clang's (LLVM's) 8, and a
//! process may hold both kinds (a gcc-built and a clang-built object calling
//! the same `omp_init_nest_lock`, or the static library in a clang
//! program). One implementation serves both by using only the first 8
//! bytes, a pointer-sized `NestLockSlot` holding a pointer to the lock
//! state, which `init` allocates and `destroy` frees (the state is the
//! same for both ABIs: a `RawMutex`, a depth and an owner, too much for 8
//! bytes together with an owner that must identify a task). The owner is
//! the calling task (`owner_id`: the implicit task of a serialized region
//! is a task of its own); only the owner reads or writes `depth`, so it
//! needs no atomicity beyond the mutex. A lock used without `init` (a
//! program error) gets its state on first use, with a message, rather than
//! a crash.
//!
//! # `NestLock25` (OpenMP 2.5's `omp_nest_lock_t`, `@OMP_1.0`)
//! Binaries built against OpenMP 2.5 (GCC before 4.4) bind to `@OMP_1.0`.
//! Their nestable lock is a different 8-byte object, `{ int owner; int
//! count; }`, owned by an OS thread: the owner word holds its kernel
//! thread id and is the futex word; only the owner touches `count`.

use std::cell::Cell;
use std::ffi::c_int;
use std::sync::atomic::{AtomicPtr, AtomicU32, AtomicUsize, Ordering};

use static_assertions::const_assert;

use super::lock::RawMutex;
use super::sleep::futex::{futex_wait, futex_wake};

pub struct NestLock {
    mutex: RawMutex,
    depth: Cell<u32>,
    owner: AtomicUsize,
}

/// The program's `omp_nest_lock_t` (its first 8 bytes): the lock's state
/// or null.
#[repr(transparent)]
pub struct NestLockSlot(AtomicPtr<NestLock>);

const_assert!(std::mem::size_of::<RawMutex>() == 4);
const_assert!(std::mem::size_of::<NestLockSlot>() == 8);
const_assert!(std::mem::align_of::<NestLockSlot>() <= std::mem::align_of::<*const u8>());

/// The calling task's identity (OpenMP: nestable locks are owned by tasks;
/// the implicit task of a serialized region is a task of its own).
fn owner_id() -> usize {
    super::task::current_task_id()
}

impl NestLockSlot {
    /// View a program's `omp_nest_lock_t` as a `NestLockSlot`.
    ///
    /// # Safety
    /// `p` is non-null and points to at least 8 pointer-aligned bytes
    /// reserved for the lock routines for `'a`.
    pub unsafe fn from_ptr<'a>(p: *mut u64) -> &'a NestLockSlot {
        // SAFETY: per the contract; the layout is checked above.
        unsafe { &*(p as *const NestLockSlot) }
    }

    /// A new, unlocked lock (omp_init_nest_lock; the program's object
    /// holds garbage before, so nothing is read from it).
    pub fn init(&self) {
        self.0.store(Box::into_raw(Box::new(NestLock::new())), Ordering::Release);
    }

    /// Free the lock's state (omp_destroy_nest_lock); false when it was
    /// still locked (it is freed all the same: nobody may use it now).
    pub fn destroy(&self) -> bool {
        let p = self.0.swap(std::ptr::null_mut(), Ordering::AcqRel);
        if p.is_null() {
            return true;
        }
        // SAFETY: a non-null slot holds a pointer from Box::into_raw (init
        // or `get`), taken out of the slot just above, so freed only here.
        let state = unsafe { Box::from_raw(p) };
        !state.is_locked()
    }

    /// The lock's state, made on first use when the program never
    /// initialised the lock.
    pub fn get(&self) -> &NestLock {
        let mut p = self.0.load(Ordering::Acquire);
        if p.is_null() {
            p = self.install();
        }
        // SAFETY: from Box::into_raw, freed only by destroy, which OpenMP
        // forbids to race with any other use of the lock.
        unsafe { &*p }
    }

    #[cold]
    fn install(&self) -> *mut NestLock {
        eprintln!("hsomp: a nestable lock used before omp_init_nest_lock; initialising it now");
        let new = Box::into_raw(Box::new(NestLock::new()));
        match self.0.compare_exchange(std::ptr::null_mut(), new, Ordering::AcqRel, Ordering::Acquire) {
            Ok(_) => new,
            Err(theirs) => {
                // SAFETY: `new` was never published.
                drop(unsafe { Box::from_raw(new) });
                theirs
            }
        }
    }
}

impl NestLock {
    fn new() -> NestLock {
        NestLock { mutex: RawMutex::new(), depth: Cell::new(0), owner: AtomicUsize::new(0) }
    }

    pub fn is_locked(&self) -> bool {
        self.mutex.is_locked()
    }

    pub fn set(&self) {
        let me = owner_id();
        if self.owner.load(Ordering::Relaxed) != me {
            self.mutex.lock();
            self.owner.store(me, Ordering::Relaxed);
        }
        self.depth.set(self.depth.get() + 1);
    }

    pub fn unset(&self) {
        if self.owner.load(Ordering::Relaxed) != owner_id() {
            eprintln!("hsomp: omp_unset_nest_lock by a thread that does not own the lock; ignored");
            return;
        }
        let depth = self.depth.get() - 1;
        self.depth.set(depth);
        if depth == 0 {
            self.owner.store(0, Ordering::Relaxed);
            self.mutex.unlock();
        }
    }

    /// The new nesting depth, or 0 when another task holds the lock.
    pub fn test(&self) -> c_int {
        let me = owner_id();
        if self.owner.load(Ordering::Relaxed) != me {
            if !self.mutex.try_lock() {
                return 0;
            }
            self.owner.store(me, Ordering::Relaxed);
        }
        self.depth.set(self.depth.get() + 1);
        self.depth.get() as c_int
    }
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

impl NestLock25 {
    /// View a program's OpenMP 2.5 `omp_nest_lock_t` as a `NestLock25`.
    ///
    /// # Safety
    /// `p` is non-null and points to 8 int-aligned bytes reserved for the
    /// lock routines for `'a`.
    pub unsafe fn from_ptr<'a>(p: *mut NestLock25) -> &'a NestLock25 {
        // SAFETY: per the contract.
        unsafe { &*p }
    }

    /// Take the lock if it is free or already ours: the new depth, or the
    /// owner seen when another thread holds it.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_task_nests_its_own_lock() {
        // clang's 8-byte omp_nest_lock_t; the word beside it stays untouched.
        let mut words = [0u64, 0x5a5a];
        // SAFETY: a local, 8-byte, 8-aligned lock.
        let slot = unsafe { NestLockSlot::from_ptr(&mut words[0]) };
        slot.init();
        let l = slot.get();
        l.set();
        assert_eq!(l.test(), 2);
        l.unset();
        l.unset();
        assert!(!l.is_locked());
        assert!(slot.destroy());
        assert_eq!(words, [0, 0x5a5a]);
    }

    #[test]
    fn another_task_cannot_take_a_held_lock() {
        let mut word = 0u64;
        let addr = &mut word as *mut u64 as usize;
        // SAFETY: as above; the other thread ends before `word` does.
        let slot = unsafe { NestLockSlot::from_ptr(addr as *mut u64) };
        slot.init();
        slot.get().set();
        // SAFETY: as above.
        let other = std::thread::spawn(move || unsafe { NestLockSlot::from_ptr(addr as *mut u64) }.get().test());
        assert_eq!(other.join().unwrap(), 0);
        assert!(!slot.destroy(), "destroying a held lock is reported");
    }

    #[test]
    fn an_uninitialised_lock_gets_its_state_on_first_use() {
        let mut word = 0u64;
        // SAFETY: as above.
        let slot = unsafe { NestLockSlot::from_ptr(&mut word) };
        assert_eq!(slot.get().test(), 1);
        slot.get().unset();
        assert!(slot.destroy());
    }

    #[test]
    fn the_25_lock_belongs_to_a_thread() {
        let lock = NestLock25 { owner: AtomicU32::new(0), count: Cell::new(0) };
        lock.init();
        lock.set();
        assert_eq!(lock.test(), 2);
        let addr = &lock as *const NestLock25 as usize;
        // SAFETY: `lock` outlives the joined thread.
        let other = std::thread::spawn(move || unsafe { NestLock25::from_ptr(addr as *mut NestLock25) }.test());
        assert_eq!(other.join().unwrap(), 0);
        lock.unset();
        lock.unset();
        assert_eq!(lock.owner.load(Ordering::Relaxed), 0);
    }
}
