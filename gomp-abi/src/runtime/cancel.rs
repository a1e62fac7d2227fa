//! Cancellation (OMP_CANCELLATION): flags and checks.
//!
//! - parallel: `Team::cancelled` (reset by `fork`). Set, then every waiter
//!   of the team that is a cancellation point is notified (sleep/): the
//!   waiters of the team's cancellable barrier (barrier.rs) and waits inside the
//!   work-share ring, the ordered baton and doacross dependences (a
//!   cancelled thread jumps to the region's end and would never post).
//! - for / sections: `WorkShare::cancelled` of the construct the thread is
//!   in (reset when the slot is initialised for a new construct). Chunk
//!   dispatch stops handing out iterations once it is set. LLVM's static
//!   schedules have no work share: there the team's `construct_cancelled`
//!   names the construct by the number of team barriers passed before it
//!   (the plain and the cancellable one: clang ends a construct with either;
//!   no thread passes that barrier while another is still inside the
//!   construct, and the next construct sees a larger number: no reset).
//!   LLVM's dispatch loops have no "loop end" call: a thread that leaves one
//!   through a cancel or a cancellation point gives its work share back
//!   there (abi/kmpc/cancel.rs), or the slot would stay taken.
//! - taskgroup: the taskgroup belongs to the tasking side, which tells this
//!   module where the flag of the innermost taskgroup of the running task
//!   is with `set_taskgroup_flag` (thread-local pointer, null = none; set it
//!   when a task or taskgroup starts running and restore it afterwards;
//!   only while cancellation is enabled, since only then is it read).
//!   `cancel taskgroup` stores true there (SeqCst); the tasking side reads it
//!   before starting each task of the group (and discards the task). The
//!   implicit taskgroup of a worksharing construct with task reductions
//!   installs its enclosing taskgroup's flag, if it has one (task/detach_cancel.rs).

use std::cell::Cell;
use std::sync::atomic::{AtomicBool, Ordering};

use super::globals;
use super::team::{Team, ThreadState};
use super::workshare::WorkShare;

/// GCC's `which` bits for GOMP_cancel / GOMP_cancellation_point.
pub const PARALLEL: i32 = 1;
pub const LOOP: i32 = 2;
pub const SECTIONS: i32 = 4;
pub const TASKGROUP: i32 = 8;

super::tls::lasting! {
    static TASKGROUP_FLAG: Cell<*const AtomicBool> = Cell::new(std::ptr::null());
}

/// Install the cancel flag of the innermost taskgroup of the task this
/// thread runs now (null: none); returns the previous one, to restore.
pub fn set_taskgroup_flag(flag: *const AtomicBool) -> *const AtomicBool {
    TASKGROUP_FLAG.with(|f| f.replace(flag))
}

fn taskgroup_flag() -> Option<&'static AtomicBool> {
    // SAFETY: the tasking side keeps the flag alive while it is installed.
    TASKGROUP_FLAG.with(|f| unsafe { f.get().as_ref() })
}

/// Cancellation is enabled for this process.
#[inline]
pub fn enabled() -> bool {
    globals().env.cancellation
}

/// The team was cancelled (cheap; false when cancellation is disabled).
#[inline]
pub fn team_cancelled(team: &Team) -> bool {
    team.cancelled.load(Ordering::SeqCst)
}

/// The calling thread's current work share, if any.
fn current_ws(ts: &ThreadState) -> Option<&WorkShare> {
    // SAFETY: a non-null cursor slot belongs to the thread's team (or solo
    // ring) and stays valid until the thread leaves the construct.
    unsafe { ts.cur().ws.slot.as_ref() }
}

/// What identifies the construct with no work share the calling thread is
/// in: 1 + the number of barriers the team has passed. A construct ends at
/// one of them, the plain one or (clang, in a region with `cancel
/// parallel`) the cancellable one, and neither can move while the caller
/// is inside the construct, since it has not arrived.
fn construct_key(team: &Team) -> u32 {
    team.barrier.episode().wrapping_add(team.cancel_barrier.episode()).wrapping_add(1)
}

/// GOMP_cancel(which, true).
pub fn cancel(ts: &ThreadState, which: i32) -> bool {
    if which & PARALLEL != 0 {
        if let Some(team) = ts.team() {
            team.cancelled.store(true, Ordering::SeqCst);
            team.sleep.notify_all();
            team.workshares.wake_to_recheck_stop();
        }
    } else if which & (LOOP | SECTIONS) != 0 {
        if let Some(ws) = current_ws(ts) {
            ws.cancelled.store(true, Ordering::SeqCst);
        } else if let Some(team) = ts.team() {
            team.construct_cancelled.store(construct_key(team), Ordering::SeqCst);
        }
    } else if which & TASKGROUP != 0 {
        if let Some(flag) = taskgroup_flag() {
            flag.store(true, Ordering::SeqCst);
        }
    }
    true
}

/// LLVM's ABI: a thread that goes to the end of a cancelled loop gives back
/// the work share of the dispatch loop it is in, if any (module comment):
/// clang calls nothing else before the barrier. Returns `cancelled`.
pub fn leave_if(ts: &ThreadState, which: i32, cancelled: bool) -> bool {
    if cancelled && which & LOOP != 0 && current_ws(ts).is_some() {
        super::workshare::end(ts, true, false);
    }
    cancelled
}

/// GOMP_cancellation_point(which).
pub fn is_cancelled(ts: &ThreadState, which: i32) -> bool {
    let Some(team) = ts.team() else {
        return which & TASKGROUP != 0 && taskgroup_flag().is_some_and(|f| f.load(Ordering::SeqCst));
    };
    if team_cancelled(team) {
        return true;
    }
    if which & (LOOP | SECTIONS) != 0 {
        match current_ws(ts) {
            Some(ws) => ws.cancelled.load(Ordering::Relaxed),
            None => team.construct_cancelled.load(Ordering::SeqCst) == construct_key(team),
        }
    } else if which & TASKGROUP != 0 {
        taskgroup_flag().is_some_and(|f| f.load(Ordering::SeqCst))
    } else {
        false
    }
}
