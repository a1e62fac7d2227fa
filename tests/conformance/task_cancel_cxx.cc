/* task_cancel_cxx.cc - C++ firstprivate objects of tasks that `cancel
 * taskgroup` discards: under LLVM's ABI the compiler has already
 * constructed them in the task, and the runtime must run their destructors
 * (clang's destructors thunk) whether the task was discarded when created
 * or when about to run. GCC's ABI gives the runtime no destructor to call
 * (libgomp leaks such copies), so the count is checked in clang builds only.
 */
// ENV: OMP_CANCELLATION=true OMP_NUM_THREADS=4
// RUN: nt4
// RUN: nt2 OMP_NUM_THREADS=2
// RUN: nt1 OMP_NUM_THREADS=1
#include "check.h"

static int live = 0;

struct Obj {
    long v;
    explicit Obj(long x) : v(x) { count(1); }
    Obj(const Obj &o) : v(o.v) { count(1); }
    Obj &operator=(const Obj &) = delete;
    ~Obj() { count(-1); }
    static void count(int d)
    {
#pragma omp atomic
        live += d;
    }
};

static void spin_us(int us)
{
    double t = omp_get_wtime() + us * 1e-6;
    while (omp_get_wtime() < t)
        ;
}

int main()
{
    check_runtime();
    omp_set_dynamic(0);
    CHECK(omp_get_cancellation(), "OMP_CANCELLATION=true not seen");
    int ran = 0;
    {
        Obj o(1);
#pragma omp parallel
#pragma omp single
#pragma omp taskgroup
        for (int i = 0; i < 400; i++) {
#pragma omp task firstprivate(o) shared(ran)
            {
                if (i == 3) {
#pragma omp cancel taskgroup
                }
#pragma omp atomic
                ran += (int)o.v;
                spin_us(50);
            }
            if (i == 200)
                spin_us(2000);
        }
        CHECK(ran >= 1 && ran < 400, "%d of 400 tasks ran: the cancel discarded none", ran);
#if defined(__clang__)
        CHECK(live == 1, "%d objects alive after the taskgroup (1 expected)", live);
#endif
    }
#if defined(__clang__)
    CHECK(live == 0, "%d objects alive at the end", live);
#endif
    printf("cancelled taskgroup: copies of discarded tasks destroyed\n");
    return 0;
}
