/* core_exclusive.c - hsomp's exclusive mode must not deadlock.
 *
 * In exclusive mode (HSOMP_EXCLUSIVE=true; other runtimes ignore it) the
 * workers of a region hold GHC Capabilities for the region's length.  Two
 * situations must still finish:
 *  - the master itself holds a Capability, as a Haskell thread inside an
 *    *unsafe* foreign call does.  Simulated from C: on hsomp the master
 *    prefers Capability 1 and takes it with the RTS's own rts_lock() before
 *    opening regions (skipped when the process has no GHC RTS, e.g. under
 *    libgomp, so stdout is the same everywhere);
 *  - nested active regions, whose workers would otherwise wait for the
 *    Capabilities the enclosing region's threads hold.
 * A deadlock shows as a timeout.
 */
// ENV: HSOMP_EXCLUSIVE=true
// TIMEOUT: 20
#include "check.h"

/* The GHC RTS's C API (RtsAPI.h); present only when hsomp is. */
#if defined(CONFORMANCE_STATIC) && CONFORMANCE_STATIC
extern void *rts_lock(void);
extern void rts_unlock(void *cap);
extern void rts_setInCallCapability(int cap, int affinity);
#else
extern void *rts_lock(void) __attribute__((weak));
extern void rts_unlock(void *cap) __attribute__((weak));
extern void rts_setInCallCapability(int cap, int affinity) __attribute__((weak));
#endif

int main(void)
{
    check_runtime();
    omp_set_dynamic(0);

    /* plain exclusive regions */
    for (int r = 0; r < 20; r++)
        CHECK(team_sum(2) == 3, "exclusive region of 2, round %d", r);
    printf("exclusive regions of 2: ok\n");

    /* the master holds a Capability (an unsafe foreign call) */
    void *(*lock)(void) = (void *(*)(void))conf_lookup((void *)rts_lock, "rts_lock");
    void (*unlock)(void *) = (void (*)(void *))conf_lookup((void *)rts_unlock, "rts_unlock");
    void (*prefer)(int, int) =
        (void (*)(int, int))conf_lookup((void *)rts_setInCallCapability, "rts_setInCallCapability");
    if (getenv("HSOMP_EXPECTED") && strcmp(getenv("HSOMP_EXPECTED"), "1") == 0)
        CHECK(lock && unlock && prefer, "hsomp run without the GHC RTS's rts_lock");
    for (int cap = 0; cap < 2; cap++) {
        void *held = NULL;
        if (lock) {
            prefer(cap, 0);
            held = lock();
        }
        for (int r = 0; r < 10; r++) {
            CHECK(team_sum(2) == 3, "master holding capability %d: team of 2, round %d", cap, r);
            CHECK(team_sum(4) == 10, "master holding capability %d: team of 4, round %d", cap, r);
        }
        if (lock)
            unlock(held);
    }
    printf("master holding a capability: teams of 2 and 4 ok\n");

    /* nested active regions */
    omp_set_max_active_levels(2);
    long total = 0;
    for (int r = 0; r < 10; r++) {
        long outer = 0;
#pragma omp parallel num_threads(2) reduction(+ : outer)
        outer += team_sum(2);
        CHECK(outer == 6, "nested exclusive regions, round %d: %ld", r, outer);
        total += outer;
    }
    printf("nested exclusive regions 2x2: total=%ld\n", total);
    return 0;
}
