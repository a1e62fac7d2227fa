//! Teams, per-thread state, fork and join.
//!
//! | file | what |
//! |---|---|
//! | mod.rs | the team types: `Team`, `TeamConfig`, `RegionExtras` |
//! | state.rs | `ThreadState`, `ImplicitTask`, level queries |
//! | size.rs | team size and thread-limit accounting per contention group |
//! | fork.rs | fork, join, the worker's side of a region, crews |
//!
//! Each OS thread has a `ThreadState` (thread-local): the implicit task it
//! runs now (`ImplicitTask`: team, thread number, ICVs, construct counters)
//! and, for every nesting depth at which it is currently a master, a
//! `MasterSlot` with a reusable `Team` and a crew of pool workers. A thread
//! that opens regions repeatedly reuses the same team and workers: no
//! allocation, lock or shared-pool access on the fork/join path. Any number of
//! OS threads can be masters at once; each has its own slots and crews, and a
//! worker opening a nested region becomes a master with crews of its own.
//!
//! # Region protocol
//! fork (master): wait until the slot's previous workers acked their last
//! job (usually already true), write the team's configuration, reset its
//! barrier and counters, hand each worker its thread number (pool protocol),
//! switch the master's implicit task. join: the team barrier (which also
//! completes the team's tasks), then restore the master's previous implicit
//! task. Workers ack after leaving the barrier, so the team is never
//! rewritten while a worker might still read it.

use std::cell::UnsafeCell;
use std::ffi::c_void;
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU32, AtomicU64, Ordering};

mod fork;
mod size;
mod state;

pub use fork::{forget_workers_after_fork, retire_own_crews, run_worker_job};
pub use state::{ancestor_thread_num, team_size_at, with_state, ImplicitTask, ThreadState, EXCLUSIVE};

use super::barrier::Barrier;
use super::bind::Placement;
use super::icv::Icvs;
use super::sleep::EventCount;
use super::task::TeamTasks;
use super::workshare::{LoopSpec, Ring};
use super::{globals, spin_policy, CachePadded};

pub type Outlined = unsafe extern "C" fn(*mut c_void);

/// What a region's threads need to know, fixed for the region's length.
#[derive(Clone, Copy)]
pub struct TeamConfig {
    pub nthreads: u32,
    /// Nesting level of the region (1 for a region opened by an initial task).
    pub level: u32,
    /// Number of enclosing active (more than one thread) regions, this one included.
    pub active_level: u32,
    /// The encountering task's team (null at level 1) and its thread number there.
    pub parent: *const Team,
    pub parent_tid: u32,
    pub func: Option<Outlined>,
    pub data: *mut c_void,
    /// ICVs of the region's implicit tasks.
    pub child_icv: Icvs,
    /// Workers hold their Capability for the whole region.
    pub exclusive: bool,
    /// Exclusive mode: the Capability the master may hold, which no worker
    /// claims (see run_worker_job).
    pub master_capability: Option<u32>,
    /// Thread count of the contention group (see ThreadState::limit_team).
    pub group_busy: *const AtomicU32,
    /// Task-reduction registrations of GOMP_parallel_reductions (null
    /// otherwise): the chain every implicit task of the region starts with.
    pub reductions: *mut usize,
    /// Combined parallel loop / sections: the construct every thread's
    /// first GOMP_loop_*_next / GOMP_sections_next enters (workshare.rs).
    pub combined: Option<LoopSpec>,
}

/// What a combined construct adds to a region (GOMP_parallel_loop_*,
/// GOMP_parallel_sections, GOMP_parallel_reductions).
#[derive(Clone, Copy)]
pub struct RegionExtras {
    pub reductions: *mut usize,
    pub combined: Option<LoopSpec>,
    /// The `proc_bind` clause (GOMP_parallel's flags & 7; 0 = none).
    pub proc_bind: u32,
}

impl RegionExtras {
    pub const NONE: RegionExtras = RegionExtras { reductions: std::ptr::null_mut(), combined: None, proc_bind: 0 };
}

