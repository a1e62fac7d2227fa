/* task_barrier_slow_spawn.c - a spawn must not miss a barrier waiter that is
 * about to park (issue 10, defect 2c).
 *
 * The team's other threads arrive at a barrier (explicit one, or the
 * region's end) and park (passive) while one thread spawns 8 tasks with
 * short pauses between them, then arrives.  Each spawn must reach a waiter
 * or be run by the spawner: no hang, and every task has completed when the
 * barrier releases.  A "wake one sleeper" that changes nothing in the word
 * the sleeper waits on is lost between a waiter's last check and its
 * futex_wait.  2000 regions per case.
 *
 * Bounded: the rounds stop early (noted on stderr) when a scenario has
 * run for 8 s, so a loaded machine cannot turn a slow run into a timeout;
 * a hang is a timeout (the SIGTERM handler names the scenario and round).
 */
// ENV: OMP_WAIT_POLICY=passive
// RUN: nt2 OMP_NUM_THREADS=2
// RUN: nt4 OMP_NUM_THREADS=4
// TIMEOUT: 20
#include "stress.h"

int main(void)
{
    check_runtime();
    stress_init(8);
    return scen_slow_spawn(2000, 8, 20000) ? 1 : 0;
}
