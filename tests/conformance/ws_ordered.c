/* ws_ordered.c - ordered regions in iteration order under every schedule,
 * doacross loops (ordered(1), ordered(2), long and unsigned long long),
 * sections of many counts, parallel sections. */
// ENV: OMP_NUM_THREADS=4
// RUN: default
// RUN: envguided OMP_SCHEDULE=guided,2
// RUN: oversub OMP_NUM_THREADS=6
#include "check.h"

#define N 300
static int seq[N], pos;

#define ORDERED(name, clause)                                                  \
    do {                                                                       \
        pos = 0;                                                               \
        _Pragma(clause) for (int i = 0; i < N; i++) {                         \
            int sq = i * i;                                                    \
            _Pragma("omp ordered") { seq[pos++] = sq; }                        \
        }                                                                      \
        for (int i = 0; i < N; i++)                                            \
            CHECK(seq[i] == i * i, "%s: position %d holds %d", name, i, seq[i]); \
        printf("%s in order\n", name);                                         \
    } while (0)

int main(void)
{
    check_runtime();
    omp_set_dynamic(0);
    ORDERED("ordered static", "omp parallel for ordered schedule(static)");
    ORDERED("ordered static,3", "omp parallel for ordered schedule(static, 3)");
    ORDERED("ordered dynamic", "omp parallel for ordered schedule(dynamic)");
    ORDERED("ordered dynamic,7", "omp parallel for ordered schedule(dynamic, 7)");
    ORDERED("ordered guided", "omp parallel for ordered schedule(guided)");
    ORDERED("ordered runtime", "omp parallel for ordered schedule(runtime)");
    ORDERED("ordered auto", "omp parallel for ordered schedule(auto)");

    /* ordered where only some iterations enter the region, ull, downward */
    {
        unsigned long long out[N];
        int k = 0;
#pragma omp parallel for ordered schedule(dynamic, 2)
        for (unsigned long long u = 3 * N; u > 0; u -= 3)
            if (u % 2 == 0) {
#pragma omp ordered
                out[k++] = u;
            }
        for (int i = 1; i < k; i++)
            CHECK(out[i] < out[i - 1], "ull ordered out of order at %d", i);
        printf("partial ull ordered: %d entries, first %llu last %llu\n", k, out[0], out[k - 1]);
    }

    /* ordered in a nowait loop followed by another */
    {
        pos = 0;
#pragma omp parallel
        {
#pragma omp for ordered schedule(dynamic, 3) nowait
            for (int i = 0; i < N; i++) {
#pragma omp ordered
                seq[pos++] = i;
            }
        }
        for (int i = 0; i < N; i++) CHECK(seq[i] == i, "nowait ordered %d", i);
        printf("nowait ordered ok\n");
    }

    /* doacross: a 1-D recurrence and a 2-D wavefront */
    {
        static long a[N];
        a[0] = 1;
#pragma omp parallel for ordered(1) schedule(dynamic, 1)
        for (int i = 1; i < N; i++) {
#pragma omp ordered depend(sink : i - 1)
            a[i] = (a[i - 1] * 3 + i) % 1000003;
#pragma omp ordered depend(source)
        }
        long w = 1;
        for (int i = 1; i < N; i++) w = (w * 3 + i) % 1000003;
        CHECK(a[N - 1] == w, "doacross 1-D %ld vs %ld", a[N - 1], w);
        printf("doacross 1-D: %ld\n", a[N - 1]);
    }
    for (int sched = 0; sched < 4; sched++) {
        enum { R = 40, C = 37 };
        static long g[R][C];
        memset(g, 0, sizeof g);
        for (int j = 0; j < C; j++) g[0][j] = j;
        for (int i = 0; i < R; i++) g[i][0] = i;
#define WAVE(clause)                                                           \
        _Pragma(clause) for (int i = 1; i < R; i++)                            \
            for (int j = 1; j < C; j++) {                                      \
                _Pragma("omp ordered depend(sink : i - 1, j) depend(sink : i, j - 1)") \
                g[i][j] = (g[i - 1][j] + g[i][j - 1] + 1) % 999983;            \
                _Pragma("omp ordered depend(source)")                          \
            }
        switch (sched) {
        case 0: WAVE("omp parallel for ordered(2) schedule(static)") break;
        case 1: WAVE("omp parallel for ordered(2) schedule(static, 3)") break;
        case 2: WAVE("omp parallel for ordered(2) schedule(dynamic, 2)") break;
        default: WAVE("omp parallel for ordered(2) schedule(guided)") break;
        }
        long ref[R][C];
        for (int j = 0; j < C; j++) ref[0][j] = j;
        for (int i = 0; i < R; i++) ref[i][0] = i;
        for (int i = 1; i < R; i++)
            for (int j = 1; j < C; j++) ref[i][j] = (ref[i - 1][j] + ref[i][j - 1] + 1) % 999983;
        CHECK(memcmp(ref, g, sizeof g) == 0, "doacross 2-D wavefront differs (schedule %d)", sched);
        printf("doacross 2-D wavefront schedule %d: %ld\n", sched, g[R - 1][C - 1]);
    }
    {
        static unsigned long long b[N];
        b[0] = 7;
#pragma omp parallel for ordered(1) schedule(runtime)
        for (unsigned long long u = 1; u < N; u++) {
#pragma omp ordered depend(sink : u - 1)
            b[u] = b[u - 1] * 5 + u;
#pragma omp ordered depend(source)
        }
        unsigned long long w = 7;
        for (unsigned long long u = 1; u < N; u++) w = w * 5 + u;
        CHECK(b[N - 1] == w, "ull doacross");
        printf("doacross ull: %llu\n", b[N - 1]);
    }

    /* sections: counts 1..9, each section exactly once */
    for (int count = 1; count <= 9; count++) {
        int ran[9] = {0};
#pragma omp parallel
        {
#pragma omp sections
            {
#pragma omp section
                __atomic_fetch_add(&ran[0], 1, __ATOMIC_RELAXED);
#pragma omp section
                if (count > 1) __atomic_fetch_add(&ran[1], 1, __ATOMIC_RELAXED);
#pragma omp section
                if (count > 2) __atomic_fetch_add(&ran[2], 1, __ATOMIC_RELAXED);
#pragma omp section
                if (count > 3) __atomic_fetch_add(&ran[3], 1, __ATOMIC_RELAXED);
#pragma omp section
                if (count > 4) __atomic_fetch_add(&ran[4], 1, __ATOMIC_RELAXED);
#pragma omp section
                if (count > 5) __atomic_fetch_add(&ran[5], 1, __ATOMIC_RELAXED);
#pragma omp section
                if (count > 6) __atomic_fetch_add(&ran[6], 1, __ATOMIC_RELAXED);
#pragma omp section
                if (count > 7) __atomic_fetch_add(&ran[7], 1, __ATOMIC_RELAXED);
#pragma omp section
                if (count > 8) __atomic_fetch_add(&ran[8], 1, __ATOMIC_RELAXED);
            }
        }
        for (int s = 0; s < 9; s++) CHECK(ran[s] == (s < count), "sections %d: section %d ran %d", count, s, ran[s]);
    }
    printf("sections ok\n");
    {
        int x = 0, y = 0, z = 0, last = -1;
#pragma omp parallel sections lastprivate(last)
        {
#pragma omp section
            { x = 1; last = 1; }
#pragma omp section
            { y = 2; last = 2; }
#pragma omp section
            { z = 3; last = 3; }
        }
        CHECK(x + y + z == 6 && last == 3, "parallel sections %d %d %d %d", x, y, z, last);
        int a = 0, b = 0;
#pragma omp parallel
        {
#pragma omp sections nowait
            {
#pragma omp section
                a = 5;
#pragma omp section
                b = 6;
            }
#pragma omp single
            a += 0;
        }
        CHECK(a == 5 && b == 6, "sections nowait");
        printf("parallel sections ok, lastprivate %d\n", last);
    }
    return 0;
}
