/* hsomp's C helpers for the Haskell package (cbits/, compiled with -fopenmp). */
#ifndef HSOMP_HS_H
#define HSOMP_HS_H
#include <stdint.h>

typedef void (*hsomp_chunk_fn)(void *ctx, int64_t lo, int64_t hi);

enum { HSOMP_SCHED_STATIC = 0, HSOMP_SCHED_DYNAMIC = 1, HSOMP_SCHED_GUIDED = 2 };

/* Run fn(ctx, a, b) over disjoint chunks [a, b) covering [lo, hi) on an OpenMP
 * team of nthreads threads (<= 0: the default team size). fn is called once
 * per chunk. Static with chunk <= 0 gives each thread one contiguous block.
 * Stops handing out chunks once *cancel becomes non-zero. Returns the team
 * size that ran (0 when the range is empty). */
int hsomp_parallel_for(int64_t lo, int64_t hi, int kind, int64_t chunk,
                       int nthreads, hsomp_chunk_fn fn, void *ctx,
                       volatile int *cancel);

/* Run fn(ctx, t, p) once on every thread of an OpenMP team of nthreads
 * threads (<= 0: the default), t being the thread's number in the team and p
 * the size of the team that formed (which may be smaller than asked: thread
 * limit, dynamic adjustment, nesting). Threads skip the call when *cancel is
 * already non-zero. Returns the team size. */
int hsomp_parallel_region(int nthreads, hsomp_chunk_fn fn, void *ctx, volatile int *cancel);

void hsomp_cancel_set(volatile int *cancel);

#endif
