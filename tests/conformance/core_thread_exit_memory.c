/* core_thread_exit_memory.c - a thread that used OpenMP and exited leaves
 * nothing behind.
 *
 * 10000 short-lived pthreads, one after another, each open a region of 2
 * threads and exit.  Resident memory must stay flat: anything the runtime
 * keeps per exited thread (hsomp once kept a GHC RTS Task, ~230 bytes, for
 * every thread that opened a region: 2.2 MB here) shows as growth beyond the
 * bound.  Growth is measured after a warm-up of 1000 threads, so allocator
 * arenas and the worker pool are already in place.  Passive waiting: with
 * libgomp's default spinning, every exited master's worker spins on, and
 * the run takes minutes on 2 cores.  HSOMP_RTS_FLAGS=-I0: no idle GC of the
 * GHC RTS, whose first one grows the heap by ~1 MB at a random moment.
 */
// ENV: OMP_WAIT_POLICY=passive HSOMP_RTS_FLAGS=-I0
// TIMEOUT: 60
#include "check.h"
#include <pthread.h>
#include <unistd.h>

#define WARMUP 1000
#define THREADS 10000

static long resident_kib(void)
{
    long size = 0, resident = -1;
    FILE *f = fopen("/proc/self/statm", "r");
    CHECK(f != NULL, "cannot open /proc/self/statm");
    CHECK(fscanf(f, "%ld %ld", &size, &resident) == 2, "cannot parse /proc/self/statm");
    fclose(f);
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

static void *run(void *arg)
{
    long *sum = arg;
    long s = 0;
#pragma omp parallel num_threads(2) reduction(+ : s)
    s += omp_get_thread_num() + 1;
    *sum = s;
    return NULL;
}

static long churn(int n)
{
    long total = 0;
    for (int i = 0; i < n; i++) {
        pthread_t th;
        long s = 0;
        CHECK(pthread_create(&th, NULL, run, &s) == 0, "pthread_create %d", i);
        CHECK(pthread_join(th, NULL) == 0, "pthread_join %d", i);
        CHECK(s == 3, "thread %d: region sum %ld", i, s);
        total += s;
    }
    return total;
}

int main(void)
{
    check_runtime();
    omp_set_dynamic(0);

    long total = churn(WARMUP);
    long before = resident_kib();
    total += churn(THREADS);
    long growth = resident_kib() - before;
    fprintf(stderr, "resident growth over %d threads: %ld KiB\n", THREADS, growth);
    CHECK(total == 3L * (WARMUP + THREADS), "total %ld", total);
    CHECK(growth < 1024, "resident memory grew by %ld KiB over %d exited threads", growth, THREADS);
    printf("%d short-lived pthreads, one region each: total=%ld, memory flat\n", WARMUP + THREADS,
           total);
    return 0;
}
