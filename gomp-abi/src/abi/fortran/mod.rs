//! The Fortran `omp_lib` routines, as gfortran calls them: the C name with
//! a trailing underscore, every argument by reference (`&i32` here: Fortran
//! passes the address of a live, aligned variable), `logical` results and
//! arguments as 0/1 integers of the same kind. The generic interfaces of
//! `omp_lib` call a `_8` variant when the argument is `integer(8)` (or
//! `logical(8)`); its value is clamped into the C `int` of the routine it
//! goes to. Each routine is a shell over the C entry point of the same
//! name, so both languages run the same code.
//!
//! Locks are in `lock.rs`, the routines with `character` arguments in
//! `affinity.rs`. Symbol versions: `abi/libgomp12-fortran-symbols.txt`.

mod affinity;
mod lock;

use std::ffi::{c_int, c_void};

use crate::abi::{alloc, hsomp, icv, pause, task, team, teams, time};
use crate::runtime::alloc::Handle;
use crate::runtime::icv::sched;

/// A Fortran integer argument as the C `int` of the routine it goes to:
/// `integer(8)` values are clamped (a nonzero `logical(8)` stays nonzero).
trait ToCInt: Copy {
    fn to_c(self) -> c_int;
}

impl ToCInt for i32 {
    fn to_c(self) -> c_int {
        self
    }
}

impl ToCInt for i64 {
    fn to_c(self) -> c_int {
        self.clamp(c_int::MIN.into(), c_int::MAX.into()) as c_int
    }
}

/// `name_()` returning what `name()` returns.
macro_rules! no_argument {
    ($($f:ident => $m:ident::$c:ident -> $t:ty),* $(,)?) => {$(
        #[no_mangle]
        pub extern "C" fn $f() -> $t {
            $m::$c()
        }
    )*};
}

/// `name_(&x)` (and `name_8_(&x)` for integer(8)) calling `name(x)`.
macro_rules! one_argument {
    ($($f:ident($t:ty) => $m:ident::$c:ident $(-> $r:ty)?),* $(,)?) => {$(
        #[no_mangle]
        pub extern "C" fn $f(x: &$t) $(-> $r)? {
            $m::$c(x.to_c())
        }
    )*};
}

no_argument! {
    omp_get_active_level_ => team::omp_get_active_level -> c_int,
    omp_get_cancellation_ => icv::omp_get_cancellation -> c_int,
    omp_get_default_device_ => icv::omp_get_default_device -> c_int,
    omp_get_device_num_ => hsomp::omp_get_device_num -> c_int,
    omp_get_dynamic_ => icv::omp_get_dynamic -> c_int,
    omp_get_initial_device_ => hsomp::omp_get_initial_device -> c_int,
    omp_get_level_ => team::omp_get_level -> c_int,
    omp_get_max_active_levels_ => icv::omp_get_max_active_levels -> c_int,
    omp_get_max_task_priority_ => icv::omp_get_max_task_priority -> c_int,
    omp_get_max_teams_ => icv::omp_get_max_teams -> c_int,
    omp_get_max_threads_ => icv::omp_get_max_threads -> c_int,
    omp_get_nested_ => icv::omp_get_nested -> c_int,
    omp_get_num_devices_ => hsomp::omp_get_num_devices -> c_int,
    omp_get_num_places_ => icv::omp_get_num_places -> c_int,
    omp_get_num_procs_ => team::omp_get_num_procs -> c_int,
    omp_get_num_teams_ => teams::omp_get_num_teams -> c_int,
    omp_get_num_threads_ => team::omp_get_num_threads -> c_int,
    omp_get_partition_num_places_ => icv::omp_get_partition_num_places -> c_int,
    omp_get_place_num_ => icv::omp_get_place_num -> c_int,
    omp_get_proc_bind_ => icv::omp_get_proc_bind -> c_int,
    omp_get_supported_active_levels_ => icv::omp_get_supported_active_levels -> c_int,
    omp_get_team_num_ => teams::omp_get_team_num -> c_int,
    omp_get_teams_thread_limit_ => icv::omp_get_teams_thread_limit -> c_int,
    omp_get_thread_limit_ => icv::omp_get_thread_limit -> c_int,
    omp_get_thread_num_ => team::omp_get_thread_num -> c_int,
    omp_in_final_ => task::omp_in_final -> c_int,
    omp_in_parallel_ => team::omp_in_parallel -> c_int,
    omp_is_initial_device_ => hsomp::omp_is_initial_device -> c_int,
    omp_get_wtick_ => time::omp_get_wtick -> f64,
    omp_get_wtime_ => time::omp_get_wtime -> f64,
    omp_get_default_allocator_ => alloc::omp_get_default_allocator -> Handle,
}

