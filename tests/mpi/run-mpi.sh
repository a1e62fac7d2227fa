#!/usr/bin/env bash
# run-mpi.sh - build and run the hybrid MPI + OpenMP programs in tests/mpi/
# with Open MPI's mpirun, every rank under libgomp (the oracle) and under
# hsomp in each link mode; docs/mpi.md explains the flags.
#
# usage: tests/mpi/run-mpi.sh [-q] [NAME ...]
#   NAME   a program (file name without .c, e.g. jacobi) or one case (jacobi:np2).
#   -q     quiet: do not print the tail of stderr under a failure.
#
# environment:
#   MPI_NP       rank counts to run (default "2"; "2 3 4" runs every case):
#                a case runs when its NP= is in this list.
#   MODES        default "gomp preload static dropin" (dropin only when
#                drop-in/libgomp.so.1 exists); gomp, the oracle, always runs.
#   MPI_TIMEOUT  seconds per mpirun (default 120).
#   MPI_HASKELL  1 (default): also build and run the Haskell rank program
#                (examples/mpi/run.sh; case haskell:npN, hsomp linked
#                statically by cabal); 0 skips it.
#   HSOMP_LIBDIR where libhsomp.so, pkgconfig/ and drop-in/ live
#                (default $TOP/target/release).
#
# Program annotations (in the leading comment):
#   RUN: label NP=n VAR=value ...   one case: n ranks, VARs set in every rank
# Modes (as in tests/run-conformance.sh):
#   gomp     mpicc -fopenmp binary on the machine's libgomp (HSOMP_EXPECTED=0)
#   preload  the same binary, every rank with LD_PRELOAD=libhsomp.so
#   static   mpicc -fopenmp -c, linked by plain mpicc with
#            `pkg-config --libs --static hsomp` (no libgomp in the link)
#   dropin   the gomp binary with LD_LIBRARY_PATH=drop-in (libgomp.so.1 is hsomp)
# Every rank checks which runtime it is on (check_runtime, HSOMP_EXPECTED);
# a hsomp run must exit 0 and print on stdout exactly what the oracle printed.
set -u

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
BUILD=$TOP/tests/build/mpi
LIBDIR=${HSOMP_LIBDIR:-$TOP/target/release}
NPS=${MPI_NP:-2}
MODES=${MODES:-"gomp preload static dropin"}
TIMEOUT=${MPI_TIMEOUT:-120}
CFLAGS="-fopenmp -O2 -Wall -Wno-unknown-pragmas"

quiet=0
selected=()
for a in "$@"; do
    case $a in
        -q) quiet=1 ;;
        -h|--help) sed -n '2,/^set -u/{/^set -u/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; exit 0 ;;
        -*) echo "run-mpi.sh: unknown option $a" >&2; exit 2 ;;
        *) selected+=("${a%.c}") ;;
    esac
done

npass=0
nfail=0
pass() { echo "PASS $1 [$2]"; npass=$((npass + 1)); }
failc() {
    echo "FAIL $1 [$2]: $3"
    nfail=$((nfail + 1))
    if [ $quiet = 0 ] && [ -n "${4:-}" ] && [ -s "$4" ]; then
        tail -n 8 "$4" | sed 's/^/    | /'
    fi
}
finish() { echo "mpi: $npass passed, $nfail failed"; [ $nfail = 0 ]; exit $?; }

for tool in mpicc mpirun; do
    if ! command -v $tool >/dev/null; then
        failc "$tool" setup "not found (scripts/install-deps.sh installs openmpi-bin, libopenmpi-dev)"
        finish
    fi
done
mkdir -p "$BUILD" || exit 2

# mpirun flags for a container or a laptop: run as root if we are root, more
# ranks than cores allowed, shared-memory transport only (self + vader) with
# no single-copy mechanism (CMA needs ptrace rights that containers lack).
MPIRUN=(mpirun --oversubscribe --mca btl self,vader --mca btl_vader_single_copy_mechanism none)
[ "$(id -u)" = 0 ] && MPIRUN+=(--allow-run-as-root)

# One runner at a time per checkout: they share the build directory.
exec 9>"$BUILD/.lock"
flock 9

STATIC_LIBS=
static_ok=0
if STATIC_LIBS=$(PKG_CONFIG_PATH=$LIBDIR/pkgconfig pkg-config --libs --static hsomp 2>&1); then
    static_ok=1
fi

# build PROG MODE: sets BIN, or BUILD_ERR and returns 1
build() {
    local p=$1 m=$2 src=$HERE/$1.c log=$BUILD/$1.$2.log
    case $m in
        gomp|preload|dropin)
            BIN=$BUILD/$p.gomp
            if [ "$BIN" -nt "$src" ] && [ "$BIN" -nt "${BASH_SOURCE[0]}" ]; then return 0; fi
            mpicc $CFLAGS "$src" -o "$BIN" -lm >"$log" 2>&1 ;;
        static)
            BIN=$BUILD/$p.static
            if [ $static_ok = 0 ]; then BUILD_ERR="pkg-config --libs --static hsomp: $STATIC_LIBS"; return 1; fi
            if [ "$BIN" -nt "$src" ] && [ "$BIN" -nt "$LIBDIR/libhsomp.a" ]; then return 0; fi
            mpicc $CFLAGS -DCONFORMANCE_STATIC=1 -c "$src" -o "$BUILD/$p.o" >"$log" 2>&1 &&
                mpicc "$BUILD/$p.o" $STATIC_LIBS -lm -o "$BIN" >>"$log" 2>&1 ;;
    esac || { rm -f "$BIN"; BUILD_ERR="build failed (${log#$TOP/}): $(grep -m1 -i error "$log")"; return 1; }
}

