//! `#pragma omp teams` on the host: entry points over runtime/teams.rs
//! (a league runs on the encountering thread, one team after another).

use std::ffi::{c_int, c_uint, c_void};

use crate::runtime::team::{with_state, Outlined};
use crate::runtime::teams;

/// GCC 12: `#pragma omp teams` outside a target region.
///
/// # Safety
/// `func`/`data` are GCC's outlined teams body and its argument block.
#[no_mangle]
pub unsafe extern "C" fn GOMP_teams_reg(
    func: Outlined,
    data: *mut c_void,
    num_teams: c_uint,
    thread_limit: c_uint,
    _flags: c_uint,
) {
    // SAFETY: GCC's arguments, passed through.
    unsafe { teams::run_league(func, data, num_teams, thread_limit) }
}

/// GCC 12: `teams` inside a (host-executed) target region, as a loop
/// `for (first = true; GOMP_teams4(.., first); first = false) body`.
#[no_mangle]
pub extern "C" fn GOMP_teams4(num_teams_low: c_uint, _num_teams_high: c_uint, thread_limit: c_uint, first: bool) -> bool {
    teams::next_team_in_target(num_teams_low, thread_limit, first)
}

/// GCC 4.9-11: `teams` inside a target region, one team on the host.
#[no_mangle]
pub extern "C" fn GOMP_teams(_num_teams: c_uint, thread_limit: c_uint) {
    teams::limit_target_teams(thread_limit)
}

#[no_mangle]
pub extern "C" fn omp_get_num_teams() -> c_int {
    with_state(|ts| ts.cur().icv.league.num_teams as c_int)
}

#[no_mangle]
pub extern "C" fn omp_get_team_num() -> c_int {
    with_state(|ts| ts.cur().icv.league.team_num as c_int)
}
