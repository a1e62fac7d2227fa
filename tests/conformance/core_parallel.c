/* core_parallel.c - parallel regions: team sizes, thread numbers, levels.
 *
 * Default team, num_threads(n) for n = 1..8 (more threads than cores),
 * if(0), omp_get_num_threads/omp_get_thread_num consistency (every thread
 * number 0..n-1 seen exactly once), omp_in_parallel, omp_get_level,
 * omp_get_active_level, omp_get_team_size, omp_get_ancestor_thread_num.
 */
// RUN: default
// RUN: nt3 OMP_NUM_THREADS=3
// RUN: nt5 OMP_NUM_THREADS=5
#include "check.h"
#include <pthread.h>

#define MAXT 64

struct obs {
    int nthreads[MAXT];   /* omp_get_num_threads() seen by each thread */
    int seen[MAXT];       /* how often each thread number was seen */
    int in_par[MAXT];
    int level[MAXT], active[MAXT];
    int size0[MAXT], size1[MAXT], size2[MAXT], sizem1[MAXT];
    int anc0[MAXT], anc1[MAXT], anc2[MAXT], ancm1[MAXT];
    int bad_tid;
    pthread_t master_self;
    int master_is_caller;
};

static void record(struct obs *o)
{
    int t = omp_get_thread_num();
    if (t < 0 || t >= MAXT) {
#pragma omp atomic write
        o->bad_tid = 1;
        return;
    }
#pragma omp atomic update
    o->seen[t]++;
    o->nthreads[t] = omp_get_num_threads();
    o->in_par[t] = omp_in_parallel();
    o->level[t] = omp_get_level();
    o->active[t] = omp_get_active_level();
    o->size0[t] = omp_get_team_size(0);
    o->size1[t] = omp_get_team_size(1);
    o->size2[t] = omp_get_team_size(2);
    o->sizem1[t] = omp_get_team_size(-1);
    o->anc0[t] = omp_get_ancestor_thread_num(0);
    o->anc1[t] = omp_get_ancestor_thread_num(1);
    o->anc2[t] = omp_get_ancestor_thread_num(2);
    o->ancm1[t] = omp_get_ancestor_thread_num(-1);
    if (t == 0)
        o->master_is_caller = pthread_equal(pthread_self(), o->master_self);
}

/* Check one region's observations for a team of n threads. */
static void verify(const char *what, struct obs *o, int n)
{
    int active = n > 1;
    CHECK(!o->bad_tid, "%s: thread number out of range", what);
    CHECK(o->master_is_caller, "%s: thread 0 is not the encountering thread", what);
    for (int t = 0; t < MAXT; t++) {
        if (t >= n) {
            CHECK(o->seen[t] == 0, "%s: thread %d ran in a team of %d", what, t, n);
            continue;
        }
        CHECK(o->seen[t] == 1, "%s: thread %d seen %d times (team %d)", what, t, o->seen[t], n);
        CHECK(o->nthreads[t] == n, "%s: thread %d says team size %d, expected %d", what, t,
              o->nthreads[t], n);
        CHECK(o->in_par[t] == active, "%s: omp_in_parallel()=%d in team of %d", what,
              o->in_par[t], n);
        CHECK(o->level[t] == 1, "%s: omp_get_level()=%d", what, o->level[t]);
        CHECK(o->active[t] == active, "%s: omp_get_active_level()=%d in team of %d", what,
              o->active[t], n);
        CHECK(o->size0[t] == 1, "%s: omp_get_team_size(0)=%d", what, o->size0[t]);
        CHECK(o->size1[t] == n, "%s: omp_get_team_size(1)=%d, expected %d", what, o->size1[t], n);
        CHECK(o->size2[t] == -1, "%s: omp_get_team_size(2)=%d, expected -1", what, o->size2[t]);
        CHECK(o->sizem1[t] == -1, "%s: omp_get_team_size(-1)=%d", what, o->sizem1[t]);
        CHECK(o->anc0[t] == 0, "%s: omp_get_ancestor_thread_num(0)=%d", what, o->anc0[t]);
        CHECK(o->anc1[t] == t, "%s: omp_get_ancestor_thread_num(1)=%d on thread %d", what,
              o->anc1[t], t);
        CHECK(o->anc2[t] == -1, "%s: omp_get_ancestor_thread_num(2)=%d", what, o->anc2[t]);
        CHECK(o->ancm1[t] == -1, "%s: omp_get_ancestor_thread_num(-1)=%d", what, o->ancm1[t]);
    }
}

