/* task_priority.c - priority clause and OMP_MAX_TASK_PRIORITY.
 *
 * omp_get_max_task_priority reports the variable; with one thread, queued
 * sibling tasks of distinct priorities run highest first at a taskwait;
 * priorities above the maximum are clamped; with more threads every
 * prioritised task runs exactly once.
 */
// RUN: p10 OMP_MAX_TASK_PRIORITY=10
// RUN: p0 OMP_MAX_TASK_PRIORITY=0
// CLANG: oracle-gcc libomp does not run queued tasks in priority order (case p10)
#include "check.h"

int main(void)
{
    check_runtime();
    omp_set_dynamic(0);
    int maxp = omp_get_max_task_priority();
    printf("max task priority: %d\n", maxp);

    if (maxp >= 10) {
        int order[8], n = 0;
#pragma omp parallel num_threads(1)
        {
            for (int p = 1; p <= 8; p++) {
#pragma omp task priority(p) firstprivate(p) shared(order, n)
                order[n++] = p;
            }
#pragma omp taskwait
        }
        printf("run order:");
        for (int i = 0; i < n; i++)
            printf(" %d", order[i]);
        printf("\n");
        for (int i = 0; i < 8; i++)
            CHECK(order[i] == 8 - i, "priority order position %d: %d", i, order[i]);
    }

    {
        int hits[100] = {0};
#pragma omp parallel num_threads(4)
#pragma omp single
        for (int i = 0; i < 100; i++) {
#pragma omp task priority(i % 20) firstprivate(i) shared(hits)
            hits[i]++;
        }
        for (int i = 0; i < 100; i++)
            CHECK(hits[i] == 1, "prioritised task %d ran %d times", i, hits[i]);
        printf("100 prioritised tasks on 4 threads: ok\n");
    }
    return 0;
}
