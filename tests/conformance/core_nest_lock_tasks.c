/* core_nest_lock_tasks.c - nestable locks are owned by tasks: the implicit
 * task of a serialized region (`parallel if(0)`, or a nested region beyond
 * max-active-levels) is a new task, so it does not own a lock its
 * encountering task holds (omp_test_nest_lock returns 0, issue 11 item 1),
 * while the owner re-acquires it (the nesting count grows).
 */
// CLANG: oracle-gcc libomp's nestable locks belong to threads, not tasks: a serialized region's task takes the lock its thread holds
#include "check.h"

int main(void)
{
    check_runtime();
    omp_nest_lock_t l;
    omp_init_nest_lock(&l);
    omp_set_nest_lock(&l);
    printf("owner again: %d\n", omp_test_nest_lock(&l));
    int inner = -1;
#pragma omp parallel if(0) shared(inner)
    inner = omp_test_nest_lock(&l);
    printf("serialized region's task: %d\n", inner);
    omp_unset_nest_lock(&l);
    omp_unset_nest_lock(&l);

    omp_set_max_active_levels(1);
    int nested = -1, outer = -1;
#pragma omp parallel num_threads(2) shared(nested, outer)
#pragma omp single
    {
        omp_set_nest_lock(&l);
        outer = omp_test_nest_lock(&l);
#pragma omp parallel num_threads(2) shared(nested)
        nested = omp_test_nest_lock(&l);
        omp_unset_nest_lock(&l);
        omp_unset_nest_lock(&l);
    }
    printf("inside a region: owner %d, inactive nested region's task %d\n", outer, nested);
    printf("free at the end: %d\n", omp_test_nest_lock(&l));
    omp_unset_nest_lock(&l);
    omp_destroy_nest_lock(&l);
    return 0;
}
