/* ws_cancel_points.c - cancellation seen by the other threads.
 *
 * `cancel for` in a static loop and `cancel sections` (no shared chunk
 * dispatch under LLVM's ABI), checked by threads that reach a cancellation
 * point only after the cancel happened; a second loop after a cancelled
 * one runs in full; `cancel taskgroup` discards the tasks created after
 * it; `cancel parallel` skips the rest of the region in every thread.
 */
// ENV: OMP_CANCELLATION=true OMP_NUM_THREADS=4
// RUN: nt4
// RUN: nt2 OMP_NUM_THREADS=2
#include "check.h"

enum { N = 4000 };
static int ran[N];

static void spin_ms(int ms)
{
    double t = omp_get_wtime() + ms * 1e-3;
    while (omp_get_wtime() < t)
        ;
}

int main(void)
{
    check_runtime();
    omp_set_dynamic(0);
    CHECK(omp_get_cancellation(), "OMP_CANCELLATION=true not seen");

    /* 1. cancel for (static chunks): every other thread waits until the
     *    cancel was requested, then meets a cancellation point. */
    {
        volatile int requested = 0;
        int late = 0, after = 0;
#pragma omp parallel shared(requested) reduction(+ : late)
        {
#pragma omp for schedule(static, 10)
            for (int i = 0; i < N; i++) {
                if (i == 5) {
                    requested = 1;
#pragma omp cancel for
                }
                if (i % 10 == 0 && i != 0) {
                    while (!requested)
                        ;
                    spin_ms(20);
                }
#pragma omp cancellation point for
                if (i >= 10)
                    late++;
                ran[i] = 1;
            }
#pragma omp for
            for (int i = 0; i < N; i++)
                ran[i] += 2;
        }
        for (int i = 0; i < N; i++)
            after += ran[i] >= 2;
        CHECK(ran[5] == 2 && ran[4] == 3, "cancelling thread: ran[4]=%d ran[5]=%d", ran[4], ran[5]);
        CHECK(late == 0, "%d iterations ran after the cancel", late);
        CHECK(after == N, "the next loop ran %d of %d iterations", after, N);
        printf("cancel for: no iteration after the cancel; next loop complete\n");
    }

    /* 2. cancel sections */
    {
        volatile int requested = 0;
        int done[4] = {0, 0, 0, 0};
#pragma omp parallel shared(requested, done)
        {
#pragma omp sections
            {
#pragma omp section
                {
                    requested = 1;
#pragma omp cancel sections
                    done[0] = 1;
                }
#pragma omp section
                {
                    while (!requested)
                        ;
                    spin_ms(20);
#pragma omp cancellation point sections
                    done[1] = 1;
                }
#pragma omp section
                {
                    while (!requested)
                        ;
                    spin_ms(20);
#pragma omp cancellation point sections
                    done[2] = 1;
                }
#pragma omp section
                {
                    while (!requested)
                        ;
                    spin_ms(20);
#pragma omp cancellation point sections
                    done[3] = 1;
                }
            }
        }
        CHECK(!done[0] && !done[1] && !done[2] && !done[3], "sections ran past the cancel: %d %d %d %d", done[0],
              done[1], done[2], done[3]);
        printf("cancel sections: every section stopped\n");
    }

    /* 3. cancel taskgroup: tasks created afterwards are discarded */
    {
        int before = 0, later = 0;
#pragma omp parallel
#pragma omp single
        {
#pragma omp taskgroup
            {
                for (int i = 0; i < 10; i++) {
#pragma omp task shared(before)
                    {
#pragma omp atomic
                        before++;
                    }
                }
#pragma omp taskwait
#pragma omp task
                {
#pragma omp cancel taskgroup
                }
#pragma omp taskwait
                for (int i = 0; i < 100; i++) {
#pragma omp task shared(later)
                    {
#pragma omp atomic
                        later++;
                    }
                }
            }
        }
        CHECK(before == 10 && later == 0, "taskgroup: before %d, after the cancel %d", before, later);
        printf("cancel taskgroup: %d tasks before, %d after\n", before, later);
    }

    /* 4. cancel parallel: nobody gets past the cancellable barrier */
    {
        int past = 0;
#pragma omp parallel reduction(+ : past)
        {
            if (omp_get_thread_num() == 0) {
#pragma omp cancel parallel
            }
#pragma omp barrier
            past++;
        }
        CHECK(past == 0, "%d threads past the barrier of a cancelled region", past);
        printf("cancel parallel: nobody past the barrier\n");
    }
    return 0;
}
