/* core_static_dtor.cc - the runtime from C++ static destructors.
 *
 * Static objects are destroyed after main returns (or exit is called),
 * after glibc ran the thread-local destructors: a runtime that keeps its
 * per-thread state in destructible TLS has lost it by then.  Two objects
 * use the runtime in their destructors: a global one (registered before
 * main, destroyed last) and a function-local static (constructed, hence
 * destroyed, in between).  Each runs omp_get_num_threads, a parallel region
 * with a reduction, a task and a lock, and prints without flushing: an
 * abort in a destructor loses the buffered output.
 */
// RUN: return
// RUN: exit MODE_EXIT=1
// RUN: passive MODE_EXIT=1 OMP_WAIT_POLICY=passive
// ENV: OMP_NUM_THREADS=4
// TIMEOUT: 20
#include "check.h"

namespace {

class OmpLock {
  public:
    OmpLock() { omp_init_lock(&lock_); }
    ~OmpLock() { omp_destroy_lock(&lock_); }
    OmpLock(const OmpLock &) = delete;
    OmpLock &operator=(const OmpLock &) = delete;
    void set() { omp_set_lock(&lock_); }
    void unset() { omp_unset_lock(&lock_); }

  private:
    omp_lock_t lock_;
};

void use_runtime(const char *who)
{
    long sum = 0;
    int team = 0, task_ran = 0, counted = 0;
    OmpLock lock;

    printf("%s: outside: num_threads=%d thread_num=%d max_threads=%d\n", who,
           omp_get_num_threads(), omp_get_thread_num(), omp_get_max_threads());
#pragma omp parallel reduction(+ : sum)
    {
        sum += omp_get_thread_num() + 1;
#pragma omp single
        {
            team = omp_get_num_threads();
#pragma omp task shared(task_ran)
            task_ran = 1;
        }
        lock.set();
        counted++;
        lock.unset();
    }
    CHECK(team == 3, "%s: team of %d, want 3", who, team);
    CHECK(sum == 6, "%s: reduction %ld, want 6", who, sum);
    CHECK(task_ran == 1, "%s: the task did not run", who);
    CHECK(counted == 3, "%s: lock-protected count %d, want 3", who, counted);
    printf("%s: region: team=%d sum=%ld task=%d counted=%d\n", who, team, sum, task_ran,
           counted);
}

struct UsesRuntimeWhenDestroyed {
    const char *who;
    explicit UsesRuntimeWhenDestroyed(const char *w) : who(w) {}
    ~UsesRuntimeWhenDestroyed() { use_runtime(who); }
};

UsesRuntimeWhenDestroyed global_object("global static");

void make_local_static()
{
    static UsesRuntimeWhenDestroyed local_object("local static");
    (void)local_object;
}

} // namespace

int main()
{
    long sum = 0;
    check_runtime();
    omp_set_dynamic(0);
    omp_set_num_threads(3);
#pragma omp parallel reduction(+ : sum)
    sum += omp_get_thread_num() + 1;
    CHECK(sum == 6, "main: reduction %ld, want 6", sum);
    make_local_static();
    printf("main: region sum=%ld\n", sum);
    if (getenv("MODE_EXIT"))
        exit(0);
    return 0;
}
