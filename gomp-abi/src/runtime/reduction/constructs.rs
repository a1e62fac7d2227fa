//! What the task-reduction entry points (abi/reduction.rs) do with the
//! registration arrays of mod.rs: `parallel reduction(task, ...)`, `scope`,
//! the end of a worksharing construct with task reductions, taskgroup
//! registration, and `in_reduction`'s remap.

use std::ffi::{c_uint, c_void};

use super::{current, previous, register, remap, set_current, unregister};
use crate::runtime::task;
use crate::runtime::team::{with_state, Outlined, RegionExtras};
use crate::runtime::workshare::{self, Extras, Kind, LoopSpec, Space};

/// `parallel reduction(task, ...)`: `*data` is GCC's registration array.
/// Returns the team size (GCC combines that many private copies).
///
/// # Safety
/// Arguments as GCC passes them to GOMP_parallel_reductions.
pub unsafe fn parallel_with_reductions(func: Outlined, data: *mut c_void, nthreads: c_uint) -> c_uint {
    with_state(|ts| {
        // SAFETY: GCC puts the registration array first in the argument block.
        let rdata = unsafe { *data.cast::<*mut usize>() };
        // Blocks for the largest team this region can get; GCC only uses
        // the first `returned` ones.
        let bound = ts.team_size(nthreads);
        // SAFETY: GCC's registration array.
        unsafe { register(rdata, std::ptr::null_mut(), std::ptr::null(), bound) };
        ts.fork_with(func, data, nthreads, RegionExtras { reductions: rdata, ..RegionExtras::NONE });
        let n = ts.team().map_or(1, |t| t.cfg().nthreads);
        // SAFETY: GCC's outlined body and its argument block.
        unsafe { func(data) };
        ts.join();
        n
    })
}

/// `scope reduction(task, ...)`: a worksharing construct only to elect who
/// allocates (as if nowait; GCC emits the barrier and the unregister).
pub fn scope_start(reductions: *mut usize) {
    with_state(|ts| {
        let spec = LoopSpec { space: Space::count(0), kind: Kind::Static, chunk: 0, ordered: false };
        workshare::begin(ts, Extras { reductions, mem: std::ptr::null_mut() }, |slot, n| slot.init_loop(spec.share(n)));
        workshare::end(ts, true, false);
    })
}

/// End of a worksharing construct with task reductions: finish its
/// taskgroup, free the blocks (thread 0) and, unless cancelled, the barrier.
pub fn workshare_unregister(cancelled: bool) {
    with_state(task::taskgroup_end);
    with_state(|ts| {
        let data = current();
        if !data.is_null() {
            // SAFETY: `data` heads this construct's registration; thread 0
            // frees the shared blocks, the others only unlink.
            let prev = unsafe {
                if ts.cur().tid == 0 {
                    unregister(data)
                } else {
                    previous(data)
                }
            };
            set_current(prev);
        }
        if !cancelled {
            ts.team_barrier();
        }
    })
}

/// `taskgroup task_reduction(...)` start (after the taskgroup start).
///
/// # Safety
/// `data` is GCC's registration array.
pub unsafe fn taskgroup_register(data: *mut usize) {
    with_state(|ts| {
        let n = ts.team().map_or(1, |t| t.cfg().nthreads);
        // SAFETY: GCC's registration array.
        unsafe { register(data, current(), std::ptr::null(), n) };
    });
    set_current(data);
}

/// # Safety
/// `data` was registered with `taskgroup_register` (or is the array of
/// `parallel_with_reductions`) and its copies are combined.
pub unsafe fn taskgroup_unregister(data: *mut usize) {
    // SAFETY: caller's contract.
    let prev = unsafe { unregister(data) };
    if current() == data {
        set_current(prev);
    }
}

/// `in_reduction` / task-modifier reductions inside a task: map `ptrs` to
/// the calling thread's private copies.
///
/// # Safety
/// `ptrs` holds `cnt + cntorig` pointers, as GCC passes them.
pub unsafe fn remap_current(cnt: usize, cntorig: usize, ptrs: *mut *mut c_void) {
    let chain = current();
    let id = with_state(|ts| ts.cur().tid);
    // SAFETY: caller's contract; chain is this task's registered chain.
    if !unsafe { remap(chain, id, cnt, cntorig, ptrs.cast()) } {
        eprintln!("hsomp: fatal: GOMP_task_reduction_remap: a pointer matches no task reduction");
        std::process::abort();
    }
}
