{-# LANGUAGE BangPatterns #-}
-- | The numbers issue 3 asks for, in one run (not assertions; just printed):
--   callback cost (per iteration vs per chunk), safe / unsafe / prim call
--   cost, batched safe calls at batch sizes 1..100, the sequential/parallel
--   crossover, and p99 region latency under a GC storm relative to none.
module Main (main) where

import Control.Concurrent (getNumCapabilities)
import Control.Monad
import Data.IORef
import Foreign hiding (void)
import Text.Printf (printf)

import Common
import Control.Parallel.OpenMP
import Control.Parallel.OpenMP.Prim

foreign import ccall "wrapper" mkCb :: (Int64 -> IO ()) -> IO (FunPtr (Int64 -> IO ()))

perCall :: Int -> IO () -> IO Double
perCall k act = do
  t <- bestOf 5 (replicateM_ k act)
  pure (t / fromIntegral k)

main :: IO ()
main = do
  caps <- getNumCapabilities
  v <- runtimeVersion
  printf "hsomp %s, %d Capabilities\n\n" v caps

  putStrLn "Call cost (per call, best of 5):"
  u <- perCall 1000000 c_noop_unsafe
  s <- perCall 200000 c_noop_safe
  pc <- perCall 1000000 (void capabilityNo)
  pt <- perCall 1000000 (void ompThreadNum)
  ft <- perCall 1000000 (void threadNum)
  printf "  unsafe ccall (no-op)            %s\n" (fmtUs u)
  printf "  safe ccall (no-op)              %s\n" (fmtUs s)
  printf "  prim capabilityNo (Cmm)         %s\n" (fmtUs pc)
  printf "  prim ompThreadNum (Cmm->C)      %s\n" (fmtUs pt)
  printf "  threadNum (unsafe ccall)        %s\n\n" (fmtUs ft)

  putStrLn "Batched safe calls (one Capability release/reacquire per batch):"
  printf "  %6s %14s %14s %14s\n" "batch" "per batch" "per call" "safe calls/call"
  forM_ [1, 2, 5, 10, 20, 50, 100] $ \b -> do
    t <- perCall (max 1000 (200000 `div` b)) (batchedCallsIx (castFunPtr p_noop_ptr) nullPtr b)
    printf "  %6d %14s %14s %14s\n" b (fmtUs t) (fmtUs (t / fromIntegral b)) (fmtUs s)
  putStrLn ""

  putStrLn "Callbacks into Haskell from the OpenMP team:"
  let n = 200000 :: Int
  cnt <- newIORef (0 :: Int)
  cb <- mkCb (\_ -> atomicModifyIORef' cnt (\x -> (x + 1, ())))
  c_call_each 1000 cb
  t1 <- bestOf 3 (c_call_each (fromIntegral n) cb)
  freeHaskellFunPtr cb
  forM_ [(Static 0, "static block (1 entry/thread)"), (Dynamic 1000, "dynamic, chunk 1000"), (Dynamic 100, "dynamic, chunk 100")] $ \(sch, name) -> do
    t2 <- bestOf 3 (parallelForSchedule sch 0 n (\_ -> pure ()))
    printf "  parallelFor %-30s %s per iteration\n" (name :: String) (fmtUs (t2 / fromIntegral n))
  printf "  FunPtr callback per iteration (C loop)     %s per call\n" (fmtUs (t1 / fromIntegral n))
  tr <- perCall 2000 (parallelRegion 0 (\_ -> pure ()))
  printf "  parallelRegion (1 entry per thread)        %s per region\n" (fmtUs tr)
  te <- perCall 20000 (c_empty_regions 1)
  printf "  empty C region (safe call, no Haskell)     %s per region\n" (fmtUs te)
  tw <- perCall 20000 (mkCb (\_ -> pure ()) >>= freeHaskellFunPtr)
  printf "  FunPtr wrapper create + free               %s\n\n" (fmtUs tw)

  putStrLn "Sequential vs parallel crossover (sum of sqrt over n doubles):"
  (rows, cross) <- crossover 20
  forM_ rows $ \(m, sq, par) -> printf "  n=%8d  seq %12s  omp %12s  speedup %5.2f\n" m (fmtUs sq) (fmtUs par) (sq / par)
  putStrLn $ "  crossover: " ++ maybe "none up to 2^20" (\m -> "n = " ++ show m) cross
  putStrLn ""

  putStrLn "Region latency with and without a GC storm (1000 regions, 100000 doubles);"
  putStrLn "round trip from Haskell (safe call) / inside the region (C clock):"
  quiet <- regionLatencies2 1000 100000
  (alloc, na) <- allocStorm 2 (regionLatencies2 1000 100000)
  (major, ng) <- gcStorm 2 (regionLatencies2 1000 100000)
  let p50 = percentile 0.5
      p99 = percentile 0.99
      row name (rt, ins) = printf "  %-30s p50 %s / %s   p99 %s / %s\n" (name :: String)
        (fmtUs (p50 rt)) (fmtUs (p50 ins)) (fmtUs (p99 rt)) (fmtUs (p99 ins))
  row "no storm" quiet
  row ("allocation storm (" ++ show na ++ ")") alloc
  row ("performGC storm (" ++ show ng ++ " GCs)") major
  forM_ [("allocation", alloc), ("performGC", major)] $ \(name, m) ->
    printf "  p99 %s storm / none: round trip %.2f, inside %.2f\n" (name :: String)
      (p99 (fst m) / p99 (fst quiet)) (p99 (snd m) / p99 (snd quiet))
