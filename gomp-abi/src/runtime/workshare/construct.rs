//! The calling thread's side of worksharing: what the GOMP_loop_*,
//! GOMP_sections_*, GOMP_single_* and ordered/doacross entry points call.
//! A thread enters each construct through the ring (ring.rs), takes chunks
//! (iter.rs), and leaves; its position lives in its `WsCursor`. A thread
//! outside any team uses a thread-local ring of its own.

use std::ffi::c_void;
use std::sync::atomic::Ordering;

use super::ring::{Ring, WorkShare, WsCursor};
use crate::runtime::cancel::team_cancelled;
use crate::runtime::reduction;
use crate::runtime::team::{Team, ThreadState};

crate::runtime::tls::lasting! {
    static SOLO: Ring = Ring::default();
}

/// Where the calling thread's constructs live: (ring, team size, team).
fn ring_of(ts: &ThreadState) -> (&Ring, u32, Option<&Team>) {
    match ts.team() {
        Some(team) => (&team.workshares, team.cfg().nthreads, Some(team)),
        None => {
            let solo: *const Ring = SOLO.with(|r| r as *const Ring);
            // SAFETY: the thread-local ring lives as long as this thread,
            // which outlives the borrow of its ThreadState.
            (unsafe { &*solo }, 1, None)
        }
    }
}

fn stop_fn(team: Option<&Team>) -> impl Fn() -> bool + '_ {
    move || team.is_some_and(team_cancelled)
}

/// `reduction(task, ...)` and `mem` of GOMP_loop_start & co.
#[derive(Clone, Copy)]
pub struct Extras {
    pub reductions: *mut usize,
    pub mem: *mut *mut c_void,
}

impl Extras {
    pub const NONE: Extras = Extras { reductions: std::ptr::null_mut(), mem: std::ptr::null_mut() };
}

/// Enter the next worksharing construct; `init` sets the slot up (on the
/// one thread elected to) given the team size. False when the team was
/// cancelled while waiting (the construct then hands out nothing).
pub fn begin(ts: &ThreadState, extras: Extras, init: impl FnOnce(&WorkShare, u32)) -> bool {
    let (ring, nthreads, team) = ring_of(ts);
    if !extras.reductions.is_null() {
        crate::runtime::task::workshare_taskgroup_start(ts);
    }
    let mut c = 0;
    ts.update(|t| {
        c = t.ws.count;
        t.ws = WsCursor { count: c + 1, ..WsCursor::default() };
    });
    let old_chain = ts.cur().task_reductions;
    let entered = ring.enter(
        c,
        |slot| {
            init(slot, nthreads);
            if !extras.reductions.is_null() {
                // SAFETY: GCC's registration array for this construct.
                unsafe { reduction::register(extras.reductions, old_chain, std::ptr::null(), nthreads) };
                slot.reductions.store(extras.reductions, Ordering::Relaxed);
            }
            if !extras.mem.is_null() {
                // SAFETY: GCC passes the wanted size in *mem and expects the
                // shared, zeroed block back in it.
                unsafe { *extras.mem = slot.init_mem(*extras.mem as usize).cast() };
            }
        },
        stop_fn(team),
    );
    let Some((slot, first)) = entered else { return false };
    if !first {
        // SAFETY: as above; the first thread's array (published with the
        // slot) has the same shape and already owns the blocks.
        unsafe {
            if !extras.reductions.is_null() {
                reduction::register(extras.reductions, old_chain, slot.reductions.load(Ordering::Relaxed), nthreads);
            }
            if !extras.mem.is_null() {
                *extras.mem = slot.mem().cast();
            }
        }
    }
    ts.update(|t| {
        t.ws.slot = slot;
        if !extras.reductions.is_null() {
            t.task_reductions = extras.reductions;
        }
    });
    true
}

/// The next chunk of the current loop as (istart, iend) bits, passing the
/// ordered baton of the chunk given up. None when the loop is exhausted or
/// cancelled.
#[inline]
pub fn next(ts: &ThreadState) -> Option<(u64, u64)> {
    let team = ts.team();
    if ts.cur().ws.slot.is_null() {
        enter_combined(ts, team);
    }
    let mut out = None;
    ts.update(|t| {
        // SAFETY: the cursor's slot stays valid until this thread leaves it.
        let Some(ws) = (unsafe { t.ws.slot.as_ref() }) else { return };
        let share = ws.share();
        if share.ordered && t.ws.held {
            ws.ordered.release(t.ws.lo, t.ws.hi, stop_fn(team));
        }
        t.ws.held = false;
        if ws.cancelled.load(Ordering::Relaxed) || team.is_some_and(team_cancelled) {
            return;
        }
        if let Some((lo, hi)) = ws.next_chunk(t.tid, t.ws.trip) {
            t.ws.trip += 1;
            t.ws.lo = lo;
            t.ws.hi = hi;
            t.ws.held = true;
            out = Some(share.space.bounds(lo, hi));
        }
    });
    out
}

