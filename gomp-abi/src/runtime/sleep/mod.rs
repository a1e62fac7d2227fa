//! The one way a thread of the runtime waits: spin with `pause`, then
//! `sched_yield`, then park on an `EventCount`. Every waiter in the runtime
//! (barrier, worker mailbox and ack, work-share ring, ordered baton,
//! doacross, taskwait, taskgroup, undeferred and detached tasks) goes through
//! `EventCount::wait`; the protocol and its proof sketch, with every wake
//! path named, are in `README.md` beside this file.
//!
//! The contract, in one sentence: a notifier makes its news visible (any
//! store or RMW) and then calls `notify_*`; a waiter's `done`/`has_work`
//! closures read that news. No ordering stronger than Acquire is needed on
//! either side: `notify` and the parking path carry the SeqCst fences.

pub mod futex;
pub mod load;

use super::sync::{fence, AtomicU32};
use futex::Parker;
use std::sync::atomic::Ordering;

/// How long a waiter spins and yields before it parks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SpinPolicy {
    pub spins: u64,
    pub yields: u32,
}

impl SpinPolicy {
    /// Budget used while threads outnumber CPUs (this process's own, as
    /// far as we know: `load::Pressure::Own`): hardly any spinning, then
    /// `sched_yield` (to a sibling, most likely the thread being waited
    /// for) for about a millisecond before parking. A shorter budget parks
    /// threads that are needed again a few microseconds later, and each
    /// futex wake-up then delays the next hand-off, which parks more
    /// threads: measured at 4 threads on 2 CPUs, 16 yields gave parallel
    /// regions of 7 or of 15-28 us from run to run, 2000 a steady 7 us.
    pub const THROTTLED: SpinPolicy = SpinPolicy { spins: 10, yields: 2000 };
    /// Budget used while some runnable threads are strangers
    /// (`load::Pressure::Shared`): a yield may hand a time slice to one.
    pub const SHARED: SpinPolicy = SpinPolicy { spins: 10, yields: 16 };
    /// Budget used while other processes' threads outnumber the CPUs too
    /// (`load::Pressure::Others`): no `sched_yield`, which would hand a
    /// time slice to a stranger.
    pub const CONTENDED: SpinPolicy = SpinPolicy { spins: 100, yields: 0 };
    /// Park as soon as there is nothing to do (loom models, tests).
    pub const PARK: SpinPolicy = SpinPolicy { spins: 0, yields: 0 };

    /// This budget under `pressure`: spins cut to the pressure's, yields
    /// the pressure's, except that a budget asking to park early (passive:
    /// no yields; `GOMP_SPINCOUNT=0`: no spins) is only ever cut.
    pub fn under(self, pressure: load::Pressure) -> SpinPolicy {
        let to = match pressure {
            load::Pressure::Quiet => return self,
            load::Pressure::Own => Self::THROTTLED,
            load::Pressure::Shared => Self::SHARED,
            load::Pressure::Others => Self::CONTENDED,
        };
        let yields = if self.yields == 0 || self.spins == 0 { self.yields.min(to.yields) } else { to.yields };
        SpinPolicy { spins: self.spins.min(to.spins), yields }
    }
}

/// A waiter that has spun this many times asks whether the machine is
/// oversubscribed (`load::sample`) and, if so, cuts its budget.
const LOAD_CHECK_SPINS: u64 = 1024;

/// A futex word that moves whenever a notifier finds sleepers, and the count
/// of threads that may be parked on it.
#[derive(Default)]
#[repr(C)]
pub struct EventCount {
    seq: AtomicU32,
    sleepers: AtomicU32,
    parker: Parker,
}

impl EventCount {
    /// Tell every parked waiter to re-check.
    #[inline]
    pub fn notify_all(&self) {
        // Orders the caller's news before the read of `sleepers` (README.md,
        // "no lost wake-up").
        fence(Ordering::SeqCst);
        if self.sleepers.load(Ordering::Relaxed) != 0 {
            self.seq.fetch_add(1, Ordering::AcqRel);
            load::woken(self.parker.wake_all(&self.seq));
        }
    }

