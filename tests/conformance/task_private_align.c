/* task_private_align.c - over-aligned firstprivate data of tasks.
 *
 * A task's firstprivate copy of a 64-byte aligned type must be 64-byte
 * aligned, small and large (the runtime keeps small argument blocks inside
 * its task descriptor and large ones on the heap); the compiler may use
 * aligned vector stores on it.
 */
// ENV: OMP_NUM_THREADS=2
// RUN: nt2
// RUN: nt1 OMP_NUM_THREADS=1
#include "check.h"
#include <stdint.h>

typedef struct { double v[8]; } __attribute__((aligned(64))) line;
typedef struct { double v[64]; } __attribute__((aligned(64))) block;

int main(void)
{
    check_runtime();
    int misaligned = 0;
    double sum = 0;
#pragma omp parallel
#pragma omp single
    for (int k = 0; k < 100; k++) {
        line a;
        block b;
        for (int i = 0; i < 8; i++) a.v[i] = k + i;
        for (int i = 0; i < 64; i++) b.v[i] = k * i;
#pragma omp task firstprivate(a) shared(misaligned, sum)
        {
            double s = 0;
            for (int i = 0; i < 8; i++) s += a.v[i];
#pragma omp atomic
            misaligned += ((uintptr_t)&a % 64) != 0;
#pragma omp atomic
            sum += s;
        }
#pragma omp task firstprivate(a, b) shared(misaligned, sum)
        {
            double s = 0;
            for (int i = 0; i < 64; i++) s += b.v[i];
#pragma omp atomic
            misaligned += ((uintptr_t)&a % 64) != 0 || ((uintptr_t)&b % 64) != 0;
#pragma omp atomic
            sum += s + a.v[0];
        }
    }
    printf("sum %.1f\n", sum);
    CHECK(misaligned == 0, "%d tasks saw a misaligned private copy", misaligned);
    return 0;
}
