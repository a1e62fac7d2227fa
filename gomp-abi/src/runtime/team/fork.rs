//! Fork and join (the region protocol of mod.rs), the worker's side of a
//! region, and the crews of workers each master slot keeps.

use std::ffi::c_void;
use std::sync::atomic::{AtomicU32, Ordering};

use super::state::{MasterSlot, RETIRED_ICV, STATE};
use super::{with_state, ImplicitTask, Outlined, RegionExtras, Team, TeamConfig, ThreadState, EXCLUSIVE};
use crate::runtime::bind::{self, Placement};
use crate::runtime::icv::Icvs;
use crate::runtime::pool;
use crate::runtime::workshare::WsCursor;
use crate::runtime::{globals, spin_policy, trace};

impl ThreadState {
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
            crate::runtime::affinity_format::display_team(team, encountering.tid, pthreads);
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
        // From now on `with_state` finds the state through `STATE` (the
        // thread's spare one, tls.rs), never this one.
        super::state::cached_state::set(std::ptr::null());
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

