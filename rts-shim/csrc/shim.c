/* The only hsomp code that includes GHC headers. Compiled as PIC: the RTS
 * globals n_capabilities/enabled_capabilities must be read through the GOT,
 * a non-PIC executable would see a COPY-relocated snapshot. */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <stddef.h>
#include <stdint.h>
#include "ghcversion.h"
#include "Rts.h"
#include "RtsAPI.h"
#include "shim.h"
#include "internal.h"

/* From offsets.c (DerivedConstants.h, which cannot meet Rts.h). */
extern const size_t hsomp_rts_offset_capability_no;

int hsomp_rts_is_threaded(void) { return rtsSupportsBoundThreads() ? 1 : 0; }

int hsomp_rts_is_running(void) { return n_capabilities > 0; }

unsigned hsomp_rts_enabled_capabilities(void) { return enabled_capabilities; }

int hsomp_rts_ghc_version(void) { return __GLASGOW_HASKELL__; }

/* Guards boot/shutdown; never taken on a hot path. */
static pthread_mutex_t boot_lock = PTHREAD_MUTEX_INITIALIZER;
static int booted_by_us;

#define MAX_BOOT_ARGS 64

int hsomp_rts_boot(unsigned capabilities, const char *extra_flags)
{
    int started = 0;
    pthread_mutex_lock(&boot_lock);
    if (n_capabilities == 0) {
        /* argv storage must outlive hs_init_ghc; it is only read during it,
         * but keep it static so nothing dangles if the RTS keeps pointers. */
        static char caps_flag[32];
        static char *flags_copy;
        static char *argv_store[MAX_BOOT_ARGS + 1];
        int argc = 0;
        argv_store[argc++] = "hsomp";
        argv_store[argc++] = "+RTS";
        snprintf(caps_flag, sizeof caps_flag, "-N%u", capabilities ? capabilities : 1);
        argv_store[argc++] = caps_flag;
        /* A C host owns its signals (SIGINT, SIGPIPE...), not the RTS. */
        argv_store[argc++] = "--install-signal-handlers=no";
        if (extra_flags != NULL) {
            flags_copy = strdup(extra_flags);
            for (char *tok = strtok(flags_copy, " \t\n"); tok != NULL && argc < MAX_BOOT_ARGS - 1;
                 tok = strtok(NULL, " \t\n"))
                argv_store[argc++] = tok;
        }
        argv_store[argc++] = "-RTS";
        argv_store[argc] = NULL;
        char **argv = argv_store;
        RtsConfig conf = defaultRtsConfig;
        conf.rts_opts_enabled = RtsOptsAll;
        hs_init_ghc(&argc, &argv, conf);
        booted_by_us = 1;
        started = 1;
    }
    pthread_mutex_unlock(&boot_lock);
    return started;
}

void hsomp_rts_shutdown(void)
{
    pthread_mutex_lock(&boot_lock);
    if (booted_by_us) {
        booted_by_us = 0;
        shim_capabilities_gone();
        hs_exit();
    }
    pthread_mutex_unlock(&boot_lock);
}

/* Set in the child of a fork() of a process whose RTS was running: the
 * RTS's worker, timer and IO manager threads are gone, and its locks may be
 * held by threads that do not exist here. The shim then leaves the RTS alone
 * (see hsomp_rts_detach_after_fork). Written only by the forking thread
 * while it is the child's only thread. */
static int detached;

void hsomp_rts_detach_after_fork(void)
{
    detached = 1;
    shim_yield_after_fork();
}

/* Whether the calling thread has an RTS Task because the shim asked for one
 * (rts_setInCallCapability creates it when missing): only then may
 * rts_unsafeGetMyCapability, which dereferences the Task, be called. */
static __thread int has_task;
/* Whether that Task was created for the shim, so the shim frees it when the
 * thread exits. The RTS's own Tasks (its workers, bound Haskell threads, C
 * threads that called into Haskell before) are the RTS's or their owner's
 * to free. */
static __thread int task_is_ours;
/* The Capability this thread's in-calls prefer (valid when has_task). */
static __thread unsigned preferred_capability;

static void set_in_call_capability(unsigned capability)
{
    if (detached)
        return;
    rts_setInCallCapability((int)capability, 0);
    preferred_capability = capability;
    if (!has_task) {
        has_task = 1;
        /* The RTS has no public myTask(). A Task that never held a
         * Capability (cap NULL) was just made by getTask inside
         * rts_setInCallCapability, or by an earlier such call that never
         * led into Haskell either: a stopped, non-worker Task that only
         * this thread knows, which is what hs_thread_done frees. Every
         * Task the RTS uses itself has held a Capability. */
        task_is_ours = rts_unsafeGetMyCapability() == NULL;
    }
}

void hsomp_rts_thread_exit(void)
{
    /* Not on the process's main thread: its exit is the process's exit,
     * possibly after the host's hs_exit freed every Task already. */
    if (task_is_ours && !detached && getpid() != (pid_t)syscall(SYS_gettid))
        hs_thread_done();
    has_task = 0;
    task_is_ours = 0;
}

void hsomp_rts_bind_thread(unsigned capability)
{
    /* rts_setInCallCapability creates this thread's RTS Task (getMyTask) and
     * records the preferred Capability. No rts_lock here: a worker must never
     * wait for a Capability just to exist, or a master inside an *unsafe*
     * foreign call holding the only free Capability would wait forever for
     * its workers. Callbacks take the Capability when they need it. */
    set_in_call_capability(capability);
}

void hsomp_rts_prefer_capability(unsigned capability)
{
    set_in_call_capability(capability);
}

int hsomp_rts_last_capability(void)
{
    if (!has_task || detached)
        return -1;
    /* The Task's cap field: the Capability it runs on while it holds one,
     * the one it last held otherwise, NULL if it never held one. */
    const char *cap = (const char *)rts_unsafeGetMyCapability();
    if (cap == NULL)
        return -1;
    return (int)*(const uint32_t *)(cap + hsomp_rts_offset_capability_no);
}

void *hsomp_rts_claim_cap(void) { return detached ? NULL : shim_lock_capability(); }

int shim_preferred_capability(unsigned *capability)
{
    if (!has_task || detached)
        return 0;
    *capability = preferred_capability;
    return 1;
}

void hsomp_rts_release_cap(void *token)
{
    if (token != NULL)
        rts_unlock((Capability *)token);
}

#if __GLASGOW_HASKELL__ >= 904
/* 9.4 turned the by-value RtsPaused into an opaque PauseToken pointer. */
int hsomp_rts_has_pause(void) { return 1; }
void *hsomp_rts_pause(void) { return rts_pause(); }
void hsomp_rts_resume(void *paused)
{
    if (paused != NULL) rts_resume((PauseToken *)paused);
}
#elif __GLASGOW_HASKELL__ >= 902
int hsomp_rts_has_pause(void) { return 1; }
void *hsomp_rts_pause(void)
{
    RtsPaused *p = malloc(sizeof *p);
    if (p != NULL) *p = rts_pause();
    return p;
}
void hsomp_rts_resume(void *paused)
{
    if (paused == NULL) return;
    rts_resume(*(RtsPaused *)paused);
    free(paused);
}
#else
int hsomp_rts_has_pause(void) { return 0; }
void *hsomp_rts_pause(void) { return NULL; }
void hsomp_rts_resume(void *paused) { (void)paused; }
#endif
