{-# LANGUAGE BangPatterns, FlexibleContexts, ScopedTypeVariables #-}
-- | Parallel loops over the @vector@ package's vectors, on the OpenMP team
--   of 'parallelFor' (static block schedule, default team size; see
--   'Control.Parallel.OpenMP.withNumThreads' to change it).
--
--   * 'generate' fills a new unboxed or storable vector in parallel;
--   * 'imapM_' / 'iforM_' / 'forM_' / 'imodify' walk a /mutable/ unboxed or
--     storable vector on the team, in 'IO' or in 'Control.Monad.ST.ST'
--     (any 'PrimBase' monad);
--   * 'withStorable' / 'withStorableM' hand a storable vector's memory to a
--     C kernel (e.g. an OpenMP loop compiled with @-fopenmp@) without a copy;
--   * 'sharedToMVector' / 'mvectorToShared' and friends convert between
--     'SharedArray' and storable vectors without a copy (same memory).
--
--   The same contract as 'parallelFor' holds: every index is visited exactly
--   once, in no particular order, and bodies must write to disjoint places
--   (element @i@ in iteration @i@). Exceptions stop the loop and are rethrown.
--
--   'forM_' and 'imapM_' share their names with "Control.Monad" and
--   "Data.Vector": import this module qualified, or name what you use.
--
--   A storable-vector kernel:
--
--   > -- double sumsq(const double *x, long n): #pragma omp parallel for reduction(+:s)
--   > foreign import ccall safe "sumsq" c_sumsq :: Ptr Double -> Int -> IO Double
--   >
--   > main = do
--   >   v <- generateS 1000000 (\i -> fromIntegral i / 1e6) -- filled by the team
--   >   c <- withStorable v c_sumsq                  -- C reads v's memory, no copy
--   >   h <- parallelSum 0 (S.length v) (\i -> (v S.! i) ^ 2)  -- same in Haskell
--   >   print (c, h)
module Control.Parallel.OpenMP.Vector
  ( -- * Filling vectors in parallel
    generate, generateU, generateS
    -- * Loops over mutable vectors
  , imapM_, iforM_, forM_, imodify
    -- * Reductions over vectors
  , foldMapVector, sumVector, minimumVector, maximumVector
    -- * Storable vectors and C kernels (no copy)
  , withStorable, withStorableM
  , sharedToMVector, mvectorToShared, unsafeSharedToVector, unsafeVectorToShared
  ) where

import Control.Monad.Primitive (PrimBase, PrimState, unsafeIOToPrim, unsafePrimToIO)
import Control.Parallel.OpenMP
import Control.Parallel.OpenMP.Array
import qualified Data.Vector.Generic as G
import qualified Data.Vector.Generic.Mutable as GM
import qualified Data.Vector.Storable as S
import qualified Data.Vector.Storable.Mutable as SM
import qualified Data.Vector.Unboxed as U
import Foreign (Ptr, Storable)

-- | @generate n f@: a new vector of @n@ elements (none if @n <= 0@), element
--   @i@ is @f i@, computed by the team ('parallelFor'; each element is
--   evaluated to weak head normal form by the thread that computes it). Works
--   for any vector type; 'generateU' and 'generateS' fix it to unboxed and
--   storable vectors.
generate :: G.Vector v a => Int -> (Int -> a) -> IO (v a)
generate n f = do
  mv <- GM.unsafeNew (max 0 n)
  parallelFor 0 n (\i -> let !x = f i in GM.unsafeWrite mv i x)
  G.unsafeFreeze mv
{-# INLINE generate #-}

-- | 'generate' for unboxed vectors.
generateU :: U.Unbox a => Int -> (Int -> a) -> IO (U.Vector a)
generateU = generate
{-# INLINE generateU #-}

-- | 'generate' for storable vectors (pinned memory, ready for 'withStorable').
generateS :: Storable a => Int -> (Int -> a) -> IO (S.Vector a)
generateS = generate
{-# INLINE generateS #-}

-- | @imapM_ f mv@ runs @f i x@ for every element @x@ (at index @i@) of the
--   mutable vector, in parallel on the team. In 'IO' or 'Control.Monad.ST.ST'
--   (the body runs on the team's threads: it may write only to its own
--   element or through atomic operations).
imapM_ :: (PrimBase m, GM.MVector v a) => (Int -> a -> m ()) -> v (PrimState m) a -> m ()
imapM_ f mv = unsafeIOToPrim $
  parallelFor 0 (GM.length mv) (\i -> unsafePrimToIO (GM.unsafeRead mv i >>= f i))
{-# INLINE imapM_ #-}

-- | 'imapM_' with the arguments flipped.
iforM_ :: (PrimBase m, GM.MVector v a) => v (PrimState m) a -> (Int -> a -> m ()) -> m ()
iforM_ mv f = imapM_ f mv
{-# INLINE iforM_ #-}

-- | @forM_ mv f@ runs @f x@ for every element of the mutable vector, in
--   parallel on the team (see 'imapM_').
forM_ :: (PrimBase m, GM.MVector v a) => v (PrimState m) a -> (a -> m ()) -> m ()
forM_ mv f = imapM_ (\_ x -> f x) mv
{-# INLINE forM_ #-}

-- | @imodify f mv@ replaces every element @x@ at index @i@ by @f i x@, in
--   parallel (each thread writes only the elements it reads).
imodify :: forall m v a. (PrimBase m, GM.MVector v a) => (Int -> a -> a) -> v (PrimState m) a -> m ()
imodify f mv = unsafeIOToPrim $
  parallelFor 0 (GM.length mv) (\i -> unsafePrimToIO (do
    x <- GM.unsafeRead mv i
    let !y = f i x
    GM.unsafeWrite mv i y :: m ()))
{-# INLINE imodify #-}

-- | @foldMapVector f v@: @'foldMap'' f@ over the vector's elements, computed
--   by the team with one accumulator per thread (see 'parallelFoldMap': for a
--   static schedule the result is that of the sequential left fold, for any
--   monoid).
foldMapVector :: (G.Vector v a, Monoid m) => (a -> m) -> v a -> IO m
foldMapVector f v = parallelFoldMap 0 (G.length v) (\i -> f (G.unsafeIndex v i))
{-# INLINE foldMapVector #-}

-- | The sum of the elements (strict, per-thread partial sums added in
--   thread order: the same result on every run for a given team size).
sumVector :: (G.Vector v a, Num a) => v a -> IO a
sumVector v = parallelSum 0 (G.length v) (G.unsafeIndex v)
{-# INLINE sumVector #-}

-- | The least / greatest element, 'Nothing' for an empty vector (the first
--   one in index order among equal ones).
minimumVector, maximumVector :: (G.Vector v a, Ord a) => v a -> IO (Maybe a)
minimumVector v = parallelMinimum 0 (G.length v) (G.unsafeIndex v)
maximumVector v = parallelMaximum 0 (G.length v) (G.unsafeIndex v)
{-# INLINE minimumVector #-}
{-# INLINE maximumVector #-}

-- | The address of a storable vector's first element and its length, for a
--   C kernel, valid inside the action (no copy; the memory is pinned). The
--   vector is immutable: the kernel must only read it, unless the vector is
--   used nowhere else (e.g. just made by 'generateS').
withStorable :: Storable a => S.Vector a -> (Ptr a -> Int -> IO b) -> IO b
withStorable v k = S.unsafeWith v (\p -> k p (S.length v))
{-# INLINE withStorable #-}

-- | 'withStorable' for a mutable storable vector: the kernel may write, and
--   Haskell sees the writes.
withStorableM :: Storable a => SM.IOVector a -> (Ptr a -> Int -> IO b) -> IO b
withStorableM mv k = SM.unsafeWith mv (\p -> k p (SM.length mv))
{-# INLINE withStorableM #-}

-- | The array as a mutable storable vector over the same memory (no copy:
--   writes through either are seen by the other).
sharedToMVector :: Storable a => SharedArray a -> SM.IOVector a
sharedToMVector arr = SM.unsafeFromForeignPtr0 (sharedForeignPtr arr) (sharedLength arr)

-- | A mutable storable vector as a 'SharedArray' over the same memory (no
--   copy; storable vectors live in memory that never moves).
mvectorToShared :: Storable a => SM.IOVector a -> SharedArray a
mvectorToShared mv = let (fp, n) = SM.unsafeToForeignPtr0 mv in sharedArrayFromForeignPtr fp n

-- | The array's current contents as an immutable storable vector, without a
--   copy. Unsafe like 'S.unsafeFreeze': the array must not be written
--   afterwards (by Haskell or C), or the \"immutable\" vector changes.
unsafeSharedToVector :: Storable a => SharedArray a -> IO (S.Vector a)
unsafeSharedToVector arr = pure (S.unsafeFromForeignPtr0 (sharedForeignPtr arr) (sharedLength arr))

-- | A storable vector's memory as a 'SharedArray', without a copy. Unsafe
--   like 'S.unsafeThaw': writes to the array change the vector, so the vector
--   must not be used afterwards unless that is intended.
unsafeVectorToShared :: Storable a => S.Vector a -> IO (SharedArray a)
unsafeVectorToShared v = let (fp, n) = S.unsafeToForeignPtr0 v in pure (sharedArrayFromForeignPtr fp n)


