//! Explicit tasks on work-stealing deques.
//!
//! # Structures
//! - `Task` (descriptor.rs): one descriptor per explicit task (recycled,
//!   see freelist.rs), plus one node per implicit task (in the team's
//!   per-thread `Slot`) and one per thread for the initial task outside any
//!   region (`INITIAL`).
//! - `TeamTasks` (queues.rs, one per team): per thread a crossbeam `Worker`
//!   deque (LIFO for its owner) with its `Stealer`, an `Injector` for tasks
//!   made ready by other threads (dependences released, tasks moved off a
//!   deque), and a mutex-protected heap for tasks with a priority above 0
//!   (only programs that use priorities ever touch it: the hot path reads
//!   one atomic).
//! - `TaskGroup` (descriptor.rs): recycled per thread; counts its
//!   incomplete member tasks.
//!
//! # Where each protocol lives
//! | file | what | protocol in its module comment |
//! |---|---|---|
//! | descriptor.rs | `Task`, `TaskGroup`, reference counts | counting and lifetime |
//! | queues.rs | per-team deques, injector, priority heap, stealing | scheduling, what a wait may run |
//! | spawn.rs | `spawn`, argument copy | deferred or undeferred, throttling |
//! | prepared.rs | descriptors taken before the task (LLVM) | the area the compiler fills, inline if(0) bodies |
//! | undeferred.rs | plain undeferred tasks run by their creator | what such a task needs (not counted) |
//! | run.rs | `execute` (`enter`, body, `leave`), `complete`, `make_ready` | the order of completion steps |
//! | wait.rs | `Ctx`, taskwait, taskyield, taskgroup | waiting without a lost wake-up |
//! | detach_cancel.rs | `omp_fulfill_event`, `cancel taskgroup` flags | detach states, cancellation |
//! | counts.rs | per-thread spawned/completed counters | quiescence |
//! | deps.rs | `depend` clauses | dependence edges |
//! | freelist.rs | descriptor and taskgroup free lists | owner-return lists |
//! | taskloop.rs | the taskloop construct | chunking |
//!
//! # Quiescence
//! Counted per thread without a team-wide atomic per task (counts.rs); a
//! task spawned and run by one thread touches only that thread's deque,
//! counters and its parent (which that thread is running). A completion by
//! a thread outside the team keeps the team alive through
//! `ExternalCompletions` until its last access.
//!
//! Tasks never migrate once started: untied tasks are run as tied ones.
//!
//! Only threads of a team touch its queues, and only while they are in its
//! region: a thread finishing the end barrier acks before the master
//! reuses the team (team.rs), and the team is quiescent by then.

pub mod counts;
pub mod deps;
mod descriptor;
mod detach_cancel;
pub mod freelist;
mod prepared;
mod queues;
mod run;
mod spawn;
pub mod taskloop;
mod undeferred;
mod wait;

use std::ffi::c_void;

pub use descriptor::{Task, TaskGroup};
pub use detach_cancel::fulfill;
pub use queues::TeamTasks;
pub use prepared::{begin_inline, end_inline, spawn_prepared, Inline, Prepared};
pub use spawn::{spawn, Spawn, TaskBody};
pub use wait::{
    current_task_id, current_taskgroup, in_final, taskgroup_end, taskgroup_start, taskwait, taskwait_depend, taskyield,
    workshare_taskgroup_start,
};

pub type CopyFn = unsafe extern "C" fn(*mut c_void, *mut c_void);

/// GOMP_task / GOMP_taskloop flag bits (GCC's gomp-constants.h).
pub mod flag {
    pub const UNTIED: u32 = 1 << 0;
    pub const FINAL: u32 = 1 << 1;
    pub const MERGEABLE: u32 = 1 << 2;
    pub const DEPEND: u32 = 1 << 3;
    pub const PRIORITY: u32 = 1 << 4;
    pub const UP: u32 = 1 << 8;
    pub const GRAINSIZE: u32 = 1 << 9;
    pub const IF: u32 = 1 << 10;
    pub const NOGROUP: u32 = 1 << 11;
    pub const REDUCTION: u32 = 1 << 12;
    pub const DETACH: u32 = 1 << 13;
    pub const STRICT: u32 = 1 << 14;
}
