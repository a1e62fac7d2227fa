#!/usr/bin/env bash
# Side-by-side OpenMP overhead benchmarks: hsomp vs libgomp vs LLVM libomp.
#
#   bench/run.sh quick   # ~2-4 minutes on 2 cores: every construct, few chunks
#   bench/run.sh full    # everything: 20 outer reps, chunks 1..1024, DGEMM 1024
#
# One binary (bench/build/ompbench, gcc -fopenmp -O2) runs under each runtime:
#   hsomp   LD_PRELOAD=$TOP/target/release/libhsomp.so
#   libgomp plain run (what gcc linked)
#   libomp  LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libomp.so.5
# Runs are interleaved (A B C, B C A, C A B, ...) so slow drifts of a shared,
# noisy machine hit every runtime alike.  Each process reports which runtime
# really served it; a crash, hang (timeout), wrong result or a GOMP_* symbol
# that fell through to libgomp is recorded as a missing value, never a number.
# Results: bench/report/latest.{json,md} and SVG plots (bench/tools/report.py).
#
# Environment overrides: BENCH_REPS, BENCH_OUTER, BENCH_TARGET_MS,
# BENCH_TIMEOUT, BENCH_THREADS ("1 2 4"), BENCH_ONLY (regex on benchmark ids),
# HSOMP_LIB, LIBOMP_LIB, BENCH_OUT (report directory).
set -uo pipefail
# The whole script is one { ... } block, parsed before it runs: editing this
# file while a run is in progress cannot change what that run executes.
{
mode=${1:-quick}
case "$mode" in quick|full) ;; *) echo "usage: $0 quick|full" >&2; exit 2 ;; esac

TOP=$(cd "$(dirname "$0")/.." && pwd)
BENCH=$TOP/bench
BUILD=$BENCH/build
OUT=${BENCH_OUT:-$BENCH/report}
BIN=$BUILD/ompbench
HSOMP_LIB=${HSOMP_LIB:-$TOP/target/release/libhsomp.so}
LIBOMP_LIB=${LIBOMP_LIB:-/usr/lib/x86_64-linux-gnu/libomp.so.5}
mkdir -p "$BUILD" "$OUT"

# ---------------------------------------------------------------- settings
if [ "$mode" = quick ]; then
  reps=${BENCH_REPS:-3}; outer=${BENCH_OUTER:-8}; target_ms=${BENCH_TARGET_MS:-1}
  tmo=${BENCH_TIMEOUT:-10}
  chunks="1 16 128"; dgemm_sizes="256 512"; dgemm_reps=2; regions=20000
else
  reps=${BENCH_REPS:-3}; outer=${BENCH_OUTER:-20}; target_ms=${BENCH_TARGET_MS:-2}
  tmo=${BENCH_TIMEOUT:-120}
  chunks="1 2 4 8 16 32 64 128 256 512 1024"; dgemm_sizes="256 512 1024"
  dgemm_reps=3; regions=100000
fi
threads=${BENCH_THREADS:-"1 2 4"}
oversub=8   # empty parallel regions also run oversubscribed: 8 threads, 2 cores

# One run at a time: two runs would disturb each other's timings and share
# files.  Every file this run writes while measuring is private to it.
exec 9>"$BUILD/run.lock"
if ! flock -n 9; then
  echo "bench: another bench/run.sh is running; waiting for it to finish"
  flock 9
fi
priv=$BUILD/run.$$
mkdir -p "$priv"
trap 'rm -rf "$priv"' EXIT

