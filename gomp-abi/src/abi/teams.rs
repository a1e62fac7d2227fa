//! `#pragma omp teams` on the host (OpenMP 5.1 §2.7). With no offload
//! device a league runs on the encountering thread, one team after another,
//! as GCC's runtime does: each team is the same thread with a different team
//! number, and a `parallel` inside a team opens a team of threads as usual
//! (its threads see the team number too: it travels with the ICVs).

use std::ffi::{c_int, c_uint, c_void};

use crate::abi::icv::{omp_get_max_teams, omp_get_teams_thread_limit};
use crate::runtime::icv::League;
use crate::runtime::team::{with_state, Outlined};

/// Teams a league gets when neither num_teams nor OMP_NUM_TEAMS says (GCC's
/// runtime uses the same number on the host).
const DEFAULT_NUM_TEAMS: u32 = 3;

/// thread_limit as thread-limit-var holds it (u32::MAX = no limit).
fn limit_var(thread_limit: c_uint) -> u32 {
    if thread_limit > i32::MAX as u32 {
        u32::MAX
    } else {
        thread_limit
    }
}

/// GCC 12: `#pragma omp teams` outside a target region. Runs `func(data)`
/// once per team; a non-zero `thread_limit` (else teams-thread-limit-var)
/// bounds each team's parallel regions for the construct's length.
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
    let thread_limit = match thread_limit {
        0 => omp_get_teams_thread_limit().max(0) as c_uint,
        n => n,
    };
    let num_teams = match num_teams {
        0 => match omp_get_max_teams() {
            n if n > 0 => n as u32,
            _ => DEFAULT_NUM_TEAMS,
        },
        n => n,
    };
    with_state(|ts| {
        let before = ts.cur().icv;
        for team_num in 0..num_teams {
            ts.update(|t| {
                t.icv.league = League { team_num, num_teams };
                if thread_limit > 0 {
                    t.icv.thread_limit = limit_var(thread_limit);
                }
            });
            // SAFETY: GCC's outlined body and its data, valid for the construct.
            unsafe { func(data) };
        }
        ts.update(|t| {
            t.icv.league = before.league;
            t.icv.thread_limit = before.thread_limit;
        });
    })
}

/// GCC 12: `teams` inside a (host-executed) target region, as a loop
/// `for (first = true; GOMP_teams4(.., first); first = false) body`. The
/// first call starts a league of `num_teams_low` teams (at least one) and
/// sets thread_limit; each later call moves to the next team, false after
/// the last. The league ends with the target region's initial task.
#[no_mangle]
pub extern "C" fn GOMP_teams4(num_teams_low: c_uint, _num_teams_high: c_uint, thread_limit: c_uint, first: bool) -> bool {
    with_state(|ts| {
        let league = ts.cur().icv.league;
        if first {
            ts.update(|t| {
                if thread_limit > 0 {
                    t.icv.thread_limit = limit_var(thread_limit);
                }
                t.icv.league = League { team_num: 0, num_teams: num_teams_low.max(1) };
            });
            true
        } else if league.team_num + 1 >= league.num_teams {
            false
        } else {
            ts.update(|t| t.icv.league.team_num += 1);
            true
        }
    })
}

/// GCC 4.9-11: `teams` inside a target region, one team on the host; only
/// thread_limit has an effect.
#[no_mangle]
pub extern "C" fn GOMP_teams(_num_teams: c_uint, thread_limit: c_uint) {
    if thread_limit > 0 {
        with_state(|ts| ts.update(|t| t.icv.thread_limit = limit_var(thread_limit)));
    }
}

#[no_mangle]
pub extern "C" fn omp_get_num_teams() -> c_int {
    with_state(|ts| ts.cur().icv.league.num_teams as c_int)
}

#[no_mangle]
pub extern "C" fn omp_get_team_num() -> c_int {
    with_state(|ts| ts.cur().icv.league.team_num as c_int)
}
