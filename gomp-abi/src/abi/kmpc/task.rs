//! LLVM's tasking entry points (`__kmpc_omp_task*`, taskwait, taskyield,
//! taskgroup, detach events) on the runtime's one task system
//! (runtime/task; "Prepared descriptors" in spawn.rs).
//!
//! # A task's storage
//! `__kmpc_omp_task_alloc` takes the task's descriptor at once; its
//! argument area holds a `Header` (ours), then LLVM's `kmp_task_t` with the
//! compiler's privates after it (`sizeof_kmp_task_t` bytes), then the
//! shareds, pointer-aligned. The compiler fills the area and then creates
//! the task (`__kmpc_omp_task`, `_with_deps`) or runs it undeferred itself
//! (`__kmpc_omp_task_begin_if0` ... `_complete_if0`). The runtime runs the
//! task's body as `run_body` on the area.
//!
//! # Untied tasks
//! Clang splits an untied task's routine at its scheduling points: the
//! routine records where to resume (`part_id`), passes its own task to
//! `__kmpc_omp_task` again and returns. Tasks here never migrate (untied
//! ones run as tied), so that call only marks the running task
//! (`Header::again`) and its runner calls the routine again at once.

use std::cell::RefCell;
use std::ffi::c_void;

use super::Ident;
use crate::runtime::kmpc::global_thread_num;
use crate::runtime::reduction::kmpc as red;
use crate::runtime::task::{self, flag, Inline, Prepared, Spawn, Task, TaskBody};
use crate::runtime::team::{with_state, ThreadState};

/// `kmp_routine_entry_t`: a task's body, and its destructors thunk.
pub type TaskEntry = unsafe extern "C" fn(i32, *mut KmpTask) -> i32;

/// LLVM's `kmp_task_t` (the compiler's privates follow it).
#[repr(C)]
pub struct KmpTask {
    pub shareds: *mut c_void,
    pub routine: Option<TaskEntry>,
    pub part_id: i32,
    /// The destructors thunk, with `DESTRUCTORS`.
    pub data1: Option<TaskEntry>,
    /// The priority (an i32), with `PRIORITY_SPECIFIED`.
    pub data2: usize,
}

/// `kmp_tasking_flags_t` bits the compiler sets.
pub mod kflag {
    pub const TIED: i32 = 1 << 0;
    pub const FINAL: i32 = 1 << 1;
    pub const DESTRUCTORS: i32 = 1 << 3;
    pub const PRIORITY_SPECIFIED: i32 = 1 << 5;
    pub const DETACHABLE: i32 = 1 << 6;
}

/// What we keep in front of the `kmp_task_t`: 64 bytes, so that the
/// `kmp_task_t` is cache-line aligned, as libomp allocates it; clang lays
/// out the privates after it at their alignment (up to 64 bytes, e.g. AVX-512
/// vectors) and relies on it.
#[repr(C, align(64))]
struct Header {
    /// The descriptor (the task's identity, its detach event handle).
    handle: *const Task,
    /// Bytes of the whole area (taskloop copies it).
    size: usize,
    flags: i32,
    detach: bool,
    /// The routine runs (the task was created).
    running: bool,
    /// The running routine asked to be called again (untied tasks).
    again: bool,
}

const HEADER: usize = std::mem::size_of::<Header>();

fn header(t: *mut KmpTask) -> *mut Header {
    t.cast::<u8>().wrapping_sub(HEADER).cast()
}

/// A new task's storage (module comment): returns its `kmp_task_t`.
pub(super) fn alloc(flags: i32, sizeof_task: usize, sizeof_shareds: usize, entry: Option<TaskEntry>) -> *mut KmpTask {
    let shareds_at = HEADER + sizeof_task.next_multiple_of(std::mem::size_of::<usize>());
    let size = shareds_at + sizeof_shareds;
    let (p, area) = Prepared::new(size);
    let area = area.cast::<u8>();
    let t = area.wrapping_add(HEADER).cast::<KmpTask>();
    // SAFETY: the area has `size` bytes, 64-aligned: room for the header,
    // the kmp_task_t (sizeof_task covers it) and the shareds.
    unsafe {
        area.cast::<Header>().write(Header {
            handle: p.into_handle(),
            size,
            flags,
            detach: flags & kflag::DETACHABLE != 0,
            running: false,
            again: false,
        });
        t.write(KmpTask {
            shareds: if sizeof_shareds > 0 { area.add(shareds_at).cast() } else { std::ptr::null_mut() },
            routine: entry,
            part_id: 0,
            data1: None,
            data2: 0,
        });
    }
    t
}

