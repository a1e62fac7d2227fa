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

    /// omp_set_nested (deprecated in OpenMP 5.0): nesting on means
    /// max-active-levels above 1.
    pub fn set_nested(&mut self, on: bool) {
        if on {
            if self.max_active_levels <= 1 {
                self.max_active_levels = super::SUPPORTED_ACTIVE_LEVELS;
            }
        } else {
            self.max_active_levels = self.max_active_levels.min(1);
        }
    }

    /// omp_set_max_active_levels of a non-negative count.
    pub fn set_max_active_levels(&mut self, levels: u32) {
        self.max_active_levels = levels.min(super::SUPPORTED_ACTIVE_LEVELS);
    }

    /// omp_set_schedule: `kind` is an omp_sched_t, possibly with the
    /// monotonic bit. As in GCC's runtime: `chunk < 1` selects the default
    /// chunk (0 = unspecified for static, 1 for dynamic and guided); auto
    /// keeps the previous chunk. False, and nothing set, for an unknown kind.
    pub fn set_schedule(&mut self, kind: i32, chunk: i32) -> bool {
        let base = kind & !sched::MONOTONIC;
        if !(sched::STATIC..=sched::AUTO).contains(&base) {
            return false;
        }
        let chunk = match base {
            sched::AUTO => self.run_sched.chunk,
            sched::STATIC => chunk.max(0),
            _ => chunk.max(1),
        };
        self.run_sched = Schedule { kind, chunk };
        true
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
    fn nested_toggles_max_active_levels() {
        let mut i = icvs(1, NO_LIST);
        i.set_nested(true);
        assert_eq!(i.max_active_levels, crate::runtime::SUPPORTED_ACTIVE_LEVELS);
        i.set_max_active_levels(3);
        i.set_nested(true);
        assert_eq!(i.max_active_levels, 3, "already nested: kept");
        i.set_nested(false);
        assert_eq!(i.max_active_levels, 1);
        i.set_max_active_levels(u32::MAX);
        assert_eq!(i.max_active_levels, crate::runtime::SUPPORTED_ACTIVE_LEVELS);
    }

    #[test]
    fn schedule_chunks_default_per_kind() {
        let mut i = icvs(1, NO_LIST);
        assert!(i.set_schedule(sched::STATIC, -3));
        assert_eq!(i.run_sched, Schedule { kind: sched::STATIC, chunk: 0 });
        assert!(i.set_schedule(sched::GUIDED | sched::MONOTONIC, 0));
        assert_eq!(i.run_sched, Schedule { kind: sched::GUIDED | sched::MONOTONIC, chunk: 1 });
        assert!(i.set_schedule(sched::DYNAMIC, 8));
        assert!(i.set_schedule(sched::AUTO, 99));
        assert_eq!(i.run_sched, Schedule { kind: sched::AUTO, chunk: 8 });
        assert!(!i.set_schedule(42, 1));
        assert_eq!(i.run_sched.kind, sched::AUTO);
    }

    #[test]
    fn explicit_setting_is_inherited() {
        let c = icvs(5, NO_LIST).for_child_region(&[4, 2]);
        assert_eq!(c.nthreads, 5);
    }
}
