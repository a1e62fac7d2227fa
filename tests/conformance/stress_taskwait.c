/* stress_taskwait.c - taskwait for children that other threads run, under
 * every wait policy and team size (issue 10: the lost wake-ups of defect 2
 * seen from taskwait).
 *
 * Every thread spawns children, each of which spawns grandchildren and waits
 * for them; thieves run most of them, so a waiter's wake-up comes from
 * another thread's completion, while one latecomer thread keeps the others
 * waiting.  After each taskwait all the waiter's descendants are done.
 * Bounded as in stress_barrier_tasks.c.
 */
// RUN: default_nt2 OMP_NUM_THREADS=2
// RUN: default_nt4 OMP_NUM_THREADS=4
// RUN: default_nt8 OMP_NUM_THREADS=8
// RUN: active_nt2 OMP_NUM_THREADS=2 OMP_WAIT_POLICY=active
// RUN: active_nt4 OMP_NUM_THREADS=4 OMP_WAIT_POLICY=active
// RUN: active_nt8 OMP_NUM_THREADS=8 OMP_WAIT_POLICY=active
// RUN: passive_nt2 OMP_NUM_THREADS=2 OMP_WAIT_POLICY=passive
// RUN: passive_nt4 OMP_NUM_THREADS=4 OMP_WAIT_POLICY=passive
// RUN: passive_nt8 OMP_NUM_THREADS=8 OMP_WAIT_POLICY=passive
// TIMEOUT: 15
#include "stress.h"

int main(void)
{
    check_runtime();
    stress_init(0.4);
    return scen_taskwait_stolen(400, 4) ? 1 : 0;
}
