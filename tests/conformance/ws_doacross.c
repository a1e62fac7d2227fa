/* ws_doacross.c - doacross loops of one and two dimensions.
 *
 * ordered(1) with a sink on the previous iteration (a running sum must
 * come out sequential), ordered(2) wavefront with sinks on the north and
 * west neighbours, under static, static chunked, dynamic and guided
 * schedules, with non-zero lower bounds and a negative step.
 */
// ENV: OMP_NUM_THREADS=4
// RUN: nt4
// RUN: nt3 OMP_NUM_THREADS=3
// RUN: nt1 OMP_NUM_THREADS=1
#include "check.h"

enum { N = 2000, R = 40, C = 50 };
static long a[N];
static long g[R][C];

static void spin(int k)
{
    for (volatile int s = 0; s < k; s++)
        ;
}

/* Pascal-like grid: g[i][j] = g[i-1][j] + g[i][j-1], borders 1. */
static long expect_grid(int i, int j)
{
    static long e[R][C];
    static int done;
    if (!done) {
        for (int r = 0; r < R; r++)
            for (int c = 0; c < C; c++)
                e[r][c] = (r == 0 || c == 0) ? 1 : (e[r - 1][c] + e[r][c - 1]) % 1000003;
        done = 1;
    }
    return e[i][j];
}

static void check_grid(const char *what)
{
    for (int i = 0; i < R; i++)
        for (int j = 0; j < C; j++)
            CHECK(g[i][j] == expect_grid(i, j), "%s: g[%d][%d] = %ld, expected %ld", what, i, j, g[i][j],
                  expect_grid(i, j));
    printf("%s: wavefront ok\n", what);
}

int main(void)
{
    check_runtime();
    omp_set_dynamic(0);

    /* 1. ordered(1): a[i] = a[i-1] + i, in the loop's order */
    for (int kind = 0; kind < 4; kind++) {
        const char *names[4] = {"static", "static,7", "dynamic,3", "guided"};
        a[0] = 0;
#pragma omp parallel
        {
            if (kind == 0) {
#pragma omp for ordered(1) schedule(static)
                for (int i = 1; i < N; i++) {
#pragma omp ordered depend(sink : i - 1)
                    a[i] = a[i - 1] + i;
#pragma omp ordered depend(source)
                }
            } else if (kind == 1) {
#pragma omp for ordered(1) schedule(static, 7)
                for (int i = 1; i < N; i++) {
#pragma omp ordered depend(sink : i - 1)
                    a[i] = a[i - 1] + i;
#pragma omp ordered depend(source)
                }
            } else if (kind == 2) {
#pragma omp for ordered(1) schedule(dynamic, 3)
                for (int i = 1; i < N; i++) {
#pragma omp ordered depend(sink : i - 1)
                    a[i] = a[i - 1] + i;
#pragma omp ordered depend(source)
                }
            } else {
#pragma omp for ordered(1) schedule(guided)
                for (int i = 1; i < N; i++) {
#pragma omp ordered depend(sink : i - 1)
                    a[i] = a[i - 1] + i;
#pragma omp ordered depend(source)
                }
            }
        }
        CHECK(a[N - 1] == (long)N * (N - 1) / 2, "%s: a[N-1] = %ld", names[kind], a[N - 1]);
        printf("ordered(1) %s: %ld\n", names[kind], a[N - 1]);
    }

    /* 2. ordered(2) wavefront, rows workshared */
    memset(g, 0, sizeof g);
#pragma omp parallel
#pragma omp for ordered(2) schedule(static, 1)
    for (int i = 0; i < R; i++)
        for (int j = 0; j < C; j++) {
#pragma omp ordered depend(sink : i - 1, j) depend(sink : i, j - 1)
            spin(200);
            g[i][j] = (i == 0 || j == 0) ? 1 : (g[i - 1][j] + g[i][j - 1]) % 1000003;
#pragma omp ordered depend(source)
        }
    check_grid("ordered(2) static,1");

    memset(g, 0, sizeof g);
#pragma omp parallel
#pragma omp for ordered(2) schedule(dynamic)
    for (int i = 0; i < R; i++)
        for (int j = 0; j < C; j++) {
#pragma omp ordered depend(sink : i - 1, j) depend(sink : i, j - 1)
            g[i][j] = (i == 0 || j == 0) ? 1 : (g[i - 1][j] + g[i][j - 1]) % 1000003;
#pragma omp ordered depend(source)
        }
    check_grid("ordered(2) dynamic");

    /* 3. shifted bounds and a negative step: rows R+9 down to 10 by -1,
     *    columns 5, 7, 9, ... (step 2); sinks name the previous row (i+1)
     *    and column (j-2). */
    memset(g, 0, sizeof g);
#pragma omp parallel
#pragma omp for ordered(2) schedule(static)
    for (int i = R + 9; i >= 10; i--)
        for (int j = 5; j < 5 + 2 * C; j += 2) {
#pragma omp ordered depend(sink : i + 1, j) depend(sink : i, j - 2)
            {
                int r = R + 9 - i, c = (j - 5) / 2;
                g[r][c] = (r == 0 || c == 0) ? 1 : (g[r - 1][c] + g[r][c - 1]) % 1000003;
            }
#pragma omp ordered depend(source)
        }
    check_grid("ordered(2) shifted, negative step");
    return 0;
}
