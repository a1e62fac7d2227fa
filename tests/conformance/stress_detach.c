/* stress_detach.c - detached tasks under every wait policy and team size
 * (issue 10: defects 2b and 4).
 *
 * Runs the stress.h scenarios: a detached task fulfilled by a plain pthread
 * outside the team, at once or after a delay, while its creator waits in
 * taskwait or at the end of a taskgroup; and a dependent task created after
 * many fillers whose detached predecessor a later sibling fulfils.  The
 * filler count stays under libgomp 12's own throttle (64 x nthreads
 * incomplete tasks, past which libgomp gets that pattern wrong): 100 for 2
 * threads, 230 for 4, 300 for 8 (past hsomp's 256-task throttle).  Bounded
 * as in stress_barrier_tasks.c.
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
    int nt = team_size();
    int bad = 0;
    bad += scen_detach_foreign(600);
    bad += scen_depend_throttle(10, nt >= 8 ? 300 : nt >= 4 ? 230 : 100);
    return bad ? 1 : 0;
}
