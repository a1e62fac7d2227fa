/* jacobi.c - hybrid MPI + OpenMP: a 2-D Jacobi iteration whose rows are split
 * across MPI ranks (halo rows exchanged each sweep) and whose sweeps run on an
 * OpenMP team inside each rank.  MPI_THREAD_FUNNELED: only the master thread
 * of each team calls MPI, inside the region (`omp master` + barrier).
 *
 * Every rank also computes the whole grid serially (the single-process
 * reference) and compares its own rows with it: a Jacobi point update reads
 * only the previous sweep, so the distributed result must be bit-for-bit the
 * serial one.  Rank 0 prints the verdict; stdout is deterministic.
 *
 * RUN: np2 NP=2 OMP_NUM_THREADS=2
 * RUN: np3 NP=3 OMP_NUM_THREADS=3
 * RUN: np4 NP=4 OMP_NUM_THREADS=2
 */
#include "../conformance/check.h"
#include <math.h>
#include <mpi.h>

#define NX 96    /* interior rows (split across ranks) */
#define NY 64    /* interior columns */
#define ITERS 200
#define RES_EVERY 50

/* The source term and the boundary: anything non-trivial and exact. */
static double source(int gi, int j) { return (double)((gi * 7 + j * 3) % 11) / 1024.0; }
static double boundary(int gi, int j) { return gi == 0 ? 1.0 + j / 64.0 : 0.0; }

/* One point of one sweep; the same code serves the reference and the ranks. */
static inline double update(const double *up, const double *mid, const double *down, int j,
                            double f)
{
    return 0.25 * (up[j] + down[j] + mid[j - 1] + mid[j + 1]) + f;
}

#define AT(g, i, j) ((g)[(size_t)(i) * (NY + 2) + (j)])

/* Fill rows [0, rows+2) of a grid whose first row is global row `g0`. */
static void init_grid(double *g, int g0, int rows)
{
    for (int i = 0; i < rows + 2; i++)
        for (int j = 0; j < NY + 2; j++)
            AT(g, i, j) = (g0 + i == 0 || g0 + i == NX + 1 || j == 0 || j == NY + 1)
                              ? boundary(g0 + i, j)
                              : 0.0;
}

/* The whole grid after ITERS sweeps on one thread, and the squared change
 * of every RES_EVERY-th sweep in res[]. */
static double *serial_reference(double *res)
{
    double *a = malloc(sizeof(double) * (NX + 2) * (NY + 2));
    double *b = malloc(sizeof(double) * (NX + 2) * (NY + 2));
    CHECK(a && b, "out of memory");
    init_grid(a, 0, NX);
    init_grid(b, 0, NX);
    for (int it = 0; it < ITERS; it++) {
        double r = 0.0;
        for (int i = 1; i <= NX; i++)
            for (int j = 1; j <= NY; j++) {
                double v = update(&AT(a, i - 1, 0), &AT(a, i, 0), &AT(a, i + 1, 0), j,
                                  source(i, j));
                r += (v - AT(a, i, j)) * (v - AT(a, i, j));
                AT(b, i, j) = v;
            }
        if ((it + 1) % RES_EVERY == 0)
            res[it / RES_EVERY] = r;
        double *t = a;
        a = b;
        b = t;
    }
    free(b);
    return a;
}

