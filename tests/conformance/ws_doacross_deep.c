/* ws_doacross_deep.c - a doacross nest deeper than 16 loops:
 * `for collapse(2) ordered(61)` with sinks on the previous iteration of the
 * outermost, a collapsed and the innermost loop. Every iteration checks that
 * the iterations it waits for are done before it posts, under the static
 * (blocked and chunked), dynamic and guided schedules (schedule(runtime)).
 */
// ENV: OMP_NUM_THREADS=3
// RUN: default
// RUN: two OMP_NUM_THREADS=2
// CLANG: oracle-gcc libomp stops on an assertion in deep doacross nests (kmp_csupport.cpp)
#include "check.h"

/* Loop counts: i0, i1 (collapsed), i2 and i60 vary; i3..i59 run once. */
#define C0 4
#define C1 3
#define C2 2
#define CZ 3
#define TOTAL (C0 * C1 * C2 * CZ)
#define FLAT(a, b, c, z) ((((a) * C1 + (b)) * C2 + (c)) * CZ + (z))

static int done[TOTAL];

static int run(void)
{
    int bad = 0;
    for (int k = 0; k < TOTAL; k++)
        done[k] = 0;
#pragma omp parallel for collapse(2) ordered(61) schedule(runtime) reduction(+ : bad)
    for (int i0 = 0; i0 < C0; i0++)
    for (int i1 = 0; i1 < C1; i1++)
    for (int i2 = 0; i2 < C2; i2++)
    for (int i3 = 0; i3 < 1; i3++)
    for (int i4 = 0; i4 < 1; i4++)
    for (int i5 = 0; i5 < 1; i5++)
    for (int i6 = 0; i6 < 1; i6++)
    for (int i7 = 0; i7 < 1; i7++)
    for (int i8 = 0; i8 < 1; i8++)
    for (int i9 = 0; i9 < 1; i9++)
    for (int i10 = 0; i10 < 1; i10++)
    for (int i11 = 0; i11 < 1; i11++)
    for (int i12 = 0; i12 < 1; i12++)
    for (int i13 = 0; i13 < 1; i13++)
    for (int i14 = 0; i14 < 1; i14++)
    for (int i15 = 0; i15 < 1; i15++)
    for (int i16 = 0; i16 < 1; i16++)
    for (int i17 = 0; i17 < 1; i17++)
    for (int i18 = 0; i18 < 1; i18++)
    for (int i19 = 0; i19 < 1; i19++)
    for (int i20 = 0; i20 < 1; i20++)
    for (int i21 = 0; i21 < 1; i21++)
    for (int i22 = 0; i22 < 1; i22++)
    for (int i23 = 0; i23 < 1; i23++)
    for (int i24 = 0; i24 < 1; i24++)
    for (int i25 = 0; i25 < 1; i25++)
    for (int i26 = 0; i26 < 1; i26++)
    for (int i27 = 0; i27 < 1; i27++)
    for (int i28 = 0; i28 < 1; i28++)
    for (int i29 = 0; i29 < 1; i29++)
    for (int i30 = 0; i30 < 1; i30++)
    for (int i31 = 0; i31 < 1; i31++)
    for (int i32 = 0; i32 < 1; i32++)
    for (int i33 = 0; i33 < 1; i33++)
    for (int i34 = 0; i34 < 1; i34++)
    for (int i35 = 0; i35 < 1; i35++)
    for (int i36 = 0; i36 < 1; i36++)
    for (int i37 = 0; i37 < 1; i37++)
    for (int i38 = 0; i38 < 1; i38++)
    for (int i39 = 0; i39 < 1; i39++)
    for (int i40 = 0; i40 < 1; i40++)
    for (int i41 = 0; i41 < 1; i41++)
    for (int i42 = 0; i42 < 1; i42++)
    for (int i43 = 0; i43 < 1; i43++)
    for (int i44 = 0; i44 < 1; i44++)
    for (int i45 = 0; i45 < 1; i45++)
    for (int i46 = 0; i46 < 1; i46++)
    for (int i47 = 0; i47 < 1; i47++)
    for (int i48 = 0; i48 < 1; i48++)
    for (int i49 = 0; i49 < 1; i49++)
    for (int i50 = 0; i50 < 1; i50++)
    for (int i51 = 0; i51 < 1; i51++)
    for (int i52 = 0; i52 < 1; i52++)
    for (int i53 = 0; i53 < 1; i53++)
    for (int i54 = 0; i54 < 1; i54++)
    for (int i55 = 0; i55 < 1; i55++)
    for (int i56 = 0; i56 < 1; i56++)
    for (int i57 = 0; i57 < 1; i57++)
    for (int i58 = 0; i58 < 1; i58++)
    for (int i59 = 0; i59 < 1; i59++)
    for (int i60 = 0; i60 < CZ; i60++)
    {
#pragma omp ordered depend(sink: i0 - 1, i1, i2, i3, i4, i5, i6, i7, i8, i9, i10, i11, i12, i13, i14, \
    i15, i16, i17, i18, i19, i20, i21, i22, i23, i24, i25, i26, i27, i28, i29, i30, i31, i32, i33, \
    i34, i35, i36, i37, i38, i39, i40, i41, i42, i43, i44, i45, i46, i47, i48, i49, i50, i51, i52, \
    i53, i54, i55, i56, i57, i58, i59, i60)
#pragma omp ordered depend(sink: i0, i1 - 1, i2, i3, i4, i5, i6, i7, i8, i9, i10, i11, i12, i13, i14, \
    i15, i16, i17, i18, i19, i20, i21, i22, i23, i24, i25, i26, i27, i28, i29, i30, i31, i32, i33, \
    i34, i35, i36, i37, i38, i39, i40, i41, i42, i43, i44, i45, i46, i47, i48, i49, i50, i51, i52, \
    i53, i54, i55, i56, i57, i58, i59, i60)
