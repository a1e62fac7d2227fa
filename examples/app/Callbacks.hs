{-# LANGUAGE BangPatterns #-}
-- | Callbacks into Haskell from OpenMP threads: one FunPtr call per iteration
--   (C loop calling Haskell) against parallelFor's one entry per chunk.
module Main (main) where

import Control.Concurrent (getNumCapabilities)
import Data.IORef
import Foreign
import System.Environment (getArgs)
import Text.Printf (printf)

import Common
import Control.Parallel.OpenMP
import Control.Parallel.OpenMP.Prim (capabilityNo, ompThreadNum)

foreign import ccall "wrapper" mkCb :: (Int64 -> IO ()) -> IO (FunPtr (Int64 -> IO ()))

main :: IO ()
main = do
  args <- getArgs
  let n = case args of (a : _) -> read a; _ -> 200000
  caps <- getNumCapabilities
  -- which Capability serves which OpenMP thread, seen from the callbacks
  hits <- newIORef []
  cb <- mkCb $ \_ -> do
    t <- ompThreadNum
    c <- capabilityNo
    atomicModifyIORef' hits (\h -> ((t, c) : h, ()))
  c_call_each 64 cb
  h <- readIORef hits
  printf "per-iteration callbacks from %d OpenMP threads; thread -> Capability pairs seen: %s\n"
    caps (show (dedup h))
  -- cost per callback, one Haskell entry per iteration
  counter <- newIORef (0 :: Int)
  cb2 <- mkCb $ \_ -> atomicModifyIORef' counter (\x -> (x + 1, ()))
  (t1, _) <- timeIt (c_call_each (fromIntegral n) cb2)
  freeHaskellFunPtr cb
  freeHaskellFunPtr cb2
  -- parallelFor: one Haskell entry per chunk, the iterations run in Haskell
  acc <- newIORef (0 :: Int)
  (t2, _) <- timeIt $ parallelForChunked 0 n $ \a b -> do
    let go !i !s = if i >= b then s else go (i + 1) (s + i)
    atomicModifyIORef' acc (\x -> (x + go a 0, ()))
  (t3, _) <- timeIt $ parallelForSchedule (Dynamic 1000) 0 n (\_ -> pure ())
  printf "%d iterations:\n" n
  printf "  FunPtr callback per iteration:       %s per iteration\n" (fmtUs (t1 / fromIntegral n))
  printf "  parallelFor, one entry per chunk:     %s per iteration (whole region %s)\n"
    (fmtUs (t2 / fromIntegral n)) (fmtUs t2)
  printf "  parallelFor Dynamic 1000:             %s per iteration (%d chunks)\n"
    (fmtUs (t3 / fromIntegral n)) (n `div` 1000)
  where
    dedup = foldr (\x acc -> if x `elem` acc then acc else x : acc) []
