/* hsomp's Haskell package links every executable with
 * -Wl,--wrap=rts_lock,--wrap=rts_unlock,--wrap=resumeThread (ld-options in
 * haskell/hsomp.cabal), so that a team thread waiting for a Capability that
 * a busy Haskell thread holds (a FunPtr callback, a parallelFor chunk, the
 * return of a safe foreign call) gets it promptly: the runtime's hooks
 * (rts-shim/csrc/yield.c) ask the Haskell thread holding it to yield.
 *
 * The hooks are weak: the shared runtime that GHCi and Template Haskell load
 * does not export them (and the shared RTS cannot be asked), so there the
 * calls go straight through. Capabilities and the RTS's register table are
 * opaque pointers here: only rts-shim includes GHC's headers. */
#include <stddef.h>

void *__real_rts_lock(void);
void __real_rts_unlock(void *cap);
void *__real_resumeThread(void *task);
void __real_setNumCapabilities(unsigned n);
void __real_freeScheduler(void);

void hsomp_rts_lock_enter(void) __attribute__((weak));
void hsomp_rts_lock_held(void *cap) __attribute__((weak));
void hsomp_rts_unlock_enter(void) __attribute__((weak));
int hsomp_rts_resume_enter(void *task) __attribute__((weak));
void hsomp_rts_resume_leave(void) __attribute__((weak));
void hsomp_rts_capabilities_changing(void) __attribute__((weak));
void hsomp_rts_capabilities_changed(void) __attribute__((weak));
void hsomp_rts_capabilities_freed(void) __attribute__((weak));

void *__wrap_rts_lock(void);
void __wrap_rts_unlock(void *cap);
void *__wrap_resumeThread(void *task);
void __wrap_setNumCapabilities(unsigned n);
void __wrap_freeScheduler(void);

void *__wrap_rts_lock(void)
{
    if (hsomp_rts_lock_enter == NULL)
        return __real_rts_lock();
    hsomp_rts_lock_enter();
    void *cap = __real_rts_lock();
    hsomp_rts_lock_held(cap);
    return cap;
}

void __wrap_rts_unlock(void *cap)
{
    if (hsomp_rts_unlock_enter != NULL)
        hsomp_rts_unlock_enter();
    __real_rts_unlock(cap);
}

/* resumeThread keeps errno for the Haskell caller; so do the hooks. */
void *__wrap_resumeThread(void *task)
{
    int waiting = hsomp_rts_resume_enter != NULL && hsomp_rts_resume_enter(task);
    void *regs = __real_resumeThread(task);
    if (waiting)
        hsomp_rts_resume_leave();
    return regs;
}

/* The RTS swaps its table of Capabilities (and frees the old one) here: the
 * runtime does not read the table meanwhile. */
void __wrap_setNumCapabilities(unsigned n)
{
    if (hsomp_rts_capabilities_changing != NULL)
        hsomp_rts_capabilities_changing();
    __real_setNumCapabilities(n);
    if (hsomp_rts_capabilities_changed != NULL)
        hsomp_rts_capabilities_changed();
}

/* hs_exit frees the Capabilities here: the runtime stops reading them. */
void __wrap_freeScheduler(void)
{
    if (hsomp_rts_capabilities_freed != NULL)
        hsomp_rts_capabilities_freed();
    __real_freeScheduler();
}