one_argument! {
    omp_set_default_device_(i32) => icv::omp_set_default_device,
    omp_set_default_device_8_(i64) => icv::omp_set_default_device,
    omp_set_dynamic_(i32) => icv::omp_set_dynamic,
    omp_set_dynamic_8_(i64) => icv::omp_set_dynamic,
    omp_set_max_active_levels_(i32) => icv::omp_set_max_active_levels,
    omp_set_max_active_levels_8_(i64) => icv::omp_set_max_active_levels,
    omp_set_nested_(i32) => icv::omp_set_nested,
    omp_set_nested_8_(i64) => icv::omp_set_nested,
    omp_set_num_teams_(i32) => icv::omp_set_num_teams,
    omp_set_num_teams_8_(i64) => icv::omp_set_num_teams,
    omp_set_num_threads_(i32) => icv::omp_set_num_threads,
    omp_set_num_threads_8_(i64) => icv::omp_set_num_threads,
    omp_set_teams_thread_limit_(i32) => icv::omp_set_teams_thread_limit,
    omp_set_teams_thread_limit_8_(i64) => icv::omp_set_teams_thread_limit,
    omp_display_env_(i32) => icv::omp_display_env,
    omp_display_env_8_(i64) => icv::omp_display_env,
    omp_get_ancestor_thread_num_(i32) => team::omp_get_ancestor_thread_num -> c_int,
    omp_get_ancestor_thread_num_8_(i64) => team::omp_get_ancestor_thread_num -> c_int,
    omp_get_team_size_(i32) => team::omp_get_team_size -> c_int,
    omp_get_team_size_8_(i64) => team::omp_get_team_size -> c_int,
    omp_get_place_num_procs_(i32) => icv::omp_get_place_num_procs -> c_int,
    omp_get_place_num_procs_8_(i64) => icv::omp_get_place_num_procs -> c_int,
    omp_pause_resource_all_(i32) => pause::omp_pause_resource_all -> c_int,
}

#[no_mangle]
pub extern "C" fn omp_pause_resource_(kind: &i32, device_num: &i32) -> c_int {
    pause::omp_pause_resource(*kind, *device_num)
}

#[no_mangle]
pub extern "C" fn omp_set_schedule_(kind: &i32, chunk: &i32) {
    icv::omp_set_schedule(*kind, *chunk);
}

#[no_mangle]
pub extern "C" fn omp_set_schedule_8_(kind: &i32, chunk: &i64) {
    icv::omp_set_schedule(*kind, chunk.to_c());
}

/// The run-sched-var as `omp_get_schedule` gives it, without the
/// monotonic bit (Fortran's omp_sched_kind has no such value; GCC's runtime
/// masks it too).
fn schedule() -> (c_int, c_int) {
    let (mut kind, mut chunk) = (0, 0);
    // SAFETY: two valid out-pointers.
    unsafe { icv::omp_get_schedule(&mut kind, &mut chunk) };
    (kind & !sched::MONOTONIC, chunk)
}

#[no_mangle]
pub extern "C" fn omp_get_schedule_(kind: &mut i32, chunk: &mut i32) {
    (*kind, *chunk) = schedule();
}

#[no_mangle]
pub extern "C" fn omp_get_schedule_8_(kind: &mut i32, chunk: &mut i64) {
    let (k, c) = schedule();
    (*kind, *chunk) = (k, c.into());
}

