/* ws_basic.c - basic worksharing loops (deepened by the worksharing issue).
 *
 * parallel for with schedule(static), static chunked, dynamic,3, guided,
 * runtime and a reduction(+): every iteration executed exactly once, by a
 * thread of the team, and the reduction equals the closed form; sections
 * each executed exactly once.
 */
// ENV: OMP_NUM_THREADS=4
#include "check.h"

#define N 10007

static int hits[N];

static void reset(void) { memset(hits, 0, sizeof hits); }

static void verify(const char *what)
{
    for (int i = 0; i < N; i++)
        CHECK(hits[i] == 1, "%s: iteration %d executed %d times", what, i, hits[i]);
    printf("%s: %d iterations once each\n", what, N);
}

int main(void)
{
    check_runtime();
    omp_set_dynamic(0);

    reset();
#pragma omp parallel for schedule(static)
    for (int i = 0; i < N; i++)
        hits[i]++;
    verify("schedule(static)");

    /* schedule(static) without chunk: each thread gets one contiguous block */
    {
        int owner[N], blocks_bad = 0;
#pragma omp parallel for schedule(static)
        for (int i = 0; i < N; i++)
            owner[i] = omp_get_thread_num();
        for (int i = 1; i < N; i++)
            if (owner[i] < owner[i - 1])
                blocks_bad++;
        CHECK(blocks_bad == 0, "schedule(static): blocks not in thread order");
        printf("schedule(static): contiguous blocks in thread order\n");
    }

    reset();
#pragma omp parallel for schedule(static, 5)
    for (int i = 0; i < N; i++)
        hits[i]++;
    verify("schedule(static,5)");

    reset();
#pragma omp parallel for schedule(dynamic, 3)
    for (int i = 0; i < N; i++)
        hits[i]++;
    verify("schedule(dynamic,3)");

    reset();
#pragma omp parallel for schedule(guided)
    for (int i = 0; i < N; i++)
        hits[i]++;
    verify("schedule(guided)");

    omp_set_schedule(omp_sched_dynamic, 7);
    reset();
#pragma omp parallel for schedule(runtime)
    for (int i = 0; i < N; i++)
        hits[i]++;
    verify("schedule(runtime) dynamic,7");

    /* negative stride and a non-zero lower bound */
    reset();
#pragma omp parallel for schedule(dynamic, 2)
    for (int i = N - 1; i >= 3; i -= 2)
        hits[i]++;
    for (int i = 0; i < N; i++) {
        int want = (i >= 3 && (N - 1 - i) % 2 == 0) ? 1 : 0;
        CHECK(hits[i] == want, "strided loop: iteration %d executed %d times", i, hits[i]);
    }
    printf("strided downward dynamic loop ok\n");

    /* reductions */
    {
        long s = 0;
        double d = 0;
#pragma omp parallel for reduction(+ : s, d) schedule(static)
        for (int i = 1; i <= N; i++) {
            s += i;
            d += 0.5;
        }
        CHECK(s == (long)N * (N + 1) / 2, "reduction(+) %ld", s);
        CHECK(d == 0.5 * N, "reduction(+) double %f", d);
        printf("reduction(+): %ld %.1f\n", s, d);

        long s2 = 0;
#pragma omp parallel for reduction(+ : s2) schedule(dynamic, 3)
        for (int i = 0; i < N; i++)
            s2 += (long)i * i;
        long w2 = 0;
        for (int i = 0; i < N; i++)
            w2 += (long)i * i;
        CHECK(s2 == w2, "dynamic reduction %ld vs %ld", s2, w2);
        printf("reduction(+) dynamic: %ld\n", s2);
    }

    /* orphaned for inside a parallel region, nowait + barrier */
    {
        long a = 0, b = 0;
#pragma omp parallel
        {
#pragma omp for reduction(+ : a) nowait
            for (int i = 0; i < 1000; i++)
                a += i;
#pragma omp for reduction(+ : b) schedule(guided, 4)
            for (int i = 0; i < 2000; i++)
                b += 2;
        }
        CHECK(a == 999L * 1000 / 2 && b == 4000, "for in region: %ld %ld", a, b);
        printf("two loops in one region: %ld %ld\n", a, b);
    }
    /* sections: each section once, with a reduction */
    {
        int sec[4] = {0, 0, 0, 0};
        long r = 0;
        for (int rep = 0; rep < 100; rep++) {
#pragma omp parallel sections reduction(+ : r)
            {
#pragma omp section
                { sec[0]++; r += 1; }
#pragma omp section
                { sec[1]++; r += 10; }
#pragma omp section
                { sec[2]++; r += 100; }
#pragma omp section
                { sec[3]++; r += 1000; }
            }
        }
        for (int i = 0; i < 4; i++)
            CHECK(sec[i] == 100, "section %d executed %d times in 100 constructs", i, sec[i]);
        CHECK(r == 111100, "sections reduction %ld", r);
        printf("sections: 4 sections x 100 constructs once each, sum=%ld\n", r);
    }
    return 0;
}