    /// Return once `done()` holds. Between checks `idle()` may do useful
    /// work (run a task) and returns true when it did, which restarts the
    /// spin budget. A waiter parks only when neither `done()` nor
    /// `has_work()` holds after it announced itself; whoever can make either
    /// true must notify afterwards.
    #[inline]
    pub fn wait(
        &self,
        mut policy: SpinPolicy,
        done: impl Fn() -> bool,
        mut idle: impl FnMut() -> bool,
        has_work: impl Fn() -> bool,
    ) {
        let mut spins: u64 = 0;
        let mut yields: u32 = 0;
        loop {
            if done() {
                return;
            }
            if idle() {
                spins = 0;
                yields = 0;
            } else if spins < policy.spins {
                spins += 1;
                if spins.is_multiple_of(LOAD_CHECK_SPINS) {
                    load::sample();
                    policy = policy.under(load::pressure());
                }
                std::hint::spin_loop();
            } else if yields < policy.yields {
                if yields == 0 {
                    // Spins spent: whether yielding helps depends on who
                    // else wants the CPUs (`load`); a wait that yields its
                    // way through never reaches the sample before parking.
                    load::sample();
                    policy = policy.under(load::pressure());
                }
                if yields < policy.yields {
                    yields += 1;
                    // SAFETY: sched_yield has no preconditions.
                    unsafe { libc::sched_yield() };
                }
            } else {
                // A throttled process samples here too, so it notices when
                // the machine is quiet again (a passive one never spins).
                if policy.spins > 0 {
                    load::sample();
                }
                if !self.park_unless(|| done() || has_work()) {
                    // Work the idle step could not take (yet): let its owner run.
                    // SAFETY: sched_yield has no preconditions.
                    unsafe { libc::sched_yield() };
                }
            }
        }
    }

    /// `wait` with no idle work.
    #[inline]
    pub fn wait_until(&self, policy: SpinPolicy, done: impl Fn() -> bool) {
        self.wait(policy, &done, || false, || false);
    }

    /// Park unless `ready()`; true when it parked.
    #[cold]
    fn park_unless(&self, ready: impl Fn() -> bool) -> bool {
        self.sleepers.fetch_add(1, Ordering::Relaxed);
        // Pairs with the fence in `notify` (README.md, "no lost wake-up").
        fence(Ordering::SeqCst);
        let key = self.seq.load(Ordering::Acquire);
        let park = !ready();
        if park {
            load::parking();
            // A thread woken by `notify_all` was counted out by its waker,
            // the moment it became runnable (load.rs). `notify_all` moves
            // `seq` before it wakes anyone: a wake that left `seq` as it was
            // came from elsewhere (a lock's late futex wake on memory reused
            // for this word), and its waker counted nothing.
            if !self.parker.wait(&self.seq, key) || self.seq.load(Ordering::Relaxed) == key {
                load::unparked();
            }
        }
        self.sleepers.fetch_sub(1, Ordering::Relaxed);
        park
    }
}

/// A value word and the event count its readers park on: the worker mailbox
/// and ack, the work-share ring's phases.
#[derive(Default)]
#[repr(C)]
pub struct Signal {
    value: AtomicU32,
    ev: EventCount,
}

impl Signal {
    #[inline]
    pub fn load(&self) -> u32 {
        self.value.load(Ordering::Acquire)
    }

    /// Publish `v` (Release for everything written before) and wake the
    /// waiters: the news is the new value.
    #[inline]
    pub fn publish(&self, v: u32) {
        self.value.store(v, Ordering::Release);
        self.ev.notify_all();
    }

    /// Wake waiters to re-check their `stop` condition (set before calling);
    /// the value is unchanged, so only a `wait_while_or` waiter can leave.
    #[inline]
    pub fn wake_to_recheck_stop(&self) {
        self.ev.notify_all();
    }

    /// Wait until the value differs from `old`.
    #[inline]
    pub fn wait_while(&self, old: u32, policy: SpinPolicy) {
        self.ev.wait_until(policy, || self.load() != old);
    }

