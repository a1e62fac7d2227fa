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
//! A team of one changes nothing. Threads never leave their place on their
//! own: the master pins a thread that has none (a thread created outside
//! the runtime) to place 0 when it opens a region, as GCC's runtime does.

use std::cell::Cell;

use super::places::Place;

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

thread_local! {
    /// The place the calling OS thread is pinned to (1-based; 0 = none).
    static PINNED: Cell<u32> = const { Cell::new(0) };
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

/// The CPUs the calling thread may run on now, ascending.
pub fn current_cpus() -> Vec<usize> {
    // SAFETY: a zeroed cpu_set_t is a valid empty set; sched_getaffinity
    // fills at most its size.
    let mut set: libc::cpu_set_t = unsafe { std::mem::zeroed() };
    // SAFETY: as above; pid 0 is the calling thread.
    if unsafe { libc::sched_getaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &mut set) } != 0 {
        return Vec::new();
    }
    // SAFETY: reading bits of an initialised set below CPU_SETSIZE.
    (0..libc::CPU_SETSIZE as usize).filter(|&c| unsafe { libc::CPU_ISSET(c, &set) }).collect()
}

#[cfg(test)]
mod tests;
