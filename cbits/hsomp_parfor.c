/* parallelFor's engine: one OpenMP region, Haskell entered once per chunk.
 * Chunks are handed out here (block, round-robin, or an atomic counter for
 * dynamic/guided), so only GOMP_parallel and the thread/team queries of the
 * runtime are involved. */
#include <omp.h>
#include <stdint.h>
#include "hsomp_hs.h"

static inline int cancelled(volatile int *c) { return __atomic_load_n(c, __ATOMIC_RELAXED) != 0; }

void hsomp_cancel_set(volatile int *c) { __atomic_store_n(c, 1, __ATOMIC_RELAXED); }

int hsomp_parallel_for(int64_t lo, int64_t hi, int kind, int64_t chunk,
                       int nthreads, hsomp_chunk_fn fn, void *ctx,
                       volatile int *cancel)
{
    if (hi <= lo) return 0;
    /* Work on offsets in [0, n) with unsigned arithmetic: no overflow. */
    const uint64_t n = (uint64_t)hi - (uint64_t)lo;
    const uint64_t ulo = (uint64_t)lo;
    uint64_t next = 0;          /* shared counter for dynamic / guided */
    int team = 0;
    int nt = nthreads > 0 ? nthreads : omp_get_max_threads();

#pragma omp parallel num_threads(nt) shared(next, team) firstprivate(ctx)
    {
        const uint64_t t = (uint64_t)omp_get_thread_num();
        const uint64_t p = (uint64_t)omp_get_num_threads();
        if (t == 0) team = (int)p;
        switch (kind) {
        case HSOMP_SCHED_DYNAMIC: {
            const uint64_t c = chunk > 0 ? (uint64_t)chunk : 1;
            while (!cancelled(cancel)) {
                uint64_t s = __atomic_fetch_add(&next, c, __ATOMIC_RELAXED);
                if (s >= n) break;
                uint64_t e = n - s < c ? n : s + c;
                fn(ctx, (int64_t)(ulo + s), (int64_t)(ulo + e));
            }
            break;
        }
        case HSOMP_SCHED_GUIDED: {
            const uint64_t minc = chunk > 0 ? (uint64_t)chunk : 1;
            uint64_t s = __atomic_load_n(&next, __ATOMIC_RELAXED);
            while (s < n && !cancelled(cancel)) {
                uint64_t rem = n - s;
                uint64_t c = rem / (2 * p);
                if (c < minc) c = minc;
                if (c > rem) c = rem;
                if (__atomic_compare_exchange_n(&next, &s, s + c, 0,
                                                __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
                    fn(ctx, (int64_t)(ulo + s), (int64_t)(ulo + s + c));
                    s = __atomic_load_n(&next, __ATOMIC_RELAXED);
                }
            }
            break;
        }
        default: /* static */
            if (chunk <= 0) {
                uint64_t q = n / p, r = n % p;
                uint64_t s = t * q + (t < r ? t : r);
                uint64_t len = q + (t < r ? 1 : 0);
                if (len > 0 && !cancelled(cancel))
                    fn(ctx, (int64_t)(ulo + s), (int64_t)(ulo + s + len));
            } else {
                const uint64_t c = (uint64_t)chunk;
                for (uint64_t s = t * c; s < n && !cancelled(cancel); ) {
                    uint64_t e = n - s < c ? n : s + c;
                    fn(ctx, (int64_t)(ulo + s), (int64_t)(ulo + e));
                    if (n - s <= p * c) break;
                    s += p * c;
                }
            }
        }
    }
    return team;
}
