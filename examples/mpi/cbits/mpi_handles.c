/* The MPI handles a Haskell rank program needs.  In Open MPI, MPI_COMM_WORLD,
 * MPI_DOUBLE and MPI_SUM are macros naming the addresses of library globals
 * (and MPI_THREAD_* are enum values): Haskell cannot spell them in a
 * `foreign import`, so these functions hand them over.  The MPI calls
 * themselves are imported straight from libmpi (MpiRank.hs). */
#include <mpi.h>

MPI_Comm hsomp_mpi_comm_world(void) { return MPI_COMM_WORLD; }
MPI_Datatype hsomp_mpi_double(void) { return MPI_DOUBLE; }
MPI_Op hsomp_mpi_sum(void) { return MPI_SUM; }
int hsomp_mpi_thread_funneled(void) { return MPI_THREAD_FUNNELED; }