# ---------------------------------------------------------------- build
echo "bench: compiling ompbench (gcc -fopenmp -O2)"
gcc -fopenmp -O2 -Wall -o "$priv/ompbench" "$BENCH"/src/*.c -ldl -lm || exit 1
cp -f "$priv/ompbench" "$BIN.tmp" && mv -f "$BIN.tmp" "$BIN"   # for use by hand
BIN=$priv/ompbench

# ---------------------------------------------------------------- runtimes
raw=$priv/raw-$mode.jsonl
: > "$raw"
runtimes=()
# run_under RUNTIME CMD... : run with that runtime selected
run_under() {
  local rt=$1; shift
  case "$rt" in
    hsomp)   LD_PRELOAD=$HSOMP_LIB "$@" ;;
    libgomp) env -u LD_PRELOAD "$@" ;;
    libomp)  LD_PRELOAD=$LIBOMP_LIB "$@" ;;
  esac
}
note() { # note RUNTIME MESSAGE : a runtime-level record in the raw file
  python3 -c 'import json,sys; print(json.dumps({"kind":"runtime","expected":sys.argv[1],"note":sys.argv[2]}))' "$1" "$2" >> "$raw"
}

for rt in hsomp libgomp libomp; do
  case "$rt" in
    hsomp)  if [ ! -f "$HSOMP_LIB" ]; then
              echo "bench: WARNING: $HSOMP_LIB missing (run 'make lib'); hsomp columns will be null" >&2
              note hsomp "library missing: $HSOMP_LIB"; continue; fi ;;
    libomp) if [ ! -f "$LIBOMP_LIB" ]; then
              echo "bench: WARNING: $LIBOMP_LIB missing (apt-get install libomp-dev); libomp columns will be null" >&2
              note libomp "library missing: $LIBOMP_LIB"; continue; fi ;;
  esac
  info=$(OMP_NUM_THREADS=2 run_under "$rt" timeout -k 2 20 "$BIN" info 2>/dev/null | tail -n 1)
  got=$(printf '%s' "$info" | python3 -c 'import json,sys
try: print(json.load(sys.stdin)["runtime"])
except Exception: print("none")')
  if [ "$got" != "$rt" ]; then
    echo "bench: WARNING: runtime $rt does not identify itself (got '$got'); its columns will be null" >&2
    note "$rt" "identification failed: got '$got' from: $info"
    continue
  fi
  printf '{"kind":"info","expected":"%s","info":%s}\n' "$rt" "$info" >> "$raw"
  echo "bench: $rt OK: $info"
  runtimes+=("$rt")
done

delay_len=$("$BIN" calibrate)
echo "bench: delay() length $delay_len iterations (~0.1 us), mode $mode, $reps interleaved repetitions"

# ---------------------------------------------------------------- job list
# Each job: "THREADS ARG [extra options]".  One process per job and runtime.
jobs=()
sync_ids="parallel for parallel_for barrier single critical lock ordered atomic reduction"
task_ids="parallel_task master_task conditional_task taskwait task_barrier master_task_deps parallel_task_deps nested_task branch_tree leaf_tree"
for t in $threads; do
  for id in $sync_ids; do jobs+=("$t $id"); done
  for kind in static dynamic guided; do
    for c in $chunks; do jobs+=("$t sched:$kind:$c"); done
  done
  for id in $task_ids; do jobs+=("$t $id"); done
  for n in $dgemm_sizes; do jobs+=("$t dgemm:$n --dgemm-reps $dgemm_reps"); done
done
for t in $threads $oversub; do jobs+=("$t empty --regions $regions --outer $(( outer < 5 ? outer : 5 ))"); done
# The constructs whose waits hand the CPU around, oversubscribed too.
for id in ordered parallel parallel_for reduction; do jobs+=("$oversub $id"); done
if [ -n "${BENCH_ONLY:-}" ]; then
  kept=()
  for j in "${jobs[@]}"; do set -- $j; [[ $2 =~ $BENCH_ONLY ]] && kept+=("$j"); done
  jobs=("${kept[@]}")
fi

# ---------------------------------------------------------------- run
declare -A failed    # "rt|threads|arg" -> reason; later repetitions skip it
declare -A hung      # "rt|group" -> 1 once a benchmark of that group timed out
short_tmo=3          # then its other benchmarks get this (normal runs take <1s)
group_of() {
  case "$1" in
    sched:*) echo sched ;; dgemm:*) echo dgemm ;; empty) echo empty ;;
    *task*|taskwait|*_tree) echo task ;; *) echo sync ;;
  esac
}
nrt=${#runtimes[@]}
total=$(( ${#jobs[@]} * reps * nrt ))
done_n=0
start=$(date +%s)
for ((r = 0; r < reps; r++)); do
  for ((ji = 0; ji < ${#jobs[@]}; ji++)); do
    set -- ${jobs[$ji]}
    t=$1; arg=$2; shift 2; extra=("$@")
    for ((k = 0; k < nrt; k++)); do
      rt=${runtimes[$(( (k + r + ji) % nrt ))]}   # rotate the order
      done_n=$((done_n + 1))
      key="$rt|$t|$arg"
      if [ -n "${failed[$key]:-}" ]; then
        printf '{"kind":"fail","expected":"%s","threads":%s,"id":"%s","rep":%d,"error":"skipped after %s"}\n' \
          "$rt" "$t" "$arg" "$r" "${failed[$key]}" >> "$raw"
        continue
      fi
      grp=$(group_of "$arg"); gkey="$rt|$grp"
      this_tmo=$tmo
      [ -n "${hung[$gkey]:-}" ] && [ "$grp" != dgemm ] && [ "$grp" != empty ] && this_tmo=$short_tmo
      out=$(OMP_NUM_THREADS=$t run_under "$rt" timeout -k 2 "$this_tmo" "$BIN" \
              --outer "$outer" --target-ms "$target_ms" --delay-len "$delay_len" \
              "${extra[@]}" "$arg" 2>"$priv/last-stderr")
      rc=$?
      line=$(printf '%s\n' "$out" | grep '^{' | tail -n 1)
      if [ $rc -ne 0 ] || [ -z "$line" ]; then
        if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then why="timeout ${this_tmo}s"; hung[$gkey]=1
        elif [ $rc -gt 128 ]; then why="signal $((rc - 128))"
        else why="exit $rc"; fi
        failed[$key]=$why
        err=$(head -c 300 "$priv/last-stderr" | tr -d '\000' )
        python3 -c 'import json,sys; print(json.dumps({"kind":"fail","expected":sys.argv[1],"threads":int(sys.argv[2]),"id":sys.argv[3],"rep":int(sys.argv[4]),"error":sys.argv[5],"stderr":sys.argv[6]}))' \
          "$rt" "$t" "$arg" "$r" "$why" "$err" >> "$raw"
        echo "bench: [$done_n/$total] $rt $arg threads=$t FAILED ($why)" >&2
        continue
      fi
      printf '{"kind":"result","expected":"%s","threads_requested":%s,"rep":%d,"result":%s}\n' \
        "$rt" "$t" "$r" "$line" >> "$raw"
    done
  done
  echo "bench: repetition $((r + 1))/$reps done after $(( $(date +%s) - start ))s"
done

# ---------------------------------------------------------------- report
cp -f "$raw" "$OUT/raw-$mode.jsonl"
python3 "$BENCH/tools/report.py" --mode "$mode" --raw "$raw" --out "$OUT" \
  --hsomp-lib "$HSOMP_LIB" --libomp-lib "$LIBOMP_LIB"
exit $?
}
