//! Teams, per-thread state, fork and join.
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

use std::cell::{Cell, UnsafeCell};
use std::ffi::c_void;
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU32, AtomicU64, Ordering};
use std::sync::Arc;

use super::barrier::Barrier;
use super::bind::{self, Placement};
use super::icv::Icvs;
use super::sleep::EventCount;
use super::pool::{self, Worker};
use super::task::{Task, TeamTasks};
use super::workshare::{LoopSpec, Ring, WsCursor};
use super::{globals, spin_policy, tls, trace, CachePadded};

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
    fn same_as(&self, other: &TeamConfig) -> bool {
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
    config: UnsafeCell<TeamConfig>,
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
    /// The barrier of cancellable waits (GOMP_barrier_cancel, *_end_cancel):
    /// a separate one, so that threads leaving it on cancellation leave no
    /// arrivals behind in `barrier`, which ends the region (cancel.rs).
    pub cancel_barrier: Barrier,
    /// Each thread's place and partition (bind.rs); empty when unbound.
    /// Written and read under the same rule as `config`.
    placements: UnsafeCell<Vec<Placement>>,
}

// SAFETY: `config` and `placements` are written only by the owning master while no worker is
// attached (see the region protocol) and is read-only during a region; all
// other fields are atomics or internally synchronised.
unsafe impl Sync for Team {}

