/* core_icv.c - internal control variables through the omp_* API.
 *
 * Only facts the OpenMP specification fixes are printed; implementation-
 * defined values (thread limit, supported levels, number of processors)
 * are checked for sanity but not printed.
 */
// RUN: default
// RUN: cancel OMP_CANCELLATION=true OMP_MAX_TASK_PRIORITY=7
// CLANG: oracle-gcc libomp stops with 'Thread identifier invalid' in regions after omp_pause_resource_all
#include "check.h"
#include <limits.h>
#include <sched.h>

static int team_size(void)
{
    int n = 0;
#pragma omp parallel reduction(+ : n)
    n += 1;
    return n;
}

static const char *kind_name(omp_sched_t k)
{
    switch ((int)k & ~(int)omp_sched_monotonic) {
    case omp_sched_static: return "static";
    case omp_sched_dynamic: return "dynamic";
    case omp_sched_guided: return "guided";
    case omp_sched_auto: return "auto";
    default: return "?";
    }
}

int main(void)
{
    check_runtime();

    /* nthreads-var */
    omp_set_dynamic(0);
    omp_set_num_threads(3);
    CHECK(omp_get_max_threads() == 3, "max_threads %d after set_num_threads(3)",
          omp_get_max_threads());
    CHECK(team_size() == 3, "team of %d after set_num_threads(3)", team_size());
    omp_set_num_threads(6);
    CHECK(omp_get_max_threads() == 6 && team_size() == 6, "set_num_threads(6): %d/%d",
          omp_get_max_threads(), team_size());
    printf("set_num_threads(3): max_threads=3 team=3; set_num_threads(6): team=6\n");

    /* nthreads-var is per task: setting it inside a region affects only the
     * setting thread's nested regions, and not the master's after the region */
    {
        int inner[4] = {0, 0, 0, 0}, after[4] = {0, 0, 0, 0};
        omp_set_max_active_levels(2);
#pragma omp parallel num_threads(4)
        {
            int t = omp_get_thread_num();
            omp_set_num_threads(t + 1);
            after[t] = omp_get_max_threads();
#pragma omp parallel
            {
#pragma omp single
                inner[t] = omp_get_num_threads();
            }
        }
        for (int t = 0; t < 4; t++) {
            CHECK(after[t] == t + 1, "thread %d: max_threads %d after set(%d)", t, after[t], t + 1);
            CHECK(inner[t] == t + 1, "thread %d: nested team %d, expected %d", t, inner[t], t + 1);
        }
        CHECK(omp_get_max_threads() == 6, "master's nthreads-var changed to %d by a region",
              omp_get_max_threads());
        printf("per-thread nthreads-var: nested teams 1,2,3,4; master keeps 6\n");
        omp_set_max_active_levels(1);
    }

    /* dyn-var: may be ignored by an implementation without dynamic adjustment */
    omp_set_dynamic(0);
    CHECK(omp_get_dynamic() == 0, "get_dynamic after set_dynamic(0)");
    omp_set_dynamic(1);
    {
        int d = omp_get_dynamic();
        CHECK(d == 0 || d == 1, "get_dynamic returned %d", d);
        fprintf(stderr, "dynamic after set(1): %d\n", d);
    }
    omp_set_dynamic(0);
    printf("set_dynamic(0): get_dynamic=0\n");

    /* max-active-levels-var and nesting */
    {
        int sup = omp_get_supported_active_levels();
        CHECK(sup >= 1, "omp_get_supported_active_levels()=%d", sup);
        omp_set_max_active_levels(2);
        CHECK(omp_get_max_active_levels() == (sup < 2 ? sup : 2), "max_active_levels %d",
              omp_get_max_active_levels());
        omp_set_max_active_levels(-1); /* negative: ignored */
        CHECK(omp_get_max_active_levels() == (sup < 2 ? sup : 2),
              "set_max_active_levels(-1) changed it to %d", omp_get_max_active_levels());
        /* more than supported: set to the supported number (OpenMP 5.x
         * omp_set_max_active_levels; LLVM's libomp does not clip) */
        omp_set_max_active_levels(sup > INT_MAX - 1000 ? INT_MAX : sup + 1000);
        CHECK(omp_get_max_active_levels() == sup, "set(sup+1000) gave %d, supported %d",
              omp_get_max_active_levels(), sup);
        omp_set_max_active_levels(0);
        CHECK(omp_get_max_active_levels() == 0, "set_max_active_levels(0) gave %d",
              omp_get_max_active_levels());
        {
            int outer = 0;
#pragma omp parallel num_threads(3)
            {
#pragma omp single
                outer = omp_get_num_threads();
            }
            CHECK(outer == 1, "max-active-levels 0: team of %d", outer);
        }
        printf("max_active_levels: set(2)=2, set(-1) ignored, set(huge) clipped to supported, "
               "set(0)=0 serializes\n");
        omp_set_max_active_levels(1);
    }

    /* nest-var (deprecated, still part of the API) */
    omp_set_nested(1);
    CHECK(omp_get_nested() == 1, "get_nested after set_nested(1): %d", omp_get_nested());
    CHECK(omp_get_max_active_levels() > 1, "set_nested(1) left max_active_levels at %d",
          omp_get_max_active_levels());
    {
        int inner = 0;
#pragma omp parallel num_threads(2)
        {
#pragma omp parallel num_threads(2)
            {
#pragma omp master
                if (omp_get_ancestor_thread_num(1) == 0)
                    inner = omp_get_num_threads();
            }
        }
        CHECK(inner == 2, "nested enabled: inner team %d", inner);
    }
    omp_set_nested(0);
    CHECK(omp_get_nested() == 0, "get_nested after set_nested(0): %d", omp_get_nested());
    CHECK(omp_get_max_active_levels() == 1, "set_nested(0): max_active_levels %d",
          omp_get_max_active_levels());
    printf("set_nested(1): nested=1 inner team 2; set_nested(0): nested=0 max_active_levels=1\n");

    /* thread-limit-var and processors: implementation-defined, sanity only */
    CHECK(omp_get_thread_limit() >= 1, "omp_get_thread_limit()=%d", omp_get_thread_limit());
    CHECK(omp_get_num_procs() > 0, "omp_get_num_procs()=%d", omp_get_num_procs());
    {
        int np = -1;
#pragma omp parallel num_threads(2)
#pragma omp single
        np = omp_get_num_procs();
        CHECK(np == omp_get_num_procs(), "num_procs differs inside a region");
    }
    {
        /* the processors available to the program: its affinity mask */
        cpu_set_t set;
        if (sched_getaffinity(0, sizeof set, &set) == 0)
            CHECK(omp_get_num_procs() == CPU_COUNT(&set),
                  "omp_get_num_procs()=%d but the affinity mask has %d CPUs",
                  omp_get_num_procs(), CPU_COUNT(&set));
    }
    printf("thread_limit >= 1, num_procs > 0 and == CPUs in the affinity mask: yes\n");

    /* run-sched-var round trips */
    {
        static const struct {
            omp_sched_t k;
            int c;
        } sets[] = {{omp_sched_dynamic, 5},
                    {omp_sched_guided, 7},
                    {omp_sched_static, 4},
                    {omp_sched_dynamic, 1},
                    {omp_sched_guided, 100}};
        for (unsigned i = 0; i < sizeof sets / sizeof sets[0]; i++) {
            omp_sched_t k;
            int c;
            omp_set_schedule(sets[i].k, sets[i].c);
            omp_get_schedule(&k, &c);
            CHECK(k == sets[i].k && c == sets[i].c, "set_schedule(%s,%d) -> get (%d,%d)",
                  kind_name(sets[i].k), sets[i].c, (int)k, c);
            printf("schedule round trip: %s,%d\n", kind_name(k), c);
        }
        omp_sched_t k;
        int c;
        omp_set_schedule(omp_sched_auto, 3);
        omp_get_schedule(&k, &c);
        CHECK(((int)k & ~(int)omp_sched_monotonic) == omp_sched_auto, "auto gave kind %d", (int)k);
        printf("schedule round trip: auto\n");
        /* the schedule is a per-task ICV as well */
        omp_set_schedule(omp_sched_dynamic, 9);
#pragma omp parallel num_threads(2)
        {
            omp_set_schedule(omp_sched_guided, 2 + omp_get_thread_num());
        }
        omp_get_schedule(&k, &c);
        CHECK(k == omp_sched_dynamic && c == 9, "region changed master's schedule to (%d,%d)",
              (int)k, c);
        printf("schedule set inside a region does not leak: dynamic,9\n");
    }

    /* cancel-var, bind-var, max-task-priority-var */
    {
        const char *ce = getenv("OMP_CANCELLATION");
        int canc = omp_get_cancellation();
        CHECK(canc == (ce && strcmp(ce, "true") == 0), "omp_get_cancellation()=%d", canc);
        printf("cancellation=%d\n", canc);
        omp_proc_bind_t pb = omp_get_proc_bind();
        CHECK(pb >= omp_proc_bind_false && pb <= omp_proc_bind_spread, "omp_get_proc_bind()=%d",
              (int)pb);
        const char *pe = getenv("OMP_MAX_TASK_PRIORITY");
        int mp = omp_get_max_task_priority();
        CHECK(mp == (pe ? atoi(pe) : 0), "omp_get_max_task_priority()=%d", mp);
        printf("max_task_priority=%d\n", mp);
    }

    /* pause: the runtime may release resources, but must work again after */
    {
        omp_set_num_threads(4);
        CHECK(team_size() == 4, "before pause");
        int r1 = omp_pause_resource(omp_pause_soft, omp_get_initial_device());
        fprintf(stderr, "omp_pause_resource(soft) = %d\n", r1);
        int sum = 0;
#pragma omp parallel reduction(+ : sum)
        sum += omp_get_thread_num();
        CHECK(sum == 6, "region after omp_pause_resource(soft): sum %d", sum);
        int r2 = omp_pause_resource_all(omp_pause_hard);
        fprintf(stderr, "omp_pause_resource_all(hard) = %d\n", r2);
        /* a hard pause may reset ICVs: ask for the team size explicitly */
        sum = 0;
#pragma omp parallel num_threads(4) reduction(+ : sum)
        sum += omp_get_thread_num() * 10;
        CHECK(sum == 60, "region after omp_pause_resource_all(hard): sum %d", sum);
        int r3 = omp_pause_resource_all(omp_pause_soft);
        (void)r3;
        sum = 0;
#pragma omp parallel num_threads(5) reduction(+ : sum)
        sum += 1;
        CHECK(sum == 5, "region after a second pause: %d threads", sum);
        printf("regions after omp_pause_resource/omp_pause_resource_all: ok\n");
    }

    /* miscellaneous API entry points with spec-fixed answers */
    {
        CHECK(omp_in_final() == 0, "omp_in_final() in the initial task = %d", omp_in_final());
        int fin = -1;
#pragma omp parallel num_threads(2)
#pragma omp master
        fin = omp_in_final();
        CHECK(fin == 0, "omp_in_final() in an implicit task = %d", fin);
        omp_set_default_device(omp_get_initial_device());
        CHECK(omp_get_default_device() == omp_get_initial_device(), "default device %d",
              omp_get_default_device());
        omp_display_env(0); /* prints on stderr; must not disturb anything */
        printf("in_final=0 default device round trip ok\n");
    }

    /* devices: no offload device on this host */
    {
        int nd = omp_get_num_devices();
        int init = omp_get_initial_device();
        printf("num_devices=%d default_device=%d is_initial_device=%d initial_device=%d "
               "device_num=%d\n",
               nd, omp_get_default_device(), omp_is_initial_device(), init, omp_get_device_num());
        CHECK(omp_is_initial_device() == 1, "omp_is_initial_device()=%d", omp_is_initial_device());
        CHECK(omp_get_device_num() == init, "omp_get_device_num()=%d, initial %d",
              omp_get_device_num(), init);
        printf("num_teams=%d team_num=%d\n", omp_get_num_teams(), omp_get_team_num());
    }
    return 0;
}
