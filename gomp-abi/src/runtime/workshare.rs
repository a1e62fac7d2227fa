//! Worksharing: iteration spaces, chunk dispatch and the ring of work shares.
//!
//! # Iteration spaces
//! GCC hands us `for (v = start; v < end (or > end); v += incr)` over `long`
//! or `unsigned long long`. `Space` turns both into iteration numbers
//! `0..n` (u64) plus the bits of start/end/incr; every schedule hands out
//! ranges of iteration numbers and `Space::bounds` maps them back with
//! wrapping two's-complement arithmetic, which is exact for both types. The
//! last chunk ends at GCC's own `end`, so `start + n*incr` (which may
//! overflow near the type limits) is never formed.
//!
//! # Dispatch (one generic dispatcher for both types)
//! - static: computed from (tid, nthreads, trip) alone, no shared write.
//! - dynamic: one `fetch_add(chunk)` on the work share's `next` counter per
//!   chunk. After `next` passes `n` each thread adds at most once more (GCC
//!   stops calling *_next after a false), so `next <= n + (nthreads+1)*chunk`;
//!   when that could overflow u64 the same claim is made with a CAS loop.
//! - guided: one CAS per chunk on `next` (the size depends on what is left).
//!
//! `next` only hands out numbers; no data is published through it (Relaxed).
//!
//! # The ring (several live work shares, for nowait)
//! Every thread counts the worksharing constructs it met in its team
//! (`WsCursor::count`, thread-local); construct `c` uses slot `c % RING` in
//! round `r = c / RING`. Per slot:
//! - `claimed` (u64): 1 + the last construct whose initialisation was
//!   claimed. A thread arriving at `c` has passed `c - RING`, so `claimed`
//!   is at least `c + 1 - RING`; a CAS `c + 1 - RING -> c + 1` elects exactly
//!   one initialiser for `c` (a failed CAS means someone else claimed `c`).
//! - `phase` (a `Signal`, sleep/): `2r` = free for round `r` (everyone left round
//!   `r - 1`), `2r + 1` = open (initialised) for round `r`. The initialiser
//!   waits for `2r`, writes the slot's plain fields, then publishes `2r + 1`
//!   (SeqCst store: Release for the fields); the others wait for `2r + 1`
//!   (Acquire) and only read those fields.
//! - `left`: threads that left the round; the last one (== nthreads) resets
//!   it to 0 and then publishes `2r + 2`, so the next round starts from 0.
//!
//! No deadlock: a thread waiting at construct `c` waits for threads still
//! inside construct `c - RING` (or for its initialiser, which does bounded
//! work). Those threads are behind in the same construct sequence and can
//! always get there: they never wait for a thread that is ahead, since every
//! barrier in between was completed by all threads. Waits also end when the
//! team is cancelled (cancelled threads skip constructs).
//! The team's ring is reset by `fork` while no thread is in the team; at the
//! end of a region every thread has left every work share, so every slot is
//! free then anyway (except after cancellation, which the reset repairs).

use std::cell::UnsafeCell;
use std::ffi::c_void;
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU32, AtomicU64, Ordering};

use super::cancel::team_cancelled;
use super::doacross::Deps;
use super::ordered::Baton;
use super::reduction;
use super::team::{Team, ThreadState};
use super::sleep::Signal;
use super::{spin_policy, CachePadded};

/// Work shares that can be live at once in a team (threads may run up to
/// RING-1 nowait constructs ahead of the slowest one).
pub const RING: usize = 8;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Static,
    Dynamic,
    Guided,
}

/// A loop normalised to iteration numbers `0..n`; values as raw u64 bits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Space {
    pub start: u64,
    pub end: u64,
    pub incr: u64,
    pub n: u64,
}

impl Space {
    /// `for (v = start; v < end (incr > 0) or v > end (incr < 0); v += incr)` over `long`.
    pub fn signed(start: i64, end: i64, incr: i64) -> Space {
        let n = if incr > 0 && start < end {
            (end.wrapping_sub(start) as u64 - 1) / incr as u64 + 1
        } else if incr < 0 && start > end {
            (start.wrapping_sub(end) as u64 - 1) / incr.unsigned_abs() + 1
        } else {
            0
        };
        Space { start: start as u64, end: end as u64, incr: incr as u64, n }
    }

