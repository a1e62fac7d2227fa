/* core_display_affinity.c - OMP_DISPLAY_AFFINITY as libgomp 12 shows it:
 * the master of a new team prints one line per thread, in thread order,
 * on stderr, when the team is nested or a root team's size differs from
 * the previous root team of more than one thread, or when a thread of
 * the previous root team moves to another place; teams of one print
 * nothing. stderr is joined to stdout here so the lines are compared.
 * The format avoids %i and %P (they differ between runs); %A is the
 * thread's place when bound, else its mask.
 */
// CLANG: oracle-gcc libomp displays affinity on other occasions and writes CPU sets as lists (0,1), not ranges (0-1)
#include "check.h"
#include <unistd.h>

// ENV: OMP_DISPLAY_AFFINITY=true OMP_AFFINITY_FORMAT=L%L_n%n/%N_a%a_t%t/%T_A%A
// RUN: unbound
// RUN: bound OMP_PLACES={0},{1} OMP_PROC_BIND=close
// RUN: nested OMP_PLACES={0},{1} OMP_PROC_BIND=spread,close OMP_MAX_ACTIVE_LEVELS=2
// RUN: long OMP_AFFINITY_FORMAT=%{nesting_level}:%.3{thread_num}:%0.4{num_threads}:%{thread_affinity} OMP_PLACES={1},{0}

static int count;

/* A body GCC cannot drop (an empty region is compiled away). */
static void work(void)
{
#pragma omp atomic
    count++;
}

static void mark(const char *what)
{
    printf("-- %s\n", what);
}

int main(void)
{
    check_runtime();
    setvbuf(stdout, NULL, _IONBF, 0);
    CHECK(dup2(1, 2) == 2, "dup2");
    mark("2 threads");
#pragma omp parallel num_threads(2)
    work();
    mark("2 threads again");
#pragma omp parallel num_threads(2)
    work();
    mark("3 threads");
#pragma omp parallel num_threads(3)
    work();
    mark("1 thread");
#pragma omp parallel num_threads(1)
    work();
    mark("3 threads again");
#pragma omp parallel num_threads(3)
    work();
    mark("2 threads, nested 2");
#pragma omp parallel num_threads(2)
    {
#pragma omp barrier
#pragma omp master
        {
#pragma omp parallel num_threads(2)
            work();
        }
    }
    mark("2 threads, primary");
#if defined(__clang__) /* clang 14 knows only the older spelling, same meaning */
#pragma omp parallel num_threads(2) proc_bind(master)
#else
#pragma omp parallel num_threads(2) proc_bind(primary)
#endif
    work();
    mark("2 threads, primary again");
#if defined(__clang__) /* clang 14 knows only the older spelling, same meaning */
#pragma omp parallel num_threads(2) proc_bind(master)
#else
#pragma omp parallel num_threads(2) proc_bind(primary)
#endif
    work();
    mark("2 threads, spread");
#pragma omp parallel num_threads(2) proc_bind(spread)
    work();
    mark("end");
    printf("bodies run: %d\n", count);
    return 0;
}
