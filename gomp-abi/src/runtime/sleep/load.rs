//! Is the whole machine oversubscribed, and by whom? Several processes on
//! one machine (MPI ranks, each with its own runtime) can together run more
//! threads than there are CPUs while each of them alone fits: a waiter that
//! spins then burns the CPU that the thread it waits for (in its own process
//! or another) needs. The process-local rule (more runtime threads than
//! CPUs, `spin_policy`) cannot see that, so waiters also look at the machine.
//!
//! The measure is the kernel's count of runnable threads right now (the
//! fourth field of `/proc/loadavg`, `running/total`) against the CPUs
//! online. A sample costs an open, a read and a close (a few µs), so it is
//! taken at most once per `SAMPLE_NS` by whichever waiter gets there first,
//! and only by waiters that already spin long or park (a wait that ends
//! quickly never pays for it). A busy sample holds for `HOLD_NS`: threads
//! that throttle and park drop out of the count, so one quiet sample does
//! not mean the contention has gone.
//!
//! Three kinds of busy, because they want different waits. Of the runnable
//! threads, at most `ours - parked` are this process's (`ours`: the
//! runtime's threads; `parked`: those asleep in a futex right now, counted
//! in by `EventCount`'s parking path and out by the wake that makes them
//! runnable again, so not runnable); the rest,
//! `strangers = running - (ours - parked)` at least, belong to others.
//! - `Own`: more runnable threads than CPUs, none of them strangers: the
//!   CPUs are ours to pass around, so a waiter spins briefly and then
//!   `sched_yield`s (to a sibling, the thread it waits for most likely)
//!   for about a millisecond before it parks (`SpinPolicy::THROTTLED`).
//! - `Shared`: some strangers, fewer than CPUs (another rank's thread
//!   busy-polling in MPI, a build step): a yield may hand a whole time slice
//!   to one of them, so a waiter yields a few times only
//!   (`SpinPolicy::SHARED`). Measured, 2 ranks x 4 threads unbound: with
//!   the long budget here, 1 job in 5 took 5-20x as long.
//! - `Others`: strangers alone could fill every CPU (other ranks
//!   busy-polling, a parallel build). A `sched_yield` there hands a whole
//!   time slice to a stranger and a wait stretches to milliseconds
//!   (measured: 2x2 ranks 20x slower with 8 yields per wait), so a waiter
//!   spins briefly and parks at once (`SpinPolicy::CONTENDED`); the futex
//!   wake-up is what brings it back, as soon as its news is there.
//!
//! A verdict that blames strangers (`Shared`, `Others`) needs the sample
//! before to blame them as much (else it counts as `Own`, and the next
//! sample is due 1 ms later, not 10): a process starting or ending beside
//! us is runnable for an instant, and one such sample used to put whole
//! short runs into park-at-once mode.
//!
//! Under `--cfg loom` the machine is always quiet (the models check the
//! wake-up protocol, not this heuristic).

/// Who keeps the machine's CPUs busy, as far as the last samples tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Pressure {
    /// No more runnable threads than CPUs.
    Quiet = 0,
    /// Oversubscribed by this process's threads alone.
    Own = 1,
    /// Oversubscribed, with fewer strangers than CPUs among the runnable.
    Shared = 2,
    /// Oversubscribed by other processes' threads alone.
    Others = 3,
}

#[cfg(not(loom))]
mod imp {
    use super::Pressure;
    use crate::runtime::WORKERS_CREATED;
    use std::sync::atomic::{AtomicU32, AtomicU64, AtomicU8, Ordering};
    use std::sync::OnceLock;

    /// At most one sample per 10 ms.
    const SAMPLE_NS: u64 = 10_000_000;
    /// ... but the one that may confirm a verdict blaming strangers comes
    /// after 1 ms (the coarse clock's next tick, at most a few ms).
    const CONFIRM_NS: u64 = 1_000_000;
    /// A busy sample keeps its verdict for 250 ms (unless a worse one comes).
    const HOLD_NS: u64 = 250_000_000;

