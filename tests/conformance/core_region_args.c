/* core_region_args.c - parallel regions whose bodies use 0 to 13 variables
 * of the enclosing function. GCC passes them in one block; clang passes
 * each as an argument of the outlined body (__kmpc_fork_call is variadic,
 * and beyond 4 arguments hsomp's invoker puts them on the stack, with
 * padding for an odd count), so every count must arrive intact.
 */
#include "check.h"

int main(void)
{
    int v0 = 1;
    int v1 = 2;
    int v2 = 3;
    int v3 = 4;
    int v4 = 5;
    int v5 = 6;
    int v6 = 7;
    int v7 = 8;
    int v8 = 9;
    int v9 = 10;
    int v10 = 11;
    int v11 = 12;
    int v12 = 13;
    long tot;

    check_runtime();
    tot = 0;
#pragma omp parallel num_threads(3) reduction(+ : tot)
    tot += 1;
    printf("0 variables: %ld\n", tot);
    tot = 0;
#pragma omp parallel num_threads(3) reduction(+ : tot)
    tot += v0;
    printf("1 variables: %ld\n", tot);
    tot = 0;
#pragma omp parallel num_threads(3) reduction(+ : tot)
    tot += v0 + v1;
    printf("2 variables: %ld\n", tot);
    tot = 0;
#pragma omp parallel num_threads(3) reduction(+ : tot)
    tot += v0 + v1 + v2;
    printf("3 variables: %ld\n", tot);
    tot = 0;
#pragma omp parallel num_threads(3) reduction(+ : tot)
    tot += v0 + v1 + v2 + v3;
    printf("4 variables: %ld\n", tot);
    tot = 0;
#pragma omp parallel num_threads(3) reduction(+ : tot)
    tot += v0 + v1 + v2 + v3 + v4;
    printf("5 variables: %ld\n", tot);
    tot = 0;
#pragma omp parallel num_threads(3) reduction(+ : tot)
    tot += v0 + v1 + v2 + v3 + v4 + v5;
    printf("6 variables: %ld\n", tot);
    tot = 0;
#pragma omp parallel num_threads(3) reduction(+ : tot)
    tot += v0 + v1 + v2 + v3 + v4 + v5 + v6;
    printf("7 variables: %ld\n", tot);
    tot = 0;
#pragma omp parallel num_threads(3) reduction(+ : tot)
    tot += v0 + v1 + v2 + v3 + v4 + v5 + v6 + v7;
    printf("8 variables: %ld\n", tot);
    tot = 0;
#pragma omp parallel num_threads(3) reduction(+ : tot)
    tot += v0 + v1 + v2 + v3 + v4 + v5 + v6 + v7 + v8;
    printf("9 variables: %ld\n", tot);
    tot = 0;
#pragma omp parallel num_threads(3) reduction(+ : tot)
    tot += v0 + v1 + v2 + v3 + v4 + v5 + v6 + v7 + v8 + v9 + v10 + v11;
    printf("12 variables: %ld\n", tot);
    tot = 0;
#pragma omp parallel num_threads(3) reduction(+ : tot)
    tot += v0 + v1 + v2 + v3 + v4 + v5 + v6 + v7 + v8 + v9 + v10 + v11 + v12;
    printf("13 variables: %ld\n", tot);
    return 0;
}
