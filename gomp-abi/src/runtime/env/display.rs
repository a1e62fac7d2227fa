//! OMP_DISPLAY_ENV and omp_display_env: the settings the runtime started
//! with, printed in GCC's runtime's format.

use super::{TargetOffload, WaitPolicy};
use crate::runtime::icv::sched;
use crate::runtime::{affinity_format, alloc, places, Globals};

/// OMP_DISPLAY_ENV / omp_display_env: the ICVs in GCC's runtime's format,
/// plus a line naming hsomp and the GHC RTS it runs on.
pub fn display_env(g: &Globals, verbose: bool) {
    let icv = &g.initial_icv;
    let yn = |b: bool| if b { "TRUE" } else { "FALSE" };
    let nthreads = if g.env.num_threads.is_empty() {
        icv.nthreads.to_string()
    } else {
        g.env.num_threads.iter().map(|n| n.to_string()).collect::<Vec<_>>().join(",")
    };
    let kind = icv.run_sched.kind & !sched::MONOTONIC;
    let kind_name = match kind {
        sched::STATIC => "STATIC",
        sched::DYNAMIC => "DYNAMIC",
        sched::GUIDED => "GUIDED",
        _ => "AUTO",
    };
    let modifier = if icv.run_sched.kind & sched::MONOTONIC != 0 && kind != sched::STATIC { "MONOTONIC:" } else { "" };
    // The chunk is shown unless it is the kind's default (0 for static, 1 else).
    let default_chunk = if kind == sched::STATIC { 0 } else { 1 };
    let schedule = if kind != sched::AUTO && icv.run_sched.chunk != default_chunk {
        format!("{modifier}{kind_name},{}", icv.run_sched.chunk)
    } else {
        format!("{modifier}{kind_name}")
    };
    // GCC 12's runtime still prints `primary` as MASTER.
    let bind_name = |b: &i32| ["FALSE", "TRUE", "MASTER", "CLOSE", "SPREAD"].get(*b as usize).copied().unwrap_or("FALSE");
    let bind = if g.bind_list.is_empty() {
        bind_name(&icv.bind).to_owned()
    } else {
        g.bind_list.iter().map(bind_name).collect::<Vec<_>>().join(",")
    };
    let places = g.places.iter().map(|p| format!("{{{}}}", places::format_place(p))).collect::<Vec<_>>().join(",");
    let wait = if g.env.wait_policy == WaitPolicy::Active || g.spin.spins == u64::MAX { "ACTIVE" } else { "PASSIVE" };
    let mut out = String::new();
    out.push_str("\nOPENMP DISPLAY ENVIRONMENT BEGIN\n");
    let mut line = |k: &str, v: &str| out.push_str(&format!("  {k} = '{v}'\n"));
    line("_OPENMP", "201511");
    line("OMP_DYNAMIC", yn(icv.dynamic));
    line("OMP_NESTED", yn(icv.max_active_levels > 1));
    line("OMP_NUM_THREADS", &nthreads);
    line("OMP_SCHEDULE", &schedule);
    line("OMP_PROC_BIND", &bind);
    line("OMP_PLACES", &places);
    line("OMP_STACKSIZE", &g.env.stacksize.unwrap_or(0).to_string());
    line("OMP_WAIT_POLICY", wait);
    line("OMP_THREAD_LIMIT", &icv.thread_limit.to_string());
    line("OMP_MAX_ACTIVE_LEVELS", &icv.max_active_levels.to_string());
    line("OMP_NUM_TEAMS", &g.env.num_teams.to_string());
    line("OMP_TEAMS_THREAD_LIMIT", &g.env.teams_thread_limit.to_string());
    line("OMP_CANCELLATION", yn(g.env.cancellation));
    line("OMP_DEFAULT_DEVICE", &icv.default_device.to_string());
    line("OMP_MAX_TASK_PRIORITY", &g.env.max_task_priority.to_string());
    line("OMP_DISPLAY_AFFINITY", yn(g.env.display_affinity));
    line("OMP_AFFINITY_FORMAT", g.env.affinity_format.as_deref().unwrap_or(affinity_format::DEFAULT_FORMAT));
    line("OMP_ALLOCATOR", alloc::PREDEFINED_NAMES.get(icv.def_allocator.wrapping_sub(1)).copied().unwrap_or("omp_default_mem_alloc"));
    line(
        "OMP_TARGET_OFFLOAD",
        match g.env.target_offload {
            TargetOffload::Default => "DEFAULT",
            TargetOffload::Mandatory => "MANDATORY",
            TargetOffload::Disabled => "DISABLED",
        },
    );
    if verbose {
        line("GOMP_CPU_AFFINITY", "");
        line("GOMP_STACKSIZE", &g.env.stacksize.unwrap_or(0).to_string());
        line("GOMP_SPINCOUNT", &g.spin.spins.to_string());
    }
    let ghc = rts_shim::ghc_version();
    line(
        "HSOMP",
        &format!(
            "hsomp {} on GHC {}.{} RTS (threaded, {} capabilities)",
            env!("CARGO_PKG_VERSION"),
            ghc / 100,
            ghc % 100,
            rts_shim::enabled_capabilities()
        ),
    );
    out.push_str("OPENMP DISPLAY ENVIRONMENT END\n");
    eprint!("{out}");
}
