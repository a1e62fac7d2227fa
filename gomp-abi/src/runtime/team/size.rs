//! How many threads a new region gets: OpenMP's algorithm (num_threads or
//! nthreads-var, 1 beyond max-active-levels, at most the CPU count and the
//! Capabilities Haskell leaves free under dynamic adjustment), then the thread limit, counted per contention
//! group as GCC's runtime counts it (`limit_team`).

use std::sync::atomic::{AtomicU32, Ordering};

use super::ThreadState;
use crate::runtime::globals;

/// dyn-var's team bound in a Haskell host: the Capabilities no Haskell
/// thread keeps busy, counting the caller's own (a team that outnumbers
/// them time-slices its barriers against Haskell). Each team thread enters
/// Haskell on its own Capability, so a busy one is a core the team would
/// share. Unbounded when the RTS cannot tell.
fn free_capabilities() -> u32 {
    let caps = rts_shim::enabled_capabilities().max(1);
    let mine = rts_shim::last_capability();
    match rts_shim::busy_capabilities(mine) {
        Some(busy) => caps.saturating_sub(busy).max(1),
        None => u32::MAX,
    }
}

impl ThreadState {
    /// Number of threads a new region gets (OpenMP 5.1, algorithm 2.1),
    /// before the thread limit (so an upper bound of the real size).
    pub fn team_size(&self, requested: u32) -> u32 {
        let icv = self.cur().icv;
        let (_, active) = self.levels();
        let mut n = if requested > 0 { requested } else { icv.nthreads };
        if n > 1 && active >= icv.max_active_levels {
            n = 1;
        }
        if n > 1 && icv.dynamic {
            n = n.min(globals().ncpus).min(free_capabilities());
        }
        n.max(1)
    }

    /// Limit a new team of `wanted` threads by thread-limit-var. Returns the
    /// team size and how much it added to the contention group's count.
    ///
    /// Accounting as GCC's runtime does it (so programs see the same team
    /// sizes): the group counter holds the threads in use; a region opened
    /// outside any team sets it to its size, a nested region gets at most
    /// `limit - busy` threads and adds all but its master. CAS loop, so
    /// concurrent nested regions of one group never overshoot.
    pub(super) fn limit_team(&self, wanted: u32) -> (u32, u32) {
        let cur = self.cur();
        let limit = cur.icv.thread_limit;
        if limit == u32::MAX {
            return (wanted, 0);
        }
        let Some(team) = self.team() else {
            let n = wanted.min(limit);
            self.group_busy.store(n, Ordering::Relaxed);
            return (n, n);
        };
        // SAFETY: the group counter belongs to the root thread's state, which
        // outlives every region nested in its regions.
        let n = claim_nested(unsafe { &*team.cfg().group_busy }, wanted, limit);
        (n, n - 1)
    }
}

/// A nested region of a contention group whose counter is `group` claims
/// up to `wanted` threads under `limit`: at least 1 (its master, already
/// counted), and adds all but its master to the counter.
fn claim_nested(group: &AtomicU32, wanted: u32, limit: u32) -> u32 {
    let mut busy = group.load(Ordering::Relaxed);
    loop {
        let n = wanted.min(limit.saturating_sub(busy)).max(1);
        match group.compare_exchange_weak(busy, busy + n - 1, Ordering::AcqRel, Ordering::Relaxed) {
            Ok(_) => return n,
            Err(b) => busy = b,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state_with(f: impl FnOnce(&mut crate::runtime::icv::Icvs)) -> ThreadState {
        let ts = ThreadState::new();
        ts.update(|t| f(&mut t.icv));
        ts
    }

    #[test]
    fn team_size_follows_the_request_then_nthreads_var() {
        let ts = state_with(|icv| {
            icv.nthreads = 3;
            icv.dynamic = false;
            icv.max_active_levels = 4;
        });
        assert_eq!(ts.team_size(5), 5);
        assert_eq!(ts.team_size(0), 3);
    }

    #[test]
    fn team_size_is_one_beyond_max_active_levels() {
        let ts = state_with(|icv| {
            icv.nthreads = 3;
            icv.max_active_levels = 0;
        });
        assert_eq!(ts.team_size(8), 1);
    }

    #[test]
    fn dynamic_caps_at_the_cpu_count() {
        let ts = state_with(|icv| {
            icv.dynamic = true;
            icv.max_active_levels = 4;
        });
        assert_eq!(ts.team_size(globals().ncpus + 5), globals().ncpus);
    }

    #[test]
    fn a_root_region_sets_the_group_count() {
        let ts = state_with(|icv| icv.thread_limit = 4);
        assert_eq!(ts.limit_team(6), (4, 4));
        assert_eq!(ts.group_busy.load(Ordering::Relaxed), 4);
        let unlimited = state_with(|icv| icv.thread_limit = u32::MAX);
        assert_eq!(unlimited.limit_team(6), (6, 0));
    }

    #[test]
    fn nested_regions_share_what_the_limit_leaves() {
        // A root team of 2 under a limit of 5: 3 threads are left.
        let group = AtomicU32::new(2);
        assert_eq!(claim_nested(&group, 3, 5), 3);
        assert_eq!(group.load(Ordering::Relaxed), 4);
        // One thread left: the encountering thread alone, adding nothing.
        assert_eq!(claim_nested(&group, 4, 5), 1);
        assert_eq!(group.load(Ordering::Relaxed), 4);
        // Two left: the master and one more.
        let group = AtomicU32::new(3);
        assert_eq!(claim_nested(&group, 4, 5), 2);
        assert_eq!(group.load(Ordering::Relaxed), 4);
    }
}
