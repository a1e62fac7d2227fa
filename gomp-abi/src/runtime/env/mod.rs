//! Parsing of the OMP_* / GOMP_* / HSOMP_* environment. A bad value is
//! warned about on stderr and the default kept, never a crash.

pub mod display;

use super::icv::{sched, Schedule};

/// OMP_WAIT_POLICY.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitPolicy {
    Unset,
    Active,
    Passive,
}

/// OMP_DISPLAY_ENV.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Display {
    No,
    Yes,
    Verbose,
}

/// OMP_TARGET_OFFLOAD.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TargetOffload {
    Default,
    Mandatory,
    Disabled,
}

/// Everything read from the environment once, at start-up.
#[derive(Clone, Debug)]
pub struct EnvSettings {
    pub num_threads: Vec<u32>,
    pub dynamic: bool,
    pub nested: Option<bool>,
    pub max_active_levels: Option<u32>,
    pub thread_limit: Option<u32>,
    pub wait_policy: WaitPolicy,
    pub spin_count: Option<u64>,
    pub stacksize: Option<usize>,
    pub schedule: Option<Schedule>,
    pub cancellation: bool,
    pub max_task_priority: i32,
    pub default_device: i32,
    /// OMP_PROC_BIND's list (the first element is bind-var).
    pub proc_bind: Vec<i32>,
    /// OMP_PLACES, parsed (the places themselves depend on the machine).
    pub places: Option<super::places::Spec>,
    /// nteams-var and teams-thread-limit-var (0 = unset).
    pub num_teams: i32,
    pub teams_thread_limit: i32,
    pub target_offload: TargetOffload,
    /// OMP_AFFINITY_FORMAT and OMP_DISPLAY_AFFINITY.
    pub affinity_format: Option<String>,
    pub display_affinity: bool,
    /// OMP_ALLOCATOR: a predefined allocator's handle.
    pub allocator: Option<usize>,
    pub display: Display,
    /// Extra RTS flags for a C host (HSOMP_RTS_FLAGS).
    pub rts_flags: Option<String>,
    /// Workers claim their Capability for each region (HSOMP_EXCLUSIVE).
    pub exclusive: bool,
    /// Chrome trace output file (HSOMP_TRACE).
    pub trace_path: Option<String>,
    /// Least time between two requests that the Haskell thread on a
    /// Capability yield it to a waiting team thread, in microseconds; `None`
    /// turns requests off (HSOMP_YIELD_INTERVAL: microseconds or "off").
    pub yield_interval_us: Option<u64>,
}

pub fn warn_invalid(var: &str, value: &str) {
    eprintln!("hsomp: invalid value for environment variable {var} ('{value}'); using the default");
}

fn parse_bool(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

fn parse_uint(s: &str) -> Option<u64> {
    s.trim().parse::<u64>().ok()
}

/// A positive count that fits a C int.
fn parse_positive_int(s: &str) -> Option<i32> {
    parse_uint(s).filter(|&v| v > 0).map(|v| v.min(i32::MAX as u64) as i32)
}

/// A comma-separated list of positive thread counts.
fn parse_num_threads(s: &str) -> Option<Vec<u32>> {
    let v: Option<Vec<u32>> = s
        .split(',')
        .map(|p| p.trim().parse::<u32>().ok().filter(|&n| n > 0))
        .collect();
    v.filter(|v| !v.is_empty() && v.len() < super::icv::NO_LIST as usize)
}

/// A size with an optional B/K/M/G suffix; without one the unit is KiB.
/// The default bound on yield requests: a callback waits at most about this
/// long for a busy Capability (the RTS's own tick is 20 ms), and the Haskell
/// side pays at most one scheduler pass per Capability this often.
pub const DEFAULT_YIELD_INTERVAL_US: u64 = 200;

fn parse_yield_interval(s: &str) -> Option<Option<u64>> {
    if s.trim().eq_ignore_ascii_case("off") {
        return Some(None);
    }
    parse_uint(s).map(Some)
}

fn parse_stacksize(s: &str) -> Option<usize> {
    let s = s.trim();
    let (digits, unit) = match s.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => (&s[..i], s[i..].trim()),
        None => (s, ""),
    };
    let n: usize = digits.parse().ok()?;
    let mult = match unit.to_ascii_lowercase().as_str() {
        "b" => 1,
        "" | "k" => 1 << 10,
        "m" => 1 << 20,
        "g" => 1 << 30,
        _ => return None,
    };
    n.checked_mul(mult).filter(|&v| v > 0)
}

