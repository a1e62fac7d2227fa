//! Free lists (not the worker pool, runtime/pool.rs): recycling of task descriptors and taskgroups instead of going through
//! the allocator for every task.
//!
//! # Taskgroups (`List`)
//! A taskgroup is created and ended by the same task, hence the same thread
//! (tasks never migrate): a plain thread-local list. It is not capped: a
//! member completing on another thread may still notify a group its owner
//! has just ended (task/wait.rs), so an ended group must stay allocated; the
//! list holds at most the thread's peak number of open taskgroups, and goes
//! when the thread exits, after its regions (whose members are complete).
//!
//! # Task descriptors (`Cache` + `Owner`): owner-return free lists
//! A descriptor is freed by whichever thread drops its last reference, often
//! not the one that made it (a task stolen by another thread). Returning it
//! to the freeing thread's list would leave a pure producer allocating
//! forever while its consumers hoard. Instead every descriptor remembers its
//! *owner* (the thread whose cache allocated it, `Link::owner`) and goes back
//! there:
//! - Each thread's `Cache` has a local list (no atomics) and an `Owner`
//!   (heap-allocated) holding `remote`, the head of a lock-free stack of
//!   descriptors that other threads freed.
//! - `give` by the owner: push on the local list (beyond `CAP`: free it).
//!   `give` by another thread: push on the owner's `remote` stack (CAS
//!   loop, Release; the link is written before the CAS).
//! - `take`: pop the local list; if it is empty, take the whole remote stack
//!   at once (`swap(null)`, Acquire) into the local list, then pop; only if
//!   both are empty allocate a fresh descriptor owned by this thread.
//!
//! Many threads push, only the owner takes, and it takes everything: there is
//! no pop of a single node that could suffer ABA.
//!
//! ## Lifetime of an `Owner`
//! `Owner::live` counts the descriptors it allocated that are not yet given
//! back to the allocator, plus one for the owning thread itself. When the
//! thread exits, its `Cache` destructor swaps `remote` to `orphaned()` (taking
//! what was there), frees those and its local list, and drops the thread's
//! count. A remote `give` that finds `orphaned()` frees the descriptor instead
//! of pushing. Whoever brings `live` to 0 frees the `Owner`; a pusher holds a
//! live descriptor, so the `Owner` it touches is alive. The CAS on `remote`
//! orders each push against the orphaning swap: a push either lands before
//! the swap (and is freed by the exiting thread) or sees `orphaned()`.
//! After the thread's TLS destructors ran (exit handlers, tls.rs) the
//! thread uses a spare `Cache` with an `Owner` of its own, never freed;
//! descriptors of the destroyed cache still return to its `Owner` as above.

use std::cell::{Cell, RefCell};
use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};

use crate::runtime::tls::Lasting;

/// Descriptors a thread keeps on its local list; beyond, memory goes back
/// to the allocator (bounds what a burst leaves behind).
const CAP: usize = 4096;

pub type List<T> = RefCell<Vec<Box<T>>>;

/// Take a recycled value, or a fresh one from `make`.
pub fn get<T: 'static>(key: &'static Lasting<List<T>>, make: impl FnOnce() -> T) -> Box<T> {
    key.with(|l| l.borrow_mut().pop()).unwrap_or_else(|| Box::new(make()))
}

/// Give a value back to the calling thread's list (kept, never freed
/// while the thread lives: see the module comment).
pub fn put<T: 'static>(key: &'static Lasting<List<T>>, b: Box<T>) {
    key.with(move |l| l.borrow_mut().push(b));
}

/// A value recycled through owner-return free lists.
pub trait Pooled: Sized + 'static {
    fn link(&self) -> &Link<Self>;
}

/// The pool's part of a pooled value.
pub struct Link<T> {
    /// Set when the value is allocated, then read-only.
    owner: AtomicPtr<Owner<T>>,
    /// Next entry on a remote stack (written before the push's CAS).
    next: AtomicPtr<T>,
}

impl<T> Link<T> {
    pub const fn new() -> Self {
        Link { owner: AtomicPtr::new(std::ptr::null_mut()), next: AtomicPtr::new(std::ptr::null_mut()) }
    }
}

