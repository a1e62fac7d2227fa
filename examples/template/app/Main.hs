-- | A C kernel with an OpenMP loop and a Haskell body on the same team.
module Main (main) where

import Data.IORef
import Foreign
import Foreign.C.Types

import Control.Parallel.OpenMP (parallelFor)

-- safe: the kernel runs a parallel region, and a safe call lets other
-- Haskell threads run meanwhile
foreign import ccall safe "my_sum_sqrt" c_sumSqrt :: Ptr Double -> Int64 -> IO Double
foreign import ccall safe "my_team_size" c_teamSize :: IO CInt

main :: IO ()
main = do
  let n = 1000000 :: Int
      xs = map fromIntegral [1 .. n] :: [Double]
  team <- c_teamSize
  s <- withArray xs $ \p -> c_sumSqrt p (fromIntegral n)
  let ref = sum (map sqrt xs)
  putStrLn ("team of " ++ show team ++ " threads")
  putStrLn ("C kernel: " ++ (if abs (s - ref) <= 1e-9 * ref then "ok" else "WRONG " ++ show (s, ref)))
  acc <- newIORef (0 :: Int)
  parallelFor 0 n (\i -> atomicModifyIORef' acc (\a -> (a + i, ())))
  total <- readIORef acc
  putStrLn ("parallelFor: " ++ (if total == sum [0 .. n - 1] then "ok" else "WRONG " ++ show total))
