#!/usr/bin/env bash
# bench/mpi.sh - hybrid MPI + OpenMP jobs oversubscribing the machine:
# N ranks x T threads of bench/mpi/hybrid.c (a halo-exchange Jacobi, one
# region per run, a barrier and a loop per sweep) on hsomp and on libgomp,
# interleaved in one run (A B, B A, ...), so a shared machine's drifts hit
# both alike. Reports the median of the slowest rank's time per runtime and
# the ratio hsomp / libgomp (below 1: hsomp faster).
#
# usage: bench/mpi.sh [REPS]          (default 5 repetitions per cell)
# environment:
#   MPI_BENCH_CONFIGS  "RANKSxTHREADS ..." (default "2x2 2x4")
#   MPI_BENCH_BINDS    mpirun --bind-to values (default "core none": Open
#                      MPI's default for 2 ranks, and no binding)
#   MPI_BENCH_SIZE     "ROWS_PER_RANK COLS SWEEPS" (default "128 256 1000")
#   MPI_BENCH_TIMEOUT  seconds per job (default 60; a job that takes longer
#                      counts as that many seconds, marked ">")
#   HSOMP_LIB          the library preloaded for hsomp (target/release/libhsomp.so)
#   EXTRA_LIB          another libhsomp.so to compare too (e.g. an older build),
#                      reported as the column "extra"
set -uo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
reps=${1:-5}
configs=${MPI_BENCH_CONFIGS:-"2x2 2x4"}
binds=${MPI_BENCH_BINDS:-"core none"}
read -r -a size <<<"${MPI_BENCH_SIZE:-128 256 1000}"
tmo=${MPI_BENCH_TIMEOUT:-60}
HSOMP_LIB=${HSOMP_LIB:-$TOP/target/release/libhsomp.so}
EXTRA_LIB=${EXTRA_LIB:-}
build=$TOP/bench/build
mkdir -p "$build"
[ -f "$HSOMP_LIB" ] || { echo "bench/mpi.sh: $HSOMP_LIB not found (make lib)" >&2; exit 1; }
mpicc -fopenmp -O2 -Wall -o "$build/mpi-hybrid" "$TOP/bench/mpi/hybrid.c" || exit 1

flags=(--oversubscribe --mca btl self,vader --mca btl_vader_single_copy_mechanism none)
[ "$(id -u)" = 0 ] && flags+=(--allow-run-as-root)
runtimes=(libgomp hsomp)
[ -n "$EXTRA_LIB" ] && runtimes+=(extra)
# Keep inherited OpenMP settings out.
unset OMP_WAIT_POLICY GOMP_SPINCOUNT OMP_PROC_BIND OMP_PLACES LD_PRELOAD

# one CONFIG BIND RUNTIME: seconds of the slowest rank (or ">tmo")
one() {
  local np=${1%x*} nt=${1#*x} pre=()
  case $3 in
    hsomp) pre=(-x LD_PRELOAD="$HSOMP_LIB") ;;
    extra) pre=(-x LD_PRELOAD="$EXTRA_LIB") ;;
  esac
  local out
  out=$(timeout -k 5 "$tmo" mpirun "${flags[@]}" --bind-to "$2" -np "$np" -x OMP_NUM_THREADS="$nt" \
        "${pre[@]}" "$build/mpi-hybrid" "${size[@]}" 2>/dev/null) || { echo ">$tmo"; return; }
  awk '/^seconds/ {print $2}' <<<"$out"
}

echo "# $(date -u +%FT%TZ), $(nproc) CPUs, load $(cut -d' ' -f1-4 /proc/loadavg), grid ${size[0]}x${size[1]} per rank, ${size[2]} sweeps, $reps reps"
declare -A times=()
for ((r = 0; r < reps; r++)); do
  for c in $configs; do
    for b in $binds; do
      # rotate the order of the runtimes each repetition
      n=${#runtimes[@]}
      for ((i = 0; i < n; i++)); do
        rt=${runtimes[$(((i + r) % n))]}
        t=$(one "$c" "$b" "$rt")
        times[$c,$b,$rt]+="$t "
        echo "rep $((r + 1)) $c bind=$b $rt $t s" >&2
      done
    done
  done
done

median() { tr ' ' '\n' | sed '/^$/d; s/^>//' | sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
printf '\n| ranks x threads | --bind-to | libgomp (s) | hsomp (s) | hsomp / libgomp |%s\n' "${EXTRA_LIB:+ extra (s) |}"
printf '|---|---|---|---|---|%s\n' "${EXTRA_LIB:+---|}"
for c in $configs; do
  for b in $binds; do
    g=$(median <<<"${times[$c,$b,libgomp]}")
    h=$(median <<<"${times[$c,$b,hsomp]}")
    row=$(awk -v g="$g" -v h="$h" 'BEGIN {printf "%.3f | %.3f | %.3g", g, h, h / g}')
    [ -n "$EXTRA_LIB" ] && row+=" | $(median <<<"${times[$c,$b,extra]}" | awk '{printf "%.3f", $1}')"
    echo "| $c | $b | $row |"
  done
done
echo "(medians of $reps; a job over ${tmo}s counts as ${tmo}s: a ${tmo}.000 is a collapse)"
