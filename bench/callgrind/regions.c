/* n regions of one construct, for instruction counts under callgrind
 * (bench/callgrind/count.sh): p parallel, r parallel reduction, s parallel
 * + single, f parallel for. */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

static volatile long sink;

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 10000;
    char mode = argc > 2 ? argv[2][0] : 'p';
    for (long i = 0; i < n; i++) {
        if (mode == 'p') {
#pragma omp parallel
            sink++;
        } else if (mode == 'r') {
            long s = 0;
#pragma omp parallel reduction(+:s)
            s += 1;
            sink += s;
        } else if (mode == 's') {
#pragma omp parallel
            {
#pragma omp single
                sink++;
            }
        } else if (mode == 'f') {
#pragma omp parallel for
            for (int j = 0; j < 4; j++)
                sink++;
        }
    }
    printf("%ld\n", sink);
    return 0;
}
