/* task_basic.c - basic explicit tasks (deepened by the tasking issue).
 *
 * Recursive fib(20) with task + taskwait; a producer (single) creating many
 * tasks that all complete by the region's end barrier; taskwait ordering of
 * a child's side effect.
 */
// ENV: OMP_NUM_THREADS=4
#include "check.h"

static long fib(int n)
{
    long a, b;
    if (n < 2)
        return n;
#pragma omp task shared(a) firstprivate(n)
    a = fib(n - 1);
#pragma omp task shared(b) firstprivate(n)
    b = fib(n - 2);
#pragma omp taskwait
    return a + b;
}

int main(void)
{
    check_runtime();
    omp_set_dynamic(0);

    {
        long r = -1;
#pragma omp parallel
        {
#pragma omp single
            r = fib(20);
        }
        CHECK(r == 6765, "fib(20) = %ld", r);
        printf("fib(20) = %ld\n", r);
    }

    {
        enum { NT = 5000 };
        static int done[NT];
        long sum = 0;
#pragma omp parallel
        {
#pragma omp single
            for (int i = 0; i < NT; i++) {
#pragma omp task firstprivate(i)
                {
                    done[i]++;
#pragma omp atomic
                    sum += i;
                }
            }
            /* all tasks complete at the implicit barrier */
        }
        for (int i = 0; i < NT; i++)
            CHECK(done[i] == 1, "task %d ran %d times", i, done[i]);
        CHECK(sum == (long)NT * (NT - 1) / 2, "task sum %ld", sum);
        printf("%d tasks from a single producer: sum=%ld\n", NT, sum);
    }

    {
        int x = 0, seen = -1;
#pragma omp parallel num_threads(2)
        {
#pragma omp single
            {
#pragma omp task shared(x)
                x = 42;
#pragma omp taskwait
                seen = x;
            }
        }
        CHECK(seen == 42, "value after taskwait %d", seen);
        printf("taskwait sees child result: %d\n", seen);
    }

    /* tasks in the sequential part run too (implicit parallel region) */
    {
        int y = 0;
#pragma omp task shared(y)
        y = 7;
#pragma omp taskwait
        CHECK(y == 7, "task outside parallel: %d", y);
        printf("task outside a parallel region: %d\n", y);
    }
    return 0;
}
