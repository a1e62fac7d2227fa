/* task_undeferred.c - undeferred tasks (if(0), final, team of one): what a
 * task run at once by its creator must still be.
 *
 * - Its deferred children may outlive it: if(0) tasks spawn children they
 *   never wait for; the children (and their own children) still run once,
 *   see their parent's data, and the creator's taskwait does not wait for
 *   its grandchildren but the taskgroup around all of it does.
 * - Its ICVs are its own: omp_set_num_threads/dynamic/max_active_levels
 *   inside it do not leak to its creator.
 * - It is a task of its own: omp_in_final, a taskwait and a taskgroup in it
 *   see only its children, and a nest lock its creator holds is not its
 *   own (omp_test_nest_lock fails).
 * - Nesting: fib(25) with every task if(0) (depth 25 of undeferred tasks),
 *   and a copy constructor (a VLA firstprivate) on an if(0) task; three
 *   nested if(0) tasks whose innermost child outlives them all, the
 *   outermost then locking a nest lock its inner if(0) task must not own.
 * - A taskloop in a final task (every chunk undeferred) covers its range.
 */
// ENV: OMP_NUM_THREADS=4
// CLANG: oracle-gcc libomp's nestable locks belong to threads, not tasks: the if(0) task takes the lock its creator holds
// RUN: nt4
// RUN: nt2 OMP_NUM_THREADS=2
// RUN: nt1 OMP_NUM_THREADS=1
#include "check.h"

static long fib0(int n)
{
    long a, b;
    if (n < 2)
        return n;
#pragma omp task shared(a) if (0)
    a = fib0(n - 1);
#pragma omp task shared(b) if (0)
    b = fib0(n - 2);
    return a + b;
}

enum { OUTER = 200, KIDS = 8 };
static int ran[OUTER][KIDS];
static int grand[OUTER][KIDS];