    static PRESSURE: AtomicU8 = AtomicU8::new(Pressure::Quiet as u8);
    /// The runtime's threads asleep in `futex_wait` now (sleep/mod.rs,
    /// `park_unless`): an estimate for the sample, Relaxed.
    static PARKED: AtomicU32 = AtomicU32::new(0);

    /// A thread of the runtime is about to sleep in the kernel.
    #[inline]
    pub fn parking() {
        PARKED.fetch_add(1, Ordering::Relaxed);
    }

    /// ... and is back without a wake (the word had moved, or a signal).
    #[inline]
    pub fn unparked() {
        PARKED.fetch_sub(1, Ordering::Relaxed);
    }

    /// A notifier woke `n` parked threads: they are runnable from now on,
    /// so they leave the count now, not when they next run (a woken thread
    /// waiting for a CPU is runnable for the kernel but would still be
    /// "parked" here, and a sample would count it as a stranger). The
    /// kernel orders each waiter's `parking` before the wake that finds it.
    #[inline]
    pub fn woken(n: u32) {
        if n != 0 {
            PARKED.fetch_sub(n, Ordering::Relaxed);
        }
    }
    /// When the next sample is due (CLOCK_MONOTONIC_COARSE, ns).
    static NEXT_SAMPLE: AtomicU64 = AtomicU64::new(0);
    /// The verdict of the last sample (module comment: confirmation). Only
    /// the thread that won the sample's CAS touches it.
    static LAST: AtomicU8 = AtomicU8::new(Pressure::Quiet as u8);
    /// Until when the last `Own`, `Shared` and `Others` samples hold.
    static OWN_UNTIL: AtomicU64 = AtomicU64::new(0);
    static SHARED_UNTIL: AtomicU64 = AtomicU64::new(0);
    static OTHERS_UNTIL: AtomicU64 = AtomicU64::new(0);

    /// The last verdict, for a wait about to start: one relaxed load.
    #[inline]
    pub fn pressure() -> Pressure {
        from_u8(PRESSURE.load(Ordering::Relaxed))
    }

    fn from_u8(v: u8) -> Pressure {
        match v {
            0 => Pressure::Quiet,
            1 => Pressure::Own,
            2 => Pressure::Shared,
            _ => Pressure::Others,
        }
    }

    /// Take a sample when one is due. Called from the slow paths of a
    /// wait (after many spins, before parking).
    #[cold]
    pub fn sample() {
        let now = coarse_now_ns();
        let due = NEXT_SAMPLE.load(Ordering::Relaxed);
        if now < due
            || NEXT_SAMPLE
                .compare_exchange(due, now + SAMPLE_NS, Ordering::Relaxed, Ordering::Relaxed)
                .is_err()
        {
            return;
        }
        if let Some(running) = runnable_threads() {
            // the runtime's threads: the workers and the initial thread
            let ours = WORKERS_CREATED.load(Ordering::Relaxed) + 1;
            let awake = ours.saturating_sub(PARKED.load(Ordering::Relaxed));
            let verdict = classify(running, online_cpus(), awake);
            let last = from_u8(LAST.swap(verdict as u8, Ordering::Relaxed));
            let confirmed = if verdict >= Pressure::Shared { verdict.min(last.max(Pressure::Own)) } else { verdict };
            if confirmed < verdict {
                NEXT_SAMPLE.store(now + CONFIRM_NS, Ordering::Relaxed);
            }
            let until = match confirmed {
                Pressure::Quiet => None,
                Pressure::Own => Some(&OWN_UNTIL),
                Pressure::Shared => Some(&SHARED_UNTIL),
                Pressure::Others => Some(&OTHERS_UNTIL),
            };
            if let Some(until) = until {
                until.store(now + HOLD_NS, Ordering::Relaxed);
            }
        }
        let p = if now < OTHERS_UNTIL.load(Ordering::Relaxed) {
            Pressure::Others
        } else if now < SHARED_UNTIL.load(Ordering::Relaxed) {
            Pressure::Shared
        } else if now < OWN_UNTIL.load(Ordering::Relaxed) {
            Pressure::Own
        } else {
            Pressure::Quiet
        };
        PRESSURE.store(p as u8, Ordering::Relaxed);
    }

