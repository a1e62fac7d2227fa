//! The machinery behind the `extern "C"` entry points in `abi/`.
//!
//! - `globals` (this file): settings read once, the GHC RTS booted on first use;
//! - `icv`, `env`: internal control variables and their environment
//!   (`env/display.rs`: OMP_DISPLAY_ENV);
//! - `places`, `bind`: the place list and thread binding;
//! - `affinity_format`: OMP_AFFINITY_FORMAT and OMP_DISPLAY_AFFINITY;
//! - `sleep`: the one way to wait (spin, yield, park on an event count),
//!   its protocol proved in sleep/README.md; `sync`: its atomics (loom's
//!   under `--cfg loom`);
//! - `pool`: persistent worker threads bound to Capabilities;
//! - `team`: per-thread state, teams, fork and join;
//! - `teams`: the teams construct on the host (leagues) and its ICVs;
//! - `barrier`: the team barrier (which also runs pending tasks);
//! - `lock`, `nest_lock`: futex mutexes behind critical, atomic and the omp
//!   locks, and the nestable locks (OpenMP 3.0 task-owned, 2.5 thread-owned);
//! - `task`: explicit tasks;
//! - `tls`: per-thread values that exit handlers can still use;
//! - `trace`: HSOMP_TRACE Chrome trace events;
//! - `workshare`: iteration dispatch and the ring of work shares;
//! - `ordered`, `doacross`: ordered regions and cross-iteration dependences;
//! - `cancel`: cancellation flags and checks;
//! - `reduction`: GCC's task-reduction registration arrays;
//! - `target`: host fallback of target regions (firstprivate copies).

pub mod affinity_format;
pub mod alloc;
pub mod barrier;
pub mod bind;
pub mod cancel;
pub mod doacross;
pub mod env;
pub mod icv;
pub mod kmpc;
pub mod lock;
pub mod nest_lock;
pub mod ordered;
pub mod places;
pub mod pool;
pub mod reduction;
pub mod sleep;
pub mod sync;
pub mod target;
pub mod task;
pub mod team;
pub mod teams;
pub mod tls;
pub mod trace;
pub mod workshare;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;

use env::{EnvSettings, WaitPolicy};
use icv::{sched, Icvs, League, Schedule, NO_LIST};
use sleep::load::Pressure;
use sleep::SpinPolicy;

/// omp_get_supported_active_levels (GCC's runtime reports the same).
pub const SUPPORTED_ACTIVE_LEVELS: u32 = 255;

/// Spin iterations before yielding/parking when OMP_WAIT_POLICY is unset
/// (the same default as GCC's runtime).
const DEFAULT_SPINS: u64 = 300_000;

/// Process-wide state fixed at start-up.
pub struct Globals {
    pub env: EnvSettings,
    /// CPUs this process may run on.
    pub ncpus: u32,
    /// ICVs of the initial task.
    pub initial_icv: Icvs,
    /// Spin budget while the runtime's threads fit on the CPUs.
    pub spin: SpinPolicy,
    /// Stack size of worker threads.
    pub worker_stack: usize,
    /// The place list; empty when threads are not bound (bind.rs).
    pub places: Vec<places::Place>,
    /// OMP_PROC_BIND's list in effect (`true` when only OMP_PLACES is set).
    pub bind_list: Vec<i32>,
}

static GLOBALS: OnceLock<Globals> = OnceLock::new();

/// Worker threads alive (they persist until omp_pause_resource retires them).
/// With the initial thread they are the runtime's threads; more of them than
/// CPUs means waiters must not spin.
pub static WORKERS_CREATED: AtomicU32 = AtomicU32::new(0);

/// The process-wide settings, initialising the runtime (and booting the GHC
/// RTS in a C host) on first use.
#[inline]
pub fn globals() -> &'static Globals {
    match GLOBALS.get() {
        Some(g) => g,
        None => GLOBALS.get_or_init(init),
    }
}

fn available_cpus() -> u32 {
    std::thread::available_parallelism().map(|n| n.get() as u32).unwrap_or(1)
}

