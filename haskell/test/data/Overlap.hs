{-# LANGUAGE LinearTypes #-}
-- Must NOT compile: the slice l is handed to two writers.
module Overlap where
import Control.Parallel.OpenMP.Slice

overlap :: Slice Double %1 -> Slice Double
overlap s = split 4 s & \(l, r) -> combine (writeSlice l 0 1) (writeSlice l 1 2)
