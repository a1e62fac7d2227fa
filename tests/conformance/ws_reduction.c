/* ws_reduction.c - reductions GCC generates on worksharing constructs:
 * scalar operators (+ * - & | ^ && || min max) on int/long/double, arrays
 * sections, user-defined reductions, the task modifier on parallel / for /
 * sections (GOMP_parallel_reductions, GOMP_loop_start's reductions,
 * GOMP_sections2_start), scope with reductions and in_reduction tasks
 * (lastprivate(conditional:) is ws_lastprivate_conditional.c). */
// ENV: OMP_NUM_THREADS=4
// RUN: default
// RUN: oversub OMP_NUM_THREADS=6
// RUN: one OMP_NUM_THREADS=1
#include "check.h"

#define N 1000
struct pt { long x, y; };
#pragma omp declare reduction(ptadd : struct pt : omp_out.x += omp_in.x, omp_out.y += omp_in.y) initializer(omp_priv = (struct pt){0, 0})

int main(void)
{
    check_runtime();
    omp_set_dynamic(0);

    {
        long s = 0, p = 1, m = 0, bx = 0, bo = 0, bxor = 0, mn = 1 << 30, mx = -(1 << 30);
        int land = 1, lor = 0;
        double d = 0;
#pragma omp parallel for reduction(+ : s) reduction(* : p) reduction(- : m) reduction(& : bx) reduction(| : bo) \
    reduction(^ : bxor) reduction(min : mn) reduction(max : mx) reduction(&& : land) reduction(|| : lor) \
    reduction(+ : d) schedule(guided)
        for (int i = 1; i <= N; i++) {
            s += i;
            if (i % 100 == 0) p *= 2;
            m -= i;
            bx &= i;
            bo |= i;
            bxor ^= i;
            if (i * 7 % 1009 < mn) mn = i * 7 % 1009;
            if (i * 7 % 1009 > mx) mx = i * 7 % 1009;
            land = land && (i > 0);
            lor = lor || (i == 500);
            d += 0.25;
        }
        printf("operators: %ld %ld %ld %ld %ld %ld %ld %ld %d %d %.2f\n", s, p, m, bx, bo, bxor, mn, mx, land, lor, d);
    }
    {
        long hist[8] = {0};
        struct pt acc = {0, 0};
#pragma omp parallel for reduction(+ : hist[:8]) reduction(ptadd : acc) schedule(dynamic, 7)
        for (int i = 0; i < N; i++) {
            hist[i % 8] += i;
            acc.x += i;
            acc.y += 2 * i;
        }
        printf("array section: %ld %ld %ld, udr: %ld %ld\n", hist[0], hist[3], hist[7], acc.x, acc.y);
    }

    /* task modifier: tasks created in the construct contribute too */
    {
        long t = 0;
#pragma omp parallel reduction(task, + : t)
        {
#pragma omp single
            for (int i = 0; i < 50; i++) {
#pragma omp task in_reduction(+ : t)
                t += i;
            }
            t += 1;
        }
        CHECK(t == 1225 + omp_get_max_threads(), "parallel task reduction %ld", t);
        printf("parallel reduction(task): ok\n");
    }
    {
        long t = 0;
#pragma omp parallel
        {
#pragma omp for reduction(task, + : t) schedule(dynamic, 5)
            for (int i = 0; i < 100; i++) {
                if (i % 10 == 0) {
#pragma omp task in_reduction(+ : t)
                    t += 1000;
                }
                t += i;
            }
        }
        CHECK(t == 4950 + 10000, "for task reduction %ld", t);
        printf("for reduction(task): %ld\n", t);
    }
    {
        long t = 0;
#pragma omp parallel
        {
#pragma omp sections reduction(task, + : t)
            {
#pragma omp section
                {
#pragma omp task in_reduction(+ : t)
                    t += 5;
                }
#pragma omp section
                t += 7;
            }
        }
        CHECK(t == 12, "sections task reduction %ld", t);
        printf("sections reduction(task): %ld\n", t);
    }
    {
        long t = 0, plain = 0;
#pragma omp parallel
        {
#if defined(__clang__)
            /* clang 14 has no scope construct: a loop with one iteration
             * per thread (static, 1) does the same work with the same
             * reduction clauses */
#pragma omp for schedule(static, 1) reduction(task, + : t) reduction(+ : plain)
            for (int k = 0; k < omp_get_num_threads(); k++)
#else
#pragma omp scope reduction(task, + : t) reduction(+ : plain)
#endif
            {
#pragma omp task in_reduction(+ : t)
                t += 3;
                plain += 1;
            }
        }
        CHECK(t == 3 * omp_get_max_threads() && plain == omp_get_max_threads(), "scope reductions %ld %ld", t, plain);
        printf("scope reductions ok\n");
    }
    {
        long t = 0;
#pragma omp parallel
#pragma omp single
        {
#pragma omp taskgroup task_reduction(+ : t)
            {
                for (int i = 0; i < 20; i++) {
#pragma omp task in_reduction(+ : t)
                    t += i;
                }
            }
        }
        CHECK(t == 190, "taskgroup task_reduction %ld", t);
        printf("taskgroup task_reduction: %ld\n", t);
    }

    return 0;
}
