/* ws_env_schedule.c - OMP_SCHEDULE parsing (modifiers, chunk 0, auto) as
 * reported by omp_get_schedule, and a runtime-scheduled loop under it. */
// ENV: OMP_NUM_THREADS=3
// RUN: static OMP_SCHEDULE=static
// RUN: static0 OMP_SCHEDULE=static,0
// RUN: dyn0 OMP_SCHEDULE=dynamic,0
// RUN: auto3 OMP_SCHEDULE=auto,3
// RUN: mono OMP_SCHEDULE=monotonic:dynamic
// RUN: nonmono OMP_SCHEDULE=nonmonotonic:static,4
// RUN: spaces OMP_SCHEDULE=monotonic:guided,2
// RUN: guided7 OMP_SCHEDULE=GUIDED,7
// CLANG: oracle-gcc libomp's omp_get_schedule reports OMP_SCHEDULE's kinds and chunks otherwise than libgomp (no monotonic bit for static, chunk 0 kept, auto's chunk)
#include "check.h"

int main(void)
{
    check_runtime();
    omp_sched_t k;
    int c;
    omp_get_schedule(&k, &c);
    printf("OMP_SCHEDULE=%s -> kind %#x chunk %d\n", getenv("OMP_SCHEDULE"), (unsigned)k, c);
    long s = 0;
#pragma omp parallel for schedule(runtime) reduction(+ : s)
    for (long i = 0; i < 10000; i++) s += i;
    CHECK(s == 49995000L, "sum %ld", s);
    printf("runtime loop ok\n");
    return 0;
}