    /// The same over `unsigned long long`; `up` tells the direction and a
    /// downward `incr` is the two's complement of the step.
    pub fn unsigned(up: bool, start: u64, end: u64, incr: u64) -> Space {
        let n = if up && start < end && incr != 0 {
            (end - start - 1) / incr + 1
        } else if !up && start > end && incr != 0 {
            (start - end - 1) / incr.wrapping_neg() + 1
        } else {
            0
        };
        Space { start, end, incr, n }
    }

    /// `iterations` iterations from 0 by 1 (doacross, sections).
    pub fn count(iterations: u64) -> Space {
        Space { start: 0, end: iterations, incr: 1, n: iterations }
    }

    #[inline]
    pub fn value(&self, idx: u64) -> u64 {
        self.start.wrapping_add(idx.wrapping_mul(self.incr))
    }

    /// (istart, iend) for iterations `lo..hi`.
    #[inline]
    pub fn bounds(&self, lo: u64, hi: u64) -> (u64, u64) {
        (self.value(lo), if hi == self.n { self.end } else { self.value(hi) })
    }
}

/// The static schedule: thread `tid`'s `trip`-th chunk. `chunk == 0` is the
/// blocked schedule (one block per thread; the first `n % nthreads` threads
/// get one iteration more), as GCC's inline code and runtime do.
pub fn static_chunk(n: u64, nthreads: u64, tid: u64, chunk: u64, trip: u64) -> Option<(u64, u64)> {
    if chunk == 0 {
        if trip > 0 {
            return None;
        }
        let (lo, len) = static_block(n, nthreads, tid);
        return (len > 0).then_some((lo, lo + len));
    }
    let k = trip.checked_mul(nthreads)?.checked_add(tid)?;
    let lo = k.checked_mul(chunk)?;
    (lo < n).then(|| (lo, lo + chunk.min(n - lo)))
}

/// (first iteration, length) of `tid`'s block in the blocked static schedule.
#[inline]
pub fn static_block(n: u64, nthreads: u64, tid: u64) -> (u64, u64) {
    let q = n / nthreads;
    let t = n % nthreads;
    if tid < t {
        (tid * (q + 1), q + 1)
    } else {
        (tid * q + t, q)
    }
}

/// Claim the next dynamic chunk from `next`.
#[inline]
pub fn dynamic_chunk(next: &AtomicU64, n: u64, chunk: u64, fetch_add: bool) -> Option<(u64, u64)> {
    if fetch_add {
        let lo = next.fetch_add(chunk, Ordering::Relaxed);
        return (lo < n).then(|| (lo, lo + chunk.min(n - lo)));
    }
    let mut lo = next.load(Ordering::Relaxed);
    loop {
        if lo >= n {
            return None;
        }
        let hi = lo + chunk.min(n - lo);
        match next.compare_exchange_weak(lo, hi, Ordering::Relaxed, Ordering::Relaxed) {
            Ok(_) => return Some((lo, hi)),
            Err(v) => lo = v,
        }
    }
}

/// Size of the next guided chunk when `remaining` iterations are left:
/// remaining/nthreads rounded up, at least `chunk`, at most what is left.
#[inline]
pub fn guided_size(remaining: u64, nthreads: u64, chunk: u64) -> u64 {
    remaining.div_ceil(nthreads).max(chunk).min(remaining)
}

#[inline]
pub fn guided_chunk(next: &AtomicU64, n: u64, nthreads: u64, chunk: u64) -> Option<(u64, u64)> {
    let mut lo = next.load(Ordering::Relaxed);
    loop {
        if lo >= n {
            return None;
        }
        let hi = lo + guided_size(n - lo, nthreads, chunk);
        match next.compare_exchange_weak(lo, hi, Ordering::Relaxed, Ordering::Relaxed) {
            Ok(_) => return Some((lo, hi)),
            Err(v) => lo = v,
        }
    }
}

/// A loop as the entry points describe it, before the team size is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoopSpec {
    pub space: Space,
    pub kind: Kind,
    pub chunk: u64,
    pub ordered: bool,
}

impl LoopSpec {
    pub fn share(&self, nthreads: u32) -> LoopShare {
        LoopShare::new(self.space, self.kind, self.chunk, nthreads, self.ordered)
    }
}

