//! Loops with run-time chunks: `__kmpc_dispatch_{init,next,fini}_*`
//! (runtime/kmpc/dispatch.rs).

use super::Ident;
use crate::runtime::kmpc::static_sched::{sched, static_share, Loop};
use crate::runtime::kmpc::{dispatch, LoopInt};
use crate::runtime::team::with_state;

/// # Safety
/// The out-pointers are clang's (`p_last` and `p_st` may be null).
unsafe fn next<T: LoopInt>(p_last: *mut i32, p_lb: *mut T, p_ub: *mut T, p_st: *mut T::Signed) -> i32 {
    let Some(c) = with_state(dispatch::next_chunk) else { return 0 };
    // SAFETY: caller's contract.
    unsafe {
        *p_lb = T::from_bits(c.lower);
        *p_ub = T::from_bits(c.upper);
        if !p_st.is_null() {
            *p_st = T::narrow_signed(i128::from(c.stride as i64));
        }
        if !p_last.is_null() {
            *p_last = i32::from(c.last);
        }
    }
    1
}

/// `distribute parallel for schedule(dynamic...)`: the team's block of the
/// loop (blocked split among the league), then a dispatched loop over it.
///
/// # Safety
/// `p_last` is null or clang's out-parameter.
unsafe fn dist_init<T: LoopInt>(schedule: i32, p_last: *mut i32, lb: T, ub: T, st: T::Signed, chunk: T::Signed) {
    with_state(|ts| {
        let league = ts.cur().icv.league;
        let l = Loop { lower: lb.widen(), upper: ub.widen(), incr: T::widen_signed(st), chunk: 0 };
        let block = static_share(sched::STATIC, l, u64::from(league.team_num), u64::from(league.num_teams), (T::MIN, T::MAX));
        if !p_last.is_null() {
            // SAFETY: caller's contract.
            unsafe { *p_last = i32::from(block.last) };
        }
        dispatch::init(ts, schedule, block.lower, block.upper, l.incr, T::widen_signed(chunk))
    })
}

macro_rules! dispatch_fns {
    ($($init:ident, $dist:ident, $next:ident, $fini:ident: $t:ty;)+) => {$(
        #[no_mangle]
        pub extern "C" fn $init(
            _loc: *const Ident,
            _gtid: i32,
            schedule: i32,
            lb: $t,
            ub: $t,
            st: <$t as LoopInt>::Signed,
            chunk: <$t as LoopInt>::Signed,
        ) {
            with_state(|ts| {
                dispatch::init(ts, schedule, lb.widen(), ub.widen(), <$t>::widen_signed(st), <$t>::widen_signed(chunk))
            })
        }

        /// # Safety
        /// `p_last` is null or clang's out-parameter.
        #[no_mangle]
        #[allow(clippy::too_many_arguments)]
        pub unsafe extern "C" fn $dist(
            _loc: *const Ident,
            _gtid: i32,
            schedule: i32,
            p_last: *mut i32,
            lb: $t,
            ub: $t,
            st: <$t as LoopInt>::Signed,
            chunk: <$t as LoopInt>::Signed,
        ) {
            // SAFETY: caller's contract.
            unsafe { dist_init::<$t>(schedule, p_last, lb, ub, st, chunk) }
        }

        /// # Safety
        /// clang's out-pointers for the next chunk.
        #[no_mangle]
        pub unsafe extern "C" fn $next(
            _loc: *const Ident,
            _gtid: i32,
            p_last: *mut i32,
            p_lb: *mut $t,
            p_ub: *mut $t,
            p_st: *mut <$t as LoopInt>::Signed,
        ) -> i32 {
            // SAFETY: caller's contract.
            unsafe { next::<$t>(p_last, p_lb, p_ub, p_st) }
        }

        /// After each iteration of an ordered loop: the ordered baton moves
        /// with the next chunk (runtime/kmpc/dispatch.rs), nothing to do here.
        #[no_mangle]
        pub extern "C" fn $fini(_loc: *const Ident, _gtid: i32) {}
    )+};
}

dispatch_fns! {
    __kmpc_dispatch_init_4, __kmpc_dist_dispatch_init_4, __kmpc_dispatch_next_4, __kmpc_dispatch_fini_4: i32;
    __kmpc_dispatch_init_4u, __kmpc_dist_dispatch_init_4u, __kmpc_dispatch_next_4u, __kmpc_dispatch_fini_4u: u32;
    __kmpc_dispatch_init_8, __kmpc_dist_dispatch_init_8, __kmpc_dispatch_next_8, __kmpc_dispatch_fini_8: i64;
    __kmpc_dispatch_init_8u, __kmpc_dist_dispatch_init_8u, __kmpc_dispatch_next_8u, __kmpc_dispatch_fini_8u: u64;
}
