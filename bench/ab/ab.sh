#!/usr/bin/env bash
# A/B two builds of libhsomp.so on the same gcc -fopenmp binary: runs are
# interleaved (old, new, old, new, ...) so the drifts of a shared machine hit
# both alike; reports min and median wall time of each and their ratio.
#
#   bench/ab/ab.sh OLD/libhsomp.so NEW/libhsomp.so
#   environment: WHATS ("p b f t", see regions.c), R (runs each, 11),
#                T (OMP_NUM_THREADS, 2), N (repetitions per run, 20000)
set -euo pipefail
[ $# -eq 2 ] || { sed -n '2,9p' "$0"; exit 2; }
old=$1 new=$2
here=$(cd "$(dirname "$0")" && pwd)
bin=$(mktemp -d)/regions
trap 'rm -rf "$(dirname "$bin")"' EXIT
gcc -fopenmp -O2 -o "$bin" "$here/regions.c"
for w in ${WHATS:-p b f t}; do
  times_old=() times_new=()
  for ((r = 0; r < ${R:-11}; r++)); do
    for lib in "$old" "$new"; do
      s=$(date +%s%N)
      OMP_NUM_THREADS=${T:-2} LD_PRELOAD=$lib "$bin" "$w" "${N:-20000}" >/dev/null
      us=$(( ($(date +%s%N) - s) / 1000 ))
      if [ "$lib" = "$old" ]; then times_old+=("$us"); else times_new+=("$us"); fi
    done
  done
  python3 - "$w" "${T:-2}" "${N:-20000}" "${times_old[*]}" "${times_new[*]}" <<'PY'
import statistics, sys
what, t, n, old, new = sys.argv[1:]
old = [int(x) for x in old.split()]
new = [int(x) for x in new.split()]
print(f"{what} threads={t} reps={n}: min old {min(old)} us new {min(new)} us new/old {min(new) / min(old):.3f}"
      f" | median old {statistics.median(old):.0f} us new {statistics.median(new):.0f} us"
      f" new/old {statistics.median(new) / statistics.median(old):.3f}")
PY
done
