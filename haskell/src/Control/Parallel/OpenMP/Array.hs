{-# LANGUAGE ScopedTypeVariables #-}
-- | Shared arrays: unboxed elements in pinned memory on the GHC heap, handed
--   to C (OpenMP kernels) as a plain pointer with no copy. The memory never
--   moves and is freed by the GC once the array is unreachable; 'withSharedPtr'
--   keeps it alive for the duration of a call.
module Control.Parallel.OpenMP.Array
  ( SharedArray
  , newSharedArray, sharedArrayFromList, generateSharedArray
  , sharedLength, readShared, writeShared, toListShared
  , withSharedPtr, sharedForeignPtr, sharedArrayFromForeignPtr
  ) where

import Control.Monad (forM_)
import Foreign
import GHC.ForeignPtr (mallocPlainForeignPtrBytes)

-- | A fixed-size array of 'Storable' elements in pinned memory.
data SharedArray a = SharedArray !(ForeignPtr a) !Int

-- | A new array of n elements, zero-filled.
newSharedArray :: forall a. Storable a => Int -> IO (SharedArray a)
newSharedArray n = do
  let bytes = max 1 (n * sizeOf (undefined :: a))
  fp <- mallocPlainForeignPtrBytes bytes
  withForeignPtr fp $ \p -> fillBytes p 0 bytes
  pure (SharedArray fp (max 0 n))

-- | A new array holding the list's elements.
sharedArrayFromList :: Storable a => [a] -> IO (SharedArray a)
sharedArrayFromList xs = do
  arr@(SharedArray fp _) <- newSharedArray (length xs)
  withForeignPtr fp $ \p -> pokeArray p xs
  pure arr

-- | @generateSharedArray n f@: a new array of n elements, element i is @f i@.
generateSharedArray :: Storable a => Int -> (Int -> a) -> IO (SharedArray a)
generateSharedArray n f = do
  arr@(SharedArray fp _) <- newSharedArray n
  withForeignPtr fp $ \p -> forM_ [0 .. n - 1] $ \i -> pokeElemOff p i (f i)
  pure arr

-- | The number of elements.
sharedLength :: SharedArray a -> Int
sharedLength (SharedArray _ n) = n

check :: String -> Int -> Int -> IO ()
check what i n
  | i < 0 || i >= n = ioError (userError (what ++ ": index " ++ show i ++ " out of range [0," ++ show n ++ ")"))
  | otherwise = pure ()

-- | Element i (an IOError when out of range).
readShared :: Storable a => SharedArray a -> Int -> IO a
readShared (SharedArray fp n) i = check "readShared" i n >> withForeignPtr fp (`peekElemOff` i)

-- | Write element i (an IOError when out of range).
writeShared :: Storable a => SharedArray a -> Int -> a -> IO ()
writeShared (SharedArray fp n) i x = check "writeShared" i n >> withForeignPtr fp (\p -> pokeElemOff p i x)

-- | All elements, in order.
toListShared :: Storable a => SharedArray a -> IO [a]
toListShared (SharedArray fp n) = withForeignPtr fp (peekArray n)

-- | The address of element 0 and the length, valid inside the action (zero
--   copy: C writes are seen by Haskell and vice versa).
withSharedPtr :: SharedArray a -> (Ptr a -> Int -> IO b) -> IO b
withSharedPtr (SharedArray fp n) f = withForeignPtr fp (\p -> f p n)

-- | The array's memory (pinned, never moves).
sharedForeignPtr :: SharedArray a -> ForeignPtr a
sharedForeignPtr (SharedArray fp _) = fp

-- | An array over existing memory: @n@ elements from the pointer's address,
--   no copy. The memory must never move and hold at least @n@ elements: any
--   'ForeignPtr' qualifies ('mallocForeignPtr', C memory with a finalizer, a
--   storable vector's, see "Control.Parallel.OpenMP.Vector").
sharedArrayFromForeignPtr :: ForeignPtr a -> Int -> SharedArray a
sharedArrayFromForeignPtr fp n = SharedArray fp (max 0 n)
