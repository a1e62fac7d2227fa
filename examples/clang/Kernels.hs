{-# LANGUAGE QuasiQuotes, TemplateHaskell #-}
-- | OpenMP C kernels compiled by clang: the @#pragma hsomp cc clang-14@ line
--   makes the 'omp' quasiquoter compile the block with clang, which emits
--   LLVM's OpenMP ABI (@__kmpc_fork_call@, @__kmpc_for_static_init_8@,
--   @__kmpc_omp_task_alloc@, ...); the hsomp runtime the package links
--   implements it beside GCC's @GOMP_*@.
module Kernels where

import Foreign (FunPtr, Ptr)

import Control.Parallel.OpenMP.Inline (omp)

[omp|
#pragma hsomp cc clang-14
#include <omp.h>

/* 1 when compiled by clang: the example is about clang's ABI. */
int hsomp_clang_built(void)
{
#if defined(__clang__)
    return 1;
#else
    return 0;
#endif
}

double hsomp_clang_dot(long n, const double *x, const double *y)
{
    double s = 0;
#pragma omp parallel for reduction(+ : s) schedule(static)
    for (long i = 0; i < n; i++)
        s += x[i] * y[i];
    return s;
}

/* Each thread records its number; returns the team size. */
int hsomp_clang_team(int *ids, int max)
{
    int size = 0;
#pragma omp parallel
    {
        int t = omp_get_thread_num();
        if (t < max)
            ids[t] = t;
#pragma omp single
        size = omp_get_num_threads();
    }
    return size;
}

/* out[i] = f(i), a Haskell callback, run by the team in dynamic chunks. */
hsomp_clang_apply :: Int -> FunPtr (Int -> IO Int) -> Ptr Int -> IO ()
void hsomp_clang_apply(long n, long (*f)(long), long *out)
{
#pragma omp parallel for schedule(dynamic, 16)
    for (long i = 0; i < n; i++)
        out[i] = f(i);
}

static long fib(int k)
{
    long a, b;
    if (k < 2)
        return k;
    if (k < 12)
        return fib(k - 1) + fib(k - 2);
#pragma omp task shared(a)
    a = fib(k - 1);
#pragma omp task shared(b)
    b = fib(k - 2);
#pragma omp taskwait
    return a + b;
}

long hsomp_clang_fib(int k)
{
    long r = 0;
#pragma omp parallel
#pragma omp single
    r = fib(k);
    return r;
}

/* Critical sections and atomics (both must count every i), guided chunks. */
void hsomp_clang_histogram(long n, long *bins, int nbins, long *atomics)
{
#pragma omp parallel for schedule(guided)
    for (long i = 0; i < n; i++) {
#pragma omp critical(hsomp_bins)
        bins[i % nbins]++;
#pragma omp atomic
        (*atomics)++;
    }
}
|]
