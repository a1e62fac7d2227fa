/* stress.h - scenarios shared by the defect reproductions (task_barrier_*,
 * cancel_barrier_passive, task_detach_foreign, task_depend_throttle) and
 * the bounded stress suite (stress_*.c).
 *
 * Each scenario is a function that runs one racy pattern many times and
 * returns how many rounds went wrong (0: all good); details go to stderr.
 * A caller prints one deterministic line per scenario on stdout and exits
 * non-zero when any scenario failed.  Hangs are bounded by the runner's
 * timeout: stress_init() installs a SIGTERM handler that says, on stderr,
 * which scenario and round were running when timeout(1) ended the run.
 *
 * Bounds: a scenario runs `rounds` rounds, or fewer when the time budget
 * (stress_budget, seconds; 0 = none) runs out first.  The defect
 * reproductions use no budget (fixed counts); the stress programs use one so
 * that an oversubscribed team on a slow wait policy cannot blow the suite's
 * time.  STRESS_BUDGET=seconds in the environment overrides it (e.g. to run
 * a stress program longer by hand).  Rounds done and seconds taken go to
 * stderr, never to stdout.
 */
#ifndef HSOMP_CONFORMANCE_STRESS_H
#define HSOMP_CONFORMANCE_STRESS_H

#include "check.h"

#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

/* Each program uses only some of the functions below. */
#define STRESS_FN static __attribute__((unused))

/* ------------------------------------------------------------ helpers --- */

STRESS_FN double stress_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Busy-wait about `ns` nanoseconds (0: return at once). */
STRESS_FN void spin_ns(long ns)
{
    if (ns <= 0)
        return;
    double end = stress_now() + ns * 1e-9;
    while (stress_now() < end)
        __builtin_ia32_pause();
}

/* Some arithmetic the compiler cannot drop: `n` rounds of ~1 ns. */
STRESS_FN unsigned busy_work(unsigned n, unsigned seed)
{
    volatile unsigned x = seed | 1;
    for (unsigned i = 0; i < n; i++)
        x = x * 1103515245u + 12345u;
    return x;
}

STRESS_FN long env_long(const char *name, long dflt)
{
    const char *v = getenv(name);
    return v && *v ? strtol(v, NULL, 10) : dflt;
}

/* A small deterministic pseudo-random sequence (for delays). */
STRESS_FN unsigned mix(unsigned x)
{
    x ^= x >> 16;
    x *= 0x7feb352du;
    x ^= x >> 15;
    x *= 0x846ca68bu;
    x ^= x >> 16;
    return x;
}

/* ----------------------------------------------- progress and budget --- */

static const char *volatile stress_scenario = "startup";
static volatile long stress_round = -1;
static double stress_budget; /* seconds per scenario; 0: unbounded */
static double stress_t0, stress_deadline;

STRESS_FN void stress_put(const char *s)
{
    ssize_t r = write(2, s, strlen(s));
    (void)r;
}

/* SIGTERM (timeout(1)): say where we were, then die with the usual status. */
STRESS_FN void stress_on_term(int sig)
{
    char num[24];
    long r = stress_round;
    int i = sizeof num;
    num[--i] = '\0';
    if (r < 0) {
        num[--i] = '?';
    } else {
        do {
            num[--i] = (char)('0' + r % 10);
            r /= 10;
        } while (r > 0 && i > 0);
    }
    stress_put("STRESS: terminated (hang?) in scenario '");
    stress_put(stress_scenario);
    stress_put("' at round ");
    stress_put(num + i);
    stress_put("\n");
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Call first (after check_runtime); `budget` as described at the top. */
STRESS_FN void stress_init(double budget)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    stress_budget = budget;
    const char *b = getenv("STRESS_BUDGET");
    if (b && *b)
        stress_budget = strtod(b, NULL);
    signal(SIGTERM, stress_on_term);
    omp_set_dynamic(0);
}

STRESS_FN void stress_begin(const char *name)
{
    stress_scenario = name;
    stress_round = 0;
    stress_t0 = stress_now();
    stress_deadline = stress_budget > 0 ? stress_t0 + stress_budget : 0;
}

