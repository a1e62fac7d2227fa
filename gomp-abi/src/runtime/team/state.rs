//! Per-thread state: the implicit task a thread runs now and the master
//! slots of the regions it opened (fork.rs uses them), and the queries
//! that walk up the nesting levels.

use std::cell::{Cell, UnsafeCell};
use std::sync::atomic::{AtomicBool, AtomicU32};
use std::sync::Arc;

use super::Team;
use crate::runtime::bind::{self, Placement};
use crate::runtime::icv::Icvs;
use crate::runtime::pool::Worker;
use crate::runtime::task::{freelist, Task};
use crate::runtime::workshare::WsCursor;
use crate::runtime::{globals, tls};

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
    /// task's node in the team, or to the thread's initial-task node), or a
    /// tagged pointer to the frame of an undeferred task that has no node
    /// yet (task/undeferred.rs). Only runtime/task reads it.
    pub task: *const Task,
    /// Position in the team's worksharing constructs (workshare.rs).
    pub ws: WsCursor,
    /// Chain of task-reduction registrations visible to this task (reduction.rs).
    pub task_reductions: *mut usize,
    /// Place and place partition (bind.rs).
    pub placement: Placement,
}

pub(super) struct MasterSlot {
    pub(super) team: Box<Team>,
    pub(super) crew: Vec<Arc<Worker>>,
    /// Crew members that took part in the last region.
    pub(super) busy: usize,
    /// The master's implicit task before the region.
    pub(super) saved: Option<ImplicitTask>,
    /// What this region added to its contention group's thread count.
    pub(super) reserved: u32,
    /// HSOMP_TRACE start time of the region.
    pub(super) trace_start: Option<u64>,
}

pub struct ThreadState {
    pub(super) cur: UnsafeCell<ImplicitTask>,
    pub(super) masters: UnsafeCell<Vec<MasterSlot>>,
    pub(super) depth: Cell<usize>,
    /// Whether this thread already prefers Capability 0 for its in-calls
    /// (set the first time it opens a region as an initial thread).
    pub(super) prefers_capability_zero: Cell<bool>,
    /// Threads in use in the contention group this thread roots (counted
    /// only under a thread limit); nested regions reach it via TeamConfig.
    pub(super) group_busy: Box<AtomicU32>,
    /// Size of the last team of more than one thread this thread opened
    /// outside any region (OMP_DISPLAY_AFFINITY shows a root team when it
    /// differs, as GCC's runtime does).
    pub(super) last_root_team: Cell<u32>,
    /// Descriptors for the plain undeferred tasks this thread runs
    /// (task/undeferred.rs).
    pub undeferred_nodes: freelist::Stack<Task>,
}

/// Opt-in exclusive mode (HSOMP_EXCLUSIVE / hsomp_set_exclusive).
pub static EXCLUSIVE: AtomicBool = AtomicBool::new(false);

tls::lasting! {
    pub(super) static STATE: ThreadState = ThreadState::new();
    /// ICVs of the thread's initial task when its state was destroyed
    /// (thread exit): an exit handler that uses the runtime afterwards gets
    /// a fresh state (tls.rs) with the ICVs the program had set.
    pub(super) static RETIRED_ICV: Cell<Option<Icvs>> = Cell::new(None);
}

/// Run `f` with the calling thread's state (exit handlers too: tls.rs).
/// The state's address is cached in a thread-local word reached through a
/// TLS descriptor (`cached_state`) from the first call until the state is
/// destroyed.
#[inline]
pub fn with_state<R>(f: impl FnOnce(&ThreadState) -> R) -> R {
    let p = cached_state::get();
    if !p.is_null() {
        // SAFETY: the cache holds this thread's live state: set below from
        // `STATE`, cleared by the state's destructor before it is freed.
        return f(unsafe { &*p });
    }
    STATE.with(|ts| {
        cached_state::set(ts);
        f(ts)
    })
}

/// The word of csrc/state_tls.c. Only the owning thread reads or writes
/// its own slot.
pub(super) mod cached_state {
    use super::ThreadState;

