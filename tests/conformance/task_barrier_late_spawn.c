/* task_barrier_late_spawn.c - no barrier releases while a task is queued or
 * running (issue 10, defect 1).
 *
 * A worker spawns a task right before it arrives at the region's closing
 * barrier (20000 regions), and right before an explicit `#pragma omp
 * barrier` (20000 barriers, 1000 per region); the task works a little and then
 * counts itself.  The master, after the region / barrier, checks that every
 * task completed: a barrier waiter that judges the team's tasks quiescent
 * before it reads "all arrived" can pair a stale "no tasks" with a fresh
 * "everyone is here" when the last arriver spawned just before arriving,
 * and release the team while the task is still queued or running (seen in
 * 0.4-1.7% of regions, team of 2, default wait policy).  Silent wrong
 * results in real programs, so the count is checked every round.
 *
 * Bounded: the rounds stop early (noted on stderr) when a scenario has
 * run for 8 s, so a loaded machine cannot turn a slow run into a timeout;
 * a hang is a timeout (the SIGTERM handler names the scenario and round).
 */
// ENV: OMP_NUM_THREADS=2
// RUN: nt2
// RUN: nt2_passive OMP_WAIT_POLICY=passive
// RUN: nt3 OMP_NUM_THREADS=3
// TIMEOUT: 20
#include "stress.h"

int main(void)
{
    check_runtime();
    stress_init(8);
    int bad = 0;
    bad += scen_late_spawn_end(20000, 1000);
    bad += scen_late_spawn_barrier(20000, 1000, 1000);
    return bad ? 1 : 0;
}
