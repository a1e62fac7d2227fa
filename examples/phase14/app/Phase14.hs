{-# OPTIONS_GHC -fno-full-laziness #-}
-- | Phase 14 of the study: GHC's own parallelism against OpenMP on hsomp.
--
--   One kernel, the sum of @sqrt (x*x + 1)@ over a storable vector of
--   doubles, six ways: sequential Haskell, sequential C, 'forkOn' blocks
--   (one per Capability), @parallel@'s strategies (one spark per block),
--   'parallelSum' (a 'parallelFor' reduction on the OpenMP team) and an
--   OpenMP C kernel written inline (module Variants). For every n the variants are
--   timed in rounds, in a different order each round; each sample repeats a
--   call until it takes a few milliseconds; the table shows the median time
--   per call, ns per element and the speed-up over sequential Haskell. Every
--   variant's result is checked against the sequential Haskell one (relative
--   difference below 1e-9: the parallel sums add in another order).
--
--   > hsomp-phase14 [--quick] +RTS -N2
--
--   (no full laziness in this module: a call repeated in a loop must not be
--   floated out of it and computed once).
module Main (main) where

import Control.Concurrent (getNumCapabilities)
import Control.Exception (evaluate)
import Control.Monad
import Data.List (sort, transpose)
import qualified Data.Vector.Storable as S
import GHC.Clock (getMonotonicTimeNSec)
import System.Environment (getArgs)
import System.Exit (exitFailure)
import Text.Printf (printf)

import Codegen (codegenLlvm)
import Variants

-- | Seconds per call: the call repeated reps times.
sample :: Int -> IO Double -> IO Double
sample reps act = do
  t0 <- getMonotonicTimeNSec
  replicateM_ reps (act >>= evaluate)
  t1 <- getMonotonicTimeNSec
  pure (fromIntegral (t1 - t0) * 1e-9 / fromIntegral reps)

-- | Repetitions that make one sample last about 5 ms.
calibrate :: IO Double -> IO Int
calibrate act = do
  t <- sample 1 act
  pure (max 1 (min 1000000 (ceiling (0.005 / max 1e-9 t))))

median :: [Double] -> Double
median xs = sort xs !! (length xs `div` 2)

main :: IO ()
main = do
  quick <- elem "--quick" <$> getArgs
  caps <- getNumCapabilities
  let sizes = if quick then [1000, 100000, 1000000] else [1000, 10000, 100000, 1000000, 10000000]
      rounds = if quick then 5 else 11 :: Int
      vs = [(variantName x, variantRun x caps) | x <- variants (if codegenLlvm then " -fllvm" else "")]
  printf "phase 14: sum of sqrt(x*x+1) over n doubles, %d Capabilities, median of %d rounds\n\n" caps rounds
  printf "| %9s | %-36s | %12s | %8s | %8s |\n" "n" "variant" "ms/call" "ns/elem" "speed-up"
  printf "|%s|%s|%s|%s|%s|\n" (replicate 11 '-') (replicate 38 '-') (replicate 14 '-') (replicate 10 '-') (replicate 10 '-')
  bad <- fmap or $ forM sizes $ \n -> do
    let v = S.generate n (\i -> fromIntegral (i `mod` 1000) / 10 - 50)
        ref = seqHs v
    _ <- evaluate (S.sum v)
    results <- forM vs $ \(_, k) -> k v
    let wrong = [name | ((name, _), r) <- zip vs results, abs (r - ref) > 1e-9 * abs ref]
    forM_ wrong $ \name -> printf "WRONG RESULT: %s at n = %d\n" name n
    reps <- forM vs $ \(_, k) -> calibrate (k v)
    let nv = length vs
    samples <- forM [0 .. rounds - 1] $ \r -> do
      -- a different order each round: drifts of a shared machine hit all
      let order = take nv (drop (r `mod` nv) (cycle [0 .. nv - 1]))
      ts <- forM order $ \j -> (,) j <$> sample (reps !! j) (snd (vs !! j) v)
      pure (map snd (sort ts))
    let meds = map median (transpose samples)
        base = head meds
    forM_ (zip vs meds) $ \((name, _), t) ->
      printf "| %9d | %-36s | %12.4f | %8.2f | %8.2f |\n" n name (t * 1e3) (t * 1e9 / fromIntegral n) (base / t)
    pure (not (null wrong))
  when bad exitFailure
