/* alloc_realloc_pool.c - omp_realloc within a pool: the block being
 * resized does not count against its own successor (a 3071-byte block of a
 * 4096-byte pool grows to 3072 bytes, issue 11 item 5), a resize that does
 * not fit returns NULL and leaves the old block intact and charged, and
 * the contents survive every move.
 */
// CLANG: oracle-gcc libomp's omp_realloc fails to grow a block to the pool's exact limit (3071 -> 3072 bytes)
#include "check.h"

int main(void)
{
    check_runtime();
    omp_alloctrait_t traits[] = {{omp_atk_pool_size, 4096}, {omp_atk_fallback, omp_atv_null_fb}};
    omp_allocator_handle_t a = omp_init_allocator(omp_default_mem_space, 2, traits);
    CHECK(a != omp_null_allocator, "init_allocator failed");

    unsigned char *p = omp_alloc(3071, a);
    CHECK(p != NULL, "alloc 3071");
    for (int i = 0; i < 3071; i++)
        p[i] = (unsigned char)(i * 7);
    unsigned char *q = omp_realloc(p, 3072, a, a);
    printf("grow 3071 -> 3072 in a 4096-byte pool: %s\n", q ? "ok" : "NULL");
    CHECK(q != NULL, "realloc 3071 -> 3072");
    for (int i = 0; i < 3071; i++)
        CHECK(q[i] == (unsigned char)(i * 7), "byte %d lost", i);

    unsigned char *r = omp_realloc(q, 5000, a, a);
    printf("grow past the pool: %s\n", r ? "a block" : "NULL");
    CHECK(r == NULL, "a 5000-byte block from a 4096-byte pool");
    CHECK(q[100] == (unsigned char)(100 * 7), "the old block survives a failed realloc");
    void *other = omp_alloc(2048, a);
    printf("the old block is still charged: %s\n", other ? "no" : "yes");
    CHECK(other == NULL, "2048 more bytes fit beside a live 3072-byte block");

    unsigned char *s = omp_realloc(q, 100, a, a);
    CHECK(s != NULL, "shrink");
    for (int i = 0; i < 100; i++)
        CHECK(s[i] == (unsigned char)(i * 7), "byte %d lost on shrink", i);
    void *t = omp_alloc(3000, a);
    printf("after shrinking, 3000 more bytes fit: %s\n", t ? "yes" : "no");
    CHECK(t != NULL, "the shrunk block released its charge");
    omp_free(t, a);
    omp_free(s, a);
    omp_destroy_allocator(a);
    return 0;
}
