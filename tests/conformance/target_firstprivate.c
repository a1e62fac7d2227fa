/* target_firstprivate.c - host fallback of `target firstprivate(...)`: the
 * region works on private copies of by-reference firstprivate data (structs,
 * arrays, globals), initialised from the host values when the construct is
 * encountered; writes inside the region never reach the host copies. Scalars
 * GCC passes by value (firstprivate_int) are private anyway. Also with a
 * depend clause (the copy is taken before waiting) and inside a parallel
 * region (each thread's region has its own copies).
 */
// ENV: OMP_NUM_THREADS=2
// RUN: default
#include "check.h"

struct big {
    double d[5];
    long tag;
};

struct big gstruct = {{1, 2, 3, 4, 5}, 7};
int garr[8] = {1, 2, 3, 4, 5, 6, 7, 8};
long gscalar = 11;

int main(void)
{
    check_runtime();
    struct big s = {{10, 20, 30, 40, 50}, 3};
    int arr[16];
    for (int i = 0; i < 16; i++)
        arr[i] = i;
    char small = 'a';
    double seen_sum = 0, seen_g = 0;
    long seen_tag = 0, seen_scalar = 0;
    int seen_arr = 0, seen_garr = 0, aligned = 0;

#pragma omp target firstprivate(s, arr, small) map(from : seen_sum, seen_tag, seen_arr, aligned)
    {
        seen_sum = s.d[0] + s.d[4];
        seen_tag = s.tag;
        seen_arr = arr[15];
        aligned = ((unsigned long)&s % _Alignof(struct big)) == 0;
        s.tag = -1;
        s.d[0] = -100;
        arr[15] = -15;
        small = 'z';
    }
    printf("struct in region: sum=%g tag=%ld arr15=%d aligned=%d\n", seen_sum, seen_tag, seen_arr, aligned);
    printf("host after: tag=%ld d0=%g arr15=%d small=%c\n", s.tag, s.d[0], arr[15], small);

#pragma omp target firstprivate(gstruct, garr, gscalar) map(from : seen_g, seen_garr, seen_scalar)
    {
        seen_g = gstruct.d[1];
        seen_garr = garr[7];
        seen_scalar = gscalar;
        gstruct.tag = 99;
        gstruct.d[1] = -2;
        garr[7] = -8;
        gscalar = -11;
    }
    printf("globals in region: d1=%g garr7=%d scalar=%ld\n", seen_g, seen_garr, seen_scalar);
    printf("globals after: tag=%ld d1=%g garr7=%d scalar=%ld\n", gstruct.tag, gstruct.d[1], garr[7], gscalar);

    /* depend: the private copy holds the value at the construct, before the
     * producer task runs (which only writes the host copy). */
    int seen_dep = 0;
#pragma omp parallel num_threads(2)
#pragma omp single
    {
#pragma omp task depend(out : s) shared(s)
        s.tag = 42;
#pragma omp target firstprivate(s) depend(in : s) map(from : seen_dep)
        {
            seen_dep = (int)s.tag;
            s.tag = -7;
        }
    }
    printf("depend: host tag=%ld region saw %s\n", s.tag, seen_dep == 3 || seen_dep == 42 ? "3 or 42" : "other");

    /* Both threads run a target region on the same host struct. */
    int bad = 0;
#pragma omp parallel num_threads(2) reduction(+ : bad)
    {
        int id = omp_get_thread_num(), mine = 0;
        for (int r = 0; r < 200; r++) {
#pragma omp target firstprivate(s) map(tofrom : mine)
            {
                mine += s.tag == 42;
                s.tag = id + 1000;
            }
        }
        bad += mine != 200;
    }
    printf("threads: bad=%d host tag=%ld\n", bad, s.tag);
    return 0;
}