# mode_env MODE: the -x words for mpirun
mode_env() {
    case $1 in
        gomp) echo "-x HSOMP_EXPECTED=0" ;;
        preload) echo "-x HSOMP_EXPECTED=1 -x LD_PRELOAD=$LIBDIR/libhsomp.so" ;;
        static) echo "-x HSOMP_EXPECTED=1" ;;
        dropin) echo "-x HSOMP_EXPECTED=1 -x LD_LIBRARY_PATH=$LIBDIR/drop-in" ;;
    esac
}

# Inherited OpenMP settings stay out: each case sets its own.
UNSET=()
while IFS='=' read -r name _; do
    case $name in OMP_*|GOMP_*|KMP_*|LD_PRELOAD|HSOMP_EXPECTED) UNSET+=(-u "$name") ;; esac
done < <(env)

RUN_MODES=(gomp)
for m in $MODES; do
    case $m in
        gomp) ;;
        dropin) [ -f "$LIBDIR/drop-in/libgomp.so.1" ] && RUN_MODES+=(dropin) ;;
        preload|static) RUN_MODES+=("$m") ;;
        *) echo "run-mpi.sh: unknown mode $m" >&2; exit 2 ;;
    esac
done

for src in "$HERE"/*.c; do
    p=$(basename "$src" .c)
    while IFS= read -r line; do
        set -- $line
        label=$1; shift
        np=; xs=()
        for w in "$@"; do
            case $w in NP=*) np=${w#NP=} ;; *) xs+=(-x "$w") ;; esac
        done
        name=$p:$label
        if [ ${#selected[@]} -gt 0 ]; then
            keep=0
            for s in "${selected[@]}"; do [ "$s" = "$p" ] || [ "$s" = "$name" ] && keep=1; done
            [ $keep = 1 ] || continue
        elif [[ " $NPS " != *" $np "* ]]; then
            continue
        fi
        oracle_ok=0
        for m in "${RUN_MODES[@]}"; do
            if [ "$m" != gomp ] && [ $oracle_ok = 0 ]; then
                failc "$name" "$m" "no oracle output (the libgomp run failed)"; continue
            fi
            BUILD_ERR=
            if ! build "$p" "$m"; then failc "$name" "$m" "$BUILD_ERR"; continue; fi
            out=$BUILD/${name//:/.}.$m
            read -r -a menv <<<"$(mode_env "$m")"
            ( timeout -k 5 "$TIMEOUT" env "${UNSET[@]}" "${MPIRUN[@]}" -np "$np" \
                "${xs[@]+"${xs[@]}"}" "${menv[@]}" "$BIN" >"$out.out" 2>"$out.err" </dev/null
              exit $? ) 2>/dev/null
            rc=$?
            if [ $rc = 124 ] || [ $rc = 137 ]; then
                failc "$name" "$m" "timeout after ${TIMEOUT}s" "$out.err"; continue
            elif [ $rc != 0 ]; then
                failc "$name" "$m" "mpirun exit status $rc" "$out.err"; continue
            fi
            if [ "$m" = gomp ]; then
                if [ ! -s "$out.out" ]; then failc "$name" gomp "the oracle printed nothing"; continue; fi
                oracle=$out.out; oracle_ok=1
            elif ! cmp -s "$oracle" "$out.out"; then
                diff -u "$oracle" "$out.out" >"$out.diff"
                failc "$name" "$m" "stdout differs from libgomp's (${out#$TOP/}.diff)"; continue
            fi
            # every rank said which runtime it ran on (check_runtime)
            if [ "$m" != gomp ] && [ "$(grep -c '] runtime: hsomp' "$out.err")" != "$np" ]; then
                failc "$name" "$m" "not every one of the $np ranks reported hsomp" "$out.err"; continue
            fi
            pass "$name" "$m"
        done
    done < <(sed -n 's|^ \* RUN: ||p' "$src")
done

# The Haskell rank program (examples/mpi): every rank must report hsomp,
# rank 0 the integral to 1e-9.
if [ "${MPI_HASKELL:-1}" = 1 ]; then
    for np in $NPS; do
        name=haskell:np$np
        if [ ${#selected[@]} -gt 0 ] && [[ " ${selected[*]} " != *" haskell "* ]] &&
           [[ " ${selected[*]} " != *" $name "* ]]; then continue; fi
        out=$BUILD/haskell.np$np
        ( timeout -k 5 "$((TIMEOUT * 3))" env "${UNSET[@]}" "$TOP/examples/mpi/run.sh" "$np" \
            >"$out.out" 2>"$out.err" </dev/null; exit $? ) 2>/dev/null
        rc=$?
        if [ $rc != 0 ]; then
            failc "$name" static "exit status $rc (build or run; the build log is in the output)" "$out.err"
        elif ! grep -q "^$np ranks: pi ~ 3.14159265359" "$out.out"; then
            failc "$name" static "rank 0 printed no correct result" "$out.out"
        elif [ "$(grep -c 'OpenMP runtime: hsomp' "$out.err")" != "$np" ]; then
            failc "$name" static "not every one of the $np ranks reported hsomp" "$out.err"
        else
            pass "$name" static
        fi
    done
fi
finish
