/* task_fib.c - deep task recursion and many tiny tasks.
 *
 * fib(30) with a task per call (1.6 million tasks, recursion depth 30),
 * 10^6 tiny tasks from one producer, 10^6 tasks spread over all threads
 * with a taskwait every 1000; each must finish without stack overflow,
 * leak or hang and give the exact result.
 */
// ENV: OMP_NUM_THREADS=4
// RUN: nt4
// RUN: nt2 OMP_NUM_THREADS=2
// RUN: nt1 OMP_NUM_THREADS=1
// TIMEOUT: 120
#include "check.h"

static long fib(int n)
{
    long a, b;
    if (n < 2)
        return n;
#pragma omp task shared(a)
    a = fib(n - 1);
#pragma omp task shared(b)
    b = fib(n - 2);
#pragma omp taskwait
    return a + b;
}

int main(void)
{
    check_runtime();
    omp_set_dynamic(0);

    long r = -1;
#pragma omp parallel
#pragma omp single
    r = fib(30);
    CHECK(r == 832040, "fib(30) = %ld", r);
    printf("fib(30) = %ld\n", r);

    enum { N = 1000000 };
    static unsigned char hit[N];
    long sum = 0;
#pragma omp parallel
    {
#pragma omp single
        for (int i = 0; i < N; i++) {
#pragma omp task firstprivate(i)
            {
                hit[i]++;
#pragma omp atomic
                sum += i & 7;
            }
        }
    }
    for (int i = 0; i < N; i++)
        CHECK(hit[i] == 1, "tiny task %d ran %d times", i, hit[i]);
    CHECK(sum == (long)N / 8 * 28, "tiny task sum %ld", sum);
    printf("%d tiny tasks from one producer: sum=%ld\n", N, sum);

    long total = 0;
#pragma omp parallel reduction(+ : total)
    {
        int nt = omp_get_num_threads(), me = omp_get_thread_num();
        long mine = 0;
        for (int i = me; i < N; i += nt) {
#pragma omp task firstprivate(i) shared(mine)
            {
#pragma omp atomic
                mine += 1;
            }
            if (i % 1000 == me) {
#pragma omp taskwait
            }
        }
#pragma omp taskwait
        total += mine;
    }
    CHECK(total == N, "tasks from every thread: %ld", total);
    printf("%d tasks from every thread: %ld\n", N, total);
    return 0;
}
