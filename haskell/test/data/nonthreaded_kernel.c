#include <omp.h>
int hsomp_test_team_size(void)
{
    int n = 0;
#pragma omp parallel
    {
        if (omp_get_thread_num() == 0) n = omp_get_num_threads();
    }
    return n;
}
