#!/usr/bin/env bash
# Compares the dynamic symbol table of libhsomp.so with the ABI lists in
# gomp-abi/abi/ (see its README): every listed symbol must be defined with
# its version, `@@` for default and `@` for compat and alias definitions,
# and nothing else may be exported (version-node names aside). A line
# marked `pending` (an entry point not implemented yet) is reported as
# pending when missing, not as a failure.
#   tests/check-exports.sh [path/to/libhsomp.so]
# Prints one line per problem, the count of right symbols per list
# (`exports: 229 C + 92 Fortran + 5 hsomp + 289 libomp symbols right`), the
# count of pending ones, and
# `exports: N passed, N failed`.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
lib=${1:-$top/target/release/libhsomp.so}
[[ -f $lib ]] || { echo "check-exports: $lib not built (make lib)"; echo "exports: 0 passed, 1 failed"; exit 1; }

abi=$top/gomp-abi/abi
lists=("C:$abi/libgomp12-c-symbols.txt" "Fortran:$abi/libgomp12-fortran-symbols.txt" "hsomp:$abi/hsomp-symbols.txt"
       "libomp:$abi/libomp14-kmpc-symbols.txt")
want=$(mktemp) have=$(mktemp)
trap 'rm -f "$want" "$have"' EXIT
# name@@NODE for default definitions, name@NODE for compat and alias ones,
# after the name of the list it comes from (with `-pending` when so marked).
for l in "${lists[@]}"; do
    awk -v list="${l%%:*}" 'NF >= 3 { print list ($4 == "pending" ? "-pending" : ""), $1 ($3 == "default" ? "@@" : "@") $2 }' "${l#*:}"
done | sort -u -k2,2 > "$want"
# Defined symbols only; ABS entries are the version nodes' own names.
readelf --dyn-syms -W "$lib" | awk 'NR > 3 && $7 != "UND" && $7 != "ABS" && $8 != "" { print $8 }' |
    sort -u > "$have"

passed=0 failed=0 pending=0
declare -A right=()
while read -r list sym; do
    if grep -qxF "$sym" "$have"; then
        passed=$((passed + 1))
        right[$list]=$((${right[$list]:-0} + 1))
    elif [[ $list == *-pending ]]; then
        pending=$((pending + 1))
    else
        failed=$((failed + 1))
        name=${sym%%@*}
        found=$(grep -E "^${name}(@|$)" "$have" | tr '\n' ' ' || true)
        if [[ -n $found ]]; then
            echo "wrong version: $sym (exported as: $found)"
        else
            echo "missing: $sym"
        fi
    fi
done < "$want"
while read -r sym; do
    if ! awk -v s="$sym" '$2 == s { f = 1 } END { exit !f }' "$want"; then
        name=${sym%%@*}
        # A wrongly versioned symbol was already reported above.
        if ! awk -v n="$name" 'index($2, n "@") == 1 { f = 1 } END { exit !f }' "$want"; then
            failed=$((failed + 1))
            echo "extra: $sym"
        fi
    fi
done < "$have"
summary=()
for l in "${lists[@]}"; do summary+=("${right[${l%%:*}]:-0} ${l%%:*}"); done
echo "exports: $(IFS=+; echo "${summary[*]}" | sed 's/+/ + /g') symbols right"
if [[ $pending -gt 0 ]]; then echo "exports: $pending listed entry points pending (not implemented yet)"; fi
echo "exports: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
