/* task_depend.c - task dependences.
 *
 * An inout chain (strict order), out -> many in -> out fan-out/fan-in,
 * mutexinoutset (mutually exclusive, after the writer, before the reader),
 * depobj objects (in and inout), taskwait depend, and an undeferred if(0)
 * task with dependences waiting for its deferred predecessor.
 */
// ENV: OMP_NUM_THREADS=4
// RUN: nt4
// RUN: nt2 OMP_NUM_THREADS=2
// RUN: nt1 OMP_NUM_THREADS=1
#include "check.h"

static void spin(int us)
{
    double t = omp_get_wtime() + us * 1e-6;
    while (omp_get_wtime() < t)
        ;
}

int main(void)
{
    check_runtime();
    omp_set_dynamic(0);

    /* 1. inout chain: every task sees its predecessor's value. */
    {
        enum { N = 200 };
        int x = 0, bad = 0;
#pragma omp parallel
#pragma omp single
        for (int i = 0; i < N; i++) {
#pragma omp task depend(inout : x) firstprivate(i) shared(x, bad)
            {
                if (i % 17 == 0)
                    spin(50);
                if (x != i)
                    bad++;
                x = i + 1;
            }
        }
        CHECK(bad == 0 && x == N, "inout chain: bad=%d x=%d", bad, x);
        printf("inout chain of %d: x=%d\n", N, x);
    }

    /* 2. writer -> readers -> writer. */
    {
        enum { R = 32 };
        int v = 0, seen[R], final_v = -1;
#pragma omp parallel
#pragma omp single
        {
#pragma omp task depend(out : v) shared(v)
            {
                spin(2000);
                v = 42;
            }
            for (int i = 0; i < R; i++) {
#pragma omp task depend(in : v) firstprivate(i) shared(v, seen)
                {
                    spin(100);
                    seen[i] = v;
                }
            }
#pragma omp task depend(inout : v) shared(v, seen)
            {
                int ok = 1;
                for (int i = 0; i < R; i++)
                    ok &= seen[i] == 42;
                v = ok ? 100 : -1;
            }
#pragma omp taskwait
            final_v = v;
        }
        CHECK(final_v == 100, "fan-out/fan-in: %d", final_v);
        printf("out -> %d in -> inout: v=%d\n", R, final_v);
    }

    /* 3. mutexinoutset: exclusive among themselves, ordered w.r.t. out/in. */
    {
        enum { M = 16 };
        int acc = 0, inside = 0, overlap = 0, after = -1;
#pragma omp parallel
#pragma omp single
        {
#pragma omp task depend(out : acc) shared(acc)
            {
                spin(1000);
                acc = 1000;
            }
            for (int i = 0; i < M; i++) {
#pragma omp task depend(mutexinoutset : acc) firstprivate(i) shared(acc, inside, overlap)
                {
                    int n;
#pragma omp atomic capture
                    n = ++inside;
                    if (n != 1)
                        overlap = 1;
                    spin(100);
                    acc += i;
#pragma omp atomic
                    inside--;
                }
            }
#pragma omp task depend(in : acc) shared(acc, after)
            after = acc;
        }
        CHECK(!overlap, "mutexinoutset tasks overlapped");
        CHECK(after == 1000 + M * (M - 1) / 2, "mutexinoutset result %d", after);
        printf("mutexinoutset: %d\n", after);
    }

    /* 4. depobj: an inout object then an in object on the same variable. */
    {
        int y = 0, got = -1;
        omp_depend_t wr, rd;
#pragma omp depobj(wr) depend(inout : y)
#pragma omp depobj(rd) depend(in : y)
#pragma omp parallel
#pragma omp single
        {
#pragma omp task depend(depobj : wr) shared(y)
            {
                spin(2000);
                y = 7;
            }
#pragma omp task depend(depobj : rd) shared(y, got)
            got = y;
#pragma omp taskwait
        }
#pragma omp depobj(wr) destroy
#pragma omp depobj(rd) destroy
        CHECK(got == 7, "depobj: %d", got);
        printf("depobj inout -> in: %d\n", got);
    }

    /* 5. taskwait depend waits only for the named predecessor. */
    {
        int a = 0, b = 0, seen_a = -1;
#pragma omp parallel
#pragma omp single
        {
#pragma omp task depend(out : a) shared(a)
            {
                spin(3000);
                a = 5;
            }
#pragma omp task depend(out : b) shared(b)
            b = 6;
#pragma omp taskwait depend(in : a)
            seen_a = a;
#pragma omp taskwait
        }
        CHECK(seen_a == 5 && b == 6, "taskwait depend: a=%d b=%d", seen_a, b);
        printf("taskwait depend: a=%d b=%d\n", seen_a, b);
    }

    /* 6. an undeferred task with a dependence on a deferred one. */
    {
        int z = 0, seen = -1;
#pragma omp parallel
#pragma omp single
        {
#pragma omp task depend(out : z) shared(z)
            {
                spin(2000);
                z = 9;
            }
#pragma omp task if (0) depend(in : z) shared(z, seen)
            seen = z;
            CHECK(seen == 9, "if(0) task ran before its predecessor: %d", seen);
        }
        printf("undeferred task after its predecessor: %d\n", seen);
    }

    /* 7. many independent chains on an array (stress). */
    {
        enum { K = 64, STEPS = 50 };
        static int cell[K];
        int bad = 0;
#pragma omp parallel
#pragma omp single
        for (int s = 0; s < STEPS; s++)
            for (int k = 0; k < K; k++) {
#pragma omp task depend(inout : cell[k]) firstprivate(k, s) shared(bad)
                {
                    if (cell[k] != s)
#pragma omp atomic
                        bad++;
                    cell[k] = s + 1;
                }
            }
        for (int k = 0; k < K; k++)
            CHECK(cell[k] == STEPS, "chain %d ended at %d", k, cell[k]);
        CHECK(bad == 0, "%d out-of-order steps", bad);
        printf("%d chains of %d steps: ok\n", K, STEPS);
    }
    return 0;
}