/* Loop condition: round i may start (records progress for the handler). */
STRESS_FN int stress_more(long i, long rounds)
{
    stress_round = i;
    if (i >= rounds)
        return 0;
    if (stress_deadline > 0 && (i & 15) == 0 && i > 0 && stress_now() > stress_deadline)
        return 0;
    return 1;
}

/* Print a scenario's outcome: one deterministic line on stdout, the
 * numbers on stderr.  Returns 1 when it failed. */
STRESS_FN int stress_end(long done, long rounds, long bad, const char *what)
{
    double t = stress_now() - stress_t0;
    fprintf(stderr, "[%s] %s: %ld of %ld rounds in %.3f s%s; %ld wrong\n",
            conf_prog, stress_scenario, done, rounds, t,
            done < rounds ? " (time budget)" : "", bad);
    if (bad)
        fprintf(stderr, "FAILED %s: %s: %ld of %ld rounds wrong (%s)\n", conf_prog,
                stress_scenario, bad, done, what);
    printf("%s: %s\n", stress_scenario, bad ? "FAILED" : "ok");
    stress_round = -1;
    return bad != 0;
}

STRESS_FN int team_size(void)
{
    return omp_get_max_threads();
}

/* ------------------------------------------------------------ scenarios */

/* (defect 1) Late spawn before the end of a region: every thread but the
 * master spawns one task just before the region's closing barrier; the
 * task works a little, then counts itself.  After the region the count
 * must be complete: the barrier may not release while a task is queued or
 * running.  `slot` gets one counter per round, so a task that runs after
 * its region ended writes its own round's counter (counted as "late"). */
STRESS_FN int scen_late_spawn_end(long rounds, unsigned work)
{
    int nt = team_size();
    int *slot = calloc(rounds, sizeof *slot);
    long bad = 0, i;
    stress_begin("late spawn at region end");
    for (i = 0; stress_more(i, rounds); i++) {
        int *mine = &slot[i];
        unsigned d = mix((unsigned)i);
#pragma omp parallel firstprivate(mine, d)
        {
            if (omp_get_thread_num() != 0) {
                if (d & 1)
                    spin_ns((d >> 1) % 2000); /* vary the arrival order */
#pragma omp task firstprivate(mine, d)
                {
                    busy_work(work + d % work, d);
                    __atomic_fetch_add(mine, 1, __ATOMIC_RELEASE);
                }
            }
        }
        if (__atomic_load_n(mine, __ATOMIC_ACQUIRE) != nt - 1) {
            if (bad < 3)
                fprintf(stderr, "  round %ld: %d of %d tasks complete after the region\n", i,
                        __atomic_load_n(mine, __ATOMIC_ACQUIRE), nt - 1);
            bad++;
        }
    }
    free(slot);
    return stress_end(i, rounds, bad, "the master left the region before a task completed");
}

/* (defect 1, explicit barrier) The same at `#pragma omp barrier`: round
 * after round, the workers spawn a task just before the barrier and the
 * master checks after it that all of them completed.  `per_region` rounds
 * run back to back in one region. */
STRESS_FN int scen_late_spawn_barrier(long rounds, unsigned work, int per_region)
{
    int nt = team_size();
    int *slot = calloc(rounds + per_region, sizeof *slot);
    long bad = 0, i;
    stress_begin("late spawn at explicit barrier");
    for (i = 0; stress_more(i, rounds); i += per_region) {
        long base = i;
#pragma omp parallel shared(bad) firstprivate(base)
        {
            int me = omp_get_thread_num();
            for (long r = base; r < base + per_region; r++) {
                unsigned d = mix((unsigned)r * 31u + (unsigned)me);
                if (me != 0) {
                    if (d & 1)
                        spin_ns((d >> 1) % 2000);
                    int *mine = &slot[r];
#pragma omp task firstprivate(mine, d)
                    {
                        busy_work(work + d % work, d);
                        __atomic_fetch_add(mine, 1, __ATOMIC_RELEASE);
                    }
                }
#pragma omp barrier
                if (me == 0) {
                    stress_round = r;
                    int got = __atomic_load_n(&slot[r], __ATOMIC_ACQUIRE);
                    if (got != nt - 1) {
                        if (bad < 3)
                            fprintf(stderr, "  round %ld: %d of %d tasks complete after the barrier\n",
                                    r, got, nt - 1);
                        bad++;
                    }
                }
            }
        }
    }
    free(slot);
    return stress_end(i, rounds, bad, "a barrier released before a task completed");
}

