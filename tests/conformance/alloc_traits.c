/* alloc_traits.c - the omp_alloc family: trait validation by
 * omp_init_allocator, alignment (trait and omp_aligned_alloc), pool_size
 * limits with null / default_mem / allocator fallbacks, memory returning to
 * the pool on omp_free, calloc zeroing and overflow, realloc keeping data
 * and alignment, def-allocator-var (set, inherited by a region, OMP_ALLOCATOR)
 * and the allocate clause on private data (GOMP_alloc/GOMP_free).
 */
// RUN: default
// RUN: env OMP_ALLOCATOR=omp_low_lat_mem_alloc
// CLANG: oracle-gcc libomp stops on an assertion for an alignment trait that is not a power of two instead of refusing the allocator
#include "check.h"
#include <stdint.h>

static void trait(const char *name, omp_memspace_handle_t ms, omp_alloctrait_key_t k, omp_uintptr_t v)
{
    omp_alloctrait_t t[1] = {{k, v}};
    omp_allocator_handle_t a = omp_init_allocator(ms, 1, t);
    printf("%s: %s\n", name, a == omp_null_allocator ? "null" : "ok");
    omp_destroy_allocator(a);
}

int main(void)
{
    check_runtime();
    trait("alignment 3", omp_default_mem_space, omp_atk_alignment, 3);
    trait("alignment 64", omp_default_mem_space, omp_atk_alignment, 64);
    trait("pinned", omp_default_mem_space, omp_atk_pinned, omp_atv_true);
    trait("sync_hint all", omp_default_mem_space, omp_atk_sync_hint, omp_atv_all);
    trait("access pteam", omp_large_cap_mem_space, omp_atk_access, omp_atv_pteam);
    trait("fallback bad", omp_default_mem_space, omp_atk_fallback, omp_atv_all);
    trait("partition blocked", omp_low_lat_mem_space, omp_atk_partition, omp_atv_blocked);
    trait("high_bw space", omp_high_bw_mem_space, omp_atk_alignment, 8);
    printf("omp_alloc(0)=%d default=%d\n", omp_alloc(0, omp_default_mem_alloc) == NULL,
           (int)omp_get_default_allocator());

    omp_alloctrait_t pt[2] = {{omp_atk_pool_size, 1024}, {omp_atk_fallback, omp_atv_null_fb}};
    omp_allocator_handle_t pool = omp_init_allocator(omp_default_mem_space, 2, pt);
    void *a = omp_alloc(512, pool), *b = omp_alloc(512, pool), *c = omp_alloc(2000, pool);
    printf("pool/null_fb: %d %d %d\n", a != NULL, b != NULL, c != NULL);
    omp_free(a, pool);
    void *e = omp_alloc(900, pool);
    printf("after free: %d realloc beyond pool: %d\n", e != NULL, omp_realloc(e, 5000, pool, pool) != NULL);

    omp_alloctrait_t dt[1] = {{omp_atk_pool_size, 100}};
    omp_allocator_handle_t small = omp_init_allocator(omp_default_mem_space, 1, dt);
    void *f = omp_alloc(5000, small);
    printf("pool/default_mem_fb: %d\n", f != NULL);
    omp_free(f, small);
    omp_alloctrait_t at[3] = {{omp_atk_pool_size, 100}, {omp_atk_fallback, omp_atv_allocator_fb},
                              {omp_atk_fb_data, (omp_uintptr_t)pool}};
    omp_allocator_handle_t chain = omp_init_allocator(omp_default_mem_space, 3, at);
    printf("pool/allocator_fb: big=%d small=%d\n", omp_alloc(5000, chain) != NULL, omp_alloc(50, chain) != NULL);

    omp_alloctrait_t al[1] = {{omp_atk_alignment, 256}};
    omp_allocator_handle_t A = omp_init_allocator(omp_default_mem_space, 1, al);
    int aligned = 1;
    for (int i = 0; i < 50; i++) {
        char *x = omp_alloc(i * 7 + 1, A), *y = omp_aligned_alloc(1024, i + 1, A);
        memset(x, i, i * 7 + 1);
        aligned &= (uintptr_t)x % 256 == 0 && (uintptr_t)y % 1024 == 0;
        x = omp_realloc(x, i * 13 + 1, A, A);
        aligned &= (uintptr_t)x % 256 == 0 && x[0] == (char)i;
        omp_free(x, A);
        omp_free(y, A);
    }
    printf("alignment honoured: %d\n", aligned);

    int *z = omp_calloc(100, sizeof(int), omp_default_mem_alloc), zero = 1;
    for (int i = 0; i < 100; i++)
        zero &= z[i] == 0;
    z[0] = 42;
    z = omp_realloc(z, 100000 * sizeof(int), omp_null_allocator, omp_default_mem_alloc);
    int keeps = z[0] == 42;
    int freed = omp_realloc(z, 0, omp_default_mem_alloc, omp_default_mem_alloc) == NULL;
    volatile size_t half = SIZE_MAX / 2;
    printf("calloc zero=%d realloc keeps=%d realloc(0)=%d overflow=%d\n", zero, keeps, freed,
           omp_calloc(half, 4, pool) == NULL);

    omp_set_default_allocator(omp_high_bw_mem_alloc);
    int inner = 0;
#pragma omp parallel num_threads(2)
    if (omp_get_thread_num() == 1)
        inner = (int)omp_get_default_allocator();
    printf("default after set=%d in region=%d\n", (int)omp_get_default_allocator(), inner);
    omp_set_default_allocator(omp_default_mem_alloc);

    int sum = 0, buf[64];
#pragma omp parallel num_threads(2) reduction(+ : sum) private(buf) allocate(omp_low_lat_mem_alloc : buf)
    {
        for (int i = 0; i < 64; i++)
            buf[i] = i;
        for (int i = 0; i < 64; i++)
            sum += buf[i];
    }
    printf("allocate clause sum=%d\n", sum);
    omp_destroy_allocator(A);
    omp_destroy_allocator(chain);
    omp_destroy_allocator(small);
    omp_destroy_allocator(pool);
    return 0;
}
