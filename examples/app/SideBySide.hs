-- | Haskell threads and OpenMP side by side: Haskell worker threads keep
--   computing while the main thread runs OpenMP kernels with safe calls
--   (its Capability is released during each call).
module Main (main) where

import Control.Concurrent
import Control.Exception (evaluate)
import Control.Monad
import Data.IORef
import Foreign
import Text.Printf (printf)

import Common

main :: IO ()
main = do
  caps <- getNumCapabilities
  let n = 2000000
  counters <- forM [1 .. caps] $ \_ -> newIORef (0 :: Int)
  stop <- newIORef False
  dones <- forM counters $ \c -> do
    d <- newEmptyMVar
    _ <- forkIO $ do
      let loop i = do
            s <- readIORef stop
            unless s $ do
              _ <- evaluate (sum [i .. i + 5000 :: Int])  -- depends on i: not floated
              modifyIORef' c (+ 1)
              loop (i + 1)
      loop 0 >> putMVar d ()
    pure d
  (t, kernels) <- allocaArray n $ \p -> do
    pokeArray p (replicate n 1)
    timeIt $ forM [1 .. 20 :: Int] $ \_ -> c_kernel p (fromIntegral n) 5
  writeIORef stop True
  mapM_ takeMVar dones
  work <- mapM readIORef counters
  printf "main thread: 20 OpenMP kernel calls (100 regions) in %.3f s, last checksum %.3f\n" t (last kernels)
  printf "meanwhile %d Haskell threads finished %s units of Haskell work (sum of 5000 Ints each) (%.0f units/s)\n"
    caps (show work) (fromIntegral (sum work) / t)
