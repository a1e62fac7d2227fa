/* hsomp's view of the GHC RTS. Nothing here includes a GHC header, so the Rust
 * bindings generated from this file stay independent of the GHC version. */
#ifndef HSOMP_RTS_SHIM_H
#define HSOMP_RTS_SHIM_H

/* 1 when the linked RTS is the threaded one; hsomp needs it. */
int hsomp_rts_is_threaded(void);

/* 1 when the RTS has been initialised (by a Haskell main or by us). */
int hsomp_rts_is_running(void);

/* Boot the threaded RTS from a C host with -N<capabilities> plus the
 * whitespace-separated RTS flags in extra_flags (may be NULL). Refcounted like
 * hs_init_ghc: returns 1 if this call started the RTS, 0 if it was running
 * already (then the RTS is left exactly as it was). */
int hsomp_rts_boot(unsigned capabilities, const char *extra_flags);

/* Drop the reference hsomp_rts_boot took (hs_exit when it started the RTS). */
void hsomp_rts_shutdown(void);

/* Number of enabled Capabilities; 0 when the RTS is not running. */
unsigned hsomp_rts_enabled_capabilities(void);

/* Register the calling OS thread with the RTS as a Task (once per thread;
 * cheap after) whose preferred in-call Capability is `capability` (modulo the
 * enabled count): a callback into Haskell from this thread enters on it.
 * Never waits for a Capability and holds none on return. */
void hsomp_rts_bind_thread(unsigned capability);

/* Change only the preferred in-call Capability of an already bound thread. */
void hsomp_rts_prefer_capability(unsigned capability);

/* The calling thread is exiting: free the RTS Task that bind_thread or
 * prefer_capability created for it (hs_thread_done), if they created one.
 * Tasks the thread had before (RTS workers, bound Haskell threads) are left
 * alone, and so is the process's main thread. The RTS must still be running:
 * a host that calls hs_exit itself joins such threads first. */
void hsomp_rts_thread_exit(void);

/* The Capability the calling thread holds, if it holds one (a Haskell thread
 * inside an *unsafe* foreign call does), else the one it last held; -1 when
 * it never held one or the shim never registered the thread (bind_thread /
 * prefer_capability). The RTS cannot tell "holds" from "held last" through
 * its public API, so callers must treat the answer as "may hold". */
int hsomp_rts_last_capability(void);

/* Claim a Capability for the calling thread (blocks until one is free; the
 * preferred one when set); returns an opaque token for hsomp_rts_release_cap
 * (NULL after detach_after_fork: nothing claimed, release ignores it).
 * While held, no Haskell mutator runs on it and a GC waits for its release. */
void *hsomp_rts_claim_cap(void);
void hsomp_rts_release_cap(void *token);

/* Called in the child of fork() (from a pthread_atfork child handler) when
 * the parent's RTS was running. The child has none of the RTS's own threads
 * (workers, timer, IO manager; a GC with several Capabilities waits for
 * them forever) and its locks may be held by threads that are gone, so from
 * now on bind_thread, prefer_capability and thread_exit do nothing,
 * last_capability answers -1 and claim_cap returns NULL without claiming. */
void hsomp_rts_detach_after_fork(void);

/* 1 when this GHC has rts_pause/rts_resume (GHC >= 9.2). */
int hsomp_rts_has_pause(void);
/* Stop every Haskell thread (rts_pause) / let them run again. Without
 * rts_pause these return NULL and do nothing; callers check has_pause. */
void *hsomp_rts_pause(void);
void hsomp_rts_resume(void *paused);

/* Yield requests (yield.c): a thread the shim registered that waits for a
 * Capability (claim_cap; with -Wl,--wrap=rts_lock every callback into
 * Haskell; with -Wl,--wrap=resumeThread every return from a safe foreign
 * call) asks the Haskell thread running on it to yield at its next heap
 * check, at most once per `microseconds` per Capability; a request inside
 * that interval is made when it ends. Negative: never ask. */
void hsomp_rts_set_yield_interval(long long microseconds);

/* How many yield requests were made so far. */
unsigned long long hsomp_rts_yield_requests(void);

/* How many enabled Capabilities other than number `except` (negative: no
 * exception) a Task holds right now (running Haskell, collecting garbage,
 * in an unsafe foreign call, claimed): a racy snapshot. -1 when the shim
 * cannot tell (shared RTS, or a Capability layout it does not know). */
int hsomp_rts_busy_capabilities(int except);

/* The GHC version the shim was compiled against, e.g. 900 for 9.0. */
int hsomp_rts_ghc_version(void);

#endif
