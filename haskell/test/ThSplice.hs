{-# LANGUAGE TemplateHaskell #-}
-- | Template Haskell in a component that depends on hsomp: the splices run
--   an OpenMP region at compile time, inside GHC, which loads hsomp's shared
--   library and the shared runtime (issue 12). If that breaks, this module
--   (and with it the test-suite) does not build.
module ThSplice (thParallelSum, thRuntimeVersion) where

import Data.IORef (atomicModifyIORef', newIORef, readIORef)
import Language.Haskell.TH.Syntax (lift, runIO)

import Control.Parallel.OpenMP (parallelFor, runtimeVersion)

-- | The sum of [0, 1000) computed by 'parallelFor' while compiling.
thParallelSum :: Int
thParallelSum = $(runIO (do
  r <- newIORef 0
  parallelFor 0 1000 (\i -> atomicModifyIORef' r (\s -> (s + i, ())))
  readIORef r) >>= lift)

-- | The runtime that ran that region.
thRuntimeVersion :: String
thRuntimeVersion = $(runIO runtimeVersion >>= lift)
