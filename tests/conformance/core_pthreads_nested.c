/* core_pthreads_nested.c - concurrent nested teams from several OS threads.
 *
 * 3 pthreads each run 300 outer regions of 2 threads with an inner region
 * of 2 threads (max-active-levels 2) and barriers at both levels; every
 * (pthread, outer tid, inner tid) result is checked.
 */
// ENV: OMP_MAX_ACTIVE_LEVELS=2
// TIMEOUT: 90
#include "check.h"
#include <pthread.h>

#define NP 3
#define REPS 300

struct job {
    int id;
    long total;
    int bad;
};

static void *run(void *arg)
{
    struct job *j = arg;
    for (int r = 0; r < REPS; r++) {
        long acc = 0;
        int bad = 0;
#pragma omp parallel num_threads(2) reduction(+ : acc, bad)
        {
            int o = omp_get_thread_num();
            int inner_arrived = 0;
#pragma omp parallel num_threads(2) reduction(+ : acc, bad)
            {
                int i = omp_get_thread_num();
                if (omp_get_level() != 2 || omp_get_active_level() != 2 ||
                    omp_get_num_threads() != 2 || omp_get_ancestor_thread_num(1) != o)
                    bad++;
#pragma omp atomic
                inner_arrived++;
#pragma omp barrier
                int a;
#pragma omp atomic read
                a = inner_arrived;
                if (a != 2)
                    bad++;
                acc += 1000 * j->id + 10 * o + i + 1;
            }
#pragma omp barrier
        }
        long want = 4L * 1000 * j->id + 2 * (0 + 10) + 2 * (1 + 2);
        if (acc != want || bad)
            j->bad++;
        j->total += acc;
    }
    return NULL;
}

int main(void)
{
    pthread_t th[NP];
    struct job jobs[NP];
    check_runtime();
    omp_set_dynamic(0);
    CHECK(omp_get_max_active_levels() == 2, "OMP_MAX_ACTIVE_LEVELS=2 gave %d",
          omp_get_max_active_levels());
    memset(jobs, 0, sizeof jobs);
    for (int i = 0; i < NP; i++) {
        jobs[i].id = i;
        CHECK(pthread_create(&th[i], NULL, run, &jobs[i]) == 0, "pthread_create");
    }
    for (int i = 0; i < NP; i++)
        pthread_join(th[i], NULL);
    for (int i = 0; i < NP; i++) {
        long want = REPS * (4L * 1000 * i + 26);
        CHECK(jobs[i].bad == 0, "pthread %d: %d bad nested regions", i, jobs[i].bad);
        CHECK(jobs[i].total == want, "pthread %d: total %ld, expected %ld", i, jobs[i].total,
              want);
        printf("pthread %d: %d nested 2x2 regions, total=%ld\n", i, REPS, jobs[i].total);
    }
    return 0;
}
