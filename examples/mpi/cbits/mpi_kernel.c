/* The OpenMP kernel of the Haskell MPI example: this rank's share of the
 * midpoint rule for the integral of 4/(1+x^2) over [0,1] (= pi), steps
 * [lo, hi) of n.  Compiled with -fopenmp and linked against hsomp, so the
 * team is hsomp's, on this rank's GHC Capabilities.  out[0] gets the partial
 * sum, out[1] the number of steps done, out[2] the team size. */
#define _GNU_SOURCE 1
#include <dlfcn.h>
#include <omp.h>
#include <string.h>

extern void GOMP_parallel(void (*fn)(void *), void *data, unsigned num_threads, unsigned flags);
extern const char *hsomp_runtime_version(void);

/* 1 when the OpenMP entry points this program calls come from the same
 * object as hsomp's own routine (for this statically linked program: the
 * executable), so the kernel's teams are hsomp's and not libgomp's. */
int hsomp_mpi_on_hsomp(void)
{
    Dl_info a, b, c;
    if (!dladdr((void *)hsomp_runtime_version, &a) || !dladdr((void *)GOMP_parallel, &b) ||
        !dladdr((void *)omp_get_thread_num, &c))
        return 0;
    return strcmp(a.dli_fname, b.dli_fname) == 0 && strcmp(a.dli_fname, c.dli_fname) == 0;
}

void hsomp_mpi_pi_part(long lo, long hi, long n, double *out)
{
    double h = 1.0 / (double)n, sum = 0.0;
    long steps = 0;
    int team = 0;
#pragma omp parallel reduction(+ : sum, steps)
    {
#pragma omp single
        team = omp_get_num_threads();
#pragma omp for schedule(static)
        for (long i = lo; i < hi; i++) {
            double x = h * ((double)i + 0.5);
            sum += 4.0 / (1.0 + x * x);
            steps++;
        }
    }
    out[0] = sum * h;
    out[1] = (double)steps;
    out[2] = (double)team;
}
