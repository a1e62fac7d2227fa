//! Internal control variables of one data environment (OpenMP 5.1 §2.4).
//! Each implicit task carries a copy; a new region's implicit tasks start
//! from `Icvs::for_child_region` of the encountering task's copy.

/// `omp_sched_t` values (GCC's omp.h) and the monotonic modifier bit.
pub mod sched {
    pub const STATIC: i32 = 1;
    pub const DYNAMIC: i32 = 2;
    pub const GUIDED: i32 = 3;
    pub const AUTO: i32 = 4;
    pub const MONOTONIC: i32 = i32::MIN; // 0x8000_0000
}

/// The run-sched-var ICV: an `omp_sched_t` (possibly with the monotonic bit)
/// and its chunk size (0 = unspecified).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Schedule {
    pub kind: i32,
    pub chunk: i32,
}

/// Where a task is in a league of teams (`#pragma omp teams` on the host):
/// not an ICV of the specification, but carried the same way, so implicit
/// and explicit tasks of a team's regions see their team's number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct League {
    pub team_num: u32,
    pub num_teams: u32,
}

impl League {
    /// Outside any teams construct: team 0 of 1.
    pub const INITIAL: League = League { team_num: 0, num_teams: 1 };
}

/// Marker for "nthreads-var was set by omp_set_num_threads, not from the list".
pub const NO_LIST: u8 = u8::MAX;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Icvs {
    /// nthreads-var for regions encountered by this task.
    pub nthreads: u32,
    /// Position of `nthreads` in the OMP_NUM_THREADS list, or NO_LIST.
    pub nthreads_list_pos: u8,
    pub dynamic: bool,
    pub max_active_levels: u32,
    pub run_sched: Schedule,
    pub thread_limit: u32,
    pub bind: i32,
    pub default_device: i32,
    pub league: League,
    /// def-allocator-var: an omp_allocator_handle_t.
    pub def_allocator: usize,
}

impl Icvs {
    /// The ICVs of the implicit tasks of a region encountered by a task with
    /// these ICVs: nthreads-var steps one place down the OMP_NUM_THREADS list
    /// (the last element repeats); everything else is inherited.
    pub fn for_child_region(&self, list: &[u32]) -> Icvs {
        let mut child = *self;
        if self.nthreads_list_pos != NO_LIST {
            let next = self.nthreads_list_pos as usize + 1;
            if next < list.len() {
                child.nthreads = list[next];
                child.nthreads_list_pos = next as u8;
            }
        }
        child
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn icvs(n: u32, pos: u8) -> Icvs {
        Icvs {
            nthreads: n,
            nthreads_list_pos: pos,
            dynamic: false,
            max_active_levels: 1,
            run_sched: Schedule { kind: sched::DYNAMIC, chunk: 1 },
            thread_limit: u32::MAX,
            bind: 0,
            default_device: 0,
            league: League::INITIAL,
            def_allocator: 1,
        }
    }

    #[test]
    fn nthreads_list_steps_down_and_sticks_at_last() {
        let list = [4, 2, 3];
        let l1 = icvs(4, 0).for_child_region(&list);
        assert_eq!(l1.nthreads, 2);
        let l2 = l1.for_child_region(&list);
        assert_eq!(l2.nthreads, 3);
        assert_eq!(l2.for_child_region(&list).nthreads, 3);
    }

    #[test]
    fn explicit_setting_is_inherited() {
        let c = icvs(5, NO_LIST).for_child_region(&[4, 2]);
        assert_eq!(c.nthreads, 5);
    }
}
