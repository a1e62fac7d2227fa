#ifndef HSOMP_EXAMPLES_H
#define HSOMP_EXAMPLES_H
#include <stdint.h>
int hsomp_ex_cpu(void);
double hsomp_ex_kernel(double *a, int64_t n, int reps);
double hsomp_ex_kernel_timed(double *a, int64_t n, double *inside);
double hsomp_ex_kernel_seq(double *a, int64_t n, int reps);
void hsomp_ex_empty_regions(int count);
int hsomp_ex_team(int *cpu_of, int max);
void hsomp_ex_dgemm(int64_t n, const double *A, const double *B, double *C);
void hsomp_ex_call_each(int64_t n, void (*fn)(int64_t));
double hsomp_ex_sum_seq(const double *a, int64_t n);
double hsomp_ex_sum_par(const double *a, int64_t n);
void hsomp_ex_noop(void);
void hsomp_ex_noop_ptr(void *p);
#endif