impl Team {
    fn new() -> Box<Team> {
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

/// The implicit task a thread is executing.
#[derive(Clone, Copy)]
pub struct ImplicitTask {
    /// Null for an initial task outside any parallel region.
    pub team: *const Team,
    pub tid: u32,
    pub icv: Icvs,
    /// `single` constructs this thread has encountered in its team.
    pub single_count: u64,
    /// The explicit task this thread is executing, or null while it runs the
    /// implicit task itself (see runtime/task: null resolves to the implicit
    /// task's node in the team, or to the thread's initial-task node).
    pub task: *const Task,
    /// Position in the team's worksharing constructs (workshare.rs).
    pub ws: WsCursor,
    /// Chain of task-reduction registrations visible to this task (reduction.rs).
    pub task_reductions: *mut usize,
    /// Place and place partition (bind.rs).
    pub placement: Placement,
}

struct MasterSlot {
    team: Box<Team>,
    crew: Vec<Arc<Worker>>,
    /// Crew members that took part in the last region.
    busy: usize,
    /// The master's implicit task before the region.
    saved: Option<ImplicitTask>,
    /// What this region added to its contention group's thread count.
    reserved: u32,
    /// HSOMP_TRACE start time of the region.
    trace_start: Option<u64>,
}

pub struct ThreadState {
    cur: UnsafeCell<ImplicitTask>,
    masters: UnsafeCell<Vec<MasterSlot>>,
    depth: Cell<usize>,
    /// Whether this thread already prefers Capability 0 for its in-calls
    /// (set the first time it opens a region as an initial thread).
    prefers_capability_zero: Cell<bool>,
    /// Threads in use in the contention group this thread roots (counted
    /// only under a thread limit); nested regions reach it via TeamConfig.
    group_busy: Box<AtomicU32>,
    /// Size of the last team of more than one thread this thread opened
    /// outside any region (OMP_DISPLAY_AFFINITY shows a root team when it
    /// differs, as GCC's runtime does).
    last_root_team: Cell<u32>,
}

/// Opt-in exclusive mode (HSOMP_EXCLUSIVE / hsomp_set_exclusive).
pub static EXCLUSIVE: AtomicBool = AtomicBool::new(false);

tls::lasting! {
    static STATE: ThreadState = ThreadState::new();
    /// ICVs of the thread's initial task when its state was destroyed
    /// (thread exit): an exit handler that uses the runtime afterwards gets
    /// a fresh state (tls.rs) with the ICVs the program had set.
    static RETIRED_ICV: Cell<Option<Icvs>> = Cell::new(None);
}

/// Run `f` with the calling thread's state (exit handlers too: tls.rs).
#[inline]
pub fn with_state<R>(f: impl FnOnce(&ThreadState) -> R) -> R {
    STATE.with(f)
}

impl ImplicitTask {
    /// The implicit task of an initial thread: no team, the ICVs the
    /// environment gave.
    pub fn initial() -> ImplicitTask {
        let g = globals();
        ImplicitTask {
            placement: bind::initial_placement(g.places.len()),
            team: std::ptr::null(),
            tid: 0,
            icv: g.initial_icv,
            single_count: 0,
            ws: WsCursor::default(),
            task_reductions: std::ptr::null_mut(),
            task: std::ptr::null(),
        }
    }
}

impl ThreadState {
    fn new() -> Self {
        let mut initial = ImplicitTask::initial();
        if let Some(icv) = RETIRED_ICV.with(Cell::get) {
            initial.icv = icv;
        }
        ThreadState {
            cur: UnsafeCell::new(initial),
            masters: UnsafeCell::new(Vec::new()),
            depth: Cell::new(0),
            prefers_capability_zero: Cell::new(false),
            group_busy: Box::new(AtomicU32::new(0)),
            last_root_team: Cell::new(0),
        }
    }

    /// A copy of the current implicit task.
    #[inline]
    pub fn cur(&self) -> ImplicitTask {
        // SAFETY: `cur` belongs to this thread; no reference into it escapes
        // (every accessor copies in or out).
        unsafe { *self.cur.get() }
    }

    /// Update the current implicit task in place.
    #[inline]
    pub fn update(&self, f: impl FnOnce(&mut ImplicitTask)) {
        // SAFETY: as in `cur`; `f` gets the only reference for its duration
        // and cannot reach this ThreadState's `cur` any other way.
        f(unsafe { &mut *self.cur.get() })
    }

    fn replace(&self, next: ImplicitTask) -> ImplicitTask {
        // SAFETY: as in `cur`.
        unsafe { std::mem::replace(&mut *self.cur.get(), next) }
    }

    #[inline]
    pub fn team(&self) -> Option<&Team> {
        // SAFETY: a non-null team outlives the implicit tasks that point to it.
        unsafe { self.cur().team.as_ref() }
    }

    /// The current task's placement; under binding, a thread with no place
    /// yet (one the runtime did not start) is pinned to place 0 first.
    pub fn placement(&self) -> Placement {
        let places = &globals().places;
        if !places.is_empty() && self.cur().placement.place == 0 {
            bind::pin(places, 1);
            self.update(|t| t.placement = Placement::first(places.len()));
        }
        self.cur().placement
    }

    /// (level, active level) of the current implicit task.
    #[inline]
    pub fn levels(&self) -> (u32, u32) {
        self.team().map_or((0, 0), |t| (t.cfg().level, t.cfg().active_level))
    }

    /// Wait at the current team's barrier (no-op outside a region).
    pub fn team_barrier(&self) {
        let cur = self.cur();
        // SAFETY: a non-null team outlives the implicit tasks that point to it.
        if let Some(team) = unsafe { cur.team.as_ref() } {
            team.barrier_wait(cur.tid);
        }
    }

    /// Number of threads a new region gets (OpenMP 5.1, algorithm 2.1),
    /// before the thread limit (so an upper bound of the real size).
    pub fn team_size(&self, requested: u32) -> u32 {
        let icv = self.cur().icv;
        let (_, active) = self.levels();
        let mut n = if requested > 0 { requested } else { icv.nthreads };
        if n > 1 && active >= icv.max_active_levels {
            n = 1;
        }
        if n > 1 && icv.dynamic {
            n = n.min(globals().ncpus);
        }
        n.max(1)
    }

    /// Limit a new team of `wanted` threads by thread-limit-var. Returns the
    /// team size and how much it added to the contention group's count.
    ///
    /// Accounting as GCC's runtime does it (so programs see the same team
    /// sizes): the group counter holds the threads in use; a region opened
    /// outside any team sets it to its size, a nested region gets at most
    /// `limit - busy` threads and adds all but its master. CAS loop, so
    /// concurrent nested regions of one group never overshoot.
    fn limit_team(&self, wanted: u32) -> (u32, u32) {
        let cur = self.cur();
        let limit = cur.icv.thread_limit;
        if limit == u32::MAX {
            return (wanted, 0);
        }
        let Some(team) = self.team() else {
            let n = wanted.min(limit);
            self.group_busy.store(n, Ordering::Relaxed);
            return (n, n);
        };
        // SAFETY: the group counter belongs to the root thread's state, which
        // outlives every region nested in its regions.
        let group = unsafe { &*team.cfg().group_busy };
        let mut busy = group.load(Ordering::Relaxed);
        loop {
            let n = wanted.min(limit.saturating_sub(busy)).max(1);
            match group.compare_exchange_weak(busy, busy + n - 1, Ordering::AcqRel, Ordering::Relaxed) {
                Ok(_) => return (n, n - 1),
                Err(b) => busy = b,
            }
        }
    }

    /// Open a region: after this the calling thread is thread 0 of a new team
    /// whose other members already run `func(data)`.
    pub fn fork(&self, func: Outlined, data: *mut c_void, requested: u32) {
        self.fork_with(func, data, requested, RegionExtras::NONE)
    }

    /// `fork` for combined constructs (see `RegionExtras`).
    pub fn fork_with(&self, func: Outlined, data: *mut c_void, requested: u32, extras: RegionExtras) {
        let g = globals();
        let encountering = self.cur();
        let (level, active) = self.levels();
        let trace_start = trace::start();
        if encountering.team.is_null() && !self.prefers_capability_zero.get() {
            // Team thread i enters Haskell on Capability i: workers prefer
            // their thread number, so the master of a root team prefers 0
            // (else its callbacks could share a Capability with worker i).
            rts_shim::prefer_capability(0);
            self.prefers_capability_zero.set(true);
        }
        let (n, reserved) = self.limit_team(self.team_size(requested));
        let extra = n - 1;
        let (bind_policy, child_bind) = bind::resolve(encountering.icv.bind, (extras.proc_bind & 7) as i32, &g.bind_list, level + 1);
        let master_placement = if g.places.is_empty() { Placement::default() } else { self.placement() };
        // Exclusive claims only in regions with no enclosing active region:
        // the threads of an enclosing region hold the Capabilities a nested
        // team's workers would wait for while those threads wait for them.
        let exclusive = n > 1 && active == 0 && EXCLUSIVE.load(Ordering::Relaxed);
        let group_busy = match self.team() {
            Some(t) => t.cfg().group_busy,
            None => &*self.group_busy as *const AtomicU32,
        };

        let depth = self.depth.get();
        // SAFETY: `masters` belongs to this thread and no reference into it
        // is alive: nested forks happen only after this borrow ends.
        let masters = unsafe { &mut *self.masters.get() };
        if masters.len() == depth {
            masters.push(MasterSlot {
                team: Team::new(),
                crew: Vec::new(),
                busy: 0,
                saved: None,
                reserved: 0,
                trace_start: None,
            });
        }
        let slot = &mut masters[depth];
        for w in &slot.crew[..slot.busy] {
            w.wait_idle();
        }
        while slot.crew.len() < extra as usize {
            let tid = slot.crew.len() as u32 + 1;
            slot.crew.push(pool::acquire(tid));
        }
        let team: &Team = &slot.team;
        let config = TeamConfig {
            nthreads: n,
            level: level + 1,
            active_level: active + u32::from(n > 1),
            parent: encountering.team,
            parent_tid: encountering.tid,
            func: Some(func),
            data,
            child_icv: Icvs { bind: child_bind, ..encountering.icv.for_child_region(&g.env.num_threads) },
            exclusive,
            master_capability: if exclusive { rts_shim::last_capability() } else { None },
            group_busy,
            reductions: extras.reductions,
            combined: extras.combined,
        };
        // Rewrite only what changed: a line the workers hold in their caches
        // stays shared when the same region runs again.
        if !team.cfg().same_as(&config) {
            // SAFETY: every worker of the previous region acked (waited
            // above), so nobody reads the configuration while it is rewritten.
            unsafe { *team.config.get() = config };
        }
        // SAFETY: as for the configuration just above. A team of one keeps
        // the last placements (no worker reads them; they are what libgomp's
        // pool would still hold).
        let placements = unsafe { &mut *team.placements.get() };
        let (master_now, moved) = if n > 1 && !g.places.is_empty() {
            bind::place_team(bind_policy, master_placement, n, placements, g.env.display_affinity && level == 0)
        } else {
            (master_placement, false)
        };
        team.barrier.reset(n);
        if team.single_count.load(Ordering::Relaxed) != 0 {
            team.single_count.store(0, Ordering::Relaxed);
        }
        team.tasks.reset(n);
        team.workshares.reset();
        if team.cancelled.load(Ordering::Relaxed) {
            team.cancelled.store(false, Ordering::Relaxed);
            team.cancel_barrier.clear();
        }
        team.cancel_barrier.reset(n);
        for (i, w) in slot.crew[..extra as usize].iter().enumerate() {
            w.assign(team, i as u32 + 1);
        }
        slot.busy = extra as usize;
        slot.reserved = reserved;
        slot.trace_start = trace_start;
        let team_ptr: *const Team = team;
        slot.saved = Some(self.replace(ImplicitTask {
            team: team_ptr,
            tid: 0,
            icv: config.child_icv,
            single_count: 0,
            task: std::ptr::null(),
            ws: WsCursor::default(),
            task_reductions: extras.reductions,
            placement: master_now,
        }));
        self.depth.set(depth + 1);
        if g.env.display_affinity && n > 1 && (level > 0 || self.last_root_team.get() != n || moved) {
            let pthreads = slot.crew[..extra as usize].iter().map(|w| w.pthread());
            super::affinity_format::display_team(team, encountering.tid, pthreads);
        }
        if level == 0 && n > 1 {
            self.last_root_team.set(n);
        }
    }

    /// Close the region this thread opened as master: the end-of-region
    /// barrier (completing every task of the team), then back to the
    /// encountering task.
    pub fn join(&self) {
        let Some(team) = self.team() else {
            eprintln!("hsomp: GOMP_parallel_end called outside a parallel region; ignored");
            return;
        };
        team.barrier_wait(0);
        team.tasks.drain_external();
        let team_group_busy = team.cfg().group_busy;
        let depth = self.depth.get() - 1;
        self.depth.set(depth);
        // SAFETY: as in fork; no other reference into `masters` is alive.
        let slot = unsafe { &mut (&mut *self.masters.get())[depth] };
        if slot.reserved > 0 {
            // SAFETY: the counter outlives the region (see limit_team).
            let group = unsafe { &*team_group_busy };
            group.fetch_sub(slot.reserved, Ordering::AcqRel);
            slot.reserved = 0;
        }
        let saved = slot.saved.take().expect("join pairs with fork");
        self.replace(saved);
        trace::end(slot.trace_start.take(), "parallel region", "parallel", 0);
    }
}

impl ThreadState {
    /// Run `f` as the initial task of a new contention group (a `target`
    /// region executed on the host): outside any team, with the ICVs the
    /// environment gave, then return to the current task.
    pub fn as_initial_task<R>(&self, setup: impl FnOnce(&mut ImplicitTask), f: impl FnOnce() -> R) -> R {
        let mut fresh = ImplicitTask::initial();
        setup(&mut fresh);
        let saved = self.replace(fresh);
        let r = f();
        self.replace(saved);
        r
    }

    /// End the worker threads of this thread's crews (omp_pause_resource):
    /// the next region gets new threads. False, and nothing done, inside a
    /// parallel region (active or not).
    pub fn retire_crews(&self) -> bool {
        if self.depth.get() != 0 || !self.cur().team.is_null() {
            return false;
        }
        // SAFETY: as in fork; depth 0 means no slot is in use.
        let masters = unsafe { &mut *self.masters.get() };
        for slot in masters.iter_mut() {
            pool::retire(slot.crew.drain(..));
            slot.busy = 0;
        }
        true
    }
}

/// A retired worker (pool.rs) ends the crews it owns as a nested master.
pub fn retire_own_crews() {
    with_state(|ts| ts.retire_crews());
}

/// In the child of fork() (pool.rs): the calling thread's crews are
/// workers of the parent that do not exist here. Forget them without
/// touching them; its next region acquires new workers. A thread that forked
/// inside a region stays in that region, whose other threads are gone.
pub fn forget_workers_after_fork() {
    // Lasting: fork() may come from a TLS destructor, after STATE's own.
    STATE.with(|ts| {
        // SAFETY: runs inside fork(), called by user code; fork_with and
        // join hold their references into `masters` only while no user code
        // runs, so no other reference is alive.
        let masters = unsafe { &mut *ts.masters.get() };
        for slot in masters.iter_mut() {
            std::mem::forget(std::mem::take(&mut slot.crew));
            slot.busy = 0;
        }
    });
}

impl Drop for ThreadState {
    fn drop(&mut self) {
        // An exiting master hands its workers back once they are idle; only
        // then may its teams be freed. A thread leaving from inside a region
        // (exit() in a parallel region runs this destructor) has workers that
        // may wait for it forever: leave its teams and workers alone.
        let masters = std::mem::take(self.masters.get_mut());
        // The outermost master slot saved the initial task (none saved at
        // depth 0: then the current task is the initial one).
        let initial = masters.first().and_then(|s| s.saved).unwrap_or_else(|| self.cur());
        RETIRED_ICV.with(|r| r.set(Some(initial.icv)));
        if self.depth.get() > 0 {
            std::mem::forget(masters);
            return;
        }
        for slot in masters {
            pool::release(slot.crew);
        }
        // The RTS Task created for this thread (when it first opened a
        // region) would otherwise outlive it.
        rts_shim::thread_exit();
    }
}

/// Pool worker side of a region: run the outlined body as thread `tid`.
pub fn run_worker_job(team: &Team, tid: u32) {
    with_state(|ts| {
        let cfg = *team.cfg();
        let trace_start = trace::start();
        let placement = team.placement(tid);
        bind::pin(&globals().places, placement.place);
        let previous = ts.replace(ImplicitTask {
            team,
            tid,
            icv: cfg.child_icv,
            single_count: 0,
            ws: WsCursor::default(),
            task_reductions: cfg.reductions,
            task: std::ptr::null(),
            placement,
        });
        // Exclusive mode: hold this thread's own Capability so no Haskell
        // mutator or GC runs on its core during the region. Threads beyond the
        // number of Capabilities would share one and deadlock at the barrier,
        // so only the first `enabled` threads claim. A master inside an
        // unsafe foreign call holds its Capability until the region ends, so
        // the worker with that number does not claim it (nor when the master
        // only held it last: the RTS does not tell the two apart).
        let claim = cfg.exclusive && tid < rts_shim::enabled_capabilities() && cfg.master_capability != Some(tid);
        let held = claim.then(rts_shim::claim_capability);
        let func = cfg.func.expect("a region has a body");
        // SAFETY: func/data are the outlined body and its argument block GCC
        // passed to GOMP_parallel; the master keeps them alive until the join.
        unsafe { func(cfg.data) };
        team.barrier.arrive_at_end(tid, &team.tasks, &team.sleep, spin_policy());
        drop(held);
        ts.replace(previous);
        trace::end(trace_start, "parallel region", "parallel", u64::from(tid));
    })
}

/// The calling thread's number in the team at nesting `level`, or -1.
pub fn ancestor_thread_num(ts: &ThreadState, level: i32) -> i32 {
    walk_to_level(ts, level).map_or(-1, |(tid, _)| tid as i32)
}

/// The size of the team at nesting `level`, or -1.
pub fn team_size_at(ts: &ThreadState, level: i32) -> i32 {
    walk_to_level(ts, level).map_or(-1, |(_, n)| n as i32)
}

/// (thread number, team size) of the calling thread's ancestor at `level`.
fn walk_to_level(ts: &ThreadState, level: i32) -> Option<(u32, u32)> {
    let cur = ts.cur();
    let (my_level, _) = ts.levels();
    if level < 0 || level as u32 > my_level {
        return None;
    }
    let mut team = cur.team;
    let mut tid = cur.tid;
    let mut at = my_level;
    while at > level as u32 {
        // SAFETY: enclosing teams outlive the regions nested in them.
        let cfg = unsafe { (*team).cfg() };
        tid = cfg.parent_tid;
        team = cfg.parent;
        at -= 1;
    }
    // SAFETY: as above; null means the initial task (level 0).
    let size = unsafe { team.as_ref() }.map_or(1, |t| t.cfg().nthreads);
    Some((tid, size))
}
