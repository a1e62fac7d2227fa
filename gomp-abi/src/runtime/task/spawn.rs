//! Creating a task: GOMP_task's descriptor, its copy of the arguments,
//! and the choice between queueing it and running it at once.
//!
//! # Deferred or undeferred
//! Spawn pushes on the spawning thread's deque (priority > 0: the heap,
//! queues.rs), or runs the task at once when it is undeferred: if(0),
//! final/included, no team, a team of one thread for a task without
//! detach, dependences or priority (nobody else could run it, deferring
//! would only cost; those three can make the order observable, e.g. a
//! dependence on a detached task whose event a later sibling fulfils), or
//! (except for detached tasks and tasks with dependences) the thread's
//! deque already holds `THROTTLE` tasks (this bounds memory and stack for
//! 10^6-task loops). An undeferred task without dependences or detach
//! (cancellation off) takes the short path of undeferred.rs: run on its
//! creator's argument block (no copy), counted nowhere. A task with dependences (no detach, no priority) that
//! these rules would have run at once is created deferred and, when it is
//! ready once its edges exist, run by its creator at once instead of being
//! queued (it waits for nobody); otherwise it is queued and made ready by
//! its last predecessor, as any deferred task. LLVM's tasks come with
//! their descriptor already taken (prepared.rs) and go through `create`
//! too.
//!
//! # Arguments
//! A deferred task gets its own copy of GCC's argument block: inside the
//! descriptor up to `INLINE_ARGS` bytes (and 64-byte alignment), else in a
//! `posix_memalign`ed block freed with the descriptor.

use std::ffi::{c_long, c_void};
use std::sync::atomic::Ordering;

use super::descriptor::{take, COMPLETED, INLINE_ARGS, PENDING, REF};
use super::detach_cancel::{cancellation_enabled, group_cancelled};
use super::prepared::{Inline, Prepared};
use super::queues::TaskRef;
use super::run::{enter, execute};
use super::undeferred::Creator;
use super::wait::{ctx, current, resolve, Ctx};
use super::{deps, flag, undeferred, CopyFn, Task};
use crate::runtime::globals;
use crate::runtime::team::{Outlined, Team, ThreadState};

/// Queued tasks on a thread's deque beyond which it runs new tasks at once:
/// enough for every other thread to find work, few enough that a thread
/// producing a task tree runs most of it at once (64 per thread, as GCC's
/// runtime bounds a team's queued tasks to 64 x its threads; 256 made
/// 2-thread tree shapes 3x as costly as libgomp's).
const THROTTLE: usize = 64;

/// A task's outlined body and its argument block, as GCC describes them
/// (GOMP_task and GOMP_taskloop alike).
#[derive(Clone, Copy)]
pub struct TaskBody {
    pub func: Outlined,
    /// Run on the argument block instead of `func` when cancellation
    /// discards the task (LLVM's ABI: the privates' destructors).
    pub discarded: Option<Outlined>,
    pub data: *mut c_void,
    pub cpyfn: Option<CopyFn>,
    pub arg_size: usize,
    pub arg_align: usize,
}

impl TaskBody {
    /// From GCC's arguments: a negative size means none, an alignment
    /// below 1 means 1.
    pub fn from_gcc(
        func: Outlined,
        data: *mut c_void,
        cpyfn: Option<CopyFn>,
        arg_size: c_long,
        arg_align: c_long,
    ) -> Self {
        TaskBody {
            func,
            discarded: None,
            data,
            cpyfn,
            arg_size: arg_size.max(0) as usize,
            arg_align: arg_align.max(1) as usize,
        }
    }
}

/// What GOMP_task (and each taskloop chunk) asks for.
pub struct Spawn {
    pub body: TaskBody,
    pub if_clause: bool,
    pub flags: u32,
    pub depend: *const *mut c_void,
    pub priority: i32,
    pub detach: *mut c_void,
    /// Taskloop: the chunk's [start, end) written over the first two words
    /// of the argument block.
    pub bounds: Option<(u64, u64)>,
}

