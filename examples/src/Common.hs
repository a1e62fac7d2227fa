-- | Kernels (cbits/hsomp_examples.c) and timing helpers shared by the examples.
module Common
  ( c_kernel, c_kernel_seq, c_empty_regions, c_team, c_dgemm, c_call_each
  , c_sum_seq, c_sum_par, c_sum_par_unsafe, c_noop_safe, c_noop_unsafe, p_noop_ptr
  , timeIt, bestOf, percentile, fmtUs, fmtMs
  , gcStorm, allocStorm, regionLatencies, regionLatencies2, crossover
  ) where

import Control.Concurrent
import Control.Exception (evaluate)
import Control.Monad
import Data.IORef
import Data.List (sort)
import Foreign hiding (void)
import Foreign.C.Types
import System.Mem (performGC)
import Text.Printf (printf)

import Control.Parallel.OpenMP (wtime)

foreign import ccall safe "hsomp_ex_kernel" c_kernel :: Ptr Double -> Int64 -> CInt -> IO Double
foreign import ccall safe "hsomp_ex_kernel_timed" c_kernel_timed :: Ptr Double -> Int64 -> Ptr Double -> IO Double
foreign import ccall unsafe "hsomp_ex_kernel_seq" c_kernel_seq :: Ptr Double -> Int64 -> CInt -> IO Double
foreign import ccall safe "hsomp_ex_empty_regions" c_empty_regions :: CInt -> IO ()
foreign import ccall safe "hsomp_ex_team" c_team :: Ptr CInt -> CInt -> IO CInt
foreign import ccall safe "hsomp_ex_dgemm" c_dgemm :: Int64 -> Ptr Double -> Ptr Double -> Ptr Double -> IO ()
foreign import ccall safe "hsomp_ex_call_each" c_call_each :: Int64 -> FunPtr (Int64 -> IO ()) -> IO ()
foreign import ccall unsafe "hsomp_ex_sum_seq" c_sum_seq :: Ptr Double -> Int64 -> IO Double
foreign import ccall safe "hsomp_ex_sum_par" c_sum_par :: Ptr Double -> Int64 -> IO Double
foreign import ccall unsafe "hsomp_ex_sum_par" c_sum_par_unsafe :: Ptr Double -> Int64 -> IO Double
foreign import ccall safe "hsomp_ex_noop" c_noop_safe :: IO ()
foreign import ccall unsafe "hsomp_ex_noop" c_noop_unsafe :: IO ()
foreign import ccall "&hsomp_ex_noop_ptr" p_noop_ptr :: FunPtr (Ptr () -> IO ())

-- | Seconds taken by an action, and its result.
timeIt :: IO a -> IO (Double, a)
timeIt act = do
  t0 <- wtime
  r <- act
  t1 <- wtime
  pure (t1 - t0, r)

-- | Best (smallest) time of k runs.
bestOf :: Int -> IO a -> IO Double
bestOf k act = minimum <$> replicateM k (fst <$> timeIt act)

percentile :: Double -> [Double] -> Double
percentile _ [] = 0
percentile p xs = let s = sort xs; i = min (length s - 1) (floor (p * fromIntegral (length s))) in s !! i

fmtUs, fmtMs :: Double -> String
fmtUs s = printf "%.3f us" (s * 1e6)
fmtMs s = printf "%.3f ms" (s * 1e3)

-- | Run the action while n Haskell threads allocate and call performGC in a
--   loop; returns the action's result and the number of GCs forced.
gcStorm :: Int -> IO a -> IO (a, Int)
gcStorm = storm $ \i -> do
  _ <- evaluate (sum (map fromIntegral [i .. i + 20000 :: Int]) :: Integer)
  performGC

-- | Like 'gcStorm', but the storm is allocation (short-lived lists: many
--   minor GCs) instead of explicit major GCs.
allocStorm :: Int -> IO a -> IO (a, Int)
allocStorm = storm $ \i -> void (evaluate (length (show [i .. i + 2000 :: Int])))

-- | Run the action while n Haskell threads repeat one storm step; returns
--   the action's result and how many steps the storm threads made.
storm :: (Int -> IO ()) -> Int -> IO a -> IO (a, Int)
storm step n act = do
  stop <- newIORef False
  count <- newIORef (0 :: Int)
  dones <- forM [1 .. n] $ \_ -> do
    d <- newEmptyMVar
    _ <- forkIO $ do
      let loop i = do
            s <- readIORef stop
            unless s $ do
              step i
              atomicModifyIORef' count (\c -> (c + 1, ()))
              loop (i + 1)
      loop 0
      putMVar d ()
    pure d
  r <- act
  writeIORef stop True
  mapM_ takeMVar dones
  c <- readIORef count
  pure (r, c)

-- | For k calls of one kernel sweep on n doubles: (round trip seen from
--   Haskell, time inside the region measured in C), in seconds.
regionLatencies2 :: Int -> Int -> IO ([Double], [Double])
regionLatencies2 k n = allocaArray n $ \p -> alloca $ \inside -> do
  pokeArray p (replicate n 1)
  _ <- c_kernel p (fromIntegral n) 1
  rs <- replicateM k $ do
    (t, _) <- timeIt (c_kernel_timed p (fromIntegral n) inside)
    i <- peek inside
    pure (t, i)
  pure (map fst rs, map snd rs)

-- | Latencies (seconds) of k calls of the demo kernel on an n-element array.
regionLatencies :: Int -> Int -> IO [Double]
regionLatencies k n = allocaArray n $ \p -> do
  pokeArray p (replicate n 1)
  _ <- c_kernel p (fromIntegral n) 1
  replicateM k (fst <$> timeIt (c_kernel p (fromIntegral n) 1))

-- | For n = 2^8 .. 2^maxLog: best time of the sequential kernel (unsafe call)
--   and of the OpenMP kernel (safe call) on n doubles; and the first n at
--   which the parallel one wins (and keeps winning).
crossover :: Int -> IO ([(Int, Double, Double)], Maybe Int)
crossover maxLog = do
  rows <- forM [8 .. maxLog] $ \e -> do
    let n = 2 ^ e :: Int
        reps = max 3 (min 2000 (2000000 `div` n))
    allocaArray n $ \p -> do
      pokeArray p (map fromIntegral [1 .. n])
      ts <- bestOf 5 (replicateM_ reps (c_sum_seq p (fromIntegral n)))
      tp <- bestOf 5 (replicateM_ reps (c_sum_par p (fromIntegral n)))
      pure (n, ts / fromIntegral reps, tp / fromIntegral reps)
  let wins = [n | (n, s, p) <- rows, p < s]
      firstStable = case dropWhile (\(_, s, p) -> p < s) (reverse rows) of
        _ | null wins -> Nothing
        [] -> Just (head [n | (n, _, _) <- rows])
        ((n, _, _) : _) -> lookup n (zip (map fst3 rows) (drop 1 (map fst3 rows)))
      fst3 (a, _, _) = a
  pure (rows, firstStable)
