/* ws_schedules.c - every schedule over long and unsigned long long loops:
 * static (blocked/chunked), dynamic, guided, runtime (ICV and OMP_SCHEDULE),
 * auto, monotonic/nonmonotonic modifiers, negative steps, bounds near the
 * type limits, empty loops, chunks larger than the loop, collapse,
 * lastprivate and nowait. Each loop's iterations are counted and checked
 * against a sequential run.
 */
// ENV: OMP_NUM_THREADS=4
// RUN: default
// RUN: envsched OMP_SCHEDULE=guided,3
// RUN: envmono OMP_SCHEDULE=monotonic:dynamic,5
// RUN: envstatic OMP_SCHEDULE=static,2
// RUN: oversub OMP_NUM_THREADS=7
// CLANG: oracle-gcc libomp loses iterations near LONG_MAX (case default) and lastprivate of a collapse(2) dynamic loop under OMP_SCHEDULE (cases envmono, envstatic)
#include "check.h"
#include <limits.h>

#define N 2003
static int hits[N];
static unsigned long long sum_seen;

static void reset(void) { memset(hits, 0, sizeof hits); }
static void verify(const char *what, int lo, int hi, int step)
{
    for (int i = 0; i < N; i++) {
        int want = 0;
        if (step > 0 && i >= lo && i < hi && (i - lo) % step == 0) want = 1;
        if (step < 0 && i <= lo && i > hi && (lo - i) % -step == 0) want = 1;
        CHECK(hits[i] == want, "%s: iteration %d ran %d times (want %d)", what, i, hits[i], want);
    }
    printf("%s ok\n", what);
}

#define LOOP_CMP(name, clause, lo, hi, step, cmp)                               \
    do {                                                                        \
        reset();                                                                \
        _Pragma("omp parallel") {                                               \
            _Pragma(clause) for (long i = lo; i cmp hi; i += step)              \
                __atomic_fetch_add(&hits[i], 1, __ATOMIC_RELAXED);             \
        }                                                                       \
        verify(name, lo, hi, step);                                             \
    } while (0)
#define LOOP(name, clause, lo, hi, step) LOOP_CMP(name, clause, lo, hi, step, <)
#define LOOPD(name, clause, lo, hi, step) LOOP_CMP(name, clause, lo, hi, step, >)

