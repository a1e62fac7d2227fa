{-# LANGUAGE QuasiQuotes #-}
{-# OPTIONS_GHC -fno-full-laziness #-}
-- | The phase-14 kernel, the sum of @sqrt (x*x + 1)@ over a storable vector
--   of doubles, six ways. Each variant takes the number of threads (blocks,
--   sparks or team size) to use. No full laziness in this module: a call
--   repeated in a timing loop must not be floated out of it.
module Variants
  ( Variant (..), variants
  , seqHs, seqC, forkOnSum, strategiesSum, parallelForSum, ompC
  ) where

import Control.Concurrent
import Control.Exception (evaluate)
import Control.Monad (forM)
import Control.Parallel.Strategies (parList, rseq, using)
import qualified Data.Vector.Storable as S

import Control.Parallel.OpenMP (LoopOptions (..), defaultLoopOptions, parallelSumOpts)
import Control.Parallel.OpenMP.Inline (omp)
import Control.Parallel.OpenMP.Vector (withStorable)

[omp|
#include <math.h>

double p14_seq(const double *x, long n)
{
  double s = 0;
  for (long i = 0; i < n; i++) s += sqrt(x[i] * x[i] + 1.0);
  return s;
}

double p14_omp(const double *x, long n, int threads)
{
  double s = 0;
  #pragma omp parallel for num_threads(threads) reduction(+:s)
  for (long i = 0; i < n; i++) s += sqrt(x[i] * x[i] + 1.0);
  return s;
}
|]

-- | A way to compute the sum: its name and the computation (given the
--   number of threads and the vector).
data Variant = Variant
  { variantName :: String
  , variantRun :: Int -> S.Vector Double -> IO Double
  }

-- | The six variants, sequential Haskell first; @codegen@ is appended to
--   the names of those whose code GHC generates.
variants :: String -> [Variant]
variants codegen =
  [ Variant ("sequential Haskell" ++ codegen) (\_ v -> evaluate (seqHs v))
  , Variant "sequential C (safe call)" (const seqC)
  , Variant ("forkOn blocks" ++ codegen) forkOnSum
  , Variant ("parallel strategies" ++ codegen) (\t v -> evaluate (strategiesSum t v))
  , Variant ("parallelSum (parallelFor)" ++ codegen) parallelForSum
  , Variant "OpenMP C (inline omp)" ompC
  ]

-- | The element function.
f :: Double -> Double
f x = sqrt (x * x + 1)
{-# INLINE f #-}

-- | Sequential Haskell: a strict fold over the vector.
seqHs :: S.Vector Double -> Double
seqHs = S.foldl' (\s x -> s + f x) 0
{-# NOINLINE seqHs #-}

-- | Sequential C, a safe foreign call.
seqC :: S.Vector Double -> IO Double
seqC v = withStorable v p14_seq

-- | Block c of t blocks of [0, n).
block :: Int -> Int -> Int -> (Int, Int)
block t n c = (c * n `div` t, (c + 1) * n `div` t)

sliceSum :: S.Vector Double -> (Int, Int) -> Double
sliceSum v (a, b) = seqHs (S.unsafeSlice a (b - a) v)

-- | t Haskell threads, block c on Capability c (forkOn), joined with MVars.
forkOnSum :: Int -> S.Vector Double -> IO Double
forkOnSum t v = do
  vars <- forM [0 .. t - 1] $ \c -> do
    m <- newEmptyMVar
    _ <- forkOn c (putMVar m $! sliceSum v (block t (S.length v) c))
    pure m
  sum <$> mapM takeMVar vars
{-# NOINLINE forkOnSum #-}

-- | t blocks, one spark each (Control.Parallel.Strategies).
strategiesSum :: Int -> S.Vector Double -> Double
strategiesSum t v = sum (map (sliceSum v . block t (S.length v)) [0 .. t - 1] `using` parList rseq)
{-# NOINLINE strategiesSum #-}

-- | A parallelFor reduction on an OpenMP team of t threads.
parallelForSum :: Int -> S.Vector Double -> IO Double
parallelForSum t v = parallelSumOpts defaultLoopOptions { loopTeamSize = t } 0 (S.length v) (\i -> f (S.unsafeIndex v i))
{-# NOINLINE parallelForSum #-}

-- | The OpenMP C kernel on a team of t threads (safe call).
ompC :: Int -> S.Vector Double -> IO Double
ompC t v = withStorable v (\p n -> p14_omp p n (fromIntegral t))
