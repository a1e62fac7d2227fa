#!/usr/bin/env bash
# sdist and new-user checks (issue 12): `cabal sdist` of haskell/ must give a
# tarball that builds away from the repository. Unpacks it in a scratch
# directory, checks that it carries every file of the Rust runtime and no
# sdist warning, then builds and runs the outside-project template
# (examples/template) against the unpacked package, as a new user would.
# The runtime library comes prebuilt (HSOMP_LIB_DIR) so the check takes a
# minute, not the Rust build's five; the Rust sources themselves are checked
# file by file. Called by haskell/run-tests.sh; prints one "sdist: ok NAME" /
# "sdist: FAIL NAME" line per check and ends with "sdist: N passed, M failed".
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/cabal-env.sh"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
pass=0 fail=0
ok() { echo "sdist: ok $1"; pass=$((pass + 1)); }
bad() { echo "sdist: FAIL $1"; fail=$((fail + 1)); }
finish() { echo "sdist: $pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit; }

if (cd "$here" && cabal sdist -o "$scratch" >"$scratch/sdist.log" 2>&1); then
  ok "cabal sdist writes a tarball"
else
  bad "cabal sdist writes a tarball"; sed 's/^/    | /' "$scratch/sdist.log"; finish
fi
if grep -qi warning "$scratch/sdist.log"; then
  bad "cabal sdist gives no warning"; grep -i -A2 warning "$scratch/sdist.log" | sed 's/^/    | /'
else
  ok "cabal sdist gives no warning"
fi

mkdir "$scratch/src" && tar xzf "$scratch"/hsomp-*.tar.gz -C "$scratch/src"
pkg=$(echo "$scratch"/src/hsomp-*)
missing=$(cd "$TOP" && git ls-files Cargo.toml Cargo.lock gomp-abi rts-shim |
          while read -r f; do [ -e "$pkg/rust/$f" ] || echo "$f"; done)
if [ -z "$missing" ]; then
  ok "the tarball carries every file of the Rust runtime"
else
  bad "the tarball carries every file of the Rust runtime (missing: $(echo $missing))"
fi
if find "$pkg" -type l | grep -q .; then
  bad "the tarball has no symbolic links"
else
  ok "the tarball has no symbolic links"
fi

# A new user's project, away from the repository: the template, with its
# cabal.project pointing at the unpacked package.
cp -r "$TOP/examples/template" "$scratch/my-project"
printf 'packages: .\n          %s\n' "$pkg" >"$scratch/my-project/cabal.project"
cd "$scratch/my-project"
if HSOMP_LIB_DIR="$TOP/target/release" timeout -s KILL 900 \
     cabal build --builddir "$scratch/dist" my-kernels >"$scratch/build.log" 2>&1; then
  ok "the template builds against the unpacked sdist"
else
  bad "the template builds against the unpacked sdist"; tail -20 "$scratch/build.log" | sed 's/^/    | /'; finish
fi
out=$(timeout -s KILL 120 "$(cabal list-bin --builddir "$scratch/dist" my-kernels | tail -1)" +RTS -N2 2>&1)
for line in "team of 2 threads" "C kernel: ok" "inline kernel: ok" "parallelFor: ok"; do
  if grep -qxF "$line" <<<"$out"; then ok "template run: $line"; else bad "template run: $line (got: $out)"; fi
done
finish
