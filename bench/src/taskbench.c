/* Explicit task overheads.
 *
 * Each run_* makes every thread's share of the work `reps` delays (when the
 * runtime balances it), so the reference is ref_delays(reps) and the overhead
 * is reported per task each thread accounts for.
 */
#include <omp.h>
#include "bench.h"

static volatile int never; /* always 0; read at run time so `if` stays dynamic */

/* PARALLEL TASK: every thread creates reps tasks. */
static double run_parallel_task(long reps) {
    TIME_REPS_IN_REGION(reps,
        BENCH_PRAGMA(omp task)
        delay(g_delay_len);
    );
}

/* MASTER TASK: the master creates all reps*nthreads tasks; the others only
 * execute them. */
static double run_master_task(long reps) {
    double t0 = now_sec();
#pragma omp parallel
    {
#pragma omp master
        {
            long all = reps * omp_get_num_threads();
            for (long j = 0; j < all; j++) {
#pragma omp task
                delay(g_delay_len);
            }
        }
    }
    return now_sec() - t0;
}

/* CONDITIONAL TASK: tasks whose if() clause is false run immediately. */
static double run_conditional_task(long reps) {
    TIME_REPS_IN_REGION(reps,
        BENCH_PRAGMA(omp task if (never))
        delay(g_delay_len);
    );
}

/* TASKWAIT: each thread creates a task and waits for it, reps times. */
static double run_taskwait(long reps) {
    TIME_REPS_IN_REGION(reps,
        BENCH_PRAGMA(omp task)
        delay(g_delay_len);
        BENCH_PRAGMA(omp taskwait)
    );
}

/* TASK BARRIER: each thread creates a task, then the team meets at a
 * barrier (which must complete the tasks), reps times. */
static double run_task_barrier(long reps) {
    TIME_REPS_IN_REGION(reps,
        BENCH_PRAGMA(omp task)
        delay(g_delay_len);
        BENCH_PRAGMA(omp barrier)
    );
}

/* NESTED TASK: each thread creates reps/nthreads tasks, each of which
 * creates nthreads child tasks that do the work. */
static double run_nested_task(long reps) {
    double t0 = now_sec();
#pragma omp parallel
    {
        int nt = omp_get_num_threads();
        long outer = reps / nt;
        for (long j = 0; j < outer; j++) {
#pragma omp task firstprivate(nt)
            {
                for (int i = 0; i < nt; i++) {
#pragma omp task
                    delay(g_delay_len);
                }
            }
        }
    }
    return now_sec() - t0;
}

/* Task dependences: DEP_CHAINS independent chains, each task `inout` on
 * its chain's slot, so every task has one predecessor (the previous task of
 * its chain) and one successor, and the chains keep the team busy. */
#define DEP_CHAINS 16

/* MASTER TASK DEPS: the master creates all reps*nthreads tasks. */
static double run_master_task_deps(long reps) {
    static char slot[DEP_CHAINS];
    (void)slot;
    double t0 = now_sec();
#pragma omp parallel
    {
#pragma omp master
        {
            long all = reps * omp_get_num_threads();
            for (long j = 0; j < all; j++) {
#pragma omp task depend(inout: slot[j % DEP_CHAINS])
                delay(g_delay_len);
            }
        }
    }
    return now_sec() - t0;
}

/* PARALLEL TASK DEPS: every thread creates reps tasks on chains of its own
 * (its implicit task is their parent, so siblings are its tasks only). */
static double run_parallel_task_deps(long reps) {
    double t0 = now_sec();
#pragma omp parallel
    {
        char slot[DEP_CHAINS];
        (void)slot;
        for (long j = 0; j < reps; j++) {
#pragma omp task depend(inout: slot[j % DEP_CHAINS])
            delay(g_delay_len);
        }
    }
    return now_sec() - t0;
}

/* Binary task trees.  A branch tree does work at every node (each node is a
 * task that spawns two children); a leaf tree only at its leaves. */
static void branch(int d) {
    delay(g_delay_len);
    if (d > 0) {
#pragma omp task
        branch(d - 1);
#pragma omp task
        branch(d - 1);
    }
}

static void leaf(int d) {
    if (d == 0) {
        delay(g_delay_len);
        return;
    }
#pragma omp task
    leaf(d - 1);
#pragma omp task
    leaf(d - 1);
}

static long branch_nodes(void) { return (2L << g_tree_depth) - 1; }
static long leaf_nodes(void) { return 1L << g_tree_depth; }
static long gran_branch(int nt) { (void)nt; return branch_nodes(); }
static long gran_leaf(int nt) { (void)nt; return leaf_nodes(); }

/* BRANCH TASK TREE: each thread walks reps/nodes trees. */
static double run_branch_tree(long reps) {
    long trees = reps / branch_nodes();
    int depth = g_tree_depth;
    TIME_REPS_IN_REGION(trees, branch(depth););
}

/* LEAF TASK TREE: each thread walks reps/leaves trees. */
static double run_leaf_tree(long reps) {
    long trees = reps / leaf_nodes();
    int depth = g_tree_depth;
    TIME_REPS_IN_REGION(trees, leaf(depth););
}

const bench_t task_benches[] = {
    {"parallel_task", "PARALLEL TASK", "task", run_parallel_task, ref_delays, gran_one, calls_team},
    {"master_task", "MASTER TASK", "task", run_master_task, ref_delays, gran_one, calls_team},
    {"conditional_task", "CONDITIONAL TASK", "task", run_conditional_task, ref_delays, gran_one, calls_team},
    {"taskwait", "TASKWAIT", "task", run_taskwait, ref_delays, gran_one, calls_team},
    {"task_barrier", "TASK BARRIER", "task", run_task_barrier, ref_delays, gran_one, calls_team},
    {"master_task_deps", "MASTER TASK DEPS", "task", run_master_task_deps, ref_delays, gran_one, calls_team},
    {"parallel_task_deps", "PARALLEL TASK DEPS", "task", run_parallel_task_deps, ref_delays, gran_one, calls_team},
    {"nested_task", "NESTED TASK", "task", run_nested_task, ref_delays, gran_team, calls_team},
    {"branch_tree", "BRANCH TASK TREE", "task", run_branch_tree, ref_delays, gran_branch, calls_team},
    {"leaf_tree", "LEAF TASK TREE", "task", run_leaf_tree, ref_delays, gran_leaf, calls_team},
};
const size_t n_task_benches = sizeof task_benches / sizeof task_benches[0];
