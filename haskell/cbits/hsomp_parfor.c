/* parallelFor's engine: one OpenMP region, Haskell entered once per chunk.
 * The chunks come from the runtime's own loop dispatch (GOMP_loop_ull_*,
 * the entry points GCC calls for `#pragma omp for` over unsigned long long),
 * so parallelFor and C loops share one implementation of the schedules,
 * overflow-safe for any range and chunk size. */
#include <omp.h>
#include <stdbool.h>
#include <stdint.h>
#include "hsomp_hs.h"

/* The GOMP ABI's worksharing loop over unsigned long long (GCC declares these
 * only in its runtime's private header). `start` gives the first chunk of the
 * calling thread, `next` the following ones; both return false when the
 * thread has no more. GOMP_loop_end_nowait leaves the construct. */
typedef unsigned long long ull;
bool GOMP_loop_ull_static_start(bool up, ull start, ull end, ull incr, ull chunk,
                                ull *istart, ull *iend);
bool GOMP_loop_ull_dynamic_start(bool up, ull start, ull end, ull incr, ull chunk,
                                 ull *istart, ull *iend);
bool GOMP_loop_ull_guided_start(bool up, ull start, ull end, ull incr, ull chunk,
                                ull *istart, ull *iend);
bool GOMP_loop_ull_static_next(ull *istart, ull *iend);
bool GOMP_loop_ull_dynamic_next(ull *istart, ull *iend);
bool GOMP_loop_ull_guided_next(ull *istart, ull *iend);
void GOMP_loop_end_nowait(void);

static inline int cancelled(volatile int *c) { return __atomic_load_n(c, __ATOMIC_RELAXED) != 0; }

void hsomp_cancel_set(volatile int *c) { __atomic_store_n(c, 1, __ATOMIC_RELAXED); }

int hsomp_parallel_for(int64_t lo, int64_t hi, int kind, int64_t chunk,
                       int nthreads, hsomp_chunk_fn fn, void *ctx,
                       volatile int *cancel)
{
    if (hi <= lo) return 0;
    /* Iterations are the offsets 0 .. n-1 from lo: n fits in 64 bits
     * unsigned, and lo + offset wraps back into int64_t exactly. */
    const ull n = (ull)hi - (ull)lo;
    const ull ulo = (ull)lo;
    int team = 0;
    int nt = nthreads > 0 ? nthreads : omp_get_max_threads();

#pragma omp parallel num_threads(nt) shared(team) firstprivate(ctx)
    {
        ull s, e;
        bool more;
        bool (*next)(ull *, ull *);
        if (omp_get_thread_num() == 0) team = omp_get_num_threads();
        switch (kind) {
        case HSOMP_SCHED_DYNAMIC:
            more = GOMP_loop_ull_dynamic_start(true, 0, n, 1, chunk > 0 ? (ull)chunk : 1, &s, &e);
            next = GOMP_loop_ull_dynamic_next;
            break;
        case HSOMP_SCHED_GUIDED:
            more = GOMP_loop_ull_guided_start(true, 0, n, 1, chunk > 0 ? (ull)chunk : 1, &s, &e);
            next = GOMP_loop_ull_guided_next;
            break;
        default: /* static; chunk 0: one block per thread */
            more = GOMP_loop_ull_static_start(true, 0, n, 1, chunk > 0 ? (ull)chunk : 0, &s, &e);
            next = GOMP_loop_ull_static_next;
        }
        /* After a cancel, stop taking chunks; leaving the construct early
         * is fine (nowait: no thread waits for the rest). */
        for (; more && !cancelled(cancel); more = next(&s, &e))
            fn(ctx, (int64_t)(ulo + s), (int64_t)(ulo + e));
        GOMP_loop_end_nowait();
    }
    return team;
}

int hsomp_parallel_region(int nthreads, hsomp_chunk_fn fn, void *ctx, volatile int *cancel)
{
    int team = 0;
    int nt = nthreads > 0 ? nthreads : omp_get_max_threads();
#pragma omp parallel num_threads(nt) shared(team) firstprivate(ctx)
    {
        int t = omp_get_thread_num(), p = omp_get_num_threads();
        if (t == 0) team = p;
        if (!cancelled(cancel)) fn(ctx, t, p);
    }
    return team;
}
