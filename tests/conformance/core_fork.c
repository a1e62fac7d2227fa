/* core_fork.c - fork() after OpenMP: the child gets a working runtime.
 *
 * The parent opens regions (so the runtime has worker threads), gives its
 * idle threads back with omp_pause_resource_all (the portable way to make
 * fork safe; libgomp 12 needs it) and forks.  Only the forking thread exists
 * in the child; its regions, worksharing loops and tasks must work with
 * fresh workers, and so must a grandchild forked by the child.  A thread
 * inside a region may fork too: that child can open nested regions (an
 * inactive one, then an active one) before it leaves with _exit.
 *
 * On hsomp (as on LLVM's libomp) the child's runtime also works without the
 * pause; libgomp 12 hangs in the child's first region then, so that part
 * runs only on hsomp and prints nothing on stdout.  A hang shows as a
 * timeout.
 */
// TIMEOUT: 30
// CLANG: oracle-gcc libomp fails in children forked inside a parallel region
#include "check.h"
#include <sys/wait.h>
#include <unistd.h>

static long loop_sum(int n)
{
    long s = 0;
#pragma omp parallel for num_threads(n) schedule(dynamic, 7) reduction(+ : s)
    for (int i = 0; i < 10000; i++)
        s += i;
    return s;
}

static long task_sum(int n)
{
    long s = 0;
#pragma omp parallel num_threads(n)
#pragma omp single
    for (int i = 1; i <= 200; i++) {
#pragma omp task shared(s) firstprivate(i)
        {
#pragma omp atomic
            s += i;
        }
    }
    return s;
}

/* Everything a child checks; exits 1 (from CHECK) on a wrong result. */
static void work_to(FILE *out, const char *who)
{
    for (int r = 0; r < 20; r++)
        for (int n = 2; n <= 4; n++)
            CHECK(team_sum(n) == n * (n + 1) / 2, "%s: region of %d, round %d", who, n, r);
    CHECK(loop_sum(3) == 49995000L, "%s: dynamic loop", who);
    CHECK(task_sum(4) == 20100, "%s: tasks", who);
    fprintf(out, "%s: regions of 2-4 threads, a loop and 200 tasks ok\n", who);
}

static void work(const char *who)
{
    work_to(stdout, who);
}

static void wait_for(pid_t pid, const char *who)
{
    int status;
    CHECK(pid > 0, "fork failed");
    CHECK(waitpid(pid, &status, 0) == pid, "waitpid");
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s failed (status %#x)", who, status);
}

static pid_t fork_after_pause(void)
{
    CHECK(omp_pause_resource_all(omp_pause_soft) == 0, "omp_pause_resource_all");
    fflush(stdout);
    return fork();
}

int main(void)
{
    check_runtime();
    omp_set_dynamic(0);
    int on_hsomp = conf_lookup((void *)hsomp_runtime_version, "hsomp_runtime_version") != NULL;

    work("parent");
    pid_t child = fork_after_pause();
    if (child == 0) {
        work("child");
        pid_t grandchild = fork_after_pause();
        if (grandchild == 0) {
            work("grandchild");
            exit(0);
        }
        wait_for(grandchild, "grandchild");
        CHECK(team_sum(2) == 3, "child: region after its own fork");
        printf("child: regions after its own fork ok\n");
        exit(0);
    }
    wait_for(child, "child");
    work("parent after fork");

    if (on_hsomp) {
        /* no pause: the parent's workers are idle but alive at the fork */
        fflush(stdout);
        child = fork();
        if (child == 0) {
            /* stdout would differ from the oracle's: report on stderr */
            work_to(stderr, "child without pause");
            pid_t grandchild = fork();
            if (grandchild == 0) {
                work_to(stderr, "grandchild without pause");
                exit(0);
            }
            wait_for(grandchild, "grandchild without pause");
            fprintf(stderr, "child without pause: ok\n");
            exit(0);
        }
        wait_for(child, "child without pause");
    }

    /* fork from inside a region, by the master and by another thread */
    CHECK(omp_pause_resource_all(omp_pause_soft) == 0, "omp_pause_resource_all");
    fflush(stdout);
    int failed = 0;
#pragma omp parallel num_threads(2) reduction(+ : failed)
    {
        pid_t pid = fork();
        if (pid == 0) {
            /* the other thread of this team does not exist here */
            long s = 0;
#pragma omp parallel num_threads(2) reduction(+ : s)
            s += omp_get_num_threads();
            if (s != 1)
                _exit(1);
            omp_set_max_active_levels(2);
            s = 0;
#pragma omp parallel num_threads(3) reduction(+ : s)
            s += omp_get_thread_num() + 1;
            _exit(s == 6 ? 0 : 2);
        }
        int status;
        if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
            failed++;
    }
    CHECK(failed == 0, "%d children forked inside a region failed", failed);
    printf("fork inside a region: both children ran nested regions\n");
    work("parent at the end");
    return 0;
}
