/* core_atomic.c - atomic update/capture/read/write.
 *
 * int, long and double updates and captures from many threads; captures of
 * a post-increment must hand out every old value exactly once.  long double
 * and __int128 updates are compiled by GCC into GOMP_atomic_start/end
 * calls (the runtime's global atomic lock); they must not lose updates
 * either.
 */
// ENV: OMP_NUM_THREADS=4
#include "check.h"

#define ITERS 20000

int main(void)
{
    int n = 0;
    int ix = 0;
    long lx = 0;
    double dx = 0.0;
    long double ldx = 0.0L;
    __int128 qx = 0;
    int imul = 1;
    static unsigned char got[4 * ITERS * 2];
    int dup = 0, range = 0;
    long lcap_sum = 0;
    double dmax_seen = -1;

    check_runtime();
    omp_set_dynamic(0);
    memset(got, 0, sizeof got);

#pragma omp parallel
    {
#pragma omp single
        n = omp_get_num_threads();
        for (int i = 0; i < ITERS; i++) {
#pragma omp atomic
            ix += 2;
#pragma omp atomic update
            lx += 3;
#pragma omp atomic
            dx += 0.5; /* exact in binary: the total does not depend on order */
#pragma omp atomic
            ldx += 0.25L;
#pragma omp atomic
            qx += (__int128)1 << 40;
        }
    }
    CHECK(ix == 2 * n * ITERS, "int atomic: %d, expected %d", ix, 2 * n * ITERS);
    CHECK(lx == 3L * n * ITERS, "long atomic: %ld, expected %ld", lx, 3L * n * ITERS);
    CHECK(dx == 0.5 * n * ITERS, "double atomic: %f, expected %f", dx, 0.5 * n * ITERS);
    CHECK(ldx == 0.25L * n * ITERS, "long double atomic: %Lf, expected %Lf", ldx,
          0.25L * n * ITERS);
    CHECK(qx == ((__int128)1 << 40) * n * ITERS, "__int128 atomic: wrong total");
    printf("team %d: int=%d long=%ld double=%.1f long double=%.2Lf int128/2^40=%ld\n", n, ix, lx,
           dx, ldx, (long)(qx >> 40));

    /* capture: v = x++ hands out 0, 1, 2, ... exactly once each */
    int ic = 0;
    long lc = 0;
    double dc = 0.0;
#pragma omp parallel
    {
        for (int i = 0; i < 2 * ITERS; i++) {
            int v;
#pragma omp atomic capture
            v = ic++;
            if (v < 0 || v >= n * 2 * ITERS) {
#pragma omp atomic
                range++;
            } else {
                unsigned char old;
#pragma omp atomic capture
                { old = got[v]; got[v] = 1; }
                if (old) {
#pragma omp atomic
                    dup++;
                }
            }
        }
        for (int i = 0; i < ITERS; i++) {
            long w;
#pragma omp atomic capture
            {
                lc += 5;
                w = lc;
            }
#pragma omp atomic
            lcap_sum += w % 7;
            double d;
#pragma omp atomic capture
            d = dc += 1.0;
            if (d > n * ITERS + 0.5) {
#pragma omp atomic
                range++;
            }
#pragma omp critical
            if (d > dmax_seen)
                dmax_seen = d;
        }
    }
    CHECK(range == 0, "capture produced %d out-of-range values", range);
    CHECK(dup == 0, "capture handed out %d duplicate values", dup);
    for (int v = 0; v < n * 2 * ITERS; v++)
        CHECK(got[v] == 1, "capture never handed out %d", v);
    CHECK(ic == n * 2 * ITERS, "int capture total %d", ic);
    CHECK(lc == 5L * n * ITERS, "long capture total %ld", lc);
    /* the captured new values are exactly 5, 10, ..., 5*n*ITERS in some order */
    {
        long want = 0;
        for (long k = 1; k <= (long)n * ITERS; k++)
            want += (5 * k) % 7;
        CHECK(lcap_sum == want, "long capture: sum of captured values mod 7 = %ld, expected %ld",
              lcap_sum, want);
    }
    CHECK(dc == (double)n * ITERS && dmax_seen == dc, "double capture: %f max seen %f", dc,
          dmax_seen);
    printf("capture: int handed out 0..%d once each, long=%ld, double=%.1f\n", ic - 1, lc, dc);

    /* multiplication, subtraction, bit operations, min via compare */
    {
        unsigned bits = 0;
        long sub = 1000000;
#pragma omp parallel num_threads(4)
        {
            int t = omp_get_thread_num();
            for (int i = 0; i < 8; i++) {
#pragma omp atomic
                bits |= 1u << (t * 8 + i);
            }
#pragma omp atomic
            sub -= 10 * (t + 1);
            if (t < 2) {
#pragma omp atomic
                imul *= 3;
            }
        }
        CHECK(bits == 0xffffffffu, "atomic |=: %#x", bits);
        CHECK(sub == 1000000 - 100, "atomic -=: %ld", sub);
        CHECK(imul == 9, "atomic *=: %d", imul);
        printf("or=%#x sub=%ld mul=%d\n", bits, sub, imul);
    }

    /* atomic read/write pairs: a flag handshake between two threads */
    {
        int flag = 0, data = 0, seen = -1;
#pragma omp parallel num_threads(2)
        {
            if (omp_get_thread_num() == 0) {
                data = 42;
#pragma omp atomic write seq_cst
                flag = 1;
            } else {
                int f = 0;
                while (!f) {
#pragma omp atomic read seq_cst
                    f = flag;
                }
                seen = data;
            }
        }
        CHECK(seen == 42, "atomic write/read handshake saw %d", seen);
        printf("atomic write/read handshake: %d\n", seen);
    }
    return 0;
}
