/* Yield requests: Haskell and OpenMP share the Capabilities promptly.
 *
 * A team thread that needs a Capability held by a busy Haskell thread (a
 * callback into Haskell, a parallelFor chunk, an exclusive claim, a return
 * from a safe foreign call) otherwise waits for the RTS's timer (20 ms,
 * +RTS -C), and a callback then waits again behind every runnable Haskell
 * thread, one time slice each: the in-call's thread joins the back of the
 * run queue. So while such a waiter exists, the shim does what the timer
 * does (contextSwitchCapability: the next heap check fails and the
 * scheduler switches threads), but once per interval (default 200 us)
 * rather than once per tick, until the waiter runs.
 *
 * Who waits: a thread the shim registered (bind_thread/prefer_capability)
 * that enters rts_lock (every foreign export and "wrapper" callback),
 * returns from a safe foreign call (resumeThread) or claims a Capability
 * (claim_cap), when the Capability it wants is contended: held by another
 * Task, or with Haskell threads queued on it (a free one is taken at once
 * and nothing is asked). The Haskell package wraps rts_lock, rts_unlock and
 * resumeThread at link time and calls the hooks at the end of this file;
 * a C host has only claim_cap. A waiter publishes a `waiter` record naming
 * the Capability and its own Task: it waits while another Task runs that
 * Capability. A callback's record stays until rts_unlock, since its bound
 * Haskell thread runs only when its Task gets the Capability back.
 *
 * The pump thread (started on first need) makes the requests. Protocol:
 * `waiters` and the records' links are guarded by pump_lock; a record's
 * cap_no/task fields are written by its owner and read by the pump with
 * relaxed atomics (a stale read costs one extra or one late request; a
 * listed record is never skipped for good: it stays listed until its owner
 * removes it). A waiter that finds its Capability uncontended publishes
 * nothing; if it gets contended just after, that waiter waits for the
 * tick, as without the shim. An
 * owner links its record and signals pump_cond under pump_lock; the pump
 * reads the list under pump_lock before every wait, so a record linked
 * before its scan is seen and every later one signals it. While the list
 * is not empty the pump sleeps at most one interval. It takes no RTS lock
 * and never waits for a Capability, so it is in no deadlock cycle.
 *
 * Bound: each Capability is asked at most once per interval, so the
 * Haskell side keeps most of each interval (a switch costs ~1 us), and a
 * waiter waits about (runnable Haskell threads on its Capability) x
 * interval instead of as many 20 ms slices. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stddef.h>
#include <time.h>
#include "Rts.h"
#include "RtsAPI.h"
#include "shim.h"
#include "internal.h"

/* From offsets.c (DerivedConstants.h, which cannot meet Rts.h). */
extern const size_t hsomp_rts_offset_capability_no;
extern const size_t hsomp_rts_offset_capability_context_switch;
extern const size_t hsomp_rts_offset_capability_hp_lim;
extern const size_t hsomp_rts_offset_capability_running_task;
extern const size_t hsomp_rts_offset_capability_n_run_queue;
extern const int hsomp_rts_capability_layout_known;

/* The RTS's table of Capabilities. It is in no public header and the shared
 * RTS does not export it, hence weak: its address is NULL on the shared RTS
 * (GHCi, -dynamic, a C host on libhsomp.so), where nothing is asked and
 * in-calls wait for the tick. */
extern char **capabilities __attribute__((weak));

/* The table is swapped and the old one freed by setNumCapabilities, and
 * freed for good by hs_exit (freeScheduler); Capabilities themselves live
 * until then. The Haskell package's wrappers of both bump `table_gen`
 * (odd while the table changes, and for ever once the RTS is gone), so a
 * reader takes an entry, then checks the generation before it uses it. In
 * a link without those wrappers (a C host) the RTS only changes the table
 * through hsomp_rts_shutdown, which marks it gone first. */
static unsigned table_gen; /* atomic */
static int rts_gone;       /* atomic: hs_exit freed the Capabilities */

static void table_changing(void) { __atomic_fetch_add(&table_gen, 1, __ATOMIC_ACQ_REL); }

