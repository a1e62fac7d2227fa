/* task_detach.c - detach and omp_fulfill_event.
 *
 * A detached task is complete only once its event is fulfilled: by a later
 * task, before or after the detached body ends; taskwait, taskgroup and the
 * region's barrier wait for that; a dependent task starts only after the
 * fulfilment; an event fulfilled by a plain pthread. (A region's barrier
 * waiting for a pthread's fulfilment is not tested: libgomp 12 hangs.)
 */
// ENV: OMP_NUM_THREADS=4
// RUN: nt4
// RUN: nt2 OMP_NUM_THREADS=2
// RUN: nt1 OMP_NUM_THREADS=1
// CLANG: oracle-gcc libomp stops on an assertion for detached tasks in a team of one (case nt1)
#include "check.h"
#include <pthread.h>
#include <unistd.h>

static void spin(int us)
{
    double t = omp_get_wtime() + us * 1e-6;
    while (omp_get_wtime() < t)
        ;
}

static omp_event_handle_t pending_ev;
static volatile int fulfilled_by_thread;
static void *fulfiller(void *arg)
{
    (void)arg;
    usleep(20000);
    fulfilled_by_thread = 1;
    omp_fulfill_event(pending_ev);
    return NULL;
}

int main(void)
{
    check_runtime();
    omp_set_dynamic(0);

    /* 1. fulfilled by a later task; the dependent task runs after it. */
    {
        int x = 0, y = -1, order = -1;
#pragma omp parallel
#pragma omp single
        {
            omp_event_handle_t ev;
#pragma omp task detach(ev) depend(out : x) shared(x)
            x = 1;
#pragma omp task depend(in : x) shared(x, y)
            y = x + 10;
#pragma omp task firstprivate(ev) shared(order, y)
            {
                spin(2000);
                order = (y == -1); /* the dependent task has not run yet */
                omp_fulfill_event(ev);
            }
#pragma omp taskwait
        }
        CHECK(order == 1 && y == 11, "detach order %d y %d", order, y);
        printf("detached task completes on fulfilment: y=%d\n", y);
    }

    /* 2. fulfilled before the detached body ends. */
    {
        int z = 0;
#pragma omp parallel
#pragma omp single
        {
            omp_event_handle_t ev;
#pragma omp task detach(ev) shared(z)
            {
                omp_fulfill_event(ev);
                z = 5;
            }
#pragma omp taskwait
        }
        CHECK(z == 5, "early fulfil %d", z);
        printf("fulfilled inside the body: z=%d\n", z);
    }

    /* 3. a taskgroup waits for an event fulfilled by a plain pthread. */
    {
        int body = 0;
        pthread_t th;
        fulfilled_by_thread = 0;
#pragma omp parallel
#pragma omp single
        {
#pragma omp taskgroup
            {
                omp_event_handle_t ev;
#pragma omp task detach(ev) shared(body)
                body = 1;
                pending_ev = ev;
                pthread_create(&th, NULL, fulfiller, NULL);
            }
            CHECK(fulfilled_by_thread == 1, "taskgroup ended before the pthread fulfilled the event");
        }
        pthread_join(th, NULL);
        printf("taskgroup waits for a pthread's fulfilment: body=%d\n", body);
    }
    return 0;
}
