/* ws_cancel.c - cancellation: OMP_CANCELLATION on and off, cancel
 * parallel / for / sections / taskgroup, cancellation points, cancel-aware
 * barriers; and the schedule ICV (omp_set_schedule/omp_get_schedule). */
// ENV: OMP_NUM_THREADS=4
// RUN: on OMP_CANCELLATION=true
// RUN: off OMP_CANCELLATION=false
// RUN: on_oversub OMP_CANCELLATION=true OMP_NUM_THREADS=7
// CLANG: oracle-gcc libomp stops on an assertion in a cancelled dispatched loop (kmp_dispatch.cpp)
#include "check.h"

int main(void)
{
    check_runtime();
    omp_set_dynamic(0);
    int on = omp_get_cancellation();
    printf("cancellation %d\n", on);

    /* cancel for: with cancellation on, not every iteration runs */
    {
        int count = 0;
#pragma omp parallel
        {
#pragma omp for schedule(dynamic, 1)
            for (int i = 0; i < 100000; i++) {
                if (i == 10) {
#pragma omp cancel for
                }
#pragma omp cancellation point for
                __atomic_fetch_add(&count, 1, __ATOMIC_RELAXED);
            }
        }
        CHECK(on ? count < 100000 : count == 100000, "cancel for ran %d", count);
        printf("cancel for: %s\n", count < 100000 ? "cancelled" : "complete");
    }

    /* cancel parallel, seen at a cancellation point and at a barrier */
    {
        int after = 0, reached = 0;
#pragma omp parallel
        {
            if (omp_get_thread_num() == 1) {
#pragma omp cancel parallel
            }
#pragma omp barrier
            __atomic_fetch_add(&reached, 1, __ATOMIC_RELAXED);
#pragma omp cancellation point parallel
            __atomic_fetch_add(&after, 1, __ATOMIC_RELAXED);
        }
        CHECK(on ? after == 0 && reached == 0 : after == 4 || after == omp_get_max_threads(), "cancel parallel: %d %d", after, reached);
        printf("cancel parallel: %s\n", after == 0 ? "cancelled" : "complete");
    }

    /* the team is usable again after a cancelled region */
    {
        long s = 0;
#pragma omp parallel for reduction(+ : s) schedule(dynamic, 3)
        for (int i = 0; i < 1000; i++) s += i;
        CHECK(s == 499500, "after cancel %ld", s);
        printf("region after cancellation ok\n");
    }

    /* cancel sections */
    {
        int ran = 0;
#pragma omp parallel sections num_threads(1)
        {
#pragma omp section
            {
                __atomic_fetch_add(&ran, 1, __ATOMIC_RELAXED);
#pragma omp cancel sections
            }
#pragma omp section
            {
#pragma omp cancellation point sections
                __atomic_fetch_add(&ran, 10, __ATOMIC_RELAXED);
            }
        }
        CHECK(on ? ran == 1 : ran == 11, "cancel sections %d", ran);
        printf("cancel sections: %d\n", ran);
    }

    /* cancel parallel before a loop: the loop's end barrier
     * (GOMP_loop_end_cancel) reports the cancellation */
    {
        int done = 0, iters = 0;
#pragma omp parallel
        {
            if (omp_get_thread_num() == 0) {
#pragma omp cancel parallel
            }
#pragma omp for schedule(dynamic, 1)
            for (int i = 0; i < 64; i++)
                __atomic_fetch_add(&iters, 1, __ATOMIC_RELAXED);
            __atomic_fetch_add(&done, 1, __ATOMIC_RELAXED);
        }
        CHECK(on ? done == 0 : done == omp_get_max_threads() && iters == 64, "cancel parallel before for: %d %d", done, iters);
        printf("cancel parallel before loop: %s\n", done == 0 ? "cancelled" : "complete");
    }

    /* cancel taskgroup (tasks run or not; no hang, flag visible) */
    {
        int seen = 0;
#pragma omp parallel
#pragma omp single
#pragma omp taskgroup
        {
#pragma omp task
            {
#pragma omp cancel taskgroup
            }
#pragma omp task
            {
                __atomic_fetch_add(&seen, 1, __ATOMIC_RELAXED);
            }
        }
        CHECK(seen <= 1, "taskgroup %d", seen);
        printf("cancel taskgroup: done\n");
    }

    /* schedule ICV round trips, as libgomp reports them */
    {
        omp_sched_t k;
        int c;
        int kinds[] = {omp_sched_static, omp_sched_dynamic, omp_sched_guided, omp_sched_auto,
                       omp_sched_dynamic | omp_sched_monotonic};
        int chunks[] = {-2, 0, 1, 17};
        omp_set_schedule(omp_sched_guided, 9);
        for (int i = 0; i < 5; i++)
            for (int j = 0; j < 4; j++) {
                omp_set_schedule((omp_sched_t)kinds[i], chunks[j]);
                omp_get_schedule(&k, &c);
                printf("set(%#x,%d) -> (%#x,%d)\n", (unsigned)kinds[i], chunks[j], (unsigned)k, c);
            }
    }
    return 0;
}
