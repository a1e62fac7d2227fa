/* core_exit.c - leaving the program while the runtime is busy.
 *
 * exit() called by the master or by a worker inside a parallel region while
 * the rest of the team waits at a barrier; returning from main right after
 * a region; exit from a pthread while another pthread's team is running.
 * The process must end promptly with status 0 and the output printed.
 */
// RUN: master
// RUN: worker MODE_WORKER=1
// RUN: main_return MODE_RETURN=1
// RUN: pthread MODE_PTHREAD=1
// ENV: OMP_NUM_THREADS=4
// TIMEOUT: 10
#include "check.h"
#include <pthread.h>
#include <unistd.h>

static volatile int stop;

static void *busy_team(void *arg)
{
    (void)arg;
    while (!stop) {
#pragma omp parallel num_threads(2)
        {
#pragma omp barrier
        }
    }
    return NULL;
}

int main(void)
{
    long sum = 0;
    check_runtime();
    omp_set_dynamic(0);

#pragma omp parallel reduction(+ : sum)
    sum += omp_get_thread_num();
    CHECK(sum == 6, "warm-up sum %ld", sum);
    printf("warm-up region: sum=%ld\n", sum);
    fflush(stdout);

    if (getenv("MODE_RETURN")) {
        printf("returning from main\n");
        return 0;
    }
    if (getenv("MODE_PTHREAD")) {
        pthread_t th;
        pthread_create(&th, NULL, busy_team, NULL);
        usleep(20000);
        printf("exit while another pthread runs regions\n");
        fflush(stdout);
        exit(0);
    }
    int who = getenv("MODE_WORKER") ? 2 : 0;
#pragma omp parallel
    {
        if (omp_get_thread_num() == who) {
            printf("thread %s calls exit inside the region\n", who ? "2" : "0");
            fflush(stdout);
            exit(0);
        }
#pragma omp barrier
    }
    fail("exit() returned");
}
