{-# LANGUAGE GHCForeignImportPrim, MagicHash, QuasiQuotes, UnboxedTuples, UnliftedFFITypes #-}
-- | Cmm primitives written inline with 'cmm' (issue 14, item 5), behind
--   boxed wrappers so that InlineSpec needs no unboxed types (and stays
--   interpreted in GHCi: unboxed tuples make GHCi compile a module to object
--   code).
module InlineCmm (cmmMulAdd, cmmThreadNum) where

import GHC.Exts (Int (..))
import GHC.IO (IO (..))

import Control.Parallel.OpenMP.Inline (cmm)

[cmm|
inl_cmm_mul_add :: Int# -> Int# -> Int# -> Int#
inl_cmm_mul_add (W_ a, W_ b, W_ c)
{
    return (a * b + c);
}

inl_cmm_thread_num :: State# RealWorld -> (# State# RealWorld, Int# #)
inl_cmm_thread_num ()
{
    CInt r;
    (r) = ccall omp_get_thread_num();
    return (TO_W_(r));
}
|]

-- | @a * b + c@ (wrapping), computed by a Cmm primitive.
cmmMulAdd :: Int -> Int -> Int -> Int
cmmMulAdd (I# a) (I# b) (I# c) = I# (inl_cmm_mul_add a b c)

-- | omp_get_thread_num() through a Cmm primitive's unsafe C call.
cmmThreadNum :: IO Int
cmmThreadNum = IO (\s -> case inl_cmm_thread_num s of (# s', n #) -> (# s', I# n #))
