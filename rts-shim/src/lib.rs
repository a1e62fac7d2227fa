//! Safe Rust over hsomp's C shim, the only code that talks to the GHC RTS.
//!
//! Everything here is a thin, cold-path wrapper: booting the RTS, binding
//! worker threads to Capabilities, claiming Capabilities for exclusive mode.

#[allow(non_camel_case_types, dead_code)]
mod sys {
    include!(concat!(env!("OUT_DIR"), "/bindings.rs"));
}

use std::ffi::CString;

/// Whether the linked RTS is the threaded one (hsomp cannot run without it).
pub fn is_threaded() -> bool {
    // SAFETY: calls rtsSupportsBoundThreads, a constant query valid at any time.
    unsafe { sys::hsomp_rts_is_threaded() != 0 }
}

/// Whether the RTS is initialised.
pub fn is_running() -> bool {
    // SAFETY: reads the RTS global n_capabilities; a plain load of a word.
    unsafe { sys::hsomp_rts_is_running() != 0 }
}

/// Start the RTS with `capabilities` Capabilities and extra RTS flags, unless
/// it runs already. Returns true when this call started it.
pub fn boot(capabilities: u32, extra_flags: Option<&str>) -> bool {
    let flags = extra_flags.map(|f| CString::new(f.replace('\0', " ")).expect("no NUL left"));
    let ptr = flags.as_ref().map_or(std::ptr::null(), |c| c.as_ptr());
    // SAFETY: ptr is NULL or a NUL-terminated string alive for the call; the
    // shim serialises boot under its own mutex.
    unsafe { sys::hsomp_rts_boot(capabilities, ptr) != 0 }
}

/// Drop the reference `boot` took; stops the RTS when hsomp started it.
pub fn shutdown() {
    // SAFETY: the shim only calls hs_exit when it booted the RTS itself.
    unsafe { sys::hsomp_rts_shutdown() }
}

/// Number of enabled Capabilities (0 before the RTS runs).
pub fn enabled_capabilities() -> u32 {
    // SAFETY: a plain load of the RTS global, read from PIC code.
    unsafe { sys::hsomp_rts_enabled_capabilities() }
}

/// How often, at most, the Haskell thread running on a Capability is asked
/// to yield it to a team thread waiting for it (a callback, a parallelFor
/// chunk, an exclusive claim): once per `interval_us` microseconds per
/// Capability; `None` turns the requests off (in-calls then wait for the
/// RTS's own tick, +RTS -C). See csrc/yield.c.
pub fn set_yield_interval(interval_us: Option<u64>) {
    let us = interval_us.map_or(-1, |us| us.min(i64::MAX as u64 / 1000) as i64);
    // SAFETY: stores one word the shim reads atomically; valid at any time.
    unsafe { sys::hsomp_rts_set_yield_interval(us) }
}

/// How many enabled Capabilities, other than `except`, are held right now
/// (running Haskell, collecting garbage, in an unsafe foreign call, or
/// claimed): a racy snapshot. `None` when the shim cannot tell (the shared
/// RTS, or a GHC whose Capability layout the shim does not know).
pub fn busy_capabilities(except: Option<u32>) -> Option<u32> {
    let except = except.map_or(-1, |c| c as i32);
    // SAFETY: reads one pointer per Capability from the RTS's table, which
    // lives as long as the RTS; the shim checks the table and layout first.
    let busy = unsafe { sys::hsomp_rts_busy_capabilities(except) };
    u32::try_from(busy).ok()
}

/// Register the calling OS thread with the RTS, preferring `capability` for
/// its in-calls. The RTS must be running. The thread holds no Capability after.
pub fn bind_thread(capability: u32) {
    debug_assert!(is_running());
    // SAFETY: the RTS is running (checked by the caller's boot); this only
    // creates/updates the calling thread's own RTS Task.
    unsafe { sys::hsomp_rts_bind_thread(capability) }
}

/// Change the preferred in-call Capability of a bound thread.
pub fn prefer_capability(capability: u32) {
    // SAFETY: only sets a field of the calling thread's own RTS Task.
    unsafe { sys::hsomp_rts_prefer_capability(capability) }
}

/// The calling thread is exiting: free the RTS Task that `bind_thread` or
/// `prefer_capability` created for it, if they created one (not the Tasks
/// the RTS made itself, and never on the process's main thread). The RTS
/// must still be running.
pub fn thread_exit() {
    // SAFETY: hs_thread_done frees only the calling thread's own Task, which
    // the shim created and which is stopped (the thread is not inside a call
    // into Haskell while it exits); the RTS is running (caller's contract).
    unsafe { sys::hsomp_rts_thread_exit() }
}

