/* cancel_barrier_passive.c - `cancel parallel` wakes the threads parked at
 * a barrier (issue 10, defect 2a).
 *
 * With OMP_CANCELLATION=true and OMP_WAIT_POLICY=passive, one thread (a
 * different one each region) lets the others reach `#pragma omp barrier`
 * and park, waits a varying while, then executes `cancel parallel`.  The
 * parked threads must wake, leave the barrier as cancelled (none runs the
 * code after it) and the region must end.  A wake-up that changes nothing
 * in the word a parked waiter sleeps on is lost when it lands between the
 * waiter's last check and its futex_wait: the program then hangs for good
 * (seen within tens of regions).  10000 regions per case.
 *
 * Bounded: the rounds stop early (noted on stderr) when a scenario has
 * run for 8 s, so a loaded machine cannot turn a slow run into a timeout;
 * a hang is a timeout (the SIGTERM handler names the scenario and round).
 */
// ENV: OMP_CANCELLATION=true OMP_WAIT_POLICY=passive
// RUN: nt2 OMP_NUM_THREADS=2
// RUN: nt3 OMP_NUM_THREADS=3
// TIMEOUT: 20
#include "stress.h"

int main(void)
{
    check_runtime();
    stress_init(8);
    CHECK(omp_get_cancellation() == 1, "OMP_CANCELLATION=true is not in effect");
    return scen_cancel_barrier(10000, 20000) ? 1 : 0;
}