impl<T> Default for Link<T> {
    fn default() -> Self {
        Self::new()
    }
}

/// The shared half of a thread's cache (module comment).
pub struct Owner<T> {
    remote: AtomicPtr<T>,
    live: AtomicUsize,
}

/// `remote` of an owner whose thread has exited. Never a real node: nodes
/// are at least pointer-aligned.
fn orphaned<T>() -> *mut T {
    std::ptr::without_provenance_mut(1)
}

impl<T: Pooled> Owner<T> {
    /// Drop `n` counts; the last one frees the owner.
    ///
    /// # Safety
    /// The caller holds `n` counts on `o`.
    unsafe fn unref(o: *mut Owner<T>, n: usize) {
        // SAFETY: our counts keep `o` alive up to this decrement.
        if unsafe { (*o).live.fetch_sub(n, Ordering::AcqRel) } == n {
            // SAFETY: that was the last count; `o` came from Box::into_raw.
            drop(unsafe { Box::from_raw(o) });
        }
    }

    /// Free a value owned by `o` back to the allocator.
    ///
    /// # Safety
    /// `p` is a live, unreachable value owned by `o` (from Box::into_raw).
    unsafe fn free(o: *mut Owner<T>, p: *mut T) {
        // SAFETY: per the contract; its count is the one dropped next.
        unsafe {
            drop(Box::from_raw(p));
            Owner::unref(o, 1);
        }
    }

    /// Push `p` on `o`'s remote stack, or free it if `o`'s thread exited.
    ///
    /// # Safety
    /// As for `free`.
    unsafe fn push_remote(o: *mut Owner<T>, p: *mut T) {
        // SAFETY: `p` is owned by `o` and counted in `live`, so `o` is alive.
        let owner = unsafe { &*o };
        // SAFETY: `p` is ours until the CAS publishes it.
        let link = unsafe { (*p).link() };
        let mut head = owner.remote.load(Ordering::Relaxed);
        loop {
            if head == orphaned() {
                // SAFETY: per the contract.
                return unsafe { Owner::free(o, p) };
            }
            link.next.store(head, Ordering::Relaxed);
            match owner.remote.compare_exchange_weak(head, p, Ordering::Release, Ordering::Relaxed) {
                Ok(_) => return,
                Err(h) => head = h,
            }
        }
    }
}

/// A thread's descriptor cache (module comment).
pub struct Cache<T: Pooled> {
    owner: *mut Owner<T>,
    local: RefCell<Vec<*mut T>>,
    /// Fresh allocations since the cache was made (tests and tuning).
    fresh: Cell<usize>,
}

impl<T: Pooled> Cache<T> {
    pub fn new() -> Self {
        let owner = Box::into_raw(Box::new(Owner { remote: AtomicPtr::new(std::ptr::null_mut()), live: AtomicUsize::new(1) }));
        Cache { owner, local: RefCell::new(Vec::new()), fresh: Cell::new(0) }
    }

    fn get(&self, make: impl FnOnce() -> T) -> Box<T> {
        let mut local = self.local.borrow_mut();
        if local.is_empty() {
            // SAFETY: our own owner is alive while the cache is.
            let mut p = unsafe { &*self.owner }.remote.swap(std::ptr::null_mut(), Ordering::Acquire);
            while !p.is_null() {
                // SAFETY: nodes on our remote stack are ours now (Acquire
                // pairs with the pushers' Release).
                let next = unsafe { (*p).link() }.next.load(Ordering::Relaxed);
                if local.len() < CAP {
                    local.push(p);
                } else {
                    // SAFETY: an unreachable node we own.
                    unsafe { Owner::free(self.owner, p) };
                }
                p = next;
            }
        }
        if let Some(p) = local.pop() {
            // SAFETY: entries of the local list are owned, unreachable boxes.
            return unsafe { Box::from_raw(p) };
        }
        drop(local);
        // SAFETY: as above.
        unsafe { &*self.owner }.live.fetch_add(1, Ordering::Relaxed);
        self.fresh.set(self.fresh.get() + 1);
        let b = Box::new(make());
        b.link().owner.store(self.owner, Ordering::Relaxed);
        b
    }

