#!/usr/bin/env bash
# Build (cabal) and run one example executable that checks itself; called
# by `make test`.
#   examples/run-example.sh PACKAGE EXE TAG
# The program's last line is `TAG: N passed, N failed` (its own count);
# exits non-zero on any failure, build included.
set -uo pipefail
[ $# -eq 3 ] || { echo "usage: examples/run-example.sh PACKAGE EXE TAG" >&2; exit 2; }
package=$1 exe=$2 tag=$3
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../haskell/cabal-env.sh"
cd "$TOP"
unset OMP_NUM_THREADS OMP_DYNAMIC OMP_THREAD_LIMIT OMP_MAX_ACTIVE_LEVELS OMP_NESTED HSOMP_EXCLUSIVE

hsomp_refresh_runtime
# cabal does not watch libhsomp.a: always relink the example (cheap), so it
# runs the runtime just built.
exe_dir="$HSOMP_BUILD/$package-0.1.0.0"
rm -f "$exe_dir/cache/build" "$exe_dir/build/$exe/$exe"
if ! cabal build "$package:exe:$exe"; then
  echo "$tag: 0 passed, 1 failed (build failed)"
  exit 1
fi
bin=$(cabal list-bin "$package:exe:$exe" | tail -1)
timeout -s KILL 300 "$bin"
rc=$?
[ "$rc" -eq 0 ] || echo "$tag: the example exited with $rc"
exit "$rc"
