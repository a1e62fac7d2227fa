/* task_cxx_firstprivate.cc - C++ objects as firstprivate / lastprivate of
 * tasks and taskloops: every copy is constructed once and destroyed once,
 * whether the task is deferred, undeferred (if(0)), included (final), a
 * taskloop chunk (each chunk copies the original) or untied with several
 * parts; the copy the task sees holds the original's value.
 */
// ENV: OMP_NUM_THREADS=4
// RUN: nt4
// RUN: nt1 OMP_NUM_THREADS=1
#include "check.h"

static int live = 0;

struct Obj {
    long v;
    int pad[7];
    Obj() : v(0) { count(1); }
    explicit Obj(long x) : v(x) { count(1); }
    Obj(const Obj &o) : v(o.v) { count(1); }
    Obj &operator=(const Obj &o)
    {
        v = o.v;
        return *this;
    }
    ~Obj() { count(-1); }
    static void count(int d)
    {
#pragma omp atomic
        live += d;
    }
};

int main()
{
    check_runtime();
    omp_set_dynamic(0);
    long seen = 0;
    {
        Obj o(7);
#pragma omp parallel
#pragma omp single
        {
            for (int i = 0; i < 50; i++) {
#pragma omp task firstprivate(o) shared(seen)
                {
#pragma omp atomic
                    seen += o.v;
                }
            }
#pragma omp taskwait
#pragma omp task firstprivate(o) shared(seen) if (0)
            seen += 100 * o.v;
#pragma omp task firstprivate(o) shared(seen) final(1)
            {
#pragma omp task firstprivate(o) shared(seen)
                seen += 1000 * o.v;
            }
#pragma omp task firstprivate(o) shared(seen) untied
            {
                long mine = o.v;
#pragma omp taskyield
                mine += o.v;
#pragma omp taskwait
#pragma omp atomic
                seen += 10000 * mine;
            }
        }
        CHECK(seen == 50 * 7 + 700 + 7000 + 140000, "tasks saw %ld", seen);
        CHECK(live == 1, "%d objects alive after the tasks (1 expected)", live);
        printf("tasks: sum %ld, copies all destroyed\n", seen);
    }
    CHECK(live == 0, "%d objects alive", live);

    {
        Obj base(3), last(0);
        long total = 0;
#pragma omp parallel
#pragma omp single
#pragma omp taskloop firstprivate(base) lastprivate(last) grainsize(10) reduction(+ : total)
        for (int i = 0; i < 100; i++) {
            total += base.v;
            last = Obj(i * base.v);
        }
        CHECK(total == 300 && last.v == 297, "taskloop: total %ld, last %ld", total, last.v);
        CHECK(live == 2, "%d objects alive after the taskloop (2 expected)", live);
        printf("taskloop: total %ld, last %ld, copies all destroyed\n", total, last.v);
    }
    CHECK(live == 0, "%d objects alive at the end", live);
    return 0;
}
