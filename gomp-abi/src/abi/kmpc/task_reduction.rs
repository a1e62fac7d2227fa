//! Task reductions in LLVM's ABI: `taskgroup task_reduction(...)` and
//! `taskloop reduction(...)` (`__kmpc_taskred_init` inside the taskgroup),
//! `reduction(task, ...)` on parallel and worksharing constructs
//! (`__kmpc_taskred_modifier_init` ... `_modifier_fini`), and
//! `in_reduction` (`__kmpc_task_reduction_get_th_data`). The registries
//! are runtime/reduction/kmpc.rs; the end of the taskgroup
//! (`__kmpc_end_taskgroup`, task.rs) combines them.

use std::ffi::c_void;

use super::Ident;
use crate::runtime::reduction::kmpc::{self as red, CombFn, InitFn, ItemSpec, OneArgFn, Registry};
use crate::runtime::task;
use crate::runtime::team::with_state;

/// `kmp_taskred_input_t`.
#[repr(C)]
pub struct TaskredInput {
    pub reduce_shar: *mut u8,
    pub reduce_orig: *mut u8,
    pub reduce_size: usize,
    pub reduce_init: Option<InitFn>,
    pub reduce_fini: Option<OneArgFn>,
    pub reduce_comb: Option<CombFn>,
    pub flags: u32,
}

/// `kmp_task_red_input_t` (the older form: init takes the copy only).
#[repr(C)]
pub struct TaskRedInput {
    pub reduce_shar: *mut u8,
    pub reduce_size: usize,
    pub reduce_init: Option<OneArgFn>,
    pub reduce_fini: Option<OneArgFn>,
    pub reduce_comb: Option<CombFn>,
    pub flags: u32,
}

impl From<&TaskredInput> for ItemSpec {
    fn from(d: &TaskredInput) -> ItemSpec {
        ItemSpec {
            shared: d.reduce_shar,
            size: d.reduce_size,
            init: d.reduce_init.map_or(red::Init::None, |f| red::Init::WithOrig(f, d.reduce_orig)),
            fini: d.reduce_fini,
            comb: d.reduce_comb,
        }
    }
}

impl From<&TaskRedInput> for ItemSpec {
    fn from(d: &TaskRedInput) -> ItemSpec {
        ItemSpec {
            shared: d.reduce_shar,
            size: d.reduce_size,
            init: d.reduce_init.map_or(red::Init::None, red::Init::Plain),
            fini: d.reduce_fini,
            comb: d.reduce_comb,
        }
    }
}

/// Register `num` items of type `T` for the calling task's innermost
/// taskgroup; returns the handle tasks pass to `get_th_data`.
///
/// # Safety
/// `data` holds `num` descriptions as the compiler emits them.
unsafe fn init<T>(num: i32, data: *const T) -> *mut c_void
where
    for<'a> &'a T: Into<ItemSpec>,
{
    // SAFETY: per the contract.
    let specs: Vec<ItemSpec> = unsafe { std::slice::from_raw_parts(data, num.max(0) as usize) }.iter().map(Into::into).collect();
    with_state(|ts| {
        let nthreads = ts.team().map_or(1, |t| t.cfg().nthreads);
        // SAFETY: the compiler's routines and addresses.
        unsafe { red::register(&specs, nthreads, task::current_taskgroup(ts)) as *mut c_void }
    })
}

/// # Safety
/// `data` holds `num` `kmp_taskred_input_t`s; called inside a taskgroup.
#[no_mangle]
pub unsafe extern "C" fn __kmpc_taskred_init(_gtid: i32, num: i32, data: *const TaskredInput) -> *mut c_void {
    // SAFETY: per the contract.
    unsafe { init(num, data) }
}

/// # Safety
/// `data` holds `num` `kmp_task_red_input_t`s; called inside a taskgroup.
#[no_mangle]
pub unsafe extern "C" fn __kmpc_task_reduction_init(_gtid: i32, num: i32, data: *const TaskRedInput) -> *mut c_void {
    // SAFETY: per the contract.
    unsafe { init(num, data) }
}

/// `reduction(task, ...)`: every thread of the construct opens a taskgroup
/// with its own registry, whose shared variables are its private copies
/// (runtime/reduction/kmpc.rs).
///
/// # Safety
/// `data` holds `num` `kmp_taskred_input_t`s.
#[no_mangle]
pub unsafe extern "C" fn __kmpc_taskred_modifier_init(
    _loc: *const Ident,
    _gtid: i32,
    _is_ws: i32,
    num: i32,
    data: *const TaskredInput,
) -> *mut c_void {
    with_state(task::taskgroup_start);
    // SAFETY: per the contract.
    unsafe { init(num, data) }
}

/// # Safety
/// `data` holds `num` `kmp_task_red_input_t`s.
#[no_mangle]
pub unsafe extern "C" fn __kmpc_task_reduction_modifier_init(
    _loc: *const Ident,
    _gtid: i32,
    _is_ws: i32,
    num: i32,
    data: *const TaskRedInput,
) -> *mut c_void {
    with_state(task::taskgroup_start);
    // SAFETY: per the contract.
    unsafe { init(num, data) }
}

/// End of the construct's task reductions: its taskgroup ends and the
/// copies are combined into the thread's private variables.
#[no_mangle]
pub extern "C" fn __kmpc_task_reduction_modifier_fini(loc: *const Ident, gtid: i32, _is_ws: i32) {
    super::task::__kmpc_end_taskgroup(loc, gtid)
}

/// The calling thread's copy of the reduction item `data` (its shared
/// variable or any copy) registered in `tg` (null: the thread's innermost
/// registry) or an enclosing one.
///
/// # Safety
/// `tg` is null or a handle returned by an init above whose taskgroup has
/// not ended.
#[no_mangle]
pub unsafe extern "C" fn __kmpc_task_reduction_get_th_data(_gtid: i32, tg: *mut c_void, data: *mut c_void) -> *mut c_void {
    let reg: *const Registry = if tg.is_null() { red::innermost() } else { tg as *const Registry };
    let tid = with_state(|ts| ts.cur().tid);
    // SAFETY: per the contract, a live registry (or null).
    match unsafe { reg.as_ref() }.and_then(|r| r.find(data.cast(), tid)) {
        Some(p) => p.cast(),
        None => {
            eprintln!("hsomp: fatal: __kmpc_task_reduction_get_th_data: {data:p} is no task reduction item of this task");
            std::process::abort();
        }
    }
}
