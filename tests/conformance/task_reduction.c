/* task_reduction.c - task reductions: taskgroup task_reduction with
 * in_reduction tasks (several variables and operators), nested taskgroups
 * with reductions on different variables, in_reduction in a taskloop, and
 * task reductions in every thread of a team.
 */
// ENV: OMP_NUM_THREADS=4
// RUN: nt4
// RUN: nt3 OMP_NUM_THREADS=3
// RUN: nt1 OMP_NUM_THREADS=1
#include "check.h"

int main(void)
{
    check_runtime();
    omp_set_dynamic(0);

    {
        long sum = 0;
        double prod = 1.0;
        int mx = 0;
#pragma omp parallel
#pragma omp single
        {
#pragma omp taskgroup task_reduction(+ : sum) task_reduction(* : prod) task_reduction(max : mx)
            {
                for (int i = 1; i <= 200; i++) {
#pragma omp task in_reduction(+ : sum) in_reduction(* : prod) in_reduction(max : mx) firstprivate(i)
                    {
                        sum += i;
                        if (i % 50 == 0)
                            prod *= 3.0;
                        if ((i * 37) % 211 > mx)
                            mx = (i * 37) % 211;
                    }
                }
            }
        }
        CHECK(sum == 20100 && prod == 81.0 && mx == 210, "sum %ld prod %g max %d", sum, prod, mx);
        printf("taskgroup task_reduction: sum=%ld prod=%.0f max=%d\n", sum, prod, mx);
    }

    {
        long a = 0, b = 0;
#pragma omp parallel
#pragma omp single
        {
#pragma omp taskgroup task_reduction(+ : a)
            {
                for (int i = 0; i < 30; i++) {
#pragma omp task in_reduction(+ : a) firstprivate(i)
                    a += i;
                }
#pragma omp taskgroup task_reduction(+ : b)
                {
                    for (int i = 0; i < 30; i++) {
#pragma omp task in_reduction(+ : a, b) firstprivate(i)
                        {
                            a += 1;
                            b += 2 * i;
                        }
                    }
                }
            }
        }
        CHECK(a == 435 + 30 && b == 870, "nested: a=%ld b=%ld", a, b);
        printf("nested task reductions: a=%ld b=%ld\n", a, b);
    }

    {
        long s = 0;
#pragma omp parallel
#pragma omp single
        {
#pragma omp taskgroup task_reduction(+ : s)
            {
#pragma omp taskloop in_reduction(+ : s) grainsize(10)
                for (int i = 0; i < 1000; i++)
                    s += i;
#pragma omp task in_reduction(+ : s)
                s += 1;
            }
        }
        CHECK(s == 499501, "taskloop in_reduction %ld", s);
        printf("taskloop in_reduction: %ld\n", s);
    }

    {
        long total = 0;
#pragma omp parallel reduction(+ : total)
        {
            long mine = 0;
#pragma omp taskgroup task_reduction(+ : mine)
            {
                for (int i = 0; i < 40; i++) {
#pragma omp task in_reduction(+ : mine)
                    mine += 2;
                }
            }
            CHECK(mine == 80, "per-thread task reduction %ld", mine);
            total += mine;
        }
        CHECK(total == 80L * omp_get_max_threads(), "total %ld", total);
        printf("task reductions in every thread: ok\n");
    }
    return 0;
}
