/* core_wtime.c - omp_get_wtime / omp_get_wtick.
 *
 * Wall-clock time is monotonic (on every thread), has a positive tick, and
 * measures a sleep of 50 ms as at least ~50 ms.
 */
#include "check.h"
#include <time.h>

int main(void)
{
    double tick, t0, t1, prev;
    int bad = 0;
    check_runtime();

    tick = omp_get_wtick();
    CHECK(tick > 0.0 && tick < 0.01, "omp_get_wtick()=%g", tick);
    printf("wtick > 0 and < 10ms: yes\n");

    prev = omp_get_wtime();
    for (int i = 0; i < 100000; i++) {
        double now = omp_get_wtime();
        if (now < prev)
            bad++;
        prev = now;
    }
    CHECK(bad == 0, "omp_get_wtime went backwards %d times", bad);
    printf("100000 consecutive readings non-decreasing: yes\n");

    t0 = omp_get_wtime();
    struct timespec ts = {0, 50 * 1000 * 1000};
    nanosleep(&ts, NULL);
    t1 = omp_get_wtime();
    CHECK(t1 - t0 >= 0.045 && t1 - t0 < 30.0, "50 ms sleep measured as %g s", t1 - t0);
    printf("50 ms sleep measured within bounds: yes\n");

#pragma omp parallel num_threads(4) reduction(+ : bad)
    {
        double p = omp_get_wtime();
        for (int i = 0; i < 20000; i++) {
            double q = omp_get_wtime();
            if (q < p)
                bad++;
            p = q;
        }
        /* the time is consistent across threads: all of them after t1 */
        if (p < t1)
            bad++;
    }
    CHECK(bad == 0, "omp_get_wtime inconsistent inside a region (%d)", bad);
    printf("wtime monotonic on 4 threads: yes\n");
    return 0;
}
