/* stress_barrier_tasks.c - tasks and barriers under every wait policy and
 * team size (issue 10: defects 1 and 2c, plus task trees).
 *
 * Runs the stress.h scenarios: a late spawn right before the region's end
 * and before an explicit barrier (no barrier may release while a task is
 * queued or running), slow spawns while the others park at a barrier (no
 * lost wake-up), and every thread growing a task tree right before a
 * barrier.  Bounded: fixed round counts, each scenario cut short by a time
 * budget (0.4 s) when an oversubscribed team is slow; a hang is a timeout.
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
    int bad = 0;
    bad += scen_late_spawn_end(3000, 500);
    bad += scen_late_spawn_barrier(3000, 500, 25);
    bad += scen_slow_spawn(300, 6, 10000);
    bad += scen_task_tree_barrier(300, 4);
    return bad ? 1 : 0;
}
