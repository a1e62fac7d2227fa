//! Prepared descriptors (LLVM's ABI).
//!
//! `__kmpc_omp_task_alloc` asks for the task's storage before the task is
//! created: the compiler writes privates and shareds into it, may ask for
//! its detach event, and then creates the task (`spawn_prepared`) or runs
//! the body itself between `begin_inline` and `end_inline` (`if(0)`).
//! `Prepared::new` takes the descriptor then, with an argument area of the
//! size asked for (inside the descriptor or `posix_memalign`ed, as GCC's
//! argument blocks are: spawn.rs),
//! which the task uses as is: no copy. The descriptor's address is the
//! task's identity from then on (the detach event handle, as for GCC).

use std::ffi::c_void;
use std::ptr::NonNull;
use std::sync::atomic::Ordering;

use super::descriptor::{self, take, COMPLETED, INLINE_ARGS};
use super::run::{finish, leave, Entered};
use super::spawn::{alloc_args, create, Spawn};
use super::wait::ctx;
use super::Task;
use crate::runtime::team::ThreadState;

/// A descriptor taken before its task is created, with an argument area
/// its creator fills in (module comment).
pub struct Prepared(NonNull<Task>);

impl Prepared {
    /// A descriptor whose argument area holds `size` bytes, 64-aligned.
    pub fn new(size: usize) -> (Prepared, *mut c_void) {
        let mut b = take();
        b.heap_args = std::ptr::null_mut();
        b.data = if size <= INLINE_ARGS {
            b.args.as_mut_ptr().cast()
        } else {
            b.heap_args = alloc_args(64, size);
            b.heap_args
        };
        let data = b.data;
        (Prepared(NonNull::from(Box::leak(b))), data)
    }

    /// The task's identity (its detach event handle), which
    /// `from_handle` turns back into the descriptor.
    pub fn into_handle(self) -> *const Task {
        self.0.as_ptr()
    }

    /// # Safety
    /// `h` is the handle of a `Prepared` not yet spawned, discarded or
    /// taken back by another `from_handle`.
    pub unsafe fn from_handle(h: *const Task) -> Prepared {
        Prepared(NonNull::new(h as *mut Task).expect("a prepared task's handle is not null"))
    }

    /// The descriptor (still the creator's).
    pub(super) fn as_ptr(&self) -> *mut Task {
        self.0.as_ptr()
    }

    /// Give back the descriptor of a task that is never created.
    pub fn discard(self) {
        // SAFETY: nobody else knows the descriptor: it was never published.
        unsafe { descriptor::free(self.0.as_ptr()) }
    }
}

/// Create (and queue, or run) the task of a prepared descriptor; `s.body`
/// runs on the prepared argument area (its `data` and sizes are unused).
///
/// # Safety
/// `s.body.func` may be called with the area as the creator filled it;
/// `s.depend` is null or a GCC dependence array.
pub unsafe fn spawn_prepared(ts: &ThreadState, s: &Spawn, p: Prepared) {
    // SAFETY: caller's contract.
    unsafe { create(ctx(ts), s, Some(p), false) };
}

/// An undeferred task whose body its creator runs itself (`if(0)` in
/// LLVM's ABI), between `begin_inline` and `end_inline`.
pub struct Inline {
    task: *const Task,
    entered: Entered,
}

impl Inline {
    /// `task`, made current by `enter` (which returned `entered`).
    pub(super) fn entered(task: *const Task, entered: Entered) -> Inline {
        Inline { task, entered }
    }
}

/// Create the task of `p` undeferred (after its dependences, if any, are
/// satisfied) and make it the thread's current task; the caller runs its
/// body and then calls `end_inline`.
///
/// # Safety
/// As for `spawn_prepared`.
pub unsafe fn begin_inline(ts: &ThreadState, s: &Spawn, p: Prepared) -> Inline {
    // SAFETY: caller's contract.
    unsafe { create(ctx(ts), s, Some(p), true) }.expect("an inline task is always created")
}

/// The body of an inline task returned: finish the task (with `detach`,
/// wait for its event).
pub fn end_inline(ts: &ThreadState, i: Inline) {
    // SAFETY: the task is alive until `leave` completes it, or (detach)
    // until the reference `create` took for this wait is released.
    let task = unsafe { &*i.task };
    let detach = task.detach;
    leave(ts, i.entered);
    // Without detach, `finish` completes the task and may free it.
    finish(ts, task);
    if detach {
        ctx(ts).wait_until(|| task.detach_state.load(Ordering::Acquire) == COMPLETED);
        // SAFETY: the reference taken in `create`.
        unsafe { Task::release(task) };
    }
}

#[cfg(test)]
mod tests {
    use super::super::flag;
    use super::*;

    unsafe extern "C" fn body(_: *mut c_void) {}

    fn spawn_of(data: *mut c_void, size: usize, align: usize) -> Spawn {
        Spawn::plain(body, data, size, align)
    }

    #[test]
    fn prepared_areas_inside_or_on_the_heap() {
        let (p, small) = Prepared::new(INLINE_ARGS);
        let h = p.into_handle();
        assert_eq!(small as usize, h as usize, "the argument area is the descriptor's first field");
        // SAFETY: a prepared handle, never spawned.
        unsafe { Prepared::from_handle(h) }.discard();
        let (p, big) = Prepared::new(INLINE_ARGS + 1);
        assert_eq!(big as usize % 16, 0);
        // SAFETY: `big` has INLINE_ARGS + 1 writable bytes.
        unsafe { std::ptr::write_bytes(big.cast::<u8>(), 7, INLINE_ARGS + 1) };
        p.discard();
    }

    #[test]
    fn an_inline_task_is_current_while_its_caller_runs_the_body() {
        crate::runtime::team::with_state(|ts| {
            let outside: *const Task = ctx(ts).task;
            let (p, area) = Prepared::new(8);
            let mut s = spawn_of(area, 8, 8);
            s.if_clause = false;
            s.flags = flag::FINAL;
            // SAFETY: an empty body on a prepared area.
            let i = unsafe { begin_inline(ts, &s, p) };
            let inside = ctx(ts).task;
            assert!(!std::ptr::eq(inside, outside) && inside.is_final);
            end_inline(ts, i);
            assert!(std::ptr::eq(ctx(ts).task, outside));
        })
    }
}
