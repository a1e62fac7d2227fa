#!/usr/bin/env bash
# Build (cabal) and run the clang example; called by `make test`. Ends with
# `clang-haskell: N passed, N failed` (the example's own count) and exits
# non-zero on any failure, build included.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../haskell/cabal-env.sh"
cd "$TOP"
unset OMP_NUM_THREADS OMP_DYNAMIC OMP_THREAD_LIMIT OMP_MAX_ACTIVE_LEVELS OMP_NESTED HSOMP_EXCLUSIVE

hsomp_refresh_runtime
# cabal does not watch libhsomp.a: always relink the example (cheap), so it
# runs the runtime just built.
exe_dir="$HSOMP_BUILD/hsomp-clang-example-0.1.0.0"
rm -f "$exe_dir/cache/build" "$exe_dir/build/hsomp-clang/hsomp-clang"
if ! cabal build hsomp-clang-example:exe:hsomp-clang; then
  echo "clang-haskell: 0 passed, 1 failed (build failed)"
  exit 1
fi
bin=$(cabal list-bin hsomp-clang-example:exe:hsomp-clang | tail -1)
timeout -s KILL 300 "$bin"
rc=$?
[ "$rc" -eq 0 ] || echo "clang-haskell: the example exited with $rc"
exit "$rc"
