/* Kernels of hsomp-share: the same C built once on hsomp and once on
 * libgomp, called from the same Haskell program. */
#include <omp.h>
#include <stdint.h>

/* One call into Haskell per block, blocks split statically over the team
 * (a C solver that hands each block to a Haskell function). */
void hsomp_share_blocks(int64_t nblocks, void (*fn)(int64_t))
{
#pragma omp parallel for schedule(static)
    for (int64_t b = 0; b < nblocks; b++) fn(b);
}

/* parallelFor's shape: one call into Haskell per dynamic chunk [lo, hi). */
void hsomp_share_chunks(int64_t n, int64_t chunk, void (*fn)(int64_t, int64_t))
{
    int64_t nchunks = (n + chunk - 1) / chunk;
#pragma omp parallel for schedule(dynamic)
    for (int64_t c = 0; c < nchunks; c++) {
        int64_t lo = c * chunk, hi = lo + chunk < n ? lo + chunk : n;
        fn(lo, hi);
    }
}
