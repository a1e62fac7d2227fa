/* The demo's comparison point: the same kernels as hsomp-demo, as a plain C
 * program. scripts/demo.sh builds it with gcc -fopenmp (libgomp) and runs it.
 * Usage: hsomp-kernel-c N REPS REGIONS   (prints key=value lines) */
#include <stdio.h>
#include <stdlib.h>
#include <omp.h>
#include "hsomp_examples.h"

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 1000000;
    int reps = argc > 2 ? atoi(argv[2]) : 50;
    int regions = argc > 3 ? atoi(argv[3]) : 10000;
    double *a = malloc(sizeof(double) * n);
    for (long i = 0; i < n; i++) a[i] = 1.0;
    hsomp_ex_kernel(a, n, 2); /* warm up the team */
    double best = 1e30, chk = 0;
    for (int k = 0; k < 5; k++) {
        for (long i = 0; i < n; i++) a[i] = 1.0;
        double t0 = omp_get_wtime();
        chk = hsomp_ex_kernel(a, n, reps);
        double t = omp_get_wtime() - t0;
        if (t < best) best = t;
    }
    hsomp_ex_empty_regions(100);
    double t0 = omp_get_wtime();
    hsomp_ex_empty_regions(regions);
    double per = (omp_get_wtime() - t0) / regions;
    printf("threads=%d\nkernel_ms=%.3f\nchecksum=%.6f\nempty_region_us=%.3f\n",
           omp_get_max_threads(), best * 1e3, chk, per * 1e6);
    free(a);
    return 0;
}
