//! Setters and getters of internal control variables (OpenMP 5.1 §3.2).
//! Data-environment ICVs live in the calling task's `ImplicitTask`; the
//! device-wide ones in atomics here.

use std::ffi::c_int;

use crate::runtime::icv::NO_LIST;
use crate::runtime::team::with_state;
use crate::runtime::teams;
use crate::runtime::{globals, SUPPORTED_ACTIVE_LEVELS};

fn misuse(what: &str) {
    eprintln!("hsomp: {what}");
}

#[no_mangle]
pub extern "C" fn omp_set_num_threads(n: c_int) {
    if n <= 0 {
        misuse(&format!("omp_set_num_threads({n}): the count must be positive; using 1"));
    }
    with_state(|ts| {
        ts.update(|t| {
            t.icv.nthreads = n.max(1) as u32;
            t.icv.nthreads_list_pos = NO_LIST;
        })
    })
}

#[no_mangle]
pub extern "C" fn omp_get_max_threads() -> c_int {
    with_state(|ts| ts.cur().icv.nthreads.min(i32::MAX as u32) as c_int)
}

#[no_mangle]
pub extern "C" fn omp_set_dynamic(on: c_int) {
    with_state(|ts| ts.update(|t| t.icv.dynamic = on != 0))
}

#[no_mangle]
pub extern "C" fn omp_get_dynamic() -> c_int {
    with_state(|ts| c_int::from(ts.cur().icv.dynamic))
}

/// Deprecated in OpenMP 5.0: nesting on means max-active-levels above 1.
#[no_mangle]
pub extern "C" fn omp_set_nested(on: c_int) {
    with_state(|ts| ts.update(|t| t.icv.set_nested(on != 0)))
}

#[no_mangle]
pub extern "C" fn omp_get_nested() -> c_int {
    with_state(|ts| c_int::from(ts.cur().icv.max_active_levels > 1))
}

#[no_mangle]
pub extern "C" fn omp_set_max_active_levels(levels: c_int) {
    if levels < 0 {
        misuse(&format!("omp_set_max_active_levels({levels}): must be non-negative; ignored"));
        return;
    }
    with_state(|ts| ts.update(|t| t.icv.set_max_active_levels(levels as u32)))
}

#[no_mangle]
pub extern "C" fn omp_get_max_active_levels() -> c_int {
    with_state(|ts| ts.cur().icv.max_active_levels as c_int)
}

#[no_mangle]
pub extern "C" fn omp_get_supported_active_levels() -> c_int {
    SUPPORTED_ACTIVE_LEVELS as c_int
}

#[no_mangle]
pub extern "C" fn omp_get_thread_limit() -> c_int {
    with_state(|ts| ts.cur().icv.thread_limit.min(i32::MAX as u32) as c_int)
}

/// `kind` is an omp_sched_t, possibly with the monotonic bit; the rules are
/// `Icvs::set_schedule`'s (runtime/icv.rs). An unknown kind is ignored.
#[no_mangle]
pub extern "C" fn omp_set_schedule(kind: c_int, chunk: c_int) {
    let mut known = true;
    with_state(|ts| ts.update(|t| known = t.icv.set_schedule(kind, chunk)));
    if !known {
        misuse(&format!("omp_set_schedule: unknown schedule kind {kind}; ignored"));
    }
}

/// # Safety
/// `kind` and `chunk` must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn omp_get_schedule(kind: *mut c_int, chunk: *mut c_int) {
    let s = with_state(|ts| ts.cur().icv.run_sched);
    // SAFETY: the caller passes valid out-pointers (omp_get_schedule's contract).
    unsafe {
        if let Some(k) = kind.as_mut() {
            *k = s.kind;
        }
        if let Some(c) = chunk.as_mut() {
            *c = s.chunk;
        }
    }
}

#[no_mangle]
pub extern "C" fn omp_get_cancellation() -> c_int {
    c_int::from(globals().env.cancellation)
}

#[no_mangle]
pub extern "C" fn omp_get_proc_bind() -> c_int {
    with_state(|ts| ts.cur().icv.bind)
}

#[no_mangle]
pub extern "C" fn omp_get_max_task_priority() -> c_int {
    globals().env.max_task_priority
}

#[no_mangle]
pub extern "C" fn omp_set_default_device(device: c_int) {
    with_state(|ts| ts.update(|t| t.icv.default_device = device.max(0)))
}

#[no_mangle]
pub extern "C" fn omp_get_default_device() -> c_int {
    with_state(|ts| ts.cur().icv.default_device)
}

/// Teams ICVs (nteams-var, teams-thread-limit-var): runtime/teams.rs.
#[no_mangle]
pub extern "C" fn omp_set_num_teams(n: c_int) {
    teams::set_num_teams(n)
}

#[no_mangle]
pub extern "C" fn omp_get_max_teams() -> c_int {
    teams::max_teams()
}

#[no_mangle]
pub extern "C" fn omp_set_teams_thread_limit(n: c_int) {
    teams::set_teams_thread_limit(n)
}

#[no_mangle]
pub extern "C" fn omp_get_teams_thread_limit() -> c_int {
    teams::teams_thread_limit()
}

/// The place list (runtime/bind.rs); empty unless threads are bound.
#[no_mangle]
pub extern "C" fn omp_get_num_places() -> c_int {
    globals().places.len() as c_int
}

fn place(p: c_int) -> Option<&'static Vec<usize>> {
    usize::try_from(p).ok().and_then(|p| globals().places.get(p))
}

#[no_mangle]
pub extern "C" fn omp_get_place_num_procs(p: c_int) -> c_int {
    place(p).map_or(0, |cpus| cpus.len() as c_int)
}

/// # Safety
/// `ids` is valid for omp_get_place_num_procs(p) ints.
#[no_mangle]
pub unsafe extern "C" fn omp_get_place_proc_ids(p: c_int, ids: *mut c_int) {
    if let (Some(cpus), false) = (place(p), ids.is_null()) {
        for (i, &c) in cpus.iter().enumerate() {
            // SAFETY: the caller provides room for every CPU of the place.
            unsafe { *ids.add(i) = c as c_int };
        }
    }
}

#[no_mangle]
pub extern "C" fn omp_get_place_num() -> c_int {
    if globals().places.is_empty() {
        return -1;
    }
    with_state(|ts| ts.placement().place as c_int - 1)
}

#[no_mangle]
pub extern "C" fn omp_get_partition_num_places() -> c_int {
    if globals().places.is_empty() {
        return 0;
    }
    with_state(|ts| ts.placement().len as c_int)
}

/// # Safety
/// `places` is valid for omp_get_partition_num_places() ints.
#[no_mangle]
pub unsafe extern "C" fn omp_get_partition_place_nums(places: *mut c_int) {
    if globals().places.is_empty() || places.is_null() {
        return;
    }
    let p = with_state(|ts| ts.placement());
    for i in 0..p.len {
        // SAFETY: the caller provides room for the partition's places.
        unsafe { *places.add(i as usize) = (p.off + i) as c_int };
    }
}

#[no_mangle]
pub extern "C" fn omp_display_env(verbose: c_int) {
    crate::runtime::env::display::display_env(globals(), verbose != 0);
}