/// Places: `ids(*)` receives `omp_get_place_num_procs(place)` values.
///
/// # Safety
/// `ids` is valid for `omp_get_place_num_procs(place)` writes.
#[no_mangle]
pub unsafe extern "C" fn omp_get_place_proc_ids_(place: &i32, ids: *mut i32) {
    // SAFETY: the caller's contract is the C routine's.
    unsafe { icv::omp_get_place_proc_ids(*place, ids) }
}

/// # Safety
/// `ids` is valid for `omp_get_place_num_procs(place)` writes.
#[no_mangle]
pub unsafe extern "C" fn omp_get_place_proc_ids_8_(place: &i64, ids: *mut i64) {
    let place = place.to_c();
    let mut wide = vec![0; icv::omp_get_place_num_procs(place).max(0) as usize];
    // SAFETY: `wide` holds omp_get_place_num_procs(place) ints.
    unsafe { icv::omp_get_place_proc_ids(place, wide.as_mut_ptr()) };
    // SAFETY: the caller's array holds one element per id (contract).
    unsafe { widen(&wide, ids) }
}

/// `place_nums(*)` receives `omp_get_partition_num_places()` values.
///
/// # Safety
/// `places` is valid for `omp_get_partition_num_places()` writes.
#[no_mangle]
pub unsafe extern "C" fn omp_get_partition_place_nums_(places: *mut i32) {
    // SAFETY: the caller's contract is the C routine's.
    unsafe { icv::omp_get_partition_place_nums(places) }
}

/// # Safety
/// `places` is valid for `omp_get_partition_num_places()` writes.
#[no_mangle]
pub unsafe extern "C" fn omp_get_partition_place_nums_8_(places: *mut i64) {
    let mut wide = vec![0; icv::omp_get_partition_num_places().max(0) as usize];
    // SAFETY: `wide` holds omp_get_partition_num_places() ints.
    unsafe { icv::omp_get_partition_place_nums(wide.as_mut_ptr()) };
    // SAFETY: the caller's array holds one element per place (contract).
    unsafe { widen(&wide, places) }
}

/// Copy C ints into a Fortran integer(8) array.
///
/// # Safety
/// `out` is valid for `values.len()` writes.
unsafe fn widen(values: &[c_int], out: *mut i64) {
    for (i, &v) in values.iter().enumerate() {
        // SAFETY: i < values.len() (contract).
        unsafe { out.add(i).write(v.into()) };
    }
}

/// The event handle comes by value (`value` in omp_lib's interface).
///
/// # Safety
/// As `omp_fulfill_event`.
#[no_mangle]
pub unsafe extern "C" fn omp_fulfill_event_(event: *mut c_void) {
    // SAFETY: caller contract.
    unsafe { task::omp_fulfill_event(event) }
}

/// Allocator handles are `integer(omp_allocator_handle_kind)` (pointer
/// sized); Fortran's `omp_alloctrait` has the C struct's layout.
///
/// # Safety
/// `traits` holds `ntraits` traits.
#[no_mangle]
pub unsafe extern "C" fn omp_init_allocator_(memspace: &usize, ntraits: &i32, traits: *const alloc::AllocTrait) -> Handle {
    // SAFETY: caller contract.
    unsafe { alloc::omp_init_allocator(*memspace, *ntraits, traits) }
}

/// # Safety
/// As `omp_init_allocator_`.
#[no_mangle]
pub unsafe extern "C" fn omp_init_allocator_8_(memspace: &usize, ntraits: &i64, traits: *const alloc::AllocTrait) -> Handle {
    // SAFETY: caller contract.
    unsafe { alloc::omp_init_allocator(*memspace, ntraits.to_c(), traits) }
}

/// # Safety
/// As `omp_destroy_allocator`.
#[no_mangle]
pub unsafe extern "C" fn omp_destroy_allocator_(allocator: &Handle) {
    // SAFETY: caller contract.
    unsafe { alloc::omp_destroy_allocator(*allocator) }
}

#[no_mangle]
pub extern "C" fn omp_set_default_allocator_(allocator: &Handle) {
    alloc::omp_set_default_allocator(*allocator);
}
