-- | p50/p99 latency of an OpenMP region called from Haskell (safe call), with
--   and without a GC storm, and with exclusive mode under the storm. Two
--   storms: allocation (many minor GCs) and performGC in a loop (major GCs).
--   Two clocks: the round trip seen from Haskell (includes getting the
--   Capability back after the safe call) and the region itself, timed in C.
--
--   hsomp-gc-storm [REGIONS] [N]
module Main (main) where

import System.Environment (getArgs)
import Text.Printf (printf)

import Common
import Control.Parallel.OpenMP (withExclusive)

main :: IO ()
main = do
  args <- getArgs
  let k = case args of (a : _) -> read a; _ -> 2000
      n = case args of (_ : b : _) -> read b; _ -> 200000
  quiet <- regionLatencies2 k n
  (alloc, na) <- allocStorm 2 (regionLatencies2 k n)
  (major, ng) <- gcStorm 2 (regionLatencies2 k n)
  (excl, ne) <- gcStorm 2 (withExclusive (regionLatencies2 k n))
  printf "%d regions, kernel on %d doubles; p50 / p99 / max\n" k n
  printf "  %-34s %-36s %s\n" "" "round trip from Haskell" "inside the region (C clock)"
  let cell xs = printf "%9s %9s %10s" (fmtUs (percentile 0.5 xs)) (fmtUs (percentile 0.99 xs)) (fmtUs (maximum xs)) :: String
      row name (rt, ins) = printf "  %-34s %s   %s\n" (name :: String) (cell rt) (cell ins)
  row "no storm" quiet
  row ("allocation storm (" ++ show na ++ " units)") alloc
  row ("performGC storm (" ++ show ng ++ " GCs)") major
  row ("performGC storm + exclusive (" ++ show ne ++ ")") excl
  let p99 = percentile 0.99
      ratio (a, b) = (p99 (fst a) / p99 (fst b), p99 (snd a) / p99 (snd b))
      pr name r = printf "  p99 vs no storm, %-26s round trip %.2fx, inside %.2fx\n" (name :: String) (fst r) (snd r)
  pr "allocation storm:" (ratio (alloc, quiet))
  pr "performGC storm:" (ratio (major, quiet))
  pr "performGC storm + exclusive:" (ratio (excl, quiet))
