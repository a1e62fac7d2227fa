-- | DGEMM on pinned shared arrays: Haskell allocates and fills the matrices,
--   the OpenMP C kernel multiplies them in place (zero copy), Haskell checks.
module Main (main) where

import Control.Monad
import System.Environment (getArgs)
import Text.Printf (printf)

import Common
import Control.Parallel.OpenMP (maxThreads)
import Control.Parallel.OpenMP.Array

main :: IO ()
main = do
  args <- getArgs
  let n = case args of (a : _) -> read a; _ -> 512
  a <- generateSharedArray (n * n) (\i -> fromIntegral (i `mod` 7) - 3) :: IO (SharedArray Double)
  b <- generateSharedArray (n * n) (\i -> fromIntegral (i `mod` 5) - 2) :: IO (SharedArray Double)
  c <- newSharedArray (n * n) :: IO (SharedArray Double)
  let run = withSharedPtr a $ \pa _ -> withSharedPtr b $ \pb _ -> withSharedPtr c $ \pc _ ->
              c_dgemm (fromIntegral n) pa pb pc
  run
  t <- bestOf 3 run
  -- spot-check a few entries in Haskell
  bad <- fmap or $ forM [(0, 0), (n - 1, n - 1), (n `div` 2, 3)] $ \(i, j) -> do
    want <- sum <$> forM [0 .. n - 1] (\k -> (*) <$> readShared a (i * n + k) <*> readShared b (k * n + j))
    got <- readShared c (i * n + j)
    pure (abs (want - got) > 1e-9)
  th <- maxThreads
  printf "DGEMM %dx%d on %d OpenMP threads: %s, %.2f GFLOP/s, check %s\n"
    n n th (fmtMs t) (2 * fromIntegral n ^ (3 :: Int) / t / 1e9) (if bad then "FAILED" else "ok")
