/* ws_cancel_reuse.c - constructs after a cancelled loop run in full.
 *
 * Under LLVM's ABI a dynamic loop has no "loop end" call: a thread that
 * leaves it through `cancel for` or a cancellation point jumps to the
 * barrier, and a static loop has no work share at all. Each of 40 rounds
 * cancels a dynamic loop (more rounds than the runtime keeps work shares)
 * and a static one, then runs a static and a dynamic loop with
 * cancellation points that must see no cancellation. The region also has a
 * `cancel parallel` that is never taken, which makes clang end every
 * construct with its cancellable barrier.
 */
// ENV: OMP_CANCELLATION=true OMP_NUM_THREADS=4
// CLANG: oracle-gcc libomp 14 hangs in it (a cancelled dynamic loop keeps its dispatch buffer)
// RUN: nt4
// RUN: nt2 OMP_NUM_THREADS=2
#include "check.h"

enum { N = 2000, ROUNDS = 40 };

int main(void)
{
    check_runtime();
    omp_set_dynamic(0);
    CHECK(omp_get_cancellation(), "OMP_CANCELLATION=true not seen");
    volatile int never = 0;
    long static_done = 0, dynamic_done = 0;
#pragma omp parallel reduction(+ : static_done, dynamic_done)
    {
        if (never) {
#pragma omp cancel parallel
        }
        for (int round = 0; round < ROUNDS; round++) {
#pragma omp for schedule(dynamic, 4)
            for (int i = 0; i < N; i++) {
                if (i == 8) {
#pragma omp cancel for
                }
#pragma omp cancellation point for
            }
#pragma omp for schedule(static)
            for (int i = 0; i < N; i++) {
                if (i == 8) {
#pragma omp cancel for
                }
#pragma omp cancellation point for
            }
#pragma omp for schedule(static)
            for (int i = 0; i < N; i++) {
#pragma omp cancellation point for
                static_done++;
            }
#pragma omp for schedule(dynamic, 16)
            for (int i = 0; i < N; i++) {
#pragma omp cancellation point for
                dynamic_done++;
            }
        }
    }
    printf("static iterations: %ld of %d\n", static_done, N * ROUNDS);
    printf("dynamic iterations: %ld of %d\n", dynamic_done, N * ROUNDS);
    CHECK(static_done == (long)N * ROUNDS, "a static loop after a cancelled one lost iterations");
    CHECK(dynamic_done == (long)N * ROUNDS, "a dynamic loop after a cancelled one lost iterations");
    return 0;
}
