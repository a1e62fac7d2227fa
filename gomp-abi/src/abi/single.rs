//! `#pragma omp single` (with and without copyprivate).
//!
//! The first thread to reach its k-th single wins it: every thread counts the
//! singles it met (`single_count`, thread-local) and the team counts the ones
//! claimed; a CAS from k to k+1 on the team counter claims single k. The team
//! counter is never behind a thread's count, so the CAS fails exactly when
//! another thread claimed this single already. A thread that reads the
//! counter past k has lost without a CAS: a single costs one RMW on one
//! line when threads arrive one after the other (the losers only read it).

use std::ffi::c_void;
use std::sync::atomic::Ordering;

use crate::runtime::team::{with_state, ThreadState};

pub(crate) fn claim_single(ts: &ThreadState) -> bool {
    let Some(team) = ts.team() else { return true };
    let mut mine = 0;
    ts.update(|t| {
        mine = t.single_count;
        t.single_count += 1;
    });
    team.single_count.load(Ordering::Relaxed) == mine
        && team.single_count.compare_exchange(mine, mine + 1, Ordering::AcqRel, Ordering::Relaxed).is_ok()
}

/// True for the one thread that executes the single block.
#[no_mangle]
pub extern "C" fn GOMP_single_start() -> bool {
    with_state(claim_single)
}

/// copyprivate: NULL for the executing thread; the others wait for it and get
/// the pointer it passes to GOMP_single_copy_end (GCC then emits a barrier
/// after the copies, which keeps the data alive long enough).
#[no_mangle]
pub extern "C" fn GOMP_single_copy_start() -> *mut c_void {
    with_state(|ts| {
        if claim_single(ts) {
            return std::ptr::null_mut();
        }
        ts.team_barrier();
        ts.team().map_or(std::ptr::null_mut(), |t| t.copyprivate.load(Ordering::Acquire))
    })
}

#[no_mangle]
pub extern "C" fn GOMP_single_copy_end(data: *mut c_void) {
    with_state(|ts| {
        if let Some(team) = ts.team() {
            team.copyprivate.store(data, Ordering::Release);
        }
        ts.team_barrier();
    })
}
