//! The taskloop construct, for both iteration types: GCC passes `long` or
//! `unsigned long long` bounds; both are 64-bit two's complement, so once
//! the trip count is known (the only type-dependent step: `trip_count_long`
//! and `trip_count_ull`, called by abi/task.rs) every chunk bound is
//! `start + k * step` in wrapping u64 arithmetic.
//!
//! Each chunk is a task whose argument block starts with its `[lo, hi)`
//! (written over the first two words after copying). With the `reduction`
//! flag the block's third word points to the reduction registry.

use super::{flag, spawn, taskgroup_end, taskgroup_start, Spawn, TaskBody};
use crate::runtime::reduction;
use crate::runtime::team::ThreadState;

/// Trip count of a `long` taskloop (0 when empty).
pub fn trip_count_long(start: i64, end: i64, step: i64) -> u64 {
    let (span, step) = (end as i128 - start as i128, step as i128);
    if step == 0 || (span > 0) != (step > 0) || span == 0 {
        return 0;
    }
    ((span + step - step.signum()) / step) as u64
}

/// Trip count of an `unsigned long long` taskloop; `up` is GCC's UP flag
/// (otherwise `step` is a negative stride in two's complement).
pub fn trip_count_ull(start: u64, end: u64, step: u64, up: bool) -> u64 {
    if up {
        if start >= end || step == 0 {
            return 0;
        }
        ((end - start) as u128).div_ceil(step as u128) as u64
    } else {
        let down = step.wrapping_neg();
        if start <= end || down == 0 {
            return 0;
        }
        ((start - end) as u128).div_ceil(down as u128) as u64
    }
}

/// How many chunks, and how many iterations each.
#[derive(Debug, PartialEq, Eq)]
pub struct Partition {
    pub chunks: u64,
    /// The first `bigger` chunks get `size + 1` iterations, the others `size`.
    pub size: u64,
    pub bigger: u64,
    /// `strict` grainsize: the last chunk gets `n - (chunks-1) * size`.
    pub strict_last: Option<u64>,
}

impl Partition {
    /// `n` iterations; `num` is the grainsize (GRAINSIZE flag) or the
    /// num_tasks value (0: unspecified, one chunk per team thread).
    pub fn new(n: u64, flags: u32, num: u64, nthreads: u64) -> Partition {
        let even = |k: u64| {
            let k = k.clamp(1, n);
            Partition { chunks: k, size: n / k, bigger: n % k, strict_last: None }
        };
        if flags & flag::GRAINSIZE != 0 {
            let g = num.max(1);
            if flags & flag::STRICT != 0 {
                let k = n.div_ceil(g);
                let rem = n - (k - 1) * g;
                return Partition { chunks: k, size: g, bigger: 0, strict_last: Some(rem) };
            }
            even(n / g)
        } else {
            even(if num == 0 { nthreads } else { num })
        }
    }

    /// Iterations of chunk `i`.
    pub fn len(&self, i: u64) -> u64 {
        match self.strict_last {
            Some(last) if i + 1 == self.chunks => last,
            _ => self.size + u64::from(i < self.bigger),
        }
    }
}

/// What GOMP_taskloop / GOMP_taskloop_ull pass, bounds already turned into
/// a trip count.
pub struct Taskloop {
    pub body: TaskBody,
    pub flags: u32,
    pub num_tasks: u64,
    pub priority: i32,
    pub start: u64,
    pub step: u64,
    pub n: u64,
}

/// # Safety
/// Arguments as GCC passes them to GOMP_taskloop{,_ull}.
pub unsafe fn taskloop(ts: &ThreadState, l: &Taskloop) {
    let group = l.flags & flag::NOGROUP == 0;
    let reduction = l.flags & flag::REDUCTION != 0;
    // SAFETY: with REDUCTION the block's third word is the registry.
    let registry = unsafe { *(l.body.data as *mut *mut usize).add(2) };
    if l.n == 0 {
        if group && reduction {
            // Tell the caller nothing was registered (no copies to combine).
            // SAFETY: GCC's registry array.
            unsafe { *registry.add(2) = 0 };
        }
        return;
    }
    if group {
        taskgroup_start(ts);
        if reduction {
            // Like GOMP_taskgroup_reduction_register (abi/reduction.rs); the
            // compiler's code combines and unregisters after we return.
            let n = ts.team().map_or(1, |t| t.cfg().nthreads);
            // SAFETY: GCC's registry array.
            unsafe { reduction::register(registry, reduction::current(), std::ptr::null(), n) };
            reduction::set_current(registry);
        }
    }
    let nthreads = ts.team().map_or(1, |t| t.cfg().nthreads) as u64;
    let part = Partition::new(l.n, l.flags, l.num_tasks, nthreads);
    let keep = flag::UNTIED | flag::FINAL | flag::MERGEABLE | flag::PRIORITY;
    let mut lo = l.start;
    for i in 0..part.chunks {
        let hi = lo.wrapping_add(part.len(i).wrapping_mul(l.step));
        let s = Spawn {
            body: l.body,
            if_clause: l.flags & flag::IF != 0,
            flags: l.flags & keep,
            depend: std::ptr::null(),
            priority: l.priority,
            detach: std::ptr::null_mut(),
            bounds: Some((lo, hi)),
        };
        // SAFETY: GCC's arguments, passed through.
        unsafe { spawn(ts, &s) };
        lo = hi;
    }
    if group {
        taskgroup_end(ts);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sizes(n: u64, flags: u32, num: u64, nthreads: u64) -> Vec<u64> {
        let p = Partition::new(n, flags, num, nthreads);
        (0..p.chunks).map(|i| p.len(i)).collect()
    }

    #[test]
    fn partitions() {
        assert_eq!(sizes(10, 0, 0, 4), vec![3, 3, 2, 2]);
        assert_eq!(sizes(3, 0, 0, 4), vec![1, 1, 1]);
        assert_eq!(sizes(10, 0, 3, 4), vec![4, 3, 3]);
        assert_eq!(sizes(100, flag::GRAINSIZE, 7, 4).len(), 14);
        assert!(sizes(100, flag::GRAINSIZE, 7, 4).iter().all(|&s| (7..14).contains(&s)));
        assert_eq!(sizes(5, flag::GRAINSIZE, 7, 4), vec![5]);
        assert_eq!(sizes(10, flag::GRAINSIZE | flag::STRICT, 3, 4), vec![3, 3, 3, 1]);
        assert_eq!(sizes(9, flag::GRAINSIZE | flag::STRICT, 3, 4), vec![3, 3, 3]);
        for (n, f, num) in [(1000, 0, 7), (999, flag::GRAINSIZE, 10), (17, flag::GRAINSIZE | flag::STRICT, 4)] {
            assert_eq!(sizes(n, f, num, 2).iter().sum::<u64>(), n);
        }
    }

    #[test]
    fn trip_counts() {
        assert_eq!(trip_count_long(0, 10, 3), 4);
        assert_eq!(trip_count_long(10, 0, -3), 4);
        assert_eq!(trip_count_long(0, 0, 1), 0);
        assert_eq!(trip_count_long(5, 0, 1), 0);
        assert_eq!(trip_count_long(i64::MIN, i64::MAX, 1), u64::MAX);
        assert_eq!(trip_count_ull(0, 10, 3, true), 4);
        assert_eq!(trip_count_ull(10, 0, 3u64.wrapping_neg(), false), 4);
        assert_eq!(trip_count_ull(0, u64::MAX, 1, true), u64::MAX);
        assert_eq!(trip_count_ull(3, 3, 1, true), 0);
    }
}
