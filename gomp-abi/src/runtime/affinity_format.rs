//! The affinity-format-var ICV and its expansion (OpenMP 5.1 §3.10,
//! OMP_AFFINITY_FORMAT).
//!
//! A field is `%[0][.][width]X` or `%[0][.][width]{name}`. Formats GCC's
//! runtime accepts expand as it expands them: without `.` a field is
//! left-justified in `width` columns, with `.` right-justified, with `0.`
//! zero-padded (numbers only: the sign before the zeros, the `0x` of a
//! thread id before them; host and affinity pad with spaces). Formats it
//! rejects but LLVM's runtime accepts expand as LLVM's does: a `0` without
//! `.` pads nothing (the field is left-justified), a width written with a
//! leading zero zero-pads (`%.05n`), a width of 0 pads nothing, an unknown
//! field (short names outside braces, long names inside) or an unterminated
//! `{` prints `undefined`. Fields: t/team_num, T/num_teams, L/nesting_level,
//! n/thread_num, N/num_threads, a/ancestor_tnum, H/host, P/process_id,
//! i/native_thread_id (a pthread_t in hex), A/thread_affinity (CPUs as
//! ranges); `%%` is a percent sign.

use std::sync::RwLock;

/// GCC's runtime's default format.
pub const DEFAULT_FORMAT: &str = "level %L thread %i affinity %A";

/// affinity-format-var once set by omp_set_affinity_format.
static FORMAT: RwLock<Option<String>> = RwLock::new(None);

/// The current affinity-format-var: set by the program, else
/// OMP_AFFINITY_FORMAT, else the default.
pub fn current() -> String {
    let set = FORMAT.read().unwrap_or_else(|e| e.into_inner()).clone();
    set.unwrap_or_else(|| super::globals().env.affinity_format.clone().unwrap_or_else(|| DEFAULT_FORMAT.to_owned()))
}

pub fn set(format: String) {
    *FORMAT.write().unwrap_or_else(|e| e.into_inner()) = Some(format);
}

/// The format a display or capture routine expands: `format`, or
/// affinity-format-var when it is empty (the C and Fortran routines).
pub fn format_or_current(format: String) -> String {
    if format.is_empty() {
        current()
    } else {
        format
    }
}

/// `format` expanded for the calling thread (omp_capture_affinity).
pub fn capture(format: &str) -> String {
    expand(format, &current_fields())
}

/// omp_display_affinity: the calling thread's expansion and a newline on
/// stderr, where GCC's runtime prints it.
pub fn display(format: &str) {
    use std::io::Write;
    let line = capture(format);
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// What the fields of one thread say.
pub struct Fields {
    pub team_num: i32,
    pub num_teams: i32,
    pub level: i32,
    pub thread_num: i32,
    pub num_threads: i32,
    pub ancestor_tnum: i32,
    pub native_thread_id: u64,
    pub affinity: Vec<usize>,
}

/// CPUs as "0-3,6".
pub fn cpu_ranges(cpus: &[usize]) -> String {
    let mut out = Vec::new();
    let mut i = 0;
    while i < cpus.len() {
        let mut j = i;
        while j + 1 < cpus.len() && cpus[j + 1] == cpus[j] + 1 {
            j += 1;
        }
        out.push(if i == j { cpus[i].to_string() } else { format!("{}-{}", cpus[i], cpus[j]) });
        i = j + 1;
    }
    out.join(",")
}

fn host() -> String {
    let mut buf = [0u8; 256];
    // SAFETY: gethostname writes at most buf.len() - 1 bytes into buf.
    unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len() - 1) };
    String::from_utf8_lossy(&buf[..buf.iter().position(|&b| b == 0).unwrap_or(0)]).into_owned()
}

/// A field's value and whether zero padding applies to it (and after
/// which prefix, "-" or "0x", the zeros go).
enum Value {
    Number(String),
    Text(String),
}

fn value(name: &str, braced: bool, f: &Fields) -> Option<Value> {
    let short = |c: &str| !braced && name == c;
    let long = |n: &str| braced && name == n;
    let num = |v: i64| Some(Value::Number(v.to_string()));
    if short("t") || long("team_num") {
        num(f.team_num.into())
    } else if short("T") || long("num_teams") {
        num(f.num_teams.into())
    } else if short("L") || long("nesting_level") {
        num(f.level.into())
    } else if short("n") || long("thread_num") {
        num(f.thread_num.into())
    } else if short("N") || long("num_threads") {
        num(f.num_threads.into())
    } else if short("a") || long("ancestor_tnum") {
        num(f.ancestor_tnum.into())
    } else if short("P") || long("process_id") {
        num(std::process::id().into())
    } else if short("i") || long("native_thread_id") {
        Some(Value::Number(format!("0x{:x}", f.native_thread_id)))
    } else if short("H") || long("host") {
        Some(Value::Text(host()))
    } else if short("A") || long("thread_affinity") {
        Some(Value::Text(cpu_ranges(&f.affinity)))
    } else {
        None
    }
}

