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
 * 10000 rounds per case.  (No barrier is used as the wait: libgomp 12
 * itself hangs at a barrier, the region's or an explicit one, waiting for
 * a foreign pthread's fulfilment.)
 *
 * Bounded: the rounds stop early (noted on stderr) when a scenario has
 * run for 8 s, so a loaded machine cannot turn a slow run into a timeout;
 * a hang is a timeout (the SIGTERM handler names the scenario and round).
 */
// RUN: nt1 OMP_NUM_THREADS=1 OMP_WAIT_POLICY=passive
// RUN: nt2 OMP_NUM_THREADS=2 OMP_WAIT_POLICY=passive
// TIMEOUT: 20
#include "stress.h"

int main(void)
{
    check_runtime();
    stress_init(8);
    return scen_detach_foreign(10000) ? 1 : 0;
}
