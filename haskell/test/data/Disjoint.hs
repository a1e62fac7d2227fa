{-# LANGUAGE LinearTypes #-}
-- Must compile: the two halves go to two writers.
module Disjoint where
import Control.Parallel.OpenMP.Slice

disjoint :: Slice Double %1 -> Slice Double
disjoint s = split 4 s & \(l, r) -> combine (writeSlice l 0 1) (writeSlice r 0 2)