/// GOMP_SPINCOUNT: a count with optional k/M/G/T suffix, or "infinite".
fn parse_spincount(s: &str) -> Option<u64> {
    let s = s.trim();
    let lower = s.to_ascii_lowercase();
    if lower == "infinite" || lower == "infinity" {
        return Some(u64::MAX);
    }
    let (digits, unit) = match s.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => (&s[..i], s[i..].trim()),
        None => (s, ""),
    };
    let n: u64 = digits.parse().ok()?;
    let mult: u64 = match unit {
        "" => 1,
        "k" | "K" => 1_000,
        "M" => 1_000_000,
        "G" => 1_000_000_000,
        "T" => 1_000_000_000_000,
        _ => return None,
    };
    n.checked_mul(mult)
}

/// OMP_SCHEDULE: `[monotonic|nonmonotonic:]kind[,chunk]`. As in GCC's runtime,
/// static is monotonic unless said otherwise; a missing chunk is 0 for static
/// and 1 for the others.
pub fn parse_schedule(s: &str) -> Option<Schedule> {
    let s = s.trim().to_ascii_lowercase();
    let (modifier, rest) = match s.split_once(':') {
        Some((m, r)) => (Some(m.trim().to_owned()), r.trim().to_owned()),
        None => (None, s.clone()),
    };
    let (kind_s, chunk_s) = match rest.split_once(',') {
        Some((k, c)) => (k.trim().to_owned(), Some(c.trim().to_owned())),
        None => (rest.trim().to_owned(), None),
    };
    let kind = match kind_s.as_str() {
        "static" => sched::STATIC,
        "dynamic" => sched::DYNAMIC,
        "guided" => sched::GUIDED,
        "auto" => sched::AUTO,
        _ => return None,
    };
    let monotonic = match modifier.as_deref() {
        None => kind == sched::STATIC,
        Some("monotonic") => true,
        Some("nonmonotonic") => false,
        Some(_) => return None,
    };
    // GCC's runtime accepts a chunk after every kind (auto included) and
    // turns 0 into the kind's default.
    let default_chunk = i32::from(kind != sched::STATIC);
    let chunk = match chunk_s {
        Some(c) => {
            let v: i32 = c.parse().ok()?;
            if v < 0 {
                return None;
            }
            if v == 0 {
                default_chunk
            } else {
                v
            }
        }
        None => default_chunk,
    };
    Some(Schedule { kind: if monotonic { kind | sched::MONOTONIC } else { kind }, chunk })
}

/// OMP_PROC_BIND: a list of `omp_proc_bind_t` values, one per nesting
/// level. As in GCC's runtime, `true` and `false` only stand alone.
fn parse_proc_bind(s: &str) -> Option<Vec<i32>> {
    let v: Vec<i32> = s
        .split(',')
        .map(|p| match p.trim().to_ascii_lowercase().as_str() {
            "false" => Some(0),
            "true" => Some(1),
            "primary" | "master" => Some(2),
            "close" => Some(3),
            "spread" => Some(4),
            _ => None,
        })
        .collect::<Option<_>>()?;
    (v.len() == 1 || v.iter().all(|&b| b >= 2)).then_some(v)
}

