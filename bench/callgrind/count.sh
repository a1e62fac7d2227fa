#!/usr/bin/env bash
# Instructions per construct, counted by callgrind (repeatable, unlike time
# on a shared machine): the whole program at n = 20000 minus n = 10000,
# divided by 10000, so start-up cancels out.
#
#   bench/callgrind/count.sh PROGRAM MODE [LIB...]
#   PROGRAM: tasks (modes p m d D w l) or regions (modes p r s f)
#   LIB: a runtime to preload; "libgomp" for the one gcc linked (default:
#        target/release/libhsomp.so, libgomp, LLVM's libomp.so.5)
# OMP_NUM_THREADS defaults to 1 (more threads count spinning too).
set -euo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
prog=${1:?program: tasks or regions}; mode=${2:?mode}; shift 2
libs=("$@")
[ ${#libs[@]} -gt 0 ] || libs=("$TOP/target/release/libhsomp.so" libgomp /usr/lib/x86_64-linux-gnu/libomp.so.5)
build=$TOP/bench/build/callgrind
mkdir -p "$build"
gcc -fopenmp -O2 -o "$build/$prog" "$TOP/bench/callgrind/$prog.c"
count() { # LIB N
    local out="$build/out.$$"
    local pre=$1; [ "$pre" = libgomp ] && pre=
    OMP_NUM_THREADS=${OMP_NUM_THREADS:-1} LD_PRELOAD=$pre \
        valgrind --tool=callgrind --callgrind-out-file="$out" "$build/$prog" "$2" "$mode" >/dev/null 2>&1
    callgrind_annotate "$out" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1; exit}'
    rm -f "$out"
}
for lib in "${libs[@]}"; do
    a=$(count "$lib" 10000); b=$(count "$lib" 20000)
    printf '%-40s %s %s: %d instructions per construct\n' "${lib##*/}" "$prog" "$mode" $(( (b - a) / 10000 ))
done
