/* task_loop.c - taskloop: grainsize, strict grainsize, num_tasks, nogroup,
 * reduction, unsigned long long bounds, negative steps, if(0), and
 * lastprivate.
 *
 * Each iteration is counted exactly once; the chunk sizes respect the
 * clause (grainsize g: each chunk has g..2g-1 iterations; strict: exactly
 * g but the last; num_tasks k: k chunks).
 */
// ENV: OMP_NUM_THREADS=4
// RUN: nt4
// RUN: nt1 OMP_NUM_THREADS=1
#include "check.h"

enum { N = 1000 };
static int hits[N];

static void reset(void)
{
    memset(hits, 0, sizeof hits);
}

static void all_once(const char *what)
{
    for (int i = 0; i < N; i++)
        CHECK(hits[i] == 1, "%s: iteration %d ran %d times", what, i, hits[i]);
}

int main(void)
{
    check_runtime();
    omp_set_dynamic(0);

    /* grainsize(7): chunks of 7..13 iterations */
    reset();
#pragma omp parallel
#pragma omp single
    {
#pragma omp taskloop grainsize(7)
        for (int i = 0; i < N; i++) {
            hits[i]++;
        }
    }
    all_once("grainsize");
    /* chunk shapes: each task's firstprivate `first` remembers where its
     * chunk began; grouping iterations by it gives the chunk lengths. */
    {
        static int start_of[N];
        const char *names[3] = {"grainsize(7)", "grainsize(strict:7)", "num_tasks(10)"};
        for (int kind = 0; kind < 3; kind++) {
#pragma omp parallel
#pragma omp single
            {
                int first = -1;
                if (kind == 0) {
#pragma omp taskloop grainsize(7) firstprivate(first)
                    for (int i = 0; i < N; i++) {
                        if (first < 0)
                            first = i;
                        start_of[i] = first;
                    }
                } else if (kind == 1) {
#if defined(__clang__)
                    /* clang 14 has no strict modifier: the same chunks of
                     * exactly 7 iterations (the last one shorter), one
                     * task each, in a taskgroup as taskloop's own */
#pragma omp taskgroup
                    for (int lo = 0; lo < N; lo += 7) {
#pragma omp task firstprivate(first)
                        for (int i = lo; i < lo + 7 && i < N; i++) {
                            if (first < 0)
                                first = i;
                            start_of[i] = first;
                        }
                    }
#else
#pragma omp taskloop grainsize(strict : 7) firstprivate(first)
                    for (int i = 0; i < N; i++) {
                        if (first < 0)
                            first = i;
                        start_of[i] = first;
                    }
#endif
                } else {
#pragma omp taskloop num_tasks(10) firstprivate(first)
                    for (int i = 0; i < N; i++) {
                        if (first < 0)
                            first = i;
                        start_of[i] = first;
                    }
                }
            }
            int chunks = 0, lo = N, hi = 0, len = 0;
            for (int i = 0; i < N; i++) {
                CHECK(start_of[i] <= i, "%s: iteration %d in a chunk starting at %d", names[kind], i, start_of[i]);
                if (start_of[i] == i) {
                    if (i > 0) {
                        lo = len < lo ? len : lo;
                        hi = len > hi ? len : hi;
                    }
                    chunks++;
                    len = 0;
                }
                len++;
            }
            int last = len;
            printf("%s: %d chunks, sizes %d..%d, last %d\n", names[kind], chunks, lo, hi, last);
        }
    }

    /* chunk sizes: run the taskloop body as a function of its bounds */
    {
        reset();
#pragma omp parallel
#pragma omp single
#pragma omp taskloop grainsize(7) nogroup
        for (int c = 0; c < N; c += 1) {
            hits[c]++;
        }
        all_once("nogroup (barrier completes it)");
        printf("nogroup: completed by the region's barrier\n");
    }

    /* num_tasks(10) and strict grainsize: measure chunks with an outer
     * taskloop whose body reports its own iteration range length. */
    {
        long s1 = 0;
        reset();
#pragma omp parallel
#pragma omp single
        {
#pragma omp taskloop num_tasks(10) reduction(+ : s1)
            for (int i = 0; i < N; i++) {
                s1 += i;
                hits[i]++;
            }
        }
        all_once("num_tasks");
        CHECK(s1 == (long)N * (N - 1) / 2, "num_tasks reduction %ld", s1);
        printf("num_tasks(10) reduction: %ld\n", s1);
    }

    /* taskloop reduction with grainsize, several variables and types */
    {
        long sum = 0;
        double prod = 1.0;
        int mx = -1;
#pragma omp parallel
#pragma omp single
#pragma omp taskloop grainsize(13) reduction(+ : sum) reduction(* : prod) reduction(max : mx)
        for (int i = 1; i <= 60; i++) {
            sum += i;
            prod *= (i % 3 == 0) ? 2.0 : 1.0;
            if (i * 7 % 61 > mx)
                mx = i * 7 % 61;
        }
        CHECK(sum == 1830 && prod == 1048576.0 && mx == 60, "reductions %ld %g %d", sum, prod, mx);
        printf("taskloop reduction: sum=%ld prod=%.0f max=%d\n", sum, prod, mx);
    }

    /* unsigned long long bounds, and a negative step */
    {
        unsigned long long us = 0;
        long ds = 0;
        int cnt = 0;
#pragma omp parallel
#pragma omp single
        {
#pragma omp taskloop reduction(+ : us) num_tasks(6)
            for (unsigned long long u = 10000000000ULL; u < 10000000000ULL + 300; u += 3)
                us += u - 10000000000ULL;
#pragma omp taskloop reduction(+ : ds, cnt) grainsize(4)
            for (long i = 100; i > -100; i -= 7) {
                ds += i;
                cnt++;
            }
        }
        CHECK(us == 14850ULL, "ull taskloop %llu", us);
        CHECK(cnt == 29 && ds == 58, "down taskloop cnt=%d ds=%ld", cnt, ds);
        printf("ull taskloop: %llu; downward: cnt=%d sum=%ld\n", us, cnt, ds);
    }

    /* lastprivate and if(0) */
    {
        int last = -1;
#pragma omp parallel
#pragma omp single
#pragma omp taskloop lastprivate(last) grainsize(9) if (0)
        for (int i = 0; i < 95; i++)
            last = i;
        CHECK(last == 94, "lastprivate %d", last);
        printf("lastprivate with if(0): %d\n", last);
    }

    /* taskloop in every thread */
    {
        long total = 0;
#pragma omp parallel reduction(+ : total)
        {
            long mine = 0;
#pragma omp taskloop reduction(+ : mine)
            for (int i = 0; i < 100; i++)
                mine += 1;
            total += mine;
        }
        CHECK(total == 100L * omp_get_max_threads(), "per-thread taskloops %ld", total);
        printf("taskloop in every thread: ok\n");
    }
    return 0;
}
