//! The barrier's tests: unit tests, and the loom models of its protocol
//! (`make test-loom`), over a model of a team's work (`model`).

/// A team's work for the tests and loom models: per-thread counters (the
/// real counting code, task/counts.rs) and a queue of one anonymous task.
pub(crate) mod model {
    use crate::runtime::sleep::EventCount;
    use crate::runtime::sync::AtomicBool;
    use crate::runtime::task::counts::{quiescent, ExternalCompletions, ThreadCounts};
    use super::super::TeamWork;
    use std::sync::atomic::Ordering;

    pub struct Work {
        pub counts: Vec<ThreadCounts>,
        pub external: ExternalCompletions,
        queued: AtomicBool,
        pub ran: AtomicBool,
    }

    impl Work {
        pub fn new(nthreads: usize) -> Work {
            Work {
                counts: (0..nthreads).map(|_| ThreadCounts::default()).collect(),
                external: ExternalCompletions::default(),
                queued: AtomicBool::new(false),
                ran: AtomicBool::new(false),
            }
        }

        /// Thread `tid` spawns the task, as task::spawn does: count, push,
        /// notify the sleepers.
        pub fn spawn(&self, tid: usize, sleep: &EventCount) {
            self.counts[tid].spawned();
            // An RMW, not a store: loom orders a plain store and a
            // concurrent RMW of one location only partially and would let
            // the spawner's own later swap miss its push (a false alarm).
            self.queued.swap(true, Ordering::AcqRel);
            sleep.notify_all();
        }
    }

    impl TeamWork for Work {
        fn quiescent(&self) -> bool {
            quiescent(&self.external, self.counts.iter())
        }
        fn maybe_queued(&self) -> bool {
            self.queued.load(Ordering::Acquire)
        }
        fn worker_left(&self) {}
        fn run_one(&self, tid: u32) -> bool {
            if !self.queued.swap(false, Ordering::AcqRel) {
                return false;
            }
            self.ran.store(true, Ordering::Release);
            self.counts[tid as usize].completed();
            true
        }
    }
}

#[cfg(all(test, not(loom)))]
mod unit {
    use super::model::Work;
    use super::super::*;
    use std::sync::atomic::AtomicUsize;
    use std::sync::Arc;

    #[test]
    fn tree_shapes() {
        for n in [1u32, 2, 7, 8, 9, 64, 65, 100] {
            let t = Tree::new(n);
            assert_eq!(t.width(), n);
            assert_eq!(t.nodes[*t.level_start.last().unwrap()..].len(), 1, "one root for {n}");
        }
    }

    #[test]
    fn no_thread_passes_before_all_arrive() {
        // 9 and 17 threads exercise trees with several leaves.
        for (n, rounds) in [(2u32, 200usize), (3, 100), (9, 10), (17, 4)] {
            let b = Arc::new(Barrier::default());
            b.reset(n);
            let sleep = Arc::new(EventCount::default());
            let work = Arc::new(Work::new(n as usize));
            let phase = Arc::new(AtomicUsize::new(0));
            let threads: Vec<_> = (0..n)
                .map(|tid| {
                    let (b, sleep, work, phase) = (b.clone(), sleep.clone(), work.clone(), phase.clone());
                    std::thread::spawn(move || {
                        let policy = SpinPolicy { spins: 100, yields: 2 };
                        for round in 0..rounds {
                            phase.fetch_add(1, Ordering::SeqCst);
                            b.wait(tid, &*work, &sleep, policy);
                            assert!(phase.load(Ordering::SeqCst) >= (round + 1) * n as usize);
                            b.wait(tid, &*work, &sleep, policy);
                        }
                    })
                })
                .collect();
            for t in threads {
                t.join().unwrap();
            }
        }
    }

