-- | p50/p99 latency of an OpenMP region called from Haskell, with and without
--   a GC storm (Haskell threads allocating and calling performGC), and with
--   exclusive mode under the storm.
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
  quiet <- regionLatencies k n
  (storm, gcs) <- gcStorm 2 (regionLatencies k n)
  (excl, gcs2) <- gcStorm 2 (withExclusive (regionLatencies k n))
  let row name xs = printf "  %-26s p50 %10s   p99 %10s   max %10s\n" (name :: String)
                      (fmtUs (percentile 0.5 xs)) (fmtUs (percentile 0.99 xs)) (fmtUs (maximum xs))
  printf "region latency, %d regions of a %d-element kernel:\n" k n
  row "no GC storm" quiet
  row ("GC storm (" ++ show gcs ++ " GCs)") storm
  row ("storm + exclusive (" ++ show gcs2 ++ ")") excl
  printf "  p99 ratio storm/quiet: %.2f   exclusive/quiet: %.2f\n"
    (percentile 0.99 storm / percentile 0.99 quiet) (percentile 0.99 excl / percentile 0.99 quiet)