/* Capability `no` (below enabled_capabilities), or NULL: no table, a table
 * changing or gone, or no such Capability. */
static char *capability(unsigned no)
{
    if (&capabilities == NULL || !hsomp_rts_capability_layout_known)
        return NULL;
    unsigned gen = __atomic_load_n(&table_gen, __ATOMIC_ACQUIRE);
    if ((gen & 1) || __atomic_load_n(&rts_gone, __ATOMIC_ACQUIRE))
        return NULL;
    char **table = __atomic_load_n(&capabilities, __ATOMIC_ACQUIRE);
    unsigned n = __atomic_load_n(&enabled_capabilities, __ATOMIC_ACQUIRE);
    char *cap = table != NULL && no < n ? __atomic_load_n(&table[no], __ATOMIC_RELAXED) : NULL;
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    return __atomic_load_n(&table_gen, __ATOMIC_RELAXED) == gen ? cap : NULL;
}

void hsomp_rts_capabilities_changing(void);
void hsomp_rts_capabilities_changing(void) { table_changing(); }
void hsomp_rts_capabilities_changed(void);
void hsomp_rts_capabilities_changed(void) { table_changing(); }

void shim_capabilities_gone(void) { __atomic_store_n(&rts_gone, 1, __ATOMIC_RELEASE); }

void hsomp_rts_capabilities_freed(void);
void hsomp_rts_capabilities_freed(void) { shim_capabilities_gone(); }

#define NEVER UINT64_MAX

static uint64_t interval_ns = 200000; /* atomic; NEVER: requests are off */

/* Shorter intervals would have the pump ask without pause. */
#define MIN_INTERVAL_US 10

