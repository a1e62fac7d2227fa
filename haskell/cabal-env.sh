# Sourced by haskell/run-tests.sh and scripts/demo.sh: the cabal environment
# of this repository, and a way to make cabal relink after the runtime changed.
#   TOP        repository root
#   CABAL_DIR  $TOP/.cabal (project-local config without a package repository)
#   hsomp_refresh_runtime   if target/release/libhsomp.a differs from the copy
#                           linked last, make cabal rebuild and relink hsomp's
#                           test-suite and the examples.
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export CABAL_DIR="$TOP/.cabal"
export PATH="$HOME/.cargo/bin:$PATH"
HSOMP_BUILD="$TOP/dist-newstyle/build/x86_64-linux/ghc-$(ghc --numeric-version)"

hsomp_refresh_runtime() {
  local lib="${HSOMP_LIB_DIR:-$TOP/target/release}/libhsomp.a"
  local copy="$HSOMP_BUILD/hsomp-0.1.0.0/build/hsomp-runtime/libhsomp_rt.a"
  [ -f "$lib" ] && [ -f "$copy" ] || return 0
  cmp -s "$lib" "$copy" && return 0
  echo "hsomp: the runtime library changed; relinking the Haskell executables"
  # cabal does not watch libhsomp.a: forget the build state of the packages
  # that link it and remove their executables so GHC links them again.
  rm -f "$HSOMP_BUILD/hsomp-0.1.0.0/cache/build" "$HSOMP_BUILD/hsomp-examples-0.1.0.0/cache/build"
  rm -f "$HSOMP_BUILD/hsomp-0.1.0.0/build/hsomp-test/hsomp-test"
  find "$HSOMP_BUILD/hsomp-examples-0.1.0.0" -maxdepth 4 -type f -perm -u+x -path '*/build/*/*' 2>/dev/null \
    | while read -r exe; do [ "$(basename "$exe")" = "$(basename "$(dirname "$exe")")" ] && rm -f "$exe"; done
  return 0
}