/// A copy of `t`'s storage for a new task (taskloop chunks): shareds that
/// lie in the area point into the copy's.
///
/// # Safety
/// `t` came from `alloc` and was not created yet.
pub(super) unsafe fn duplicate(t: *mut KmpTask) -> *mut KmpTask {
    // SAFETY: per the contract the header and area are ours to read.
    unsafe {
        let h = &*header(t);
        let (p, area) = Prepared::new(h.size);
        let from = header(t).cast::<u8>();
        std::ptr::copy_nonoverlapping(from, area.cast::<u8>(), h.size);
        (*area.cast::<Header>()).handle = p.into_handle();
        let c = area.cast::<u8>().add(HEADER).cast::<KmpTask>();
        let sh = (*t).shareds.cast::<u8>();
        if sh >= from && sh < from.add(h.size) {
            (*c).shareds = area.cast::<u8>().offset(sh.offset_from(from)).cast();
        }
        c
    }
}

/// The body the runtime runs for a kmpc task (its argument area).
unsafe extern "C" fn run_body(area: *mut c_void) {
    let t = area.cast::<u8>().wrapping_add(HEADER).cast::<KmpTask>();
    // SAFETY: the area of a task made by `alloc`, filled by the compiler.
    unsafe {
        (*header(t)).running = true;
        if let Some(routine) = (*t).routine {
            routine(global_thread_num(), t);
        }
        run_rest(t);
        destroy_privates(t);
    }
}

/// A task discarded by `cancel taskgroup`: its routine never runs, but the
/// privates the compiler constructed in it are destroyed (as libomp does).
unsafe extern "C" fn discard_body(area: *mut c_void) {
    let t = area.cast::<u8>().wrapping_add(HEADER).cast::<KmpTask>();
    // SAFETY: the area of a task made by `alloc`, filled by the compiler.
    unsafe { destroy_privates(t) };
}

/// Call the routine of the running task `t` again while it asks to be
/// (module comment: untied tasks).
///
/// # Safety
/// `t` is the task of a routine that just returned, on this thread.
unsafe fn run_rest(t: *mut KmpTask) {
    // SAFETY: per the contract; only this thread touches the header now.
    unsafe {
        let h = header(t);
        while std::mem::take(&mut (*h).again) {
            if let Some(routine) = (*t).routine {
                routine(global_thread_num(), t);
            }
        }
    }
}

/// Run the compiler's destructors of `t`'s privates, if it has any.
///
/// # Safety
/// `t` came from `alloc` and its privates are constructed.
pub(super) unsafe fn destroy_privates(t: *mut KmpTask) {
    // SAFETY: per the contract.
    unsafe {
        if (*header(t)).flags & kflag::DESTRUCTORS != 0 {
            if let Some(d) = (*t).data1 {
                d(global_thread_num(), t);
            }
        }
    }
}

/// Give back the storage of a task that is never created (a taskloop's
/// pattern), destroying its privates.
///
/// # Safety
/// `t` came from `alloc` and was not created.
pub(super) unsafe fn discard(t: *mut KmpTask) {
    // SAFETY: per the contract.
    unsafe {
        destroy_privates(t);
        Prepared::from_handle((*header(t)).handle).discard();
    }
}

/// The runtime's request for `t`: its flags in GCC's terms, priority,
/// `if` and dependences (a GCC dependence array, see dependences below).
///
/// # Safety
/// `t` came from `alloc`.
unsafe fn request(t: *mut KmpTask, if_clause: bool, depend: *const *mut c_void) -> Spawn {
    // SAFETY: per the contract.
    let (h, prio) = unsafe { (&*header(t), (*t).data2 as i32) };
    let mut flags = 0;
    for (k, g) in [(kflag::FINAL, flag::FINAL), (kflag::PRIORITY_SPECIFIED, flag::PRIORITY)] {
        if h.flags & k != 0 {
            flags |= g;
        }
    }
    if h.flags & kflag::TIED == 0 {
        flags |= flag::UNTIED;
    }
    if h.detach {
        flags |= flag::DETACH;
    }
    if !depend.is_null() {
        flags |= flag::DEPEND;
    }
    Spawn {
        body: TaskBody {
            func: run_body,
            discarded: Some(discard_body),
            data: header(t).cast(),
            cpyfn: None,
            arg_size: 0,
            arg_align: 1,
        },
        if_clause,
        flags,
        depend,
        priority: prio,
        detach: std::ptr::null_mut(),
        bounds: None,
    }
}

