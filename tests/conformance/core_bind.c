/* core_bind.c - thread binding as libgomp 12 does it, on 2 CPUs: the place
 * list (OMP_PLACES, or one place per CPU when only OMP_PROC_BIND asks for
 * binding), omp_get_proc_bind per nesting level, the place and partition
 * every thread of a team gets under close/spread/primary/true (teams
 * larger than the place list included), the proc_bind clause on
 * parallel, parallel for and parallel sections, and each thread's real
 * affinity (sched_getaffinity), which must be its place's CPUs. TASKSET=1
 * starts the process on CPU 1 only: places then hold only CPU 1 and the
 * others are dropped. Invalid values fall back as libgomp's do. A thread
 * the program creates is pinned to place 0 when it first asks.
 * omp_display_env shows OMP_PROC_BIND and OMP_PLACES as libgomp does.
 *
 * Teams only shrink from one region to the next (largest first): when a
 * root team grows past the pool's size and pool threads must change
 * places, libgomp 12 advances the place counter twice for the first new
 * thread (close, 4 threads on 2 places after a team of 3 gives places
 * 0 0 1 0, where OpenMP's rule and hsomp give 0 0 1 1). Under `true`,
 * libgomp lets a reused thread stay on any place of its partition while
 * it reports the place `close` would give; hsomp moves the thread there,
 * so `true` runs only have teams of 3, 2 and 1 (CORE_BIND_MAXTEAM,
 * CORE_BIND_TEAMS_ONLY).
 */
// CLANG: oracle-gcc libomp's omp_display_env has no OMP_PROC_BIND/OMP_PLACES lines in libgomp's form, which the program reads
// CLANG: skip-case spread a clang target region runs in LLVM's libomptarget, outside hsomp: no new contention group, so the partition is the thread's, not all places
// CLANG: skip-case mixed as for spread
#include "check.h"
#include <pthread.h>
#include <sched.h>
#include <unistd.h>

// RUN: unbound
// RUN: close OMP_PLACES={0},{1} OMP_PROC_BIND=close
// RUN: spread OMP_PLACES={0},{1} OMP_PROC_BIND=spread,close
// RUN: primary OMP_PLACES={0},{1} OMP_PROC_BIND=primary
// RUN: true OMP_PROC_BIND=true CORE_BIND_MAXTEAM=3 CORE_BIND_TEAMS_ONLY=1
// RUN: implied OMP_PLACES=threads CORE_BIND_MAXTEAM=3 CORE_BIND_TEAMS_ONLY=1
// RUN: cores OMP_PLACES=cores(1) OMP_PROC_BIND=spread
// RUN: wide OMP_PLACES={0:2} OMP_PROC_BIND=close
// RUN: mixed OMP_PLACES={1},{0},{0,1} OMP_PROC_BIND=spread,spread
// RUN: interval OMP_PLACES={0}:2:1,!{1},{1:1} OMP_PROC_BIND=close
// RUN: false OMP_PLACES={0},{1} OMP_PROC_BIND=false
// RUN: badplaces OMP_PLACES={0 OMP_PROC_BIND=close
// RUN: badbind OMP_PLACES={0},{1} OMP_PROC_BIND=true,close CORE_BIND_MAXTEAM=3 CORE_BIND_TEAMS_ONLY=1
// RUN: mask OMP_PLACES={0},{1} TASKSET=1
// RUN: maskdefault OMP_PROC_BIND=spread TASKSET=1
// RUN: masknone OMP_PLACES={0} OMP_PROC_BIND=close TASKSET=1

#define MAXT 8

struct seen {
    int place, bind, level, nparts, parts[8];
    char mask[32];
};

static struct seen seen[MAXT][MAXT];

static void cpus(char *out, size_t n)
{
    cpu_set_t s;
    size_t k = 0;
    out[0] = 0;
    CHECK(sched_getaffinity(0, sizeof s, &s) == 0, "sched_getaffinity");
    for (int c = 0; c < 64 && k + 4 < n; c++)
        if (CPU_ISSET(c, &s))
            k += (size_t)snprintf(out + k, n - k, "%s%d", k ? "," : "", c);
}

static void place_cpus(int p, char *out, size_t n)
{
    int ids[64], k = omp_get_place_num_procs(p);
    size_t len = 0;
    out[0] = 0;
    omp_get_place_proc_ids(p, ids);
    for (int i = 0; i < k && len + 4 < n; i++)
        len += (size_t)snprintf(out + len, n - len, "%s%d", i ? "," : "", ids[i]);
}

/* Record the calling thread (outer thread `o`, inner thread `i`). */
static void record(int o, int i)
{
    struct seen *s = &seen[o][i];
    s->place = omp_get_place_num();
    s->bind = omp_get_proc_bind();
    s->level = omp_get_level();
    s->nparts = omp_get_partition_num_places();
    CHECK(s->nparts <= 8, "partition of %d places", s->nparts);
    omp_get_partition_place_nums(s->parts);
    cpus(s->mask, sizeof s->mask);
    if (s->place >= 0) {
        char want[32];
        place_cpus(s->place, want, sizeof want);
        CHECK(strcmp(want, s->mask) == 0, "thread %d/%d on place %d {%s} runs on {%s}", o, i, s->place, want, s->mask);
    }
}

static void show(const char *what, int nouter, int ninner)
{
    for (int o = 0; o < nouter; o++)
        for (int i = 0; i < ninner; i++) {
            struct seen *s = &seen[o][i];
            printf("%s %d.%d: level %d bind %d place %d partition [", what, o, i, s->level, s->bind, s->place);
            for (int k = 0; k < s->nparts; k++)
                printf("%s%d", k ? " " : "", s->parts[k]);
            printf("] cpus {%s}\n", s->mask);
        }
    memset(seen, 0, sizeof seen);
}