/* (defect 2a) `cancel parallel` while the others wait at a barrier: one
 * thread (a different one each round) waits a varying while, so that the
 * others are already parked at `#pragma omp barrier`, then cancels the
 * region.  The waiters must leave the barrier as cancelled: nobody runs the
 * code after it, and the region ends (no hang).  Needs OMP_CANCELLATION. */
STRESS_FN int scen_cancel_barrier(long rounds, long max_delay_ns)
{
    int nt = team_size();
    long bad = 0, i;
    stress_begin("cancel parallel during a barrier");
    for (i = 0; stress_more(i, rounds); i++) {
        int after = 0, arrived = 0;
        unsigned d = mix((unsigned)i);
        int canceller = (int)(d % (unsigned)nt);
        /* mostly 0-2 us (the waiters are entering the barrier, about to
         * park: the lost wake-up window), sometimes up to max_delay_ns
         * (they are parked); on 1 round in 8 the canceller does not wait
         * for the others to arrive at all */
        unsigned kind = (d >> 8) % 8;
        long delay = kind < 3 ? 0 : kind < 6 ? (long)((d >> 11) % 2000)
                                             : (long)((d >> 11) % (unsigned long)max_delay_ns);
        int wait_arrivals = kind != 7;
#pragma omp parallel shared(after, arrived)
        {
            if (omp_get_thread_num() == canceller) {
                /* let the others reach the barrier (and park) first */
                while (wait_arrivals && __atomic_load_n(&arrived, __ATOMIC_ACQUIRE) < nt - 1)
                    sched_yield(); /* oversubscribed: let them run */
                spin_ns(delay);
#pragma omp cancel parallel
            } else {
                __atomic_fetch_add(&arrived, 1, __ATOMIC_ACQ_REL);
            }
#pragma omp barrier
            __atomic_fetch_add(&after, 1, __ATOMIC_RELAXED);
        }
        if (after != 0) {
            if (bad < 3)
                fprintf(stderr, "  round %ld: %d threads passed the barrier of a cancelled region\n",
                        i, after);
            bad++;
        }
    }
    return stress_end(i, rounds, bad, "threads passed the barrier of a cancelled region");
}

/* A plain pthread, outside every team, that fulfils events on request:
 * immediately, after a yield, after a short spin or after a short sleep,
 * so the fulfilment happens both before and after the detached body runs
 * and before and after its waiter parks. */
struct fulfiller {
    pthread_t th;
    sem_t go, took;
    omp_event_handle_t ev;
    unsigned mode;
    int *flag;
    int quit;
};

static void *fulfiller_main(void *arg)
{
    struct fulfiller *f = arg;
    for (;;) {
        sem_wait(&f->go);
        if (f->quit)
            return NULL;
        omp_event_handle_t ev = f->ev;
        unsigned mode = f->mode;
        int *flag = f->flag;
        sem_post(&f->took);
        switch (mode % 4) {
        case 0: break;
        case 1: sched_yield(); break;
        case 2: spin_ns(1000 + (mode >> 2) % 20000); break;
        case 3: usleep(20 + (mode >> 2) % 80); break;
        }
        __atomic_store_n(flag, 1, __ATOMIC_RELEASE);
        omp_fulfill_event(ev);
    }
}

STRESS_FN void fulfiller_start(struct fulfiller *f)
{
    memset(f, 0, sizeof *f);
    sem_init(&f->go, 0, 0);
    sem_init(&f->took, 0, 0);
    if (pthread_create(&f->th, NULL, fulfiller_main, f) != 0)
        fail("pthread_create failed");
}

STRESS_FN void fulfiller_post(struct fulfiller *f, omp_event_handle_t ev, unsigned mode, int *flag)
{
    f->ev = ev;
    f->mode = mode;
    f->flag = flag;
    sem_post(&f->go);
    while (sem_wait(&f->took) != 0)
        ;
}

STRESS_FN void fulfiller_stop(struct fulfiller *f)
{
    f->quit = 1;
    sem_post(&f->go);
    pthread_join(f->th, NULL);
}