/// Create the task of `t` (deferred unless the runtime decides otherwise).
///
/// # Safety
/// `t` came from `alloc` and was not created yet; `depend` is null or a
/// GCC dependence array.
pub(super) unsafe fn launch(ts: &ThreadState, t: *mut KmpTask, if_clause: bool, depend: *const *mut c_void) {
    // SAFETY: per the contract.
    unsafe {
        let s = request(t, if_clause, depend);
        task::spawn_prepared(ts, &s, Prepared::from_handle((*header(t)).handle));
    }
}

/// `kmp_depend_info`.
#[repr(C)]
pub struct KmpDepend {
    pub base_addr: usize,
    pub len: usize,
    pub flags: u8,
}

mod dep {
    pub const IN: u8 = 1;
    pub const OUT: u8 = 2;
    pub const MTX: u8 = 4;
    pub const SET: u8 = 8;
}

/// LLVM's dependence lists as one GCC 12 dependence array (long form, see
/// runtime/task/deps.rs): out/inout, then mutexinoutset, then in, then
/// inoutset entries as `omp_depend_t` objects (kept in the second vector,
/// which must outlive the array's use).
struct GompDepend {
    words: Vec<*mut c_void>,
    _objects: Vec<[usize; 2]>,
}

impl GompDepend {
    /// # Safety
    /// Each list is `(pointer, count)` of readable `kmp_depend_info`s.
    unsafe fn new(lists: [(*const KmpDepend, i32); 2]) -> GompDepend {
        let all: Vec<&KmpDepend> = lists
            .iter()
            .filter(|(p, n)| !p.is_null() && *n > 0)
            // SAFETY: per the contract.
            .flat_map(|&(p, n)| unsafe { std::slice::from_raw_parts(p, n as usize) })
            .collect();
        // 0 out/inout, 1 mutexinoutset, 2 in, 3 inoutset.
        let classed: Vec<(u8, usize)> = all
            .iter()
            .filter_map(|d| {
                let f = d.flags;
                let class = if f & dep::MTX != 0 {
                    1
                } else if f & dep::SET != 0 {
                    3
                } else if f & dep::OUT != 0 {
                    0
                } else if f & dep::IN != 0 {
                    2
                } else {
                    eprintln!("hsomp: dependence type {f:#x} is not supported; ignored");
                    return None;
                };
                Some((class, d.base_addr))
            })
            .collect();
        let of = |k: u8| classed.iter().filter(move |c| c.0 == k).map(|c| c.1);
        let objects: Vec<[usize; 2]> = of(3).map(|a| [a, 5]).collect();
        let counts = [of(0).count(), of(1).count(), of(2).count()];
        let n = counts.iter().sum::<usize>() + objects.len();
        let mut words: Vec<*mut c_void> = [0, n, counts[0], counts[1], counts[2]].map(|w| w as *mut c_void).to_vec();
        for k in 0..3 {
            words.extend(of(k).map(|a| a as *mut c_void));
        }
        words.extend(objects.iter().map(|o| o.as_ptr() as *mut c_void));
        GompDepend { words, _objects: objects }
    }

    fn as_ptr(&self) -> *const *mut c_void {
        if self.words[1].is_null() {
            std::ptr::null()
        } else {
            self.words.as_ptr()
        }
    }
}

/// A null task is a caller's mistake: say so, and have the entry point
/// ignore the call.
pub(super) fn null_task(t: *mut KmpTask, entry: &str) -> bool {
    if t.is_null() {
        eprintln!("hsomp: {entry} called with a null task; ignored");
    }
    t.is_null()
}

crate::runtime::tls::lasting! {
    /// Undeferred tasks whose bodies the thread runs now (if0), innermost last.
    static INLINE: RefCell<Vec<(*mut KmpTask, Inline)>> = RefCell::new(Vec::new());
}

/// # Safety
/// As LLVM's runtime defines it.
#[no_mangle]
pub unsafe extern "C" fn __kmpc_omp_task_alloc(
    _loc: *const Ident,
    _gtid: i32,
    flags: i32,
    sizeof_kmp_task_t: usize,
    sizeof_shareds: usize,
    task_entry: Option<TaskEntry>,
) -> *mut KmpTask {
    alloc(flags, sizeof_kmp_task_t, sizeof_shareds, task_entry)
}

