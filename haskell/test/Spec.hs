{-# LANGUAGE LinearTypes, ScopedTypeVariables #-}
-- hsomp's Haskell test suite (hspec + QuickCheck). Run by haskell/run-tests.sh.
module Main (main) where

import Control.Concurrent
import Control.Exception
import Control.Monad
import Data.IORef
import Data.List (isInfixOf, sort, nub)
import qualified Data.Map.Strict as M
import Data.Char (toLower)
import Foreign
import Foreign.C.Types
import System.Directory
import System.Environment (lookupEnv)
import System.Exit
import System.FilePath
import System.IO.Temp.Compat ()
import System.Mem (performGC)
import System.Process
import System.Timeout (timeout)
import Test.Hspec
import Test.QuickCheck
import Test.QuickCheck.Monadic (assert, monadicIO, run)

import Control.Parallel.OpenMP
import Control.Parallel.OpenMP.Array
import Control.Parallel.OpenMP.Prim
import Control.Parallel.OpenMP.Slice
