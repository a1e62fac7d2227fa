/* ORDERED with schedule(static, 1), built by gcc (GCC's ABI) and by clang
 * (LLVM's ABI): microseconds per iteration, and whether iteration j ran on
 * thread j % nthreads (bench/ordered/run.sh says why both builds). */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

static volatile long sink;

static void delay(int n)
{
    for (int i = 0; i < n; i++)
        sink += i;
}

int main(int argc, char **argv)
{
    long reps = argc > 1 ? atol(argv[1]) : 100000;
    long next = 0, misplaced = 0;
    double t0 = omp_get_wtime();
#pragma omp parallel shared(next, misplaced)
    {
        int me = omp_get_thread_num(), nt = omp_get_num_threads();
#pragma omp for schedule(static, 1) ordered
        for (long j = 0; j < reps; j++) {
#pragma omp ordered
            {
                delay(69);
                misplaced += j != next++ || j % nt != me;
            }
        }
    }
    double t = omp_get_wtime() - t0;
    printf("%.3f %s\n", t / reps * 1e6, misplaced ? "non-conforming" : "round-robin");
    return 0;
}
