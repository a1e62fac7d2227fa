{-# LANGUAGE QuasiQuotes #-}
-- | A C kernel with an OpenMP loop, one written inline, and a Haskell body
--   on the same team.
module Main (main) where

import Data.IORef
import Foreign
import Foreign.C.Types

import Control.Parallel.OpenMP (parallelFor)
import Control.Parallel.OpenMP.Inline (omp)

-- safe: the kernel runs a parallel region, and a safe call lets other
-- Haskell threads run meanwhile
foreign import ccall safe "my_sum_sqrt" c_sumSqrt :: Ptr Double -> Int64 -> IO Double
foreign import ccall safe "my_team_size" c_teamSize :: IO CInt

-- An OpenMP kernel written here: compiled with -fopenmp as part of this
-- module and bound as  my_dot :: Ptr Double -> Ptr Double -> Int -> IO Double
[omp|
double my_dot(const double *x, const double *y, long n)
{
  double s = 0;
  #pragma omp parallel for reduction(+:s)
  for (long i = 0; i < n; i++) s += x[i] * y[i];
  return s;
}
|]

main :: IO ()
main = do
  let n = 1000000 :: Int
      xs = map fromIntegral [1 .. n] :: [Double]
  team <- c_teamSize
  s <- withArray xs $ \p -> c_sumSqrt p (fromIntegral n)
  let ref = sum (map sqrt xs)
  putStrLn ("team of " ++ show team ++ " threads")
  putStrLn ("C kernel: " ++ (if abs (s - ref) <= 1e-9 * ref then "ok" else "WRONG " ++ show (s, ref)))
  d <- withArray xs $ \p -> my_dot p p n
  let dref = sum (map (^ (2 :: Int)) xs)
  putStrLn ("inline kernel: " ++ (if abs (d - dref) <= 1e-9 * dref then "ok" else "WRONG " ++ show (d, dref)))
  acc <- newIORef (0 :: Int)
  parallelFor 0 n (\i -> atomicModifyIORef' acc (\a -> (a + i, ())))
  total <- readIORef acc
  putStrLn ("parallelFor: " ++ (if total == sum [0 .. n - 1] then "ok" else "WRONG " ++ show total))