#pragma omp ordered depend(sink: i0, i1, i2, i3, i4, i5, i6, i7, i8, i9, i10, i11, i12, i13, i14, \
    i15, i16, i17, i18, i19, i20, i21, i22, i23, i24, i25, i26, i27, i28, i29, i30, i31, i32, i33, \
    i34, i35, i36, i37, i38, i39, i40, i41, i42, i43, i44, i45, i46, i47, i48, i49, i50, i51, i52, \
    i53, i54, i55, i56, i57, i58, i59, i60 - 1)
        if (i0 > 0 && !__atomic_load_n(&done[FLAT(i0 - 1, i1, i2, i60)], __ATOMIC_ACQUIRE))
            bad++;
        if (i1 > 0 && !__atomic_load_n(&done[FLAT(i0, i1 - 1, i2, i60)], __ATOMIC_ACQUIRE))
            bad++;
        if (i60 > 0 && !__atomic_load_n(&done[FLAT(i0, i1, i2, i60 - 1)], __ATOMIC_ACQUIRE))
            bad++;
        bad += (i3 + i30 + i59) != 0;
        __atomic_store_n(&done[FLAT(i0, i1, i2, i60)], 1, __ATOMIC_RELEASE);
#pragma omp ordered depend(source)
    }
    for (int k = 0; k < TOTAL; k++)
        bad += done[k] != 1;
    return bad;
}

int main(void)
{
    static const struct {
        const char *name;
        omp_sched_t kind;
        int chunk;
    } scheds[] = {{"static", omp_sched_static, 0},
                   {"static,2", omp_sched_static, 2},
                   {"dynamic", omp_sched_dynamic, 1},
                   {"guided", omp_sched_guided, 1}};
    check_runtime();
    for (int s = 0; s < 4; s++) {
        omp_set_schedule(scheds[s].kind, scheds[s].chunk);
        for (int rep = 0; rep < 10; rep++) {
            int bad = run();
            CHECK(bad == 0, "%s round %d: %d iterations ran before their sinks", scheds[s].name, rep, bad);
        }
        printf("ordered(61) collapse(2) %s: %d iterations in order\n", scheds[s].name, TOTAL);
    }
    return 0;
}
