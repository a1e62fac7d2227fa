/* task_cancel_reduction.c - `cancel taskgroup` from an in_reduction task of
 * a `for reduction(task, +: a)` loop inside a `taskgroup`. The loop's
 * implicit taskgroup (one per thread, holding the task reduction) does not
 * stop the cancellation: it cancels the enclosing taskgroup of the thread
 * that created the task, so that thread's tasks created later in it, in the
 * loop or after it, are discarded; other threads' taskgroups go on. Tasks
 * already finished keep their reduction contributions.
 */
// ENV: OMP_CANCELLATION=true
// RUN: nt2 OMP_NUM_THREADS=2
// RUN: nt4 OMP_NUM_THREADS=4
#include "check.h"

#define N 8

int main(void)
{
    check_runtime();
    int a = 0, late_ran = 0;

    /* 1: thread 0 owns iteration 0 (static); its task cancels; thread 0's
     * task created after the loop must not run. */
#pragma omp parallel
    {
        int me = omp_get_thread_num();
#pragma omp taskgroup
        {
#pragma omp for reduction(task, + : a) schedule(static)
            for (int i = 0; i < N; i++) {
                if (i == 0) {
#pragma omp task in_reduction(+ : a)
                    {
                        a += 100;
#pragma omp cancel taskgroup
                    }
                }
            }
            if (me == 0) {
#pragma omp task shared(late_ran)
                {
#pragma omp atomic
                    late_ran++;
                }
            }
        }
    }
    printf("after the loop: a=%d late task ran=%d\n", a, late_ran);

    /* 2: in a team, thread 0's cancelling task is waited for, so every task
     * thread 0 creates later in the loop is discarded; the other threads'
     * taskgroups are not cancelled and all their tasks run. */
    int per_thread[64] = {0}, nt = 1;
    a = 0;
#pragma omp parallel
    {
        int me = omp_get_thread_num();
#pragma omp single
        nt = omp_get_num_threads();
#pragma omp taskgroup
        {
#pragma omp for reduction(task, + : a) schedule(static, 1)
            for (int i = 0; i < 4 * nt; i++) {
                if (i == 0) {
#pragma omp task in_reduction(+ : a)
                    {
                        a += 1000;
#pragma omp cancel taskgroup
                    }
#pragma omp taskwait
                } else {
#pragma omp task in_reduction(+ : a) shared(per_thread) firstprivate(me)
                    {
                        a += 1;
#pragma omp atomic
                        per_thread[me]++;
                    }
#pragma omp taskwait
                }
            }
        }
    }
    int others = 0;
    for (int t = 1; t < nt && t < 64; t++)
        others += per_thread[t];
    printf("in the loop: thread 0's later tasks ran=%d, other threads' tasks all ran=%d, a=%s\n",
           per_thread[0], others == 4 * (nt - 1), a == 1000 + others ? "1000+others" : "wrong");
    return 0;
}
