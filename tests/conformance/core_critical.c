/* core_critical.c - unnamed and named critical sections.
 *
 * Non-atomic read-modify-write sequences protected by critical sections
 * must not lose updates.  Two different names protect two counters; a
 * named critical may be nested inside the unnamed one (different locks).
 */
// ENV: OMP_NUM_THREADS=4
#include "check.h"

#define ITERS 20000

static volatile long plain_u, plain_a, plain_b;
static volatile int inside_a, inside_b, inside_u;
static int overlap_a, overlap_b, overlap_u;

static void slow_add(volatile long *p, long d)
{
    long v = *p;
    for (volatile int k = 0; k < 3; k++)
        ;
    *p = v + d;
}

int main(void)
{
    int n = 0;
    check_runtime();
    omp_set_dynamic(0);

#pragma omp parallel
    {
#pragma omp single
        n = omp_get_num_threads();
        int t = omp_get_thread_num();
        for (int i = 0; i < ITERS; i++) {
#pragma omp critical
            {
                if (inside_u++)
                    overlap_u++;
                slow_add(&plain_u, 1);
                inside_u--;
            }
            if ((i + t) % 2 == 0) {
#pragma omp critical(alpha)
                {
                    if (inside_a++)
                        overlap_a++;
                    slow_add(&plain_a, 2);
                    inside_a--;
                }
            } else {
#pragma omp critical(beta)
                {
                    if (inside_b++)
                        overlap_b++;
                    slow_add(&plain_b, 3);
                    inside_b--;
                }
            }
            if (i % 100 == 0) {
                /* nesting different critical sections is allowed */
#pragma omp critical
                {
#pragma omp critical(alpha)
                    slow_add(&plain_a, 0);
                }
            }
        }
    }

    long na = 0, nb = 0;
    for (int t = 0; t < n; t++)
        for (int i = 0; i < ITERS; i++) {
            if ((i + t) % 2 == 0)
                na++;
            else
                nb++;
        }
    CHECK(overlap_u == 0 && overlap_a == 0 && overlap_b == 0,
          "two threads inside the same critical: %d/%d/%d", overlap_u, overlap_a, overlap_b);
    CHECK(plain_u == (long)n * ITERS, "unnamed critical: %ld, expected %ld", plain_u,
          (long)n * ITERS);
    CHECK(plain_a == 2 * na, "critical(alpha): %ld, expected %ld", plain_a, 2 * na);
    CHECK(plain_b == 3 * nb, "critical(beta): %ld, expected %ld", plain_b, 3 * nb);
    printf("team %d: unnamed=%ld alpha=%ld beta=%ld\n", n, plain_u, plain_a, plain_b);

    /* critical from many short regions (locks survive team changes) */
    long c = 0;
    for (int r = 0; r < 300; r++) {
#pragma omp parallel num_threads(1 + r % 5)
        {
#pragma omp critical(gamma)
            c += omp_get_thread_num() + 1;
        }
    }
    long want = 0;
    for (int r = 0; r < 300; r++) {
        int k = 1 + r % 5;
        want += (long)k * (k + 1) / 2;
    }
    CHECK(c == want, "critical(gamma) across regions: %ld, expected %ld", c, want);
    printf("critical across 300 regions: %ld\n", c);
    return 0;
}
