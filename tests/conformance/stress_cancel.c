/* stress_cancel.c - cancellation under every wait policy and team size
 * (issue 10: defect 2a, plus taskgroup cancellation).
 *
 * Runs the stress.h scenarios `cancel parallel` while the others wait at
 * a barrier (they must wake and leave it as cancelled), and `cancel
 * taskgroup` from one of its tasks while the others run, queue or wait (the
 * group ends only when none of its tasks runs, and work created after it is
 * not lost).  OMP_CANCELLATION=true.  Bounded as in stress_barrier_tasks.c.
 */
// ENV: OMP_CANCELLATION=true
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
    CHECK(omp_get_cancellation() == 1, "OMP_CANCELLATION=true is not in effect");
    int bad = 0;
    bad += scen_cancel_barrier(1000, 20000);
    bad += scen_cancel_taskgroup(500, 16);
    return bad ? 1 : 0;
}
