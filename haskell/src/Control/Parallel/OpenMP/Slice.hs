{-# LANGUAGE BangPatterns, GADTs, LinearTypes, RankNTypes, ScopedTypeVariables #-}
-- | Linear, disjoint slices of a 'SharedArray'.
--
--   A 'Slice' is a linear token that grants access to a range of an array.
--   'split' turns one token into two tokens for the two disjoint halves and
--   'combine' glues adjacent halves back. Because every token must be used
--   exactly once, two pieces of code can only hold disjoint ranges, so
--   Haskell can work on one half while a C kernel (OpenMP) works on the
--   other, with no lock or barrier between them; 'parCombine' runs the two
--   sides in parallel on sparks. Handing the same slice to two writers is a
--   type error:
--
--   > split 4 s & \(l, r) -> combine (writeSlice l 0 1) (writeSlice l 1 2)
--   >   -- error: the linear variable l is used twice (r is not used)
--
--   (GHC 9.0's @case@ is not linear in its scrutinee: take results apart with
--   '&' and a lambda, or with a local function that has a @%1 ->@ signature.)
--
--   Effects on slices are performed when the resulting token is demanded;
--   linearity orders them. Everything ends in 'withSlices', which hands out
--   the slice of the whole array and waits for it to come back through
--   'done' (the result is unrestricted: 'Ur').
module Control.Parallel.OpenMP.Slice
  ( Slice, Ur (..)
  , withSlices, done
  , split, combine, parCombine
  , sliceLength, readSlice, writeSlice, modifySlice, withSlicePtr
  , (&)
  ) where

import Control.Parallel.OpenMP.Array
import Control.Exception (evaluate)
import Foreign
import GHC.Conc (par, pseq)
import System.IO.Unsafe (unsafePerformIO)
import Unsafe.Coerce (unsafeCoerce)

-- | An unrestricted value: may be used any number of times.
data Ur a where
  Ur :: a -> Ur a

-- | Access to elements @[off, off + len)@ of an array. Only this module can
--   take one apart (the fields are unrestricted, the token is linear).
data Slice a where
  Slice :: !(ForeignPtr a) -> !Int -> !Int -> Slice a

-- | Linear reverse application: @x & \\(a, b) -> ...@ takes a linear result
--   apart (GHC 9.0's @case@ would consume it unrestrictedly).
(&) :: a %1 -> (a %1 -> b) %1 -> b
x & f = f x
infixl 1 &

-- | Turn an ordinary function into a linear one (sound here because the
--   token's constructor is private and every operation returns a token).
toLinear :: (a -> b) -> (a %1 -> b)
toLinear = unsafeCoerce

toLinear2 :: (a -> b -> c) -> (a %1 -> b %1 -> c)
toLinear2 = unsafeCoerce

-- | Run a linear computation over the slice of the whole array; every effect
--   on the slices has happened when this returns.
withSlices :: SharedArray a -> (Slice a %1 -> Ur b) -> IO b
withSlices arr k = do
  Ur b <- evaluate (k (Slice (sharedForeignPtr arr) 0 (sharedLength arr)))
  withSharedPtr arr (\_ _ -> pure ())  -- keep the array alive until here
  pure b

-- | Give a slice back (forcing every effect made on it), with a result.
done :: Slice a %1 -> b -> Ur b
done (Slice _ _ _) b = Ur b

-- | @split i s@: the first @i@ elements and the rest (@i@ clamped to the range).
split :: Int -> Slice a %1 -> (Slice a, Slice a)
split i (Slice fp off len) =
  let k = max 0 (min len i) in (Slice fp off k, Slice fp (off + k) (len - k))

-- | Glue two adjacent slices (left, then right) back into one.
combine :: Slice a %1 -> Slice a %1 -> Slice a
combine = toLinear2 combine'

combine' :: Slice a -> Slice a -> Slice a
combine' (Slice fp o1 l1) (Slice _ o2 l2)
  | o1 + l1 == o2 = Slice fp o1 (l1 + l2)
  | l1 == 0 = Slice fp o2 l2
  | l2 == 0 = Slice fp o1 l1
  | otherwise = error ("Control.Parallel.OpenMP.Slice.combine: slices [" ++ show o1 ++ "," ++ show (o1 + l1)
                        ++ ") and [" ++ show o2 ++ "," ++ show (o2 + l2) ++ ") are not adjacent")

-- | Like 'combine', but the left side is evaluated on a spark while this
--   thread evaluates the right side, so the work behind both runs in parallel.
parCombine :: Slice a %1 -> Slice a %1 -> Slice a
parCombine = toLinear2 (\l r -> l `par` (r `pseq` (l `pseq` combine' l r)))

-- | The slice's length, and the slice back.
sliceLength :: Slice a %1 -> (Ur Int, Slice a)
sliceLength (Slice fp off len) = (Ur len, Slice fp off len)

-- | Run an IO action (e.g. a C kernel) on the slice's memory: it gets the
--   address of the slice's first element and its length. It runs exactly
--   once, when the returned token is demanded.
withSlicePtr :: Storable a => Slice a %1 -> (Ptr a -> Int -> IO ()) -> Slice a
withSlicePtr = toLinear (\(Slice fp off len) f -> unsafePerformIO (withForeignPtr fp (\p -> do
  f (advancePtr p off) len
  pure (Slice fp off len))))

-- | Element i of the slice (relative to the slice; an error when out of
--   range), and the slice back.
readSlice :: Storable a => Slice a %1 -> Int -> (Ur a, Slice a)
readSlice = toLinear (\(Slice fp off len) i -> unsafePerformIO (withForeignPtr fp (\p -> do
  x <- peekElemOff p (off + inRange "readSlice" len i)
  pure (Ur x, Slice fp off len))))

-- | Write element i of the slice (relative to the slice; an error when out
--   of range).
writeSlice :: Storable a => Slice a %1 -> Int -> a -> Slice a
writeSlice = toLinear (\(Slice fp off len) i x -> unsafePerformIO (withForeignPtr fp (\p -> do
  pokeElemOff p (off + inRange "writeSlice" len i) x
  pure (Slice fp off len))))

-- | Apply a function to every element of the slice (index relative to the slice).
modifySlice :: Storable a => (Int -> a -> a) -> Slice a %1 -> Slice a
modifySlice f = toLinear (\(Slice fp off len) -> unsafePerformIO (withForeignPtr fp (\p -> do
  let go !j | j >= len = pure ()
            | otherwise = do
                x <- peekElemOff p (off + j)
                pokeElemOff p (off + j) (f j x)
                go (j + 1)
  go 0
  pure (Slice fp off len))))

inRange :: String -> Int -> Int -> Int
inRange what len i
  | i < 0 || i >= len = error ("Control.Parallel.OpenMP.Slice." ++ what ++ ": index " ++ show i
                               ++ " outside the slice [0," ++ show len ++ ")")
  | otherwise = i
