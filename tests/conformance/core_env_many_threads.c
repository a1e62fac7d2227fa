/* core_env_many_threads.c - a huge OMP_NUM_THREADS costs nothing until used.
 *
 * OMP_NUM_THREADS=1000 sets nthreads-var to 1000, but a program that only
 * opens small teams must stay small: after regions of 2 threads the process
 * has a handful of threads and a few MB of resident memory (hsomp once
 * booted the GHC RTS with one Capability per requested thread: a thousand
 * Capabilities, hundreds of OS threads, ~90 MB).
 */
// ENV: OMP_NUM_THREADS=1000
// TIMEOUT: 30
#include "check.h"
#include <dirent.h>

static int count_threads(void)
{
    int n = 0;
    DIR *d = opendir("/proc/self/task");
    struct dirent *e;
    CHECK(d != NULL, "cannot open /proc/self/task");
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] != '.')
            n++;
    closedir(d);
    return n;
}

/* Resident set size in KiB (VmRSS of /proc/self/status). */
static long rss_kib(void)
{
    char line[256];
    long kib = -1;
    FILE *f = fopen("/proc/self/status", "r");
    CHECK(f != NULL, "cannot open /proc/self/status");
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "VmRSS: %ld kB", &kib) == 1)
            break;
    fclose(f);
    return kib;
}

int main(void)
{
    check_runtime();
    printf("max threads: %d\n", omp_get_max_threads());

    long total = 0;
    for (int r = 0; r < 10; r++) {
        long s = 0;
#pragma omp parallel num_threads(2) reduction(+ : s)
        s += omp_get_thread_num() + 1;
        CHECK(s == 3, "region %d of 2 threads: %ld", r, s);
        total += s;
    }
    printf("10 regions of 2 threads: total=%ld\n", total);

    int threads = count_threads();
    long rss = rss_kib();
    fprintf(stderr, "threads: %d, VmRSS: %ld KiB\n", threads, rss);
    CHECK(threads <= 16, "%d OS threads after regions of 2", threads);
    CHECK(rss > 0 && rss < 40 * 1024, "VmRSS %ld KiB after regions of 2", rss);
    printf("threads and memory stay small\n");
    return 0;
}
