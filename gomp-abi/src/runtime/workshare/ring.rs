//! The ring of work shares: the slots where a team's worksharing
//! constructs live, several at once (nowait), each initialised by one
//! elected thread and reused only after every thread left it.
//!
//! # The ring (several live work shares, for nowait)
//! Every thread counts the worksharing constructs it met in its team
//! (`WsCursor::count`, thread-local); construct `c` uses slot `c % RING` in
//! round `r = c / RING`. Per slot:
//! - `claimed` (u64): 1 + the last construct whose initialisation was
//!   claimed. A thread arriving at `c` has passed `c - RING`, so `claimed`
//!   is at least `c + 1 - RING`; a CAS `c + 1 - RING -> c + 1` elects exactly
//!   one initialiser for `c` (a failed CAS means someone else claimed `c`).
//!   A thread that reads `claimed == c + 1` first knows that without the
//!   CAS, so usually only the initialiser writes the line.
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
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU32, AtomicU64, Ordering};

use super::iter::{dynamic_chunk, guided_chunk, static_chunk, Kind, LoopShare, Space};
use crate::runtime::doacross::Deps;
use crate::runtime::ordered::Baton;
use crate::runtime::sleep::Signal;
use crate::runtime::{spin_policy, CachePadded};

/// Work shares that can be live at once in a team (threads may run up to
/// RING-1 nowait constructs ahead of the slowest one).
pub const RING: usize = 8;

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
            s.phase.publish(0);
            s.left.store(0, Ordering::Relaxed);
        }
    }

    /// Wake every thread waiting on the ring to re-check its stop condition
    /// (after the team was cancelled); no slot changes.
    pub fn wake_to_recheck_stop(&self) {
        for s in &self.slots {
            s.phase.wake_to_recheck_stop();
            s.ordered.wake_to_recheck_stop();
            s.deps.wake_to_recheck_stop();
        }
    }

    /// Enter construct `c`: `init` runs on the one elected thread before the
    /// others may read the slot. Returns the slot and whether this thread
    /// initialised it, or None when `stop()` (team cancelled) ended a wait.
    pub fn enter(&self, c: u64, init: impl FnOnce(&WorkShare), stop: impl Fn() -> bool) -> Option<(&WorkShare, bool)> {
        let slot = &self.slots[(c % RING as u64) as usize];
        let round = (c / RING as u64) as u32;
        let prev = (c + 1).saturating_sub(RING as u64);
        let first = slot.claimed.load(Ordering::Relaxed) != c + 1
            && slot.claimed.compare_exchange(prev, c + 1, Ordering::AcqRel, Ordering::Relaxed).is_ok();
        if first {
            if !slot.wait_phase(round.wrapping_mul(2), &stop) {
                return None;
            }
            init(slot);
            slot.phase.publish(round.wrapping_mul(2).wrapping_add(1));
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
            slot.phase.publish(round.wrapping_add(1).wrapping_mul(2));
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

#[cfg(test)]
mod tests {
    use super::*;

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
