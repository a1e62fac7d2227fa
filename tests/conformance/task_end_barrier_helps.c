/* task_end_barrier_helps.c - threads waiting at the end of a region run
 * the tasks that a suspended tied task needs someone else to run.
 *
 * `single nowait`: thread B reaches the region's end barrier at once, with
 * no task anywhere. Thread A then ends a taskgroup around task P; P spawns
 * C (which fulfils an event) and runs E undeferred (if(0)); E creates the
 * detached task F on that event and waits for it (on even rounds A first
 * sleeps, so B surely arrives before any task exists). If A runs P, it
 * may run only E's descendants while E waits, so C, which alone fulfils
 * F's event, must be run by someone. hsomp lets a worker leave the end
 * barrier early when no task is pending at its arrival; B was then gone
 * and the region hung (passive policy, within a few rounds). Now a team
 * whose worker left lets task waits run any task, so A runs C itself.
 * Passive policy only: libgomp 12 itself hangs here with 2 threads under
 * its default and active policies.
 */
// RUN: nt2 OMP_NUM_THREADS=2 OMP_WAIT_POLICY=passive
// RUN: nt4 OMP_NUM_THREADS=4 OMP_WAIT_POLICY=passive
// TIMEOUT: 30
#include "check.h"
#include <sched.h>
#include <unistd.h>

#define ROUNDS 2000

int main(void)
{
    check_runtime();
    omp_set_dynamic(0);
    long bad = 0;
    for (int r = 0; r < ROUNDS; r++) {
        int fulfilled = 0, f_ran = 0, e_done = 0;
#pragma omp parallel shared(fulfilled, f_ran, e_done)
#pragma omp single nowait
        {
            if (r % 2 == 0)
                usleep(50); /* let the other threads reach the barrier first */
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
    printf("the end barrier's threads run the tasks a suspended task needs: ok\n");
    return 0;
}
