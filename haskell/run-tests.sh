#!/usr/bin/env bash
# Build and run hsomp's Haskell test suite (hspec + QuickCheck), then the
# cabal repl checks (test/repl-check.sh; HSOMP_SKIP_REPL=1 skips them). Called by
# `make test`. Prints `haskell: N passed, N failed` and exits non-zero on any
# failure (build failure included).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/cabal-env.sh"
cd "$TOP"

# The suite expects the defaults (team = Capabilities, exclusive mode off).
unset OMP_NUM_THREADS OMP_DYNAMIC OMP_THREAD_LIMIT OMP_MAX_ACTIVE_LEVELS OMP_NESTED HSOMP_EXCLUSIVE

hsomp_refresh_runtime
if ! cabal build hsomp:test:hsomp-test; then
  echo "haskell: 0 passed, 1 failed (build failed)"
  exit 1
fi
bin=$(cabal list-bin hsomp:test:hsomp-test | tail -1)
log=$(mktemp)
trap 'rm -f "$log"' EXIT
cd "$here"
HSOMP_PACKAGE_DB="$HSOMP_BUILD/hsomp-0.1.0.0/package.conf.inplace" \
HSOMP_RT_ARCHIVE="$HSOMP_BUILD/hsomp-0.1.0.0/build/hsomp-runtime/libChsomp_rt.a" \
  timeout -s KILL 900 "$bin" --no-color "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}

# hspec's last line: "N examples, M failures[, K pending]"
summary=$(grep -E '^[0-9]+ examples?, [0-9]+ failures?' "$log" | tail -1)
examples=$(sed -E 's/^([0-9]+) example.*/\1/' <<<"$summary")
failures=$(sed -E 's/^[0-9]+ examples?, ([0-9]+) failure.*/\1/' <<<"$summary")
pending=$(grep -oE '[0-9]+ pending' <<<"$summary" | grep -oE '[0-9]+' || true)
if [ -z "$summary" ]; then
  echo "haskell: 0 passed, 1 failed (the test binary exited with $rc before its summary)"
  exit 1
fi
passed=$((examples - failures - ${pending:-0}))

# GHCi: cabal repl of the library and of the test-suite (test/repl-check.sh).
if [ -z "${HSOMP_SKIP_REPL:-}" ]; then
  bash "$here/test/repl-check.sh" 2>&1 | tee "$log"
  rsum=$(grep -E '^repl: [0-9]+ passed, [0-9]+ failed' "$log" | tail -1)
  if [ -z "$rsum" ]; then
    failures=$((failures + 1))
  else
    passed=$((passed + $(sed -E 's/^repl: ([0-9]+) passed.*/\1/' <<<"$rsum")))
    failures=$((failures + $(sed -E 's/.* ([0-9]+) failed$/\1/' <<<"$rsum")))
  fi
fi

echo "haskell: $passed passed, $failures failed${pending:+, $pending pending}"
[ "$rc" -eq 0 ] && [ "$failures" -eq 0 ]
