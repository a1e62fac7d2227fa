/* core_foreign_threads.c - OS threads the runtime did not create.
 *
 * A pthread is an initial thread of its own: outside any region it sees
 * thread number 0, team size 1, level 0, and the ICVs' initial values (an
 * omp_set_num_threads call in another thread does not leak into it).  A
 * pthread created by a worker thread inside a parallel region is again an
 * initial thread, and may open its own parallel regions there.
 */
// ENV: OMP_NUM_THREADS=3
#include "check.h"
#include <pthread.h>

struct probe {
    int tid, nthreads, level, active, in_par, max_threads;
    int team; /* size of a region opened by the thread */
    int tidsum;
};

static void *probe_fn(void *arg)
{
    struct probe *p = arg;
    p->tid = omp_get_thread_num();
    p->nthreads = omp_get_num_threads();
    p->level = omp_get_level();
    p->active = omp_get_active_level();
    p->in_par = omp_in_parallel();
    p->max_threads = omp_get_max_threads();
    int team = 0, sum = 0;
#pragma omp parallel reduction(+ : team, sum)
    {
        team += 1;
        sum += omp_get_thread_num();
    }
    p->team = team;
    p->tidsum = sum;
    return NULL;
}

static void expect_initial(const char *who, struct probe *p, int maxt)
{
    CHECK(p->tid == 0 && p->nthreads == 1, "%s: thread %d of %d", who, p->tid, p->nthreads);
    CHECK(p->level == 0 && p->active == 0 && p->in_par == 0, "%s: level %d/%d in_parallel %d",
          who, p->level, p->active, p->in_par);
    CHECK(p->max_threads == maxt, "%s: max_threads %d, expected %d", who, p->max_threads, maxt);
    CHECK(p->team == maxt && p->tidsum == maxt * (maxt - 1) / 2, "%s: own region team %d sum %d",
          who, p->team, p->tidsum);
}

int main(void)
{
    struct probe p;
    pthread_t th;
    check_runtime();
    omp_set_dynamic(0);

    /* before the main thread used OpenMP */
    memset(&p, 0, sizeof p);
    pthread_create(&th, NULL, probe_fn, &p);
    pthread_join(th, NULL);
    expect_initial("pthread before any region", &p, 3);
    printf("pthread before any region: tid=%d level=%d max_threads=%d own team=%d\n", p.tid,
           p.level, p.max_threads, p.team);

    /* main changes its own nthreads-var: not visible in a new pthread */
    omp_set_num_threads(2);
    memset(&p, 0, sizeof p);
    pthread_create(&th, NULL, probe_fn, &p);
    pthread_join(th, NULL);
    expect_initial("pthread after main's omp_set_num_threads(2)", &p, 3);
    CHECK(omp_get_max_threads() == 2, "main's max_threads %d", omp_get_max_threads());
    printf("pthread after omp_set_num_threads(2) in main: max_threads=%d own team=%d\n",
           p.max_threads, p.team);

    /* pthreads started from inside a parallel region, one per worker */
    {
        struct probe ps[2];
        memset(ps, 0, sizeof ps);
#pragma omp parallel num_threads(2)
        {
            int t = omp_get_thread_num();
            pthread_t inner;
            pthread_create(&inner, NULL, probe_fn, &ps[t]);
            pthread_join(inner, NULL);
            /* and the worker is still in its team afterwards */
            if (omp_get_num_threads() != 2 || omp_get_level() != 1)
                ps[t].tid = -100;
#pragma omp barrier
        }
        for (int t = 0; t < 2; t++) {
            char who[64];
            snprintf(who, sizeof who, "pthread created by team thread %d", t);
            expect_initial(who, &ps[t], 3);
        }
        printf("pthreads created inside a region: level=%d/%d own teams=%d,%d\n", ps[0].level,
               ps[1].level, ps[0].team, ps[1].team);
    }
    return 0;
}
