{-# LANGUAGE LinearTypes #-}
-- | Linear slices: an OpenMP C kernel scales the left half of an array while
--   Haskell updates the right half, in parallel (parCombine sparks one side),
--   with no lock or barrier: the types guarantee the halves are disjoint.
module Main (main) where

import Foreign
import Text.Printf (printf)

import Common
import Control.Parallel.OpenMP.Array
import Control.Parallel.OpenMP.Slice

foreign import ccall safe "hsomp_ex_kernel" c_kernel' :: Ptr Double -> Int64 -> Int32 -> IO Double

-- | C on the left, Haskell on the right.
halves :: Int -> Slice Double %1 -> Ur ()
halves cut s = split cut s & \(l, r) ->
  done (parCombine (withSlicePtr l (\p n -> () <$ c_kernel' p (fromIntegral n) 1))
                   (modifySlice (\_ x -> x + 1) r)) ()

main :: IO ()
main = do
  let n = 1000000
      cut = n `div` 2
  arr <- generateSharedArray n (const 1) :: IO (SharedArray Double)
  (t, ()) <- timeIt (withSlices arr (halves cut))
  l0 <- readShared arr 0
  r0 <- readShared arr cut
  printf "left half by OpenMP C (a[0] = %.4f), right half by Haskell (a[%d] = %.1f), in %s\n" l0 cut r0 (fmtMs t)
  -- Handing the same half to both sides does not compile:
  --   split cut s & \(l, r) -> combine (withSlicePtr l f) (modifySlice g l)
  --   error: Couldn't match type 'Many with 'One arising from multiplicity of l
