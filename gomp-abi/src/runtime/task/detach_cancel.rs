//! Detach events and taskgroup cancellation: the task machinery's hooks
//! for `omp_fulfill_event` and `cancel taskgroup` (runtime/cancel.rs).
//!
//! # Detach
//! A detached task completes when both its body has returned and its event
//! is fulfilled, in either order. `detach_state` goes `PENDING` ->
//! `BODY_DONE` (execute, run.rs) or `PENDING` -> `FULFILLED` (here); the
//! thread that finds the other step already done completes the task. An
//! undeferred detached task's creator waits for `COMPLETED`, which
//! `complete` stores before notifying it.
//!
//! # Cancellation
//! `cancel taskgroup` sets the flag of the running task's innermost group
//! (installed by `execute` and at taskgroup start and end, wait.rs); a task
//! of a cancelled group, or of a group inside one, is not spawned and, if
//! already queued, runs no body. The flag is read only when
//! `OMP_CANCELLATION` is on.

use std::sync::atomic::{AtomicBool, Ordering};

use super::descriptor::{BODY_DONE, FULFILLED, PENDING};
use super::run::complete;
use super::{Task, TaskGroup};
use crate::runtime::globals;
use crate::runtime::team::with_state;

/// omp_fulfill_event.
///
/// # Safety
/// `event` is a handle GOMP_task stored for a detached task.
pub unsafe fn fulfill(event: *const Task) {
    // SAFETY: a detached task is alive until its event is fulfilled.
    let t = unsafe { &*event };
    match t.detach_state.swap(FULFILLED, Ordering::AcqRel) {
        BODY_DONE => with_state(|ts| complete(ts, t)),
        PENDING => {}
        _ => eprintln!("hsomp: omp_fulfill_event: event {event:p} was already fulfilled"),
    }
}

/// The flag `cancel taskgroup` sets for a task whose innermost group is
/// `g` (null: none), for runtime/cancel.rs. A worksharing construct's
/// implicit taskgroup is not a taskgroup region of the program: inside an
/// enclosing taskgroup the cancellation is that group's (as in GCC's
/// runtime), which `group_cancelled` also sees from `g`.
pub(super) fn cancel_flag(g: *const TaskGroup) -> *const AtomicBool {
    // SAFETY: a group is alive while a task of its region runs.
    let Some(group) = (unsafe { g.as_ref() }) else { return std::ptr::null() };
    // SAFETY: the enclosing group ends after this one.
    let target = match unsafe { group.prev.as_ref() } {
        Some(outer) if group.workshare => outer,
        _ => group,
    };
    &target.cancelled
}

pub(super) fn cancellation_enabled() -> bool {
    globals().env.cancellation
}

/// Whether `g` or an enclosing taskgroup was cancelled.
pub(super) fn group_cancelled(mut g: *const TaskGroup) -> bool {
    // SAFETY: the enclosing groups of a live group are alive (they end
    // after it).
    while let Some(group) = unsafe { g.as_ref() } {
        if group.cancelled.load(Ordering::Relaxed) {
            return true;
        }
        g = group.prev;
    }
    false
}
