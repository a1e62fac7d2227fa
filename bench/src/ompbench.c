/* ompbench: OpenMP construct overhead driver for comparing runtimes.
 *
 * Built once with `gcc -fopenmp -O2`; the runtime under test is chosen at
 * load time (plain run = libgomp, LD_PRELOAD=libhsomp.so or libomp.so.5).
 * Prints one JSON object per benchmark on stdout; diagnostics go to stderr.
 *
 * Method (after EPCC's): for each benchmark a test body executes the
 * construct `reps` times around delay() work; a reference body does the same
 * delay() work with no construct.  reps doubles until one test measurement
 * takes at least --target-ms.  Then --outer times: time the reference, time
 * the test.  Sample k is (test_k - median(reference)) / reps, in microseconds
 * per construct; we report mean, min, max, median and standard deviation.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "bench.h"

int g_nthreads = 1;
long g_delay_len = 0;
double g_delay_us = 0.1;
long g_chunk = 1;
long g_iters_per_thr = 1024;
int g_tree_depth = 5;
volatile int g_invalid = 0;
volatile int g_counting = 0;
long g_delay_calls = 0;

static double g_delay_sink;

void delay(long n) {
    double a = 0.0;
    for (long i = 0; i < n; i++) {
        a += (double)i;
        __asm__ volatile("" : "+x"(a)); /* keep every add */
    }
    if (a < 0.0) g_delay_sink = a; /* never true; keeps the loop alive */
    if (g_counting) __atomic_fetch_add(&g_delay_calls, 1, __ATOMIC_RELAXED);
}

double now_sec(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

double ref_delays(long reps) {
    double t0 = now_sec();
    for (long j = 0; j < reps; j++) delay(g_delay_len);
    return now_sec() - t0;
}

long gran_one(int nt) { (void)nt; return 1; }
long gran_team(int nt) { return nt > 0 ? nt : 1; }
long calls_team(long reps, int nt) { return reps * nt; }
long calls_one(long reps, int nt) { (void)nt; return reps; }
long calls_none(long reps, int nt) { (void)reps; (void)nt; return -1; }

/* ---------------- settings ---------------- */
static int opt_outer = 20;
static double opt_target_ms = 2.0;
static long opt_regions = 100000;
static int opt_dgemm_reps = 3;
static long opt_max_reps = 1L << 26;

/* ---------------- runtime identification ---------------- */
static const char *rt_name = "unknown";
static const char *rt_version = "";
static const char *rt_lib = "";

static const char *lib_of(const char *sym) {
    void *p = dlsym(RTLD_DEFAULT, sym);
    Dl_info info;
    if (p && dladdr(p, &info) && info.dli_fname) return info.dli_fname;
    return NULL;
}

static void identify_runtime(void) {
    void *v = dlsym(RTLD_DEFAULT, "hsomp_runtime_version");
    const char *lib = lib_of("GOMP_parallel");
    rt_lib = lib ? lib : "";
    if (v) {
        rt_name = "hsomp";
        const char *(*fn)(void) = (const char *(*)(void))v;
        const char *s = fn();
        rt_version = s ? s : "";
    } else if (dlsym(RTLD_DEFAULT, "__kmpc_fork_call")) {
        rt_name = "libomp";
    } else if (lib && strstr(lib, "libgomp")) {
        rt_name = "libgomp";
    }
}

/* The GOMP_* / omp_* entry points each benchmark's code calls (from
 * `nm -D --undefined-only` of the gcc 12 build).  Under LD_PRELOAD a symbol
 * the preloaded runtime does not define silently resolves to libgomp, which
 * would mix two runtimes in one run: every result line lists such symbols. */
#define S_TEAM "GOMP_parallel omp_get_num_threads omp_get_thread_num GOMP_barrier "
static const struct { const char *id, *syms; } uses[] = {
    {"parallel", "GOMP_parallel"},
    {"for", S_TEAM},
    {"parallel_for", S_TEAM},
    {"barrier", S_TEAM},
    {"single", S_TEAM "GOMP_single_start"},
    {"critical", S_TEAM "GOMP_critical_start GOMP_critical_end"},
    {"lock", S_TEAM "omp_init_lock omp_set_lock omp_unset_lock omp_destroy_lock"},
    {"ordered", S_TEAM "GOMP_loop_ordered_static_start GOMP_loop_ordered_static_next "
                "GOMP_ordered_start GOMP_ordered_end GOMP_loop_end"},
    {"atomic", S_TEAM},
    {"reduction", S_TEAM},
    {"sched:static", S_TEAM},
    {"sched:dynamic", S_TEAM "GOMP_loop_nonmonotonic_dynamic_start "
                      "GOMP_loop_nonmonotonic_dynamic_next GOMP_loop_end"},
    {"sched:guided", S_TEAM "GOMP_loop_nonmonotonic_guided_start "
                     "GOMP_loop_nonmonotonic_guided_next GOMP_loop_end"},
    {"dgemm", S_TEAM},
    {"empty", "GOMP_parallel"},
    {"", S_TEAM "GOMP_task GOMP_taskwait"}, /* taskbench: everything else */
};

static void print_foreign_symbols(const char *id) {
    const char *home = lib_of("GOMP_parallel");
    const char *syms = uses[sizeof uses / sizeof uses[0] - 1].syms;
    for (size_t i = 0; i < sizeof uses / sizeof uses[0]; i++)
        if (uses[i].id[0] && !strncmp(id, uses[i].id, strlen(uses[i].id)) &&
            (id[strlen(uses[i].id)] == 0 || id[strlen(uses[i].id)] == ':')) {
            syms = uses[i].syms;
            break;
        }
    int first = 1;
    fputs(",\"foreign_symbols\":[", stdout);
    const char *p = syms;
    while (*p) {
        while (*p == ' ') p++;
        if (!*p) break;
        char sym[96];
        size_t n = strcspn(p, " ");
        if (n >= sizeof sym) n = sizeof sym - 1;
        memcpy(sym, p, n);
        sym[n] = 0;
        p += n;
        const char *l = lib_of(sym);
        if (!home || !l || strcmp(l, home) != 0) {
            printf("%s\"%s\"", first ? "" : ",", sym);
            first = 0;
        }
    }
    putchar(']');
}

/* ---------------- statistics and output ---------------- */
typedef struct { double mean, min, max, median, sd; } stats_t;

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median_of(const double *v, int n) {
    double *s = malloc(sizeof(double) * (size_t)n);
    memcpy(s, v, sizeof(double) * (size_t)n);
    qsort(s, (size_t)n, sizeof(double), cmp_double);
    double m = (n % 2) ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    free(s);
    return m;
}

static stats_t stats_of(const double *v, int n) {
    stats_t st = {0, v[0], v[0], 0, 0};
    for (int i = 0; i < n; i++) {
        st.mean += v[i];
        if (v[i] < st.min) st.min = v[i];
        if (v[i] > st.max) st.max = v[i];
    }
    st.mean /= n;
    double ss = 0;
    for (int i = 0; i < n; i++) ss += (v[i] - st.mean) * (v[i] - st.mean);
    st.sd = n > 1 ? sqrt(ss / (n - 1)) : 0.0;
    st.median = median_of(v, n);
    return st;
}

static void json_str(const char *s) {
    putchar('"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') putchar('\\');
        if ((unsigned char)*s < 0x20) continue;
        putchar(*s);
    }
    putchar('"');
}