    /// Give back `p`, owned by this cache.
    fn put_local(&self, p: *mut T) {
        let mut local = self.local.borrow_mut();
        if local.len() < CAP {
            local.push(p);
        } else {
            // SAFETY: the caller gave us an unreachable node we own.
            unsafe { Owner::free(self.owner, p) };
        }
    }
}

impl<T: Pooled> Default for Cache<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Pooled> Drop for Cache<T> {
    fn drop(&mut self) {
        // SAFETY: our owner is alive until we drop the thread's count.
        let mut p = unsafe { &*self.owner }.remote.swap(orphaned(), Ordering::Acquire);
        let mut n = 1;
        while !p.is_null() {
            // SAFETY: as in `get`.
            let next = unsafe { (*p).link() }.next.load(Ordering::Relaxed);
            // SAFETY: an unreachable node we own.
            drop(unsafe { Box::from_raw(p) });
            n += 1;
            p = next;
        }
        for p in self.local.get_mut().drain(..) {
            // SAFETY: as above.
            drop(unsafe { Box::from_raw(p) });
            n += 1;
        }
        // SAFETY: one count per node freed plus the thread's own.
        unsafe { Owner::unref(self.owner, n) };
    }
}

/// Take a recycled value owned by the calling thread, or a fresh one.
pub fn take<T: Pooled>(key: &'static Lasting<Cache<T>>, make: impl FnOnce() -> T) -> Box<T> {
    key.with(|c| c.get(make))
}

/// Return a value to its owner (module comment).
pub fn give<T: Pooled>(key: &'static Lasting<Cache<T>>, b: Box<T>) {
    let owner = b.link().owner.load(Ordering::Relaxed);
    let p = Box::into_raw(b);
    let mine = key.with(|c| {
        std::ptr::eq(c.owner, owner) && {
            c.put_local(p);
            true
        }
    });
    if !mine {
        // SAFETY: `p` is an unreachable value owned by `owner` (which its
        // count keeps alive).
        unsafe { Owner::push_remote(owner, p) };
    }
}

/// A thread-private stack of pooled values its user keeps at hand (taken
/// from a cache once, then reused in LIFO order without going through the
/// cache), linked through their `Link`. Dropping it gives each value back
/// to the allocator, counted out of its owner: it may outlive the thread's
/// cache (thread exit), so it never touches a cache.
pub struct Stack<T: Pooled> {
    head: Cell<*mut T>,
}

impl<T: Pooled> Stack<T> {
    pub const fn new() -> Self {
        Stack { head: Cell::new(std::ptr::null_mut()) }
    }

    #[inline]
    pub fn pop(&self) -> Option<Box<T>> {
        let p = self.head.get();
        if p.is_null() {
            return None;
        }
        // SAFETY: entries are owned, unreachable boxes (`push`).
        self.head.set(unsafe { (*p).link() }.next.load(Ordering::Relaxed));
        // SAFETY: as above.
        Some(unsafe { Box::from_raw(p) })
    }

    /// Keep `b`, which came from a `Cache` (it has an owner).
    #[inline]
    pub fn push(&self, b: Box<T>) {
        b.link().next.store(self.head.get(), Ordering::Relaxed);
        self.head.set(Box::into_raw(b));
    }
}

impl<T: Pooled> Default for Stack<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Pooled> Drop for Stack<T> {
    fn drop(&mut self) {
        while let Some(b) = self.pop() {
            let owner = b.link().owner.load(Ordering::Relaxed);
            // SAFETY: an unreachable value owned by `owner`, counted there.
            unsafe { Owner::free(owner, Box::into_raw(b)) };
        }
    }
}

#[cfg(test)]
pub(crate) fn fresh_allocations<T: Pooled>(key: &'static Lasting<Cache<T>>) -> usize {
    key.with(|c| c.fresh.get())
}

#[cfg(test)]
mod tests;
