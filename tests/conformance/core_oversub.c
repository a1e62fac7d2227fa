/* core_oversub.c - more threads than cores.
 *
 * A team of 8 (on a 2-core machine) runs 2000 regions with a barrier and a
 * reduction inside each; then one region with a team of 16 checks every
 * thread number and a few barriers.  Spinning waiters must back off so this
 * finishes in reasonable time.
 */
// TIMEOUT: 90
#include "check.h"

int main(void)
{
    check_runtime();
    omp_set_dynamic(0);

    {
        long total = 0;
        int bad = 0;
        double t0 = omp_get_wtime();
        for (int r = 0; r < 2000; r++) {
            int arrived = 0;
            long sum = 0;
#pragma omp parallel num_threads(8) reduction(+ : sum)
            {
#pragma omp atomic
                arrived++;
#pragma omp barrier
                int a;
#pragma omp atomic read
                a = arrived;
                if (a != 8 || omp_get_num_threads() != 8) {
#pragma omp atomic
                    bad++;
                }
                sum += omp_get_thread_num() + r;
            }
            if (sum != 28 + 8L * r)
                bad++;
            total += sum;
        }
        double el = omp_get_wtime() - t0;
        fprintf(stderr, "8 threads x 2000 regions: %.3f s\n", el);
        CHECK(bad == 0, "8 threads x 2000 regions: %d errors", bad);
        /* libgomp needs well under a second here; 15 s means collapse */
        CHECK(el < 15.0, "8 threads x 2000 regions took %.1f s: oversubscription collapses", el);
        CHECK(total == 2000L * 28 + 8L * 1999 * 2000 / 2, "total %ld", total);
        printf("8 threads x 2000 regions with a barrier: total=%ld\n", total);
    }

    {
        int seen[16] = {0};
        int bad = 0, phase = 0;
#pragma omp parallel num_threads(16)
        {
            int t = omp_get_thread_num();
            if (omp_get_num_threads() != 16) {
#pragma omp atomic
                bad++;
            }
            if (t >= 0 && t < 16) {
#pragma omp atomic
                seen[t]++;
            }
            for (int k = 0; k < 50; k++) {
#pragma omp barrier
#pragma omp single
                phase++;
                /* implied barrier of single: everyone sees the new phase */
                int p;
#pragma omp atomic read
                p = phase;
                if (p != k + 1) {
#pragma omp atomic
                    bad++;
                }
            }
        }
        for (int t = 0; t < 16; t++)
            CHECK(seen[t] == 1, "team of 16: thread %d seen %d times", t, seen[t]);
        CHECK(bad == 0, "team of 16: %d errors", bad);
        printf("16 threads: tids 0..15 once each, 50 single phases ok\n");
    }
    return 0;
}
