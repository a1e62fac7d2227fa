/* task_detach_foreign.c - a detached task's event fulfilled by a plain
 * pthread that belongs to no team (issue 10, defect 2b).
 *
 * Inside `single`, a thread creates a detached task, hands its event to a
 * helper pthread and waits (taskwait, or the end of a taskgroup).  The
 * helper fulfils it at once, after a yield, a short spin or a short sleep,
 * so the fulfilment lands before the body runs, while the waiter spins and
 * after it parked.  The wait must end, and only after the fulfilment.  An
 * external completion whose wake-up does not change the word the waiter
 * sleeps on can be lost: seen as a permanent hang (passive, team of 1).
 * 10000 rounds per case.  (No barrier is used as the oracle's wait:
 * libgomp 12 itself hangs at a barrier, the region's or an explicit one,
 * waiting for a foreign pthread's fulfilment.  On hsomp the program also
 * awaits the fulfilment at the region's end barrier; that part reports on
 * stderr and through the exit status only, so stdout stays the oracle's.)
 *
 * Bounded: the rounds stop early (noted on stderr) when a scenario has
 * run for 8 s, so a loaded machine cannot turn a slow run into a timeout;
 * a hang is a timeout (the SIGTERM handler names the scenario and round).
 */
// RUN: nt1 OMP_NUM_THREADS=1 OMP_WAIT_POLICY=passive
// RUN: nt2 OMP_NUM_THREADS=2 OMP_WAIT_POLICY=passive
// TIMEOUT: 20
// CLANG: oracle-gcc libomp stops on an assertion for detached tasks in a team of one (case nt1)
#include "stress.h"

/* The region's end barrier waits for the detached task (hsomp only). */
static int detach_foreign_at_barrier(long rounds)
{
    struct fulfiller f;
    long bad = 0, i;
    fulfiller_start(&f);
    stress_begin("detached task fulfilled by a foreign pthread, awaited at the region's end");
    for (i = 0; stress_more(i, rounds); i++) {
        int fulfilled = 0, body = 0;
        unsigned d = mix((unsigned)i);
#pragma omp parallel shared(fulfilled, body)
#pragma omp single nowait
        {
            omp_event_handle_t ev;
#pragma omp task detach(ev) shared(body)
            __atomic_store_n(&body, 1, __ATOMIC_RELEASE);
            fulfiller_post(&f, ev, d, &fulfilled);
        }
        if (!__atomic_load_n(&fulfilled, __ATOMIC_ACQUIRE) || !__atomic_load_n(&body, __ATOMIC_ACQUIRE))
            bad++;
    }
    fulfiller_stop(&f);
    fprintf(stderr, "[%s] %s: %ld rounds, %ld wrong\n", conf_prog, stress_scenario, i, bad);
    stress_round = -1;
    return bad != 0;
}

int main(void)
{
    check_runtime();
    stress_init(8);
    int bad = scen_detach_foreign(10000);
    if (conf_lookup((void *)hsomp_runtime_version, "hsomp_runtime_version"))
        bad |= detach_foreign_at_barrier(3000);
    return bad ? 1 : 0;
}
