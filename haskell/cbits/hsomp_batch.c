/* The C loops behind Control.Parallel.OpenMP.Prim.batchedCalls: called from
 * Cmm between suspendThread and resumeThread (no Capability held). */
#include <stdint.h>

void hsomp_batch_run_ptrs(void (*fn)(void *), void **args, intptr_t n)
{
    for (intptr_t i = 0; i < n; i++) fn(args[i]);
}

void hsomp_batch_run_ix(void (*fn)(void *, intptr_t), void *ctx, intptr_t n)
{
    for (intptr_t i = 0; i < n; i++) fn(ctx, i);
}