fn pad(v: Value, zero: bool, right: bool, width: usize) -> String {
    match v {
        Value::Number(s) if zero && right => {
            let prefix = ["-", "0x"].into_iter().find(|p| s.starts_with(p)).unwrap_or("");
            let digits = &s[prefix.len()..];
            format!("{prefix}{digits:0>w$}", w = width.saturating_sub(prefix.len()))
        }
        Value::Number(s) | Value::Text(s) if right => format!("{s:>width$}"),
        Value::Number(s) | Value::Text(s) => format!("{s:<width$}"),
    }
}

/// The fields of the calling thread.
pub fn current_fields() -> Fields {
    super::team::with_state(|ts| {
        let cur = ts.cur();
        let (level, _) = ts.levels();
        let placement = ts.placement();
        Fields {
            team_num: cur.icv.league.team_num as i32,
            num_teams: cur.icv.league.num_teams as i32,
            level: level as i32,
            thread_num: cur.tid as i32,
            num_threads: ts.team().map_or(1, |t| t.cfg().nthreads as i32),
            ancestor_tnum: super::team::ancestor_thread_num(ts, level as i32 - 1),
            // SAFETY: pthread_self has no preconditions.
            native_thread_id: unsafe { libc::pthread_self() } as u64,
            affinity: affinity_of(placement.place, None),
        }
    })
}

/// A thread's affinity as the format shows it: its place's CPUs when it
/// has one, else its mask (`thread` None: the calling thread).
fn affinity_of(place: u32, thread: Option<libc::pthread_t>) -> Vec<usize> {
    match super::globals().places.get((place as usize).wrapping_sub(1)) {
        Some(cpus) => cpus.clone(),
        None => thread.map_or_else(super::bind::current_cpus, super::bind::thread_cpus),
    }
}

/// OMP_DISPLAY_AFFINITY: the master of a new team prints one line per
/// thread, in thread order, on stderr (as GCC's runtime does).
/// `workers` are the pthread_t of threads 1, 2, ...
pub fn display_team(team: &super::team::Team, parent_tid: u32, workers: impl Iterator<Item = libc::pthread_t>) {
    use std::io::Write;
    let cfg = team.cfg();
    let format = current();
    // SAFETY: pthread_self has no preconditions.
    let me = unsafe { libc::pthread_self() };
    let mut out = String::new();
    for (tid, thread) in std::iter::once(me).chain(workers).enumerate() {
        let place = team.placement(tid as u32).place;
        let fields = Fields {
            team_num: cfg.child_icv.league.team_num as i32,
            num_teams: cfg.child_icv.league.num_teams as i32,
            level: cfg.level as i32,
            thread_num: tid as i32,
            num_threads: cfg.nthreads as i32,
            ancestor_tnum: parent_tid as i32,
            native_thread_id: thread,
            affinity: affinity_of(place, (tid > 0).then_some(thread)),
        };
        out.push_str(&expand(&format, &fields));
        out.push('\n');
    }
    let _ = std::io::stderr().lock().write_all(out.as_bytes());
}

/// Expand `format` with the values of `f`.
pub fn expand(format: &str, f: &Fields) -> String {
    let mut out = String::new();
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        if chars.next_if_eq(&'%').is_some() {
            out.push('%');
            continue;
        }
        let zero_flag = chars.next_if_eq(&'0').is_some();
        let right = chars.next_if_eq(&'.').is_some();
        let mut digits = String::new();
        while let Some(d) = chars.next_if(char::is_ascii_digit) {
            digits.push(d);
        }
        // Zero padding needs right justification (LLVM's runtime left-
        // justifies `%05n`); a leading zero in the width also asks for it.
        let zero = right && (zero_flag || digits.starts_with('0'));
        let width = digits.parse().unwrap_or(0);
        let (name, braced) = match chars.next() {
            Some('{') => {
                let mut name = String::new();
                let mut closed = false;
                for c in chars.by_ref() {
                    if c == '}' {
                        closed = true;
                        break;
                    }
                    name.push(c);
                }
                if !closed {
                    out.push_str("undefined");
                    break;
                }
                (name, true)
            }
            Some(c) => (c.to_string(), false),
            None => (String::new(), false),
        };
        match value(&name, braced, f) {
            Some(v) => out.push_str(&pad(v, zero, right, width)),
            None => out.push_str("undefined"),
        }
    }
    out
}

#[cfg(test)]
mod tests;