/// What a loop work share hands out; fixed while the slot is open.
#[derive(Clone, Copy, Debug)]
pub struct LoopShare {
    pub space: Space,
    pub kind: Kind,
    /// Iterations per chunk (0 = blocked static).
    pub chunk: u64,
    pub nthreads: u32,
    /// Dynamic claims may use fetch_add (see the module comment).
    pub fetch_add: bool,
    /// The loop has an ordered clause: chunks pass the ordered baton.
    pub ordered: bool,
}

impl LoopShare {
    pub fn new(space: Space, kind: Kind, chunk: u64, nthreads: u32, ordered: bool) -> LoopShare {
        let chunk = if kind == Kind::Static { chunk } else { chunk.max(1) };
        let fetch_add = (u64::from(nthreads) + 1)
            .checked_mul(chunk)
            .and_then(|x| x.checked_add(space.n))
            .is_some();
        LoopShare { space, kind, chunk, nthreads, fetch_add, ordered }
    }
}

/// One slot of the ring. Plain fields are written only by the slot's
/// initialiser before it publishes `phase = 2r + 1` (see the module comment).
pub struct WorkShare {
    claimed: AtomicU64,
    phase: Signal,
    left: AtomicU32,
    /// Next unclaimed iteration number (dynamic, guided, sections).
    next: CachePadded<AtomicU64>,
    share: UnsafeCell<LoopShare>,
    /// Zeroed memory shared by the construct's threads (GOMP_loop_start's `mem`).
    mem: UnsafeCell<Vec<u64>>,
    pub ordered: Baton,
    pub deps: Deps,
    /// `cancel for` / `cancel sections` hit this construct.
    pub cancelled: AtomicBool,
    /// The initialising thread's task-reduction array (others copy from it).
    pub reductions: AtomicPtr<usize>,
}

// SAFETY: `share` and `mem` are written only by the elected initialiser
// before `phase` publishes the slot (Release) and read only after observing
// it (Acquire); everything else is atomic or internally synchronised.
unsafe impl Sync for WorkShare {}

impl Default for WorkShare {
    fn default() -> Self {
        WorkShare {
            claimed: AtomicU64::new(0),
            phase: Signal::default(),
            left: AtomicU32::new(0),
            next: CachePadded(AtomicU64::new(0)),
            share: UnsafeCell::new(LoopShare::new(Space::default(), Kind::Static, 0, 1, false)),
            mem: UnsafeCell::new(Vec::new()),
            ordered: Baton::default(),
            deps: Deps::default(),
            cancelled: AtomicBool::new(false),
            reductions: AtomicPtr::new(std::ptr::null_mut()),
        }
    }
}

impl WorkShare {
    #[inline]
    pub fn share(&self) -> &LoopShare {
        // SAFETY: read only while the slot is open for the caller's round,
        // i.e. after the Acquire of `phase` and before the caller left.
        unsafe { &*self.share.get() }
    }

    /// Initialiser only, before publishing: set up a loop work share.
    pub fn init_loop(&self, share: LoopShare) {
        // SAFETY: the elected initialiser is the only thread touching the
        // slot's plain fields until `phase` publishes it.
        unsafe { *self.share.get() = share };
        self.next.store(0, Ordering::Relaxed);
        self.ordered.reset();
        self.cancelled.store(false, Ordering::Relaxed);
        self.reductions.store(std::ptr::null_mut(), Ordering::Relaxed);
    }

    /// Initialiser only: zeroed shared memory of `bytes` bytes (8-aligned;
    /// reuses the slot's buffer, allocating only when it must grow).
    pub fn init_mem(&self, bytes: usize) -> *mut u8 {
        // SAFETY: as in `init_loop`.
        let v = unsafe { &mut *self.mem.get() };
        v.clear();
        v.resize(bytes.div_ceil(8).max(1), 0);
        v.as_mut_ptr().cast()
    }

    /// Any thread of an open slot: the shared memory.
    pub fn mem(&self) -> *mut u8 {
        // SAFETY: as in `share`; only the pointer is read.
        unsafe { (*self.mem.get()).as_mut_ptr().cast() }
    }

    /// Claim the next chunk for `tid` (whose static trip count is `trip`).
    #[inline]
    pub fn next_chunk(&self, tid: u32, trip: u64) -> Option<(u64, u64)> {
        let s = self.share();
        match s.kind {
            Kind::Static => static_chunk(s.space.n, u64::from(s.nthreads), u64::from(tid), s.chunk, trip),
            Kind::Dynamic => dynamic_chunk(&self.next, s.space.n, s.chunk, s.fetch_add),
            Kind::Guided => guided_chunk(&self.next, s.space.n, u64::from(s.nthreads), s.chunk),
        }
    }

