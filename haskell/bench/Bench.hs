{-# LANGUAGE BangPatterns, TypeFamilies #-}
-- | Per-iteration costs of the Haskell loops (criterion; @cabal bench
--   hsomp:bench:hsomp-bench@, from the repository root with @CABAL_DIR=$PWD/.cabal@,
--   or bench/haskell.sh, run by @make bench@). Every benchmark runs one loop of 'n'
--   iterations over a team of the default size (one thread per Capability):
--   divide the reported time by 'n' (2^22) for the cost per iteration.
--
--   * @parallelFor@: a per-index body (inlined into the chunk loop);
--   * @parallelForChunked@: the same work written as a chunk loop by hand;
--   * @parallelForSchedule dynamic 4096@: chunks handed out dynamically;
--   * @opaque body@: a per-index body GHC cannot inline (NOINLINE), the
--     cost of a known call per iteration;
--   * @forkOn@: the same loop on plain Haskell threads, one per Capability,
--     joined with MVars (no OpenMP);
--   * @sequential@: one thread, for reference.
--
--   Two bodies: @noop@ (nothing) and @write@ (store the index into an
--   unboxed array); and @sum@: a 'parallelSum' reduction against a
--   sequential loop.
module Main (main) where

import Control.Concurrent
import Control.Monad
import Control.Parallel.OpenMP

import Criterion.Main
import Data.Primitive.ByteArray
import Control.Monad.Primitive (RealWorld)

n :: Int
n = 2 ^ (22 :: Int)

-- | A body GHC may not inline: a known call per iteration.
opaque :: MutableByteArray RealWorld -> Int -> IO ()
opaque arr i = writeByteArray arr i i
{-# NOINLINE opaque #-}

-- | The loop on forkOn threads: Capability c gets block c.
forkOnFor :: Int -> Int -> (Int -> IO ()) -> IO ()
forkOnFor lo hi body = do
  caps <- getNumCapabilities
  let len = hi - lo
      block c = (lo + c * len `div` caps, lo + (c + 1) * len `div` caps)
  dones <- forM [0 .. caps - 1] $ \c -> do
    v <- newEmptyMVar
    let (a, b) = block c
        go !i = when (i < b) (body i >> go (i + 1))
    _ <- forkOn c (go a >> putMVar v ())
    pure v
  mapM_ takeMVar dones
{-# INLINE forkOnFor #-}

main :: IO ()
main = do
  arr <- newByteArray (n * 8)
  defaultMain
    [ bgroup "noop"
        [ bench "parallelFor" $ whnfIO (parallelFor 0 n (\_ -> pure ()))
        , bench "parallelForChunked" $ whnfIO (parallelForChunked 0 n (\a b ->
            let go !i = when (i < b) (go (i + 1)) in go a))
        , bench "forkOn" $ whnfIO (forkOnFor 0 n (\_ -> pure ()))
        ]
    , bgroup "write"
        [ bench "parallelFor" $ whnfIO (parallelFor 0 n (\i -> writeByteArray arr i i))
        , bench "parallelForChunked" $ whnfIO (parallelForChunked 0 n (\a b ->
            let go !i = when (i < b) (writeByteArray arr i i >> go (i + 1)) in go a))
        , bench "parallelForSchedule dynamic 4096" $
            whnfIO (parallelForSchedule (Dynamic 4096) 0 n (\i -> writeByteArray arr i i))
        , bench "parallelFor opaque body" $ whnfIO (parallelFor 0 n (opaque arr))
        , bench "forkOn" $ whnfIO (forkOnFor 0 n (\i -> writeByteArray arr i i))
        , bench "sequential" $ whnfIO (let go !i = when (i < n) (writeByteArray arr i i >> go (i + 1)) in go 0)
        ]
    , bgroup "sum"
        [ bench "parallelSum" $ whnfIO (parallelSum 0 n (\i -> fromIntegral i :: Double))
        , bench "sequential" $ whnf (\m -> let go !acc !i = if i < m then go (acc + fromIntegral i) (i + 1) else acc
                                            in go (0 :: Double) 0) n
        ]
    ]
