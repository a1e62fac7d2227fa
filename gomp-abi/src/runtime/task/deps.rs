//! Task dependences (`depend` clauses), tracked per parent task.
//!
//! # GCC 12's dependence array (the `depend` argument of GOMP_task and
//! GOMP_taskwait_depend)
//! - `d[0] != 0`: `d[0]` addresses in total, the first `d[1]` of them `out`
//!   or `inout`, the rest `in`; the addresses start at `d[2]`.
//! - `d[0] == 0`: `d[1]` entries in total: `d[2]` out/inout, then `d[3]`
//!   mutexinoutset, then `d[4]` in, and the remaining ones are pointers to
//!   `omp_depend_t` objects (`{address, kind}`, kind 1 in, 2 out, 3 inout,
//!   4 mutexinoutset, 5 inoutset); the entries start at `d[5]`.
//!
//! mutexinoutset is treated like inout (a stricter, conforming order).
//!
//! # Tracking
//! Each parent owns a map address -> `Entry`, touched only by the thread
//! running the parent (tasks never migrate), so it needs no lock. An entry
//! keeps the latest *group* of sibling tasks on that address (one writer,
//! or any number of `in` tasks, or any number of `inoutset` tasks) and the
//! group before it. A new task depends on the latest group, except when it
//! joins it (same kind, `in` or `inoutset`): then on the group before.
//! Tasks in the map hold a reference (`Task::retain`), so a pointer in the
//! map is never a recycled descriptor.
//!
//! # Edges (cross-thread)
//! `Task::succ` is a lock-free stack of successors, closed (`CLOSED`) by
//! the task's completion. Adding an edge: `npred += 1`, then CAS-push; when
//! the push finds the list closed the predecessor already completed and
//! `npred -= 1`. Completion: swap in `CLOSED` (AcqRel), then decrement
//! each successor's `npred`; the decrement that reaches 0 makes it ready.
//! `npred` starts at 1 (a guard held by the spawning thread while it adds
//! edges), so a task cannot become ready before all its edges exist.

use std::collections::HashMap;
use std::ffi::c_void;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::atomic::Ordering;

use super::Task;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    /// out, inout, mutexinoutset
    Out,
    In,
    /// inoutset
    Set,
}

fn kind_of_depobj(k: usize) -> Kind {
    match k {
        1 => Kind::In,
        2..=4 => Kind::Out,
        5 => Kind::Set,
        _ => {
            eprintln!("hsomp: fatal: unknown omp_depend_t dependence type {k}");
            std::process::abort()
        }
    }
}

/// Call `f(address, kind)` for every entry of a GCC dependence array.
///
/// # Safety
/// `depend` is a dependence array as GCC 12 lays it out (module comment).
pub unsafe fn for_each(depend: *const *mut c_void, mut f: impl FnMut(usize, Kind)) {
    // SAFETY: the caller guarantees the layout; every index read below is
    // within the counts the array itself declares.
    unsafe {
        let word = |i: usize| *depend.add(i) as usize;
        if word(0) != 0 {
            let (n, nout) = (word(0), word(1));
            for i in 0..n {
                f(word(2 + i), if i < nout { Kind::Out } else { Kind::In });
            }
        } else {
            let (n, nout, nmutex, nin) = (word(1), word(2), word(3), word(4));
            let plain = nout + nmutex + nin;
            for i in 0..n {
                let w = word(5 + i);
                if i < nout + nmutex {
                    f(w, Kind::Out);
                } else if i < plain {
                    f(w, Kind::In);
                } else {
                    let obj = w as *const usize;
                    f(*obj, kind_of_depobj(*obj.add(1)));
                }
            }
        }
    }
}

/// Multiplicative hash for addresses (std's SipHash is needlessly slow here).
#[derive(Default)]
pub struct AddrHasher(u64);

