//! Persistent worker threads, each registered once with the GHC RTS and
//! preferring Capability `tid mod N` for in-calls (so a Haskell callback made
//! by team thread `tid` enters on that Capability). Workers run OpenMP work
//! without holding a Capability: GC never waits for them.
//!
//! # Hand-off protocol (one master, one worker, per job)
//! - `mailbox` (a `Signal`, sleep/) is the job generation. The worker finished job `k`
//!   when `ack == k`.
//! - Master: waits until `ack == mailbox` (the worker is idle and no longer
//!   reads the previous team), writes `job` (plain stores), then
//!   `mailbox.publish(k + 1)` (Release store, then notifies a parked worker).
//! - Worker: waits while `mailbox == k`, reads `job` (Acquire via the load
//!   in `wait_while`), runs it, then `ack.publish(k + 1)`.
//!
//! Only the master that owns the worker (its crew) writes `job`/`mailbox`; only
//! the worker writes `ack`. A worker moves between crews only through the
//! idle list, after its owner waited for its ack, so owners never overlap.
//!
//! Idle workers (not in any crew) sit in `IDLE`, a mutex-protected list; it is
//! touched only when a crew grows or its owner thread exits (cold paths).
//!
//! # Retiring (omp_pause_resource)
//! A job with a null team tells an idle worker to end its thread: it retires
//! the crews it owns as the master of nested regions (same protocol, one
//! level down, waiting for them to end), acks, and returns from its thread
//! function; its thread-local state is then destroyed as at any thread exit
//! (the RTS Task `bind_thread` created is freed: team.rs). The master joins
//! the thread, so once `retire` returns the worker and everything it owned
//! are gone; the next region starts new threads, whose thread-local
//! (threadprivate) variables start afresh.
//!
//! # fork()
//! The child of a fork has only the forking thread: none of the workers.
//! A `pthread_atfork` child handler gives it a fresh pool: it forgets (never
//! touches, waits for or frees) the idle workers and the forking thread's
//! crews, resets the idle list's lock (a worker or master of the parent may
//! have held it), and tells the RTS shim that the GHC RTS's threads are gone
//! too. The child's next region starts new workers.

use std::cell::UnsafeCell;
use std::os::unix::thread::JoinHandleExt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use super::lock::RawMutex;
use super::team::{self, Team};
use super::sleep::{Signal, SpinPolicy};
use super::{globals, spin_policy, CachePadded, WORKERS_CREATED};

#[derive(Clone, Copy)]
struct Job {
    team: *const Team,
    tid: u32,
}

/// The master-written half of a worker: the job and its generation share a
/// cache line, so handing over a job moves one line to the worker.
#[repr(C)]
struct Mailbox {
    generation: Signal,
    job: UnsafeCell<Job>,
}

pub struct Worker {
    mailbox: CachePadded<Mailbox>,
    ack: CachePadded<Signal>,
    /// The worker's thread, joined when it is retired.
    thread: Mutex<Option<JoinHandle<()>>>,
    /// The worker's pthread_t (OMP_DISPLAY_AFFINITY shows its id and mask).
    pthread: AtomicU64,
}

// SAFETY: `job` is written only by the owning master while the worker is idle
// (ack == mailbox) and read by the worker only after the mailbox moved; the
// Signal stores/loads order those accesses (see the module protocol).
unsafe impl Sync for Worker {}
// SAFETY: as above; the raw team pointer is only dereferenced by the worker
// during a job, while the master keeps the team alive.
unsafe impl Send for Worker {}

impl Worker {
    /// Master side: wait until the worker finished its last job.
    pub fn wait_idle(&self) {
        let k = self.mailbox.generation.load();
        if self.ack.load() != k {
            // ack only ever moves from k-1 to k.
            self.ack.wait_while(k.wrapping_sub(1), spin_policy());
        }
    }

    /// The worker thread's pthread_t.
    pub fn pthread(&self) -> libc::pthread_t {
        self.pthread.load(Ordering::Relaxed) as libc::pthread_t
    }

    /// Master side: give the (idle) worker a job in `team` as thread `tid`.
    pub fn assign(&self, team: *const Team, tid: u32) {
        debug_assert_eq!(self.ack.load(), self.mailbox.generation.load());
        // SAFETY: the worker is idle (caller waited in wait_idle), so it does
        // not read `job` until the mailbox store below publishes it.
        unsafe { *self.mailbox.job.get() = Job { team, tid } };
        let generation = &self.mailbox.generation;
        generation.publish(generation.load().wrapping_add(1));
    }
}

/// The idle workers: a list behind our own futex mutex, which (unlike
/// std's) the fork child handler can reset.
struct IdleList {
    lock: RawMutex,
    workers: UnsafeCell<Vec<Arc<Worker>>>,
}

// SAFETY: `workers` is only accessed with `lock` held (IdleList::with), or
// by the fork child handler while the forking thread is the only thread.
unsafe impl Sync for IdleList {}

