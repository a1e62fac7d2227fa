/* check.h - shared helpers for the hsomp C conformance programs.
 *
 * Every program calls check_runtime() first.  The runner sets
 * HSOMP_EXPECTED=1 for runs that must be on hsomp and HSOMP_EXPECTED=0 for
 * the libgomp oracle run; with the variable unset nothing is checked, so a
 * program can also be run by hand under any OpenMP runtime.
 *
 * A program compiled for the static-link mode gets -DCONFORMANCE_STATIC=1:
 * there the references to hsomp-only symbols are strong, so a libhsomp.a
 * that lacks them fails at link time instead of silently falling back.
 *
 * Output convention: stdout carries only deterministic results (compared
 * with the oracle by the runner); diagnostics go to stderr.
 *
 * Also included by the C++ programs (*.cc): the runtime's entry points are
 * declared with C linkage there.
 *
 * Fortran programs (*.f90) cannot include it: the runner compiles it as C
 * with -DCONFORMANCE_FORTRAN=1 (plus -DCONFORMANCE_STATIC=1 for the static
 * mode) into an object that defines conf_check_runtime(), which check.inc
 * binds as the Fortran subroutine check_runtime.
 */
#ifndef HSOMP_CONFORMANCE_CHECK_H
#define HSOMP_CONFORMANCE_CHECK_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <dlfcn.h>
#include <errno.h>
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif
/* The entry point every parallel region goes through: GOMP_parallel for
 * GCC-compiled code, __kmpc_fork_call for clang-compiled code. */
#if defined(__clang__)
extern void __kmpc_fork_call(void *loc, int argc, void *microtask, ...);
#define CONF_FORK_ENTRY ((void *)__kmpc_fork_call)
#define CONF_FORK_NAME "__kmpc_fork_call"
#else
extern void GOMP_parallel(void (*fn)(void *), void *data, unsigned num_threads,
                          unsigned flags);
#define CONF_FORK_ENTRY ((void *)GOMP_parallel)
#define CONF_FORK_NAME "GOMP_parallel"
#endif

#if defined(CONFORMANCE_STATIC) && CONFORMANCE_STATIC
extern const char *hsomp_runtime_version(void);
#else
extern const char *hsomp_runtime_version(void) __attribute__((weak));
#endif
#ifdef __cplusplus
}
#endif

static const char *conf_prog = "test";

/* Report a failure on stderr and exit non-zero. */
static void fail(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2), unused));
static void fail(const char *fmt, ...)
{
    va_list ap;
    fflush(stdout);
    fprintf(stderr, "FAILED %s: ", conf_prog);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

/* CHECK(cond, fmt, ...): fail with a message unless cond holds. */
#define CHECK(cond, ...)                                                       \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "%s:%d: check `%s' failed: ", __FILE__, __LINE__,  \
                    #cond);                                                    \
            fail(__VA_ARGS__);                                                 \
        }                                                                      \
    } while (0)

/* Look a symbol up in the running process: the link-time (possibly weak)
 * reference first, then the dynamic symbol table (an LD_PRELOADed runtime
 * is found there even when the weak reference was bound to NULL). */
static void *conf_lookup(void *linked, const char *name) __attribute__((unused));
static void *conf_lookup(void *linked, const char *name)
{
    if (linked)
        return linked;
    return dlsym(RTLD_DEFAULT, name);
}

static const char *conf_object_of(void *addr)
{
    Dl_info info;
    if (addr == NULL || !dladdr(addr, &info) || info.dli_fname == NULL)
        return "?";
    return info.dli_fname;
}

/* Called first by every program. */
static void check_runtime(void) __attribute__((unused));
static void check_runtime(void)
{
    const char *expected = getenv("HSOMP_EXPECTED");
    const char *(*ver)(void);
    const char *prog = program_invocation_short_name;

    conf_prog = prog;
    ver = (const char *(*)(void))conf_lookup((void *)hsomp_runtime_version,
                                              "hsomp_runtime_version");
    if (expected == NULL || expected[0] == '\0')
        return;
    if (strcmp(expected, "1") == 0) {
        const char *v, *obj_ver, *obj_par, *obj_tid;
        if (ver == NULL)
            fail("HSOMP_EXPECTED=1 but hsomp_runtime_version is not in the "
                 "process: this run is not on hsomp");
        v = ver();
        if (v == NULL || v[0] == '\0')
            fail("hsomp_runtime_version() returned an empty string");
        /* The fork entry and omp_get_thread_num must come from the same object
         * as hsomp_runtime_version, otherwise libgomp is still doing the
         * work (e.g. a preload that does not interpose). */
        obj_ver = conf_object_of((void *)ver);
        obj_par = conf_object_of(CONF_FORK_ENTRY);
        obj_tid = conf_object_of((void *)omp_get_thread_num);
        if (strcmp(obj_ver, obj_par) != 0 || strcmp(obj_ver, obj_tid) != 0)
            fail("runtime entry points come from different objects: "
                 "hsomp_runtime_version in %s, " CONF_FORK_NAME " in %s, "
                 "omp_get_thread_num in %s",
                 obj_ver, obj_par, obj_tid);
        fprintf(stderr, "[%s] runtime: hsomp %s (%s)\n", prog, v, obj_ver);
    } else if (strcmp(expected, "0") == 0) {
        if (ver != NULL)
            fail("HSOMP_EXPECTED=0 (oracle run) but hsomp_runtime_version is "
                 "present in %s",
                 conf_object_of((void *)ver));
    } else {
        fail("HSOMP_EXPECTED must be 0 or 1, not '%s'", expected);
    }
}

/* 1 + 2 + ... + n, summed by a team of exactly n threads (each adds its
 * thread number + 1, after a barrier): a quick check that a region of n
 * threads really ran. */
static long team_sum(int n) __attribute__((unused));
static long team_sum(int n)
{
    long s = 0;
#pragma omp parallel num_threads(n) reduction(+ : s)
    {
        CHECK(omp_get_num_threads() == n, "team of %d has %d threads", n, omp_get_num_threads());
#pragma omp barrier
        s += omp_get_thread_num() + 1;
    }
    return s;
}

#if defined(CONFORMANCE_FORTRAN) && CONFORMANCE_FORTRAN
/* check_runtime() for a Fortran program; on hsomp the Fortran entry points
 * (omp_lib's omp_*_ routines) must come from hsomp's object as well. */
extern int omp_get_thread_num_(void);
void conf_check_runtime(void);
void conf_check_runtime(void)
{
    const char *expected = getenv("HSOMP_EXPECTED");
    const char *obj_ver, *obj_ftid;

    check_runtime();
    if (expected == NULL || strcmp(expected, "1") != 0)
        return;
    obj_ver = conf_object_of(conf_lookup((void *)hsomp_runtime_version, "hsomp_runtime_version"));
    obj_ftid = conf_object_of((void *)omp_get_thread_num_);
    if (strcmp(obj_ver, obj_ftid) != 0)
        fail("the Fortran entry points come from another object: "
             "hsomp_runtime_version in %s, omp_get_thread_num_ in %s",
             obj_ver, obj_ftid);
}
#endif

#endif