int main(int argc, char **argv)
{
    int provided, rank, size;
    MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
    check_runtime();
    CHECK(provided >= MPI_THREAD_FUNNELED, "MPI gives thread level %d", provided);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    CHECK(size <= NX, "%d ranks for %d rows", size, NX);

    /* Rows [g0+1, g0+rows] of the interior are this rank's. */
    int rows = NX / size + (rank < NX % size);
    int g0 = rank * (NX / size) + (rank < NX % size ? rank : NX % size);
    int up = rank > 0 ? rank - 1 : MPI_PROC_NULL;
    int down = rank < size - 1 ? rank + 1 : MPI_PROC_NULL;
    double *a = malloc(sizeof(double) * (rows + 2) * (NY + 2));
    double *b = malloc(sizeof(double) * (rows + 2) * (NY + 2));
    CHECK(a && b, "out of memory");
    init_grid(a, g0, rows);
    init_grid(b, g0, rows);

    int nthreads = omp_get_max_threads();
    double res[ITERS / RES_EVERY];
    double change[ITERS] = {0}; /* squared change of each sweep, this rank's rows */
    double *mine = NULL; /* the rank's grid after the last sweep */
    int bad_team = 0, not_main = 0;
#pragma omp parallel firstprivate(a, b) reduction(+ : bad_team, not_main)
    {
        if (omp_get_num_threads() != nthreads)
            bad_team++;
        for (int it = 0; it < ITERS; it++) {
#pragma omp master
            {
                int is_main;
                MPI_Is_thread_main(&is_main);
                if (!is_main)
                    not_main++;
                /* first interior row up, last interior row down; halos in */
                MPI_Sendrecv(&AT(a, 1, 0), NY + 2, MPI_DOUBLE, up, 0, &AT(a, rows + 1, 0),
                             NY + 2, MPI_DOUBLE, down, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
                MPI_Sendrecv(&AT(a, rows, 0), NY + 2, MPI_DOUBLE, down, 1, &AT(a, 0, 0), NY + 2,
                             MPI_DOUBLE, up, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            }
#pragma omp barrier
#pragma omp for schedule(static) reduction(+ : change[it : 1])
            for (int i = 1; i <= rows; i++)
                for (int j = 1; j <= NY; j++) {
                    double v = update(&AT(a, i - 1, 0), &AT(a, i, 0), &AT(a, i + 1, 0), j,
                                      source(g0 + i, j));
                    change[it] += (v - AT(a, i, j)) * (v - AT(a, i, j));
                    AT(b, i, j) = v;
                }
            if ((it + 1) % RES_EVERY == 0) {
#pragma omp master
                MPI_Allreduce(&change[it], &res[it / RES_EVERY], 1, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
            }
            double *t = a;
            a = b;
            b = t;
        }
#pragma omp master
        mine = a;
    }
    CHECK(bad_team == 0, "%d threads saw a team other than %d", bad_team, nthreads);
    CHECK(not_main == 0, "the master of the team is not MPI's main thread");

    double ref_res[ITERS / RES_EVERY];
    double *ref = serial_reference(ref_res);
    double maxdiff = 0.0;
    for (int i = 1; i <= rows; i++)
        for (int j = 1; j <= NY; j++) {
            double d = fabs(AT(mine, i, j) - AT(ref, g0 + i, j));
            if (d > maxdiff)
                maxdiff = d;
        }
    double gmax;
    MPI_Allreduce(&maxdiff, &gmax, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
    double checksum = 0.0;
    for (int i = 1; i <= NX; i++)
        for (int j = 1; j <= NY; j++)
            checksum += AT(ref, i, j);
    /* The reduced residuals were summed in another order: equal up to rounding;
     * rank 0 prints the serial ones. */
    int res_bad = 0;
    for (int k = 0; k < ITERS / RES_EVERY; k++)
        if (fabs(res[k] - ref_res[k]) > 1e-9 * ref_res[k])
            res_bad++;
    if (rank == 0) {
        printf("jacobi %dx%d, %d sweeps, %d ranks x %d threads\n", NX, NY, ITERS, size, nthreads);
        printf("max |distributed - serial| = %g\n", gmax);
        printf("serial checksum = %.12e\n", checksum);
        for (int k = 0; k < ITERS / RES_EVERY; k++)
            printf("residual after %d sweeps = %.6e\n", (k + 1) * RES_EVERY, ref_res[k]);
    }
    free(ref);
    free(a);
    free(b);
    MPI_Finalize();
    if (gmax != 0.0)
        fail("the distributed grid differs from the serial one by up to %g", gmax);
    if (res_bad)
        fail("%d reduced residuals differ from the serial ones", res_bad);
    return 0;
}
