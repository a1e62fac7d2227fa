/* mixed_abi.c - both ABIs in one process: this file is built by the
 * suite's compiler (clang: __kmpc_*, gcc: GOMP_*) and linked with
 * mixed_abi_part.inc built by gcc (GOMP_*). In a clang build that is
 * LLVM's ABI around GCC's and back: a clang region whose threads each call
 * a gcc-built nested region, whose threads run a clang-built worksharing
 * loop and an inner (inactive) clang region; and a gcc-built orphaned loop
 * in a clang team. One runtime serves both: levels, team sizes, ancestors
 * and worksharing must agree across the boundary, and the process must
 * never run more threads than the regions ask for (one pool, no second
 * runtime). The oracle of a clang build is libomp, which implements the
 * GOMP_* entry points as well.
 */
// LINK-WITH-GCC: mixed_abi_part.inc
// ENV: OMP_DYNAMIC=false OMP_MAX_ACTIVE_LEVELS=2 OMP_WAIT_POLICY=passive
#include "check.h"
#include <sys/syscall.h>
#include <unistd.h>

struct inner_seen {
    int level, active, size, ancestor, team_size_1;
    long sum;
};
void gcc_part_region(struct inner_seen *out, long (*body)(void));
long gcc_part_loop(int n, int *hits);

#define N 90
static int hits[2][N];
static int live, max_live;
static int tids[64], ntids;

static void note_thread(void)
{
    int me = (int)syscall(SYS_gettid);
#pragma omp critical(mixed_tids)
    {
        int known = 0;
        for (int i = 0; i < ntids; i++)
            known |= tids[i] == me;
        if (!known && ntids < 64)
            tids[ntids++] = me;
    }
}

static int inner_level[2][3], inner_size[2][3];

/* Run by every thread of a gcc-built team: a worksharing loop of this
 * file's compiler over the team, then an inner region (beyond
 * max-active-levels: a team of one at level 3). Returns the number of
 * iterations this thread ran. */
static long body(void)
{
    int outer = omp_get_ancestor_thread_num(1), me = omp_get_thread_num();
    long mine = 0;
    int now = __atomic_add_fetch(&live, 1, __ATOMIC_SEQ_CST);
    int seen = __atomic_load_n(&max_live, __ATOMIC_SEQ_CST);
    while (now > seen && !__atomic_compare_exchange_n(&max_live, &seen, now, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
        ;
    note_thread();
#pragma omp for schedule(static, 4)
    for (int i = 0; i < N; i++) {
        __atomic_fetch_add(&hits[outer][i], 1, __ATOMIC_RELAXED);
        mine++;
    }
#pragma omp parallel num_threads(2)
    {
        inner_level[outer][me] = omp_get_level();
        inner_size[outer][me] = omp_get_num_threads();
    }
    usleep(2000);
    __atomic_sub_fetch(&live, 1, __ATOMIC_SEQ_CST);
    return mine;
}

int main(void)
{
    struct inner_seen seen[2];
    int outer_size = 0;

    check_runtime();
    note_thread();
#pragma omp parallel num_threads(2)
    {
        note_thread();
        if (omp_get_thread_num() == 0)
            outer_size = omp_get_num_threads();
        gcc_part_region(&seen[omp_get_thread_num()], body);
    }
    printf("outer team: %d threads\n", outer_size);
    for (int t = 0; t < 2; t++) {
        int once = 1;
        for (int i = 0; i < N; i++)
            once &= hits[t][i] == 1;
        printf("outer %d: gcc region level %d active %d size %d ancestor %d outer size %d sum %ld loop once %d\n", t,
               seen[t].level, seen[t].active, seen[t].size, seen[t].ancestor, seen[t].team_size_1, seen[t].sum, once);
        for (int k = 0; k < 3; k++)
            printf("  inner %d.%d: level %d size %d\n", t, k, inner_level[t][k], inner_size[t][k]);
    }
    CHECK(max_live <= 6, "%d threads ran the innermost body at once", max_live);
    CHECK(ntids <= 6, "%d distinct threads", ntids);
    printf("at most 6 threads at once, at most 6 distinct (the initial thread, 1 outer and 2x2 inner workers): ok\n");

    /* A gcc-built orphaned loop in a team of this file's compiler. */
    long total = 0;
    memset(hits, 0, sizeof hits);
#pragma omp parallel num_threads(3) reduction(+ : total)
    total += gcc_part_loop(N, hits[0]);
    int once = 1;
    for (int i = 0; i < N; i++)
        once &= hits[0][i] == 1;
    printf("gcc loop in a team of 3: %ld iterations, every one once %d\n", total, once);
    return 0;
}
