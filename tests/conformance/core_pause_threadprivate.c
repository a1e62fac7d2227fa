/* core_pause_threadprivate.c - omp_pause_resource(omp_pause_soft, ..) and
 * omp_pause_resource_all retire the calling thread's worker threads: the
 * next region's workers are new threads whose threadprivate variables hold
 * their initial values (the initial thread keeps its own). Pausing inside a
 * region fails and changes nothing. Another root thread's team is not
 * touched: its workers keep their threadprivate values across its regions.
 * Repeated pauses (with nested teams) do not pile up threads.
 */
// ENV: OMP_NUM_THREADS=4 OMP_DYNAMIC=false
// RUN: default
// RUN: passive OMP_WAIT_POLICY=passive
// RUN: nested OMP_MAX_ACTIVE_LEVELS=2
// TIMEOUT: 30
// CLANG: oracle-gcc libomp stops with 'Thread identifier invalid' in regions after omp_pause_resource
#include "check.h"
#include <dirent.h>
#include <pthread.h>

static int tp = 0;
#pragma omp threadprivate(tp)

/* Set tp = base + tid in a team of 4. */
static void stamp(int base)
{
#pragma omp parallel num_threads(4)
    tp = base + omp_get_thread_num();
}

/* Workers (tid > 0) whose tp is base + tid; sets *zero to those at 0. */
static int kept(int base, int *zero)
{
    int k = 0, z = 0;
#pragma omp parallel num_threads(4) reduction(+ : k, z)
    if (omp_get_thread_num() > 0) {
        k += tp == base + omp_get_thread_num();
        z += tp == 0;
    }
    *zero = z;
    return k;
}

static int threads_now(void)
{
    int n = 0;
    DIR *d = opendir("/proc/self/task");
    if (!d)
        return -1;
    while (readdir(d))
        n++;
    closedir(d);
    return n - 2;
}

static pthread_barrier_t step;
static int other_kept = -1;

/* Another root thread: stamps its team, waits while main pauses, checks. */
static void *other_root(void *arg)
{
    (void)arg;
    int zero;
    stamp(200);
    pthread_barrier_wait(&step);
    pthread_barrier_wait(&step);
    other_kept = kept(200, &zero);
    return NULL;
}

int main(void)
{
    int zero, rc_in = 0;
    check_runtime();

    stamp(100);
    printf("before pause: workers kept %d of 3\n", kept(100, &zero));
    int master_tp = tp;
    printf("pause soft: %d\n", omp_pause_resource(omp_pause_soft, omp_get_initial_device()));
    int k = kept(100, &zero);
    printf("after soft pause: workers kept %d, fresh %d, master kept %d\n", k, zero, tp == master_tp);

    stamp(300);
    printf("pause_all hard: %d\n", omp_pause_resource_all(omp_pause_hard));
    k = kept(300, &zero);
    printf("after pause_all: workers kept %d, fresh %d\n", k, zero);

    stamp(400);
#pragma omp parallel num_threads(4) reduction(| : rc_in)
    {
        rc_in |= omp_pause_resource(omp_pause_soft, omp_get_initial_device()) != 0;
        rc_in |= (omp_pause_resource_all(omp_pause_soft) != 0) << 1;
    }
    k = kept(400, &zero);
    printf("pause inside a region refused: %d, workers kept %d\n", rc_in, k);

    /* Another root thread's team survives this thread's pause. */
    pthread_t th;
    pthread_barrier_init(&step, NULL, 2);
    pthread_create(&th, NULL, other_root, NULL);
    pthread_barrier_wait(&step);
    int rc = omp_pause_resource_all(omp_pause_soft);
    pthread_barrier_wait(&step);
    pthread_join(th, NULL);
    printf("other root: pause %d, its workers kept %d of 3\n", rc, other_kept);

    /* Pause cycles with nested teams: threads do not accumulate. */
    int before = threads_now(), most = before;
    for (int r = 0; r < 30; r++) {
#pragma omp parallel num_threads(4)
#pragma omp parallel num_threads(2)
        tp = omp_get_level();
        int now = threads_now();
        most = now > most ? now : most;
        CHECK(omp_pause_resource_all(r % 2 ? omp_pause_soft : omp_pause_hard) == 0, "pause %d failed", r);
    }
    fprintf(stderr, "threads: before the cycles %d, at most %d during them, after %d\n", before, most,
            threads_now());
    CHECK(most < 64, "threads pile up across pauses: %d", most);
    printf("30 pause cycles done\n");
    return 0;
}
