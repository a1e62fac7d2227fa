#!/usr/bin/env bash
# install.sh BUILD_DIR PREFIX: install a built hsomp (make install PREFIX=...)
#   PREFIX/lib/libhsomp.so, libhsomp.a
#   PREFIX/lib/hsomp/drop-in/libgomp.so.1 -> ../../libhsomp.so
#   PREFIX/lib/hsomp/drop-in-llvm/libomp.so.5 -> ../../libhsomp.so
#   PREFIX/lib/pkgconfig/hsomp.pc           (static link, this prefix)
#   PREFIX/include/hsomp.h                  (hsomp_* routines; omp.h is GCC's)
#   PREFIX/bin/hsomp-run
# libhsomp.so keeps its rpath to the GHC libraries it was linked with.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=$1 prefix=$2
install -d "$prefix/lib/hsomp/drop-in" "$prefix/lib/hsomp/drop-in-llvm" "$prefix/lib/pkgconfig" "$prefix/include" "$prefix/bin"
install -m 755 "$build/libhsomp.so" "$prefix/lib/libhsomp.so"
install -m 644 "$build/libhsomp.a" "$prefix/lib/libhsomp.a"
ln -sfn ../../libhsomp.so "$prefix/lib/hsomp/drop-in/libgomp.so.1"
ln -sfn ../../libhsomp.so "$prefix/lib/hsomp/drop-in-llvm/libomp.so.5"
install -m 644 "$top/include/hsomp.h" "$prefix/include/hsomp.h"
install -m 755 "$top/scripts/hsomp-run" "$prefix/bin/hsomp-run"
HSOMP_INCLUDEDIR=$prefix/include "$top/scripts/gen-pkgconfig.sh" "$prefix/lib"
echo "installed hsomp into $prefix"
