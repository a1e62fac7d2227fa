#!/usr/bin/env bash
# GHCi checks (issue 12): pipe commands into `cabal repl` of the library and
# of components that depend on it (the test-suite and an executable of
# hsomp-examples, each with its C kernels) and
# check what they print. Called by haskell/run-tests.sh after the hspec suite;
# prints one "repl: ok NAME" / "repl: FAIL NAME" line per check and ends with
# "repl: N passed, M failed".
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/cabal-env.sh"
cd "$TOP"

pass=0 fail=0
check() { # name, output, expected line (a fixed string matched as a whole line)
  if grep -qxF -- "$3" <<<"$2"; then echo "repl: ok $1"; pass=$((pass + 1))
  else echo "repl: FAIL $1 (no line '$3')"; fail=$((fail + 1)); fi
}
# GHCi prints "ghci> " before each result; keep the results only.
repl() { # target, commands
  timeout -s KILL 600 cabal repl "$1" --repl-options=+RTS --repl-options=-N2 --repl-options=-RTS \
    <<<"$2" 2>&1 | sed -e 's/^\(ghci> \)*//'
}

sum_cmds=$'import Data.IORef
r <- newIORef (0 :: Int)
parallelFor 0 1000 (\\i -> atomicModifyIORef\' r (\\s -> (s + i, ())))
readIORef r'

out=$(repl hsomp:lib:hsomp "$sum_cmds
Control.Parallel.OpenMP.Prim.capabilityNo >>= print . (< 2)
take 5 <\$> runtimeVersion
parallelRegion 2 (\\_ -> pure ()) >> putStrLn \"region done\"")
check "lib: parallelFor sums [0, 1000) on a team" "$out" "499500"
check "lib: Cmm primitive" "$out" "True"
check "lib: the runtime is hsomp" "$out" '"hsomp"'
check "lib: parallelRegion" "$out" "region done"
[ "$fail" -eq 0 ] || { echo "--- cabal repl hsomp:lib:hsomp said:"; echo "$out" | tail -20; }

f0=$fail
out=$(repl hsomp:test:hsomp-test "${sum_cmds//1000/2000}
c_team_size
withArray [1 .. 100] (\\p -> c_sum p 100 0)
thParallelSum
:m + *InlineSpec
withArray [1 .. 100] (\\p -> inl_dot p p 100 2)
withArray [1 .. 10] (\\p -> inl_sumsq p 10)
cmmMulAdd 6 7 100")
check "test-suite: parallelFor sums [0, 2000)" "$out" "1999000"
check "test-suite: a C kernel's region gets the team of 2 (+RTS -N2)" "$out" "2"
check "test-suite: a C OpenMP kernel (sum)" "$out" "5050.0"
check "test-suite: an inline OpenMP kernel ([omp|, module interpreted by GHCi)" "$out" "338350.0"
check "test-suite: an inline kernel calling a static helper" "$out" "385.0"
check "test-suite: an inline Cmm primitive ([cmm|)" "$out" "142"
interp=$(grep -qE 'Compiling InlineSpec +\( test/InlineSpec.hs, interpreted \)' <<<"$out" && echo interpreted)
check "test-suite: GHCi runs the module with the inline kernels as bytecode" "$interp" "interpreted"
[ "$fail" -eq "$f0" ] || { echo "--- cabal repl hsomp:test:hsomp-test said:"; echo "$out" | tail -20; }

f0=$fail
out=$(repl hsomp-examples:exe:hsomp-callbacks "import Common
import Foreign.Marshal.Array (withArray)
${sum_cmds//1000/3000}
withArray [1 .. 1000] (\\p -> (\\a b -> abs (a - b) < 1e-6 * abs b) <\$> c_sum_par p 1000 <*> c_sum_seq p 1000)")
check "executable of another package: parallelFor sums [0, 3000)" "$out" "4498500"
check "executable of another package: its C OpenMP kernel (sum) = the sequential one" "$out" "True"
[ "$fail" -eq "$f0" ] || { echo "--- cabal repl hsomp-examples:exe:hsomp-callbacks said:"; echo "$out" | tail -20; }

echo "repl: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
