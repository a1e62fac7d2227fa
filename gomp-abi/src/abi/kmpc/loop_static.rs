//! `#pragma omp for` / `distribute` with a static schedule: each thread
//! computes its own bounds (runtime/kmpc/static_sched.rs).

use super::Ident;
use crate::runtime::kmpc::static_sched::{dist_share, sched, static_share, Bounds, Loop};
use crate::runtime::kmpc::LoopInt;
use crate::runtime::team::with_state;

/// # Safety
/// The pointers are clang's in-out arguments (`plastiter` may be null).
unsafe fn static_init<T: LoopInt>(
    schedtype: i32,
    plastiter: *mut i32,
    plower: *mut T,
    pupper: *mut T,
    pstride: *mut T::Signed,
    incr: T::Signed,
    chunk: T::Signed,
) {
    let mut schedule = schedtype & !sched::MODIFIERS;
    let (tid, nth) = with_state(|ts| {
        let cur = ts.cur();
        if matches!(schedule, sched::DISTRIBUTE_STATIC | sched::DISTRIBUTE_STATIC_CHUNKED) {
            schedule -= sched::DISTRIBUTE_STATIC - sched::STATIC;
            (u64::from(cur.icv.league.team_num), u64::from(cur.icv.league.num_teams))
        } else {
            (u64::from(cur.tid), ts.team().map_or(1, |t| u64::from(t.cfg().nthreads)))
        }
    });
    // SAFETY: caller's contract.
    let (lower, upper) = unsafe { ((*plower).widen(), (*pupper).widen()) };
    let l = Loop { lower, upper, incr: T::widen_signed(incr), chunk: T::widen_signed(chunk) };
    let b = static_share(schedule, l, tid, nth, (T::MIN, T::MAX));
    // SAFETY: caller's contract.
    unsafe { store(&b, plastiter, plower, pupper, pstride) }
}

/// Hand a thread's share back through clang's in-out arguments.
///
/// # Safety
/// As for `static_init`.
unsafe fn store<T: LoopInt>(b: &Bounds, plastiter: *mut i32, plower: *mut T, pupper: *mut T, pstride: *mut T::Signed) {
    // SAFETY: caller's contract.
    unsafe {
        *plower = T::narrow(b.lower);
        *pupper = T::narrow(b.upper);
        *pstride = T::narrow_signed(b.stride);
        if !plastiter.is_null() {
            *plastiter = i32::from(b.last);
        }
    }
}

macro_rules! static_inits {
    ($($name:ident: $t:ty;)+) => {$(
        /// # Safety
        /// clang's in-out arguments of a static loop.
        #[no_mangle]
        #[allow(clippy::too_many_arguments)]
        pub unsafe extern "C" fn $name(
            _loc: *const Ident,
            _gtid: i32,
            schedtype: i32,
            plastiter: *mut i32,
            plower: *mut $t,
            pupper: *mut $t,
            pstride: *mut <$t as LoopInt>::Signed,
            incr: <$t as LoopInt>::Signed,
            chunk: <$t as LoopInt>::Signed,
        ) {
            // SAFETY: caller's contract.
            unsafe { static_init::<$t>(schedtype, plastiter, plower, pupper, pstride, incr, chunk) }
        }
    )+};
}

static_inits! {
    __kmpc_for_static_init_4: i32;
    __kmpc_for_static_init_4u: u32;
    __kmpc_for_static_init_8: i64;
    __kmpc_for_static_init_8u: u64;
}

/// # Safety
/// The pointers are clang's in-out arguments (`plastiter` may be null).
#[allow(clippy::too_many_arguments)]
unsafe fn dist_init<T: LoopInt>(
    schedtype: i32,
    plastiter: *mut i32,
    plower: *mut T,
    pupper: *mut T,
    pupper_dist: *mut T,
    pstride: *mut T::Signed,
    incr: T::Signed,
    chunk: T::Signed,
) {
    let schedule = schedtype & !sched::MODIFIERS;
    let (team, thread) = with_state(|ts| {
        let cur = ts.cur();
        let league = (u64::from(cur.icv.league.team_num), u64::from(cur.icv.league.num_teams));
        (league, (u64::from(cur.tid), ts.team().map_or(1, |t| u64::from(t.cfg().nthreads))))
    });
    // SAFETY: caller's contract.
    let (lower, upper) = unsafe { ((*plower).widen(), (*pupper).widen()) };
    let l = Loop { lower, upper, incr: T::widen_signed(incr), chunk: T::widen_signed(chunk) };
    let (b, upper_dist) = dist_share(schedule, l, team, thread, (T::MIN, T::MAX));
    // SAFETY: caller's contract.
    unsafe {
        *pupper_dist = T::narrow(upper_dist);
        store(&b, plastiter, plower, pupper, pstride);
    }
}

macro_rules! dist_inits {
    ($($name:ident: $t:ty;)+) => {$(
        /// `distribute parallel for`: the team's block, then this thread's share.
        ///
        /// # Safety
        /// clang's in-out arguments.
        #[no_mangle]
        #[allow(clippy::too_many_arguments)]
        pub unsafe extern "C" fn $name(
            _loc: *const Ident,
            _gtid: i32,
            schedtype: i32,
            plastiter: *mut i32,
            plower: *mut $t,
            pupper: *mut $t,
            pupper_dist: *mut $t,
            pstride: *mut <$t as LoopInt>::Signed,
            incr: <$t as LoopInt>::Signed,
            chunk: <$t as LoopInt>::Signed,
        ) {
            // SAFETY: caller's contract.
            unsafe { dist_init::<$t>(schedtype, plastiter, plower, pupper, pupper_dist, pstride, incr, chunk) }
        }
    )+};
}

dist_inits! {
    __kmpc_dist_for_static_init_4: i32;
    __kmpc_dist_for_static_init_4u: u32;
    __kmpc_dist_for_static_init_8: i64;
    __kmpc_dist_for_static_init_8u: u64;
}

/// The end of a static loop: nothing to release (clang emits the barrier).
#[no_mangle]
pub extern "C" fn __kmpc_for_static_fini(_loc: *const Ident, _gtid: i32) {}
