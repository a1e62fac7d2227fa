/* OpenMP C kernels shared by the examples (Haskell side, on hsomp) and by the
 * plain C comparison program cbits/hsomp_kernel_main.c (on libgomp). */
#define _GNU_SOURCE
#include <math.h>
#include <sched.h>
#include <omp.h>
#include <stdint.h>
#include "hsomp_examples.h"

/* The demo kernel: reps sweeps of an element-wise update, one region each. */
double hsomp_ex_kernel(double *a, int64_t n, int reps)
{
    for (int r = 0; r < reps; r++) {
#pragma omp parallel for schedule(static)
        for (int64_t i = 0; i < n; i++)
            a[i] = a[i] * 0.999 + sqrt((double)i + r);
    }
    return a[0] + a[n - 1];
}

/* One sweep of the kernel; *inside gets the region's time measured in C
 * (from just before the region opens to just after it closes). */
double hsomp_ex_kernel_timed(double *a, int64_t n, double *inside)
{
    double t0 = omp_get_wtime();
    double r = hsomp_ex_kernel(a, n, 1);
    *inside = omp_get_wtime() - t0;
    return r;
}

/* The same work without OpenMP. */
double hsomp_ex_kernel_seq(double *a, int64_t n, int reps)
{
    for (int r = 0; r < reps; r++)
        for (int64_t i = 0; i < n; i++)
            a[i] = a[i] * 0.999 + sqrt((double)i + r);
    return a[0] + a[n - 1];
}

int hsomp_ex_cpu(void) { return sched_getcpu(); }

/* count empty parallel regions (the fork/join cost). */
void hsomp_ex_empty_regions(int count)
{
    for (int k = 0; k < count; k++) {
#pragma omp parallel
        {
            __asm__ volatile("" ::: "memory");
        }
    }
}

/* Which team thread ran, and on which CPU: out[t] = sched_getcpu() of thread t. */
int hsomp_ex_team(int *cpu_of, int max)
{
    int team = 0;
#pragma omp parallel
    {
        int t = omp_get_thread_num();
        if (t == 0) team = omp_get_num_threads();
        if (t < max) cpu_of[t] = hsomp_ex_cpu();
    }
    return team;
}

/* C = A * B, n x n row-major. */
void hsomp_ex_dgemm(int64_t n, const double *A, const double *B, double *C)
{
#pragma omp parallel for schedule(static)
    for (int64_t i = 0; i < n; i++) {
        double *c = C + i * n;
        for (int64_t j = 0; j < n; j++) c[j] = 0;
        for (int64_t k = 0; k < n; k++) {
            const double aik = A[i * n + k];
            const double *b = B + k * n;
            for (int64_t j = 0; j < n; j++) c[j] += aik * b[j];
        }
    }
}

/* fn(i) for every i in [0, n): one Haskell callback per iteration. */
void hsomp_ex_call_each(int64_t n, void (*fn)(int64_t))
{
#pragma omp parallel for schedule(static)
    for (int64_t i = 0; i < n; i++) fn(i);
}

double hsomp_ex_sum_seq(const double *a, int64_t n)
{
    double s = 0;
    for (int64_t i = 0; i < n; i++) s += sqrt(a[i]);
    return s;
}

double hsomp_ex_sum_par(const double *a, int64_t n)
{
    double s = 0;
#pragma omp parallel for schedule(static) reduction(+ : s)
    for (int64_t i = 0; i < n; i++) s += sqrt(a[i]);
    return s;
}

void hsomp_ex_noop(void) { __asm__ volatile("" ::: "memory"); }
void hsomp_ex_noop_ptr(void *p) { __asm__ volatile("" : : "r"(p) : "memory"); }