/// `target ... nowait` on the host: an ordinary task.
///
/// # Safety
/// As LLVM's runtime defines it.
#[no_mangle]
pub unsafe extern "C" fn __kmpc_omp_target_task_alloc(
    _loc: *const Ident,
    _gtid: i32,
    flags: i32,
    sizeof_kmp_task_t: usize,
    sizeof_shareds: usize,
    task_entry: Option<TaskEntry>,
    _device_id: i64,
) -> *mut KmpTask {
    alloc(flags, sizeof_kmp_task_t, sizeof_shareds, task_entry)
}

/// Create the task (or, called by the running task itself, schedule the
/// rest of its routine: module comment, untied tasks).
///
/// # Safety
/// `task` came from `__kmpc_omp_task_alloc`.
#[no_mangle]
pub unsafe extern "C" fn __kmpc_omp_task(_loc: *const Ident, _gtid: i32, task: *mut KmpTask) -> i32 {
    if null_task(task, "__kmpc_omp_task") {
        return 0;
    }
    // SAFETY: per the contract; a running task's header is only touched
    // by the thread running it, which is the caller then.
    unsafe {
        let h = header(task);
        if (*h).running {
            (*h).again = true;
        } else {
            with_state(|ts| launch(ts, task, true, std::ptr::null()));
        }
    }
    0
}

/// # Safety
/// `task` came from `__kmpc_omp_task_alloc`; the lists hold `ndeps` and
/// `ndeps_noalias` entries.
#[no_mangle]
pub unsafe extern "C" fn __kmpc_omp_task_with_deps(
    _loc: *const Ident,
    _gtid: i32,
    task: *mut KmpTask,
    ndeps: i32,
    dep_list: *const KmpDepend,
    ndeps_noalias: i32,
    noalias_dep_list: *const KmpDepend,
) -> i32 {
    if null_task(task, "__kmpc_omp_task_with_deps") {
        return 0;
    }
    // SAFETY: per the contract.
    let d = unsafe { GompDepend::new([(dep_list, ndeps), (noalias_dep_list, ndeps_noalias)]) };
    // SAFETY: per the contract; `d` outlives the call.
    with_state(|ts| unsafe { launch(ts, task, true, d.as_ptr()) });
    0
}

/// An undeferred task with dependences: wait for its predecessors (the
/// compiler runs it with `__kmpc_omp_task_begin_if0` afterwards).
///
/// # Safety
/// The lists hold `ndeps` and `ndeps_noalias` entries.
#[no_mangle]
pub unsafe extern "C" fn __kmpc_omp_wait_deps(
    _loc: *const Ident,
    _gtid: i32,
    ndeps: i32,
    dep_list: *const KmpDepend,
    ndeps_noalias: i32,
    noalias_dep_list: *const KmpDepend,
) {
    // SAFETY: per the contract.
    let d = unsafe { GompDepend::new([(dep_list, ndeps), (noalias_dep_list, ndeps_noalias)]) };
    if !d.as_ptr().is_null() {
        // SAFETY: a GCC dependence array that outlives the call.
        with_state(|ts| unsafe { task::taskwait_depend(ts, d.as_ptr() as *mut *mut c_void) });
    }
}

/// # Safety
/// `task` came from `__kmpc_omp_task_alloc`; `__kmpc_omp_task_complete_if0`
/// follows on this thread once the compiler ran the body.
#[no_mangle]
pub unsafe extern "C" fn __kmpc_omp_task_begin_if0(_loc: *const Ident, _gtid: i32, task: *mut KmpTask) {
    if null_task(task, "__kmpc_omp_task_begin_if0") {
        return;
    }
    with_state(|ts| {
        // SAFETY: per the contract.
        let i = unsafe {
            (*header(task)).running = true;
            task::begin_inline(ts, &request(task, false, std::ptr::null()), Prepared::from_handle((*header(task)).handle))
        };
        INLINE.with(|v| v.borrow_mut().push((task, i)));
    })
}

