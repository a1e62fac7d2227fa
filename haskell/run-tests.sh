#!/usr/bin/env bash
# Build and run hsomp's Haskell test suite (hspec + QuickCheck) and the
# phase-14 variants' (examples/phase14), then the
# cabal repl checks (test/repl-check.sh; HSOMP_SKIP_REPL=1 skips them) and the
# sdist/template checks (test/sdist-check.sh; HSOMP_SKIP_SDIST=1). Called by
# `make test`. Prints `haskell: N passed, N failed` and exits non-zero on any
# failure (build failure included).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/cabal-env.sh"
cd "$TOP"

# The suite expects the defaults (team = Capabilities, exclusive mode off).
unset OMP_NUM_THREADS OMP_DYNAMIC OMP_THREAD_LIMIT OMP_MAX_ACTIVE_LEVELS OMP_NESTED HSOMP_EXCLUSIVE

hsomp_refresh_runtime
if ! cabal build hsomp:test:hsomp-test hsomp-phase14:test:hsomp-phase14-test; then
  echo "haskell: 0 passed, 1 failed (build failed)"
  exit 1
fi
# cabal 3.4's list-bin refuses every target of a package that has a
# benchmark (hsomp-bench): fall back to the path it would print.
bin=$(cabal list-bin hsomp:test:hsomp-test 2>/dev/null | tail -1)
[ -x "$bin" ] || bin="$HSOMP_BUILD/hsomp-0.1.0.0/build/hsomp-test/hsomp-test"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
cd "$here"
HSOMP_PACKAGE_DB="$HSOMP_BUILD/hsomp-0.1.0.0/package.conf.inplace" \
HSOMP_RT_ARCHIVE="$HSOMP_BUILD/hsomp-0.1.0.0/build/hsomp-runtime/libChsomp_rt.a" \
  timeout -s KILL 900 "$bin" --no-color "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}

# hspec_counts LOG: "PASSED FAILED PENDING" from hspec's last line
# ("N examples, M failures[, K pending]"); fails when there is none.
hspec_counts() {
  local sum ex fail pend
  sum=$(grep -E '^[0-9]+ examples?, [0-9]+ failures?' "$1" | tail -1)
  [ -n "$sum" ] || return 1
  ex=$(sed -E 's/^([0-9]+) example.*/\1/' <<<"$sum")
  fail=$(sed -E 's/^[0-9]+ examples?, ([0-9]+) failure.*/\1/' <<<"$sum")
  pend=$(grep -oE '[0-9]+ pending' <<<"$sum" | grep -oE '[0-9]+' || echo 0)
  echo "$((ex - fail - pend)) $fail $pend"
}

if ! counts=$(hspec_counts "$log"); then
  echo "haskell: 0 passed, 1 failed (the test binary exited with $rc before its summary)"
  exit 1
fi
read -r passed failures pending <<<"$counts"
[ "$pending" -gt 0 ] || pending=

# The phase-14 variants (examples/phase14), each against the sequential sum.
p14=$HSOMP_BUILD/hsomp-phase14-0.1.0.0/t/hsomp-phase14-test/build/hsomp-phase14-test/hsomp-phase14-test
timeout -s KILL 300 "$p14" --no-color +RTS -N2 -RTS 2>&1 | tee "$log"
p14rc=${PIPESTATUS[0]}
if counts=$(hspec_counts "$log"); then
  read -r p f _ <<<"$counts"
  passed=$((passed + p)); failures=$((failures + f))
  [ "$p14rc" -eq 0 ] || [ "$f" -gt 0 ] || failures=$((failures + 1))
else
  failures=$((failures + 1))
fi

# check TAG SCRIPT: run a check script whose output ends with
# "TAG: N passed, M failed" and add its counts (no such line: one failure).
check() {
  bash "$here/test/$2" 2>&1 | tee "$log"
  local sum
  sum=$(grep -E "^$1: [0-9]+ passed, [0-9]+ failed" "$log" | tail -1)
  if [ -z "$sum" ]; then
    failures=$((failures + 1))
  else
    passed=$((passed + $(sed -E 's/^[a-z]+: ([0-9]+) passed.*/\1/' <<<"$sum")))
    failures=$((failures + $(sed -E 's/.* ([0-9]+) failed$/\1/' <<<"$sum")))
  fi
}

# GHCi: cabal repl of the library and of the test-suite (test/repl-check.sh).
[ -n "${HSOMP_SKIP_REPL:-}" ] || check repl repl-check.sh
# The sdist tarball and the outside-project template (test/sdist-check.sh).
[ -n "${HSOMP_SKIP_SDIST:-}" ] || check sdist sdist-check.sh

echo "haskell: $passed passed, $failures failed${pending:+, $pending pending}"
[ "$rc" -eq 0 ] && [ "$failures" -eq 0 ]
