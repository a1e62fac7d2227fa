# Sourced by haskell/run-tests.sh and scripts/demo.sh: the cabal environment
# of this repository, and a way to make cabal relink after the runtime changed.
#   TOP        repository root
#   CABAL_DIR  $TOP/.cabal (project-local config without a package repository)
#   hsomp_refresh_runtime   if the runtime cargo builds for the package
#                           (<builddir>/hsomp-cargo) changed since it was
#                           linked last, make cabal rebuild and relink hsomp's
#                           test-suite and the examples.
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export CABAL_DIR="$TOP/.cabal"
export PATH="$HOME/.cargo/bin:$PATH"
HSOMP_BUILD="$TOP/dist-newstyle/build/x86_64-linux/ghc-$(ghc --numeric-version)"

hsomp_refresh_runtime() {
  local dir="$HSOMP_BUILD/hsomp-0.1.0.0/build/hsomp-runtime"
  local copy="$dir/libChsomp_rt.a" lib root target
  [ -f "$dir/source" ] && [ -f "$copy" ] || return 0
  lib=$(sed -n 1p "$dir/source") root=$(sed -n 2p "$dir/source")
  # Let cargo bring the library up to date first, the way the Setup builds it
  # (same workspace path and target dir, so nothing is rebuilt twice).
  if [ -n "$root" ]; then
    target=$(dirname "$(dirname "$lib")")
    (cd "$root" && case "$target" in
       *-staticlib) cargo rustc --release -p gomp-abi --crate-type staticlib --target-dir "$target" ;;
       *) cargo build --release -p gomp-abi --target-dir "$target" ;;
     esac >/dev/null 2>&1 || true)
  fi
  [ -f "$lib" ] || return 0
  [ "$lib" -nt "$copy" ] || return 0
  echo "hsomp: the runtime library changed; relinking the Haskell executables"
  # cabal does not watch libhsomp.a: forget the build state of the packages
  # that link it and remove their executables so GHC links them again.
  rm -f "$HSOMP_BUILD/hsomp-0.1.0.0/cache/build" "$HSOMP_BUILD/hsomp-0.1.0.0/build/hsomp-test/hsomp-test"
  local comp name
  for comp in "$HSOMP_BUILD"/hsomp-examples-0.1.0.0/x/*/; do
    [ -d "$comp" ] || continue
    name=$(basename "$comp")
    rm -f "$comp/cache/build" "$comp/build/$name/$name"
  done
  return 0
}
