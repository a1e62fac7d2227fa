/* core_locks.c - simple and nestable locks.
 *
 * omp_set_lock/omp_unset_lock protecting a non-atomic counter under
 * contention; omp_test_lock acquiring in a retry loop and failing while
 * another thread holds the lock; nest locks: recursive acquisition counts
 * as returned by omp_test_nest_lock, owner-only re-entry, and exclusion of
 * other threads until the count drops to zero.
 */
// ENV: OMP_NUM_THREADS=4
#include "check.h"

#define ITERS 20000

static volatile long counter;
static volatile int inside;
static int overlaps;

static void bump(long d)
{
    if (inside++)
        overlaps++;
    long v = counter;
    for (volatile int k = 0; k < 2; k++)
        ;
    counter = v + d;
    inside--;
}

int main(void)
{
    omp_lock_t lk;
    omp_nest_lock_t nl;
    int n = 0;

    check_runtime();
    omp_set_dynamic(0);
#if defined(__clang__) /* LLVM's omp.h: both locks are one pointer */
    CHECK(sizeof(omp_lock_t) == 8 && sizeof(omp_nest_lock_t) == 8,
          "unexpected lock sizes %zu/%zu", sizeof(omp_lock_t), sizeof(omp_nest_lock_t));
#else
    CHECK(sizeof(omp_lock_t) == 4 && sizeof(omp_nest_lock_t) == 16,
          "unexpected lock sizes %zu/%zu", sizeof(omp_lock_t), sizeof(omp_nest_lock_t));
#endif

    /* set/unset under contention */
    omp_init_lock(&lk);
#pragma omp parallel
    {
#pragma omp single
        n = omp_get_num_threads();
        for (int i = 0; i < ITERS; i++) {
            omp_set_lock(&lk);
            bump(1);
            omp_unset_lock(&lk);
        }
    }
    CHECK(overlaps == 0, "set_lock: %d overlaps", overlaps);
    CHECK(counter == (long)n * ITERS, "set_lock counter %ld, expected %ld", counter,
          (long)n * ITERS);
    printf("team %d: set/unset lock counter=%ld\n", n, counter);

    /* test_lock retry loop mixed with set_lock */
    counter = 0;
    long tries_failed = 0;
#pragma omp parallel reduction(+ : tries_failed)
    {
        int t = omp_get_thread_num();
        for (int i = 0; i < ITERS / 2; i++) {
            if ((i + t) % 3 == 0) {
                omp_set_lock(&lk);
            } else {
                while (!omp_test_lock(&lk))
                    tries_failed++;
            }
            bump(2);
            omp_unset_lock(&lk);
        }
    }
    CHECK(overlaps == 0, "test_lock: %d overlaps", overlaps);
    CHECK(counter == 2L * n * (ITERS / 2), "test_lock counter %ld", counter);
    printf("test/set lock counter=%ld\n", counter);

    /* test_lock fails while another thread holds the lock */
    {
        int r_held = -1, r_free = -1;
#pragma omp parallel num_threads(2)
        {
            if (omp_get_thread_num() == 0)
                omp_set_lock(&lk);
#pragma omp barrier
            if (omp_get_thread_num() == 1)
                r_held = omp_test_lock(&lk);
#pragma omp barrier
            if (omp_get_thread_num() == 0)
                omp_unset_lock(&lk);
#pragma omp barrier
            if (omp_get_thread_num() == 1) {
                r_free = omp_test_lock(&lk);
                if (r_free)
                    omp_unset_lock(&lk);
            }
        }
        CHECK(r_held == 0, "omp_test_lock succeeded on a lock held by another thread");
        CHECK(r_free != 0, "omp_test_lock failed on a free lock");
        printf("test_lock: held by other -> %d, free -> %d\n", r_held, r_free != 0);
    }
    omp_destroy_lock(&lk);

    /* a lock re-initialised after destroy works again */
    omp_init_lock(&lk);
    CHECK(omp_test_lock(&lk), "fresh lock not acquirable");
    omp_unset_lock(&lk);
    omp_destroy_lock(&lk);

    /* nest locks: counts */
    omp_init_nest_lock(&nl);
    {
        int c1, c2, c3, c4;
        omp_set_nest_lock(&nl);
        omp_set_nest_lock(&nl);
        omp_set_nest_lock(&nl);
        c4 = omp_test_nest_lock(&nl); /* 4th level */
        omp_unset_nest_lock(&nl);
        omp_unset_nest_lock(&nl);
        c3 = omp_test_nest_lock(&nl); /* back to 3 */
        omp_unset_nest_lock(&nl);
        omp_unset_nest_lock(&nl);
        c2 = omp_test_nest_lock(&nl); /* 1 held + 1 = 2 */
        omp_unset_nest_lock(&nl);
        omp_unset_nest_lock(&nl);
        c1 = omp_test_nest_lock(&nl); /* free again: 1 */
        omp_unset_nest_lock(&nl);
        CHECK(c4 == 4 && c3 == 3 && c2 == 2 && c1 == 1, "nest counts %d %d %d %d", c4, c3, c2,
              c1);
        printf("nest lock counts: %d %d %d %d\n", c4, c3, c2, c1);
    }

    /* nest lock held (count 2) by thread 0 excludes thread 1 until released */
    {
        int r_held = -1, r_free = -1;
#pragma omp parallel num_threads(2)
        {
            int t = omp_get_thread_num();
            if (t == 0) {
                omp_set_nest_lock(&nl);
                omp_set_nest_lock(&nl);
            }
#pragma omp barrier
            if (t == 1)
                r_held = omp_test_nest_lock(&nl);
#pragma omp barrier
            if (t == 0)
                omp_unset_nest_lock(&nl);
#pragma omp barrier
            if (t == 1 && r_held == 0) {
                /* still held once */
                r_held = omp_test_nest_lock(&nl);
            }
#pragma omp barrier
            if (t == 0)
                omp_unset_nest_lock(&nl);
#pragma omp barrier
            if (t == 1) {
                r_free = omp_test_nest_lock(&nl);
                if (r_free)
                    omp_unset_nest_lock(&nl);
            }
        }
        CHECK(r_held == 0, "omp_test_nest_lock succeeded on a nest lock owned by another thread");
        CHECK(r_free == 1, "omp_test_nest_lock on a released nest lock returned %d", r_free);
        printf("nest lock exclusion: held by other -> %d, released -> %d\n", r_held, r_free);
    }

    /* nest lock under contention with recursion depth varying */
    counter = 0;
#pragma omp parallel
    {
        int t = omp_get_thread_num();
        for (int i = 0; i < ITERS / 4; i++) {
            int depth = 1 + (i + t) % 3;
            for (int d = 0; d < depth; d++)
                omp_set_nest_lock(&nl);
            bump(depth);
            for (int d = 0; d < depth; d++)
                omp_unset_nest_lock(&nl);
        }
    }
    {
        long want = 0;
        for (int t = 0; t < n; t++)
            for (int i = 0; i < ITERS / 4; i++)
                want += 1 + (i + t) % 3;
        CHECK(overlaps == 0, "nest lock: %d overlaps", overlaps);
        CHECK(counter == want, "nest lock counter %ld, expected %ld", counter, want);
        printf("nest lock contention counter=%ld\n", counter);
    }
    omp_destroy_nest_lock(&nl);

    /* many locks at once (lock state lives in the 4-byte omp_lock_t) */
    {
        enum { NL = 64 };
        static omp_lock_t many[NL];
        static long vals[NL];
        for (int i = 0; i < NL; i++)
            omp_init_lock(&many[i]);
#pragma omp parallel
        {
            for (int i = 0; i < 4000; i++) {
                int k = (i * 7 + omp_get_thread_num()) % NL;
                omp_set_lock(&many[k]);
                vals[k] += 1;
                omp_unset_lock(&many[k]);
            }
        }
        long tot = 0;
        for (int i = 0; i < NL; i++) {
            tot += vals[i];
            omp_destroy_lock(&many[i]);
        }
        CHECK(tot == 4000L * n, "64 locks: total %ld", tot);
        printf("64 independent locks: total=%ld\n", tot);
    }
    return 0;
}