void hsomp_rts_set_yield_interval(long long microseconds)
{
    if (microseconds >= 0 && microseconds < MIN_INTERVAL_US)
        microseconds = MIN_INTERVAL_US;
    uint64_t ns = microseconds < 0 ? NEVER : (uint64_t)microseconds * 1000u;
    __atomic_store_n(&interval_ns, ns, __ATOMIC_RELAXED);
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void *running_task(const char *cap)
{
    return __atomic_load_n((void *const *)(cap + hsomp_rts_offset_capability_running_task),
                           __ATOMIC_RELAXED);
}

/* Whether a thread that wants `cap` would wait: another Task holds it, or
 * Haskell threads are queued on it (an in-call's thread joins the back of
 * that queue even when it got the Capability at once). */
static int contended(const char *cap)
{
    return running_task(cap) != NULL ||
           __atomic_load_n((const uint32_t *)(cap + hsomp_rts_offset_capability_n_run_queue),
                           __ATOMIC_RELAXED) != 0;
}

/* contextSwitchCapability, as the timer does it; both writes race with the
 * mutator by design, in the RTS as here. */
static unsigned long long requests_made; /* atomic */

static void request_context_switch(char *cap)
{
    __atomic_fetch_add(&requests_made, 1, __ATOMIC_RELAXED);
    __atomic_store_n((void **)(cap + hsomp_rts_offset_capability_hp_lim), NULL, __ATOMIC_RELAXED);
    __atomic_store_n((int *)(cap + hsomp_rts_offset_capability_context_switch), 1, __ATOMIC_RELAXED);
}

/* One thread waiting for a Capability. */
struct waiter {
    unsigned cap_no;     /* atomic: the Capability waited for */
    void *task;          /* atomic: the waiter's Task once it holds the
                          * Capability (NULL before); it waits while another
                          * Task runs the Capability */
    struct waiter *next; /* under pump_lock */
};

#define SLOTS 256 /* Capability k is rate-limited in slot k % SLOTS; those
                   * sharing a slot share its bound */

static pthread_mutex_t pump_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pump_cond;      /* CLOCK_MONOTONIC; set up by start_pump */
static struct waiter *waiters;        /* under pump_lock */
static uint64_t asked_at[SLOTS];      /* under pump_lock: last request per slot */
static int pump_state;                /* under pump_lock: 0 none, 1 running, -1 failed */

/* Under pump_lock: ask for the Capabilities of the waiters whose turn has
 * come; returns when the next turn is due (NEVER when none is pending). */
static uint64_t ask_due(uint64_t now, uint64_t interval)
{
    uint64_t next = NEVER;
    unsigned n = enabled_capabilities;
    if (interval == NEVER)
        return NEVER;
    for (struct waiter *w = waiters; w != NULL; w = w->next) {
        unsigned no = __atomic_load_n(&w->cap_no, __ATOMIC_RELAXED);
        if (no >= n)
            continue;
        char *cap = capability(no);
        if (cap == NULL)
            continue;
        void *holder = running_task(cap);
        if (holder == NULL || holder == __atomic_load_n(&w->task, __ATOMIC_RELAXED))
            continue; /* free, or the waiter runs: nothing to ask */
        uint64_t *last = &asked_at[no % SLOTS];
        if (now - *last >= interval) {
            request_context_switch(cap);
            *last = now;
        }
        if (*last + interval < next)
            next = *last + interval;
    }
    return next;
}

static void *pump_main(void *unused)
{
    (void)unused;
    pthread_mutex_lock(&pump_lock);
    for (;;) {
        uint64_t interval = __atomic_load_n(&interval_ns, __ATOMIC_RELAXED);
        uint64_t due = waiters == NULL ? NEVER : ask_due(now_ns(), interval);
        if (waiters == NULL) {
            pthread_cond_wait(&pump_cond, &pump_lock);
        } else {
            /* A waiter whose Capability is free or who runs already is
             * looked at again after one interval. */
            if (due == NEVER)
                due = now_ns() + (interval == NEVER ? 1000000000u : interval);
            struct timespec until = {(time_t)(due / 1000000000u), (long)(due % 1000000000u)};
            pthread_cond_timedwait(&pump_cond, &pump_lock, &until);
        }
    }
    return NULL;
}

/* Under pump_lock: 1 when the pump runs (started now or before). */
static int start_pump(void)
{
    if (pump_state != 0)
        return pump_state > 0;
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&pump_cond, &attr);
    pthread_condattr_destroy(&attr);
    pthread_attr_t tattr;
    pthread_attr_init(&tattr);
    pthread_attr_setdetachstate(&tattr, PTHREAD_CREATE_DETACHED);
    /* No signal of the host's or the RTS's is handled on the pump. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pthread_t thread;
    pump_state = pthread_create(&thread, &tattr, pump_main, NULL) == 0 ? 1 : -1;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    pthread_attr_destroy(&tattr);
    return pump_state > 0;
}

/* The calling thread's RTS Task, as last seen holding a Capability (NULL
 * before): a waiter that already holds its Capability is not to be asked
 * for it. */
static __thread void *my_task;

/* Publish `w` as waiting for Capability `no` if it is contended, or, with
 * `always`, in any case. Returns 1 when published (the caller withdraws it
 * with stop_waiting). Keeps errno: resumeThread's caller relies on it. */
static int wait_for(struct waiter *w, unsigned no, void *task, int always)
{
    unsigned n = enabled_capabilities;
    if (n == 0 || __atomic_load_n(&interval_ns, __ATOMIC_RELAXED) == NEVER)
        return 0;
    no %= n;
    char *cap = capability(no);
    if (cap == NULL || (!always && !contended(cap)))
        return 0;
    int saved_errno = errno;
    w->cap_no = no;
    w->task = task;
    pthread_mutex_lock(&pump_lock);
    int published = start_pump();
    if (published) {
        w->next = waiters;
        waiters = w;
        ask_due(now_ns(), __atomic_load_n(&interval_ns, __ATOMIC_RELAXED));
        pthread_cond_signal(&pump_cond);
    }
    pthread_mutex_unlock(&pump_lock);
    errno = saved_errno;
    return published;
}

static void stop_waiting(struct waiter *w)
{
    int saved_errno = errno;
    pthread_mutex_lock(&pump_lock);
    for (struct waiter **p = &waiters; *p != NULL; p = &(*p)->next) {
        if (*p == w) {
            *p = w->next;
            break;
        }
    }
    pthread_mutex_unlock(&pump_lock);
    errno = saved_errno;
}

/* In the child of fork(): no pump runs there and its lock may have been
 * held by it; nothing is published any more (the shim is detached). */
void shim_yield_after_fork(void)
{
    pthread_mutex_t fresh = PTHREAD_MUTEX_INITIALIZER;
    pump_lock = fresh;
    waiters = NULL;
    pump_state = 0;
}

Capability *shim_lock_capability(void)
{
    struct waiter w;
    unsigned preferred;
    int waiting = shim_preferred_capability(&preferred) && wait_for(&w, preferred, my_task, 0);
    Capability *cap = rts_lock();
    if (waiting)
        stop_waiting(&w);
    return cap;
}

/* The hooks of the Haskell package's link-time wrappers
 * (haskell/cbits/hsomp_yield.c wraps rts_lock, rts_unlock, resumeThread,
 * setNumCapabilities and freeScheduler).
 *
 * An in-call (rts_lock .. rts_unlock; they nest when a callback calls C
 * that calls back) publishes the thread's `incall` record at most once, at
 * the outermost depth that finds its Capability contended, before
 * rts_lock or right after it (threads queued on the Capability it got);
 * the record stays listed until the matching rts_unlock, because the
 * in-call's Haskell thread joins the back of the run queue. While that
 * thread blocks or makes a safe call the record stays listed and the
 * Capability is asked once per interval for nothing: bounded waste. */
static __thread struct waiter incall;
static __thread unsigned incall_depth, published_depth;

void hsomp_rts_lock_enter(void);
void hsomp_rts_lock_enter(void)
{
    unsigned preferred;
    unsigned depth = ++incall_depth;
    if (published_depth == 0 && shim_preferred_capability(&preferred) &&
        wait_for(&incall, preferred, my_task, 0))
        published_depth = depth;
}

void hsomp_rts_lock_held(Capability *cap);
void hsomp_rts_lock_held(Capability *cap)
{
    unsigned preferred;
    char *c = (char *)cap;
    /* This Task holds `cap` now, so its running_task is this Task: the rest
     * of the in-call waits until this Task runs it again, with the
     * callback's bound Haskell thread. */
    void *task = running_task(c);
    unsigned no = *(const uint32_t *)(c + hsomp_rts_offset_capability_no);
    my_task = task;
    if (published_depth == 0) {
        if (shim_preferred_capability(&preferred) &&
            __atomic_load_n((const uint32_t *)(c + hsomp_rts_offset_capability_n_run_queue),
                            __ATOMIC_RELAXED) != 0 &&
            wait_for(&incall, no, task, 1))
            published_depth = incall_depth;
        return;
    }
    if (published_depth == incall_depth) {
        __atomic_store_n(&incall.cap_no, no, __ATOMIC_RELAXED);
        __atomic_store_n(&incall.task, task, __ATOMIC_RELAXED);
    }
}

void hsomp_rts_unlock_enter(void);
void hsomp_rts_unlock_enter(void)
{
    if (published_depth != 0 && published_depth == incall_depth) {
        stop_waiting(&incall);
        published_depth = 0;
    }
    if (incall_depth > 0)
        incall_depth--;
}

/* A return from a safe foreign call (resumeThread, whose argument is the
 * returning Task) by a thread that has run an OpenMP region waits for the
 * Capability it left. Returns do not nest, so one record per thread serves. */
static __thread struct waiter resuming;

int hsomp_rts_resume_enter(void *task);
int hsomp_rts_resume_enter(void *task)
{
    int last = hsomp_rts_last_capability();
    return last >= 0 && wait_for(&resuming, (unsigned)last, task, 0);
}

void hsomp_rts_resume_leave(void);
void hsomp_rts_resume_leave(void) { stop_waiting(&resuming); }

unsigned long long hsomp_rts_yield_requests(void)
{
    return __atomic_load_n(&requests_made, __ATOMIC_RELAXED);
}

int hsomp_rts_busy_capabilities(int except)
{
    unsigned n = enabled_capabilities;
    if (n == 0 || capability(0) == NULL)
        return -1;
    int busy = 0;
    for (unsigned no = 0; no < n; no++) {
        char *cap = capability(no);
        if (cap == NULL)
            return -1;
        if ((int)no != except && running_task(cap) != NULL)
            busy++;
    }
    return busy;
}
