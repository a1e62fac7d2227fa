/* GOMP_doacross_wait and GOMP_doacross_ull_wait are C-variadic: one value per
 * loop of the current doacross nest. Stable Rust cannot define C-variadic
 * functions, so these two entry points are C: they read exactly as many
 * values as the nest has loops (the runtime knows) and hand them to Rust as
 * an array. */
#include <stdarg.h>

unsigned hsomp_doacross_dims(void);
void hsomp_doacross_wait_values(const unsigned long long *values, unsigned count);

void GOMP_doacross_wait(long first, ...)
{
    unsigned n = hsomp_doacross_dims();
    if (n == 0)
        return;
    unsigned long long values[n];
    values[0] = (unsigned long long)first;
    va_list ap;
    va_start(ap, first);
    for (unsigned i = 1; i < n; i++)
        values[i] = (unsigned long long)va_arg(ap, long);
    va_end(ap);
    hsomp_doacross_wait_values(values, n);
}

void GOMP_doacross_ull_wait(unsigned long long first, ...)
{
    unsigned n = hsomp_doacross_dims();
    if (n == 0)
        return;
    unsigned long long values[n];
    values[0] = first;
    va_list ap;
    va_start(ap, first);
    for (unsigned i = 1; i < n; i++)
        values[i] = va_arg(ap, unsigned long long);
    va_end(ap);
    hsomp_doacross_wait_values(values, n);
}
