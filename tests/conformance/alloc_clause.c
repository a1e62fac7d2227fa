/* alloc_clause.c - the allocate clause on parallel, task and taskloop
 * privates with predefined allocators: the privates hold their values,
 * each thread's copy is its own. (omp_large_cap_mem_alloc and allocators
 * made by omp_init_allocator in the clause crash LLVM 14's libomp, the
 * oracle of a clang build.)
 */
// ENV: OMP_NUM_THREADS=4
// RUN: nt4
// RUN: nt1 OMP_NUM_THREADS=1
#include "check.h"
#include <stdint.h>

int main(void)
{
    check_runtime();
    omp_set_dynamic(0);
    int bad = 0;
    for (int round = 0; round < 20; round++) {
        double x = 1.5;
        uintptr_t where[64] = {0};
#pragma omp parallel firstprivate(x) allocate(omp_low_lat_mem_alloc : x) reduction(+ : bad) shared(where)
        {
            if (x != 1.5 || (uintptr_t)&x % sizeof(double) != 0)
                bad++;
            x += omp_get_thread_num();
            where[omp_get_thread_num() % 64] = (uintptr_t)&x;
#pragma omp barrier
            for (int t = 0; t < omp_get_num_threads() && t < 64; t++)
                if (t != omp_get_thread_num() && where[t] == (uintptr_t)&x)
                    bad++;
            if (x != 1.5 + omp_get_thread_num())
                bad++;
        }
    }
    CHECK(bad == 0, "%d bad privates", bad);
    printf("parallel firstprivate from omp_low_lat_mem_alloc: ok\n");

    long s = 0;
    int misplaced = 0;
#pragma omp parallel
#pragma omp single
    {
        for (int i = 0; i < 40; i++) {
            int v = i;
#pragma omp task firstprivate(v) allocate(omp_low_lat_mem_alloc : v) shared(s)
            {
#pragma omp atomic
                s += v;
            }
        }
#pragma omp taskloop private(misplaced) allocate(omp_default_mem_alloc : misplaced) grainsize(10)
        for (int i = 0; i < 100; i++) {
            misplaced = i;
#pragma omp atomic
            s += misplaced;
        }
    }
    CHECK(s == 780 + 4950, "task sum %ld", s);
    printf("task and taskloop privates from allocators: %ld\n", s);
    return 0;
}
