/* DGEMM and empty parallel regions: whole-program style measurements. */
#include <omp.h>
#include <stdlib.h>
#include <string.h>
#include "bench.h"

static double *A, *B, *C;
static int cur_n;

static void setup(int n) {
    if (cur_n == n) return;
    free(A); free(B); free(C);
    size_t sz = (size_t)n * n * sizeof(double);
    A = malloc(sz); B = malloc(sz); C = malloc(sz);
    if (!A || !B || !C) abort();
    /* Small integers: every product and sum is exact, so checks are exact. */
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            A[(size_t)i * n + j] = (double)((i + 2 * j) % 7);
            B[(size_t)i * n + j] = (double)((3 * i + j) % 5);
        }
    cur_n = n;
}

/* C = A*B, rows split across threads; i-k-j order streams rows of B and C. */
static void multiply(int n) {
    const double *a = A, *b = B;
    double *c = C;
#pragma omp parallel for schedule(static)
    for (int i = 0; i < n; i++) {
        double *ci = c + (size_t)i * n;
        for (int k = 0; k < n; k++) {
            double aik = a[(size_t)i * n + k];
            const double *bk = b + (size_t)k * n;
            for (int j = 0; j < n; j++)
                ci[j] += aik * bk[j];
        }
    }
}

static void check(int n) {
    int rows[3] = {0, n / 2, n - 1};
    for (int r = 0; r < 3; r++) {
        int i = rows[r];
        for (int j = 0; j < n; j += (n / 16 > 0 ? n / 16 : 1)) {
            double s = 0.0;
            for (int k = 0; k < n; k++)
                s += A[(size_t)i * n + k] * B[(size_t)k * n + j];
            if (s != C[(size_t)i * n + j]) { g_invalid = 1; return; }
        }
    }
}

double dgemm_run(int n) {
    setup(n);
    memset(C, 0, (size_t)n * n * sizeof(double));
    double t0 = now_sec();
    multiply(n);
    double t = now_sec() - t0;
    check(n);
    return t;
}

static volatile int region_count_sink;

double empty_parallel_run(long count) {
    double t0 = now_sec();
    for (long j = 0; j < count; j++) {
#pragma omp parallel
        {
            /* empty: the asm only stops gcc from dropping the region */
            __asm__ volatile("" ::: "memory");
        }
    }
    double t = now_sec() - t0;
    region_count_sink = (int)count;
    return t;
}
