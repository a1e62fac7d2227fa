#!/usr/bin/env bash
# examples/mpi/run.sh [NP [STEPS]]: build the Haskell rank program
# (hsomp-mpi-rank, its own cabal project) and run it as an NP-rank MPI job
# (default 2). Extra mpirun flags: MPIRUN_FLAGS (default --bind-to none, so
# each rank's RTS sees every CPU; docs/mpi.md).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
export CABAL_DIR=$top/.cabal PATH=$HOME/.cargo/bin:$PATH
cd "$here"
build=$here/dist-newstyle/build/x86_64-linux/ghc-$(ghc --numeric-version)
# cabal does not watch libhsomp.a: after the runtime changed, make it copy
# the archive again (hsomp's Setup does) and relink the program.
if [ -f "$top/target/release/libhsomp.a" ] && [ -d "$build" ] &&
   [ "$top/target/release/libhsomp.a" -nt "$build/hsomp-0.1.0.0/build/hsomp-runtime/libhsomp_rt.a" ]; then
  rm -f "$build/hsomp-0.1.0.0/cache/build" \
        "$build/hsomp-mpi-0.1.0.0/x/hsomp-mpi-rank/cache/build" \
        "$build/hsomp-mpi-0.1.0.0/x/hsomp-mpi-rank/build/hsomp-mpi-rank/hsomp-mpi-rank"
fi
cabal build -v0 hsomp-mpi-rank
bin=$(cabal list-bin hsomp-mpi-rank)
flags=(--oversubscribe --mca btl self,vader --mca btl_vader_single_copy_mechanism none)
[ "$(id -u)" = 0 ] && flags+=(--allow-run-as-root)
# shellcheck disable=SC2086
exec mpirun "${flags[@]}" ${MPIRUN_FLAGS:---bind-to none} -np "${1:-2}" "$bin" ${2:+"$2"}
