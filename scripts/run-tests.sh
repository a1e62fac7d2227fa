#!/usr/bin/env bash
# `make test`: the Rust unit tests, the C conformance suite (every program
# under libgomp as the oracle and under hsomp in each link mode) and the
# Haskell tests. Ends with one line: "N passed, N failed".
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
log=$(mktemp -d)
passed=0; failed=0
count() { # $1 = passed, $2 = failed
  passed=$((passed + $1)); failed=$((failed + $2))
}

echo "== Rust unit tests"
cargo test --release --workspace 2>&1 | tee "$log/rust"
p=$(grep -Eo '^test result: [a-zA-Z]+\. [0-9]+ passed; [0-9]+ failed' "$log/rust" | awk '{s+=$4} END {print s+0}')
f=$(grep -Eo '^test result: [a-zA-Z]+\. [0-9]+ passed; [0-9]+ failed' "$log/rust" | awk '{s+=$6} END {print s+0}')
if [ "${PIPESTATUS[0]:-0}" != 0 ] && [ "$f" = 0 ]; then f=1; fi
count "$p" "$f"

echo "== Export table against libgomp 12's"
tests/check-exports.sh 2>&1 | tee "$log/exports"
line=$(grep -E '^exports: [0-9]+ passed, [0-9]+ failed' "$log/exports" | tail -n 1)
if [ -n "$line" ]; then
  count "$(echo "$line" | awk '{print $2}')" "$(echo "$line" | awk '{print $4}')"
else
  echo "export check gave no summary"; count 0 1
fi

echo "== C conformance suite"
tests/run-conformance.sh 2>&1 | tee "$log/c"
line=$(grep -E '^conformance: [0-9]+ passed, [0-9]+ failed' "$log/c" | tail -n 1)
if [ -n "$line" ]; then
  count "$(echo "$line" | awk '{print $2}')" "$(echo "$line" | awk '{print $4}')"
else
  echo "conformance suite gave no summary"; count 0 1
fi

if [ -x haskell/run-tests.sh ]; then
  echo "== Haskell tests"
  haskell/run-tests.sh 2>&1 | tee "$log/hs"
  line=$(grep -E '^haskell: [0-9]+ passed, [0-9]+ failed' "$log/hs" | tail -n 1)
  if [ -n "$line" ]; then
    count "$(echo "$line" | awk '{print $2}')" "$(echo "$line" | awk '{print $4}')"
  else
    echo "haskell tests gave no summary"; count 0 1
  fi
fi

rm -rf "$log"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
