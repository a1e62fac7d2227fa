/* core_barrier.c - explicit barriers.
 *
 * For several team sizes (including odd ones and more threads than cores),
 * every thread bumps a phase counter, waits at a barrier and then checks
 * that the counter shows every thread's bump of this phase, many times in a
 * row.  A second array check makes sure plain (non-atomic) stores before a
 * barrier are visible to every thread after it.
 */
// RUN: default
// RUN: passive OMP_WAIT_POLICY=passive
#include "check.h"

#define ITERS 400
#define MAXT 16

/* orphaned constructs: bound to whatever team the caller is in */
static int orphan(int *count)
{
    int single_ran = 0;
#pragma omp barrier
#pragma omp single
    single_ran = 1;
#pragma omp critical
    (*count)++;
#pragma omp barrier
    return single_ran;
}

int main(void)
{
    static const int sizes[] = {1, 2, 3, 4, 5, 7, 8};
    check_runtime();
    omp_set_dynamic(0);

    for (unsigned s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        int n = sizes[s];
        int counter = 0;
        int slot[MAXT];
        int bad_count = 0, bad_slot = 0, size_err = 0;
        memset(slot, 0xff, sizeof slot);

#pragma omp parallel num_threads(n)
        {
            int t = omp_get_thread_num();
            int nt = omp_get_num_threads();
            if (nt != n) {
#pragma omp atomic write
                size_err = nt;
            }
            for (int it = 0; it < ITERS; it++) {
#pragma omp atomic update
                counter++;
                slot[t] = it; /* plain store */
#pragma omp barrier
                int c;
#pragma omp atomic read
                c = counter;
                if (c != (it + 1) * nt) {
#pragma omp atomic update
                    bad_count++;
                }
                for (int u = 0; u < nt; u++)
                    if (slot[u] != it) {
#pragma omp atomic update
                        bad_slot++;
                    }
#pragma omp barrier
            }
        }
        CHECK(size_err == 0, "team of %d reported size %d", n, size_err);
        CHECK(bad_count == 0, "team of %d: counter wrong after a barrier %d times", n, bad_count);
        CHECK(bad_slot == 0, "team of %d: stale slot seen after a barrier %d times", n, bad_slot);
        CHECK(counter == ITERS * n, "team of %d: counter %d", n, counter);
        printf("team %d: %d barrier phases, counter=%d ok\n", n, 2 * ITERS, counter);
    }

    /* Orphaned barrier/single/critical: outside any region (a team of one),
     * in a team of one, and in a team of 4. */
    {
        int c = 0, s0, s1, s4 = 0;
        s0 = orphan(&c);
#pragma omp parallel num_threads(1)
        s1 = orphan(&c);
#pragma omp parallel num_threads(4) reduction(+ : s4)
        s4 += orphan(&c);
        CHECK(s0 == 1 && s1 == 1 && s4 == 1 && c == 6,
              "orphaned constructs: singles %d/%d/%d, criticals %d", s0, s1, s4, c);
        printf("orphaned barrier/single/critical outside, in a team of 1 and of 4: ok\n");
    }

    /* Uneven arrival: thread t does work proportional to t before each
     * barrier; the values left by the slowest thread must be visible. */
    {
        int n = 4;
        volatile double sink = 0;
        long phase_sum[4] = {0, 0, 0, 0};
        int bad = 0;
#pragma omp parallel num_threads(n)
        {
            int t = omp_get_thread_num();
            for (int it = 0; it < 100; it++) {
                double x = 0;
                for (int k = 0; k < (t + 1) * 2000; k++)
                    x += k * 0.5;
                sink = x;
                phase_sum[t] += it;
#pragma omp barrier
                long tot = phase_sum[0] + phase_sum[1] + phase_sum[2] + phase_sum[3];
                if (tot != 4L * it * (it + 1) / 2) {
#pragma omp atomic update
                    bad++;
                }
#pragma omp barrier
            }
        }
        (void)sink;
        CHECK(bad == 0, "uneven arrival: %d wrong sums after a barrier", bad);
        printf("uneven arrival: 200 barrier phases ok\n");
    }
    return 0;
}
