#!/usr/bin/env bash
# Next to a built libhsomp.so in DIR (default target/release):
#   DIR/drop-in/libgomp.so.1  hsomp under libgomp's name: a program linked
#                             against libgomp loads it when the directory
#                             comes first on LD_LIBRARY_PATH;
#   DIR/drop-in-llvm/libomp.so.5  the same under LLVM libomp's name, for
#                             programs built with clang -fopenmp (libhsomp.so
#                             defines libomp's symbol version VERSION too);
#   DIR/hsomp-run             the launcher (scripts/hsomp-run).
# The drop-in is a symbolic link to ../libhsomp.so: the dynamic loader finds
# a DT_NEEDED library by file name and checks the symbol versions the program
# needs (GOMP_4.0, OMP_1.0, VERSION, ...) against the library's version definitions,
# which libhsomp.so carries; it does not look at the SONAME. Being the same
# file, a process that gets both names loads hsomp once.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$top/target/release}
[[ -f $dir/libhsomp.so ]] || { echo "make-dropin.sh: $dir/libhsomp.so not built" >&2; exit 1; }
mkdir -p "$dir/drop-in" "$dir/drop-in-llvm"
ln -sfn ../libhsomp.so "$dir/drop-in/libgomp.so.1"
ln -sfn ../libhsomp.so "$dir/drop-in-llvm/libomp.so.5"
install -m 755 "$top/scripts/hsomp-run" "$dir/hsomp-run"
