#!/usr/bin/env bash
# run-conformance.sh - build and run the C, C++ and Fortran conformance
# programs in tests/conformance/ under libgomp (the oracle) and under hsomp.
#
# usage: tests/run-conformance.sh [-l] [-q] [NAME ...]
#   NAME   a program (file name without .c/.cc/.cpp/.f90, e.g. core_parallel) or
#          one case of it (core_env:nt3); default: every program.
#   -l     list the cases and exit.
#   -q     quiet: do not print the tail of stderr under a failure.
#
# environment:
#   MODES        modes to run, in order (default "gomp preload static dropin",
#                with clang "llvm preload static dropin-llvm"); the oracle
#                ("gomp", with clang "llvm") always runs first when a hsomp
#                mode is requested.
#   CONFORMANCE_TIMEOUT  seconds per run (default 60).  A // TIMEOUT: line
#                in a program sets that program's timeout instead, unless
#                CONFORMANCE_TIMEOUT is set and larger.
#   CC           C compiler (default gcc), for *.c programs.  A clang (e.g.
#                CC=clang-14) builds the programs for LLVM's ABI (__kmpc_*)
#                instead: the oracle is then LLVM's libomp, the builds go to
#                tests/build/conformance-clang, Fortran programs are left out
#                and programs marked `// CLANG: skip` are skipped.
#   CXX          C++ compiler (default g++, or clang++ of the same version
#                with a clang CC), for *.cc and *.cpp programs; it also links
#                their static-mode binaries.
#   FC           Fortran compiler (default gfortran), for *.f90 programs,
#                which link with a C object of check.h (check_runtime) and
#                use the Fortran module of check.inc.
#   CONFORMANCE_TIMES=1  print each run's wall time on stderr.
#   CONFORMANCE_REPEAT=n run every case n times in every mode (default 1);
#                a case passes in a mode only when all n runs pass (each
#                hsomp run is compared with the first oracle run).  For
#                racy programs (stress_*) and for checking that a program
#                is not flaky under libgomp: MODES=gomp CONFORMANCE_REPEAT=5.
#   HSOMP_LIBDIR where libhsomp.so, pkgconfig/ and drop-in/ live
#                (default $TOP/target/release).
#
# Modes:
#   gomp     gcc -fopenmp binary run as is, on the machine's libgomp.
#   preload  the same binary with LD_PRELOAD=libhsomp.so.
#   static   compiled with -fopenmp -c, linked with plain gcc (g++ for a
#            C++ program, gfortran for a Fortran one) and
#            `pkg-config --libs --static hsomp`.
#   dropin   the same binary as gomp with LD_LIBRARY_PATH pointing at
#            drop-in/libgomp.so.1; only run when that file exists.
#   libomp   (not run by default) the gomp binary on LLVM's libomp, to check
#            that a program tests OpenMP semantics, not libgomp's accidents.
# Modes of a clang build (CC=clang-14):
#   llvm     clang -fopenmp binary run as is, on LLVM's libomp: the oracle.
#   preload  the same binary with LD_PRELOAD=libhsomp.so (which defines
#            libomp's symbol version VERSION).
#   static   compiled with -fopenmp -c, linked with plain clang (clang++) and
#            `pkg-config --libs --static hsomp`.
#   dropin-llvm  the llvm binary with LD_LIBRARY_PATH pointing at
#            drop-in-llvm/libomp.so.5; only run when that file exists.
#
# Program annotations (comment lines anywhere in the source file; `!`
# instead of `//` in Fortran):
#   // ENV: VAR=value ...          environment for every run of the program
#   // RUN: label VAR=value ...    one case per RUN line (label optional;
#                                  without one the case is called rN)
#                                  TASKSET=cpus among the words runs the
#                                  case under `taskset -c cpus` (an initial
#                                  affinity mask, for the binding tests)
#   // TIMEOUT: seconds            per-run timeout for this program
#   // LINK-WITH-GCC: file         a C file of tests/conformance compiled by
#                                  gcc -fopenmp and linked into the program in
#                                  every mode (a clang build then has both
#                                  ABIs in one process)
#   // CLANG: skip reason          not run in a clang build (the reason is
#                                  printed: the program tests libgomp-only
#                                  behaviour)
#   // CLANG: skip-case LABEL reason  the same for one case of the program
#   // CLANG: oracle-gcc reason    in a clang build, the oracle output comes
#                                  from the program built by gcc (g++) and run
#                                  on libgomp, where libomp is a wrong oracle
#                                  (its bugs and quirks; the reason says which)
# Each hsomp run must exit 0 and print exactly what the oracle printed on
# stdout; stderr is kept in the build directory but not compared.
# A hsomp mode of a program that needs entry points gomp-abi/abi lists as
# `pending` (not implemented yet) is reported as PENDING, not run and not
# counted.
set -u

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$HERE/.." && pwd)
SRC=$TOP/tests/conformance
LIBDIR=${HSOMP_LIBDIR:-$TOP/target/release}
CC=${CC:-gcc}
# A clang builds for LLVM's ABI, with libomp as the oracle.
case $("$CC" --version 2>/dev/null | head -n1) in
    *clang*) CLANG=1; ORACLE=llvm; CXX=${CXX:-${CC/clang/clang++}}
             BUILD=$TOP/tests/build/conformance-clang
             MODES=${MODES:-"llvm preload static dropin-llvm"} ;;
    *) CLANG=0; ORACLE=gomp; CXX=${CXX:-g++}
       BUILD=$TOP/tests/build/conformance
       MODES=${MODES:-"gomp preload static dropin"} ;;