/* (defect 2b) A detached task whose event a plain pthread fulfils; one
 * thread of the team creates it inside `single`, hands the event over and
 * waits in taskwait (taskgroup on odd rounds).  The wait must end, and only
 * after the fulfilment.  (No barrier is used as the wait: libgomp 12 itself
 * hangs at a barrier, the region's or an explicit one, that waits for a
 * foreign pthread's fulfilment.) */
STRESS_FN int scen_detach_foreign(long rounds)
{
    struct fulfiller f;
    long bad = 0, i;
    fulfiller_start(&f);
    stress_begin("detached task fulfilled by a foreign pthread");
    for (i = 0; stress_more(i, rounds); i++) {
        int fulfilled = 0, body = 0, seen = -1;
        unsigned d = mix((unsigned)i);
#pragma omp parallel shared(fulfilled, body, seen)
#pragma omp single
        {
            omp_event_handle_t ev;
            if (d & 16) {
#pragma omp taskgroup
                {
#pragma omp task detach(ev) shared(body)
                    __atomic_store_n(&body, 1, __ATOMIC_RELEASE);
                    fulfiller_post(&f, ev, d, &fulfilled);
                }
            } else {
#pragma omp task detach(ev) shared(body)
                __atomic_store_n(&body, 1, __ATOMIC_RELEASE);
                fulfiller_post(&f, ev, d, &fulfilled);
#pragma omp taskwait
            }
            seen = __atomic_load_n(&fulfilled, __ATOMIC_ACQUIRE) * 2 +
                   __atomic_load_n(&body, __ATOMIC_ACQUIRE);
        }
        if (seen != 3) {
            if (bad < 3)
                fprintf(stderr, "  round %ld: the wait ended with fulfilled=%d body=%d\n", i,
                        seen >> 1, seen & 1);
            bad++;
        }
    }
    fulfiller_stop(&f);
    return stress_end(i, rounds, bad, "a wait for a detached task ended before its fulfilment");
}

/* (defect 2c) Tasks spawned slowly while the others wait at a barrier: the
 * waiters arrive first (and park under the passive policy); one thread
 * spawns `ntasks` tasks with short pauses between them, then arrives.  No
 * hang, and every task has completed when the barrier releases.  Explicit
 * barrier on even rounds, the region's end on odd ones. */
STRESS_FN int scen_slow_spawn(long rounds, int ntasks, long gap_ns)
{
    int nt = team_size();
    int *slot = calloc(rounds, sizeof *slot);
    long bad = 0, i;
    stress_begin("slow spawns while the others wait at a barrier");
    for (i = 0; stress_more(i, rounds); i++) {
        int *mine = &slot[i];
        unsigned d = mix((unsigned)i);
        int spawner = (int)(d % (unsigned)nt);
        int explicit_barrier = !(i & 1);
        int seen = -1;
#pragma omp parallel firstprivate(mine, d) shared(seen)
        {
            int me = omp_get_thread_num();
            if (me == spawner) {
                for (int k = 0; k < ntasks; k++) {
                    spin_ns((long)(mix(d + (unsigned)k) % (unsigned long)gap_ns));
#pragma omp task firstprivate(mine, d, k)
                    {
                        busy_work(200 + mix(d ^ (unsigned)k) % 2000, d);
                        __atomic_fetch_add(mine, 1, __ATOMIC_RELEASE);
                    }
                }
            }
            if (explicit_barrier) {
#pragma omp barrier
                if (me == (spawner + 1) % nt)
                    seen = __atomic_load_n(mine, __ATOMIC_ACQUIRE);
            }
        }
        if (!explicit_barrier)
            seen = __atomic_load_n(mine, __ATOMIC_ACQUIRE);
        if (seen != ntasks) {
            if (bad < 3)
                fprintf(stderr, "  round %ld: %d of %d tasks complete after the %s\n", i, seen,
                        ntasks, explicit_barrier ? "barrier" : "region");
            bad++;
        }
    }
    free(slot);
    return stress_end(i, rounds, bad, "a barrier released before the slowly spawned tasks completed");
}