    fn wait_phase(&self, target: u32, stop: &impl Fn() -> bool) -> bool {
        loop {
            let v = self.phase.load();
            if v == target {
                return true;
            }
            if self.phase.wait_while_or(v, spin_policy(), stop) {
                return false;
            }
        }
    }
}

/// The ring of a team (or of a thread outside any team).
#[derive(Default)]
pub struct Ring {
    slots: [WorkShare; RING],
}

impl Ring {
    /// Forget every construct. Only while no thread uses the ring.
    pub fn reset(&self) {
        // Only slots a construct used: an untouched slot's lines stay shared
        // in the workers' caches (fork is the hot path of every region).
        for s in self.slots.iter().filter(|s| s.claimed.load(Ordering::Relaxed) != 0) {
            s.claimed.store(0, Ordering::Relaxed);
            s.phase.set(0);
            s.left.store(0, Ordering::Relaxed);
        }
    }

    /// Wake threads waiting on the ring (after the team was cancelled).
    pub fn wake_all(&self) {
        for s in &self.slots {
            s.phase.notify_all();
            s.ordered.wake();
            s.deps.wake();
        }
    }

    /// Enter construct `c`: `init` runs on the one elected thread before the
    /// others may read the slot. Returns the slot and whether this thread
    /// initialised it, or None when `stop()` (team cancelled) ended a wait.
    pub fn enter(&self, c: u64, init: impl FnOnce(&WorkShare), stop: impl Fn() -> bool) -> Option<(&WorkShare, bool)> {
        let slot = &self.slots[(c % RING as u64) as usize];
        let round = (c / RING as u64) as u32;
        let prev = (c + 1).saturating_sub(RING as u64);
        let first = slot.claimed.compare_exchange(prev, c + 1, Ordering::AcqRel, Ordering::Relaxed).is_ok();
        if first {
            if !slot.wait_phase(round.wrapping_mul(2), &stop) {
                return None;
            }
            init(slot);
            slot.phase.set(round.wrapping_mul(2).wrapping_add(1));
        } else if !slot.wait_phase(round.wrapping_mul(2).wrapping_add(1), &stop) {
            return None;
        }
        Some((slot, first))
    }

    /// Leave construct `c` (entered with `enter`); the last of `nthreads`
    /// threads frees the slot for the next round.
    pub fn leave(&self, c: u64, nthreads: u32) {
        let slot = &self.slots[(c % RING as u64) as usize];
        if slot.left.fetch_add(1, Ordering::AcqRel) + 1 == nthreads {
            slot.left.store(0, Ordering::Relaxed);
            let round = (c / RING as u64) as u32;
            slot.phase.set(round.wrapping_add(1).wrapping_mul(2));
        }
    }
}

/// A thread's position in its team's worksharing constructs (lives in its
/// `ImplicitTask`).
#[derive(Clone, Copy, Debug)]
pub struct WsCursor {
    /// Worksharing constructs entered in this team.
    pub count: u64,
    /// The construct being executed (null between constructs).
    pub slot: *const WorkShare,
    /// Static chunks taken so far in the current loop.
    pub trip: u64,
    /// The chunk being executed: iteration numbers lo..hi (valid if `held`).
    pub lo: u64,
    pub hi: u64,
    pub held: bool,
}

impl Default for WsCursor {
    fn default() -> Self {
        WsCursor { count: 0, slot: std::ptr::null(), trip: 0, lo: 0, hi: 0, held: false }
    }
}

// ---------------------------------------------------------------------
// The calling thread's side: what the GOMP_loop_* / GOMP_sections_* entry
// points call. A thread outside any team uses a thread-local ring of its own.