/// The Capability the calling thread may hold: the one it holds inside an
/// *unsafe* foreign call, or else the one it last held (the RTS does not say
/// which of the two). `None` when it never held one or this thread was never
/// registered through `bind_thread`/`prefer_capability`.
pub fn last_capability() -> Option<u32> {
    // SAFETY: the shim only dereferences the calling thread's RTS Task when
    // it made sure the Task exists; Capabilities live as long as the RTS.
    let cap = unsafe { sys::hsomp_rts_last_capability() };
    u32::try_from(cap).ok()
}

/// A Capability held by this thread; released on drop. (Holds none in a
/// forked child, see `detach_after_fork`.)
pub struct HeldCapability(*mut std::ffi::c_void);

/// Claim a Capability (the preferred one when set) for the calling thread.
/// Blocks while Haskell code runs on it. The thread must hold none already.
pub fn claim_capability() -> HeldCapability {
    // SAFETY: rts_lock from a thread without a Capability is the documented
    // way to enter the RTS; the token is released exactly once by Drop.
    HeldCapability(unsafe { sys::hsomp_rts_claim_cap() })
}

impl Drop for HeldCapability {
    fn drop(&mut self) {
        // SAFETY: the token came from rts_lock on this thread (or is NULL,
        // which the shim ignores) and is released once.
        unsafe { sys::hsomp_rts_release_cap(self.0) }
    }
}

/// In the child of fork() (a `pthread_atfork` child handler, on the only
/// thread): the parent's RTS threads are gone and its locks may be held by
/// threads that do not exist here, so the shim stops calling into the RTS.
/// Binding, preferring and releasing threads do nothing after this, claims
/// hold nothing and `last_capability` is `None`.
pub fn detach_after_fork() {
    // SAFETY: sets a flag of the shim; the caller is the only thread.
    unsafe { sys::hsomp_rts_detach_after_fork() }
}

/// Whether this GHC has rts_pause (9.2 and later).
pub fn has_pause() -> bool {
    // SAFETY: constant query compiled into the shim.
    unsafe { sys::hsomp_rts_has_pause() != 0 }
}

/// All Haskell threads stopped (rts_pause) until dropped. `None` when this GHC
/// has no rts_pause.
pub struct Paused(*mut std::ffi::c_void);

pub fn pause() -> Option<Paused> {
    if !has_pause() {
        return None;
    }
    // SAFETY: rts_pause exists (checked above); the token is resumed once by Drop.
    let p = unsafe { sys::hsomp_rts_pause() };
    (!p.is_null()).then_some(Paused(p))
}

impl Drop for Paused {
    fn drop(&mut self) {
        // SAFETY: p came from hsomp_rts_pause and is resumed exactly once.
        unsafe { sys::hsomp_rts_resume(self.0) }
    }
}

/// GHC version the shim was compiled against, as `__GLASGOW_HASKELL__` (900 = 9.0).
pub fn ghc_version() -> u32 {
    // SAFETY: constant compiled into the shim.
    unsafe { sys::hsomp_rts_ghc_version() as u32 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boots_threaded_rts_and_binds_threads() {
        assert!(is_threaded());
        boot(2, Some("-A1m"));
        assert!(is_running());
        assert_eq!(enabled_capabilities(), 2);
        assert!(!boot(4, None), "second boot leaves the running RTS alone");
        assert_eq!(enabled_capabilities(), 2);
        let handles: Vec<_> = (0..3)
            .map(|i| {
                std::thread::spawn(move || {
                    bind_thread(i);
                    let held = claim_capability();
                    drop(held);
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        assert_eq!(ghc_version() / 100, 9);
        assert_eq!(has_pause(), ghc_version() >= 902);
    }

    #[test]
    fn last_capability_names_the_held_one() {
        boot(2, Some("-A1m"));
        std::thread::spawn(|| {
            assert_eq!(last_capability(), None, "a thread the shim never registered");
            bind_thread(1);
            assert_eq!(last_capability(), None, "a fresh Task never held a Capability");
            let held = claim_capability();
            assert_eq!(last_capability(), Some(1), "held: the preferred one");
            drop(held);
            assert_eq!(last_capability(), Some(1), "released: the one held last");
        })
        .join()
        .unwrap();
    }
}