/// A combined parallel loop / sections: the outlined body starts with
/// *_next, so each thread enters the region's first construct here.
#[cold]
fn enter_combined(ts: &ThreadState, team: Option<&Team>) {
    let Some(spec) = team.and_then(|t| t.cfg().combined) else { return };
    if ts.cur().ws.count == 0 {
        begin(ts, Extras::NONE, |slot, n| slot.init_loop(spec.share(n)));
    }
}

/// Leave the current construct; then, unless `nowait`, the team barrier
/// (cancellable when `cancellable`). Returns true when the region was cancelled.
pub fn end(ts: &ThreadState, nowait: bool, cancellable: bool) -> bool {
    let (ring, nthreads, team) = ring_of(ts);
    let mut left = None;
    ts.update(|t| {
        // SAFETY: as in `next`.
        if let Some(ws) = unsafe { t.ws.slot.as_ref() } {
            if ws.share().ordered && t.ws.held {
                ws.ordered.release(t.ws.lo, t.ws.hi, stop_fn(team));
            }
            left = Some(t.ws.count - 1);
        }
        t.ws = WsCursor { count: t.ws.count, ..WsCursor::default() };
    });
    if let Some(c) = left {
        ring.leave(c, nthreads);
    }
    match team {
        Some(team) if !nowait => {
            let tid = ts.cur().tid;
            if cancellable {
                team.cancel_barrier_wait(tid)
            } else {
                team.barrier_wait(tid);
                false
            }
        }
        _ => false,
    }
}

/// A construct a thread keeps open beside its current one: LLVM opens a
/// doacross nest (`__kmpc_doacross_init`) before the loop that workshares
/// it. Entered like `begin`, at the thread's next position, but it does
/// not become the current construct; returns its slot (valid until
/// `end_aside`) and its position, or None when the team was cancelled.
pub fn begin_aside(ts: &ThreadState, init: impl FnOnce(&WorkShare, u32)) -> Option<(*const WorkShare, u64)> {
    let (ring, nthreads, team) = ring_of(ts);
    let mut c = 0;
    ts.update(|t| {
        c = t.ws.count;
        t.ws.count = c + 1;
    });
    let (slot, _) = ring.enter(c, |slot| init(slot, nthreads), stop_fn(team))?;
    Some((slot as *const WorkShare, c))
}

/// Leave the construct `begin_aside` entered at position `c`.
pub fn end_aside(ts: &ThreadState, c: u64) {
    let (ring, nthreads, _) = ring_of(ts);
    ring.leave(c, nthreads);
}

/// The current construct's work share (ordered, doacross, cancellation).
pub fn current(ts: &ThreadState) -> Option<(&WorkShare, WsCursor)> {
    let cur = ts.cur().ws;
    // SAFETY: as in `next`.
    unsafe { cur.slot.as_ref() }.map(|ws| (ws, cur))
}

/// `#pragma omp ordered` start: wait for the baton of the current chunk.
pub fn ordered_start(ts: &ThreadState) {
    if let Some((ws, cur)) = current(ts) {
        if cur.held {
            ws.ordered.acquire(cur.lo, stop_fn(ts.team()));
        }
    }
}

/// Loops of the calling thread's current doacross nest (0 outside one).
pub fn doacross_dims(ts: &ThreadState) -> usize {
    current(ts).map_or(0, |(ws, _)| ws.deps.ndims())
}

/// Doacross `depend(sink: v)`.
pub fn doacross_wait(ts: &ThreadState, v: &[u64]) {
    if let Some((ws, _)) = current(ts) {
        ws.deps.wait(&v[..ws.deps.ndims().min(v.len())], stop_fn(ts.team()));
    }
}

/// Doacross `depend(source)`; `v` points at the iteration's ndims values.
///
/// # Safety
/// `v` holds as many values as the current doacross loop has dimensions.
pub unsafe fn doacross_post(ts: &ThreadState, v: *const u64) {
    if let Some((ws, _)) = current(ts) {
        // SAFETY: caller's contract.
        let v = unsafe { std::slice::from_raw_parts(v, ws.deps.ndims()) };
        ws.deps.post(v);
    }
}
