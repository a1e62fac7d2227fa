/* task_group.c - taskgroup, taskwait, if(0), final, mergeable, untied,
 * taskyield, omp_in_final.
 *
 * taskgroup waits for nested descendants (taskwait only for children);
 * nested taskgroups; tasks in a taskgroup in every thread; a final task's
 * descendants are included (run at once, by the same thread) and in final;
 * an if(0) task runs before the encountering task continues.
 */
// ENV: OMP_NUM_THREADS=4
// RUN: nt4
// RUN: nt3 OMP_NUM_THREADS=3
// RUN: nt1 OMP_NUM_THREADS=1
#include "check.h"

static void spin(int us)
{
    double t = omp_get_wtime() + us * 1e-6;
    while (omp_get_wtime() < t)
        ;
}

static int nodes;
static void tree(int depth)
{
#pragma omp atomic
    nodes++;
    if (depth == 0) {
        spin(20);
        return;
    }
    for (int i = 0; i < 3; i++) {
#pragma omp task
        tree(depth - 1);
    }
    /* no taskwait: only the taskgroup waits for the grandchildren */
}

int main(void)
{
    check_runtime();
    omp_set_dynamic(0);

    /* 1. taskgroup waits for all descendants. */
    {
        int seen = -1;
        nodes = 0;
#pragma omp parallel
#pragma omp single
        {
#pragma omp taskgroup
            tree(6);
            seen = nodes;
        }
        CHECK(seen == 1093, "taskgroup saw %d of 1093 nodes", seen);
        printf("taskgroup over a task tree: %d nodes\n", seen);
    }

    /* 2. taskwait waits for children only; the taskgroup for the rest. */
    {
        int child = 0, grandchild = 0, at_taskwait_child = -1, at_end = -1;
#pragma omp parallel
#pragma omp single
        {
#pragma omp taskgroup
            {
#pragma omp task shared(child, grandchild)
                {
#pragma omp task shared(grandchild)
                    {
                        spin(3000);
#pragma omp atomic write
                        grandchild = 1;
                    }
                    child = 1;
                }
#pragma omp taskwait
                at_taskwait_child = child;
            }
            at_end = grandchild;
        }
        CHECK(at_taskwait_child == 1 && at_end == 1, "child %d grandchild %d", at_taskwait_child, at_end);
        printf("taskwait saw the child, taskgroup end the grandchild\n");
    }

    /* 3. nested taskgroups in every thread. */
    {
        long total = 0;
#pragma omp parallel reduction(+ : total)
        {
            long outer = 0, inner = 0, inner_seen = 0;
#pragma omp taskgroup
            {
                for (int i = 0; i < 50; i++) {
#pragma omp task shared(outer)
                    {
#pragma omp atomic
                        outer++;
                    }
                }
#pragma omp taskgroup
                {
                    for (int i = 0; i < 20; i++) {
#pragma omp task shared(inner)
                        {
                            spin(10);
#pragma omp atomic
                            inner++;
                        }
                    }
                }
                inner_seen = inner;
            }
            CHECK(inner_seen == 20 && outer == 50, "nested taskgroups: inner %ld outer %ld", inner_seen, outer);
            total += outer + inner;
        }
        CHECK(total == 70L * omp_get_max_threads(), "nested taskgroups total %ld", total);
        printf("nested taskgroups in every thread: ok\n");
    }

    /* 4. if(0): the task completes before the encountering task goes on. */
    {
        int done = 0, seen = -1;
#pragma omp parallel
#pragma omp single
        {
#pragma omp task if (0) shared(done)
            {
                spin(1000);
                done = 1;
            }
            seen = done;
        }
        CHECK(seen == 1, "if(0) task not complete");
        printf("if(0) task complete at once\n");
    }

    /* 5. final: descendants are included, run by the same thread at once,
     *    and report omp_in_final; mergeable and untied tasks run normally. */
    {
        int outside = -1, in_final = -1, child_final = -1, same_thread = 1, order_ok = 1;
#pragma omp parallel
#pragma omp single
        {
            outside = omp_in_final();
#pragma omp task final(1) shared(in_final, child_final, same_thread, order_ok)
            {
                int me = omp_get_thread_num(), step = 0;
                in_final = omp_in_final();
                for (int i = 0; i < 10; i++) {
#pragma omp task shared(child_final, same_thread, step, order_ok) firstprivate(i, me)
                    {
                        if (step != i)
                            order_ok = 0;
                        step++;
                        child_final = omp_in_final();
                        if (omp_get_thread_num() != me)
                            same_thread = 0;
                    }
                }
            }
            int m = 0;
#pragma omp task mergeable shared(m)
            m = 3;
            int u = 0;
#pragma omp task untied shared(u)
            {
                u = 1;
#pragma omp taskyield
                u = 4;
            }
#pragma omp taskwait
            CHECK(m == 3 && u == 4, "mergeable %d untied %d", m, u);
        }
        CHECK(outside == 0 && in_final == 1 && child_final == 1, "omp_in_final: %d %d %d", outside, in_final, child_final);
        CHECK(same_thread && order_ok, "included tasks not run in order on the same thread");
        printf("final: in_final outside=%d inside=%d child=%d, included in order\n", outside, in_final, child_final);
    }

    /* 6. final(expr) false behaves like a normal task. */
    {
        int f = -1;
#pragma omp parallel
#pragma omp single
        {
            int zero = 0;
#pragma omp task final(zero) shared(f)
            f = omp_in_final();
        }
        CHECK(f == 0, "final(0) task in final");
        printf("final(0): in_final=%d\n", f);
    }

    /* 7. taskyield in a loop of tasks. */
    {
        int n = 0;
#pragma omp parallel
#pragma omp single
        {
            for (int i = 0; i < 100; i++) {
#pragma omp task shared(n)
                {
#pragma omp taskyield
#pragma omp atomic
                    n++;
                }
            }
        }
        CHECK(n == 100, "taskyield tasks %d", n);
        printf("taskyield: %d tasks\n", n);
    }
    return 0;
}