impl EnvSettings {
    /// Read the process environment.
    pub fn from_env() -> Self {
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    /// Parse settings from any key lookup (the tests use a map).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Self {
        fn read<T>(get: &impl Fn(&str) -> Option<String>, var: &str, parse: impl Fn(&str) -> Option<T>) -> Option<T> {
            let raw = get(var)?;
            let parsed = parse(&raw);
            if parsed.is_none() {
                warn_invalid(var, &raw);
            }
            parsed
        }
        let wait_policy = read(&get, "OMP_WAIT_POLICY", |s| match s.trim().to_ascii_lowercase().as_str() {
            "active" => Some(WaitPolicy::Active),
            "passive" => Some(WaitPolicy::Passive),
            _ => None,
        })
        .unwrap_or(WaitPolicy::Unset);
        let display = read(&get, "OMP_DISPLAY_ENV", |s| match s.trim().to_ascii_lowercase().as_str() {
            "true" => Some(Display::Yes),
            "false" => Some(Display::No),
            "verbose" => Some(Display::Verbose),
            _ => None,
        })
        .unwrap_or(Display::No);
        EnvSettings {
            num_threads: read(&get, "OMP_NUM_THREADS", parse_num_threads).unwrap_or_default(),
            dynamic: read(&get, "OMP_DYNAMIC", parse_bool).unwrap_or(false),
            nested: read(&get, "OMP_NESTED", parse_bool),
            max_active_levels: read(&get, "OMP_MAX_ACTIVE_LEVELS", |s| {
                parse_uint(s).map(|v| v.min(super::SUPPORTED_ACTIVE_LEVELS as u64) as u32)
            }),
            thread_limit: read(&get, "OMP_THREAD_LIMIT", |s| {
                parse_uint(s).filter(|&v| v > 0).map(|v| v.min(u32::MAX as u64) as u32)
            }),
            wait_policy,
            spin_count: read(&get, "GOMP_SPINCOUNT", parse_spincount),
            stacksize: read(&get, "OMP_STACKSIZE", parse_stacksize)
                .or_else(|| read(&get, "GOMP_STACKSIZE", parse_stacksize)),
            schedule: read(&get, "OMP_SCHEDULE", parse_schedule),
            cancellation: read(&get, "OMP_CANCELLATION", parse_bool).unwrap_or(false),
            max_task_priority: read(&get, "OMP_MAX_TASK_PRIORITY", |s| {
                parse_uint(s).map(|v| v.min(i32::MAX as u64) as i32)
            })
            .unwrap_or(0),
            default_device: read(&get, "OMP_DEFAULT_DEVICE", |s| {
                parse_uint(s).map(|v| v.min(i32::MAX as u64) as i32)
            })
            .unwrap_or(0),
            proc_bind: read(&get, "OMP_PROC_BIND", parse_proc_bind).unwrap_or_default(),
            places: get("OMP_PLACES").and_then(|raw| match super::places::parse(&raw) {
                Ok(spec) => Some(spec),
                Err(e) => {
                    eprintln!("hsomp: OMP_PLACES: {e}");
                    warn_invalid("OMP_PLACES", &raw);
                    None
                }
            }),
            num_teams: read(&get, "OMP_NUM_TEAMS", parse_positive_int).unwrap_or(0),
            teams_thread_limit: read(&get, "OMP_TEAMS_THREAD_LIMIT", parse_positive_int).unwrap_or(0),
            target_offload: read(&get, "OMP_TARGET_OFFLOAD", |s| match s.trim().to_ascii_lowercase().as_str() {
                "default" => Some(TargetOffload::Default),
                "mandatory" => Some(TargetOffload::Mandatory),
                "disabled" => Some(TargetOffload::Disabled),
                _ => None,
            })
            .unwrap_or(TargetOffload::Default),
            affinity_format: get("OMP_AFFINITY_FORMAT"),
            display_affinity: read(&get, "OMP_DISPLAY_AFFINITY", parse_bool).unwrap_or(false),
            allocator: read(&get, "OMP_ALLOCATOR", |s| {
                let name = s.trim();
                super::alloc::PREDEFINED_NAMES.iter().position(|n| *n == name).map(|i| i + 1)
            }),
            display,
            rts_flags: get("HSOMP_RTS_FLAGS").filter(|s| !s.trim().is_empty()),
            exclusive: read(&get, "HSOMP_EXCLUSIVE", parse_bool).unwrap_or(false),
            trace_path: get("HSOMP_TRACE").filter(|s| !s.trim().is_empty()),
            yield_interval_us: read(&get, "HSOMP_YIELD_INTERVAL", parse_yield_interval)
                .unwrap_or(Some(DEFAULT_YIELD_INTERVAL_US)),
        }
    }