int main(void)
{
    check_runtime();
    omp_set_dynamic(0);

    LOOP("static", "omp for schedule(static)", 0, N, 1);
    LOOP("static,1", "omp for schedule(static, 1)", 3, N, 2);
    LOOPD("static,7 down", "omp for schedule(static, 7)", N - 1, -1, -3);
    LOOP("dynamic", "omp for schedule(dynamic)", 0, N, 1);
    LOOPD("dynamic,13 down", "omp for schedule(dynamic, 13)", N - 2, 4, -5);
    LOOP("guided", "omp for schedule(guided)", 1, N, 1);
    LOOP("guided,9", "omp for schedule(guided, 9)", 0, N, 4);
    LOOP("runtime", "omp for schedule(runtime)", 0, N, 1);
    LOOPD("runtime down", "omp for schedule(runtime)", N - 1, 0, -2);
    LOOP("auto", "omp for schedule(auto)", 0, N, 3);
    LOOP("monotonic:dynamic,4", "omp for schedule(monotonic: dynamic, 4)", 0, N, 1);
    LOOP("nonmonotonic:dynamic,4", "omp for schedule(nonmonotonic: dynamic, 4)", 0, N, 1);
    LOOP("nonmonotonic:guided", "omp for schedule(nonmonotonic: guided)", 0, N, 1);
    LOOP("monotonic:runtime", "omp for schedule(monotonic: runtime)", 0, N, 1);
    LOOP("nonmonotonic:runtime", "omp for schedule(nonmonotonic: runtime)", 0, N, 1);
    LOOP("dynamic chunk > loop", "omp for schedule(dynamic, 100000)", 0, N, 1);
    LOOP("static chunk > loop", "omp for schedule(static, 100000)", 0, N, 1);
    LOOP("guided chunk > loop", "omp for schedule(guided, 100000)", 0, N, 1);
    LOOP("empty dynamic", "omp for schedule(dynamic, 2)", 10, 10, 1);
    LOOPD("empty guided down", "omp for schedule(guided)", 5, 9, -1);

    /* every runtime schedule set through omp_set_schedule */
    {
        static const omp_sched_t kinds[] = {omp_sched_static, omp_sched_dynamic, omp_sched_guided, omp_sched_auto,
                                            omp_sched_dynamic | omp_sched_monotonic};
        for (int k = 0; k < 5; k++)
            for (int c = 0; c < 4; c++) {
                int chunks[] = {0, 1, 6, 5000};
                char name[64];
                omp_sched_t saved_k; int saved_c;
                omp_get_schedule(&saved_k, &saved_c);
                omp_set_schedule(kinds[k], chunks[c]);
                snprintf(name, sizeof name, "set_schedule(%#x,%d)", (unsigned)kinds[k], chunks[c]);
                LOOP(name, "omp for schedule(runtime)", 2, N, 3);
                omp_set_schedule(saved_k, saved_c);
            }
    }

    /* unsigned long long loops, near the top of the range, both directions */
    {
        unsigned long long base = ULLONG_MAX - 3000, cnt = 0, want = 0, s = 0, ws = 0;
        for (unsigned long long u = base; u < ULLONG_MAX - 7; u += 3) { want++; ws += u; }
#pragma omp parallel for schedule(dynamic, 11) reduction(+ : cnt, s)
        for (unsigned long long u = base; u < ULLONG_MAX - 7; u += 3) { cnt++; s += u; }
        CHECK(cnt == want && s == ws, "ull up: %llu/%llu", cnt, want);
        cnt = 0; s = 0; want = 0; ws = 0;
        for (unsigned long long u = ULLONG_MAX - 1; u > base; u -= 7) { want++; ws += u; }
#pragma omp parallel for schedule(guided, 2) reduction(+ : cnt, s)
        for (unsigned long long u = ULLONG_MAX - 1; u > base; u -= 7) { cnt++; s += u; }
        CHECK(cnt == want && s == ws, "ull down: %llu/%llu", cnt, want);
        cnt = 0;
#pragma omp parallel for schedule(runtime) reduction(+ : cnt)
        for (unsigned long long u = 0; u < 100000ULL; u += 9) cnt++;
        CHECK(cnt == (100000ULL + 8) / 9, "ull runtime %llu", cnt);
        cnt = 0;
#pragma omp parallel for schedule(static, 5) reduction(+ : cnt)
        for (unsigned long long u = 50; u > 10; u--) cnt++;
        CHECK(cnt == 40, "ull static down %llu", cnt);
        printf("unsigned long long loops ok\n");
    }

    /* signed long loops at the limits */
    {
        long cnt = 0, last = 0;
#pragma omp parallel for schedule(dynamic, 3) reduction(+ : cnt) lastprivate(last)
        for (long i = LONG_MAX - 1000; i < LONG_MAX - 6; i += 7) { cnt++; last = i; }
        CHECK(cnt == 142 && last == LONG_MAX - 1000 + 141 * 7, "long top %ld %ld", cnt, last);
        cnt = 0;
#pragma omp parallel for schedule(guided) reduction(+ : cnt) lastprivate(last)
        for (long i = LONG_MIN + 500; i > LONG_MIN + 2; i -= 3) { cnt++; last = i; }
        CHECK(cnt == 166 && last == LONG_MIN + 500 - 165 * 3, "long bottom %ld %ld", cnt, last);
        cnt = 0;
#pragma omp parallel for schedule(runtime) reduction(+ : cnt)
        for (long i = LONG_MIN; i < LONG_MIN + 100; i++) cnt++;
        CHECK(cnt == 100, "long min %ld", cnt);
        printf("long loops at the limits ok: %ld\n", last);
    }

    /* collapse and lastprivate */
    {
        static int grid[37][41];
        int li = -1, lj = -1;
#pragma omp parallel for collapse(2) schedule(dynamic, 5) lastprivate(li, lj)
        for (int i = 0; i < 37; i++)
            for (int j = 40; j >= 0; j--) {
                grid[i][j]++;
                li = i; lj = j;
            }
        for (int i = 0; i < 37; i++)
            for (int j = 0; j < 41; j++)
                CHECK(grid[i][j] == 1, "collapse %d %d", i, j);
        printf("collapse(2) ok, lastprivate %d %d\n", li, lj);
        long long tot = 0;
#pragma omp parallel for collapse(3) schedule(guided, 2) reduction(+ : tot)
        for (int a = 0; a < 7; a++)
            for (int b = 0; b < 5; b += 2)
                for (long c = 10; c > 0; c -= 3)
                    tot += a * 100 + b * 10 + c;
        printf("collapse(3) sum %lld\n", tot);
    }

    /* nowait loops that threads run ahead through (more than the ring) */
    {
        static int a[16][64];
#pragma omp parallel
        {
            for (int k = 0; k < 16; k++) {
#pragma omp for schedule(dynamic, 1) nowait
                for (int i = 0; i < 64; i++)
                    a[k][i] += k + i;
            }
        }
        long s = 0;
        for (int k = 0; k < 16; k++)
            for (int i = 0; i < 64; i++) s += a[k][i];
        CHECK(s == 16L * 64 * (15 + 63) / 2, "nowait sum %ld", s);
        printf("16 nowait loops ok: %ld\n", s);
    }

    /* orphaned loop outside any region */
    reset();
#pragma omp for schedule(dynamic, 4)
    for (int i = 0; i < N; i++)
        hits[i]++;
    verify("orphaned dynamic", 0, N, 1);
    (void)sum_seen;
    return 0;
}
