/* core_affinity_format.c - omp_capture_affinity field formatting, as
 * libgomp formats it: left-justified, right-justified (`.`) and
 * zero-padded (`0.`) fields of every width, a negative number zero-padded
 * with its sign first (`%0.7{ancestor_tnum}` outside a region is
 * "-000001", issue 11 item 4), short and long field names, `%%`, and the
 * full length returned when the buffer is too small; host and affinity
 * pad with spaces under `0.`, a thread id with zeros after its 0x.
 */
// CLANG: oracle-gcc libomp formats %0.24i (thread identifier) as a decimal number, not the pthread_t in hex as libgomp and hsomp
#include "check.h"

static void show(const char *fmt)
{
    char buf[256];
    size_t n = omp_capture_affinity(buf, sizeof buf, fmt);
    CHECK(n == strlen(buf), "%s: returned %zu for \"%s\"", fmt, n, buf);
    printf("[%s] -> [%s]\n", fmt, buf);
}

int main(void)
{
    check_runtime();
    show("%0.7{ancestor_tnum}");
    show("%0.3a");
    show("%.5{ancestor_tnum}|%5a|");
    show("%0.4L %0.4{nesting_level} %.3n %3N|");
    show("100%% %{thread_num}");
    /* Text fields pad with spaces even with `0.`; a thread id's zeros go
     * after its 0x (its value differs between runs: only the shape is shown). */
    show("%0.12A|%.12{thread_affinity}|%12A|");
    show("%0.40H|");
    {
        char id[64];
        size_t n = omp_capture_affinity(id, sizeof id, "%0.24i");
        CHECK(n == 24 && strncmp(id, "0x00", 4) == 0, "%%0.24i gave \"%s\"", id);
        printf("%%0.24i: %zu characters, 0x then zeros\n", n);
    }
#pragma omp parallel num_threads(2)
    {
#pragma omp single
        {
            char buf[64];
            size_t n = omp_capture_affinity(buf, sizeof buf, "%0.6{ancestor_tnum}/%0.3L");
            printf("in a region: [%s] %zu\n", buf, n);
        }
    }
    char small[4];
    size_t n = omp_capture_affinity(small, sizeof small, "%0.7{ancestor_tnum}");
    CHECK(n == 7 && strcmp(small, "-00") == 0, "truncated: %zu \"%s\"", n, small);
    printf("truncated: [%s] of %zu\n", small, n);
    return 0;
}
