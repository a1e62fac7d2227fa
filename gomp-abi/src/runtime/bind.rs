//! Thread binding (OpenMP 5.1 §2.6.2, §6.4): which place each thread of a
//! new team gets, and pinning threads there with sched_setaffinity.
//!
//! Binding is active when bind-var is not false; then the place list is
//! OMP_PLACES, or one place per CPU of the initial affinity mask (GCC's
//! runtime's default). A thread's `Placement` is its place and its place
//! partition (a range of the place list). A new team's threads get places
//! inside the encountering thread's partition, as GCC 12's runtime assigns
//! them:
//! - `master`/`primary`: every thread on the master's place;
//! - `close` (and `true`): thread i on the i-th place after the master's,
//!   wrapping in the partition; with T threads on P < T places the first
//!   `T - T % P` threads go s = T / P per place, the rest one per place;
//! - `spread`, T <= P: the partition is cut into T subpartitions of
//!   P / T places (the first P % T of them one longer); each thread gets a
//!   subpartition, starting with the master's, and its first place, except
//!   the master, which keeps its place; T > P: as `close`, each thread's
//!   partition being its own place.
//!
//! A team of one changes nothing. Threads never leave their place on their
//! own: the master pins a thread that has none (a thread created outside
//! the runtime) to place 0 when it opens a region, as GCC's runtime does.

use std::cell::Cell;

use super::env::EnvSettings;
use super::places::{self, Level, Place, Spec};

/// `omp_proc_bind_t` values.
pub mod kind {
    pub const FALSE: i32 = 0;
    pub const TRUE: i32 = 1;
    pub const PRIMARY: i32 = 2;
    pub const CLOSE: i32 = 3;
    pub const SPREAD: i32 = 4;
}

/// A thread's place (1-based; 0 = none) and place partition.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Placement {
    pub place: u32,
    pub off: u32,
    pub len: u32,
}

impl Placement {
    /// Place 0 and the whole list: an initial thread's placement.
    pub fn first(nplaces: usize) -> Placement {
        Placement { place: 1, off: 0, len: nplaces as u32 }
    }
}

/// The place list and the OMP_PROC_BIND list in effect, from the
/// environment and the initial affinity mask, as GCC's runtime derives
/// them: OMP_PLACES alone implies `true`; a bind-var of false leaves no
/// places; binding without (usable) OMP_PLACES gets one place per CPU.
pub fn setup(env: &EnvSettings) -> (Vec<Place>, Vec<i32>) {
    let mut list = env.proc_bind.clone();
    let available = initial_mask();
    let build = |spec: &Spec| match places::build(spec, &available, places::sys_group) {
        Ok((p, warn)) => {
            if let Some(w) = warn {
                eprintln!("hsomp: {w}");
            }
            Some(p)
        }
        Err(e) => {
            eprintln!("hsomp: invalid value for environment variable OMP_PLACES ({e}); using the default");
            None
        }
    };
    let given = if list.first() == Some(&kind::FALSE) { None } else { env.places.as_ref().and_then(build) };
    if list.is_empty() && given.is_some() {
        list.push(kind::TRUE);
    }
    if list.first().is_none_or(|&b| b == kind::FALSE) {
        return (Vec::new(), list);
    }
    let places = given.or_else(|| build(&Spec::Abstract(Level::Threads, None))).unwrap_or_default();
    (places, list)
}

