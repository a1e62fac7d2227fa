-- | Haskell calling OpenMP Fortran kernels (kernels.f90, @bind(c)@) with
--   safe foreign calls: the Fortran threads are hsomp's, on GHC
--   Capabilities. Every result is checked against a Haskell reference; the
--   last line is @fortran-haskell: N passed, N failed@ (exit 1 on a failure).
module Main (main) where

import Control.Concurrent
import Control.Monad
import Data.IORef
import Foreign
import Foreign.C.Types
import System.Exit (exitFailure)
import Text.Printf (printf)

import Control.Parallel.OpenMP (runtimeVersion)

foreign import ccall safe "hsomp_f_axpy" f_axpy :: CInt -> Double -> Ptr Double -> Ptr Double -> IO ()
foreign import ccall safe "hsomp_f_dot" f_dot :: CInt -> Ptr Double -> Ptr Double -> IO Double
foreign import ccall safe "hsomp_f_matvec" f_matvec :: CInt -> CInt -> Ptr Double -> Ptr Double -> Ptr Double -> IO ()
foreign import ccall safe "hsomp_f_team" f_team :: Ptr CInt -> CInt -> IO CInt

-- Integer-valued data: every sum is exact, whatever order the threads add in.
xs, ys :: Int -> [Double]
xs n = [fromIntegral (i `mod` 7) | i <- [1 .. n]]
ys n = [fromIntegral (i `mod` 5) | i <- [1 .. n]]

main :: IO ()
main = do
  results <- newIORef (0 :: Int, 0 :: Int)
  let check what ok = do
        printf "%s %s\n" (if ok then "ok  " else "FAIL") (what :: String)
        modifyIORef' results (\(p, f) -> if ok then (p + 1, f) else (p, f + 1))

  v <- runtimeVersion
  caps <- getNumCapabilities
  printf "runtime: %s, %d capabilities\n" v caps
  check "the runtime is hsomp" (not (null v))

  ids <- withArray (replicate 64 (-1)) $ \p -> do
    nt <- f_team p 64
    map fromIntegral <$> peekArray (fromIntegral nt) p
  check (printf "a Fortran parallel region has one thread per Capability (%d)" (length ids))
        (ids == [0 .. caps - 1 :: Int])

  let n = 100000
  y' <- withArray (xs n) $ \px -> withArray (ys n) $ \py -> do
    f_axpy (fromIntegral n) 3 px py
    peekArray n py
  check "axpy matches Haskell" (y' == zipWith (\x y -> y + 3 * x) (xs n) (ys n))

  d <- withArray (xs n) $ \px -> withArray (ys n) $ \py -> f_dot (fromIntegral n) px py
  check (printf "dot = %.0f matches Haskell" d) (d == sum (zipWith (*) (xs n) (ys n)))

  -- A 300-by-200 matrix, a(i, j) = (i * j) mod 11, stored by columns.
  let (m, k) = (300, 200)
      a = [fromIntegral ((i * j) `mod` 11) | j <- [1 .. k], i <- [1 .. m]] :: [Double]
      x = [fromIntegral (j `mod` 3) | j <- [1 .. k]] :: [Double]
      ref = [sum [fromIntegral ((i * j) `mod` 11) * (x !! (j - 1)) | j <- [1 .. k]] | i <- [1 .. m]]
  y <- withArray a $ \pa -> withArray x $ \px -> allocaArray m $ \py -> do
    f_matvec (fromIntegral m) (fromIntegral k) pa px py
    peekArray m py
  check "matvec matches Haskell" (y == ref)

  -- Several Haskell threads calling Fortran kernels at once: each call
  -- gets a team of its own while the Haskell side keeps running.
  dones <- forM [1 .. 4 :: Int] $ \t -> do
    done <- newEmptyMVar
    _ <- forkIO $ do
      let n' = 20000 * t
      r <- withArray (xs n') $ \px -> withArray (ys n') $ \py ->
        replicateM 20 (f_dot (fromIntegral n') px py)
      putMVar done (all (== sum (zipWith (*) (xs n') (ys n'))) r)
    pure done
  oks <- mapM takeMVar dones
  check "4 Haskell threads, 20 Fortran dot products each" (and oks)

  (p, f) <- readIORef results
  printf "fortran-haskell: %d passed, %d failed\n" p f
  when (f > 0) exitFailure
