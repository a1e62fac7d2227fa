/* hsomp.h: hsomp's own routines, beyond OpenMP. For the OpenMP API use
 * GCC's <omp.h> (gcc -fopenmp finds it): hsomp implements GCC's libgomp ABI,
 * so GCC's header is the right one for it. */
#ifndef HSOMP_H
#define HSOMP_H

#ifdef __cplusplus
extern "C" {
#endif

/* "hsomp <version> (GHC <x.y> RTS)". Also a way to tell at run time whether
 * a program runs on hsomp: look the symbol up with dlsym(RTLD_DEFAULT, ...). */
const char *hsomp_runtime_version(void);

/* Exclusive mode: while on, the worker threads of new parallel regions hold
 * their own GHC Capability for the whole region (Haskell mutators and GC stay
 * off their cores). Regions must not call back into Haskell meanwhile. The
 * initial value comes from HSOMP_EXCLUSIVE=true|false. */
void hsomp_set_exclusive(int on);
int hsomp_get_exclusive(void);

#ifdef __cplusplus
}
#endif

#endif
