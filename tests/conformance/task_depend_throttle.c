/* task_depend_throttle.c - a dependent task created past the spawn
 * throttle must not run inline and block its creator (issue 10, defect 4).
 *
 * In `single`: a detached task T (depend out:x), 300 filler tasks (each
 * with its own depend(out:), a few microseconds of work), then U (depend
 * in:x) and finally F, which fulfils T's event.  hsomp runs a new task at
 * once when the spawner's deque holds 64 tasks; a dependent U run that way
 * waits inside its creation for T's fulfilment, which only F (not created
 * yet) will do: deadlock.  U must run after the fulfilment.  30 rounds.
 *
 * Team sizes: libgomp 12 has its own throttle (more than 64 x nthreads
 * incomplete tasks in the team) and gets this very pattern wrong past it:
 * in a team of 1 it runs U before T's fulfilment, in a team of 2 it can
 * deadlock in U's creation (seen with 200 fillers).  It cannot be the
 * oracle for teams of 1-4 with 300 fillers, so the cases use teams of 5
 * and 8 (64 x 5 = 320 > 302 tasks), where libgomp does not throttle and
 * hsomp's spawner deque still passes 64 (thieves take a few fillers only).
 *
 * Bounded: the rounds stop early (noted on stderr) when a scenario has
 * run for 8 s, so a loaded machine cannot turn a slow run into a timeout;
 * a hang is a timeout (the SIGTERM handler names the scenario and round).
 */
// RUN: nt5 OMP_NUM_THREADS=5
// RUN: nt8 OMP_NUM_THREADS=8
// RUN: nt8_passive OMP_NUM_THREADS=8 OMP_WAIT_POLICY=passive
// TIMEOUT: 20
#include "stress.h"

int main(void)
{
    check_runtime();
    stress_init(8);
    return scen_depend_throttle(30, 300) ? 1 : 0;
}