    extern "C" {
        static mut hsomp_state_tls: *const u8;
    }

    /// The thread pointer's offset of the calling thread's slot, through
    /// the word's TLS descriptor (the GNU2 TLS dialect): rax in, rax out.
    /// The ABI has the descriptor's function preserve every other register,
    /// but glibc's slow path (dynamic TLS, the first access after a dlopen)
    /// clobbered vector registers before 2.40 (BZ #31372): everything a C
    /// call may clobber is declared clobbered.
    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    pub fn get() -> *const ThreadState {
        let p: *const ThreadState;
        // SAFETY: the TLS descriptor call sequence of the x86-64 ABI (it
        // clobbers at most what a C call does, and needs an aligned stack,
        // which an asm block without `nostack` has), then a load of the
        // calling thread's slot; no memory Rust can see is written.
        unsafe {
            std::arch::asm!(
                "lea rax, [rip + {tls}@TLSDESC]",
                "call qword ptr [rax + {tls}@TLSCALL]",
                "mov rax, qword ptr fs:[rax]",
                tls = sym hsomp_state_tls,
                out("rax") p,
                clobber_abi("C"),
                options(readonly),
            );
        }
        p
    }

    #[cfg(target_arch = "x86_64")]
    pub fn set(ts: *const ThreadState) {
        // SAFETY: as in `get`, then a store to the calling thread's own slot.
        unsafe {
            std::arch::asm!(
                "lea rax, [rip + {tls}@TLSDESC]",
                "call qword ptr [rax + {tls}@TLSCALL]",
                "mov qword ptr fs:[rax], {p}",
                tls = sym hsomp_state_tls,
                p = in(reg) ts,
                out("rax") _,
                clobber_abi("C"),
            );
        }
    }

    /// Elsewhere the word is not used: every call goes through `STATE`.
    #[cfg(not(target_arch = "x86_64"))]
    pub fn get() -> *const ThreadState {
        std::ptr::null()
    }

    #[cfg(not(target_arch = "x86_64"))]
    pub fn set(_: *const ThreadState) {}
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
    pub(super) fn new() -> Self {
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
            undeferred_nodes: freelist::Stack::new(),
        }
    }

    /// A copy of the current implicit task.
    #[inline]
    pub fn cur(&self) -> ImplicitTask {
        // SAFETY: `cur` belongs to this thread; no reference into it escapes
        // (every accessor copies in or out).
        unsafe { *self.cur.get() }
    }

    /// Read fields of the current implicit task without copying all of it
    /// (hot paths read two or three of its words).
    #[inline]
    pub fn with_cur<R>(&self, f: impl FnOnce(&ImplicitTask) -> R) -> R {
        // SAFETY: as in `update`.
        f(unsafe { &*self.cur.get() })
    }

    /// Update the current implicit task in place.
    #[inline]
    pub fn update<R>(&self, f: impl FnOnce(&mut ImplicitTask) -> R) -> R {
        // SAFETY: as in `cur`; `f` gets the only reference for its duration
        // and cannot reach this ThreadState's `cur` any other way.
        f(unsafe { &mut *self.cur.get() })
    }

    pub(super) fn replace(&self, next: ImplicitTask) -> ImplicitTask {
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


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_initial_thread_is_level_zero_of_a_team_of_one() {
        let ts = ThreadState::new();
        assert_eq!(ts.levels(), (0, 0));
        assert!(ts.team().is_none());
        assert_eq!(ancestor_thread_num(&ts, 0), 0);
        assert_eq!(team_size_at(&ts, 0), 1);
        assert_eq!(ancestor_thread_num(&ts, 1), -1);
        assert_eq!(team_size_at(&ts, -1), -1);
    }

    #[test]
    fn as_initial_task_restores_the_current_task() {
        let ts = ThreadState::new();
        ts.update(|t| t.single_count = 7);
        let inner = ts.as_initial_task(|t| t.tid = 3, || ts.cur().tid);
        assert_eq!(inner, 3);
        assert_eq!(ts.cur().single_count, 7);
        assert_eq!(ts.cur().tid, 0);
    }
}
