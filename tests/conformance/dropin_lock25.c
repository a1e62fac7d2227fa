/* dropin_lock25.c - the OpenMP 2.5 lock ABI that binaries built with GCC
 * before 4.4 bind to (omp_*_lock@OMP_1.0): the simple lock is the same
 * 4-byte lock, the nestable lock an 8-byte { owner, count } owned by a
 * thread. The program binds to those versions explicitly, as such a binary
 * does: exclusion under contention, nesting counts from test_nest_lock,
 * another thread failing to take a held nest lock.
 */
// ENV: OMP_NUM_THREADS=4
#include "check.h"

typedef struct { int owner, count; } nest25_t;
extern void init_lock25(omp_lock_t *);
extern void set_lock25(omp_lock_t *);
extern void unset_lock25(omp_lock_t *);
extern int test_lock25(omp_lock_t *);
extern void destroy_lock25(omp_lock_t *);
extern void init_nest25(nest25_t *);
extern void set_nest25(nest25_t *);
extern void unset_nest25(nest25_t *);
extern int test_nest25(nest25_t *);
extern void destroy_nest25(nest25_t *);
__asm__(".symver init_lock25, omp_init_lock@OMP_1.0\n"
        ".symver set_lock25, omp_set_lock@OMP_1.0\n"
        ".symver unset_lock25, omp_unset_lock@OMP_1.0\n"
        ".symver test_lock25, omp_test_lock@OMP_1.0\n"
        ".symver destroy_lock25, omp_destroy_lock@OMP_1.0\n"
        ".symver init_nest25, omp_init_nest_lock@OMP_1.0\n"
        ".symver set_nest25, omp_set_nest_lock@OMP_1.0\n"
        ".symver unset_nest25, omp_unset_nest_lock@OMP_1.0\n"
        ".symver test_nest25, omp_test_nest_lock@OMP_1.0\n"
        ".symver destroy_nest25, omp_destroy_nest_lock@OMP_1.0\n");

int main(void)
{
    omp_lock_t lk;
    nest25_t nl;
    long counter = 0, nested = 0;
    int blocked = 0, depth3 = 0;

    check_runtime();
    init_lock25(&lk);
    init_nest25(&nl);
#pragma omp parallel
    for (int i = 0; i < 5000; i++) {
        set_lock25(&lk);
        counter++;
        unset_lock25(&lk);
        set_nest25(&nl);
        set_nest25(&nl);
        nested++;
        unset_nest25(&nl);
        unset_nest25(&nl);
    }
    set_nest25(&nl);
    set_nest25(&nl);
    depth3 = test_nest25(&nl);
#pragma omp parallel num_threads(2)
    if (omp_get_thread_num() == 1) {
        blocked = test_nest25(&nl) == 0;
        if (test_lock25(&lk)) {
            blocked += 10;
            unset_lock25(&lk);
        }
    }
    for (int i = 0; i < 3; i++)
        unset_nest25(&nl);
    printf("counter=%ld nested=%ld depth=%d other-thread-blocked=%d simple-free=%d count-after=%d\n",
           counter, nested, depth3, blocked % 10, blocked / 10, nl.count);
    destroy_nest25(&nl);
    destroy_lock25(&lk);
    return 0;
}
