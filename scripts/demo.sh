#!/usr/bin/env bash
# `make demo` (after `make lib`): build the Haskell package and the examples
# with cabal, build the libgomp comparison program with gcc -fopenmp, then run
# hsomp-demo: what ran where, and the same OpenMP kernel on hsomp (called from
# Haskell) vs libgomp (a plain C program).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/haskell/cabal-env.sh"
cd "$top"

hsomp_refresh_runtime
echo "== building the hsomp package and examples (cabal; the Setup builds the runtime with cargo)"
cabal build hsomp-examples hsomp-phase14

out="$top/dist-newstyle/hsomp-demo"
mkdir -p "$out"
echo "== building the libgomp comparison: gcc -fopenmp cbits/hsomp_kernel_main.c cbits/hsomp_examples.c"
gcc -O2 -fopenmp -std=gnu11 -Icbits cbits/hsomp_kernel_main.c cbits/hsomp_examples.c -lm -o "$out/hsomp-kernel-libgomp"

demo=$(cabal list-bin hsomp-examples:exe:hsomp-demo | tail -1)
echo "== checks: the Haskell executable links hsomp statically, never libgomp"
if ldd "$demo" | grep libgomp >/dev/null; then echo "FAIL: $demo links libgomp" >&2; exit 1; fi
nm "$demo" | grep ' T GOMP_parallel$' >/dev/null || { echo "FAIL: GOMP_parallel not defined in $demo" >&2; exit 1; }
echo "   $(basename "$demo"): no libgomp in ldd, GOMP_parallel defined in the executable (hsomp)"
echo "   $(basename "$out/hsomp-kernel-libgomp"): $(ldd "$out/hsomp-kernel-libgomp" | grep -o 'libgomp[^ ]*' | head -1)"
echo
"$demo" --libgomp "$out/hsomp-kernel-libgomp" "$@"
echo
echo "More examples (run by name with: cabal run <name>):"
echo "  hsomp-side-by-side hsomp-gc-storm hsomp-callbacks hsomp-dgemm hsomp-slices hsomp-crossover hsomp-bench"
echo "  hsomp-share (hsomp vs libgomp beside a busy Haskell side; build hsomp-share-libgomp first)"
echo "  hsomp-phase14 [--quick], hsomp-phase14-llvm (one kernel as sequential Haskell and C, forkOn, strategies,"
echo "    parallelFor and inline OpenMP C; docs/haskell-parallelism.md)"
