-- | Haskell calling OpenMP C kernels that clang compiled (the [omp| block of
--   "Kernels"): the kernels call LLVM's @__kmpc_*@ ABI, and the
--   threads that run them are hsomp's, on GHC Capabilities; a Haskell
--   callback runs on the clang-built team. Every result is checked against
--   a Haskell reference; the last line is @clang-haskell: N passed, N
--   failed@ (exit 1 on a failure).
module Main (main) where

import Control.Concurrent (getNumCapabilities)
import Control.Monad (unless)
import Data.IORef
import Data.List (sort)
import Foreign
import System.Exit (exitFailure)
import Text.Printf (printf)

import Control.Parallel.OpenMP (runtimeVersion)

import Kernels

foreign import ccall "wrapper" mkCallback :: (Int -> IO Int) -> IO (FunPtr (Int -> IO Int))

fibRef :: Int -> Integer
fibRef k = fst (iterate (\(a, b) -> (b, a + b)) (0, 1) !! k)

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
  built <- hsomp_clang_built
  check "the kernels were compiled by clang" (built == 1)

  ids <- allocaArray 64 $ \p -> do
    pokeArray p (replicate 64 (-1))
    size <- hsomp_clang_team p 64
    take (fromIntegral size) <$> peekArray 64 p
  check (printf "a team of %d threads (one per Capability), numbered 0..n-1" caps)
    (length ids == caps && sort ids == [0 .. fromIntegral caps - 1])

  let n = 100000 :: Int
      xs = [fromIntegral (i `mod` 7) | i <- [1 .. n]]
      ys = [fromIntegral (i `mod` 5) | i <- [1 .. n]]
  d <- withArray xs $ \px -> withArray ys $ \py -> hsomp_clang_dot n px py
  check "parallel for reduction(+) equals the Haskell sum" (d == sum (zipWith (*) xs ys))

  cb <- mkCallback (\i -> return (i * i + 1))
  out <- allocaArray 5000 $ \p -> hsomp_clang_apply 5000 cb p >> peekArray 5000 p
  freeHaskellFunPtr cb
  check "a Haskell callback on the clang-built team, dynamic schedule" (out == [i * i + 1 | i <- [0 .. 4999]])

  f <- hsomp_clang_fib 27
  check "recursive tasks (fib 27)" (toInteger f == fibRef 27)

  (bins, atomics) <- allocaArray 7 $ \pb -> with 0 $ \pa -> do
    pokeArray pb (replicate 7 0)
    hsomp_clang_histogram 70000 pb 7 pa
    (,) <$> peekArray 7 pb <*> peek pa
  check "critical and atomic count every iteration (guided)" (bins == replicate 7 10000 && atomics == 70000)

  (passed, failed) <- readIORef results
  printf "clang-haskell: %d passed, %d failed\n" passed failed
  unless (failed == 0) exitFailure