esac
OUT=$BUILD/out
FC=${FC:-gfortran}
# clang leaves libatomic out of the link (gcc -fopenmp brings it): wide
# atomics (long double, complex) need it.
EXTRA_LIBS=
[ $CLANG = 1 ] && EXTRA_LIBS=-latomic
TIMEOUT=${CONFORMANCE_TIMEOUT:-60}
REPEAT=${CONFORMANCE_REPEAT:-1}
case $REPEAT in ''|*[!0-9]*|0) echo "run-conformance.sh: CONFORMANCE_REPEAT must be a positive number" >&2; exit 2 ;; esac
CFLAGS_COMMON="-fopenmp -O2 -Wall -Wno-unknown-pragmas -Wno-deprecated-declarations -I$SRC"
FFLAGS_COMMON="-fopenmp -O2 -Wall -I$SRC"

list_only=0
quiet=0
selected=()
for a in "$@"; do
    case $a in
        -l) list_only=1 ;;
        -q) quiet=1 ;;
        -h|--help) sed -n '2,/^set -u/{/^set -u/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; exit 0 ;;
        -*) echo "run-conformance.sh: unknown option $a" >&2; exit 2 ;;
        *) a=${a%.c}; a=${a%.cc}; a=${a%.f90}; selected+=("${a%.cpp}") ;;
    esac
done

mkdir -p "$BUILD" "$OUT" || exit 2

npass=0
nfail=0
npending=0
pass() { echo "PASS $1 [$2]"; npass=$((npass + 1)); }
failc() {
    echo "FAIL $1 [$2]: $3"
    nfail=$((nfail + 1))
    if [ $quiet = 0 ] && [ -n "${4:-}" ] && [ -s "$4" ]; then
        tail -n 5 "$4" | sed 's/^/    | /'
    fi
}

# ---------------------------------------------------------------- modes ---
# Each mode M has:  avail_M  (prints a reason and returns 1 when it cannot run)
#                   build_M PROG  (sets BIN or returns 1 with BUILD_ERR set)
#                   envs_M  (prints extra VAR=value words for the run)
# Adding a mode = adding these three functions and its name to MODES.

# Building writes $BUILD/PROG.MODE.status ("ok" or the reason it failed);
# all programs are built up front, in parallel, and only when a source,
# a header of tests/conformance (check.h, stress.h, check.inc), the library or this
# script is newer than the output.
newer_than() { # OUT IN... : true when OUT exists and is newer than every IN
    local out=$1 f
    shift
    [ -e "$out" ] || return 1
    for f in "$@"; do [ -e "$f" ] && [ "$f" -nt "$out" ] && return 1; done
    return 0
}
status_of() { cat "$BUILD/$1.$2.status" 2>/dev/null || echo "not built"; }