int main(void)
{
    static struct obs o;
    int maxt, n;

    check_runtime();
    omp_set_dynamic(0);

    /* Outside any region. */
    CHECK(omp_get_num_threads() == 1, "sequential part: omp_get_num_threads()=%d",
          omp_get_num_threads());
    CHECK(omp_get_thread_num() == 0, "sequential part: omp_get_thread_num()=%d",
          omp_get_thread_num());
    CHECK(!omp_in_parallel(), "sequential part: omp_in_parallel() true");
    CHECK(omp_get_level() == 0 && omp_get_active_level() == 0, "sequential part: level %d/%d",
          omp_get_level(), omp_get_active_level());
    CHECK(omp_get_team_size(0) == 1, "sequential part: omp_get_team_size(0)=%d",
          omp_get_team_size(0));
    CHECK(omp_get_ancestor_thread_num(0) == 0, "sequential part: ancestor(0)=%d",
          omp_get_ancestor_thread_num(0));
    CHECK(omp_get_team_size(1) == -1, "sequential part: omp_get_team_size(1)=%d",
          omp_get_team_size(1));
    printf("sequential: threads=1 level=0 active=0 in_parallel=0\n");

    /* Default team: nthreads-var (omp_get_max_threads()) threads. */
    maxt = omp_get_max_threads();
    CHECK(maxt >= 1 && maxt < MAXT, "omp_get_max_threads()=%d", maxt);
    memset(&o, 0, sizeof o);
    o.master_self = pthread_self();
#pragma omp parallel
    record(&o);
    verify("default team", &o, maxt);
    {
        const char *env = getenv("OMP_NUM_THREADS");
        if (env)
            printf("default team: size=%d (OMP_NUM_THREADS=%s)\n", maxt, env);
        else
            printf("default team: size==omp_get_max_threads()==omp_get_num_procs(): %s\n",
                   maxt == omp_get_num_procs() ? "yes" : "no");
    }

    /* num_threads(n), n = 1..8. */
    for (n = 1; n <= 8; n++) {
        char what[32];
        memset(&o, 0, sizeof o);
        o.master_self = pthread_self();
#pragma omp parallel num_threads(n)
        record(&o);
        snprintf(what, sizeof what, "num_threads(%d)", n);
        verify(what, &o, n);
        printf("num_threads(%d): team=%d tids 0..%d once each, level=1 active=%d\n", n, n,
               n - 1, n > 1);
    }

    /* Repeat with varying sizes back to back (team reuse and resize). */
    for (int rep = 0; rep < 200; rep++) {
        int want = 1 + (rep * 7) % 8;
        int count = 0, sum = 0;
#pragma omp parallel num_threads(want) reduction(+ : count, sum)
        {
            count += 1;
            sum += omp_get_thread_num();
            if (omp_get_num_threads() != want)
                count += 1000;
        }
        CHECK(count == want && sum == want * (want - 1) / 2,
              "resize rep %d: team of %d gave count=%d sum=%d", rep, want, count, sum);
    }
    printf("200 regions of varying size: ok\n");

    /* if(0): an inactive region of one thread; the level still counts. */
    {
        int cnt = 0, lvl = -1, act = -1, inp = -1, nt = -1, tid = -1;
        int zero = 0;
#pragma omp parallel if (zero) num_threads(4)
        {
#pragma omp atomic
            cnt++;
            lvl = omp_get_level();
            act = omp_get_active_level();
            inp = omp_in_parallel();
            nt = omp_get_num_threads();
            tid = omp_get_thread_num();
        }
        CHECK(cnt == 1, "if(0): region ran %d times", cnt);
        CHECK(nt == 1 && tid == 0, "if(0): num_threads=%d thread_num=%d", nt, tid);
        CHECK(lvl == 1, "if(0): omp_get_level()=%d, expected 1", lvl);
        CHECK(act == 0, "if(0): omp_get_active_level()=%d, expected 0", act);
        CHECK(inp == 0, "if(0): omp_in_parallel()=%d, expected 0", inp);
        printf("if(0): team=1 level=%d active=%d in_parallel=%d\n", lvl, act, inp);
    }

    /* if(1) behaves like no if clause. */
    {
        int one = 1, cnt = 0;
#pragma omp parallel if (one) num_threads(3)
        {
#pragma omp atomic
            cnt++;
        }
        CHECK(cnt == 3, "if(1) num_threads(3): ran %d times", cnt);
        printf("if(1) num_threads(3): team=%d\n", cnt);
    }

    /* Shared and private data: each thread writes its own slot. */
    {
        int slots[8];
        for (int i = 0; i < 8; i++)
            slots[i] = -1;
#pragma omp parallel num_threads(8)
        {
            int t = omp_get_thread_num();
            int priv = t * t;
            slots[t] = priv + omp_get_num_threads();
        }
        for (int i = 0; i < 8; i++)
            CHECK(slots[i] == i * i + 8, "slot %d = %d", i, slots[i]);
        printf("shared array written by 8 threads: ok\n");
    }

    /* proc_bind clauses: binding is a hint about places; the team is the same */
    {
        int c1 = 0, c2 = 0, c3 = 0;
#pragma omp parallel num_threads(3) proc_bind(close) reduction(+ : c1)
        c1 += omp_get_thread_num() + 1;
#pragma omp parallel num_threads(3) proc_bind(spread) reduction(+ : c2)
        c2 += omp_get_thread_num() + 1;
#pragma omp parallel num_threads(3) proc_bind(master) reduction(+ : c3)
        c3 += omp_get_thread_num() + 1;
        CHECK(c1 == 6 && c2 == 6 && c3 == 6, "proc_bind teams: %d %d %d", c1, c2, c3);
        printf("proc_bind(close/spread/master) num_threads(3): teams of 3\n");
    }

    /* A team much larger than the machine. */
    {
        static int seen64[64];
        int bad = 0;
#pragma omp parallel num_threads(64) reduction(+ : bad)
        {
            int t = omp_get_thread_num();
            if (omp_get_num_threads() != 64 || t < 0 || t >= 64)
                bad++;
            else {
#pragma omp atomic
                seen64[t]++;
            }
        }
        CHECK(bad == 0, "team of 64: %d bad thread numbers/sizes", bad);
        for (int t = 0; t < 64; t++)
            CHECK(seen64[t] == 1, "team of 64: thread %d seen %d times", t, seen64[t]);
        printf("num_threads(64): tids 0..63 once each\n");
    }

    /* After all of that we are back in the sequential part. */
    CHECK(!omp_in_parallel() && omp_get_level() == 0, "after regions: level %d",
          omp_get_level());
    CHECK(omp_get_max_threads() == maxt, "omp_get_max_threads changed: %d -> %d", maxt,
          omp_get_max_threads());
    printf("done\n");
    return 0;
}