static void json_num(double x) {
    if (isfinite(x)) printf("%.6g", x); else printf("null");
}

/* Common header of a result line. */
static void emit_head(const char *id, const char *name, const char *group) {
    printf("{\"id\":"); json_str(id);
    printf(",\"name\":"); json_str(name);
    printf(",\"group\":"); json_str(group);
    printf(",\"threads\":%d", g_nthreads);
    printf(",\"runtime\":"); json_str(rt_name);
    printf(",\"runtime_version\":"); json_str(rt_version);
    printf(",\"runtime_lib\":"); json_str(rt_lib);
    print_foreign_symbols(id);
}

static void emit_tail(const char *unit, const double *samples, int n, int valid) {
    stats_t st = stats_of(samples, n);
    printf(",\"unit\":"); json_str(unit);
    printf(",\"valid\":%s", valid ? "true" : "false");
    printf(",\"mean\":"); json_num(st.mean);
    printf(",\"min\":"); json_num(st.min);
    printf(",\"max\":"); json_num(st.max);
    printf(",\"median\":"); json_num(st.median);
    printf(",\"sd\":"); json_num(st.sd);
    printf(",\"samples\":[");
    for (int i = 0; i < n; i++) { if (i) putchar(','); json_num(samples[i]); }
    printf("]}\n");
    fflush(stdout);
}

/* ---------------- the EPCC-style measurement ---------------- */
typedef struct {
    const char *id, *name, *group;
    double (*run)(long);
    double (*ref)(long);
    long granule;
    long (*calls)(long, int);
    const char *extra_json; /* pre-formatted ",\"k\":v" fields, may be "" */
} job_t;

