/* dropin_lock25_fortran.c - the OpenMP 2.5 lock ABI of the Fortran
 * routines (omp_*_lock_@OMP_1.0), as a gfortran binary built before
 * GCC 4.4 calls them: by reference, with both lock kinds holding the 2.5
 * lock in place (a 4-byte simple lock; an 8-byte { owner, count } nestable
 * lock owned by a thread). Written in C to bind those versions explicitly:
 * exclusion under contention, nesting depths, another thread failing to
 * take held locks.
 */
// ENV: OMP_NUM_THREADS=4
#include "check.h"
#include <stdint.h>

typedef struct { int owner, count; } nest25_t;
extern void f_init_lock25(int32_t *);
extern void f_set_lock25(int32_t *);
extern void f_unset_lock25(int32_t *);
extern int32_t f_test_lock25(int32_t *);
extern void f_destroy_lock25(int32_t *);
extern void f_init_nest25(nest25_t *);
extern void f_set_nest25(nest25_t *);
extern void f_unset_nest25(nest25_t *);
extern int32_t f_test_nest25(nest25_t *);
extern void f_destroy_nest25(nest25_t *);
__asm__(".symver f_init_lock25, omp_init_lock_@OMP_1.0\n"
        ".symver f_set_lock25, omp_set_lock_@OMP_1.0\n"
        ".symver f_unset_lock25, omp_unset_lock_@OMP_1.0\n"
        ".symver f_test_lock25, omp_test_lock_@OMP_1.0\n"
        ".symver f_destroy_lock25, omp_destroy_lock_@OMP_1.0\n"
        ".symver f_init_nest25, omp_init_nest_lock_@OMP_1.0\n"
        ".symver f_set_nest25, omp_set_nest_lock_@OMP_1.0\n"
        ".symver f_unset_nest25, omp_unset_nest_lock_@OMP_1.0\n"
        ".symver f_test_nest25, omp_test_nest_lock_@OMP_1.0\n"
        ".symver f_destroy_nest25, omp_destroy_nest_lock_@OMP_1.0\n");

int main(void)
{
    int32_t lk;
    nest25_t nl;
    long counter = 0, nested = 0;
    int blocked = 0, depth3;

    check_runtime();
    f_init_lock25(&lk);
    f_init_nest25(&nl);
#pragma omp parallel
    for (int i = 0; i < 5000; i++) {
        f_set_lock25(&lk);
        counter++;
        f_unset_lock25(&lk);
        f_set_nest25(&nl);
        f_set_nest25(&nl);
        nested++;
        f_unset_nest25(&nl);
        f_unset_nest25(&nl);
    }
    f_set_nest25(&nl);
    f_set_nest25(&nl);
    depth3 = f_test_nest25(&nl);
    f_set_lock25(&lk);
#pragma omp parallel num_threads(2)
    if (omp_get_thread_num() == 1) {
        blocked = f_test_nest25(&nl) == 0;
        if (!f_test_lock25(&lk))
            blocked += 10;
    }
    f_unset_lock25(&lk);
    for (int i = 0; i < 3; i++)
        f_unset_nest25(&nl);
    printf("counter=%ld nested=%ld depth=%d other-thread-blocked=%d simple-held=%d count-after=%d\n",
           counter, nested, depth3, blocked % 10, blocked / 10, nl.count);
    CHECK(f_test_lock25(&lk), "the simple lock is free again");
    f_unset_lock25(&lk);
    f_destroy_nest25(&nl);
    f_destroy_lock25(&lk);
    return 0;
}