super::tls::lasting! {
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
        super::task::workshare_taskgroup_start(ts);
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator (xorshift) for the randomised tests.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, m: u64) -> u64 {
            self.next() % m
        }
    }

    /// Values the loop `for (v = start; v <op> end; v += incr)` takes,
    /// computed the naive way (i128 to stay exact), at most `cap`.
    fn naive_signed(start: i64, end: i64, incr: i64, cap: usize) -> Vec<i64> {
        let mut out = Vec::new();
        let mut v = start as i128;
        while out.len() < cap && ((incr > 0 && v < end as i128) || (incr < 0 && v > end as i128)) {
            out.push(v as i64);
            v += incr as i128;
        }
        out
    }

    /// Walk the chunks of a loop the way GCC's code does and collect the values.
    fn run_chunks(space: Space, signed: bool, mut chunks: impl FnMut() -> Option<(u64, u64)>) -> Vec<u64> {
        let mut seen = Vec::new();
        while let Some((lo, hi)) = chunks() {
            let (is, ie) = space.bounds(lo, hi);
            let mut v = is;
            let below = |v: u64| {
                if signed {
                    if (space.incr as i64) > 0 {
                        (v as i64) < ie as i64
                    } else {
                        (v as i64) > ie as i64
                    }
                } else if (space.incr as i64) > 0 {
                    v < ie
                } else {
                    v > ie
                }
            };
            // The generated code runs while v is below iend, and never
            // steps past the type's range inside a chunk.
            let mut k = lo;
            while k < hi {
                assert!(below(v), "value {v} of chunk {lo}..{hi} is not before iend {ie}");
                seen.push(v);
                v = v.wrapping_add(space.incr);
                k += 1;
            }
            if hi == space.n {
                assert!(!below(v) || hi - lo == 0 || space.n == 0, "iend does not stop the last chunk");
            }
        }
        seen
    }

    #[test]
    fn counts_match_naive_loops() {
        let mut r = Rng(0x9e3779b97f4a7c15);
        for _ in 0..2000 {
            let start = r.below(200) as i64 - 100;
            let end = r.below(200) as i64 - 100;
            let incr = (r.below(9) as i64 + 1) * if r.below(2) == 0 { 1 } else { -1 };
            let s = Space::signed(start, end, incr);
            assert_eq!(s.n as usize, naive_signed(start, end, incr, 1000).len(), "{start} {end} {incr}");
        }
    }

    #[test]
    fn near_limit_bounds() {
        let s = Space::signed(i64::MIN, i64::MAX, 1);
        assert_eq!(s.n, u64::MAX);
        let s = Space::signed(0, i64::MAX, 2);
        assert_eq!(s.n, 1 << 62);
        assert_eq!(s.bounds(s.n - 1, s.n), ((i64::MAX - 1) as u64, i64::MAX as u64));
        let s = Space::signed(i64::MAX, i64::MIN, -3);
        assert_eq!(s.n, (u64::MAX - 1) / 3 + 1);
        let s = Space::unsigned(true, 0, u64::MAX, 1);
        assert_eq!(s.n, u64::MAX);
        let s = Space::unsigned(false, u64::MAX, 0, 7u64.wrapping_neg());
        assert_eq!(s.n, (u64::MAX - 1) / 7 + 1);
        assert_eq!(s.bounds(s.n - 1, s.n).1, 0);
        assert_eq!(Space::unsigned(true, 5, 5, 1).n, 0);
        assert_eq!(Space::signed(5, 4, 1).n, 0);
    }

    /// Every schedule hands out each iteration of random loops exactly once.
    #[test]
    fn every_schedule_covers_exactly_once() {
        let mut r = Rng(12345);
        for case in 0..600 {
            let nthreads = r.below(7) + 1;
            let chunk = [0, 1, 2, 3, 7, 64, 1000, u64::MAX / 2][r.below(8) as usize];
            let (space, signed) = if r.below(2) == 0 {
                let start = r.below(4000) as i64 - 2000;
                let span = r.below(3000) as i64;
                let incr = (r.below(13) as i64 + 1) * if r.below(2) == 0 { 1 } else { -1 };
                let end = if incr > 0 { start + span } else { start - span };
                (Space::signed(start, end, incr), true)
            } else {
                let base = if r.below(2) == 0 { 0 } else { u64::MAX - 5000 };
                let a = base + r.below(2500);
                let b = base + r.below(2500);
                let incr = r.below(11) + 1;
                if a <= b {
                    (Space::unsigned(true, a, b, incr), false)
                } else {
                    (Space::unsigned(false, a, b, incr.wrapping_neg()), false)
                }
            };
            let expected: Vec<u64> = (0..space.n).map(|i| space.value(i)).collect();
            for kind in [Kind::Static, Kind::Dynamic, Kind::Guided] {
                let share = LoopShare::new(space, kind, chunk, nthreads as u32, false);
                let next = AtomicU64::new(0);
                let mut all = Vec::new();
                // Threads take turns in a random order (any interleaving of
                // claims is some sequential order of the atomics).
                let mut trips = vec![0u64; nthreads as usize];
                let mut done = vec![false; nthreads as usize];
                while done.iter().any(|d| !d) {
                    let t = r.below(nthreads) as usize;
                    if done[t] {
                        continue;
                    }
                    let got = match kind {
                        Kind::Static => static_chunk(space.n, nthreads, t as u64, share.chunk, trips[t]),
                        Kind::Dynamic => dynamic_chunk(&next, space.n, share.chunk, share.fetch_add),
                        Kind::Guided => guided_chunk(&next, space.n, nthreads, share.chunk),
                    };
                    trips[t] += 1;
                    match got {
                        None => done[t] = true,
                        Some(c) => {
                            let mut once = Some(c);
                            all.extend(run_chunks(space, signed, || once.take()));
                        }
                    }
                }
                all.sort_unstable();
                let mut want = expected.clone();
                want.sort_unstable();
                assert_eq!(all, want, "case {case} {kind:?} chunk {chunk} nthreads {nthreads} {space:?}");
            }
        }
    }

    #[test]
    fn blocked_static_matches_gcc_split() {
        // 10 iterations, 4 threads: 3,3,2,2
        let got: Vec<_> = (0..4).map(|t| static_chunk(10, 4, t, 0, 0)).collect();
        assert_eq!(got, vec![Some((0, 3)), Some((3, 6)), Some((6, 8)), Some((8, 10))]);
        assert_eq!(static_chunk(2, 4, 3, 0, 0), None);
        assert_eq!(static_chunk(10, 4, 0, 0, 1), None);
    }

    #[test]
    fn guided_chunks_shrink() {
        let next = AtomicU64::new(0);
        let sizes: Vec<u64> = std::iter::from_fn(|| guided_chunk(&next, 100, 4, 3).map(|(a, b)| b - a)).collect();
        assert_eq!(sizes.iter().sum::<u64>(), 100);
        assert!(sizes.windows(2).all(|w| w[0] >= w[1]));
        assert_eq!(sizes[0], 25);
        assert!(sizes.iter().rev().skip(1).all(|&s| s >= 3), "chunks below the minimum before the last");
    }

    #[test]
    fn fetch_add_only_when_overshoot_fits() {
        assert!(LoopShare::new(Space::count(1000), Kind::Dynamic, 10, 4, false).fetch_add);
        assert!(!LoopShare::new(Space::unsigned(true, 0, u64::MAX, 1), Kind::Dynamic, 10, 4, false).fetch_add);
        // The CAS path still covers the space near the top.
        let next = AtomicU64::new(u64::MAX - 25);
        let got: Vec<_> = std::iter::from_fn(|| dynamic_chunk(&next, u64::MAX, 10, false)).collect();
        assert_eq!(got.last(), Some(&(u64::MAX - 5, u64::MAX)));
    }

    /// Threads run ahead through nowait constructs; the ring reuses slots
    /// only after everyone left, and elects one initialiser per construct.
    #[test]
    fn ring_reuse_under_threads() {
        use std::sync::Arc;
        let ring = Arc::new(Ring::default());
        let nthreads = 4u32;
        let inits = Arc::new(AtomicU64::new(0));
        let constructs = 200u64;
        let handles: Vec<_> = (0..nthreads)
            .map(|_| {
                let ring = ring.clone();
                let inits = inits.clone();
                std::thread::spawn(move || {
                    for c in 0..constructs {
                        let (slot, first) = ring
                            .enter(
                                c,
                                |s| {
                                    s.init_loop(LoopShare::new(Space::count(c), Kind::Dynamic, 1, nthreads, false));
                                    inits.fetch_add(1, Ordering::Relaxed);
                                },
                                || false,
                            )
                            .unwrap();
                        let _ = first;
                        // The slot describes this construct, not another round's.
                        assert_eq!(slot.share().space.n, c);
                        while slot.next_chunk(0, 0).is_some() {}
                        ring.leave(c, nthreads);
                    }
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        assert_eq!(inits.load(Ordering::Relaxed), constructs);
    }
}
