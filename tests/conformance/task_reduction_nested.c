/* task_reduction_nested.c - task reductions across nesting levels.
 *
 * Nested taskgroups with task_reduction, whose inner tasks reduce into
 * both the inner and the outer variable (and spawn tasks that do too);
 * `for reduction(task, ...)` with tasks created by every thread; a
 * taskloop in_reduction of an enclosing taskgroup; a user-defined
 * reduction whose initializer reads the original (omp_orig).
 */
// ENV: OMP_NUM_THREADS=4
// RUN: nt4
// RUN: nt2 OMP_NUM_THREADS=2
// RUN: nt1 OMP_NUM_THREADS=1
#include "check.h"

typedef struct {
    long lo, hi;
} range;

static void range_comb(range *out, const range *in)
{
    if (in->lo < out->lo)
        out->lo = in->lo;
    if (in->hi > out->hi)
        out->hi = in->hi;
}

/* The identity starts from the original: lo/hi of the original bound it. */
#pragma omp declare reduction(span : range : range_comb(&omp_out, &omp_in)) initializer(omp_priv = omp_orig)

int main(void)
{
    check_runtime();
    omp_set_dynamic(0);

    /* 1. nested taskgroups */
    {
        long outer = 0, inner = 0;
#pragma omp parallel
#pragma omp single
        {
#pragma omp taskgroup task_reduction(+ : outer)
            {
                for (int i = 0; i < 20; i++) {
#pragma omp task in_reduction(+ : outer)
                    outer += 1;
                }
#pragma omp taskgroup task_reduction(+ : inner)
                {
                    for (int i = 0; i < 30; i++) {
#pragma omp task in_reduction(+ : outer, inner)
                        {
                            outer += 10;
                            inner += 1;
#pragma omp task in_reduction(+ : inner)
                            inner += 100;
                        }
                    }
                }
                CHECK(inner == 30 * 101, "inner taskgroup %ld", inner);
            }
        }
        CHECK(outer == 20 + 300, "outer taskgroup %ld", outer);
        printf("nested taskgroups: outer %ld inner %ld\n", outer, inner);
    }

    /* 2. for reduction(task, ...): tasks from every thread */
    {
        long s = 0;
#pragma omp parallel
        {
#pragma omp for reduction(task, + : s)
            for (int i = 0; i < 64; i++) {
#pragma omp task in_reduction(+ : s)
                s += i;
                s += 1000;
            }
        }
        CHECK(s == 64 * 63 / 2 + 64 * 1000, "for reduction(task) %ld", s);
        printf("for reduction(task): %ld\n", s);
    }

    /* 3. taskloop in_reduction of the enclosing taskgroup */
    {
        long t = 0;
#pragma omp parallel
#pragma omp single
#pragma omp taskgroup task_reduction(+ : t)
        {
#pragma omp taskloop in_reduction(+ : t) grainsize(5)
            for (int i = 0; i < 100; i++)
                t += i;
#pragma omp task in_reduction(+ : t)
            t += 50;
        }
        CHECK(t == 4950 + 50, "taskloop in_reduction %ld", t);
        printf("taskloop in_reduction: %ld\n", t);
    }

    /* 4. user-defined reduction initialised from the original */
    {
        range r = {500, 500};
#pragma omp parallel
#pragma omp single
#pragma omp taskgroup task_reduction(span : r)
        for (int i = 0; i < 40; i++) {
#pragma omp task in_reduction(span : r) firstprivate(i)
            {
                if (i * 7 < r.lo)
                    r.lo = i * 7;
                if (i * 7 > r.hi)
                    r.hi = i * 7;
            }
        }
        CHECK(r.lo == 0 && r.hi == 500, "span %ld..%ld", r.lo, r.hi);
        printf("declare reduction span: %ld..%ld\n", r.lo, r.hi);
    }
    return 0;
}