/// Create (and queue, or run) one explicit task. Inlined into each entry
/// point: a plain task then costs one call less (165 instructions instead
/// of 168, and 1 ns of 16.6 in a loop of them).
///
/// # Safety
/// The pointers and sizes are those GCC passes to GOMP_task.
#[inline(always)]
pub unsafe fn spawn(ts: &ThreadState, s: &Spawn) {
    if s.flags & flag::DETACH == 0 && !has_deps(s) && !cancellation_enabled() {
        // The creator as it is: an undeferred creator's frame stays a frame
        // (undeferred.rs).
        let (team, tid, word) = current(ts);
        // SAFETY: the thread's own current-task word, resolved unless a frame.
        let creator = unsafe { Creator::of(word, || resolve(team, tid, word)) };
        if runs_at_once(team, tid, creator.is_final, s, true) {
            // SAFETY: caller's contract; a plain undeferred task.
            unsafe { undeferred::run(ts, creator, team, s) };
            return;
        }
    }
    // SAFETY: caller's contract.
    unsafe { create(ctx(ts), s, None, false) };
}

fn has_deps(s: &Spawn) -> bool {
    s.flags & flag::DEPEND != 0 && !s.depend.is_null()
}

/// The team has one thread.
fn alone(team: Option<&Team>) -> bool {
    team.is_some_and(|team| team.tasks.nthreads.load(Ordering::Relaxed) == 1)
}

/// Thread `tid`'s deque (the caller's) holds `THROTTLE` tasks.
fn throttled(team: Option<&Team>, tid: u32) -> bool {
    // SAFETY: the slot is the calling thread's own.
    team.is_some_and(|team| unsafe { team.tasks.slot(tid).deque() }.len() >= THROTTLE)
}

/// Whether a task (not an inline one) is undeferred (module comment);
/// `ordinary`: it has neither detach nor dependences. Throttling never
/// applies to a detached task or one with dependences: running it
/// undeferred would block its creator until the event is fulfilled or the
/// predecessors complete, possibly thanks to a sibling the creator has yet
/// to create.
/// `team`, `tid` and `in_final`: the creating thread's team and number,
/// and whether the creating task is final.
#[inline]
fn runs_at_once(team: Option<&Team>, tid: u32, in_final: bool, s: &Spawn, ordinary: bool) -> bool {
    !s.if_clause
        || in_final
        || team.is_none()
        || (ordinary && (s.flags & flag::PRIORITY == 0 || s.priority <= 0) && alone(team))
        || (ordinary && throttled(team, tid))
}