    /// Wait until the value differs from `old` (false) or `stop()` holds
    /// (true). Whoever makes `stop()` true calls `wake_to_recheck_stop`
    /// afterwards.
    #[inline]
    pub fn wait_while_or(&self, old: u32, policy: SpinPolicy, stop: impl Fn() -> bool) -> bool {
        self.ev.wait_until(policy, || self.load() != old || stop());
        self.load() == old
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicBool;
    use std::sync::Arc;

    #[test]
    fn pressure_sets_the_budget_but_never_lengthens_an_early_park() {
        use load::Pressure::{Others, Own, Quiet, Shared};
        let default = SpinPolicy { spins: 300_000, yields: 64 };
        assert_eq!(default.under(Quiet), default);
        assert_eq!(default.under(Own), SpinPolicy::THROTTLED);
        assert_eq!(default.under(Shared), SpinPolicy::SHARED);
        assert_eq!(default.under(Others), SpinPolicy::CONTENDED);
        // Re-applied inside a wait: a cut budget is cut again, not restored.
        assert_eq!(default.under(Others).under(Own), SpinPolicy { spins: 10, yields: 0 });
        let passive = SpinPolicy { spins: 0, yields: 0 };
        assert_eq!(passive.under(Own), passive);
        let no_spins = SpinPolicy { spins: 0, yields: 64 };
        assert_eq!(no_spins.under(Own), no_spins);
        assert_eq!(no_spins.under(Others), passive);
    }

    #[test]
    fn parked_waiter_is_woken_by_a_value_change() {
        let s = Arc::new(Signal::default());
        let s2 = s.clone();
        let t = std::thread::spawn(move || s2.wait_while(0, SpinPolicy::PARK));
        std::thread::sleep(std::time::Duration::from_millis(20));
        s.publish(1);
        t.join().unwrap();
        assert_eq!(s.load(), 1);
    }

    #[test]
    fn news_elsewhere_wakes_a_parked_waiter_every_time() {
        // The news lives in another word; the wake is sent once per round,
        // whenever it lands relative to the waiter's parking.
        for round in 0..200 {
            let ev = Arc::new(EventCount::default());
            let news = Arc::new(AtomicBool::new(false));
            let (e2, n2) = (ev.clone(), news.clone());
            let t = std::thread::spawn(move || e2.wait_until(SpinPolicy::PARK, || n2.load(Ordering::Relaxed)));
            if round % 2 == 0 {
                std::thread::yield_now();
            }
            news.store(true, Ordering::Relaxed);
            ev.notify_all();
            t.join().unwrap();
        }
    }

    #[test]
    fn idle_work_runs_while_waiting() {
        let s = Signal::default();
        let mut calls = 0;
        s.ev.wait(
            SpinPolicy { spins: 10, yields: 0 },
            || s.load() != 0,
            || {
                calls += 1;
                if calls == 5 {
                    s.publish(7);
                }
                true
            },
            || false,
        );
        assert_eq!(calls, 5);
    }
}

#[cfg(all(test, loom))]
mod loom_tests {
    use super::*;
    use crate::runtime::sync::AtomicBool;
    use loom::sync::Arc;

    /// News in another word, one notify, two parked waiters: both leave.
    #[test]
    fn notify_reaches_parking_waiters() {
        loom::model(|| {
            let ev = Arc::new(EventCount::default());
            let news = Arc::new(AtomicBool::new(false));
            let waiters: Vec<_> = (0..2)
                .map(|_| {
                    let (e, n) = (ev.clone(), news.clone());
                    loom::thread::spawn(move || e.wait_until(SpinPolicy::PARK, || n.load(Ordering::Acquire)))
                })
                .collect();
            news.store(true, Ordering::Release);
            ev.notify_all();
            for w in waiters {
                w.join().unwrap();
            }
        });
    }

    /// The mailbox hand-off (pool.rs): a value word set by one thread.
    #[test]
    fn signal_publish_reaches_a_parking_waiter() {
        loom::model(|| {
            let s = Arc::new(Signal::default());
            let s2 = s.clone();
            let waiter = loom::thread::spawn(move || {
                s2.wait_while(0, SpinPolicy::PARK);
                s2.load()
            });
            s.publish(1);
            assert_eq!(waiter.join().unwrap(), 1);
        });
    }
}