impl Hasher for AddrHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_usize(&mut self, n: usize) {
        self.0 = (n as u64 ^ (n as u64 >> 29)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

struct Entry {
    kind: Kind,
    last: Vec<*const Task>,
    prev: Vec<*const Task>,
}

/// The dependence map of one parent task.
#[derive(Default)]
pub struct DepMap {
    map: HashMap<usize, Entry, BuildHasherDefault<AddrHasher>>,
}

impl DepMap {
    /// Record `t`'s dependences and add an edge from each sibling it must
    /// wait for. Called by the thread running the parent, before `t` is
    /// published.
    pub fn register(&mut self, t: &Task, addr: usize, kind: Kind) {
        let e = self.map.entry(addr).or_insert_with(|| Entry { kind: Kind::Out, last: Vec::new(), prev: Vec::new() });
        let joins = kind != Kind::Out && e.kind == kind && !e.last.is_empty();
        let preds = if joins { &e.prev } else { &e.last };
        for &p in preds {
            if !std::ptr::eq(p, t) {
                // SAFETY: tasks in the map are retained (module comment).
                add_edge(unsafe { &*p }, t);
            }
        }
        t.retain();
        if !joins {
            // prev <- last, last <- [t]; the two vectors trade places, so
            // an address used over and over allocates nothing per task.
            std::mem::swap(&mut e.prev, &mut e.last);
            release_all(&mut e.last);
            if kind == Kind::Out {
                release_all(&mut e.prev);
            }
            e.kind = kind;
        }
        e.last.push(t);
    }
}

impl Drop for DepMap {
    fn drop(&mut self) {
        for (_, mut e) in self.map.drain() {
            release_all(&mut e.last);
            release_all(&mut e.prev);
        }
    }
}

/// Empty `v` (keeping its storage), dropping the map's reference on each task.
fn release_all(v: &mut Vec<*const Task>) {
    for p in v.drain(..) {
        // SAFETY: each pointer in the map carries one reference (retain).
        unsafe { Task::release(p) };
    }
}

pub struct Edge {
    task: *const Task,
    next: *mut Edge,
}

/// Marker closing a completed task's successor list.
pub const CLOSED: *mut Edge = std::ptr::dangling_mut();

fn add_edge(pred: &Task, succ: &Task) {
    let mut head = pred.succ.load(Ordering::Acquire);
    if head == CLOSED {
        // Completed already (the common case when predecessors ran
        // inline): no edge, no allocation.
        return;
    }
    succ.npred.fetch_add(1, Ordering::Relaxed);
    let e = Box::into_raw(Box::new(Edge { task: succ, next: std::ptr::null_mut() }));
    loop {
        if head == CLOSED {
            // SAFETY: `e` was never published.
            drop(unsafe { Box::from_raw(e) });
            // The guard keeps npred above zero: this cannot make it ready.
            succ.npred.fetch_sub(1, Ordering::Relaxed);
            return;
        }
        // SAFETY: `e` is still private to this thread.
        unsafe { (*e).next = head };
        match pred.succ.compare_exchange_weak(head, e, Ordering::AcqRel, Ordering::Acquire) {
            Ok(_) => return,
            Err(h) => head = h,
        }
    }
}

/// A successor whose last predecessor completed.
pub enum Ready<'a> {
    /// Deferred: queue it.
    Deferred(&'a Task),
    /// Waited for inline by `creator` (its parent): notify that wait.
    Waited { creator: &'a Task },
}

/// Close `t`'s successor list (it completed) and call `ready` for every
/// successor whose last predecessor this was.
///
/// Until the decrement a successor is incomplete (it waits for us), hence
/// alive. After the last decrement a waited successor's creator may run,
/// complete and free it at once: everything needed from it is read before,
/// and the creator, whose waits are notified, is kept alive by a reference
/// taken before (the creator is blocked in the wait until then).
pub fn release_successors(t: &Task, mut ready: impl FnMut(Ready<'_>)) {
    let mut e = t.succ.swap(CLOSED, Ordering::AcqRel);
    while !e.is_null() {
        // SAFETY: edges were pushed by add_edge and are owned by the list,
        // which this swap made ours alone.
        let edge = unsafe { Box::from_raw(e) };
        // SAFETY: a successor is incomplete (it waits for us), so alive.
        let s = unsafe { &*edge.task };
        // SAFETY: a waited successor's creator is its parent, blocked until
        // the decrement below, hence alive while we take the reference.
        let creator = s.waited.then(|| unsafe { &*s.parent });
        if let Some(c) = creator {
            c.retain();
        }
        if s.npred.fetch_sub(1, Ordering::AcqRel) == 1 {
            ready(match creator {
                Some(creator) => Ready::Waited { creator },
                None => Ready::Deferred(s),
            });
        }
        if let Some(c) = creator {
            // SAFETY: the reference taken above.
            unsafe { Task::release(c) };
        }
        e = edge.next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(words: &[usize]) -> Vec<(usize, Kind)> {
        let ptrs: Vec<*mut c_void> = words.iter().map(|&w| w as *mut c_void).collect();
        let mut out = Vec::new();
        // SAFETY: the arrays below follow GCC's layout.
        unsafe { for_each(ptrs.as_ptr(), |a, k| out.push((a, k))) };
        out
    }

    #[test]
    fn short_layout() {
        assert_eq!(parse(&[3, 1, 10, 20, 30]), vec![(10, Kind::Out), (20, Kind::In), (30, Kind::In)]);
    }

    #[test]
    fn long_layout_with_depobjs() {
        let obj_in = [70usize, 1];
        let obj_set = [80usize, 5];
        let words = [0, 6, 1, 1, 2, 10, 20, 30, 40, &obj_in as *const _ as usize, &obj_set as *const _ as usize];
        assert_eq!(
            parse(&words),
            vec![(10, Kind::Out), (20, Kind::Out), (30, Kind::In), (40, Kind::In), (70, Kind::In), (80, Kind::Set)]
        );
    }

    /// Registers sibling tasks on one address and reports which earlier
    /// siblings each one got an edge from.
    fn preds_of(kinds: &[Kind]) -> Vec<Vec<usize>> {
        let tasks: Vec<Box<Task>> = kinds.iter().map(|_| Box::new(Task::blank())).collect();
        let mut map = DepMap::default();
        let mut preds = vec![Vec::new(); kinds.len()];
        for (i, (t, &k)) in tasks.iter().zip(kinds).enumerate() {
            t.retain(); // the test's own reference, so the map never frees it
            map.register(t, 0x1000, k);
            for (j, p) in tasks[..i].iter().enumerate() {
                let mut e = p.succ.load(Ordering::Acquire);
                while !e.is_null() && e != CLOSED {
                    // SAFETY: edges of test-local tasks, not yet released.
                    let edge = unsafe { &*e };
                    if std::ptr::eq(edge.task, &**t) {
                        preds[i].push(j);
                    }
                    e = edge.next;
                }
            }
        }
        for t in &tasks {
            release_successors(t, |_| {});
        }
        drop(map);
        preds
    }

    #[test]
    fn a_completed_predecessor_adds_no_edge() {
        let (a, b) = (Box::new(Task::blank()), Box::new(Task::blank()));
        let mut map = DepMap::default();
        for t in [&a, &b] {
            t.retain(); // the test's own reference, so the map never frees it
        }
        map.register(&a, 0x1000, Kind::Out);
        release_successors(&a, |_| {});
        let before = b.npred.load(Ordering::Relaxed);
        map.register(&b, 0x1000, Kind::Out);
        assert_eq!(b.npred.load(Ordering::Relaxed), before);
        assert!(b.succ.load(Ordering::Relaxed).is_null());
        release_successors(&b, |_| {});
        drop(map);
    }

    #[test]
    fn dependence_groups() {
        use Kind::*;
        assert_eq!(preds_of(&[Out, In, In, Out]), vec![vec![], vec![0], vec![0], vec![1, 2]]);
        assert_eq!(preds_of(&[Out, Set, Set, In, In, Set]), vec![vec![], vec![0], vec![0], vec![1, 2], vec![1, 2], vec![3, 4]]);
        assert_eq!(preds_of(&[In, In, Out, Out]), vec![vec![], vec![], vec![0, 1], vec![2]]);
    }
}