/// # Safety
/// `task` is the task of the innermost `__kmpc_omp_task_begin_if0` of this
/// thread.
#[no_mangle]
pub unsafe extern "C" fn __kmpc_omp_task_complete_if0(_loc: *const Ident, _gtid: i32, task: *mut KmpTask) {
    let top = INLINE.with(|v| {
        let mut v = v.borrow_mut();
        if v.last().is_some_and(|(t, _)| *t == task) {
            v.pop()
        } else {
            None
        }
    });
    let Some((_, i)) = top else {
        eprintln!("hsomp: __kmpc_omp_task_complete_if0 without its __kmpc_omp_task_begin_if0; ignored");
        return;
    };
    // SAFETY: the routine returned on this thread; then the body is done
    // and its privates are constructed.
    unsafe {
        run_rest(task);
        destroy_privates(task);
    }
    with_state(|ts| task::end_inline(ts, i));
}

/// `detach(event)`: the task completes once its body returned and the
/// event (the returned handle) is fulfilled (omp_fulfill_event).
///
/// # Safety
/// `task` came from `__kmpc_omp_task_alloc` and was not created yet.
#[no_mangle]
pub unsafe extern "C" fn __kmpc_task_allow_completion_event(_loc: *const Ident, _gtid: i32, task: *mut KmpTask) -> *mut c_void {
    if null_task(task, "__kmpc_task_allow_completion_event") {
        return std::ptr::null_mut();
    }
    // SAFETY: per the contract.
    let h = unsafe { &mut *header(task) };
    h.detach = true;
    h.handle as *mut c_void
}

/// The `affinity` clause is a hint we do not use.
#[no_mangle]
pub extern "C" fn __kmpc_omp_reg_task_with_affinity(
    _loc: *const Ident,
    _gtid: i32,
    _task: *mut KmpTask,
    _naffins: i32,
    _affin_list: *mut c_void,
) -> i32 {
    0
}

#[no_mangle]
pub extern "C" fn __kmpc_omp_taskwait(_loc: *const Ident, _gtid: i32) -> i32 {
    with_state(task::taskwait);
    0
}

#[no_mangle]
pub extern "C" fn __kmpc_omp_taskyield(_loc: *const Ident, _gtid: i32, _end_part: i32) -> i32 {
    with_state(task::taskyield);
    0
}

#[no_mangle]
pub extern "C" fn __kmpc_taskgroup(_loc: *const Ident, _gtid: i32) {
    with_state(task::taskgroup_start)
}

/// Waits for the group's tasks, then finishes the task reductions
/// registered for it (runtime/reduction/kmpc.rs).
#[no_mangle]
pub extern "C" fn __kmpc_end_taskgroup(_loc: *const Ident, _gtid: i32) {
    with_state(|ts| {
        let group = task::current_taskgroup(ts);
        task::taskgroup_end(ts);
        red::group_ended(group);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_keeps_the_task_aligned() {
        assert_eq!(HEADER, 64);
        // in the descriptor, and on the heap
        for privates in [8, 1000] {
            let t = alloc(kflag::TIED, 40 + privates, 12, None);
            // SAFETY: a task just allocated.
            unsafe {
                assert_eq!(t as usize % 64, 0);
                assert_eq!((*t).shareds as usize, t as usize + 40 + privates);
                let c = duplicate(t);
                assert_eq!(c as usize % 64, 0);
                assert_eq!((*c).shareds as usize, c as usize + 40 + privates);
                discard(c);
                discard(t);
            }
        }
    }

    #[test]
    fn dependences_become_a_gcc_array() {
        let list = [
            KmpDepend { base_addr: 10, len: 4, flags: dep::IN },
            KmpDepend { base_addr: 20, len: 4, flags: dep::IN | dep::OUT },
            KmpDepend { base_addr: 30, len: 4, flags: dep::MTX },
        ];
        let extra = [KmpDepend { base_addr: 40, len: 4, flags: dep::SET }];
        // SAFETY: the lists above.
        let d = unsafe { GompDepend::new([(list.as_ptr(), 3), (extra.as_ptr(), 1)]) };
        let w: Vec<usize> = d.words.iter().map(|&p| p as usize).collect();
        assert_eq!(&w[..8], &[0, 4, 1, 1, 1, 20, 30, 10]);
        // SAFETY: the depobj entry points at a live [address, kind] pair.
        assert_eq!(unsafe { *(w[8] as *const [usize; 2]) }, [40, 5]);
        // SAFETY: no lists.
        let none = unsafe { GompDepend::new([(std::ptr::null(), 0), (std::ptr::null(), 0)]) };
        assert!(none.as_ptr().is_null());
    }
}
