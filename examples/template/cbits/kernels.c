#include <math.h>
#include <omp.h>
#include <stdint.h>

/* Sum of sqrt(a[i]) over a team of OpenMP threads. */
double my_sum_sqrt(const double *a, int64_t n)
{
    double s = 0;
#pragma omp parallel for reduction(+ : s) schedule(static)
    for (int64_t i = 0; i < n; i++) s += sqrt(a[i]);
    return s;
}

/* The team size a default region gets. */
int my_team_size(void)
{
    int n = 0;
#pragma omp parallel
#pragma omp single
    n = omp_get_num_threads();
    return n;
}
