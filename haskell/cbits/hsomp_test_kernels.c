/* OpenMP kernels used by the hsomp Haskell tests (compiled with -fopenmp,
 * linked against hsomp). */
#include <omp.h>
#include <stdint.h>

/* Sum of a[0..n) with a parallel region and manual chunking. */
double hsomp_test_sum(const double *a, int64_t n, int nthreads)
{
    double partial[256] = {0};
    int team = 1;
#pragma omp parallel num_threads(nthreads > 0 ? nthreads : omp_get_max_threads())
    {
        int t = omp_get_thread_num(), p = omp_get_num_threads();
        if (t == 0) team = p;
        int64_t q = n / p, r = n % p;
        int64_t lo = t * q + (t < r ? t : r), hi = lo + q + (t < r ? 1 : 0);
        double s = 0;
        for (int64_t i = lo; i < hi; i++) s += a[i];
        if (t < 256) partial[t] = s;
    }
    double s = 0;
    for (int t = 0; t < team && t < 256; t++) s += partial[t];
    return s;
}

/* out[i] = in[i] * k for i in [0, n), each team thread a block. */
void hsomp_test_scale(double *out, const double *in, int64_t n, double k)
{
#pragma omp parallel
    {
        int t = omp_get_thread_num(), p = omp_get_num_threads();
        int64_t q = n / p, r = n % p;
        int64_t lo = t * q + (t < r ? t : r), hi = lo + q + (t < r ? 1 : 0);
        for (int64_t i = lo; i < hi; i++) out[i] = in[i] * k;
    }
}

/* The team size a default region gets. */
int hsomp_test_team_size(void)
{
    int n = 0;
#pragma omp parallel
    {
        if (omp_get_thread_num() == 0) n = omp_get_num_threads();
    }
    return n;
}

/* Trivial functions for the batched-call tests. */
void hsomp_test_incr(int64_t *p) { __atomic_fetch_add(p, 1, __ATOMIC_RELAXED); }
void hsomp_test_add_ix(int64_t *acc, int64_t i) { *acc += i; }

/* Call fn(i) for i in [0, n) from a worksharing loop on the default team.
 * Stops early (remaining iterations skipped) once *cancel is non-zero; cancel
 * may be NULL. Returns the number of calls made. */
int64_t hsomp_test_call_each(void (*fn)(int64_t), int64_t n, volatile int *cancel)
{
    int64_t calls = 0;
#pragma omp parallel for schedule(dynamic, 1) reduction(+ : calls)
    for (int64_t i = 0; i < n; i++) {
        if (cancel && __atomic_load_n(cancel, __ATOMIC_RELAXED)) continue;
        fn(i);
        calls++;
    }
    return calls;
}

/* n iterations of about `secs` seconds of busy work each, on the default
 * team; once *cancel is non-zero the remaining iterations are skipped.
 * Returns the number of iterations that ran. */
int64_t hsomp_test_spin(int64_t n, double secs, volatile int *cancel)
{
    int64_t ran = 0;
#pragma omp parallel for schedule(dynamic, 1) reduction(+ : ran)
    for (int64_t i = 0; i < n; i++) {
        if (__atomic_load_n(cancel, __ATOMIC_RELAXED)) continue;
        double end = omp_get_wtime() + secs;
        while (omp_get_wtime() < end) { }
        ran++;
    }
    return ran;
}

/* The kernel of the storable-vector snippet in haskell/README.md. */
double hsomp_test_sumsq(const double *x, long n)
{
    double s = 0;
#pragma omp parallel for reduction(+:s)
    for (long i = 0; i < n; i++)
        s += x[i] * x[i];
    return s;
}
