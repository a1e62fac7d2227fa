//! Loops with run-time chunks: `__kmpc_dispatch_{init,next,fini}_*`
//! (runtime/kmpc/dispatch.rs).

use super::Ident;
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

macro_rules! dispatch_fns {
    ($($init:ident, $next:ident, $fini:ident: $t:ty;)+) => {$(
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
    __kmpc_dispatch_init_4, __kmpc_dispatch_next_4, __kmpc_dispatch_fini_4: i32;
    __kmpc_dispatch_init_4u, __kmpc_dispatch_next_4u, __kmpc_dispatch_fini_4u: u32;
    __kmpc_dispatch_init_8, __kmpc_dispatch_next_8, __kmpc_dispatch_fini_8: i64;
    __kmpc_dispatch_init_8u, __kmpc_dispatch_next_8u, __kmpc_dispatch_fini_8u: u64;
}