    /// The max-active-levels-var default, as GCC's runtime derives it: an
    /// explicit value wins; else OMP_NESTED; else nesting is on only when
    /// OMP_NUM_THREADS or OMP_PROC_BIND lists more than one level.
    pub fn initial_max_active_levels(&self) -> u32 {
        if let Some(v) = self.max_active_levels {
            return v;
        }
        match self.nested {
            Some(true) => super::SUPPORTED_ACTIVE_LEVELS,
            Some(false) => 1,
            None if self.num_threads.len() > 1 || self.proc_bind.len() > 1 => super::SUPPORTED_ACTIVE_LEVELS,
            None => 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn settings(pairs: &[(&str, &str)]) -> EnvSettings {
        let m: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        EnvSettings::from_lookup(|k| m.get(k).cloned())
    }

    #[test]
    fn num_threads_lists_and_invalid_values() {
        assert_eq!(settings(&[("OMP_NUM_THREADS", "4, 2,1")]).num_threads, vec![4, 2, 1]);
        assert!(settings(&[("OMP_NUM_THREADS", "abc")]).num_threads.is_empty());
        assert!(settings(&[("OMP_NUM_THREADS", "0")]).num_threads.is_empty());
        assert!(settings(&[("OMP_NUM_THREADS", "3,")]).num_threads.is_empty());
    }

    #[test]
    fn max_active_levels_default_follows_gcc() {
        assert_eq!(settings(&[]).initial_max_active_levels(), 1);
        assert_eq!(settings(&[("OMP_NUM_THREADS", "4,2")]).initial_max_active_levels(), 255);
        assert_eq!(settings(&[("OMP_NESTED", "TRUE")]).initial_max_active_levels(), 255);
        assert_eq!(settings(&[("OMP_PROC_BIND", "primary,spread")]).initial_max_active_levels(), 255);
        assert_eq!(settings(&[("OMP_MAX_ACTIVE_LEVELS", "3")]).initial_max_active_levels(), 3);
        assert_eq!(settings(&[("OMP_MAX_ACTIVE_LEVELS", "-3")]).initial_max_active_levels(), 1);
    }

    #[test]
    fn schedules_with_modifiers() {
        let s = |v| parse_schedule(v).map(|s| (s.kind, s.chunk));
        assert_eq!(s("static"), Some((sched::STATIC | sched::MONOTONIC, 0)));
        assert_eq!(s("nonmonotonic:guided,7"), Some((sched::GUIDED, 7)));
        assert_eq!(s("monotonic:dynamic"), Some((sched::DYNAMIC | sched::MONOTONIC, 1)));
        assert_eq!(s("AUTO"), Some((sched::AUTO, 1)));
        // GCC's runtime's results: 0 means the default chunk, auto takes one.
        assert_eq!(s("dynamic,0"), Some((sched::DYNAMIC, 1)));
        assert_eq!(s("static,0"), Some((sched::STATIC | sched::MONOTONIC, 0)));
        assert_eq!(s("auto,3"), Some((sched::AUTO, 3)));
        assert_eq!(s("monotonic : guided,2"), Some((sched::GUIDED | sched::MONOTONIC, 2)));
        assert_eq!(s("dynamic,-1"), None);
        assert_eq!(s("sometimes"), None);
    }

    #[test]
    fn sizes_counts_and_policies() {
        assert_eq!(parse_stacksize("4M"), Some(4 << 20));
        assert_eq!(parse_stacksize("512"), Some(512 << 10));
        assert_eq!(parse_stacksize("12 b"), Some(12));
        assert_eq!(parse_stacksize("lots"), None);
        assert_eq!(parse_spincount("10k"), Some(10_000));
        assert_eq!(parse_spincount("infinite"), Some(u64::MAX));
        assert_eq!(settings(&[("OMP_WAIT_POLICY", "bogus")]).wait_policy, WaitPolicy::Unset);
        assert_eq!(settings(&[("OMP_WAIT_POLICY", "Active")]).wait_policy, WaitPolicy::Active);
        assert_eq!(settings(&[("OMP_PROC_BIND", "spread,close")]).proc_bind, vec![4, 3]);
        assert_eq!(settings(&[("OMP_PROC_BIND", " primary ")]).proc_bind, vec![2]);
        assert!(settings(&[("OMP_PROC_BIND", "true,close")]).proc_bind.is_empty());
        assert!(settings(&[("OMP_PROC_BIND", "close,false")]).proc_bind.is_empty());
        assert!(settings(&[("OMP_PROC_BIND", "spread,bogus")]).proc_bind.is_empty());
        assert!(settings(&[("OMP_PLACES", "{0")]).places.is_none());
        assert!(settings(&[("OMP_PLACES", "cores(1)")]).places.is_some());
        assert_eq!(settings(&[("OMP_NUM_TEAMS", "5")]).num_teams, 5);
        assert_eq!(settings(&[("OMP_ALLOCATOR", "omp_low_lat_mem_alloc")]).allocator, Some(5));
        assert_eq!(settings(&[("OMP_TEAMS_THREAD_LIMIT", "0")]).teams_thread_limit, 0);
        assert_eq!(settings(&[("OMP_TARGET_OFFLOAD", "MANDATORY")]).target_offload, TargetOffload::Mandatory);
    }
}
