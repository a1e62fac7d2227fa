/* core_lock_hint.c - omp_init_lock_with_hint / omp_init_nest_lock_with_hint.
 *
 * The machine's libgomp declares these in omp.h but does not export them,
 * so this program references them weakly: under the libgomp oracle they
 * resolve to NULL and the program falls back to omp_init_lock /
 * omp_init_nest_lock; under hsomp they must exist (hsomp exports them) and
 * be used.  A hint never changes semantics, so the results are the same.
 */
// ENV: OMP_NUM_THREADS=4
#include "check.h"

#if defined(CONFORMANCE_STATIC) && CONFORMANCE_STATIC
/* static link against libhsomp.a: plain references, like a user program */
#else
extern void omp_init_lock_with_hint(omp_lock_t *, omp_sync_hint_t) __attribute__((weak));
extern void omp_init_nest_lock_with_hint(omp_nest_lock_t *, omp_sync_hint_t)
    __attribute__((weak));
#endif

typedef void (*init_hint_fn)(omp_lock_t *, omp_sync_hint_t);
typedef void (*init_nest_hint_fn)(omp_nest_lock_t *, omp_sync_hint_t);
static init_hint_fn init_hint;
static init_nest_hint_fn init_nest_hint;

static void init_lock(omp_lock_t *l, omp_sync_hint_t h)
{
    if (init_hint)
        init_hint(l, h);
    else
        omp_init_lock(l);
}

static void init_nest_lock(omp_nest_lock_t *l, omp_sync_hint_t h)
{
    if (init_nest_hint)
        init_nest_hint(l, h);
    else
        omp_init_nest_lock(l);
}

#define ITERS 10000

int main(void)
{
    static const struct {
        const char *name;
        omp_sync_hint_t hint;
    } hints[] = {
        {"none", omp_sync_hint_none},
        {"uncontended", omp_sync_hint_uncontended},
        {"contended", omp_sync_hint_contended},
        {"nonspeculative", omp_sync_hint_nonspeculative},
        {"speculative", omp_sync_hint_speculative},
        {"contended|speculative", omp_sync_hint_contended | omp_sync_hint_speculative},
        {"uncontended|nonspeculative",
         omp_sync_hint_uncontended | omp_sync_hint_nonspeculative},
        {"omp_lock_hint_contended", omp_lock_hint_contended},
    };
    const char *expected;

    check_runtime();
    omp_set_dynamic(0);
    init_hint = (init_hint_fn)conf_lookup((void *)omp_init_lock_with_hint,
                                          "omp_init_lock_with_hint");
    init_nest_hint = (init_nest_hint_fn)conf_lookup((void *)omp_init_nest_lock_with_hint,
                                                    "omp_init_nest_lock_with_hint");
    expected = getenv("HSOMP_EXPECTED");
    if (expected && strcmp(expected, "1") == 0) {
        CHECK(init_hint != NULL, "hsomp run but omp_init_lock_with_hint is not exported");
        CHECK(init_nest_hint != NULL,
              "hsomp run but omp_init_nest_lock_with_hint is not exported");
    }
    fprintf(stderr, "hinted initializers: %s / %s\n", init_hint ? "present" : "absent",
            init_nest_hint ? "present" : "absent");

    for (unsigned h = 0; h < sizeof hints / sizeof hints[0]; h++) {
        omp_lock_t lk;
        omp_nest_lock_t nl;
        long plain = 0, nested = 0;
        int n = 0, c2 = -1;

        init_lock(&lk, hints[h].hint);
        init_nest_lock(&nl, hints[h].hint);
#pragma omp parallel
        {
#pragma omp single
            n = omp_get_num_threads();
            for (int i = 0; i < ITERS; i++) {
                omp_set_lock(&lk);
                long v = plain;
                plain = v + 1;
                omp_unset_lock(&lk);

                omp_set_nest_lock(&nl);
                int c = omp_test_nest_lock(&nl);
                if (c != 2) {
#pragma omp atomic write
                    c2 = c;
                }
                nested += 2;
                omp_unset_nest_lock(&nl);
                omp_unset_nest_lock(&nl);
            }
        }
        CHECK(c2 == -1, "hint %s: nested test returned %d, expected 2", hints[h].name, c2);
        CHECK(plain == (long)n * ITERS, "hint %s: lock counter %ld", hints[h].name, plain);
        CHECK(nested == 2L * n * ITERS, "hint %s: nest lock counter %ld", hints[h].name, nested);
        CHECK(omp_test_lock(&lk), "hint %s: lock not free at the end", hints[h].name);
        omp_unset_lock(&lk);
        omp_destroy_lock(&lk);
        omp_destroy_nest_lock(&nl);
        printf("hint %s: lock=%ld nest=%ld\n", hints[h].name, plain, nested);
    }
    return 0;
}
