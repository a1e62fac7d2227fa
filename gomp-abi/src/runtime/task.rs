//! Explicit tasks.
//!
//! This first version executes every task immediately on the encountering
//! thread (always a conforming schedule for tasks without dependences on
//! later siblings or detach). `TeamTasks` is the seam through which barriers
//! run tasks while waiting: with immediate execution nothing is ever queued.

use std::ffi::c_void;

/// The tasks of one team, as the barrier sees them.
#[derive(Default)]
pub struct TeamTasks {}

impl TeamTasks {
    /// Reset for a new region (only while no thread of the team runs).
    pub fn reset(&self) {}

    /// Run one queued task if there is one; true when it did.
    #[inline]
    pub fn run_one(&self) -> bool {
        false
    }

    /// No task queued or running.
    #[inline]
    pub fn quiescent(&self) -> bool {
        true
    }
}

/// GOMP_task's argument block: copy `arg` with `cpyfn` (or memcpy) into
/// storage of `arg_size` bytes aligned to `arg_align`, then run `f` on it.
///
/// # Safety
/// The pointers and sizes are those GCC passes to GOMP_task.
pub unsafe fn run_task_now(
    f: unsafe extern "C" fn(*mut c_void),
    data: *mut c_void,
    cpyfn: Option<unsafe extern "C" fn(*mut c_void, *mut c_void)>,
    arg_size: usize,
    arg_align: usize,
) {
    match cpyfn {
        None => {
            // SAFETY: without cpyfn GCC's data block is usable as is: the
            // task body only reads its firstprivate copies from it, and the
            // block outlives this synchronous call.
            unsafe { f(data) }
        }
        Some(copy) => {
            let align = arg_align.max(1).next_power_of_two();
            let layout = std::alloc::Layout::from_size_align(arg_size.max(1), align).expect("task argument layout");
            // SAFETY: layout has non-zero size.
            let buf = unsafe { std::alloc::alloc(layout) };
            if buf.is_null() {
                std::alloc::handle_alloc_error(layout);
            }
            // SAFETY: buf holds arg_size bytes aligned as GCC asked; cpyfn
            // copy-constructs the firstprivate block into it, f consumes it.
            unsafe {
                copy(buf.cast(), data);
                f(buf.cast());
                std::alloc::dealloc(buf, layout);
            }
        }
    }
}
