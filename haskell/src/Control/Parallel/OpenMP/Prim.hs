{-# LANGUAGE GHCForeignImportPrim, MagicHash, UnboxedTuples, UnliftedFFITypes #-}
-- | Hot queries and batched safe calls as @foreign import prim@ functions
--   written in Cmm (haskell/cbits/hsomp_prim.cmm).
--
--   Every primitive takes and returns the @State# RealWorld@ token, so GHC
--   treats it as an effect: it is neither floated out of a loop nor shared
--   between two calls.
module Control.Parallel.OpenMP.Prim
  ( -- * Queries
    capabilityNo, ompThreadNum, ompNumThreads
    -- * Batched safe calls
  , batchedCalls, batchedCallsIx
    -- * The raw primitives
  , capabilityNo#, ompThreadNum#, ompNumThreads#, batchPtrs#, batchIx#
  ) where

import Foreign.Marshal.Array (withArrayLen)
import Foreign.Ptr
import GHC.Exts
import GHC.IO (IO (..))

-- | The primitive behind 'capabilityNo'.
foreign import prim "hsomp_prim_capability_no"
  capabilityNo# :: State# RealWorld -> (# State# RealWorld, Int# #)
-- | The primitive behind 'ompThreadNum'.
foreign import prim "hsomp_prim_omp_thread_num"
  ompThreadNum# :: State# RealWorld -> (# State# RealWorld, Int# #)
-- | The primitive behind 'ompNumThreads'.
foreign import prim "hsomp_prim_omp_num_threads"
  ompNumThreads# :: State# RealWorld -> (# State# RealWorld, Int# #)
-- | @batchPtrs# f args n@: the primitive behind 'batchedCalls' (returns n).
foreign import prim "hsomp_prim_batch_ptrs"
  batchPtrs# :: Addr# -> Addr# -> Int# -> State# RealWorld -> (# State# RealWorld, Int# #)
-- | @batchIx# f ctx n@: the primitive behind 'batchedCallsIx' (returns n).
foreign import prim "hsomp_prim_batch_ix"
  batchIx# :: Addr# -> Addr# -> Int# -> State# RealWorld -> (# State# RealWorld, Int# #)

-- | The number of the Capability this Haskell thread runs on now, read from
--   the register table (no C call). Like 'Control.Concurrent.threadCapability'
--   for the current thread, minus the lookup.
capabilityNo :: IO Int
capabilityNo = IO (\s -> case capabilityNo# s of (# s', n #) -> (# s', I# n #))
{-# INLINE capabilityNo #-}

-- | @omp_get_thread_num()@ of the OS thread running this code, called from Cmm
--   as an unsafe C call: inside a 'Control.Parallel.OpenMP.parallelFor' body
--   it is the team thread number.
ompThreadNum :: IO Int
ompThreadNum = IO (\s -> case ompThreadNum# s of (# s', n #) -> (# s', I# n #))
{-# INLINE ompThreadNum #-}

-- | @omp_get_num_threads()@ (1 outside a team).
ompNumThreads :: IO Int
ompNumThreads = IO (\s -> case ompNumThreads# s of (# s', n #) -> (# s', I# n #))
{-# INLINE ompNumThreads #-}

-- | @batchedCalls f ps@ calls the C function @f p@ for every @p@ in @ps@, in
--   order, inside ONE release/reacquire of the Capability: other Haskell
--   threads and GC run meanwhile, as with a safe call, but the cost of
--   releasing and reacquiring is paid once for the batch. @f@ must not call
--   back into Haskell.
batchedCalls :: FunPtr (Ptr a -> IO ()) -> [Ptr a] -> IO ()
batchedCalls (FunPtr f) ps =
  withArrayLen ps $ \(I# n) (Ptr arr) ->
    IO (\s -> case batchPtrs# f arr n s of (# s', _ #) -> (# s', () #))

-- | @batchedCallsIx f ctx n@ calls @f ctx i@ for @i@ in @[0, n)@ inside one
--   release/reacquire of the Capability. @ctx@ must stay valid (pinned or C
--   memory) for the duration.
batchedCallsIx :: FunPtr (Ptr a -> Int -> IO ()) -> Ptr a -> Int -> IO ()
batchedCallsIx (FunPtr f) (Ptr ctx) (I# n) =
  IO (\s -> case batchIx# f ctx n s of (# s', _ #) -> (# s', () #))
