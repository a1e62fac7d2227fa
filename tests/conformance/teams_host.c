/* teams_host.c - `teams` on the host: a league runs its teams one after
 * another on the encountering thread with omp_get_team_num/omp_get_num_teams
 * set (also in the threads of a parallel region inside a team), num_teams
 * and thread_limit clauses, OMP_NUM_TEAMS / OMP_TEAMS_THREAD_LIMIT, the
 * default league size, and `target teams` (GOMP_teams4).
 */
// ENV: OMP_NUM_THREADS=3
// RUN: default
// RUN: env OMP_NUM_TEAMS=5 OMP_TEAMS_THREAD_LIMIT=2
// CLANG: oracle-gcc libomp's implementation-defined league sizes differ (1 team by default, num_teams cut to fit the thread limit)
#include "check.h"

int main(void)
{
    int seen[16] = {0}, inner[16] = {0}, n = 0, lim[16] = {0};

    check_runtime();
    printf("outside: teams=%d team=%d max_teams=%d teams_thread_limit=%d\n", omp_get_num_teams(),
           omp_get_team_num(), omp_get_max_teams(), omp_get_teams_thread_limit());

#pragma omp teams num_teams(4) thread_limit(2)
    {
        int t = omp_get_team_num();
        seen[t]++;
        if (t == 0)
            n = omp_get_num_teams();
#pragma omp parallel
        {
#pragma omp atomic
            inner[t] += 100 + (omp_get_team_num() == t);
            if (omp_get_thread_num() == 0)
                lim[t] = omp_get_num_threads() * 10 + omp_get_thread_limit();
        }
    }
    printf("teams(4): n=%d", n);
    for (int t = 0; t < 4; t++)
        printf(" [%d %d %d]", seen[t], inner[t], lim[t]);
    printf("\n");

    int dflt = 0, order[16], k = 0;
#pragma omp teams
    {
        if (omp_get_team_num() == 0)
            dflt = omp_get_num_teams();
        order[k++] = omp_get_team_num();
    }
    printf("default league=%d order:", dflt);
    for (int i = 0; i < k; i++)
        printf(" %d", order[i]);
    printf(" after: teams=%d team=%d limit_ok=%d\n", omp_get_num_teams(), omp_get_team_num(),
           omp_get_thread_limit() > 1000);

    omp_set_num_teams(2);
    int n2 = 0;
#pragma omp teams
    if (omp_get_team_num() == 0)
        n2 = omp_get_num_teams();
    printf("after omp_set_num_teams(2): %d max_teams=%d\n", n2, omp_get_max_teams());

    int t4[8] = {0}, n4 = 0;
#pragma omp target teams num_teams(3) map(tofrom : t4, n4)
    {
        t4[omp_get_team_num()] = 1 + omp_get_team_num();
        if (omp_get_team_num() == 0)
            n4 = omp_get_num_teams();
    }
    printf("target teams: n=%d %d %d %d %d\n", n4, t4[0], t4[1], t4[2], t4[3]);

    long total = 0;
#pragma omp target teams distribute parallel for reduction(+ : total) num_teams(2)
    for (int i = 0; i < 1000; i++)
        total += i;
    printf("distribute parallel for: %ld\n", total);
    return 0;
}