/* (defect 4) A dependent task created past the spawn throttle: in `single`,
 * a detached task T (depend out:x), then `nfill` filler tasks (each with its
 * own `depend(out:)` so that even a team of one defers them, and a few
 * microseconds of work so that thieves cannot drain the spawner's queue
 * quickly), then U
 * (depend in:x), then F, which fulfils T's event.  U may only run after the
 * fulfilment; creating U must not block its creator (F does not exist yet).
 */
STRESS_FN int scen_depend_throttle(long rounds, int nfill)
{
    char *fill = calloc(nfill, 1);
    long bad = 0, i;
    stress_begin("dependent task past the throttle, detached predecessor");
    for (i = 0; stress_more(i, rounds); i++) {
        int x = 0, fulfilled = 0, u_saw = -1, u_x = -1, filled = 0;
#pragma omp parallel shared(x, fulfilled, u_saw, u_x, filled)
#pragma omp single
        {
            omp_event_handle_t ev;
#pragma omp task detach(ev) depend(out : x) shared(x)
            x = 1;
            for (int k = 0; k < nfill; k++) {
#pragma omp task depend(out : fill[k]) shared(filled)
                {
                    busy_work(2000, (unsigned)k);
                    __atomic_fetch_add(&filled, 1, __ATOMIC_RELAXED);
                }
            }
#pragma omp task depend(in : x) shared(x, fulfilled, u_saw, u_x)
            {
                u_saw = __atomic_load_n(&fulfilled, __ATOMIC_ACQUIRE);
                u_x = x;
            }
#pragma omp task shared(fulfilled)
            {
                busy_work(2000, 7);
                __atomic_store_n(&fulfilled, 1, __ATOMIC_RELEASE);
                omp_fulfill_event(ev);
            }
#pragma omp taskwait
        }
        if (u_saw != 1 || u_x != 1 || filled != nfill) {
            if (bad < 3)
                fprintf(stderr, "  round %ld: U saw fulfilled=%d x=%d; %d of %d fillers ran\n", i,
                        u_saw, u_x, filled, nfill);
            bad++;
        }
    }
    free(fill);
    return stress_end(i, rounds, bad, "a dependent task ran before its detached predecessor was fulfilled");
}

/* Cancellation of a taskgroup: `single` makes a taskgroup of `ntasks`
 * tasks; one of them (a different one each round) cancels the group while
 * the others are queued, running or about to reach a cancellation point;
 * the other threads wait at the single's barrier meanwhile.  The taskgroup
 * must end only when no member task runs any more (nothing starts or
 * finishes after its end), and a task created after it still runs.
 * Needs OMP_CANCELLATION. */
STRESS_FN int scen_cancel_taskgroup(long rounds, int ntasks)
{
    long bad = 0, i;
    stress_begin("cancel taskgroup");
    for (i = 0; stress_more(i, rounds); i++) {
        int started = 0, finished = 0, after = 0, s_end = -1, f_end = -1;
        unsigned d = mix((unsigned)i);
        int victim = (int)(d % (unsigned)ntasks);
#pragma omp parallel shared(started, finished, after, s_end, f_end)
#pragma omp single
        {
#pragma omp taskgroup
            {
                for (int k = 0; k < ntasks; k++) {
#pragma omp task firstprivate(k) shared(started, finished)
                    {
                        __atomic_fetch_add(&started, 1, __ATOMIC_RELAXED);
                        if (k == victim) {
#pragma omp cancel taskgroup
                        }
                        busy_work(300 + mix(d + (unsigned)k) % 3000, (unsigned)k);
#pragma omp cancellation point taskgroup
                        busy_work(300, (unsigned)k);
                        __atomic_fetch_add(&finished, 1, __ATOMIC_RELEASE);
                    }
                }
            }
            s_end = __atomic_load_n(&started, __ATOMIC_ACQUIRE);
            f_end = __atomic_load_n(&finished, __ATOMIC_ACQUIRE);
#pragma omp task shared(after)
            __atomic_fetch_add(&after, 1, __ATOMIC_RELAXED);
        }
        int ok = after == 1 && started >= 1 && started == s_end && finished == f_end &&
                 finished < ntasks;
        if (!ok) {
            if (bad < 3)
                fprintf(stderr, "  round %ld: started %d (%d at the group's end), finished %d (%d), "
                        "after %d\n", i, started, s_end, finished, f_end, after);
            bad++;
        }
    }
    return stress_end(i, rounds, bad, "cancel taskgroup ended early or lost work");
}