/// The CPUs the process may use. With hsomp preloaded into a program
/// linked with GCC's runtime, that runtime's constructor has already bound
/// the initial thread to its first place when binding is asked for; its
/// places then cover exactly the usable CPUs of the same OMP_PLACES.
fn initial_mask() -> Vec<usize> {
    let mine = current_cpus();
    // SAFETY: dlopen with RTLD_NOLOAD only looks up an object already
    // loaded; the name is a NUL-terminated literal.
    let handle = unsafe { libc::dlopen(c"libgomp.so.1".as_ptr(), libc::RTLD_LAZY | libc::RTLD_NOLOAD) };
    if handle.is_null() {
        return mine;
    }
    let sym = |name: &std::ffi::CStr| {
        // SAFETY: a live handle and a NUL-terminated name.
        unsafe { libc::dlsym(handle, name.as_ptr()) }
    };
    let (count, procs, ids) = (sym(c"omp_get_num_places"), sym(c"omp_get_place_num_procs"), sym(c"omp_get_place_proc_ids"));
    // In the drop-in directory libgomp.so.1 is hsomp itself.
    let ours = crate::abi::icv::omp_get_num_places as extern "C" fn() -> i32 as *mut libc::c_void;
    let mut cpus = Vec::new();
    if !count.is_null() && !procs.is_null() && !ids.is_null() && count != ours {
        // SAFETY: GCC's runtime's omp_get_num_places, omp_get_place_num_procs
        // and omp_get_place_proc_ids, with their omp.h signatures; `buf` has
        // room for the place's CPUs.
        unsafe {
            let count: extern "C" fn() -> i32 = std::mem::transmute(count);
            let procs: extern "C" fn(i32) -> i32 = std::mem::transmute(procs);
            let ids: extern "C" fn(i32, *mut i32) = std::mem::transmute(ids);
            for p in 0..count() {
                let mut buf = vec![0i32; procs(p).max(0) as usize];
                ids(p, buf.as_mut_ptr());
                cpus.extend(buf.iter().map(|&c| c as usize));
            }
        }
    }
    // SAFETY: the handle came from dlopen above; this drops its reference.
    unsafe { libc::dlclose(handle) };
    if cpus.is_empty() {
        return mine;
    }
    cpus.sort_unstable();
    cpus.dedup();
    cpus
}

/// The binding policy of a region and the bind-var of its implicit tasks:
/// a `proc_bind` clause overrides bind-var unless bind-var is false; the
/// implicit tasks take the OMP_PROC_BIND element of their level, else the
/// region's policy.
pub fn resolve(bind_var: i32, clause: i32, list: &[i32], new_level: u32) -> (i32, i32) {
    let bind = if bind_var != kind::FALSE && clause != kind::FALSE { clause } else { bind_var };
    let child = list.get(new_level as usize).copied().unwrap_or(bind);
    (bind, child)
}

/// Placements of a new team of `n` threads under policy `bind` opened by a
/// thread placed at `master`; `out[0]` is the master's.
pub fn assign(bind: i32, master: Placement, n: u32, out: &mut Vec<Placement>) {
    out.clear();
    let (off, len) = (master.off, master.len.max(1));
    let end = off + len;
    let mut p = master.place.saturating_sub(1);
    let next = |p: u32| if p + 1 == end { off } else { p + 1 };
    match bind {
        kind::PRIMARY => out.extend((0..n).map(|_| master)),
        kind::SPREAD if n <= len => {
            let s = len / n;
            let rest = (s + 1) * (len % n) + off;
            let sub_len = |p: u32| if p < rest { s + 1 } else { s };
            p -= if p < rest { (p - off) % (s + 1) } else { (p - rest) % s };
            out.push(Placement { place: master.place, off: p, len: sub_len(p) });
            for _ in 1..n {
                p += sub_len(p);
                if p == end {
                    p = off;
                }
                out.push(Placement { place: p + 1, off: p, len: sub_len(p) });
            }
        }
        _ => {
            // close/true, and spread with more threads than places.
            let spread = bind == kind::SPREAD;
            let (mut s, rest) = if n > len { (n / len, n % len) } else { (1, 0) };
            let part = |p: u32| if spread { (p, 1) } else { (off, len) };
            let (o, l) = part(p);
            out.push(Placement { place: master.place, off: o, len: l });
            let mut k = 1;
            for i in 1..n {
                if k == s {
                    p = next(p);
                    k = 1;
                    if i == n - rest {
                        s = 1;
                    }
                } else {
                    k += 1;
                }
                let (o, l) = part(p);
                out.push(Placement { place: p + 1, off: o, len: l });
            }
        }
    }
}

