/* task_refused_requeue.c - a task that one waiter may not run must stay
 * visible to the waiters that may (issue 10, wake-up protocol review).
 *
 * Thread A ends a taskgroup; thread B, waiting at the barrier of `single`,
 * steals the group's task P. P spawns C (which fulfils an event) and then runs E
 * undeferred (if(0)); E creates the detached task F on that event and waits
 * for it. B, waiting inside E, may run only E's descendants: it takes C
 * from its deque and must give it up. C is A's to run (A waits for the
 * whole group), and only C can fulfil F's event. If the refused C went back
 * without telling anyone, A (parked at the taskgroup's end after looking
 * while C was out of B's deque) and B (parked in E's taskwait) would wait
 * for each other forever. The window is a few instructions wide, so a run
 * rarely hits it; the program guards the scenario against regressions.
 * Passive policy only: libgomp 12 itself hangs here with 2 threads under
 * its default and active policies.
 */
// RUN: nt2 OMP_NUM_THREADS=2 OMP_WAIT_POLICY=passive
// RUN: nt4 OMP_NUM_THREADS=4 OMP_WAIT_POLICY=passive
// TIMEOUT: 30
#include "check.h"
#include <sched.h>

#define ROUNDS 2000

int main(void)
{
    check_runtime();
    omp_set_dynamic(0);
    long bad = 0;
    for (int r = 0; r < ROUNDS; r++) {
        int fulfilled = 0, f_ran = 0, e_done = 0;
#pragma omp parallel shared(fulfilled, f_ran, e_done)
#pragma omp single
        {
#pragma omp taskgroup
            {
#pragma omp task shared(fulfilled, f_ran, e_done)
                {
                    omp_event_handle_t ev;
                    int published = 0;
#pragma omp task shared(ev, published, fulfilled)
                    {
                        while (!__atomic_load_n(&published, __ATOMIC_ACQUIRE))
                            sched_yield();
                        __atomic_store_n(&fulfilled, 1, __ATOMIC_RELEASE);
                        omp_fulfill_event(ev);
                    }
#pragma omp task if(0) shared(ev, published, f_ran, e_done)
                    {
#pragma omp task detach(ev) shared(f_ran)
                        __atomic_store_n(&f_ran, 1, __ATOMIC_RELEASE);
                        __atomic_store_n(&published, 1, __ATOMIC_RELEASE);
#pragma omp taskwait
                        __atomic_store_n(&e_done, 1, __ATOMIC_RELEASE);
                    }
#pragma omp taskwait
                }
            }
        }
        if (!(fulfilled && f_ran && e_done)) {
            if (bad < 3)
                fprintf(stderr, "round %d: fulfilled=%d f_ran=%d e_done=%d after the region\n", r,
                        fulfilled, f_ran, e_done);
            bad++;
        }
    }
    CHECK(bad == 0, "%ld of %d rounds ended before their tasks", bad, ROUNDS);
    printf("refused tasks stay runnable: ok\n");
    return 0;
}
