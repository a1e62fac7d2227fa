/* core_single.c - single, single nowait, single copyprivate.
 *
 * Each of many consecutive single constructs must be executed by exactly
 * one thread; without nowait its effects are visible to all after it.
 * copyprivate broadcasts the executing thread's private value(s).
 */
// RUN: nt4 OMP_NUM_THREADS=4
// RUN: nt7 OMP_NUM_THREADS=7
#include "check.h"

#define N 1000

struct pair {
    int a;
    double b;
    char tag[8];
};

int main(void)
{
    static int exec[N], exec_nw[N];
    int n = 0;
    int errs_visible = 0, errs_copy = 0, errs_struct = 0;
    long shared_val = 0;

    check_runtime();
    omp_set_dynamic(0);

#pragma omp parallel
    {
#pragma omp single
        n = omp_get_num_threads();

        /* single with its implied barrier */
        for (int k = 0; k < N; k++) {
#pragma omp single
            {
                exec[k]++;
                shared_val = 3L * k + 1;
            }
            /* the barrier at the end of single makes the store visible */
            if (shared_val != 3L * k + 1) {
#pragma omp atomic update
                errs_visible++;
            }
#pragma omp barrier
        }

        /* single nowait: threads may be at different singles at once */
        for (int k = 0; k < N; k++) {
#pragma omp single nowait
            {
#pragma omp atomic update
                exec_nw[k]++;
            }
        }
#pragma omp barrier

        /* copyprivate of a scalar */
        for (int k = 0; k < N; k++) {
            int v = -1;
#pragma omp single copyprivate(v)
            v = 1000 + k;
            if (v != 1000 + k) {
#pragma omp atomic update
                errs_copy++;
            }
        }

        /* copyprivate of several variables, one of them a struct */
        for (int k = 0; k < 200; k++) {
            struct pair p = {-1, -1.0, "none"};
            long extra = -1;
#pragma omp single copyprivate(p, extra)
            {
                p.a = k;
                p.b = k * 0.25;
                snprintf(p.tag, sizeof p.tag, "k%d", k % 1000);
                extra = (long)k * k;
            }
            char want[8];
            snprintf(want, sizeof want, "k%d", k % 1000);
            if (p.a != k || p.b != k * 0.25 || strcmp(p.tag, want) != 0 ||
                extra != (long)k * k) {
#pragma omp atomic update
                errs_struct++;
            }
        }
    }

    for (int k = 0; k < N; k++) {
        CHECK(exec[k] == 1, "single #%d executed %d times", k, exec[k]);
        CHECK(exec_nw[k] == 1, "single nowait #%d executed %d times", k, exec_nw[k]);
    }
    CHECK(errs_visible == 0, "store in single not visible after it %d times", errs_visible);
    CHECK(errs_copy == 0, "copyprivate scalar wrong %d times", errs_copy);
    CHECK(errs_struct == 0, "copyprivate struct wrong %d times", errs_struct);
    printf("team %d: %d singles once each, %d singles nowait once each\n", n, N, N);
    printf("copyprivate: %d scalar broadcasts, 200 struct broadcasts ok\n", N);

    /* single in a team of one and in the sequential part */
    {
        int c = 0;
#pragma omp parallel num_threads(1)
        {
#pragma omp single
            c++;
        }
#pragma omp single
        c++;
        CHECK(c == 2, "single in team of 1 / sequential: %d", c);
        printf("single in team of 1 and outside a region: ok\n");
    }
    return 0;
}
