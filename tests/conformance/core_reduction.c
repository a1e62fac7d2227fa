/* core_reduction.c - reduction clauses on parallel regions.
 *
 * GCC combines the private copies with atomics where the type allows and
 * with GOMP_atomic_start/end (long double, _Complex) or a critical section
 * otherwise; all of them must give the exact result.
 */
// ENV: OMP_NUM_THREADS=5
#include "check.h"
#include <complex.h>

int main(void)
{
    check_runtime();
    omp_set_dynamic(0);

    for (int rep = 0; rep < 200; rep++) {
        int n = 1 + rep % 8;
        long s = 0, prod = 1;
        int mn = 1 << 30, mx = -(1 << 30), land = 1, lor = 0;
        unsigned band = ~0u, bor = 0, bxor = 0;
        double d = 0.0;
        long double ld = 0.0L;
        double _Complex z = 0;
#pragma omp parallel num_threads(n) reduction(+ : s, d, ld, z) reduction(* : prod)        \
    reduction(min : mn) reduction(max : mx) reduction(&& : land) reduction(|| : lor)        \
    reduction(& : band) reduction(| : bor) reduction(^ : bxor)
        {
            int t = omp_get_thread_num();
            s += t + 1;
            prod *= 2;
            mn = mn < 100 - t ? mn : 100 - t;
            mx = mx > 100 + t ? mx : 100 + t;
            land = land && (t < 100);
            lor = lor || (t == n - 1);
            band &= ~(1u << t);
            bor |= 1u << t;
            bxor ^= 1u << (t % 3);
            d += 0.25 * (t + 1);
            ld += 0.5L * (t + 1);
            z += (double)t + (double)(t + 1) * I;
        }
        unsigned want_xor = 0;
        for (int t = 0; t < n; t++)
            want_xor ^= 1u << (t % 3);
        CHECK(s == n * (n + 1) / 2, "n=%d: + gives %ld", n, s);
        CHECK(prod == 1L << n, "n=%d: * gives %ld", n, prod);
        CHECK(mn == 100 - (n - 1) && mx == 100 + (n - 1), "n=%d: min %d max %d", n, mn, mx);
        CHECK(land == 1 && lor == 1, "n=%d: && %d || %d", n, land, lor);
        CHECK(band == ~((1u << n) - 1) && bor == (1u << n) - 1 && bxor == want_xor,
              "n=%d: & %#x | %#x ^ %#x", n, band, bor, bxor);
        CHECK(d == 0.25 * n * (n + 1) / 2, "n=%d: double + %f", n, d);
        CHECK(ld == 0.5L * n * (n + 1) / 2, "n=%d: long double + %Lf", n, ld);
        CHECK(creal(z) == n * (n - 1) / 2 && cimag(z) == n * (n + 1) / 2,
              "n=%d: complex + (%f,%f)", n, creal(z), cimag(z));
    }
    printf("200 regions of 1..8 threads: + * min max && || & | ^ on int/long/unsigned/double/"
           "long double/complex exact\n");

    /* the default team (OMP_NUM_THREADS=5) */
    {
        long s = 0;
#pragma omp parallel reduction(+ : s)
        s += 1L << (4 * omp_get_thread_num());
        CHECK(s == 0x11111, "default team reduction %#lx", s);
        printf("default team: bits %#lx\n", s);
    }
    return 0;
}