int main(void)
{
    check_runtime();
    omp_set_dynamic(0);

    /* Children outliving their undeferred parent. */
    long seen = 0;
#pragma omp parallel
#pragma omp single
    {
#pragma omp taskgroup
        for (int i = 0; i < OUTER; i++) {
#pragma omp task if (0) firstprivate(i)
            {
                int base = i * 100;
                for (int k = 0; k < KIDS; k++) {
#pragma omp task firstprivate(k, base, i)
                    {
                        __atomic_add_fetch(&ran[i][k], base / 100 == i, __ATOMIC_RELAXED);
#pragma omp task firstprivate(k, i)
                        __atomic_add_fetch(&grand[i][k], 1, __ATOMIC_RELAXED);
                    }
                }
            }
        }
        for (int i = 0; i < OUTER; i++)
            for (int k = 0; k < KIDS; k++)
                seen += ran[i][k] + grand[i][k];
    }
    CHECK(seen == 2L * OUTER * KIDS, "children and grandchildren of if(0) tasks: %ld of %d", seen,
          2 * OUTER * KIDS);
    printf("children of undeferred tasks: %ld\n", seen);

    /* ICVs, omp_in_final, taskwait and taskgroup inside an undeferred task. */
    int bad = 0;
#pragma omp parallel reduction(+ : bad)
    {
        int before = omp_get_max_threads();
        int levels = omp_get_max_active_levels();
#pragma omp task if (0) shared(bad)
        {
            omp_set_num_threads(before + 3);
            omp_set_max_active_levels(levels + 1);
            bad += omp_get_max_threads() != before + 3;
            bad += omp_in_final();
            int done = 0;
#pragma omp task shared(done)
            {
                int spin = 0;
                for (volatile int s = 0; s < 1000; s++)
                    spin++;
                done = spin;
            }
#pragma omp taskwait
            bad += done != 1000;
            int grouped = 0;
#pragma omp taskgroup
            {
#pragma omp task shared(grouped)
                {
#pragma omp task shared(grouped)
#pragma omp atomic
                    grouped++;
#pragma omp atomic
                    grouped++;
                }
            }
            bad += grouped != 2;
        }
        bad += omp_get_max_threads() != before;
        bad += omp_get_max_active_levels() != levels;
#pragma omp task final(1) shared(bad)
        {
            bad += !omp_in_final();
#pragma omp task shared(bad)
            bad += !omp_in_final();
        }
#pragma omp taskwait
        bad += omp_in_final();
    }
    CHECK(bad == 0, "ICVs / in_final / taskwait / taskgroup in undeferred tasks: %d wrong", bad);
    printf("undeferred task environment: ok\n");

    /* A nest lock held by the creator is not the undeferred task's. */
    omp_nest_lock_t lock;
    omp_init_nest_lock(&lock);
    int got_inner = -1, depth_after = -1;
#pragma omp parallel num_threads(2)
#pragma omp single
    {
        omp_set_nest_lock(&lock);
#pragma omp task if (0) shared(got_inner, lock)
        got_inner = omp_test_nest_lock(&lock);
        depth_after = omp_test_nest_lock(&lock);
        omp_unset_nest_lock(&lock);
        omp_unset_nest_lock(&lock);
    }
    omp_destroy_nest_lock(&lock);
    CHECK(got_inner == 0 && depth_after == 2, "nest lock: inner %d, creator's depth %d", got_inner, depth_after);
    printf("nest lock owned by the creator's task: inner %d, depth %d\n", got_inner, depth_after);

    /* Undeferred tasks inside undeferred tasks: the inner one's child
     * outlives both, and the outer one asks for its own identity (a nest
     * lock) only after the inner one returned. */
    enum { ROUNDS = 300 };
    static int late[ROUNDS];
    int identity_bad = 0;
#pragma omp parallel reduction(+ : identity_bad)
#pragma omp single
    {
        omp_nest_lock_t l2;
        omp_init_nest_lock(&l2);
        for (int r = 0; r < ROUNDS; r++) {
#pragma omp task if (0) firstprivate(r) shared(l2, identity_bad)
            {
#pragma omp task if (0) firstprivate(r)
                {
#pragma omp task if (0) firstprivate(r)
                    {
#pragma omp task firstprivate(r)
                        {
                            for (volatile int s = 0; s < 200; s++)
                                ;
                            __atomic_add_fetch(&late[r], 1, __ATOMIC_RELAXED);
                        }
                    }
                }
                omp_set_nest_lock(&l2);
                int inner = -1;
#pragma omp task if (0) shared(inner, l2)
                inner = omp_test_nest_lock(&l2);
                identity_bad += inner != 0;
                identity_bad += omp_test_nest_lock(&l2) != 2;
                omp_unset_nest_lock(&l2);
                omp_unset_nest_lock(&l2);
            }
        }
#pragma omp taskwait
        omp_destroy_nest_lock(&l2);
    }
    long late_ran = 0;
    for (int r = 0; r < ROUNDS; r++)
        late_ran += late[r];
    CHECK(identity_bad == 0 && late_ran == ROUNDS, "nested undeferred: %d identity errors, %ld of %d late children",
          identity_bad, late_ran, ROUNDS);
    printf("nested undeferred tasks: %ld late children\n", late_ran);

    /* Deep nesting, and a copy constructor on an if(0) task. */
    long f = -1;
#pragma omp parallel
#pragma omp single
    f = fib0(25);
    CHECK(f == 75025, "fib0(25) = %ld", f);
    int n = 37;
    long sums[4] = {0};
#pragma omp parallel num_threads(4)
    {
#if defined(__clang__)
        int vla[37]; /* clang 14 refuses a VLA in firstprivate on a task */
#else
        int vla[n]; /* GCC copies it with a copy function */
#endif
        for (int i = 0; i < n; i++)
            vla[i] = i + omp_get_thread_num();
        long s = 0;
#pragma omp task if (0) firstprivate(vla) shared(s)
        {
            for (int i = 0; i < n; i++)
                s += vla[i];
            vla[0] = -1000;
        }
        sums[omp_get_thread_num()] = s - (long)n * omp_get_thread_num() + (vla[0] == -1000);
    }
    long want = 36L * 37 / 2;
    for (int t = 0; t < omp_get_max_threads() && t < 4; t++)
        CHECK(sums[t] == want || sums[t] == 0, "VLA copy on thread %d: %ld", t, sums[t]);
    printf("fib0(25) = %ld, VLA copy: %ld\n", f, sums[0]);

    /* A taskloop whose chunks are all undeferred. */
    long covered = 0;
#pragma omp parallel
#pragma omp single
#pragma omp task final(1) shared(covered)
#pragma omp taskloop grainsize(7) reduction(+ : covered)
    for (int i = 0; i < 1000; i++)
        covered += i;
    CHECK(covered == 999L * 1000 / 2, "taskloop in a final task: %ld", covered);
    printf("taskloop in a final task: %ld\n", covered);
    return 0;
}
