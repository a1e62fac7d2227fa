//! `#pragma omp cancel`, `cancellation point` and the cancellable barrier
//! in LLVM's ABI, on runtime/cancel.rs. All return 0 (nothing cancelled)
//! unless OMP_CANCELLATION is true.

use super::Ident;
use crate::runtime::cancel;
use crate::runtime::team::with_state;

/// LLVM's cancel kinds (1 parallel, 2 loop, 3 sections, 4 taskgroup) as
/// the runtime's bits.
fn which(kind: i32) -> Option<i32> {
    match kind {
        1 => Some(cancel::PARALLEL),
        2 => Some(cancel::LOOP),
        3 => Some(cancel::SECTIONS),
        4 => Some(cancel::TASKGROUP),
        _ => {
            eprintln!("hsomp: unknown cancellation kind {kind}; ignored");
            None
        }
    }
}

#[no_mangle]
pub extern "C" fn __kmpc_cancel(_loc: *const Ident, _gtid: i32, cncl_kind: i32) -> i32 {
    if !cancel::enabled() {
        return 0;
    }
    which(cncl_kind).map_or(0, |w| i32::from(with_state(|ts| cancel::leave_if(ts, w, cancel::cancel(ts, w)))))
}

#[no_mangle]
pub extern "C" fn __kmpc_cancellationpoint(_loc: *const Ident, _gtid: i32, cncl_kind: i32) -> i32 {
    if !cancel::enabled() {
        return 0;
    }
    which(cncl_kind).map_or(0, |w| i32::from(with_state(|ts| cancel::leave_if(ts, w, cancel::is_cancelled(ts, w)))))
}

/// A barrier that is a cancellation point: 1 when the region was cancelled.
#[no_mangle]
pub extern "C" fn __kmpc_cancel_barrier(_loc: *const Ident, _gtid: i32) -> i32 {
    with_state(|ts| match ts.team() {
        Some(team) => i32::from(team.cancel_barrier_wait(ts.cur().tid)),
        None => 0,
    })
}
