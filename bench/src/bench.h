/* Shared declarations for the hsomp overhead benchmark driver.
 *
 * Every benchmark follows one rule: with a zero-overhead runtime, the timed
 * test body would take exactly as long as its reference body (a plain loop of
 * delay() calls in one thread).  The overhead per construct is therefore
 * (test time - reference time) / number of constructs executed per thread.
 */
#ifndef HSOMP_BENCH_H
#define HSOMP_BENCH_H

#include <stddef.h>

/* ---- settings shared by all benchmarks (set from the command line) ---- */
extern int    g_nthreads;        /* team size actually obtained */
extern long   g_delay_len;       /* delay() iterations for ~g_delay_us */
extern double g_delay_us;        /* target length of one delay() */
extern long   g_chunk;           /* schedbench chunk size */
extern long   g_iters_per_thr;   /* schedbench iterations per thread per loop */
extern int    g_tree_depth;      /* taskbench tree depth */
extern volatile int g_invalid;   /* set by a benchmark if a result is wrong */

/* Counting mode: when g_counting is set, delay() counts its calls so that a
 * validation pass can check the runtime ran every piece of work exactly once. */
extern volatile int g_counting;
extern long g_delay_calls;

void delay(long n);
double now_sec(void);

/* ---- the harness every benchmark body shares ---- */

/* An OpenMP pragma inside a macro. */
#define BENCH_PRAGMA(x) _Pragma(#x)

/* The body of most run_* functions: time one parallel region in which every
 * thread runs STEP... `reps` times (STEP may hold BENCH_PRAGMA lines), and
 * return the elapsed seconds. */
#define TIME_REPS_IN_REGION(reps, ...)                    \
    do {                                                  \
        double t0_ = now_sec();                           \
        BENCH_PRAGMA(omp parallel)                        \
        {                                                 \
            for (long j_ = 0; j_ < (reps); j_++) {        \
                __VA_ARGS__                               \
            }                                             \
        }                                                 \
        return now_sec() - t0_;                           \
    } while (0)

/* Granules and expected delay() counts shared by the benchmark tables:
 * any reps (one) or multiples of the team size (team); one delay per rep
 * per thread (team), per rep (one), or no check (none). */
long gran_one(int nthreads);
long gran_team(int nthreads);
long calls_team(long reps, int nthreads);
long calls_one(long reps, int nthreads);
long calls_none(long reps, int nthreads);

/* Reference: `reps` delays in the calling thread. */
double ref_delays(long reps);

/* A benchmark: run(reps) executes the construct `reps` times per thread and
 * returns the elapsed seconds; ref(reps) times the zero-overhead equivalent.
 * granule: reps is always a multiple of granule(nthreads).
 * work_per_rep: delay() calls per rep in the test, divided by the number of
 * delay() calls per rep in the reference (1 or nthreads); -1 = skip check. */
typedef struct {
    const char *id;        /* command-line name */
    const char *name;      /* display name */
    const char *group;
    double (*run)(long reps);
    double (*ref)(long reps);
    long (*granule)(int nthreads);
    long (*test_calls)(long reps, int nthreads); /* expected delay() calls, or -1 */
} bench_t;

extern const bench_t sync_benches[];
extern const size_t n_sync_benches;
extern const bench_t task_benches[];
extern const size_t n_task_benches;

double sched_run_static(long reps);
double sched_run_dynamic(long reps);
double sched_run_guided(long reps);
double sched_ref(long reps);
long sched_granule(int nthreads);
long sched_calls(long reps, int nthreads);

/* DGEMM: C += A*B on n x n matrices; returns seconds; sets g_invalid on a
 * wrong product. */
double dgemm_run(int n);

/* Time `count` empty parallel regions; returns seconds. */
double empty_parallel_run(long count);

#endif
