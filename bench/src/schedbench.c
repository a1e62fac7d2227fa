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

double sched_run_static(long reps) {
    long chunk = g_chunk, per = g_iters_per_thr;
    double t0 = now_sec();
#pragma omp parallel
    {
        long total = per * omp_get_num_threads();
        for (long j = 0; j < reps; j++) {
#pragma omp for schedule(static, chunk)
            for (long i = 0; i < total; i++)
                delay(g_delay_len);
        }
    }
    return now_sec() - t0;
}

double sched_run_dynamic(long reps) {
    long chunk = g_chunk, per = g_iters_per_thr;
    double t0 = now_sec();
#pragma omp parallel
    {
        long total = per * omp_get_num_threads();
        for (long j = 0; j < reps; j++) {
#pragma omp for schedule(dynamic, chunk)
            for (long i = 0; i < total; i++)
                delay(g_delay_len);
        }
    }
    return now_sec() - t0;
}

double sched_run_guided(long reps) {
    long chunk = g_chunk, per = g_iters_per_thr;
    double t0 = now_sec();
#pragma omp parallel
    {
        long total = per * omp_get_num_threads();
        for (long j = 0; j < reps; j++) {
#pragma omp for schedule(guided, chunk)
            for (long i = 0; i < total; i++)
                delay(g_delay_len);
        }
    }
    return now_sec() - t0;
}

double sched_ref(long reps) {
    return ref_delays(reps * g_iters_per_thr);
}

long sched_granule(int nthreads) { (void)nthreads; return 1; }

long sched_calls(long reps, int nthreads) {
    return reps * g_iters_per_thr * nthreads;
}