    /// Defect 1 of issue 10: a task spawned by the last arriver must be
    /// complete when anyone leaves the barrier, with every waiter parking.
    #[test]
    fn a_late_spawn_completes_before_release() {
        for _ in 0..2000 {
            let b = Arc::new(Barrier::default());
            b.reset(2);
            let sleep = Arc::new(EventCount::default());
            let work = Arc::new(Work::new(2));
            let (b2, s2, w2) = (b.clone(), sleep.clone(), work.clone());
            let late = std::thread::spawn(move || {
                w2.spawn(1, &s2);
                b2.wait(1, &*w2, &s2, SpinPolicy::PARK);
                assert!(w2.ran.load(Ordering::Acquire));
            });
            b.wait(0, &*work, &sleep, SpinPolicy::PARK);
            assert!(work.ran.load(Ordering::Acquire));
            late.join().unwrap();
        }
    }
}

#[cfg(all(test, loom))]
mod loom_tests {
    use super::model::Work;
    use super::super::*;
    use loom::sync::Arc;

    fn team(n: u32) -> (Arc<Barrier>, Arc<EventCount>, Arc<Work>) {
        let b = Barrier::default();
        b.reset(n);
        (Arc::new(b), Arc::new(EventCount::default()), Arc::new(Work::new(n as usize)))
    }

    /// Barrier arrival plus task quiescence with a late spawn: the last
    /// arriver spawns just before arriving; nobody leaves before it ran.
    #[test]
    fn late_spawn_runs_before_anyone_leaves() {
        loom::model(|| {
            let (b, sleep, work) = team(2);
            let (b2, s2, w2) = (b.clone(), sleep.clone(), work.clone());
            let late = loom::thread::spawn(move || {
                w2.spawn(1, &s2);
                b2.wait(1, &*w2, &s2, SpinPolicy::PARK);
                assert!(w2.ran.load(Ordering::Acquire));
            });
            b.wait(0, &*work, &sleep, SpinPolicy::PARK);
            assert!(work.ran.load(Ordering::Acquire));
            late.join().unwrap();
        });
    }

    /// Cancellation during a barrier: the other thread never arrives; it
    /// cancels and notifies. The waiter must leave, reporting the cancel.
    #[test]
    fn cancel_wakes_a_barrier_waiter() {
        loom::model(|| {
            let (b, sleep, work) = team(2);
            let cancelled = Arc::new(AtomicBool::new(false));
            let (s2, c2) = (sleep.clone(), cancelled.clone());
            let canceller = loom::thread::spawn(move || {
                c2.store(true, Ordering::Release);
                s2.notify_all();
            });
            assert!(b.wait_cancellable(0, &*work, &sleep, SpinPolicy::PARK, || cancelled.load(Ordering::Acquire)));
            canceller.join().unwrap();
        });
    }

    /// External fulfil of a detached task: a team of one waits at its end
    /// barrier for a task whose body is done; a thread outside the team
    /// completes it. The barrier releases, and the master's drain returns
    /// only once the outsider is done with the team: the master then reuses
    /// the team (`reused`), which the outsider's wake-up must precede
    /// (issue 10, defect 7: no access to the team after the count that lets
    /// the master leave).
    #[test]
    fn outside_completion_releases_the_barrier() {
        loom::model(|| {
            let (b, sleep, work) = team(1);
            let reused = Arc::new(AtomicBool::new(false));
            work.counts[0].spawned();
            let (s2, w2, r2) = (sleep.clone(), work.clone(), reused.clone());
            let outsider = loom::thread::spawn(move || {
                w2.external.enter();
                w2.ran.store(true, Ordering::Relaxed);
                w2.external.count_and_leave(|| {
                    assert!(!r2.load(Ordering::Relaxed), "the team was touched after the master reused it");
                    s2.notify_all();
                });
            });
            b.wait(0, &*work, &sleep, SpinPolicy::PARK);
            work.external.drain();
            reused.store(true, Ordering::Relaxed);
            assert!(work.ran.load(Ordering::Relaxed));
            outsider.join().unwrap();
        });
    }
}
