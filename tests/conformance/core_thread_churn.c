/* core_thread_churn.c - many short-lived OS threads using OpenMP.
 *
 * 240 pthreads (4 alive at a time) each open 10 regions of 3 threads and
 * exit.  Every result is checked; at the end the process must not have
 * accumulated threads without bound (the runtime gives back or reuses the
 * workers of exited masters).
 */
// TIMEOUT: 90
#include "check.h"
#include <dirent.h>
#include <pthread.h>

#define WAVES 60
#define PER_WAVE 4

static int count_tasks(void)
{
    int n = 0;
    DIR *d = opendir("/proc/self/task");
    struct dirent *e;
    if (!d)
        return -1;
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] != '.')
            n++;
    closedir(d);
    return n;
}

struct job {
    int id, bad;
    long total;
};

static void *run(void *arg)
{
    struct job *j = arg;
    for (int r = 0; r < 10; r++) {
        long s = 0;
#pragma omp parallel num_threads(3) reduction(+ : s)
        s += omp_get_thread_num() + j->id;
        if (s != 3 + 3L * j->id)
            j->bad++;
        j->total += s;
    }
    return NULL;
}

int main(void)
{
    static struct job jobs[WAVES * PER_WAVE];
    int peak = 0;
    check_runtime();
    omp_set_dynamic(0);

    for (int w = 0; w < WAVES; w++) {
        pthread_t th[PER_WAVE];
        for (int k = 0; k < PER_WAVE; k++) {
            struct job *j = &jobs[w * PER_WAVE + k];
            j->id = w * PER_WAVE + k;
            CHECK(pthread_create(&th[k], NULL, run, j) == 0, "pthread_create");
        }
        for (int k = 0; k < PER_WAVE; k++)
            pthread_join(th[k], NULL);
        int n = count_tasks();
        if (n > peak)
            peak = n;
    }
    long total = 0;
    for (int i = 0; i < WAVES * PER_WAVE; i++) {
        CHECK(jobs[i].bad == 0, "pthread %d: %d wrong regions", i, jobs[i].bad);
        CHECK(jobs[i].total == 10 * (3 + 3L * i), "pthread %d: total %ld", i, jobs[i].total);
        total += jobs[i].total;
    }
    fprintf(stderr, "peak thread count between waves: %d\n", peak);
    CHECK(peak < 100, "%d threads alive after %d short-lived masters: workers leak", peak,
          WAVES * PER_WAVE);
    printf("%d short-lived pthreads x 10 regions of 3: total=%ld, no thread leak\n",
           WAVES * PER_WAVE, total);

    /* the main thread still works */
    long s = 0;
#pragma omp parallel num_threads(4) reduction(+ : s)
    s += omp_get_thread_num();
    CHECK(s == 6, "main after churn: %ld", s);
    printf("main thread after churn: sum=%ld\n", s);
    return 0;
}
