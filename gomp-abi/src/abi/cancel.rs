//! `#pragma omp cancel`, `cancellation point` and the cancellable barrier.
//! Everything is a no-op returning false unless OMP_CANCELLATION is true.

use std::ffi::c_int;

use crate::runtime::cancel;
use crate::runtime::team::with_state;

/// `cancel <which> [if(do_cancel)]`: true when the construct is cancelled
/// and the thread must skip to its end.
#[no_mangle]
pub extern "C" fn GOMP_cancel(which: c_int, do_cancel: bool) -> bool {
    if !cancel::enabled() {
        return false;
    }
    if !do_cancel {
        return GOMP_cancellation_point(which);
    }
    with_state(|ts| cancel::cancel(ts, which))
}

#[no_mangle]
pub extern "C" fn GOMP_cancellation_point(which: c_int) -> bool {
    cancel::enabled() && with_state(|ts| cancel::is_cancelled(ts, which))
}

/// A barrier that is a cancellation point (GCC uses it in regions that
/// contain `cancel parallel`).
#[no_mangle]
pub extern "C" fn GOMP_barrier_cancel() -> bool {
    with_state(|ts| match ts.team() {
        Some(team) => team.cancel_barrier_wait(ts.cur().tid),
        None => false,
    })
}