static void measure(const job_t *job) {
    /* Validation pass: count delay() calls and check construct results. */
    g_invalid = 0;
    g_delay_calls = 0;
    g_counting = 1;
    long vreps = job->granule * 2;
    job->run(vreps);
    g_counting = 0;
    int valid = !g_invalid;
    long want = job->calls ? job->calls(vreps, g_nthreads) : -1;
    if (want >= 0 && g_delay_calls != want) {
        fprintf(stderr, "ompbench: %s: %ld delay calls, expected %ld\n",
                job->id, g_delay_calls, want);
        valid = 0;
    }

    /* Choose reps so one test measurement takes >= target. */
    long reps = job->granule;
    double target = opt_target_ms * 1e-3;
    /* Best of two at each size: one stall must not freeze reps at a tiny
     * value (that would leave too few constructs per sample). */
    for (;;) {
        double t1 = job->run(reps), t2 = job->run(reps);
        if (reps >= opt_max_reps || (t1 < t2 ? t1 : t2) >= target) break;
        reps *= 2;
    }

    double *ref = malloc(sizeof(double) * (size_t)opt_outer);
    double *test = malloc(sizeof(double) * (size_t)opt_outer);
    double *ovh = malloc(sizeof(double) * (size_t)opt_outer);
    g_invalid = 0;
    for (int k = 0; k < opt_outer; k++) {
        ref[k] = job->ref(reps);
        test[k] = job->run(reps);
    }
    if (g_invalid) valid = 0;
    double ref_med = median_of(ref, opt_outer);
    for (int k = 0; k < opt_outer; k++) ovh[k] = (test[k] - ref_med) / (double)reps * 1e6;

    emit_head(job->id, job->name, job->group);
    printf("%s", job->extra_json);
    printf(",\"reps\":%ld,\"outer\":%d,\"delay_len\":%ld", reps, opt_outer, g_delay_len);
    printf(",\"ref_us_per_rep\":"); json_num(ref_med / (double)reps * 1e6);
    printf(",\"test_us_per_rep_min\":");
    json_num(stats_of(test, opt_outer).min / (double)reps * 1e6);
    emit_tail("us", ovh, opt_outer, valid);
    free(ref); free(test); free(ovh);
}

static long calibrate_delay(double us) {
    /* Time a long delay a few times and keep the fastest. */
    long n = 100000;
    double best = 1e30;
    for (int i = 0; i < 7; i++) {
        double t0 = now_sec();
        delay(n);
        double t = now_sec() - t0;
        if (t < best) best = t;
    }
    long len = (long)(us * 1e-6 / (best / (double)n) + 0.5);
    return len < 1 ? 1 : len;
}

static int team_size(void) {
    int count = 0;
#pragma omp parallel
    __atomic_fetch_add(&count, 1, __ATOMIC_RELAXED);
    return count;
}

/* ---------------- command line ---------------- */
static void usage(void) {
    fprintf(stderr,
        "usage: ompbench [options] BENCH...\n"
        "  BENCH: a syncbench or taskbench id (see `list`), sched:KIND:CHUNK\n"
        "         (KIND static|dynamic|guided), dgemm:N, empty, all-sync,\n"
        "         all-task, list, info\n"
        "options:\n"
        "  --outer N            outer repetitions (default 20)\n"
        "  --target-ms T        minimum time of one test measurement (2)\n"
        "  --delay-us D         length of one delay() (0.1)\n"
        "  --delay-len L        delay() iterations (overrides --delay-us)\n"
        "  --iters-per-thread I schedbench iterations per thread (1024)\n"
        "  --tree-depth D       taskbench tree depth (5)\n"
        "  --regions N          empty parallel regions per sample (100000)\n"
        "  --dgemm-reps N       DGEMM repetitions (3)\n"
        "`info` prints the runtime identification; `calibrate` the delay length.\n");
}

static const bench_t *find_bench(const char *id) {
    for (size_t i = 0; i < n_sync_benches; i++)
        if (!strcmp(sync_benches[i].id, id)) return &sync_benches[i];
    for (size_t i = 0; i < n_task_benches; i++)
        if (!strcmp(task_benches[i].id, id)) return &task_benches[i];
    return NULL;
}

static void run_table_bench(const bench_t *b) {
    job_t job = {b->id, b->name, b->group, b->run, b->ref,
                 b->granule(g_nthreads), b->test_calls, ""};
    measure(&job);
}

static int run_sched(const char *arg) {
    char kind[16];
    long chunk;
    if (sscanf(arg, "sched:%15[a-z]:%ld", kind, &chunk) != 2 || chunk < 1) return -1;
    double (*fn)(long) = NULL;
    if (!strcmp(kind, "static")) fn = sched_run_static;
    else if (!strcmp(kind, "dynamic")) fn = sched_run_dynamic;
    else if (!strcmp(kind, "guided")) fn = sched_run_guided;
    else return -1;
    g_chunk = chunk;
    char name[64], extra[160];
    snprintf(name, sizeof name, "SCHED %s,%ld", kind, chunk);
    for (char *p = name + 6; *p && *p != ','; p++) *p = (char)(*p - 32 * (*p >= 'a' && *p <= 'z'));
    snprintf(extra, sizeof extra, ",\"schedule\":\"%s\",\"chunk\":%ld,\"iters_per_thread\":%ld",
             kind, chunk, g_iters_per_thr);
    job_t job = {arg, name, "sched", fn, sched_ref, sched_granule(g_nthreads),
                 sched_calls, extra};
    measure(&job);
    return 0;
}

