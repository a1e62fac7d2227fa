#!/usr/bin/env bash
# `make test`: the Rust unit tests, clippy, the loom models, the export table, the
# C/C++/Fortran conformance suite (every program under libgomp as the oracle
# and under hsomp in each link mode), the C/C++ programs built by clang-14
# for LLVM's ABI (LLVM's libomp as the oracle), the hybrid MPI + OpenMP programs (2
# ranks, same modes), the Haskell tests and the Fortran kernels called from
# Haskell (examples/fortran). Ends with one line: "N passed, N failed".
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
log=$(mktemp -d)
passed=0; failed=0

# suite TITLE TAG COMMAND...: run a suite whose output ends with a line
# "TAG: N passed, N failed" and add its counts; a suite without that line,
# or one that fails while reporting no failure, counts as one failure.
suite() {
  local title=$1 tag=$2; shift 2
  echo "== $title"
  "$@" 2>&1 | tee "$log/out"
  local status=${PIPESTATUS[0]}
  local line p f
  line=$(grep -E "^$tag: [0-9]+ passed, [0-9]+ failed" "$log/out" | tail -n 1)
  if [ -z "$line" ]; then
    echo "$title gave no summary"; p=0; f=1
  else
    p=$(echo "$line" | awk '{print $2}'); f=$(echo "$line" | awk '{print $4}')
    if [ "$status" != 0 ] && [ "$f" = 0 ]; then f=1; fi
  fi
  passed=$((passed + p)); failed=$((failed + f))
}

# cargo prints one "test result" line per test binary; sum them into one.
rust_tests() {
  cargo test --release --workspace 2>&1 | tee "$log/rust"
  local status=${PIPESTATUS[0]}
  grep -Eo '^test result: [a-zA-Z]+\. [0-9]+ passed; [0-9]+ failed' "$log/rust" |
    awk '{p+=$4; f+=$6} END {printf "rust: %d passed, %d failed\n", p, f}'
  return "$status"
}

# The loom models of the wake-up protocols (runtime/sleep/README.md), in a
# target directory of their own (--cfg loom rebuilds every crate), bounded
# to three preemptions per execution so they finish in seconds.
loom_models() {
  RUSTFLAGS="--cfg loom" LOOM_MAX_PREEMPTIONS=3 CARGO_TARGET_DIR=target/loom \
    cargo test --release -p gomp-abi --lib loom 2>&1 | tee "$log/loom"
  local status=${PIPESTATUS[0]}
  grep -Eo '^test result: [a-zA-Z]+\. [0-9]+ passed; [0-9]+ failed' "$log/loom" |
    awk '{p+=$4; f+=$6} END {printf "loom: %d passed, %d failed\n", p, f}'
  return "$status"
}

# clippy over the runtime and the shim, warnings denied (the crate also
# denies undocumented unsafe blocks and unsafe operations in unsafe fns).
clippy_lints() {
  cargo clippy --release -p gomp-abi -p rts-shim --all-targets -- -D warnings 2>&1 | tee "$log/clippy"
  local status=${PIPESTATUS[0]}
  if [ "$status" -eq 0 ]; then echo "clippy: 1 passed, 0 failed"; else echo "clippy: 0 passed, 1 failed"; fi
  return "$status"
}

suite "Rust unit tests" rust rust_tests
suite "Clippy (warnings denied)" clippy clippy_lints
suite "Loom models of the wake-up protocols" loom loom_models
suite "Export table against libgomp 12's" exports tests/check-exports.sh
suite "C conformance suite" conformance tests/run-conformance.sh
suite "C conformance built by clang-14" conformance env CC=clang-14 tests/run-conformance.sh
suite "Hybrid MPI + OpenMP (2 ranks)" mpi env MPI_NP=2 tests/mpi/run-mpi.sh
suite "Haskell tests" haskell haskell/run-tests.sh
suite "Haskell calling OpenMP Fortran kernels" fortran-haskell examples/run-example.sh hsomp-fortran-example hsomp-fortran fortran-haskell
suite "Haskell calling OpenMP C compiled by clang" clang-haskell examples/run-example.sh hsomp-clang-example hsomp-clang clang-haskell

rm -rf "$log"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
