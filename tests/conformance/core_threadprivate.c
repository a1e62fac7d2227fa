/* core_threadprivate.c - threadprivate data and copyin across regions.
 *
 * OpenMP guarantees that threadprivate variables keep their values between
 * two parallel regions when neither is nested in another active region,
 * both have the same number of threads, and dyn-var is false.  So thread i
 * of the second region must see what thread i of the first one stored:
 * the runtime must give thread number i to the same OS thread.  (Only
 * consecutive regions: a region of another size in between voids the
 * guarantee, and libgomp does replace threads then.)
 */
// ENV: OMP_NUM_THREADS=4
#include "check.h"
#include <pthread.h>

static int tp_counter;
static double tp_value;
#pragma omp threadprivate(tp_counter, tp_value)

static __thread int tls_marker; /* compiler TLS: same persistence */

int main(void)
{
    int bad = 0;
    pthread_t who[4];
    check_runtime();
    omp_set_dynamic(0);

    tp_counter = 100; /* the master's copy */
#pragma omp parallel num_threads(4)
    {
        int t = omp_get_thread_num();
        tp_counter = 10 * t;
        tp_value = t + 0.5;
        tls_marker = t + 1;
        who[t] = pthread_self();
    }
    for (int r = 0; r < 50; r++) {
#pragma omp parallel num_threads(4) reduction(+ : bad)
        {
            int t = omp_get_thread_num();
            if (tp_counter != 10 * t + r || tp_value != t + 0.5 || tls_marker != t + 1)
                bad++;
            if (!pthread_equal(who[t], pthread_self()))
                bad++;
            tp_counter++;
            /* an inactive nested region (max-active-levels 1) in between
             * does not break the persistence guarantee */
            if (r % 10 == 5) {
#pragma omp parallel num_threads(2)
                {
                    if (omp_get_num_threads() != 1)
                        bad++;
                }
            }
        }
    }
    CHECK(bad == 0, "threadprivate values not persistent across regions (%d mismatches)", bad);
    /* the master is thread 0: its copy went 100 -> 0 -> 50 */
    CHECK(tp_counter == 50, "master's threadprivate copy is %d", tp_counter);
    printf("threadprivate persisted across 51 regions of 4 threads\n");

    /* copyin: every thread starts the region with the master's value */
    tp_counter = 777;
    tp_value = 1.25;
    {
        int cbad = 0;
#pragma omp parallel num_threads(4) copyin(tp_counter, tp_value) reduction(+ : cbad)
        {
            if (tp_counter != 777 || tp_value != 1.25)
                cbad++;
            tp_counter += omp_get_thread_num();
        }
        CHECK(cbad == 0, "copyin: %d threads saw a wrong value", cbad);
        printf("copyin: 4 threads saw 777/1.25\n");
    }
    {
        int sum = 0;
#pragma omp parallel num_threads(4) reduction(+ : sum)
        sum += tp_counter;
        CHECK(sum == 4 * 777 + 6, "values after copyin region: sum %d", sum);
        printf("threadprivate after copyin region: sum=%d\n", sum);
    }
    return 0;
}