static int run_dgemm(const char *arg) {
    int n;
    if (sscanf(arg, "dgemm:%d", &n) != 1 || n < 1) return -1;
    int reps = opt_dgemm_reps < 1 ? 1 : opt_dgemm_reps;
    double *ms = malloc(sizeof(double) * (size_t)reps);
    g_invalid = 0;
    if (n <= 256) dgemm_run(n); /* warm-up for the small case only */
    for (int k = 0; k < reps; k++) ms[k] = dgemm_run(n) * 1e3;
    char name[32];
    snprintf(name, sizeof name, "DGEMM %d", n);
    emit_head(arg, name, "dgemm");
    printf(",\"n\":%d,\"gflops_best\":", n);
    stats_t st = stats_of(ms, reps);
    json_num(2.0 * n * (double)n * n / (st.min * 1e-3) * 1e-9);
    emit_tail("ms", ms, reps, !g_invalid);
    free(ms);
    return 0;
}

static void run_empty(void) {
    empty_parallel_run(opt_regions / 100 + 1); /* warm-up */
    int reps = opt_outer;
    double *us = malloc(sizeof(double) * (size_t)reps);
    for (int k = 0; k < reps; k++)
        us[k] = empty_parallel_run(opt_regions) / (double)opt_regions * 1e6;
    emit_head("empty", "EMPTY PARALLEL REGIONS", "empty");
    printf(",\"regions\":%ld", opt_regions);
    emit_tail("us", us, reps, 1);
    free(us);
}

int main(int argc, char **argv) {
    int i = 1;
    long delay_len = 0;
    for (; i < argc && !strncmp(argv[i], "--", 2); i += 2) {
        if (i + 1 >= argc) { usage(); return 2; }
        const char *o = argv[i], *v = argv[i + 1];
        if (!strcmp(o, "--outer")) opt_outer = atoi(v);
        else if (!strcmp(o, "--target-ms")) opt_target_ms = atof(v);
        else if (!strcmp(o, "--delay-us")) g_delay_us = atof(v);
        else if (!strcmp(o, "--delay-len")) delay_len = atol(v);
        else if (!strcmp(o, "--iters-per-thread")) g_iters_per_thr = atol(v);
        else if (!strcmp(o, "--tree-depth")) g_tree_depth = atoi(v);
        else if (!strcmp(o, "--regions")) opt_regions = atol(v);
        else if (!strcmp(o, "--dgemm-reps")) opt_dgemm_reps = atoi(v);
        else { usage(); return 2; }
    }
    if (i >= argc || opt_outer < 1) { usage(); return 2; }

    identify_runtime();
    g_delay_len = delay_len > 0 ? delay_len : calibrate_delay(g_delay_us);

    for (; i < argc; i++) {
        const char *arg = argv[i];
        if (!strcmp(arg, "list")) {
            for (size_t k = 0; k < n_sync_benches; k++) printf("%s\n", sync_benches[k].id);
            for (size_t k = 0; k < n_task_benches; k++) printf("%s\n", task_benches[k].id);
            continue;
        }
        if (!strcmp(arg, "calibrate")) {
            printf("%ld\n", calibrate_delay(g_delay_us));
            continue;
        }
        if (!strcmp(arg, "info")) {
            printf("{\"runtime\":"); json_str(rt_name);
            printf(",\"runtime_version\":"); json_str(rt_version);
            printf(",\"runtime_lib\":"); json_str(rt_lib);
            print_foreign_symbols("");
            printf("}\n");
            fflush(stdout);
            continue;
        }
        /* Every benchmark needs a team: size it (and start the pool) first. */
        g_nthreads = team_size();
        const bench_t *b;
        if (!strcmp(arg, "all-sync")) {
            for (size_t k = 0; k < n_sync_benches; k++) run_table_bench(&sync_benches[k]);
        } else if (!strcmp(arg, "all-task")) {
            for (size_t k = 0; k < n_task_benches; k++) run_table_bench(&task_benches[k]);
        } else if ((b = find_bench(arg))) {
            run_table_bench(b);
        } else if (!strncmp(arg, "sched:", 6)) {
            if (run_sched(arg)) { fprintf(stderr, "ompbench: bad %s\n", arg); return 2; }
        } else if (!strncmp(arg, "dgemm:", 6)) {
            if (run_dgemm(arg)) { fprintf(stderr, "ompbench: bad %s\n", arg); return 2; }
        } else if (!strcmp(arg, "empty")) {
            run_empty();
        } else {
            fprintf(stderr, "ompbench: unknown benchmark %s\n", arg);
            usage();
            return 2;
        }
    }
    return 0;
}
