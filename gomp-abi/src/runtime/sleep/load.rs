//! Is the whole machine oversubscribed? Several processes on one machine
//! (MPI ranks, each with its own runtime) can together run more threads than
//! there are CPUs while each of them alone fits: a waiter that spins then
//! burns the CPU that the thread it waits for (in its own process or
//! another) needs. The process-local rule (more runtime threads than CPUs,
//! `spin_policy`) cannot see that, so waiters also look at the machine.
//!
//! The measure is the kernel's count of runnable threads right now (the
//! fourth field of `/proc/loadavg`, `running/total`) against the CPUs
//! online. A sample costs an open, a read and a close (a few µs), so it is
//! taken at most once per `SAMPLE_NS` by whichever waiter gets there first,
//! and only by waiters that already spin or park (a wait that ends quickly
//! never pays for it). One sample over the CPU count marks the machine busy
//! for `HOLD_NS`: threads that throttle and park drop out of the count, so
//! a single quiet sample does not mean the contention has gone.
//!
//! Under `--cfg loom` the machine is never busy (the models check the
//! wake-up protocol, not this heuristic).

#[cfg(not(loom))]
mod imp {
    use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
    use std::sync::OnceLock;

    /// At most one sample per 10 ms.
    const SAMPLE_NS: u64 = 10_000_000;
    /// A busy sample keeps the machine marked busy for 250 ms.
    const HOLD_NS: u64 = 250_000_000;

    static BUSY: AtomicBool = AtomicBool::new(false);
    /// When the next sample is due (CLOCK_MONOTONIC_COARSE, ns).
    static NEXT_SAMPLE: AtomicU64 = AtomicU64::new(0);
    /// Until when the last busy sample holds.
    static BUSY_UNTIL: AtomicU64 = AtomicU64::new(0);

    /// The last verdict, for a wait about to start: one relaxed load.
    #[inline]
    pub fn busy() -> bool {
        BUSY.load(Ordering::Relaxed)
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
        if runnable_threads().is_some_and(|running| running > online_cpus()) {
            BUSY_UNTIL.store(now + HOLD_NS, Ordering::Relaxed);
        }
        BUSY.store(now < BUSY_UNTIL.load(Ordering::Relaxed), Ordering::Relaxed);
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
pub use imp::{busy, sample};

#[cfg(loom)]
#[inline]
pub fn busy() -> bool {
    false
}

#[cfg(loom)]
pub fn sample() {}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::imp::parse_running;

    #[test]
    fn parses_the_running_field() {
        assert_eq!(parse_running(b"0.59 1.68 1.95 3/100 26530\n"), Some(3));
        assert_eq!(parse_running(b"12.65 7.28 4.14 18/126 11746\n"), Some(18));
        assert_eq!(parse_running(b"0.59 1.68\n"), None);
        assert_eq!(parse_running(b""), None);
    }
}
