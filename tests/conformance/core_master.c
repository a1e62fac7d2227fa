/* core_master.c - master and masked (filter) constructs.
 *
 * master: only thread 0 executes the block, no barrier implied.
 * masked: default filter is thread 0; filter(1) selects thread 1 and
 * nobody in a team of one; filter(expr) may differ per region.
 */
// ENV: OMP_NUM_THREADS=4
#include "check.h"

#define REPS 500

int main(void)
{
    int n = 0;
    int master_cnt = 0, master_wrong = 0;
    int masked0_cnt = 0, masked1_cnt = 0, masked_wrong = 0;
    int maskedv_cnt[4] = {0, 0, 0, 0};

    check_runtime();
    omp_set_dynamic(0);

#pragma omp parallel
    {
#pragma omp single
        n = omp_get_num_threads();
        for (int r = 0; r < REPS; r++) {
#pragma omp master
            {
                master_cnt++;
                if (omp_get_thread_num() != 0)
                    master_wrong++;
            }
#pragma omp masked
            {
#pragma omp atomic
                masked0_cnt++;
                if (omp_get_thread_num() != 0) {
#pragma omp atomic
                    masked_wrong++;
                }
            }
#pragma omp masked filter(1)
            {
#pragma omp atomic
                masked1_cnt++;
                if (omp_get_thread_num() != 1) {
#pragma omp atomic
                    masked_wrong++;
                }
            }
            int f = r % 4;
#pragma omp masked filter(f)
            {
#pragma omp atomic
                maskedv_cnt[f]++;
                if (omp_get_thread_num() != f) {
#pragma omp atomic
                    masked_wrong++;
                }
            }
        }
    }
    CHECK(n == 4, "team size %d", n);
    CHECK(master_cnt == REPS && master_wrong == 0, "master: %d executions, %d by non-master",
          master_cnt, master_wrong);
    CHECK(masked0_cnt == REPS, "masked: %d executions", masked0_cnt);
    CHECK(masked1_cnt == REPS, "masked filter(1): %d executions", masked1_cnt);
    CHECK(masked_wrong == 0, "masked: %d executions by the wrong thread", masked_wrong);
    for (int f = 0; f < 4; f++)
        CHECK(maskedv_cnt[f] == REPS / 4, "masked filter(%d): %d executions", f, maskedv_cnt[f]);
    printf("master: %d, masked: %d, masked filter(1): %d, masked filter(r%%4): %d/%d/%d/%d\n",
           master_cnt, masked0_cnt, masked1_cnt, maskedv_cnt[0], maskedv_cnt[1], maskedv_cnt[2],
           maskedv_cnt[3]);

    /* no barrier at the end of master: thread 0 can be held inside master
     * until every other thread has got past the construct */
    {
        int passed = 0, ok = 0;
#pragma omp parallel num_threads(3)
        {
#pragma omp master
            {
                int p = 0;
                while (p < 2) {
#pragma omp atomic read
                    p = passed;
                }
                ok = 1;
            }
            if (omp_get_thread_num() != 0) {
#pragma omp atomic
                passed++;
            }
        }
        CHECK(ok && passed == 2, "master without barrier: ok=%d passed=%d", ok, passed);
        printf("master implies no barrier: ok\n");
    }

    /* team of one: filter(1) selects nobody, master/masked run */
    {
        int m = 0, f1 = 0;
#pragma omp parallel num_threads(1)
        {
#pragma omp masked
            m++;
#pragma omp masked filter(1)
            f1++;
        }
        CHECK(m == 1 && f1 == 0, "team of 1: masked %d, masked filter(1) %d", m, f1);
        printf("team of 1: masked=%d masked filter(1)=%d\n", m, f1);
    }
    return 0;
}
