/* Task creation at one thread, for instruction counts under callgrind
 * (bench/callgrind/count.sh).  Mode p: every thread creates n tasks; m: the
 * master creates them; d: one dependence chain (inout on one address);
 * D: independent addresses (out on 64 slots); w: the master creates them
 * in batches of 16, each batch followed by a taskwait (deferred tasks: run
 * it with OMP_NUM_THREADS=2, where a team of one would run them at once);
 * l: every thread walks binary trees of depth 5 whose leaves do the work
 * (taskbench's LEAF TASK TREE; n counts leaves).  Each task adds to a
 * sink. */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

static volatile long sink;
static long slots[64];

static void work(long i) { sink += i; }

static void leaf(int d, long i)
{
    if (d == 0) {
        work(i);
        return;
    }
#pragma omp task firstprivate(d, i)
    leaf(d - 1, i);
#pragma omp task firstprivate(d, i)
    leaf(d - 1, i);
}

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 10000;
    char mode = argc > 2 ? argv[2][0] : 'p';
    long x = 0;
#pragma omp parallel
    {
        if (mode == 'p') {
            for (long i = 0; i < n; i++) {
#pragma omp task firstprivate(i)
                work(i);
            }
        } else if (mode == 'm') {
#pragma omp master
            for (long i = 0; i < n; i++) {
#pragma omp task firstprivate(i)
                work(i);
            }
        } else if (mode == 'd') {
#pragma omp master
            for (long i = 0; i < n; i++) {
#pragma omp task firstprivate(i) depend(inout: x)
                work(i);
            }
        } else if (mode == 'w') {
#pragma omp master
            for (long i = 0; i < n; i++) {
#pragma omp task firstprivate(i)
                work(i);
                if (i % 16 == 15) {
#pragma omp taskwait
                }
            }
        } else if (mode == 'l') {
            for (long i = 0; i < n / 32 / omp_get_num_threads(); i++)
                leaf(5, i);
        } else if (mode == 'D') {
#pragma omp master
            for (long i = 0; i < n; i++) {
#pragma omp task firstprivate(i) depend(out: slots[i & 63])
                work(i);
            }
        }
    }
    printf("%ld\n", sink + x);
    return 0;
}
