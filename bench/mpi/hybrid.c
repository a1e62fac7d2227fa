/* hybrid.c - the workload of bench/mpi.sh: a 2-D Jacobi whose rows are split
 * across MPI ranks (halo rows exchanged every sweep by the master thread,
 * MPI_THREAD_FUNNELED) and whose sweeps run on an OpenMP team in each rank:
 * one region per run, a barrier and a worksharing loop per sweep, so the
 * runtime's waits (the team barrier, the master's MPI time) matter as much
 * as the arithmetic.
 *
 * usage: mpirun -np N hybrid ROWS_PER_RANK COLS SWEEPS
 * Rank 0 prints "seconds <slowest rank's time> check <sum of the grid>".
 */
#include <mpi.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    int provided, rank, size;
    MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (argc != 4 || provided < MPI_THREAD_FUNNELED) {
        if (rank == 0)
            fprintf(stderr, "usage: mpirun -np N %s ROWS_PER_RANK COLS SWEEPS (needs MPI_THREAD_FUNNELED)\n", argv[0]);
        MPI_Abort(MPI_COMM_WORLD, 2);
    }
    int rows = atoi(argv[1]), cols = atoi(argv[2]), sweeps = atoi(argv[3]);
    int up = rank > 0 ? rank - 1 : MPI_PROC_NULL;
    int down = rank < size - 1 ? rank + 1 : MPI_PROC_NULL;
    size_t w = (size_t)cols + 2;
    double *a = calloc((size_t)(rows + 2) * w, sizeof(double));
    double *b = calloc((size_t)(rows + 2) * w, sizeof(double));
    if (!a || !b)
        MPI_Abort(MPI_COMM_WORLD, 1);
    if (rank == 0)
        for (size_t j = 0; j < w; j++)
            a[j] = b[j] = 1.0; /* the hot top edge */

    MPI_Barrier(MPI_COMM_WORLD);
    double t0 = MPI_Wtime();
#pragma omp parallel firstprivate(a, b)
    for (int it = 0; it < sweeps; it++) {
#pragma omp master
        {
            MPI_Sendrecv(a + w, (int)w, MPI_DOUBLE, up, 0, a + (rows + 1) * w, (int)w, MPI_DOUBLE,
                         down, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            MPI_Sendrecv(a + rows * w, (int)w, MPI_DOUBLE, down, 1, a, (int)w, MPI_DOUBLE, up, 1,
                         MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        }
#pragma omp barrier
#pragma omp for schedule(static)
        for (int i = 1; i <= rows; i++)
            for (size_t j = 1; j <= (size_t)cols; j++)
                b[i * w + j] = 0.25 * (a[(i - 1) * w + j] + a[(i + 1) * w + j] + a[i * w + j - 1] +
                                       a[i * w + j + 1]);
        double *t = a;
        a = b;
        b = t;
    }
    double mine = MPI_Wtime() - t0, slowest;
    double *fin = sweeps % 2 ? b : a, sum = 0.0, total;
    for (int i = 1; i <= rows; i++)
        for (int j = 1; j <= cols; j++)
            sum += fin[i * w + j];
    MPI_Reduce(&mine, &slowest, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
    MPI_Reduce(&sum, &total, 1, MPI_DOUBLE, MPI_SUM, 0, MPI_COMM_WORLD);
    if (rank == 0)
        printf("seconds %.6f check %.10e\n", slowest, total);
    free(a);
    free(b);
    MPI_Finalize();
    return 0;
}
