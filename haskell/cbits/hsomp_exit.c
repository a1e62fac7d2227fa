/* hsomp's Haskell package links every executable with
 * -Wl,--wrap=pthread_exit (ld-options in haskell/hsomp.cabal).
 *
 * Why: when the GHC RTS shuts down (an uncaught exception, main returning)
 * while a thread is inside a call into Haskell (a FunPtr callback, a
 * parallelFor body), the RTS ends that thread with pthread_exit
 * (rts_checkSchedStatus -> shutdownThread). On an OpenMP team thread that
 * forced unwind would run up through the runtime's own frames: the worker
 * loop and GOMP_* entry points, Rust functions that must never be unwound.
 * Rust aborts there ("panic in a function that cannot unwind"), and unwinding
 * them would be undefined behaviour anyway. The process is ending: such a
 * thread (one inside an OpenMP region) sleeps until exit() ends it instead.
 * Every other thread exits as asked. */
#include <omp.h>
#include <unistd.h>

void __real_pthread_exit(void *retval) __attribute__((noreturn));
void __wrap_pthread_exit(void *retval) __attribute__((noreturn));

void __wrap_pthread_exit(void *retval)
{
    if (omp_get_level() > 0)
        for (;;) pause();
    __real_pthread_exit(retval);
}