impl TeamConfig {
    pub(super) fn same_as(&self, other: &TeamConfig) -> bool {
        self.nthreads == other.nthreads
            && self.level == other.level
            && self.active_level == other.active_level
            && self.parent == other.parent
            && self.parent_tid == other.parent_tid
            && self.func.map(|f| f as usize) == other.func.map(|f| f as usize)
            && self.data == other.data
            && self.child_icv == other.child_icv
            && self.exclusive == other.exclusive
            && self.master_capability == other.master_capability
            && self.group_busy == other.group_busy
            && self.reductions == other.reductions
            && self.combined == other.combined
    }
}

pub struct Team {
    pub(super) config: UnsafeCell<TeamConfig>,
    /// The word every thread waiting in one of the team's barriers parks on
    /// (barrier.rs names who notifies it).
    pub sleep: EventCount,
    pub barrier: Barrier,
    /// Number of `single` constructs claimed so far in this region.
    pub single_count: CachePadded<AtomicU64>,
    /// The broadcast pointer of `single copyprivate` (written by the single's
    /// executor before the barrier that publishes it; never needs a reset).
    pub copyprivate: AtomicPtr<c_void>,
    pub tasks: TeamTasks,
    /// Work shares of the region's worksharing constructs (workshare.rs).
    pub workshares: Ring,
    /// `cancel parallel` was executed in this region (cancel.rs).
    pub cancelled: AtomicBool,
    /// `cancel for` / `cancel sections` of a construct with no work share
    /// (LLVM's static schedules): 1 + the number of barriers (`barrier` and
    /// `cancel_barrier`) passed before it, 0 for none (cancel.rs).
    pub construct_cancelled: AtomicU32,
    /// The barrier of cancellable waits (GOMP_barrier_cancel, *_end_cancel):
    /// a separate one, so that threads leaving it on cancellation leave no
    /// arrivals behind in `barrier`, which ends the region (cancel.rs).
    pub cancel_barrier: Barrier,
    /// Each thread's place and partition (bind.rs); empty when unbound.
    /// Written and read under the same rule as `config`.
    pub(super) placements: UnsafeCell<Vec<Placement>>,
}

// SAFETY: `config` and `placements` are written only by the owning master while no worker is
// attached (see the region protocol) and is read-only during a region; all
// other fields are atomics or internally synchronised.
unsafe impl Sync for Team {}

impl Team {
    pub(super) fn new() -> Box<Team> {
        Box::new(Team {
            config: UnsafeCell::new(TeamConfig {
                nthreads: 1,
                level: 0,
                active_level: 0,
                parent: std::ptr::null(),
                parent_tid: 0,
                func: None,
                data: std::ptr::null_mut(),
                child_icv: globals().initial_icv,
                exclusive: false,
                master_capability: None,
                group_busy: std::ptr::null(),
                reductions: std::ptr::null_mut(),
                combined: None,
            }),
            sleep: EventCount::default(),
            barrier: Barrier::default(),
            single_count: CachePadded(AtomicU64::new(0)),
            copyprivate: AtomicPtr::new(std::ptr::null_mut()),
            tasks: TeamTasks::default(),
            workshares: Ring::default(),
            cancelled: AtomicBool::new(false),
            construct_cancelled: AtomicU32::new(0),
            cancel_barrier: Barrier::default(),
            placements: UnsafeCell::new(Vec::new()),
        })
    }

    /// Thread `tid` waits at the team barrier, running the team's tasks.
    pub fn barrier_wait(&self, tid: u32) {
        self.barrier.wait(tid, &self.tasks, &self.sleep, spin_policy());
    }

    /// A cancellable barrier wait (cancel.rs): true when the region was
    /// cancelled.
    pub fn cancel_barrier_wait(&self, tid: u32) -> bool {
        self.cancel_barrier.wait_cancellable(tid, &self.tasks, &self.sleep, spin_policy(), || {
            self.cancelled.load(Ordering::Acquire)
        })
    }

    /// Thread `tid`'s placement in this region (none when unbound).
    pub fn placement(&self, tid: u32) -> Placement {
        // SAFETY: as in `cfg`.
        unsafe { &*self.placements.get() }.get(tid as usize).copied().unwrap_or_default()
    }

    #[inline]
    pub fn cfg(&self) -> &TeamConfig {
        // SAFETY: only read during a region; written by the master only while
        // no worker is attached (region protocol), never while this borrow lives.
        unsafe { &*self.config.get() }
    }
}
