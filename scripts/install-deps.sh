#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian 12 machine: system packages for GHC,
# cabal, bindgen (libclang), gfortran, the comparison runtimes, the Haskell test deps,
# the Haskell examples' deps (parallel, async), LLVM for -fllvm (docs/haskell-parallelism.md)
# and Open MPI (the hybrid MPI + OpenMP tests, docs/mpi.md),
# plus a project-local cabal config that names no package repository
# (Hackage is unreachable here; cabal-install 3.4 would try to fetch an index).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)

pkgs=(ghc cabal-install libclang-dev libomp-dev libghc-hspec-dev
      libghc-quickcheck2-dev pkg-config hyperfine valgrind gcc g++ gfortran make python3
      openmpi-bin libopenmpi-dev libghc-vector-dev libghc-primitive-dev libghc-criterion-dev
      libghc-parallel-dev libghc-async-dev llvm clang-14)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi

if ! command -v cargo >/dev/null 2>&1; then
  if [ -x "$HOME/.cargo/bin/cargo" ]; then :; else
    echo "install-deps: cargo not found; install Rust with rustup" >&2; exit 1
  fi
fi

# make test runs clippy.
export PATH="$HOME/.cargo/bin:$PATH"
if ! cargo clippy --version >/dev/null 2>&1; then
  if command -v rustup >/dev/null 2>&1; then
    rustup component add clippy
  else
    echo "install-deps: cargo clippy not found and no rustup to add it" >&2; exit 1
  fi
fi

cabal_dir="$top/.cabal"
mkdir -p "$cabal_dir"
if [ ! -f "$cabal_dir/config" ]; then
  cat > "$cabal_dir/config" <<CFG
-- Project-local cabal config: no repository stanza, so cabal never tries to
-- download a package index. Dependencies come from GHC's global package db
-- (boot packages plus Debian's libghc-*-dev).
jobs: \$ncpus
store-dir: $cabal_dir/store
CFG
fi
