#!/usr/bin/env bash
# ORDERED at 2, 4 and 8 threads against both peers on their own ABI.
#
#   bench/ordered/run.sh [RUNS]     (default 7 interleaved runs per cell)
#
# LLVM's libomp, serving a gcc-built program (GCC's GOMP_loop_ordered_*),
# runs schedule(static, 1) as one block per thread: the ordered region
# changes threads three times in the whole loop, not at every iteration, so
# bench/run.sh's ORDERED row has no libomp value (its validation fails). Its
# own ABI (clang -fopenmp) does hand out one iteration per thread in turn,
# so this script compares hsomp with libgomp on the gcc build and with
# libomp on the clang build of the same program; hsomp serves both.
# Prints the median microseconds per iteration of each runtime.
set -euo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
runs=${1:-7}
build=$TOP/bench/build/ordered
mkdir -p "$build"
gcc -fopenmp -O2 -o "$build/ordered-gcc" "$TOP/bench/ordered/ordered.c"
clang-14 -fopenmp -O2 -o "$build/ordered-clang" "$TOP/bench/ordered/ordered.c"
hsomp=$TOP/target/release/libhsomp.so
libomp=/usr/lib/x86_64-linux-gnu/libomp.so.5
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for nt in 2 4 8; do
    declare -A t=()
    for ((r = 0; r < runs; r++)); do
        for cell in "gomp gcc" "hsomp-gcc gcc $hsomp" "libomp clang $libomp" "hsomp-clang clang $hsomp"; do
            read -r name cc lib <<<"$cell"
            out=$(OMP_NUM_THREADS=$nt LD_PRELOAD=${lib:-} "$build/ordered-$cc" 20000)
            case $out in *non-conforming*) t[$name]+="nan " ;; *) t[$name]+="${out%% *} " ;; esac
        done
    done
    printf 'ORDERED %d threads (us per iteration, median of %d):' "$nt" "$runs"
    for name in hsomp-gcc gomp hsomp-clang libomp; do
        printf ' %s %s' "$name" "$(tr ' ' '\n' <<<"${t[$name]}" | grep -v '^$' | median)"
    done
    echo
    unset t
done
