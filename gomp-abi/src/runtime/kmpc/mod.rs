//! LLVM's `__kmpc_*` ABI (what `clang -fopenmp` emits for host code) on the
//! same runtime as the GOMP_* ABI: the entry points in `abi/kmpc/` call into
//! this module, which adapts LLVM's conventions to the team, work-share,
//! barrier and lock machinery the GCC side uses. A process may mix both ABIs
//! (a gcc-built function opening a region inside a clang-built one): there
//! is one pool, one `ThreadState` per thread, one nesting count.
//!
//! | file | what |
//! |---|---|
//! | mod.rs | `ident_t`, global thread ids, fork/join of a microtask, clauses pushed before a fork, host teams |
//! | static_sched.rs | `__kmpc_for_static_init_*`: one thread's bounds, computed alone |
//! | dispatch.rs | `__kmpc_dispatch_*`: inclusive bounds over the work-share ring |
//! | reduce.rs | `__kmpc_reduce*` methods, `__kmpc_copyprivate` |
//! | threadprivate.rs | `__kmpc_threadprivate*`: per-thread copies when clang does not use TLS |
//!
//! # Fork
//! `__kmpc_fork_call(loc, argc, microtask, ...)` is C-variadic, and the
//! microtask takes `argc` pointer-sized arguments after `(gtid*, btid*)`:
//! `csrc/kmpc_fork.c` copies the arguments into an array and its assembly
//! invoker (`hsomp_kmpc_invoke`) calls the microtask with them. Here the
//! microtask and its arguments become one `Region` on the master's stack
//! and `run_microtask` is the region's `Outlined` body for every thread of
//! the team, as GOMP_parallel's body would be; the master joins before the
//! `Region` goes away.
//!
//! # Global thread ids
//! LLVM code passes a "gtid" to nearly every call; hsomp finds the calling
//! thread's state through its thread-local and ignores the argument. The
//! ids it hands out (`__kmpc_global_thread_num`, the microtask's `*gtid`)
//! are process-unique and stable per OS thread, taken from a counter the
//! first time a thread asks (clang asks at the start of each function with
//! OpenMP constructs, so the initial thread usually gets 0, as in libomp).

use std::cell::Cell;
use std::ffi::{c_char, c_void};
use std::sync::atomic::{AtomicI32, Ordering};

use crate::runtime::team::{with_state, RegionExtras};
use crate::runtime::teams;
use crate::runtime::tls;

pub mod dispatch;
pub mod reduce;
pub mod static_sched;
pub mod threadprivate;

/// LLVM's `ident_t`: the source location and flags of a construct.
#[repr(C)]
pub struct Ident {
    reserved_1: i32,
    pub flags: i32,
    reserved_2: i32,
    reserved_3: i32,
    psource: *const c_char,
}

/// `ident_t` flag: the compiler generated the atomic reduction code
/// (`__kmpc_reduce*` may return 2).
pub const IDENT_ATOMIC_REDUCE: i32 = 0x10;

/// The flags of a possibly null `ident_t`.
///
/// # Safety
/// `loc` is null or points to an `ident_t` (clang passes static ones).
pub unsafe fn flags(loc: *const Ident) -> i32 {
    // SAFETY: caller's contract.
    unsafe { loc.as_ref() }.map_or(0, |l| l.flags)
}

/// LLVM's outlined region body: `void(kmp_int32 *gtid, kmp_int32 *btid, ...)`.
pub type Microtask = unsafe extern "C" fn(*mut i32, *mut i32, ...);

extern "C" {
    /// csrc/kmpc_fork.c: `microtask(gtid, btid, argv[0], .., argv[argc-1])`;
    /// `argv` has at least 4 slots.
    fn hsomp_kmpc_invoke(microtask: Microtask, gtid: *mut i32, btid: *mut i32, argc: i32, argv: *mut *mut c_void);
}

static NEXT_GTID: AtomicI32 = AtomicI32::new(0);

/// Clauses pushed (`__kmpc_push_*`) for the calling thread's next fork.
#[derive(Clone, Copy, Default)]
struct Pushed {
    num_threads: u32,
    proc_bind: u32,
    num_teams: u32,
    thread_limit: u32,
}

tls::lasting! {
    static GTID: i32 = NEXT_GTID.fetch_add(1, Ordering::Relaxed);
    static PUSHED: Cell<Pushed> = Cell::new(Pushed::default());
}

/// The calling thread's global id (module comment).
pub fn global_thread_num() -> i32 {
    GTID.with(|g| *g)
}

fn take_pushed() -> Pushed {
    PUSHED.with(|p| p.take())
}

fn push(f: impl FnOnce(&mut Pushed)) {
    PUSHED.with(|p| {
        let mut v = p.get();
        f(&mut v);
        p.set(v);
    })
}

/// `num_threads(n)` for the next fork of this thread (n <= 0: none).
pub fn push_num_threads(n: i32) {
    push(|p| p.num_threads = n.max(0) as u32)
}

