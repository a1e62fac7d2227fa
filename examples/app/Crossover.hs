-- | The sequential-vs-parallel crossover: from which array size does calling
--   the OpenMP kernel (safe call, team of all Capabilities) beat the plain C
--   loop (unsafe call)?
module Main (main) where

import Control.Monad (forM_)
import System.Environment (getArgs)
import Text.Printf (printf)

import Common

main :: IO ()
main = do
  args <- getArgs
  let maxLog = case args of (a : _) -> read a; _ -> 22
  (rows, cross) <- crossover maxLog
  printf "%10s %14s %14s %8s\n" "n" "sequential" "OpenMP" "speedup"
  forM_ rows $ \(n, s, p) -> printf "%10d %14s %14s %8.2f\n" n (fmtUs s) (fmtUs p) (s / p)
  putStrLn $ maybe "the parallel kernel never won" (\n -> "crossover: from n = " ++ show n ++ " the parallel kernel wins") cross