/* taskwait whose children are run and completed by other threads: every
 * thread spawns `fan` children (each spawning `fan` grandchildren and
 * waiting for them) and waits for them; thieves run most of them, so the
 * waiter's wake-up comes from another thread.  After each taskwait all of
 * the waiter's descendants are done. */
STRESS_FN int scen_taskwait_stolen(long rounds, int fan)
{
    int nt = team_size();
    long bad = 0, i;
    stress_begin("taskwait for children run by other threads");
    for (i = 0; stress_more(i, rounds); i++) {
        int wrong = 0;
        unsigned d = mix((unsigned)i);
#pragma omp parallel shared(wrong)
        {
            int me = omp_get_thread_num();
            int count = 0;
            if (me == (int)(d % (unsigned)nt))
                spin_ns((long)(d >> 8) % 20000); /* one latecomer */
            for (int c = 0; c < fan; c++) {
#pragma omp task shared(count) firstprivate(c)
                {
                    int sub = 0;
                    for (int g = 0; g < fan; g++) {
#pragma omp task shared(sub)
                        {
                            busy_work(300 + mix(d + (unsigned)g) % 1500, (unsigned)g);
                            __atomic_fetch_add(&sub, 1, __ATOMIC_RELAXED);
                        }
                    }
#pragma omp taskwait
                    if (__atomic_load_n(&sub, __ATOMIC_ACQUIRE) == fan)
                        __atomic_fetch_add(&count, 1, __ATOMIC_RELEASE);
                }
            }
#pragma omp taskwait
            if (__atomic_load_n(&count, __ATOMIC_ACQUIRE) != fan)
                __atomic_fetch_add(&wrong, 1, __ATOMIC_RELAXED);
        }
        if (wrong) {
            if (bad < 3)
                fprintf(stderr, "  round %ld: %d threads' taskwait ended early\n", i, wrong);
            bad++;
        }
    }
    return stress_end(i, rounds, bad, "taskwait ended before the children completed");
}

/* Nested task trees at barriers: each thread grows a binary tree of tasks
 * of depth `depth` (every node spawns its two children and does not wait)
 * right before an explicit barrier, then the region's end; the count of
 * nodes must be complete after each of the two barriers. */
STRESS_FN void tree_node(int *count, int depth, unsigned seed)
{
    __atomic_fetch_add(count, 1, __ATOMIC_RELAXED);
    if (depth == 0) {
        busy_work(100 + seed % 500, seed);
        return;
    }
    for (int c = 0; c < 2; c++) {
#pragma omp task firstprivate(count, depth, seed, c)
        tree_node(count, depth - 1, mix(seed + (unsigned)c));
    }
}

STRESS_FN int scen_task_tree_barrier(long rounds, int depth)
{
    int nt = team_size();
    int nodes = (1 << (depth + 1)) - 1;
    long bad = 0, i;
    stress_begin("task trees at barriers");
    for (i = 0; stress_more(i, rounds); i++) {
        int first = 0, second = 0, seen = -1;
        unsigned d = mix((unsigned)i);
#pragma omp parallel shared(first, second, seen)
        {
            int me = omp_get_thread_num();
            if ((d >> me) & 1)
                spin_ns((long)(mix(d + (unsigned)me) % 5000));
            tree_node(&first, depth, d + (unsigned)me);
#pragma omp barrier
            if (me == 0)
                seen = __atomic_load_n(&first, __ATOMIC_ACQUIRE);
            if (me == (int)(d % (unsigned)nt))
                tree_node(&second, depth, d);
        }
        if (seen != nt * nodes || __atomic_load_n(&second, __ATOMIC_ACQUIRE) != nodes) {
            if (bad < 3)
                fprintf(stderr, "  round %ld: %d of %d nodes after the barrier, %d of %d after the region\n",
                        i, seen, nt * nodes, second, nodes);
            bad++;
        }
    }
    return stress_end(i, rounds, bad, "a barrier released before a task tree completed");
}

#endif