/// `spawn`, for a fresh descriptor or a prepared one (whose area is used
/// as is); with `inline`, the task is undeferred and its creator runs the
/// body: return it entered instead of running it.
///
/// # Safety
/// As for `spawn` / `spawn_prepared`.
pub(super) unsafe fn create(cx: Ctx, s: &Spawn, prepared: Option<Prepared>, inline: bool) -> Option<Inline> {
    let ts = cx.ts;
    let parent = cx.task;
    let group = parent.cur_group.get();
    if !inline && cancellation_enabled() && group_cancelled(group) {
        if let Some(p) = prepared {
            if let Some(hook) = s.body.discarded {
                // SAFETY: the prepared area, filled by its creator; the hook
                // is the creator's for it.
                unsafe { hook((*p.as_ptr()).data) };
            }
            p.discard();
        }
        return None;
    }
    let slot = cx.team.map(|team| team.tasks.slot(cx.tid));
    let detach = s.flags & flag::DETACH != 0;
    let has_deps = has_deps(s);
    let undeferred = inline || runs_at_once(cx.team, cx.tid, parent.is_final, s, !detach && !has_deps);
    // A task with dependences that the rules above would have run at once
    // (alone, or throttled) is deferred, but if it is ready as soon as its
    // edges exist (its predecessors completed) its creator runs it right
    // away instead of queueing it: a scheduling point at creation, which
    // never waits for a sibling.
    let run_if_ready = has_deps && !undeferred && !detach && s.flags & flag::PRIORITY == 0 && (alone(cx.team) || throttled(cx.team, cx.tid));
    let (reductions, icv) = ts.with_cur(|c| (c.task_reductions, c.icv));
    let is_prepared = prepared.is_some();
    let mut b = match prepared {
        // SAFETY: a prepared descriptor comes from Box::leak and is ours.
        Some(p) => unsafe { Box::from_raw(p.as_ptr()) },
        None => take(),
    };
    {
        let t = &mut *b;
        t.func = Some(s.body.func);
        t.discarded = s.body.discarded;
        t.parent = parent;
        t.team = cx.team.map_or(std::ptr::null(), |team| team as *const Team);
        t.group = group;
        t.reductions = reductions;
        t.icv = icv;
        t.depth = parent.depth + 1;
        t.priority =
            if s.flags & flag::PRIORITY != 0 { s.priority.clamp(0, globals().env.max_task_priority.max(0)) } else { 0 };
        t.is_final = s.flags & flag::FINAL != 0 || parent.is_final;
        t.detach = detach;
        t.has_deps = has_deps;
        t.waited = undeferred;
        *t.counts.get_mut() = REF;
        *t.holds_parent.get_mut() = !undeferred || detach;
        // The guard of deps.rs, only needed while dependences are added.
        *t.npred.get_mut() = u32::from(t.has_deps);
        *t.succ.get_mut() = std::ptr::null_mut();
        *t.detach_state.get_mut() = PENDING;
        t.cur_group.set(group);
        if !is_prepared {
            t.heap_args = std::ptr::null_mut();
        }
    }
    let t: *mut Task = Box::into_raw(b);
    // SAFETY: `t` is private to this thread until published below; GCC's
    // argument block is `arg_size` bytes, copied by cpyfn or memcpy.
    // A prepared task's handle was given out before: nothing to store.
    unsafe {
        if (*t).detach && !is_prepared {
            *(s.detach as *mut *const Task) = t;
            *(s.body.data as *mut *const Task) = t;
        }
        if !is_prepared {
            (*t).data = if undeferred && s.body.cpyfn.is_none() { s.body.data } else { copy_args(t, s) };
        }
        if let Some((lo, hi)) = s.bounds {
            let words = (*t).data as *mut u64;
            *words = lo;
            *words.add(1) = hi;
        }
    }
    // SAFETY: from here on `t` is shared; only atomics and immutable fields.
    let task = unsafe { &*t };
    // An undeferred task completes before its creator resumes: it is not
    // counted as an incomplete child, and (without detach) takes a
    // reference on the parent only at completion, if it needs one.
    if !undeferred {
        parent.counts.fetch_add(REF | 1, Ordering::Relaxed);
    } else if detach {
        parent.retain();
    }
    // SAFETY: the current task's innermost group is alive.
    if let Some(g) = unsafe { group.as_ref() } {
        g.pending.fetch_add(1, Ordering::Relaxed);
    }
    if let Some(sl) = slot {
        sl.counts.spawned();
    }
    if task.has_deps {
        // SAFETY: only the thread running `parent` touches its map.
        let map = unsafe { (*parent.deps.get()).get_or_insert_with(Default::default) };
        // SAFETY: GCC's dependence array.
        unsafe { deps::for_each(s.depend, |addr, kind| map.register(task, addr, kind)) };
    }
    let ready = !task.has_deps || task.npred.fetch_sub(1, Ordering::AcqRel) == 1;
    if undeferred {
        if !ready {
            cx.wait_until(|| task.npred.load(Ordering::Acquire) == 0);
        }
        if detach {
            // Completion may come from another thread (omp_fulfill_event):
            // keep the descriptor alive for the wait below.
            task.retain();
        }
        if inline {
            return Some(Inline::entered(task, enter(ts, task)));
        }
        // Without detach, `execute` completes the task and may free it.
        execute(ts, task);
        if detach {
            cx.wait_until(|| task.detach_state.load(Ordering::Acquire) == COMPLETED);
            // SAFETY: the reference taken above.
            unsafe { Task::release(task) };
        }
    } else if ready && run_if_ready {
        execute(ts, task);
    } else if ready {
        let team = cx.team.expect("deferred tasks have a team");
        if task.priority > 0 {
            team.tasks.push_prio(task);
        } else {
            // SAFETY: the calling thread's own slot.
            unsafe { slot.expect("a team thread has a slot").deque() }.push(TaskRef(task));
        }
        team.sleep.notify_all();
    }
    None
}