# Every program's source file, by program name (filled in with the cases),
# and the compiler that builds (and links) it.
declare -A SRCFILE=()
compiler_of() { case ${SRCFILE[$1]} in *.c) echo "$CC" ;; *.f90) echo "$FC" ;; *) echo "$CXX" ;; esac; }
HEADERS=("$SRC"/*.h "$SRC"/*.inc)

# A Fortran program is compiled with its own module directory (check.inc
# defines a module) and linked with check.h built as C for Fortran: MODE is
# gomp or static (the latter with CONFORMANCE_STATIC=1, as C programs).
fortran_check_obj() {
    local mode=$1 obj=$BUILD/check_fortran.$1.o defs=
    [ "$mode" = static ] && defs=-DCONFORMANCE_STATIC=1
    if newer_than "$obj" "${HEADERS[@]}" "${BASH_SOURCE[0]}"; then return; fi
    # shellcheck disable=SC2086
    $CC $CFLAGS_COMMON -DCONFORMANCE_FORTRAN=1 $defs -x c -c "$SRC/check.h" -o "$obj"
}
flags_of() { # PROG: compiler flags, and the C object of check.h for MODE ($2)
    case ${SRCFILE[$1]} in
        *.f90) mkdir -p "$BUILD/$1.$2.mod"; echo "$FFLAGS_COMMON -J$BUILD/$1.$2.mod" ;;
        *) echo "$CFLAGS_COMMON" ;;
    esac
}
objs_of() {
    case ${SRCFILE[$1]} in *.f90) echo "$BUILD/check_fortran.$2.o" ;; esac
    if [ -n "${GCCPART[$1]:-}" ]; then echo "$BUILD/$1.gccpart.o"; fi
}
# The object of a program's `LINK-WITH-GCC:` file (built once, before the
# program's own builds, which run in parallel).
gccpart_obj() {
    local p=$1 src=$SRC/${GCCPART[$1]} obj=$BUILD/$1.gccpart.o
    if newer_than "$obj" "$src" "${HEADERS[@]}" "${BASH_SOURCE[0]}"; then return; fi
    # shellcheck disable=SC2086
    gcc $CFLAGS_COMMON -x c -c "$src" -o "$obj" >"$BUILD/$p.gccpart.log" 2>&1 || rm -f "$obj"
}

compile_oracle() {
    local p=$1 bin=$BUILD/$1.$ORACLE st=$BUILD/$1.$ORACLE.status src=${SRCFILE[$1]} cc
    cc=$(compiler_of "$p")
    if newer_than "$st" "$src" "${HEADERS[@]}" "${BASH_SOURCE[0]}" && [ -e "$bin" ]; then return; fi
    rm -f "$bin"
    # shellcheck disable=SC2046
    # shellcheck disable=SC2086
    if $cc $(flags_of "$p" gomp) "$src" $(objs_of "$p" gomp) -o "$bin" -lm -lpthread -ldl $EXTRA_LIBS \
        >"$BUILD/$p.$ORACLE.log" 2>&1; then
        echo ok >"$st"
    else
        echo "compile failed (see ${BUILD#$TOP/}/$p.$ORACLE.log): $(grep -m1 -i 'error' "$BUILD/$p.$ORACLE.log")" >"$st"
    fi
    if [ -n "${CLANG_GCC_ORACLE[$p]:-}" ]; then compile_gcc_oracle "$p"; fi
}

# A clang build's program marked `CLANG: oracle-gcc`: its oracle is the gcc
# build on libgomp.
compile_gcc_oracle() {
    local p=$1 bin=$BUILD/$1.gcc st=$BUILD/$1.gcc.status src=${SRCFILE[$1]} cc=gcc
    case $src in *.c) ;; *) cc=g++ ;; esac
    if newer_than "$st" "$src" "${HEADERS[@]}" "${BASH_SOURCE[0]}" && [ -e "$bin" ]; then return; fi
    rm -f "$bin"
    if $cc $CFLAGS_COMMON "$src" -o "$bin" -lm -lpthread -ldl >"$BUILD/$p.gcc.log" 2>&1; then
        echo ok >"$st"
    else
        echo "gcc oracle compile failed (see ${BUILD#$TOP/}/$p.gcc.log): $(grep -m1 -i 'error' "$BUILD/$p.gcc.log")" >"$st"
    fi
}

compile_static() {
    local p=$1 bin=$BUILD/$1.static st=$BUILD/$1.static.status src=${SRCFILE[$1]} cc
    cc=$(compiler_of "$p")
    if newer_than "$st" "$src" "${HEADERS[@]}" "${BASH_SOURCE[0]}" "$LIBDIR/libhsomp.a" \
        "$LIBDIR/pkgconfig/hsomp.pc" && [ -e "$bin" ]; then return; fi
    rm -f "$bin"
    # shellcheck disable=SC2046
    if ! $cc $(flags_of "$p" static) -DCONFORMANCE_STATIC=1 -c "$src" -o "$BUILD/$p.o" \
        >"$BUILD/$p.static.log" 2>&1; then
        echo "compile failed (see ${BUILD#$TOP/}/$p.static.log): $(grep -m1 -i 'error' "$BUILD/$p.static.log")" >"$st"
    # shellcheck disable=SC2086
    elif ! $cc "$BUILD/$p.o" $(objs_of "$p" static) $STATIC_LIBS $EXTRA_LIBS -o "$bin" >>"$BUILD/$p.static.log" 2>&1; then
        echo "static link failed (see ${BUILD#$TOP/}/$p.static.log): $(grep -m1 -iE 'error|undefined' "$BUILD/$p.static.log")" >"$st"
    else
        echo ok >"$st"
    fi
}

avail_gomp() { return 0; }
build_gomp() {
    BIN=$BUILD/$1.$ORACLE
    BUILD_ERR=$(status_of "$1" "$ORACLE")
    [ "$BUILD_ERR" = ok ]
}
envs_gomp() { echo "HSOMP_EXPECTED=0"; }
# The clang build's oracle: the same, on the libomp clang linked (or the
# gcc build on libgomp, for a program marked `CLANG: oracle-gcc`).
avail_llvm() { return 0; }
build_llvm() {
    if [ -z "${CLANG_GCC_ORACLE[$1]:-}" ]; then build_gomp "$1"; return; fi
    BIN=$BUILD/$1.gcc
    BUILD_ERR=$(status_of "$1" gcc)
    [ "$BUILD_ERR" = ok ]
}
envs_llvm() { echo "HSOMP_EXPECTED=0"; }

avail_preload() {
    if [ ! -f "$LIBDIR/libhsomp.so" ]; then
        echo "libhsomp.so not found in ${LIBDIR#$TOP/} (run make lib)"
        return 1
    fi
}
build_preload() { build_gomp "$1" && check_symbols "$1" "$LIBDIR/libhsomp.so"; }

# A preloaded (or drop-in) library that lacks an entry point the program
# uses lets that call fall through to libgomp: the run would mix runtimes
# and could pass without testing hsomp.  Refuse such runs, naming the gaps.
# The entry points: GOMP_*/omp_* names (C and Fortran) and whatever else the
# binary binds to one of libgomp's symbol versions; in a clang build the
# __kmpc_*/kmp_*/omp_* names and whatever it binds to libomp's VERSION.
# Entry points listed but not implemented yet (gomp-abi/abi/*.txt).
PENDING_SYMS=$(awk '$4 == "pending" { print $1 }' "$TOP"/gomp-abi/abi/*.txt 2>/dev/null | sort -u)
# True when every name given is pending.
all_pending() {
    local n
    [ $# -gt 0 ] || return 1
    for n in "$@"; do grep -qxF "$n" <<<"$PENDING_SYMS" || return 1; done
}

declare -A libsyms=()
check_symbols() {
    local p=$1 lib=$2 missing
    if [ -z "${libsyms[$lib]:-}" ]; then
        libsyms[$lib]=$(nm -D --defined-only "$lib" 2>/dev/null | awk '{print $3}' | sed 's/@.*//' | sort -u)
    fi
    missing=$(comm -23 \
        <(nm -D --undefined-only "$BUILD/$p.$ORACLE" | awk '{print $2}' |
          grep -E '^(GOMP|omp|__kmpc|kmp)_|@(OMP|GOMP|GOACC|OACC)_[0-9]|@VERSION$' | sed 's/@.*//' | sort -u) \
        <(echo "${libsyms[$lib]}"))
    if [ -n "$missing" ]; then
        # shellcheck disable=SC2086
        if all_pending $missing; then
            BUILD_ERR="pending: needs entry points not implemented yet: $(echo $missing)"
        elif [ "$lib" = "$LIBDIR/libhsomp.so" ]; then
            BUILD_ERR="not provided by ${lib#$TOP/} (calls would go to the oracle's runtime): $(echo $missing)"
        else
            BUILD_ERR="not provided by ${lib#$TOP/} (the program needs them): $(echo $missing)"
        fi
        return 1
    fi
}
envs_preload() { echo "HSOMP_EXPECTED=1 LD_PRELOAD=$LIBDIR/libhsomp.so"; }

avail_static() {
    if [ ! -f "$LIBDIR/pkgconfig/hsomp.pc" ]; then
        echo "hsomp.pc not found in ${LIBDIR#$TOP/}/pkgconfig (run make lib)"
        return 1
    fi
    if ! STATIC_LIBS=$(PKG_CONFIG_PATH=$LIBDIR/pkgconfig pkg-config --libs --static hsomp 2>&1); then
        echo "pkg-config --libs --static hsomp failed: $STATIC_LIBS"
        return 1
    fi
}
build_static() {
    BIN=$BUILD/$1.static
    BUILD_ERR=$(status_of "$1" static)
    [ "$BUILD_ERR" = ok ] && return 0
    local undef
    undef=$(grep -oE "undefined reference to \`[A-Za-z0-9_]+'" "$BUILD/$1.static.log" 2>/dev/null |
        sed -E "s/.*\`(.*)'/\1/" | sort -u)
    # shellcheck disable=SC2086
    if all_pending $undef; then
        BUILD_ERR="pending: needs entry points not implemented yet: $(echo $undef)"
    fi
    return 1
}
envs_static() { echo "HSOMP_EXPECTED=1"; }

avail_dropin() {
    if [ ! -f "$LIBDIR/drop-in/libgomp.so.1" ]; then
        echo "skip"
        return 1
    fi
}
build_dropin() { build_gomp "$1" && check_symbols "$1" "$LIBDIR/drop-in/libgomp.so.1"; }
envs_dropin() { echo "HSOMP_EXPECTED=1 LD_LIBRARY_PATH=$LIBDIR/drop-in"; }

# LD_LIBRARY_PATH comes before the DT_RUNPATH clang gives the binary.
avail_dropin-llvm() {
    if [ ! -f "$LIBDIR/drop-in-llvm/libomp.so.5" ]; then
        echo "skip"
        return 1
    fi
}
build_dropin-llvm() { build_gomp "$1" && check_symbols "$1" "$LIBDIR/drop-in-llvm/libomp.so.5"; }
envs_dropin-llvm() { echo "HSOMP_EXPECTED=1 LD_LIBRARY_PATH=$LIBDIR/drop-in-llvm"; }

# Not a hsomp mode: LLVM's libomp under the same binary, to catch programs
# that depend on libgomp's accidents (MODES="gomp libomp").
LIBOMP=${LIBOMP:-/usr/lib/x86_64-linux-gnu/libomp.so.5}
avail_libomp() {
    if [ ! -f "$LIBOMP" ]; then echo "$LIBOMP not found (apt-get install libomp-dev)"; return 1; fi
}
build_libomp() { build_gomp "$1"; }
envs_libomp() { echo "LD_PRELOAD=$LIBOMP"; }

declare -A mode_ok=() mode_why=()

# Keep inherited OpenMP settings out of the runs: each case sets its own.
UNSET=()
while IFS='=' read -r name _; do
    case $name in
        OMP_*|GOMP_*|KMP_*|LD_PRELOAD|HSOMP_EXPECTED) UNSET+=(-u "$name") ;;
    esac
