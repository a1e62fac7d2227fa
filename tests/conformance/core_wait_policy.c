/* core_wait_policy.c - idle threads do not burn the machine.
 *
 * After a few regions the master sleeps 300 ms; meanwhile the idle workers
 * must wait passively (OMP_WAIT_POLICY=passive: "should not consume
 * processor cycles"; by default: after at most a short spin).  The process
 * CPU time used during the sleep must stay well below one core.
 * The same is checked with the master blocked inside a region while the
 * others wait at a barrier, which they must do passively too under the
 * passive policy.  Without OMP_WAIT_POLICY the specification leaves the
 * waiting implementation-defined; the default case checks the hsomp design
 * (spin briefly, then park), which libgomp and libomp also follow.
 */
// RUN: passive OMP_WAIT_POLICY=passive OMP_NUM_THREADS=4
// RUN: default OMP_NUM_THREADS=4
// RUN: spin10 GOMP_SPINCOUNT=10 OMP_NUM_THREADS=4
#include "check.h"
#include <sys/resource.h>
#include <time.h>

static double cpu_seconds(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec * 1e-6 + ru.ru_stime.tv_sec +
           ru.ru_stime.tv_usec * 1e-6;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0)
        ;
}

int main(void)
{
    const char *wp = getenv("OMP_WAIT_POLICY");
    int passive = wp && strcmp(wp, "passive") == 0;
    long s = 0;
    check_runtime();
    omp_set_dynamic(0);

    for (int r = 0; r < 50; r++) {
#pragma omp parallel reduction(+ : s)
        s += omp_get_thread_num();
    }
    CHECK(s == 50 * 6, "regions: %ld", s);

    /* idle between regions; allow a spin phase to end first (LLVM's libomp
     * spins 200 ms by default) */
    sleep_ms(300);
    double c0 = cpu_seconds(), w0 = omp_get_wtime();
    sleep_ms(300);
    double c1 = cpu_seconds(), w1 = omp_get_wtime();
    double frac = (c1 - c0) / (w1 - w0);
    fprintf(stderr, "CPU while idle between regions: %.1f%% of one core\n", 100 * frac);
    CHECK(frac < 0.25, "idle workers used %.0f%% of a core while the master slept", 100 * frac);
    printf("idle between regions: workers quiet\n");

    /* waiting at a barrier for a slow master */
    if (passive) {
        double cpu_in = 0, wall_in = 0;
#pragma omp parallel
        {
            if (omp_get_thread_num() == 0) {
                sleep_ms(100); /* any spin phase is over */
                double a = cpu_seconds(), b = omp_get_wtime();
                sleep_ms(300);
                cpu_in = cpu_seconds() - a;
                wall_in = omp_get_wtime() - b;
            }
#pragma omp barrier
        }
        fprintf(stderr, "CPU while 3 threads wait at a barrier: %.1f%% of one core\n",
                100 * cpu_in / wall_in);
        CHECK(cpu_in / wall_in < 0.25, "passive barrier waiters used %.0f%% of a core",
              100 * cpu_in / wall_in);
        printf("passive waiters at a barrier: quiet\n");
    }
    return 0;
}