impl IdleList {
    fn with<R>(&self, f: impl FnOnce(&mut Vec<Arc<Worker>>) -> R) -> R {
        self.lock.lock();
        // SAFETY: the lock is held, so this is the only reference; `f`
        // cannot reach IDLE again (it does not call acquire/release).
        let r = f(unsafe { &mut *self.workers.get() });
        self.lock.unlock();
        r
    }
}

static IDLE: IdleList = IdleList { lock: RawMutex::new(), workers: UnsafeCell::new(Vec::new()) };

/// Take an idle worker, or start a new one, for team thread number `tid`.
pub fn acquire(tid: u32) -> Arc<Worker> {
    if let Some(w) = IDLE.with(|idle| idle.pop()) {
        return w;
    }
    spawn(tid)
}

/// Return workers whose owner no longer needs them (after their acks).
pub fn release(workers: impl IntoIterator<Item = Arc<Worker>>) {
    IDLE.with(|idle| {
        for w in workers {
            w.wait_idle();
            idle.push(w);
        }
    })
}

/// End the threads of `workers`, which their owner no longer uses, and wait
/// until they are gone (see "Retiring" above).
pub fn retire(workers: impl IntoIterator<Item = Arc<Worker>>) {
    let workers: Vec<Arc<Worker>> = workers.into_iter().collect();
    // Tell them all first, so they wind down at the same time.
    for w in &workers {
        w.wait_idle();
        w.assign(std::ptr::null(), 0);
    }
    for w in &workers {
        let thread = w.thread.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(t) = thread {
            if t.join().is_err() {
                eprintln!("hsomp: a worker thread panicked while it was retired");
            }
        }
    }
    WORKERS_CREATED.fetch_sub(workers.len() as u32, Ordering::Relaxed);
}

/// Retire every idle worker not in any crew (omp_pause_resource).
pub fn retire_idle() {
    retire(IDLE.with(std::mem::take))
}

/// Register the fork child handler (once, when the runtime starts).
pub fn install_fork_handler() {
    // SAFETY: registers a handler with no parent-side parts; `after_fork_child`
    // is a plain extern "C" fn that lives as long as the process.
    let rc = unsafe { libc::pthread_atfork(None, None, Some(after_fork_child)) };
    if rc != 0 {
        eprintln!("hsomp: pthread_atfork failed ({rc}); a forked child must not use OpenMP");
    }
}

/// In the child of fork(), on the forking thread, the only thread there.
/// It frees nothing and waits for nothing (at most it creates the forking
/// thread's state, if that thread never used OpenMP).
extern "C" fn after_fork_child() {
    // SAFETY: no other thread exists to hold the lock or use the list; the
    // parent's holder (if any) is gone, so resetting the lock is its release.
    // The old list is forgotten, not dropped: its workers do not exist here.
    unsafe {
        IDLE.lock.init();
        std::mem::forget(std::mem::take(&mut *IDLE.workers.get()));
    }
    WORKERS_CREATED.store(0, Ordering::Relaxed);
    rts_shim::detach_after_fork();
    team::forget_workers_after_fork();
}

fn spawn(tid: u32) -> Arc<Worker> {
    let worker = Arc::new(Worker {
        mailbox: CachePadded(Mailbox {
            generation: Signal::default(),
            job: UnsafeCell::new(Job { team: std::ptr::null(), tid: 0 }),
        }),
        ack: CachePadded(Signal::default()),
        thread: Mutex::new(None),
        pthread: AtomicU64::new(0),
    });
    let mine = worker.clone();
    let n = WORKERS_CREATED.fetch_add(1, Ordering::Relaxed) + 1;
    let thread = std::thread::Builder::new()
        .name(format!("hsomp-worker-{n}"))
        .stack_size(globals().worker_stack)
        .spawn(move || worker_main(&mine, tid))
        .unwrap_or_else(|e| {
            eprintln!("hsomp: fatal: cannot start a worker thread: {e}");
            std::process::abort()
        });
    worker.pthread.store(thread.as_pthread_t() as u64, Ordering::Relaxed);
    *worker.thread.lock().unwrap_or_else(|e| e.into_inner()) = Some(thread);
    worker
}

fn worker_main(me: &Worker, first_tid: u32) {
    rts_shim::bind_thread(first_tid);
    let mut preferred = first_tid;
    let mut seen = 0u32;
    loop {
        let policy: SpinPolicy = spin_policy();
        me.mailbox.generation.wait_while(seen, policy);
        seen = me.mailbox.generation.load();
        // SAFETY: the mailbox moved, so the master finished writing `job`
        // (Release store in assign, Acquire load in wait_while/load).
        let job = unsafe { *me.mailbox.job.get() };
        if job.team.is_null() {
            // Retired: end the crews of this thread's nested regions first,
            // then leave (the master joins this thread).
            team::retire_own_crews();
            me.ack.publish(seen);
            return;
        }
        if job.tid != preferred {
            rts_shim::prefer_capability(job.tid);
            preferred = job.tid;
        }
        // SAFETY: the master keeps `job.team` alive and unchanged until this
        // worker acks (it waits in wait_idle before reusing or freeing it).
        unsafe { team::run_worker_job(&*job.team, job.tid) };
        me.ack.publish(seen);
    }
}
