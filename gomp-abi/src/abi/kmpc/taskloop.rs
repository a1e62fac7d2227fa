//! `#pragma omp taskloop` in LLVM's ABI: the compiler allocates one
//! pattern task whose `kmp_task_t` holds the loop's bounds (`*lb`, `*ub`,
//! inclusive, step `st`); each chunk is a copy of the pattern with its own
//! bounds, finished by the compiler's `task_dup` (firstprivate copies, the
//! last-iteration flag of lastprivate). The pattern itself never runs.
//! Clang wraps the loop in its own taskgroup (and task reductions) and
//! passes `nogroup` = 1; we open one when it does not.

use super::task::{discard, duplicate, launch, null_task, KmpTask};
use super::Ident;
use crate::runtime::task::taskloop::Partition;
use crate::runtime::task::{self, flag};
use crate::runtime::team::with_state;

/// `task_dup(copy, pattern, last)`.
type TaskDup = unsafe extern "C" fn(*mut KmpTask, *mut KmpTask, i32);

/// Trip count of `lb..=ub` by `st` in LLVM's unsigned arithmetic (the
/// compiler only calls for a non-empty loop).
fn trip_count(lb: u64, ub: u64, st: i64) -> u64 {
    if st == 1 {
        ub.wrapping_sub(lb).wrapping_add(1)
    } else if st < 0 {
        lb.wrapping_sub(ub) / st.unsigned_abs() + 1
    } else {
        ub.wrapping_sub(lb) / (st as u64).max(1) + 1
    }
}

/// GCC's partition flags for LLVM's `sched` (0 none, 1 grainsize,
/// 2 num_tasks) and `strict` modifier.
fn partition_flags(sched: i32, strict: bool) -> u32 {
    match sched {
        1 if strict => flag::GRAINSIZE | flag::STRICT,
        1 => flag::GRAINSIZE,
        _ => 0,
    }
}

/// # Safety
/// As `__kmpc_taskloop_5`.
#[allow(clippy::too_many_arguments)]
unsafe fn taskloop(
    task: *mut KmpTask,
    if_val: i32,
    lb: *mut u64,
    ub: *mut u64,
    st: i64,
    nogroup: i32,
    sched: i32,
    grainsize: u64,
    strict: bool,
    task_dup: Option<TaskDup>,
) {
    if null_task(task, "__kmpc_taskloop") {
        return;
    }
    if lb.is_null() || ub.is_null() {
        eprintln!("hsomp: __kmpc_taskloop called without loop bounds; ignored");
        return;
    }
    with_state(|ts| {
        if nogroup == 0 {
            task::taskgroup_start(ts);
        }
        // SAFETY: lb and ub point into the pattern's kmp_task_t (caller's
        // contract); copies have them at the same offsets.
        unsafe {
            let (lower, upper) = (*lb, *ub);
            let (lb_at, ub_at) = ((lb as usize) - (task as usize), (ub as usize) - (task as usize));
            let n = trip_count(lower, upper, st);
            let nthreads = ts.team().map_or(1, |t| t.cfg().nthreads);
            let num = if sched == 0 { 0 } else { grainsize };
            let part = Partition::new(n, partition_flags(sched, strict), num, u64::from(nthreads));
            let mut lo = lower;
            for i in 0..part.chunks {
                let hi = lo.wrapping_add((part.len(i) - 1).wrapping_mul(st as u64));
                let c = duplicate(task);
                *(c as *mut u8).add(lb_at).cast::<u64>() = lo;
                *(c as *mut u8).add(ub_at).cast::<u64>() = hi;
                if let Some(dup) = task_dup {
                    dup(c, task, i32::from(i + 1 == part.chunks));
                }
                launch(ts, c, if_val != 0, std::ptr::null());
                lo = hi.wrapping_add(st as u64);
            }
            discard(task);
        }
        if nogroup == 0 {
            task::taskgroup_end(ts);
        }
    })
}

/// # Safety
/// `task` came from `__kmpc_omp_task_alloc`; `lb`/`ub` point into it.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn __kmpc_taskloop(
    _loc: *const Ident,
    _gtid: i32,
    task: *mut KmpTask,
    if_val: i32,
    lb: *mut u64,
    ub: *mut u64,
    st: i64,
    nogroup: i32,
    sched: i32,
    grainsize: u64,
    task_dup: Option<TaskDup>,
) {
    // SAFETY: per the contract.
    unsafe { taskloop(task, if_val, lb, ub, st, nogroup, sched, grainsize, false, task_dup) }
}

/// `__kmpc_taskloop` with the `strict` modifier of grainsize / num_tasks.
///
/// # Safety
/// As `__kmpc_taskloop`.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn __kmpc_taskloop_5(
    _loc: *const Ident,
    _gtid: i32,
    task: *mut KmpTask,
    if_val: i32,
    lb: *mut u64,
    ub: *mut u64,
    st: i64,
    nogroup: i32,
    sched: i32,
    grainsize: u64,
    modifier: i32,
    task_dup: Option<TaskDup>,
) {
    // SAFETY: per the contract.
    unsafe { taskloop(task, if_val, lb, ub, st, nogroup, sched, grainsize, modifier != 0, task_dup) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trip_counts() {
        assert_eq!(trip_count(0, 99, 1), 100);
        assert_eq!(trip_count(0, 99, 7), 15);
        assert_eq!(trip_count(10, 1, -3), 4);
        assert_eq!(trip_count((-5i64) as u64, 5, 1), 11);
        assert_eq!(trip_count((-5i64) as u64, (-20i64) as u64, -5), 4);
    }
}
