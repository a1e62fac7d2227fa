/* Loop scheduling overhead.
 *
 * One parallel region; per rep a worksharing loop of g_iters_per_thr
 * iterations per thread under the given schedule and chunk size.  With a free
 * runtime each thread would do exactly g_iters_per_thr delays per loop, so the
 * reference is reps * g_iters_per_thr delays in one thread and the overhead
 * is reported per loop.  Large chunks also show load imbalance (a chunk
 * bigger than a thread's share leaves other threads idle): that is part of
 * what the schedule costs.
 */
#include <omp.h>
#include "bench.h"

/* One benchmark per schedule KIND: the same loop under schedule(KIND, chunk). */
#define SCHED_RUN(name, kind)                                           \
    double name(long reps) {                                            \
        long chunk = g_chunk, per = g_iters_per_thr;                    \
        double t0 = now_sec();                                          \
        BENCH_PRAGMA(omp parallel)                                      \
        {                                                               \
            long total = per * omp_get_num_threads();                   \
            for (long j = 0; j < reps; j++) {                           \
                BENCH_PRAGMA(omp for schedule(kind, chunk))             \
                for (long i = 0; i < total; i++)                        \
                    delay(g_delay_len);                                 \
            }                                                           \
        }                                                               \
        return now_sec() - t0;                                          \
    }

SCHED_RUN(sched_run_static, static)
SCHED_RUN(sched_run_dynamic, dynamic)
SCHED_RUN(sched_run_guided, guided)

double sched_ref(long reps) {
    return ref_delays(reps * g_iters_per_thr);
}

long sched_granule(int nthreads) { (void)nthreads; return 1; }

long sched_calls(long reps, int nthreads) {
    return reps * g_iters_per_thr * nthreads;
}
