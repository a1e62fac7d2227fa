/* target_fallback.c - target constructs and the device routines with no
 * offload device: the host is device 0 of 0, target regions run on the
 * encountering thread as a new initial task (level 0, one thread, the
 * environment's ICVs, thread_limit from the clause), map clauses share host
 * memory, and the omp_target_* routines accept only the initial device.
 */
// ENV: OMP_NUM_THREADS=2
// RUN: default
// RUN: limits OMP_THREAD_LIMIT=7 OMP_DEFAULT_DEVICE=0
// CLANG: skip a clang program's target regions and omp_target_* routines belong to LLVM's libomptarget (its host fallback runs the region inside the encountering task), not to the OpenMP runtime hsomp replaces
#include "check.h"

int main(void)
{
    int x[6] = {1, 2, 3, 4, 5, 6}, y[6] = {0};
    int lvl = -5, inpar = -5, nt = -5, tl = -5, mt = -5, nteams = -5, sum = 0;

    check_runtime();
    printf("devices=%d initial=%d device_num=%d is_initial=%d\n", omp_get_num_devices(),
           omp_get_initial_device(), omp_get_device_num(), omp_is_initial_device());

    void *p0 = omp_target_alloc(64, 0), *p1 = omp_target_alloc(64, 1), *pm = omp_target_alloc(64, -1);
    printf("target_alloc dev0=%d dev1=%d dev-1=%d\n", p0 != NULL, p1 != NULL, pm != NULL);
    omp_target_free(p0, 0);
    printf("memcpy host=%d dev1=%d\n", omp_target_memcpy(y, x, 3 * sizeof(int), sizeof(int), 0, 0, 0),
           omp_target_memcpy(y, x, sizeof x, 0, 0, 1, 0) != 0);
    printf("y=%d %d %d %d\n", y[0], y[1], y[2], y[3]);

    /* A 2x2 block from the middle of a 3x4 array into the corner of a 2x3 one. */
    int a[3][4], b[2][3] = {{0}};
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 4; j++)
            a[i][j] = 10 * i + j;
    size_t vol[2] = {2, 2}, doff[2] = {0, 1}, soff[2] = {1, 2}, ddim[2] = {2, 3}, sdim[2] = {3, 4};
    printf("rect dims=%d ret=%d\n", omp_target_memcpy_rect(NULL, NULL, 0, 0, NULL, NULL, NULL, NULL, NULL, 0, 0) > 2,
           omp_target_memcpy_rect(b, a, sizeof(int), 2, vol, doff, soff, ddim, sdim, 0, 0));
    printf("b=%d %d %d / %d %d %d\n", b[0][0], b[0][1], b[0][2], b[1][0], b[1][1], b[1][2]);
    printf("present host=%d dev1=%d null=%d associate=%d\n", omp_target_is_present(x, 0),
           omp_target_is_present(x, 1), omp_target_is_present(NULL, 3),
           omp_target_associate_ptr(x, y, 4, 0, 0) != 0);

    omp_set_num_threads(3);
#pragma omp parallel num_threads(2)
#pragma omp single
    {
#if defined(__clang__) /* clang 14 has no thread_limit on target: one team of a league says the same */
#pragma omp target teams num_teams(1) map(from : lvl, inpar, nt, tl, mt, nteams) thread_limit(5)
#else
#pragma omp target map(from : lvl, inpar, nt, tl, mt, nteams) thread_limit(5)
#endif
        {
            lvl = omp_get_level();
            inpar = omp_in_parallel();
            nt = omp_get_num_threads();
            tl = omp_get_thread_limit();
            mt = omp_get_max_threads();
            nteams = omp_get_num_teams();
        }
    }
    printf("in target: level=%d in_parallel=%d threads=%d thread_limit=%d max_threads=%d teams=%d\n",
           lvl, inpar, nt, tl, mt, nteams);

#pragma omp target data map(tofrom : x)
    {
#pragma omp target map(tofrom : x) map(tofrom : sum)
#pragma omp parallel for reduction(+ : sum) num_threads(2)
        for (int i = 0; i < 6; i++) {
            x[i] *= 2;
            sum += x[i];
        }
#pragma omp target update from(x)
    }
#pragma omp target enter data map(to : y)
#pragma omp target exit data map(from : y)
    printf("sum=%d x5=%d after=%d level=%d\n", sum, x[5], omp_get_max_threads(), omp_get_level());
    return 0;
}
