#!/usr/bin/env bash
# Writes $1/pkgconfig/hsomp.pc: how a C program links hsomp statically
#   gcc -fopenmp -c prog.c && gcc prog.o $(pkg-config --libs --static hsomp)
# The static archive carries the Rust runtime and the RTS shim; the GHC RTS
# and the Haskell libraries it calls into are linked from GHC's own archives.
# Everything is in Libs, so `pkg-config --libs hsomp` (without --static)
# gives the same working line: hsomp.pc describes the static link only (a
# dynamic link needs no pkg-config: build with -fopenmp against libgomp and
# run on hsomp through the drop-in directory or LD_PRELOAD).
# HSOMP_INCLUDEDIR overrides where hsomp.h is (make install sets it).
set -euo pipefail
out=$(cd "$1" && pwd)
top=$(cd "$(dirname "$0")/.." && pwd)
ghc=${HSOMP_GHC:-ghc}
libdir=${HSOMP_GHC_LIBDIR:-$($ghc --print-libdir)}
pkgdir() { ls -d "$libdir/$1"-[0-9]* | sort | tail -n 1; }
base=$(pkgdir base); prim=$(pkgdir ghc-prim); bignum=$(pkgdir ghc-bignum)
mkdir -p "$out/pkgconfig"
cat > "$out/pkgconfig/hsomp.pc" <<PC
prefix=$out
libdir=\${prefix}
ghclibdir=$libdir
includedir=${HSOMP_INCLUDEDIR:-$top/include}

Name: hsomp
Description: OpenMP runtime (GCC GOMP ABI) on GHC Capabilities
Version: $(sed -n 's/^version = "\(.*\)"/\1/p' "$top/Cargo.toml" | head -n 1)
Libs: \${libdir}/libhsomp.a -no-pie -Wl,--start-group $libdir/rts/libHSrts_thr.a $base/$(basename "$base" | sed 's/^/libHS/').a $prim/$(basename "$prim" | sed 's/^/libHS/').a $bignum/$(basename "$bignum" | sed 's/^/libHS/').a -Wl,--end-group -lgmp -lffi -lpthread -ldl -lm -lrt
Cflags: -I\${includedir}
PC
