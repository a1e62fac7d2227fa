/* Synchronisation and worksharing constructs.
 *
 * Each run_* executes its construct `reps` times per thread around delay()
 * work whose total, with a free runtime, equals `reps` delays in one thread:
 * the reference is ref_delays(reps) unless stated otherwise.
 */
#include <omp.h>
#include "bench.h"

/* PARALLEL: open a region per rep; every thread does one delay. */
static double run_parallel(long reps) {
    double t0 = now_sec();
    for (long j = 0; j < reps; j++) {
#pragma omp parallel
        delay(g_delay_len);
    }
    return now_sec() - t0;
}

/* FOR: one region; per rep a worksharing loop with one iteration per thread. */
static double run_for(long reps) {
    double t0 = now_sec();
#pragma omp parallel
    {
        int nt = omp_get_num_threads();
        for (long j = 0; j < reps; j++) {
#pragma omp for
            for (int i = 0; i < nt; i++)
                delay(g_delay_len);
        }
    }
    return now_sec() - t0;
}

/* PARALLEL FOR: combined construct per rep, one iteration per thread. */
static double run_parallel_for(long reps) {
    int nt = g_nthreads;
    double t0 = now_sec();
    for (long j = 0; j < reps; j++) {
#pragma omp parallel for
        for (int i = 0; i < nt; i++)
            delay(g_delay_len);
    }
    return now_sec() - t0;
}

/* BARRIER: one region; every thread delays then waits at a barrier. */
static double run_barrier(long reps) {
    TIME_REPS_IN_REGION(reps,
        delay(g_delay_len);
        BENCH_PRAGMA(omp barrier)
    );
}

/* SINGLE: one thread per construct runs the delay; implied barrier. */
static double run_single(long reps) {
    TIME_REPS_IN_REGION(reps,
        BENCH_PRAGMA(omp single)
        delay(g_delay_len);
    );
}

/* CRITICAL: reps critical sections in total, split over the team, so the
 * serialised work is reps delays. */
static double run_critical(long reps) {
    double t0 = now_sec();
#pragma omp parallel
    {
        long mine = reps / omp_get_num_threads();
        for (long j = 0; j < mine; j++) {
#pragma omp critical
            delay(g_delay_len);
        }
    }
    return now_sec() - t0;
}

/* LOCK/UNLOCK: as CRITICAL with an explicit omp_lock_t. */
static omp_lock_t bench_lock;
static double run_lock(long reps) {
    omp_init_lock(&bench_lock);
    double t0 = now_sec();
#pragma omp parallel
    {
        long mine = reps / omp_get_num_threads();
        for (long j = 0; j < mine; j++) {
            omp_set_lock(&bench_lock);
            delay(g_delay_len);
            omp_unset_lock(&bench_lock);
        }
    }
    double t = now_sec() - t0;
    omp_destroy_lock(&bench_lock);
    return t;
}

/* ORDERED: a cyclic loop of reps iterations whose bodies run in order.
 * schedule(static, 1) gives iteration j to thread j % nthreads, so the
 * ordered region passes from thread to thread at every iteration; the
 * validation pass checks that it does (LLVM's libomp, serving GCC's
 * GOMP_loop_ordered_static_start, hands out blocks instead: its number
 * would time a loop with three hand-offs, see bench/README.md). */
static double run_ordered(long reps) {
    double t0 = now_sec();
    long next = 0;
#pragma omp parallel shared(next)
    {
        int me = omp_get_thread_num(), nt = omp_get_num_threads();
#pragma omp for schedule(static, 1) ordered
        for (long j = 0; j < reps; j++) {
#pragma omp ordered
            {
                delay(g_delay_len);
                if (g_counting && (j != next++ || j % nt != me)) g_invalid = 1;
            }
        }
    }
    return now_sec() - t0;
}

/* ATOMIC: reps atomic updates in total, split over the team.  Reference:
 * the same number of plain updates in one thread.  GCC inlines the atomic
 * (a compare-and-swap loop), so this mostly measures contention and the
 * enclosing region, not runtime entry points. */
static volatile double atom_sink;
static double run_atomic(long reps) {
    double x = 0.0;
    double t0 = now_sec();
#pragma omp parallel shared(x)
    {
        long mine = reps / omp_get_num_threads();
        for (long j = 0; j < mine; j++) {
#pragma omp atomic
            x += 1.0;
        }
    }
    double t = now_sec() - t0;
    if (x != (double)reps) g_invalid = 1;
    atom_sink = x;
    return t;
}
static double ref_atomic(long reps) {
    volatile double x = 0.0;
    double t0 = now_sec();
    for (long j = 0; j < reps; j++) x = x + 1.0;
    double t = now_sec() - t0;
    atom_sink = x;
    return t;
}

/* REDUCTION: a region with a sum reduction per rep; each thread delays and
 * contributes 1. */
static double run_reduction(long reps) {
    int nt_expected = g_nthreads;
    double t0 = now_sec();
    for (long j = 0; j < reps; j++) {
        long s = 0;
#pragma omp parallel reduction(+ : s)
        {
            delay(g_delay_len);
            s += 1;
        }
        if (s != nt_expected) g_invalid = 1;
    }
    return now_sec() - t0;
}

const bench_t sync_benches[] = {
    {"parallel", "PARALLEL", "sync", run_parallel, ref_delays, gran_one, calls_team},
    {"for", "FOR", "sync", run_for, ref_delays, gran_one, calls_team},
    {"parallel_for", "PARALLEL FOR", "sync", run_parallel_for, ref_delays, gran_one, calls_team},
    {"barrier", "BARRIER", "sync", run_barrier, ref_delays, gran_one, calls_team},
    {"single", "SINGLE", "sync", run_single, ref_delays, gran_one, calls_one},
    {"critical", "CRITICAL", "sync", run_critical, ref_delays, gran_team, calls_one},
    {"lock", "LOCK/UNLOCK", "sync", run_lock, ref_delays, gran_team, calls_one},
    {"ordered", "ORDERED", "sync", run_ordered, ref_delays, gran_team, calls_one},
    {"atomic", "ATOMIC", "sync", run_atomic, ref_atomic, gran_team, calls_none},
    {"reduction", "REDUCTION", "sync", run_reduction, ref_delays, gran_one, calls_team},
};
const size_t n_sync_benches = sizeof sync_benches / sizeof sync_benches[0];