/// `proc_bind(kind)` for the next fork: LLVM's values (false 0, true 1,
/// primary 2, close 3, spread 4) are GCC's, which runtime/bind.rs reads.
pub fn push_proc_bind(kind: i32) {
    push(|p| p.proc_bind = (kind.clamp(0, 4)) as u32)
}

/// `num_teams` / `thread_limit` of the next `__kmpc_fork_teams`.
pub fn push_num_teams(num_teams: i32, thread_limit: i32) {
    push(|p| {
        p.num_teams = num_teams.max(0) as u32;
        p.thread_limit = thread_limit.max(0) as u32;
    })
}

/// A microtask and its arguments, for the duration of one fork.
struct Region {
    microtask: Microtask,
    argc: i32,
    argv: *mut *mut c_void,
}

/// The `Outlined` body of a kmpc region: each thread calls the microtask
/// with its global id and its thread number.
unsafe extern "C" fn run_microtask(data: *mut c_void) {
    // SAFETY: `data` is the `Region` of `fork`/`fork_teams`, alive until the
    // master has joined (or the league ended).
    let r = unsafe { &*(data as *const Region) };
    let mut gtid = global_thread_num();
    let mut btid = with_state(|ts| ts.cur().tid as i32);
    // SAFETY: the microtask clang outlined, with the argc arguments it
    // passed to __kmpc_fork_call (argv has at least 4 slots: kmpc_fork.c).
    unsafe { hsomp_kmpc_invoke(r.microtask, &mut gtid, &mut btid, r.argc, r.argv) }
}

/// `__kmpc_fork_call`: run `microtask(args)` on a new team, the calling
/// thread being thread 0.
///
/// # Safety
/// `microtask` is clang's outlined body and `argv` holds its `argc`
/// arguments in at least 4 slots.
pub unsafe fn fork(argc: i32, microtask: Microtask, argv: *mut *mut c_void) {
    let pushed = take_pushed();
    let region = Region { microtask, argc, argv };
    let data = &region as *const Region as *mut c_void;
    with_state(|ts| {
        ts.fork_with(run_microtask, data, pushed.num_threads, RegionExtras { proc_bind: pushed.proc_bind, ..RegionExtras::NONE });
        // SAFETY: as for the workers, which run the same body.
        unsafe { run_microtask(data) };
        ts.join();
    })
}

/// The body recorded for a serialized region (never called: the encountering
/// thread runs the microtask itself).
unsafe extern "C" fn serialized_body(_: *mut c_void) {}

/// `__kmpc_serialized_parallel`: a region of one thread (`if(0)`, or a
/// nested region beyond max-active-levels), a real team of one so that
/// levels, thread numbers and worksharing are right inside it.
pub fn serialized_parallel() {
    take_pushed();
    with_state(|ts| ts.fork(serialized_body, std::ptr::null_mut(), 1))
}

pub fn end_serialized_parallel() {
    with_state(|ts| ts.join())
}

/// `__kmpc_fork_teams`: a league on the host, one team after another on
/// the calling thread (runtime/teams.rs), each running `microtask(args)`.
///
/// # Safety
/// As for `fork`.
pub unsafe fn fork_teams(argc: i32, microtask: Microtask, argv: *mut *mut c_void) {
    let pushed = take_pushed();
    let region = Region { microtask, argc, argv };
    // SAFETY: run_microtask and the region are valid for the league's length.
    unsafe { teams::run_league(run_microtask, &region as *const Region as *mut c_void, pushed.num_teams, pushed.thread_limit) }
}

/// The loop types of the `_4`, `_4u`, `_8`, `_8u` entry points: values
/// widen to `i128` exactly and come back by truncation; `Signed` is the
/// type of their increments, chunks and strides.
pub trait LoopInt: Copy {
    type Signed: Copy;
    const MIN: i128;
    const MAX: i128;
    fn widen(self) -> i128;
    fn widen_signed(s: Self::Signed) -> i128;
    /// The value with these low bits.
    fn from_bits(v: u64) -> Self;
    fn narrow(v: i128) -> Self;
    fn narrow_signed(v: i128) -> Self::Signed;
}

macro_rules! loop_int {
    ($($t:ty, $s:ty;)+) => {$(
        impl LoopInt for $t {
            type Signed = $s;
            const MIN: i128 = <$t>::MIN as i128;
            const MAX: i128 = <$t>::MAX as i128;
            fn widen(self) -> i128 {
                self as i128
            }
            fn widen_signed(s: $s) -> i128 {
                s as i128
            }
            fn from_bits(v: u64) -> $t {
                v as $t
            }
            fn narrow(v: i128) -> $t {
                v as $t
            }
            fn narrow_signed(v: i128) -> $s {
                v as $s
            }
        }
    )+};
}

loop_int! {
    i32, i32;
    u32, i32;
    i64, i64;
    u64, i64;
}