    /// The verdict of one sample: `running` runnable threads on `cpus`
    /// CPUs, of which at most `awake` (not parked) are this process's.
    pub(super) fn classify(running: u32, cpus: u32, awake: u32) -> Pressure {
        let strangers = running.saturating_sub(awake);
        if running <= cpus {
            Pressure::Quiet
        } else if strangers == 0 {
            Pressure::Own
        } else if strangers < cpus {
            Pressure::Shared
        } else {
            Pressure::Others
        }
    }

    fn coarse_now_ns() -> u64 {
        let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
        // SAFETY: `ts` is a valid, writable timespec; CLOCK_MONOTONIC_COARSE
        // exists on every Linux this runs on (a vDSO call, no syscall).
        unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC_COARSE, &mut ts) };
        ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
    }

    fn online_cpus() -> u32 {
        static N: OnceLock<u32> = OnceLock::new();
        *N.get_or_init(|| {
            // SAFETY: sysconf has no preconditions.
            let n = unsafe { libc::sysconf(libc::_SC_NPROCESSORS_ONLN) };
            n.clamp(1, u32::MAX as libc::c_long) as u32
        })
    }

    /// Runnable threads on the machine now (the caller among them), from
    /// `/proc/loadavg` ("0.59 1.68 1.95 3/100 26530"); None when it cannot
    /// be read (no /proc): then the machine never counts as busy.
    fn runnable_threads() -> Option<u32> {
        let mut buf = [0u8; 128];
        // SAFETY: the path is a NUL-terminated literal.
        let fd = unsafe { libc::open(c"/proc/loadavg".as_ptr(), libc::O_RDONLY | libc::O_CLOEXEC) };
        if fd < 0 {
            return None;
        }
        // SAFETY: `buf` is writable for its whole length and `fd` is open.
        let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
        // SAFETY: `fd` was opened above and is closed once.
        unsafe { libc::close(fd) };
        parse_running(buf.get(..usize::try_from(n).ok()?)?)
    }

    /// The `running` of the fourth field of /proc/loadavg.
    pub(super) fn parse_running(text: &[u8]) -> Option<u32> {
        let field = std::str::from_utf8(text).ok()?.split_ascii_whitespace().nth(3)?;
        field.split('/').next()?.parse().ok()
    }
}

#[cfg(not(loom))]
pub use imp::{parking, pressure, sample, unparked, woken};

#[cfg(loom)]
#[inline]
pub fn pressure() -> Pressure {
    Pressure::Quiet
}

#[cfg(loom)]
pub fn sample() {}

#[cfg(loom)]
pub fn parking() {}

#[cfg(loom)]
pub fn unparked() {}

#[cfg(loom)]
pub fn woken(_: u32) {}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::imp::{classify, parse_running};
    use super::Pressure;

    #[test]
    fn parses_the_running_field() {
        assert_eq!(parse_running(b"0.59 1.68 1.95 3/100 26530\n"), Some(3));
        assert_eq!(parse_running(b"12.65 7.28 4.14 18/126 11746\n"), Some(18));
        assert_eq!(parse_running(b"0.59 1.68\n"), None);
        assert_eq!(parse_running(b""), None);
    }

    #[test]
    fn classifies_who_oversubscribes() {
        // 2 CPUs
        assert_eq!(classify(2, 2, 8), Pressure::Quiet);
        assert_eq!(classify(6, 2, 8), Pressure::Own);
        assert_eq!(classify(8, 2, 8), Pressure::Own);
        // 4 threads on 2 CPUs and one stray runnable thread (another rank's
        // MPI polling, a build step): a yield may go to it
        assert_eq!(classify(5, 2, 4), Pressure::Shared);
        assert_eq!(classify(9, 2, 8), Pressure::Shared);
        // a parallel build beside us: two strangers fill both CPUs
        assert_eq!(classify(6, 2, 4), Pressure::Others);
        // two MPI ranks of 2 threads each, all runnable
        assert_eq!(classify(4, 2, 2), Pressure::Others);
        // two ranks of 4 threads, 3 of ours parked: the other rank's 4 are strangers
        assert_eq!(classify(5, 2, 1), Pressure::Others);
    }
}