fn fatal(msg: &str) -> ! {
    eprintln!("hsomp: fatal: {msg}");
    std::process::abort();
}

fn init() -> Globals {
    install_panic_hook();
    let env = EnvSettings::from_env();
    if !rts_shim::is_threaded() {
        fatal(
            "this program is linked with GHC's non-threaded RTS; hsomp runs OpenMP \
             threads on Capabilities and needs the threaded RTS (link with -threaded)",
        );
    }
    let ncpus = available_cpus();
    if !rts_shim::is_running() {
        // One Capability per CPU at most: a Capability costs memory and RTS
        // threads even when idle, and teams larger than the Capability count
        // already map onto Capabilities modulo N.
        let caps = env.num_threads.first().copied().unwrap_or(ncpus).min(ncpus);
        rts_shim::boot(caps, env.rts_flags.as_deref());
    }
    let caps = rts_shim::enabled_capabilities().max(1);
    let (places, bind_list) = bind::setup(&env);
    // The initial thread starts on place 0, as in GCC's runtime.
    bind::pin(&places, 1);
    let (nthreads, pos) = match env.num_threads.first() {
        Some(&n) => (n, 0),
        None => (caps, NO_LIST),
    };
    let initial_icv = Icvs {
        nthreads,
        nthreads_list_pos: pos,
        dynamic: env.dynamic,
        max_active_levels: env.initial_max_active_levels(),
        run_sched: env.schedule.unwrap_or(Schedule { kind: sched::DYNAMIC, chunk: 1 }),
        thread_limit: env.thread_limit.unwrap_or(u32::MAX),
        bind: bind_list.first().copied().unwrap_or(bind::kind::FALSE),
        default_device: env.default_device,
        league: League::INITIAL,
        def_allocator: env.allocator.unwrap_or(alloc::DEFAULT_MEM_ALLOC),
    };
    let spins = match (env.spin_count, env.wait_policy) {
        (Some(n), WaitPolicy::Active | WaitPolicy::Unset) => n,
        (_, WaitPolicy::Passive) => 0,
        (None, WaitPolicy::Active) => u64::MAX,
        (None, WaitPolicy::Unset) => DEFAULT_SPINS,
    };
    let yields = if env.wait_policy == WaitPolicy::Passive { 0 } else { 64 };
    let g = Globals {
        worker_stack: env.stacksize.unwrap_or(8 << 20),
        spin: SpinPolicy { spins, yields },
        ncpus,
        initial_icv,
        env,
        places,
        bind_list,
    };
    team::EXCLUSIVE.store(g.env.exclusive, Ordering::Relaxed);
    rts_shim::set_yield_interval(g.env.yield_interval_us);
    pool::install_fork_handler();
    if let Some(path) = g.env.trace_path.clone() {
        trace::enable(path);
    }
    if g.env.display != env::Display::No {
        env::display::display_env(&g, g.env.display == env::Display::Verbose);
    }
    g
}

/// The spin budget for a wait starting now: throttled while this process
/// has more threads than CPUs, cut further while the whole machine has more
/// runnable threads than CPUs and than this process has (`sleep::load`:
/// other ranks of an MPI job, other programs).
#[inline]
pub fn spin_policy() -> SpinPolicy {
    let g = globals();
    let mut pressure = sleep::load::pressure();
    if WORKERS_CREATED.load(Ordering::Relaxed) + 1 > g.ncpus {
        pressure = pressure.max(Pressure::Own);
    }
    g.spin.under(pressure)
}

/// A panic inside the runtime must never unwind into C or Haskell: the
/// release profile aborts on panic; this hook makes the message say whose.
fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        eprintln!("hsomp: internal error (aborting the process rather than unwinding into C):");
        previous(info);
    }));
}

/// Cache-line aligned wrapper, keeping hot atomics of different writers apart.
#[derive(Default)]
#[repr(align(64))]
pub struct CachePadded<T>(pub T);

impl<T> std::ops::Deref for CachePadded<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}
