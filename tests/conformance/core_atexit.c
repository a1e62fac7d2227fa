/* core_atexit.c - the runtime from exit handlers.
 *
 * glibc runs thread-local destructors before atexit handlers, so a runtime
 * whose per-thread state lives in destructible TLS can no longer reach it
 * there.  The handler registered here runs after main returned (or called
 * exit) and uses the runtime as a program would: omp_get_num_threads, a
 * parallel region with a reduction, a task, a lock, and the ICV that main
 * set with omp_set_num_threads.  Its output is left in stdio's buffer (no
 * fflush): a runtime that aborts in the handler loses it.
 */
// RUN: return
// RUN: exit MODE_EXIT=1
// RUN: passive MODE_EXIT=1 OMP_WAIT_POLICY=passive
// ENV: OMP_NUM_THREADS=4
// TIMEOUT: 20
#include "check.h"

static void use_runtime(const char *who)
{
    long sum = 0;
    int team = 0, task_ran = 0, counted = 0;
    omp_lock_t lock;

    printf("%s: outside: num_threads=%d thread_num=%d max_threads=%d in_parallel=%d\n",
           who, omp_get_num_threads(), omp_get_thread_num(), omp_get_max_threads(),
           omp_in_parallel());
    omp_init_lock(&lock);
#pragma omp parallel reduction(+ : sum)
    {
        sum += omp_get_thread_num() + 1;
#pragma omp single
        {
            team = omp_get_num_threads();
#pragma omp task shared(task_ran)
            task_ran = 1;
        }
        omp_set_lock(&lock);
        counted++;
        omp_unset_lock(&lock);
    }
    omp_destroy_lock(&lock);
    CHECK(team == 3, "%s: team of %d, want 3", who, team);
    CHECK(sum == 6, "%s: reduction %ld, want 6", who, sum);
    CHECK(task_ran == 1, "%s: the task did not run", who);
    CHECK(counted == 3, "%s: lock-protected count %d, want 3", who, counted);
    printf("%s: region: team=%d sum=%ld task=%d counted=%d\n", who, team, sum, task_ran, counted);
    printf("%s: after: num_threads=%d level=%d\n", who, omp_get_num_threads(), omp_get_level());
    /* deliberately no fflush: exit flushes stdio after the handlers */
}

static void handler(void)
{
    use_runtime("atexit");
}

int main(void)
{
    long sum = 0;
    check_runtime();
    omp_set_dynamic(0);
    omp_set_num_threads(3);
    /* Registered before the first region, so it runs after everything
     * that region set up per thread was torn down. */
    atexit(handler);
#pragma omp parallel reduction(+ : sum)
    sum += omp_get_thread_num() + 1;
    CHECK(sum == 6, "main: reduction %ld, want 6", sum);
    printf("main: region sum=%ld\n", sum);
    if (getenv("MODE_EXIT"))
        exit(0);
    return 0;
}
