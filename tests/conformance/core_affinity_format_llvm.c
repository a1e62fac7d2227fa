/* core_affinity_format_llvm.c - affinity formats that LLVM's libomp
 * accepts and libgomp rejects (issue 11 item 9): a leading zero without a
 * dot (left-justified, no zeros), a width written with a leading zero
 * (zero-padded), a width of 0, unknown fields and short names in braces
 * ("undefined"), an unterminated brace. hsomp must give libomp's result.
 *
 * The oracle is libgomp, which ends the program on each of these formats.
 * So the expected results are in the table below, and every runtime prints
 * the same lines: libomp and hsomp must produce the table's result; on
 * libgomp (neither hsomp nor libomp in the process) each format is tried
 * in a forked child, which must die of it, before the parent opens any
 * region. Check the table against libomp with
 * MODES="gomp libomp" tests/run-conformance.sh core_affinity_format_llvm.
 */
#include "check.h"
#include <sys/wait.h>
#include <unistd.h>

struct fmtcase {
    const char *fmt;
    int in_region; /* captured by thread 0 of a team of 2 */
    const char *want;
};

static const struct fmtcase cases[] = {
    {"%05n|", 0, "0    |"},
    {"%0L|%05a|", 0, "0|-1   |"},
    {"%.05n|%.03a|", 0, "00000|-01|"},
    {"%.0n|%0.0N|", 0, "0|1|"},
    {"%{foo}|%z|", 0, "undefined|undefined|"},
    {"%{t}|%{L}|%12{bogus}|", 0, "undefined|undefined|undefined|"},
    {"%-5n|%5.n|%5%|", 0, "undefined5n|undefinedn|undefined|"},
    {"x%{thread_num", 0, "xundefined"},
    {"%05N|%.02L|%.03n|%{N}", 1, "2    |01|000|undefined"},
};
#define NCASES (sizeof cases / sizeof cases[0])

static void capture(const struct fmtcase *c, char *buf, size_t n)
{
    size_t len = 0;
    if (c->in_region) {
#pragma omp parallel num_threads(2)
        if (omp_get_thread_num() == 0)
            len = omp_capture_affinity(buf, n, c->fmt);
    } else {
        len = omp_capture_affinity(buf, n, c->fmt);
    }
    CHECK(len == strlen(buf), "%s: returned %zu for \"%s\"", c->fmt, len, buf);
}

/* libgomp: true when capturing `c` ends a child process with an error. */
static int rejected_in_child(const struct fmtcase *c)
{
    fflush(stdout);
    pid_t pid = fork();
    CHECK(pid >= 0, "fork");
    if (pid == 0) {
        char buf[128];
        capture(c, buf, sizeof buf);
        _exit(0);
    }
    int st;
    CHECK(waitpid(pid, &st, 0) == pid, "waitpid");
    return !(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

int main(void)
{
    check_runtime();
    int hsomp = conf_lookup((void *)hsomp_runtime_version, "hsomp_runtime_version") != NULL;
    int libomp = dlsym(RTLD_DEFAULT, "__kmpc_fork_call") != NULL;
    int libgomp = !hsomp && !libomp;
    fprintf(stderr, "runtime: %s\n", hsomp ? "hsomp" : libomp ? "libomp" : "libgomp");
    for (size_t i = 0; i < NCASES; i++) {
        const struct fmtcase *c = &cases[i];
        if (libgomp) {
            CHECK(rejected_in_child(c), "libgomp accepted \"%s\"", c->fmt);
        } else {
            char buf[128];
            capture(c, buf, sizeof buf);
            CHECK(strcmp(buf, c->want) == 0, "\"%s\" gives \"%s\", libomp gives \"%s\"", c->fmt, buf, c->want);
        }
        printf("[%s]%s -> [%s]\n", c->fmt, c->in_region ? " in a team of 2" : "", c->want);
    }
    return 0;
}
