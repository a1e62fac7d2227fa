/* Region-level A/B workload for bench/ab/ab.sh: N repetitions of one
 * construct mix, so that two builds of hsomp can be compared by wall time
 * (min and median of interleaved runs) when a protocol changes.
 *   p: an empty parallel region        b: a region with 10 barriers
 *   f: parallel for + reduction(+)     t: single producer of 20 tasks + taskwait
 * Prints a checksum on stdout. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int work(int x) { return x * 3 + 1; }

int main(int argc, char **argv) {
    if (argc != 3 || !strchr("pbft", argv[1][0])) {
        fprintf(stderr, "usage: %s p|b|f|t REPETITIONS\n", argv[0]);
        return 2;
    }
    char what = argv[1][0];
    int n = atoi(argv[2]);
    long sum = 0;
    for (int r = 0; r < n; r++) {
        if (what == 'p') {
#pragma omp parallel
            { }
        } else if (what == 'b') {
#pragma omp parallel
            for (int i = 0; i < 10; i++) {
#pragma omp barrier
            }
        } else if (what == 'f') {
#pragma omp parallel for reduction(+:sum)
            for (int i = 0; i < 100; i++)
                sum += work(i);
        } else {
#pragma omp parallel
#pragma omp single
            {
                for (int i = 0; i < 20; i++) {
#pragma omp task
                    { volatile int x = work(i); (void)x; }
                }
#pragma omp taskwait
            }
        }
    }
    printf("%ld\n", sum);
    return 0;
}