/* A thread the program creates has no place until it asks for one or
 * opens a region: then it is pinned to place 0 (libgomp's rule). It starts
 * with the creator's mask, which main narrows to the last CPU of the last
 * place first. */
static void *foreign(void *arg)
{
    (void)arg;
    char before[32];
    cpus(before, sizeof before);
    record(0, 0);
#pragma omp parallel num_threads(2)
    record(omp_get_thread_num() + 1, 0);
    printf("foreign thread: cpus {%s} at start\n", before);
    show("foreign", 3, 1);
    return NULL;
}

static void foreign_thread(void)
{
    cpu_set_t s;
    int last = -1, np = omp_get_num_places();
    CHECK(sched_getaffinity(0, sizeof s, &s) == 0, "sched_getaffinity");
    for (int c = 0; c < 64; c++)
        if (CPU_ISSET(c, &s))
            last = c;
    if (np > 0) {
        int ids[64];
        omp_get_place_proc_ids(np - 1, ids);
        last = ids[omp_get_place_num_procs(np - 1) - 1];
    }
    CPU_ZERO(&s);
    CPU_SET(last, &s);
    CHECK(sched_setaffinity(0, sizeof s, &s) == 0, "sched_setaffinity");
    pthread_t t;
    CHECK(pthread_create(&t, NULL, foreign, NULL) == 0, "pthread_create");
    CHECK(pthread_join(t, NULL) == 0, "pthread_join");
}

/* The OMP_PROC_BIND and OMP_PLACES lines of omp_display_env (stderr,
 * caught in a file). */
static void display_env_lines(void)
{
    FILE *f = tmpfile();
    CHECK(f != NULL, "tmpfile");
    fflush(stderr);
    int saved = dup(2);
    CHECK(saved >= 0 && dup2(fileno(f), 2) == 2, "dup2");
    omp_display_env(0);
    fflush(stderr);
    CHECK(dup2(saved, 2) == 2, "dup2 back");
    close(saved);
    rewind(f);
    char line[512];
    int n = 0;
    while (fgets(line, sizeof line, f))
        if (strstr(line, "OMP_PROC_BIND =") || strstr(line, "OMP_PLACES =")) {
            printf("display env:%s", line);
            n++;
        }
    CHECK(n == 2, "%d OMP_PROC_BIND/OMP_PLACES lines in omp_display_env", n);
    fclose(f);
}

/* A team of n under bind-var. */
static void team(int n)
{
    char what[16];
#pragma omp parallel num_threads(n)
    record(omp_get_thread_num(), 0);
    snprintf(what, sizeof what, "team%d", n);
    show(what, n, 1);
}

int main(void)
{
    check_runtime();
    int np = omp_get_num_places();
    printf("places %d:", np);
    for (int p = -1; p <= np; p++) {
        char buf[64];
        place_cpus(p, buf, sizeof buf);
        printf(" {%s}", buf);
    }
    printf("\n");
    display_env_lines();
    record(0, 0);
    show("initial", 1, 1);

    const char *max = getenv("CORE_BIND_MAXTEAM");
    for (int n = max ? atoi(max) : 5; n >= 3; n--)
        team(n);
    if (getenv("CORE_BIND_TEAMS_ONLY")) {
        team(2);
        team(1);
        return 0;
    }
#pragma omp parallel num_threads(3) proc_bind(spread)
    record(omp_get_thread_num(), 0);
    show("spread3", 3, 1);
#if defined(__clang__) /* clang 14 knows only the older spelling, same meaning */
#pragma omp parallel num_threads(2) proc_bind(master)
#else
#pragma omp parallel num_threads(2) proc_bind(primary)
#endif
    record(omp_get_thread_num(), 0);
    show("primary2", 2, 1);
    team(2);
#pragma omp parallel for num_threads(2) proc_bind(close) schedule(static, 1)
    for (int k = 0; k < 2; k++)
        record(omp_get_thread_num(), 0);
    show("for-close2", 2, 1);
#pragma omp parallel sections num_threads(2) proc_bind(spread)
    {
#pragma omp section
        record(0, 0);
#pragma omp section
        record(1, 0);
    }
    /* Which thread runs which section is the runtime's choice: print what
     * does not depend on it (record checked each thread's affinity). */
    for (int k = 0; k < 2; k++)
        printf("sections-spread2 section %d: bind %d\n", k, seen[k][0].bind);
    memset(seen, 0, sizeof seen);

    omp_set_max_active_levels(2);
#pragma omp parallel num_threads(2) proc_bind(spread)
    {
        int o = omp_get_thread_num();
#pragma omp parallel num_threads(2)
        record(o, omp_get_thread_num());
    }
    show("nested", 2, 2);
    team(1);
    /* A target region on the host keeps its thread's place; its partition
     * is the whole list. */
#pragma omp parallel num_threads(2)
    {
        int t = omp_get_thread_num(), place, nparts;
#pragma omp target map(from : place, nparts)
        {
            place = omp_get_place_num();
            nparts = omp_get_partition_num_places();
        }
        seen[t][0].place = place;
        seen[t][0].nparts = nparts;
    }
    for (int t = 0; t < 2; t++)
        printf("target in thread %d: place %d partition of %d\n", t, seen[t][0].place, seen[t][0].nparts);
    memset(seen, 0, sizeof seen);
    foreign_thread();
    return 0;
}