done < <(env)

# ---------------------------------------------------------------- cases ---
# A case is "prog|label|env words|timeout"; the case name is prog or prog:label.
CASES=()
declare -A CLANG_SKIP=() CLANG_GCC_ORACLE=()  # by program, and by prog:label
declare -A GCCPART=()
for f in "$SRC"/*.c "$SRC"/*.cc "$SRC"/*.cpp "$SRC"/*.f90; do
    [ -e "$f" ] || continue
    p=$(basename "$f"); p=${p%.*}
    if [ $CLANG = 1 ]; then
        [[ $f == *.f90 ]] && continue
        why=$(sed -En 's#^[[:space:]]*//[[:space:]]*CLANG:[[:space:]]*skip[[:space:]]+##p' "$f" | head -n1)
        if [ -n "$why" ]; then CLANG_SKIP[$p]=$why; fi
        why=$(sed -En 's#^[[:space:]]*//[[:space:]]*CLANG:[[:space:]]*oracle-gcc[[:space:]]*##p' "$f" | head -n1)
        if [ -n "$why" ]; then CLANG_GCC_ORACLE[$p]=$why; fi
        while read -r label why; do
            [ -n "$label" ] && CLANG_SKIP[$p:$label]=$why
        done < <(sed -En 's#^[[:space:]]*//[[:space:]]*CLANG:[[:space:]]*skip-case[[:space:]]+##p' "$f")
    fi
    if [ -n "${SRCFILE[$p]:-}" ]; then
        echo "run-conformance.sh: two sources for program $p: ${SRCFILE[$p]#$TOP/} and ${f#$TOP/}" >&2
        exit 2
    fi
    SRCFILE[$p]=$f
    part=$(sed -En 's#^[[:space:]]*//[[:space:]]*LINK-WITH-GCC:[[:space:]]*([^[:space:]]+).*#\1#p' "$f" | head -n1)
    if [ -n "$part" ]; then GCCPART[$p]=$part; fi
    penv=$(sed -En 's#^[[:space:]]*(//|!)[[:space:]]*ENV:[[:space:]]*##p' "$f" | tr '\n' ' ')
    ptime=$(sed -En 's#^[[:space:]]*(//|!)[[:space:]]*TIMEOUT:[[:space:]]*([0-9]+).*#\2#p' "$f" | head -n1)
    # a program's own TIMEOUT wins, unless CONFORMANCE_TIMEOUT asks for more
    if [ -z "$ptime" ] || { [ -n "${CONFORMANCE_TIMEOUT:-}" ] && [ "${TIMEOUT%.*}" -gt "$ptime" ] 2>/dev/null; }; then
        ptime=$TIMEOUT
    fi
    nrun=0
    while IFS= read -r line; do
        nrun=$((nrun + 1))
        set -- $line
        label="r$nrun"
        if [ $# -gt 0 ] && [[ $1 != *=* ]]; then label=$1; shift; fi
        CASES+=("$p|$label|$penv $*|$ptime")
    done < <(sed -En 's#^[[:space:]]*(//|!)[[:space:]]*RUN:[[:space:]]*##p' "$f")
    if [ $nrun = 0 ]; then CASES+=("$p||$penv|$ptime"); fi
done

case_name() { local c=$1; IFS='|' read -r p l _ <<<"$c"; if [ -n "$l" ]; then echo "$p:$l"; else echo "$p"; fi; }

# Select.
if [ ${#selected[@]} -gt 0 ]; then
    keep=()
    for s in "${selected[@]}"; do
        found=0
        for c in "${CASES[@]}"; do
            n=$(case_name "$c")
            if [ "$n" = "$s" ] || [ "${n%%:*}" = "$s" ]; then keep+=("$c"); found=1; fi
        done
        if [ $found = 0 ]; then failc "$s" select "no such test in ${SRC#$TOP/}"; fi
    done
    CASES=("${keep[@]+"${keep[@]}"}")
fi

if [ $list_only = 1 ]; then
    for c in "${CASES[@]+"${CASES[@]}"}"; do
        IFS='|' read -r _ _ e t <<<"$c"
        printf '%-28s %s\n' "$(case_name "$c")" "$(echo $e)"
    done
    exit 0
fi

# One runner at a time per checkout: they share the build directory.
if command -v flock >/dev/null; then
    exec 9>"$BUILD/.lock"
    if ! flock -n 9; then
        echo "# another run-conformance.sh is using ${BUILD#$TOP/}; waiting for it" >&2
        flock 9
    fi
fi

# Which modes can run at all?
RUN_MODES=()
for m in $MODES; do
    if ! declare -F "avail_$m" >/dev/null; then
        echo "run-conformance.sh: unknown mode '$m'" >&2
        exit 2
    fi
    if why=$("avail_$m"); then
        mode_ok[$m]=1
    else
        mode_ok[$m]=0
        mode_why[$m]=$why
        if [ "$m" = dropin ] && [ "$why" = skip ]; then
            echo "# dropin mode skipped: ${LIBDIR#$TOP/}/drop-in/libgomp.so.1 does not exist"
            continue
        fi
        if [ "$m" = dropin-llvm ] && [ "$why" = skip ]; then
            echo "# dropin-llvm mode skipped: ${LIBDIR#$TOP/}/drop-in-llvm/libomp.so.5 does not exist"
            continue
        fi
    fi
    RUN_MODES+=("$m")
done
# The oracle is needed by every other mode.
if [[ " ${RUN_MODES[*]} " != *" $ORACLE "* ]]; then
    RUN_MODES=("$ORACLE" "${RUN_MODES[@]}")
    if why=$("avail_$ORACLE"); then mode_ok[$ORACLE]=1; else mode_ok[$ORACLE]=0; mode_why[$ORACLE]=$why; fi
    oracle_silent=1
else
    oracle_silent=0
fi
# avail_static sets STATIC_LIBS in a subshell above; recompute it here.
if [ "${mode_ok[static]:-0}" = 1 ]; then avail_static >/dev/null; fi

# run_case NAME MODE BIN TIMEOUT ENVWORDS... ; sets RC, leaves OUT files
run_one() {
    local name=$1 mode=$2 bin=$3 t=$4
    shift 4
    local base=$OUT/$name.$mode
    local w words=() prefix=()
    for w in "$@"; do
        case $w in TASKSET=*) prefix=(taskset -c "${w#TASKSET=}") ;; *) words+=("$w") ;; esac
    done
    # the subshell keeps bash's "Aborted"/"Segmentation fault" notices quiet
    local t0=$EPOCHREALTIME
    ( timeout -k 5 "$t" env "${UNSET[@]}" "${words[@]+"${words[@]}"}" "${prefix[@]+"${prefix[@]}"}" "$bin" >"$base.out" 2>"$base.err" </dev/null; exit $? ) 2>/dev/null
    RC=$?
    if [ -n "${CONFORMANCE_TIMES:-}" ]; then
        awk -v a="$t0" -v b="$EPOCHREALTIME" -v n="$name" -v m="$mode" \
            'BEGIN { printf "# time %-28s %-8s %6.2fs\n", n, m, b - a }' >&2
    fi
}

describe_rc() {
    local rc=$1 t=$2
    if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
        echo "timeout after ${t}s (hang or far too slow)"
    elif [ "$rc" -gt 128 ]; then
        echo "killed by signal $((rc - 128)) ($(kill -l $((rc - 128)) 2>/dev/null || echo '?'))"
    else
        echo "exit status $rc"
    fi
}

# Build every selected program, a few at a time.
declare -A progs=()
for c in "${CASES[@]+"${CASES[@]}"}"; do progs[${c%%|*}]=1; done
jobs_max=$(( $(nproc 2>/dev/null || echo 2) + 1 ))
for p in "${!progs[@]}"; do
    [[ ${SRCFILE[$p]} == *.f90 ]] || continue
    fortran_check_obj gomp
    if [ "${mode_ok[static]:-0}" = 1 ]; then fortran_check_obj static; fi
    break
done
for p in "${!progs[@]}"; do
    if [ -n "${GCCPART[$p]:-}" ]; then gccpart_obj "$p"; fi
done
for p in "${!progs[@]}"; do
    while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do wait -n; done
    compile_oracle "$p" &
    if [ "${mode_ok[static]:-0}" = 1 ]; then
        while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do wait -n; done
        compile_static "$p" &
    fi
done
wait

for c in "${CASES[@]+"${CASES[@]}"}"; do
    IFS='|' read -r p label envw t <<<"$c"
    name=$(case_name "$c")
    fname=${name//:/.}
    if [ -n "${CLANG_SKIP[$p]:-}" ] || [ -n "${CLANG_SKIP[$name]:-}" ]; then
        echo "SKIP $name [clang]: ${CLANG_SKIP[$p]:-${CLANG_SKIP[$name]}}"
        continue
    fi
    read -r -a envarr <<<"$envw"
    oracle_ok=0
    for m in "${RUN_MODES[@]}"; do
        if [ "${mode_ok[$m]}" != 1 ]; then
            failc "$name" "$m" "${mode_why[$m]}"
            continue
        fi
        if [ "$m" != "$ORACLE" ] && [ $oracle_ok != 1 ]; then
            failc "$name" "$m" "no oracle output (the $ORACLE run failed)"
            continue
        fi
        BUILD_ERR=
        if ! "build_$m" "$p"; then
            if [[ $BUILD_ERR == pending:* ]]; then
                echo "PENDING $name [$m]: ${BUILD_ERR#pending: }"
                npending=$((npending + 1))
            else
                failc "$name" "$m" "$BUILD_ERR"
            fi
            continue
        fi
        read -r -a menv <<<"$("envs_$m")"
        # With CONFORMANCE_REPEAT=n, run n times; the first failing run is
        # reported (its files are the ones left in $OUT) and ends the mode.
        why=
        for ((rep = 1; rep <= REPEAT; rep++)); do
            [ "$REPEAT" = 1 ] && nth= || nth=" (run $rep of $REPEAT)"
            run_one "$fname" "$m" "$BIN" "$t" "${envarr[@]+"${envarr[@]}"}" "${menv[@]}"
            err=$OUT/$fname.$m.err
            if [ $RC != 0 ]; then
                why="$(describe_rc $RC "$t")$nth"
                break
            fi
            if [ "$m" = "$ORACLE" ]; then
                if [ ! -s "$OUT/$fname.$m.out" ]; then
                    why="oracle printed nothing on stdout (a test must print its results)$nth"
                    break
                fi
                if [ $rep = 1 ]; then
                    cp "$OUT/$fname.$m.out" "$OUT/$fname.$m.out1"
                elif ! cmp -s "$OUT/$fname.$m.out1" "$OUT/$fname.$m.out"; then
                    why="oracle stdout differs between runs$nth (not deterministic)"
                    break
                fi
                continue
            fi
            if ! cmp -s "$OUT/$fname.$ORACLE.out" "$OUT/$fname.$m.out"; then
                diff -u "$OUT/$fname.$ORACLE.out" "$OUT/$fname.$m.out" >"$OUT/$fname.$m.diff"
                first=$(diff "$OUT/$fname.$ORACLE.out" "$OUT/$fname.$m.out" | grep -m1 '^[<>]')
                why="stdout differs from the $ORACLE oracle (${OUT#$TOP/}/$fname.$m.diff)$nth: $first"
                err=
                break
            fi
        done
        if [ -n "$why" ]; then
            failc "$name" "$m" "$why" "$err"
            continue
        fi
        if [ "$m" = "$ORACLE" ]; then
            # later modes compare with the first oracle run
            mv -f "$OUT/$fname.$m.out1" "$OUT/$fname.$m.out"
            oracle_ok=1
            [ $oracle_silent = 1 ] || pass "$name" "$m"
            continue
        fi
        pass "$name" "$m"
    done
done

if [ $npending -gt 0 ]; then echo "conformance: $npending runs pending (entry points not implemented yet)"; fi
echo "conformance: $npass passed, $nfail failed"
[ $nfail = 0 ]