/// A heap argument block (freed with the descriptor).
pub(super) fn alloc_args(align: usize, size: usize) -> *mut c_void {
    let mut p: *mut c_void = std::ptr::null_mut();
    // SAFETY: `p` is a valid out-pointer; the alignment is a power of two
    // and a multiple of the pointer size.
    if unsafe { libc::posix_memalign(&mut p, align.max(std::mem::size_of::<usize>()), size) } != 0 {
        eprintln!("hsomp: fatal: out of memory for a task's arguments ({size} bytes)");
        std::process::abort();
    }
    p
}

/// Copy GCC's argument block into storage owned by `t`.
///
/// # Safety
/// `t` is private to the caller; `s` describes a valid argument block.
pub(super) unsafe fn copy_args(t: *mut Task, s: &Spawn) -> *mut c_void {
    let align = s.body.arg_align.max(1).next_power_of_two();
    let size = s.body.arg_size.max(1);
    // SAFETY: per the contract; `args` is 64-aligned (repr(align(64))).
    unsafe {
        let dst: *mut c_void = if size <= INLINE_ARGS && align <= 64 {
            (*t).args.as_mut_ptr().cast()
        } else {
            (*t).heap_args = alloc_args(align, size);
            (*t).heap_args
        };
        match s.body.cpyfn {
            Some(copy) => copy(dst, s.body.data),
            None => std::ptr::copy_nonoverlapping(s.body.data as *const u8, dst as *mut u8, s.body.arg_size),
        }
        dst
    }
}

#[cfg(test)]
impl Spawn {
    /// A plain deferrable task of `func` on the `size`-byte block at `data`
    /// (the tests of this module and its neighbours).
    pub(super) fn plain(func: Outlined, data: *mut c_void, size: usize, align: usize) -> Spawn {
        Spawn {
            body: TaskBody { func, discarded: None, data, cpyfn: None, arg_size: size, arg_align: align },
            if_clause: true,
            flags: 0,
            depend: std::ptr::null(),
            priority: 0,
            detach: std::ptr::null_mut(),
            bounds: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    unsafe extern "C" fn body(_: *mut c_void) {}

    fn spawn_of(data: *mut c_void, size: usize, align: usize) -> Spawn {
        Spawn::plain(body, data, size, align)
    }

    /// Copies `src` as `spawn` would; returns whether it landed inside the
    /// descriptor, and the copy.
    fn copy(src: &mut [u8], align: usize) -> (bool, Vec<u8>) {
        let mut t = Box::new(Task::blank());
        let s = spawn_of(src.as_mut_ptr().cast(), src.len(), align);
        let tp: *mut Task = &mut *t;
        // SAFETY: `t` is ours; `src` is a valid block of `len` bytes.
        let dst = unsafe { copy_args(tp, &s) };
        assert_eq!(dst as usize % align.max(1), 0);
        // SAFETY: `dst` holds `len` copied bytes.
        let out = unsafe { std::slice::from_raw_parts(dst as *const u8, src.len()) }.to_vec();
        let inline = t.heap_args.is_null();
        if !inline {
            // SAFETY: posix_memalign'ed by copy_args.
            unsafe { libc::free(t.heap_args) };
        }
        (inline, out)
    }

    #[test]
    fn small_blocks_live_in_the_descriptor() {
        let mut a: Vec<u8> = (0..INLINE_ARGS as u8).collect();
        let (inline, out) = copy(&mut a, 8);
        assert!(inline);
        assert_eq!(out, a);
    }

    #[test]
    fn large_or_overaligned_blocks_go_to_the_heap() {
        let mut a: Vec<u8> = (0..=INLINE_ARGS as u8).collect();
        let (inline, out) = copy(&mut a, 8);
        assert!(!inline);
        assert_eq!(out, a);
        let mut b = vec![7u8; 16];
        let (inline, out) = copy(&mut b, 128);
        assert!(!inline);
        assert_eq!(out, b);
    }
}
