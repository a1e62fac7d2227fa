//! `#pragma omp teams` on the host (OpenMP 5.1 §2.7). With no offload
//! device a league runs on the encountering thread, one team after another,
//! as GCC's runtime does: each team is the same thread with a different team
//! number, and a `parallel` inside a team opens a team of threads as usual
//! (its threads see the team number too: it travels with the ICVs).
//! abi/teams.rs has the entry points.

use std::ffi::{c_int, c_uint, c_void};
use std::sync::atomic::{AtomicI32, Ordering};

use super::globals;
use super::icv::League;
use super::team::{with_state, Outlined};

/// Teams a league gets when neither num_teams nor OMP_NUM_TEAMS says (GCC's
/// runtime uses the same number on the host).
const DEFAULT_NUM_TEAMS: u32 = 3;

/// Device-wide teams ICVs (nteams-var, teams-thread-limit-var); 0 = not set
/// by the program (then OMP_NUM_TEAMS / OMP_TEAMS_THREAD_LIMIT, or 0).
static NUM_TEAMS: AtomicI32 = AtomicI32::new(0);
static TEAMS_THREAD_LIMIT: AtomicI32 = AtomicI32::new(0);

/// omp_set_num_teams: a non-positive value is ignored.
pub fn set_num_teams(n: c_int) {
    if n > 0 {
        NUM_TEAMS.store(n, Ordering::Relaxed);
    }
}

/// nteams-var (omp_get_max_teams).
pub fn max_teams() -> c_int {
    match NUM_TEAMS.load(Ordering::Relaxed) {
        0 => globals().env.num_teams,
        n => n,
    }
}

/// omp_set_teams_thread_limit: a non-positive value is ignored.
pub fn set_teams_thread_limit(n: c_int) {
    if n > 0 {
        TEAMS_THREAD_LIMIT.store(n, Ordering::Relaxed);
    }
}

/// teams-thread-limit-var (omp_get_teams_thread_limit).
pub fn teams_thread_limit() -> c_int {
    match TEAMS_THREAD_LIMIT.load(Ordering::Relaxed) {
        0 => globals().env.teams_thread_limit,
        n => n,
    }
}

/// thread_limit as thread-limit-var holds it (u32::MAX = no limit).
fn limit_var(thread_limit: c_uint) -> u32 {
    if thread_limit > i32::MAX as u32 {
        u32::MAX
    } else {
        thread_limit
    }
}

/// A league outside a target region (GOMP_teams_reg): `func(data)` once
/// per team; a non-zero `thread_limit` (else teams-thread-limit-var) bounds
/// each team's parallel regions for the construct's length.
///
/// # Safety
/// `func`/`data` are GCC's outlined teams body and its argument block.
pub unsafe fn run_league(func: Outlined, data: *mut c_void, num_teams: c_uint, thread_limit: c_uint) {
    let thread_limit = match thread_limit {
        0 => teams_thread_limit().max(0) as c_uint,
        n => n,
    };
    let num_teams = match num_teams {
        0 => match max_teams() {
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

/// `teams` inside a (host-executed) target region, GCC 12's GOMP_teams4:
/// the first call starts a league of `num_teams_low` teams (at least one)
/// and sets thread_limit; each later call moves to the next team, false
/// after the last. The league ends with the target region's initial task.
pub fn next_team_in_target(num_teams_low: c_uint, thread_limit: c_uint, first: bool) -> bool {
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

/// `teams` inside a target region before GCC 12 (one team on the host):
/// only thread_limit has an effect.
pub fn limit_target_teams(thread_limit: c_uint) {
    if thread_limit > 0 {
        with_state(|ts| ts.update(|t| t.icv.thread_limit = limit_var(thread_limit)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thread_limit_above_int_max_is_no_limit() {
        assert_eq!(limit_var(4), 4);
        assert_eq!(limit_var(i32::MAX as u32), i32::MAX as u32);
        assert_eq!(limit_var(i32::MAX as u32 + 1), u32::MAX);
    }

    #[test]
    fn a_target_league_visits_each_team_once() {
        let mut seen = Vec::new();
        let mut first = true;
        while next_team_in_target(3, 0, first) {
            first = false;
            seen.push(with_state(|ts| ts.cur().icv.league.team_num));
        }
        assert_eq!(seen, vec![0, 1, 2]);
    }
}
