//! Task reductions on worksharing and parallel constructs, and the
//! registration entry points (runtime/reduction.rs has the layout).
//!
//! GOMP_parallel_reductions, GOMP_scope_start and
//! GOMP_workshare_task_reduction_unregister belong to worksharing; the
//! `reductions` parameter of GOMP_loop_start / GOMP_sections2_start is
//! handled in workshare::begin. GOMP_taskgroup_reduction_register /
//! _unregister and GOMP_task_reduction_remap are defined here too, on the
//! per-task chain of reduction.rs (`current` / `set_current`).

use std::ffi::{c_uint, c_void};

use crate::runtime::reduction;
use crate::runtime::team::{with_state, Outlined, RegionExtras};
use crate::runtime::workshare::{self, Extras, Kind, LoopSpec, Space};

/// `parallel reduction(task, ...)`: `*data` is GCC's registration array.
/// Returns the team size (GCC combines that many private copies).
///
/// # Safety
/// Arguments as GCC passes them.
#[no_mangle]
pub unsafe extern "C" fn GOMP_parallel_reductions(func: Outlined, data: *mut c_void, nthreads: c_uint, _flags: c_uint) -> c_uint {
    with_state(|ts| {
        // SAFETY: GCC puts the registration array first in the argument block.
        let rdata = unsafe { *data.cast::<*mut usize>() };
        // Blocks for the largest team this region can get; GCC only uses
        // the first `returned` ones.
        let bound = ts.team_size(nthreads);
        // SAFETY: GCC's registration array.
        unsafe { reduction::register(rdata, std::ptr::null_mut(), std::ptr::null(), bound) };
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
#[no_mangle]
pub extern "C" fn GOMP_scope_start(reductions: *mut usize) {
    with_state(|ts| {
        let spec = LoopSpec { space: Space::count(0), kind: Kind::Static, chunk: 0, ordered: false };
        workshare::begin(ts, Extras { reductions, mem: std::ptr::null_mut() }, |slot, n| slot.init_loop(spec.share(n)));
        workshare::end(ts, true, false);
    })
}

/// End of a worksharing construct with task reductions: finish its
/// taskgroup, free the blocks (thread 0) and, unless cancelled, the barrier.
#[no_mangle]
pub extern "C" fn GOMP_workshare_task_reduction_unregister(cancelled: bool) {
    super::task::GOMP_taskgroup_end();
    with_state(|ts| {
        let data = reduction::current();
        if !data.is_null() {
            // SAFETY: `data` heads this construct's registration; thread 0
            // frees the shared blocks, the others only unlink.
            let prev = unsafe {
                if ts.cur().tid == 0 {
                    reduction::unregister(data)
                } else {
                    reduction::previous(data)
                }
            };
            reduction::set_current(prev);
        }
        if !cancelled {
            ts.team_barrier();
        }
    })
}

/// `taskgroup task_reduction(...)` start (after GOMP_taskgroup_start).
///
/// # Safety
/// `data` is GCC's registration array.
#[no_mangle]
pub unsafe extern "C" fn GOMP_taskgroup_reduction_register(data: *mut usize) {
    with_state(|ts| {
        let n = ts.team().map_or(1, |t| t.cfg().nthreads);
        // SAFETY: GCC's registration array.
        unsafe { reduction::register(data, reduction::current(), std::ptr::null(), n) };
    });
    reduction::set_current(data);
}

/// # Safety
/// `data` was registered with GOMP_taskgroup_reduction_register (or is the
/// array of GOMP_parallel_reductions) and its copies are combined.
#[no_mangle]
pub unsafe extern "C" fn GOMP_taskgroup_reduction_unregister(data: *mut usize) {
    // SAFETY: caller's contract.
    let prev = unsafe { reduction::unregister(data) };
    if reduction::current() == data {
        reduction::set_current(prev);
    }
}

/// `in_reduction` / task-modifier reductions inside a task: map `ptrs` to
/// the calling thread's private copies.
///
/// # Safety
/// `ptrs` holds `cnt + cntorig` pointers, as GCC passes them.
#[no_mangle]
pub unsafe extern "C" fn GOMP_task_reduction_remap(cnt: usize, cntorig: usize, ptrs: *mut *mut c_void) {
    let chain = reduction::current();
    let id = with_state(|ts| ts.cur().tid);
    // SAFETY: caller's contract; chain is this task's registered chain.
    if !unsafe { reduction::remap(chain, id, cnt, cntorig, ptrs.cast()) } {
        eprintln!("hsomp: fatal: GOMP_task_reduction_remap: a pointer matches no task reduction");
        std::process::abort();
    }
}
