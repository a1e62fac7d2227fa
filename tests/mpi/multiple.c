/* multiple.c - hybrid MPI + OpenMP under MPI_THREAD_MULTIPLE: many OpenMP
 * threads of each rank make MPI calls at the same time.
 *
 * At once, in every rank:
 *  - NPTH pthreads each open a root parallel region of TEAM threads;
 *  - the main thread opens a nested region (OUTER x INNER threads, two
 *    active levels).
 * Every OpenMP thread k of those teams (k unique within the rank) runs
 * ROUNDS exchanges round the ring of ranks: MPI_Sendrecv with tag k (its
 * right neighbour's thread k receives it), and an MPI_Allreduce on its own
 * communicator (a duplicate of MPI_COMM_WORLD per k, so concurrent
 * collectives never share one).  Before that, thread 0 of every team waits
 * inside MPI_Recv for a message from thread 1 of its team (`handshake`).
 * Every received value is checked.  Rank 0
 * prints the totals; stdout is deterministic.
 *
 * RUN: np2 NP=2
 * RUN: np3 NP=3
 * RUN: np4 NP=4
 */
#include "../conformance/check.h"
#include <mpi.h>
#include <pthread.h>

#define NPTH 3   /* pthreads opening root regions */
#define TEAM 2   /* threads of each root region */
#define OUTER 2  /* nested region: outer team */
#define INNER 2  /* nested region: each inner team */
#define NK (NPTH * TEAM + OUTER * INNER)
#define ROUNDS 20
#define LEN 32

static int rank, size;
static MPI_Comm comm[NK];
static int errors;    /* wrong values received (atomic updates) */
static int exchanges; /* exchanges completed (atomic updates) */
static int bad_teams; /* OpenMP threads that saw an unexpected team shape */

static int value(int from, int k, int round, int i) { return ((from * NK + k) * ROUNDS + round) * LEN + i; }

/* The exchanges of OpenMP thread k of this rank. */
static void exchange(int k)
{
    int right = (rank + 1) % size, left = (rank + size - 1) % size;
    int out[LEN], in[LEN];
    int bad = 0;
    for (int round = 0; round < ROUNDS; round++) {
        for (int i = 0; i < LEN; i++)
            out[i] = value(rank, k, round, i);
        MPI_Sendrecv(out, LEN, MPI_INT, right, k, in, LEN, MPI_INT, left, k, MPI_COMM_WORLD,
                     MPI_STATUS_IGNORE);
        for (int i = 0; i < LEN; i++)
            if (in[i] != value(left, k, round, i))
                bad++;
        long mine = 1000L * rank + k + round, sum = 0;
        MPI_Allreduce(&mine, &sum, 1, MPI_LONG, MPI_SUM, comm[k]);
        if (sum != 1000L * size * (size - 1) / 2 + (long)size * (k + round))
            bad++;
    }
#pragma omp atomic
    errors += bad;
#pragma omp atomic
    exchanges += ROUNDS;
}

/* Two threads of one team inside MPI at once, for certain: thread 0 blocks
 * in MPI_Recv until thread 1 of its team sends it a message (to its own
 * rank).  A runtime that ran the members of a team one after another would
 * hang here (the runner's timeout), and so would an MPI that let only one
 * thread in. */
static void handshake(int tag)
{
    int token = omp_get_thread_num() == 0 ? -1 : tag;
    if (omp_get_thread_num() == 0) {
        MPI_Recv(&token, 1, MPI_INT, rank, tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        if (token != tag) {
#pragma omp atomic
            errors++;
        }
    } else if (omp_get_thread_num() == 1) {
        MPI_Send(&token, 1, MPI_INT, rank, tag, MPI_COMM_WORLD);
    }
}

static void *root_region(void *arg)
{
    int p = (int)(long)arg;
#pragma omp parallel num_threads(TEAM)
    {
        if (omp_get_num_threads() != TEAM || omp_get_level() != 1) {
#pragma omp atomic
            bad_teams++;
        }
        handshake(NK + p);
        exchange(p * TEAM + omp_get_thread_num());
    }
    return NULL;
}

static void nested_region(void)
{
    omp_set_max_active_levels(2);
#pragma omp parallel num_threads(OUTER)
    {
        int o = omp_get_thread_num();
#pragma omp parallel num_threads(INNER)
        {
            if (omp_get_num_threads() != INNER || omp_get_active_level() != 2 ||
                omp_get_ancestor_thread_num(1) != o) {
#pragma omp atomic
                bad_teams++;
            }
            handshake(NK + NPTH + o);
            exchange(NPTH * TEAM + o * INNER + omp_get_thread_num());
        }
    }
}

int main(int argc, char **argv)
{
    int provided;
    MPI_Init_thread(&argc, &argv, MPI_THREAD_MULTIPLE, &provided);
    check_runtime();
    CHECK(provided == MPI_THREAD_MULTIPLE, "MPI gives thread level %d, not MPI_THREAD_MULTIPLE",
          provided);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    for (int k = 0; k < NK; k++)
        MPI_Comm_dup(MPI_COMM_WORLD, &comm[k]);

    pthread_t th[NPTH];
    for (int p = 0; p < NPTH; p++)
        CHECK(pthread_create(&th[p], NULL, root_region, (void *)(long)p) == 0, "pthread_create");
    nested_region();
    for (int p = 0; p < NPTH; p++)
        pthread_join(th[p], NULL);

    int total[3], local[3] = {errors, exchanges, bad_teams};
    MPI_Reduce(local, total, 3, MPI_INT, MPI_SUM, 0, MPI_COMM_WORLD);
    if (rank == 0) {
        printf("MPI_THREAD_MULTIPLE, %d ranks x %d OpenMP threads making MPI calls\n", size, NK);
        printf("%d pthreads with root teams of %d, one nested team %dx%d\n", NPTH, TEAM, OUTER,
               INNER);
        printf("exchanges: %d, wrong values: %d, unexpected teams: %d\n", total[1], total[0],
               total[2]);
    }
    for (int k = 0; k < NK; k++)
        MPI_Comm_free(&comm[k]);
    MPI_Finalize();
    if (rank == 0 && (total[0] || total[2] || total[1] != size * NK * ROUNDS))
        fail("%d wrong values, %d unexpected teams, %d of %d exchanges", total[0], total[2],
             total[1], size * NK * ROUNDS);
    return 0;
}
