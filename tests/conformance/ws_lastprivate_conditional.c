/* ws_lastprivate_conditional.c - lastprivate(conditional:) on a dynamic
 * loop (GCC: GOMP_loop_start's mem): the value of the last iteration that
 * assigned it, whichever thread ran it. */
// ENV: OMP_NUM_THREADS=4
// RUN: default
// RUN: oversub OMP_NUM_THREADS=6
// RUN: one OMP_NUM_THREADS=1
// CLANG: skip clang 14's own code for lastprivate(conditional:) is racy: on LLVM's libomp it gives -1 or 893 instead of 967 in about 1 run of 10 at 4 threads (2 of 20), so no runtime can pass it
#include "check.h"

#define N 1000

int main(void)
{
    check_runtime();
    omp_set_dynamic(0);
    int last = -1;
#pragma omp parallel for lastprivate(conditional : last) schedule(dynamic, 3)
    for (int i = 0; i < N; i++)
        if (i % 37 == 5) last = i;
    CHECK(last == 967, "lastprivate conditional %d", last);
    printf("lastprivate(conditional): %d\n", last);
    return 0;
}
