#!/usr/bin/env bash
# Haskell-side measurements (issue 14), run by `make bench` / `make bench-quick`
# after bench/run.sh:
#   1. the criterion benchmark haskell/bench/Bench.hs (cabal bench): the
#      per-iteration costs of parallelFor, parallelForChunked and forkOn loops;
#   2. the phase-14 table (examples/phase14): one kernel as sequential
#      Haskell, sequential C, forkOn, parallel strategies, parallelSum and an
#      OpenMP C kernel, n = 1k .. 10M, built with GHC's code generator and
#      with -fllvm (when the llvm flag of hsomp-phase14 is on).
#
#   bench/haskell.sh quick   # criterion 1 s per benchmark; phase 14 to 1M, 5 rounds
#   bench/haskell.sh full    # criterion's defaults; phase 14 to 10M, 11 rounds
#
# Output on stdout and in bench/build/haskell/{criterion,phase14,phase14-llvm}.txt
# (with the load average). docs/haskell-parallelism.md has the numbers from
# this machine and how to read them.
set -uo pipefail
mode=${1:-quick}
case "$mode" in quick|full) ;; *) echo "usage: $0 quick|full" >&2; exit 2 ;; esac
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../haskell/cabal-env.sh"
cd "$TOP"
out=$here/build/haskell
mkdir -p "$out"
unset OMP_NUM_THREADS OMP_DYNAMIC HSOMP_EXCLUSIVE
threads=${BENCH_HS_THREADS:-2}

hsomp_refresh_runtime
echo "== Haskell loops: per-iteration costs (criterion, haskell/bench/Bench.hs, +RTS -N$threads)"
crit_args=()
[ "$mode" = quick ] && crit_args=(--time-limit 1)
{ echo "# $(date -u +%FT%TZ) load: $(cut -d' ' -f1-3 /proc/loadavg)"
  timeout -s KILL 1800 cabal bench hsomp:bench:hsomp-bench \
    --benchmark-options="${crit_args[*]} +RTS -N$threads -RTS"
} 2>&1 | tee "$out/criterion.txt"
crit=${PIPESTATUS[0]}

echo "== phase 14: GHC's parallelism vs OpenMP (examples/phase14, +RTS -N$threads)"
if ! timeout -s KILL 1800 cabal build hsomp-phase14; then
  echo "bench/haskell.sh: building hsomp-phase14 failed" >&2; exit 1
fi
p14_args=()
[ "$mode" = quick ] && p14_args=(--quick)
rc=$crit
for exe in hsomp-phase14 hsomp-phase14-llvm; do
  bin=$(cabal list-bin "hsomp-phase14:exe:$exe" 2>/dev/null | tail -1)
  if [ ! -x "$bin" ]; then echo "($exe not built: flag llvm off)"; continue; fi
  { echo "# $(date -u +%FT%TZ) load: $(cut -d' ' -f1-3 /proc/loadavg)"
    timeout -s KILL 1800 "$bin" "${p14_args[@]}" +RTS -N"$threads" -RTS
  } 2>&1 | tee "$out/$exe.txt"
  [ "${PIPESTATUS[0]}" -eq 0 ] || rc=1
done
exit "$rc"