/// `assign` for a team whose previous placements are in `team` (those
/// of the last team this master slot had). Returns the master's placement
/// and, when `track` is set, whether one of the threads the previous team
/// also had is moved: under `true` only a move out of its new partition
/// counts, as GCC's runtime keeps such a pool thread where it is (its
/// OMP_DISPLAY_AFFINITY shows a team again when one is moved).
pub fn place_team(bind: i32, master: Placement, n: u32, team: &mut Vec<Placement>, track: bool) -> (Placement, bool) {
    let before = track.then(|| team.clone());
    assign(bind, master, n, team);
    let moved = before.is_some_and(|old| {
        old.iter().zip(team.iter()).skip(1).any(|(o, t)| {
            if bind == kind::TRUE {
                o.place <= t.off || o.place > t.off + t.len
            } else {
                o.place != t.place
            }
        })
    });
    (team[0], moved)
}

super::tls::lasting! {
    /// The place the calling OS thread is pinned to (1-based; 0 = none).
    static PINNED: Cell<u32> = Cell::new(0);
}

/// Pin the calling thread to `place` (1-based) of `places`, unless it is
/// there already. A failure is reported once per thread and leaves the
/// thread where it was.
pub fn pin(places: &[Place], place: u32) {
    if place == 0 || PINNED.with(Cell::get) == place {
        return;
    }
    let Some(cpus) = places.get(place as usize - 1) else { return };
    PINNED.with(|c| c.set(place));
    if let Err(e) = set_affinity(cpus) {
        eprintln!("hsomp: cannot bind a thread to place {} ({e})", place - 1);
    }
}

/// sched_setaffinity for the calling thread.
fn set_affinity(cpus: &[usize]) -> std::io::Result<()> {
    // SAFETY: a zeroed cpu_set_t is a valid empty set; CPU_SET is given
    // numbers below CPU_SETSIZE (places hold no others, places.rs).
    let mut set: libc::cpu_set_t = unsafe { std::mem::zeroed() };
    for &c in cpus {
        // SAFETY: as above.
        unsafe { libc::CPU_SET(c, &mut set) };
    }
    // SAFETY: pid 0 is the calling thread; the set is initialised and its size given.
    let rc = unsafe { libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set) };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// The placement of a new initial task on the calling thread (its first
/// task, or a target or teams region run on the host): the place the
/// thread is pinned to, if any, and the whole list as its partition, as in
/// GCC's runtime.
pub fn initial_placement(nplaces: usize) -> Placement {
    match PINNED.with(Cell::get) {
        0 => Placement::default(),
        place if nplaces > 0 => Placement { place, off: 0, len: nplaces as u32 },
        _ => Placement::default(),
    }
}

/// The CPUs the calling thread may run on now, ascending.
pub fn current_cpus() -> Vec<usize> {
    // SAFETY: pthread_self has no preconditions.
    thread_cpus(unsafe { libc::pthread_self() })
}

/// The CPUs a live thread of this process may run on, ascending.
pub fn thread_cpus(thread: libc::pthread_t) -> Vec<usize> {
    // SAFETY: a zeroed cpu_set_t is a valid empty set; the call fills at
    // most its size.
    let mut set: libc::cpu_set_t = unsafe { std::mem::zeroed() };
    // SAFETY: as above; `thread` is a live thread (callers pass themselves
    // or a pool worker, and workers never exit).
    if unsafe { libc::pthread_getaffinity_np(thread, std::mem::size_of::<libc::cpu_set_t>(), &mut set) } != 0 {
        return Vec::new();
    }
    // SAFETY: reading bits of an initialised set below CPU_SETSIZE.
    (0..libc::CPU_SETSIZE as usize).filter(|&c| unsafe { libc::CPU_ISSET(c, &set) }).collect()
}

#[cfg(test)]
mod tests;
