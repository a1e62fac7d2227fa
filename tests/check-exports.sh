#!/usr/bin/env bash
# Compares the dynamic symbol table of libhsomp.so with the ABI lists in
# gomp-abi/abi/ (see its README): every listed symbol must be defined with
# its version, `@@` for default and `@` for compat definitions, and nothing
# else may be exported (version-node names aside).
#   tests/check-exports.sh [path/to/libhsomp.so]
# Prints one line per problem and `exports: N passed, N failed`.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
lib=${1:-$top/target/release/libhsomp.so}
[[ -f $lib ]] || { echo "check-exports: $lib not built (make lib)"; echo "exports: 0 passed, 1 failed"; exit 1; }

want=$(mktemp) have=$(mktemp)
trap 'rm -f "$want" "$have"' EXIT
# name@@NODE for default definitions, name@NODE for compat ones.
cat "$top"/gomp-abi/abi/libgomp12-c-symbols.txt "$top"/gomp-abi/abi/hsomp-symbols.txt |
    awk 'NF == 3 { print $1 ($3 == "compat" ? "@" : "@@") $2 }' | sort -u > "$want"
# Defined symbols only; ABS entries are the version nodes' own names.
readelf --dyn-syms -W "$lib" | awk 'NR > 3 && $7 != "UND" && $7 != "ABS" && $8 != "" { print $8 }' |
    sort -u > "$have"

passed=0 failed=0
while read -r sym; do
    if grep -qxF "$sym" "$have"; then
        passed=$((passed + 1))
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
    if ! grep -qxF "$sym" "$want"; then
        name=${sym%%@*}
        # A wrongly versioned symbol was already reported above.
        if ! grep -qE "^${name}@" "$want"; then
            failed=$((failed + 1))
            echo "extra: $sym"
        fi
    fi
done < "$have"
echo "exports: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
