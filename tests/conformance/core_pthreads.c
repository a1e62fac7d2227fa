/* core_pthreads.c - several OS threads opening parallel regions at once.
 *
 * 4 pthreads each open 2000 parallel regions concurrently.  In each region
 * every thread atomically adds its thread number (plus one) to a counter
 * owned by the calling pthread; the result is checked per region and per
 * pthread.  Each pthread must be thread 0 of its own team, and its regions
 * must be independent of the other pthreads' teams.
 */
// ENV: OMP_NUM_THREADS=2
// TIMEOUT: 90
#include "check.h"
#include <pthread.h>

#define NPTHREADS 4
#define REGIONS 2000

struct job {
    int id;
    pthread_t self;
    long total;      /* sum over all regions of the per-region sums */
    int bad_regions; /* regions whose result was wrong */
    int not_master;  /* regions where thread 0 was not this pthread */
    int wrong_level;
    char first[160];
};

static void *worker(void *arg)
{
    struct job *j = arg;
    j->self = pthread_self();
    for (int r = 0; r < REGIONS; r++) {
        /* team sizes 2, 3, 2, 3, ...: the pool is shared by all pthreads */
        int want = 2 + (r + j->id) % 2;
        long acc = 0;
        int members = 0, size = -1;
#pragma omp parallel num_threads(want)
        {
            int t = omp_get_thread_num();
#pragma omp atomic update
            acc += t + 1 + 100 * j->id;
#pragma omp atomic update
            members++;
            if (t == 0) {
                size = omp_get_num_threads();
                if (!pthread_equal(pthread_self(), j->self))
                    j->not_master++;
                if (omp_get_level() != 1)
                    j->wrong_level++;
            }
        }
        long expect = (long)want * (want + 1) / 2 + 100L * j->id * want;
        if (acc != expect || members != want || size != want) {
            if (j->bad_regions++ == 0)
                snprintf(j->first, sizeof j->first,
                         "region %d: sum %ld (expected %ld), %d members, size %d (expected %d)", r,
                         acc, expect, members, size, want);
        }
        j->total += acc;
        if (omp_in_parallel() || omp_get_level() != 0)
            j->wrong_level++;
    }
    return NULL;
}

int main(void)
{
    pthread_t th[NPTHREADS];
    struct job jobs[NPTHREADS];

    check_runtime();
    omp_set_dynamic(0);

    /* Touch the runtime once from main, as many programs do. */
    {
        int n = 0;
#pragma omp parallel reduction(+ : n)
        n += 1;
        CHECK(n == omp_get_max_threads(), "warm-up region had %d threads", n);
    }

    memset(jobs, 0, sizeof jobs);
    for (int i = 0; i < NPTHREADS; i++) {
        jobs[i].id = i;
        CHECK(pthread_create(&th[i], NULL, worker, &jobs[i]) == 0, "pthread_create failed");
    }
    for (int i = 0; i < NPTHREADS; i++)
        pthread_join(th[i], NULL);

    for (int i = 0; i < NPTHREADS; i++) {
        struct job *j = &jobs[i];
        long expect = 0;
        for (int r = 0; r < REGIONS; r++) {
            int want = 2 + (r + i) % 2;
            expect += (long)want * (want + 1) / 2 + 100L * i * want;
        }
        CHECK(j->bad_regions == 0, "pthread %d: %d bad regions, first %s", i, j->bad_regions,
              j->first);
        CHECK(j->not_master == 0, "pthread %d: in %d regions thread 0 was another OS thread", i,
              j->not_master);
        CHECK(j->wrong_level == 0, "pthread %d: wrong level %d times", i, j->wrong_level);
        CHECK(j->total == expect, "pthread %d: total %ld, expected %ld", i, j->total, expect);
        printf("pthread %d: %d regions, total %ld ok\n", i, REGIONS, j->total);
    }

    /* And the main thread can still run regions afterwards. */
    {
        int n = 0;
#pragma omp parallel num_threads(4) reduction(+ : n)
        n += omp_get_thread_num();
        CHECK(n == 6, "final region: sum %d", n);
        printf("main thread after pthreads: sum=%d\n", n);
    }
    return 0;
}
