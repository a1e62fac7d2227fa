{-# LANGUAGE QuasiQuotes, ScopedTypeVariables #-}
-- | Tests of inline OpenMP C and Cmm (issue 14, item 5): kernels written in
--   this module with 'omp' (and in InlineCmm with 'cmm') against sequential
--   Haskell references, over random sizes, ranges, chunk sizes and team
--   sizes; a block the C compiler rejects gives a compile error at its line.
module InlineSpec (inlineSpec) where

import Control.Monad (forM_)
import Data.IORef
import Data.List (isInfixOf, sort)
import qualified Data.Vector.Storable as S
import qualified Data.Vector.Storable.Mutable as SM
import System.Directory (getTemporaryDirectory)
import System.Exit (ExitCode (..))
import System.FilePath ((</>))
import System.Process (readProcessWithExitCode)
import Test.Hspec
import Test.QuickCheck
import Test.QuickCheck.Monadic (monadicIO, run)
import qualified Test.QuickCheck.Monadic as QCM

import Control.Parallel.OpenMP (parallelRegion)
import Control.Parallel.OpenMP.Inline (omp)
import qualified Control.Parallel.OpenMP.Vector as V
import InlineCmm (cmmMulAdd, cmmThreadNum)

[omp|
#include <omp.h>

/* A helper: static, so not bound. */
static double sq(double x) { return x * x; }

double inl_dot(const double *x, const double *y, long n, int threads)
{
  double s = 0;
  #pragma omp parallel for num_threads(threads) reduction(+:s)
  for (long i = 0; i < n; i++) s += x[i] * y[i];
  return s;
}

void inl_axpy(double a, const double *x, double *y, long lo, long hi, int threads, int chunk)
{
  #pragma omp parallel for num_threads(threads) schedule(dynamic, chunk)
  for (long i = lo; i < hi; i++) y[i] = a * x[i] + y[i];
}

double inl_sumsq(const double x[], long n)
{
  double s = 0;
  #pragma omp parallel for reduction(+:s)
  for (long i = 0; i < n; i++) s += sq(x[i]);
  return s;
}

/* Each team thread writes its number and the team size. */
int inl_team(int threads, int *nums)
{
  int size = 0;
  #pragma omp parallel num_threads(threads)
  {
    nums[omp_get_thread_num()] = omp_get_thread_num();
    #pragma omp single
    size = omp_get_num_threads();
  }
  return size;
}

/* A flag for this block's compiler. */
#pragma hsomp cflags -DINL_FLAG=42
int inl_flag(void) { return INL_FLAG; }

inl_scale :: Ptr Double -> Int -> Double -> IO ()
void inl_scale(double *x, int64_t n, double a)
{
  #pragma omp parallel for
  for (int64_t i = 0; i < n; i++) x[i] *= a;
}
|]

-- | Integer-valued doubles (sums of their products are exact).
vec :: Int -> Int -> S.Vector Double
vec seed n = S.generate n (\i -> fromIntegral ((i * 7919 + seed) `mod` 201 - 100))

-- | Sizes 0..5000 and team sizes 1..4.
newtype Size = Size Int deriving Show
instance Arbitrary Size where arbitrary = Size <$> frequency [(1, choose (0, 3)), (6, choose (4, 5000))]
newtype Team = Team Int deriving Show
instance Arbitrary Team where arbitrary = Team <$> choose (1, 4)

inlineSpec :: IO (Maybe FilePath) -> Spec
inlineSpec packageDb = describe "inline OpenMP C and Cmm (Control.Parallel.OpenMP.Inline)" $ do
  it "a reduction kernel equals the sequential sum (random sizes, team sizes)" $
    property $ \(Size n) (Team t) (seed :: Int) -> monadicIO $ do
      let x = vec seed n
          y = vec (seed + 1) n
      s <- run $ V.withStorable x $ \px _ -> V.withStorable y $ \py _ -> inl_dot px py (fromIntegral n) (fromIntegral t)
      QCM.assert (s == S.sum (S.zipWith (*) x y))
  it "a dynamic-schedule kernel writes exactly [lo, hi) (random ranges, chunk sizes, team sizes)" $
    property $ \(Size n) (Team t) -> forAll (choose (1, 64 :: Int)) $ \chunk -> forAll (choose (0, n)) $ \lo ->
      forAll (choose (lo, n)) $ \hi -> monadicIO $ do
        let x = vec 3 n
        out <- run $ do
          y <- S.thaw (vec 5 n)
          V.withStorable x $ \px _ -> V.withStorableM y $ \py _ ->
            inl_axpy 2 px py (fromIntegral lo) (fromIntegral hi) (fromIntegral t) (fromIntegral chunk)
          S.freeze y
        let expect = S.imap (\i b -> if i >= lo && i < hi then 2 * (x S.! i) + b else b) (vec 5 n)
        QCM.assert (out == expect)
  it "static helpers, [] parameters and the default team work (sum of squares)" $
    property $ \(Size n) -> monadicIO $ do
      let x = vec 11 n
      s <- run $ V.withStorable x $ \px len -> inl_sumsq px (fromIntegral len)
      QCM.assert (s == S.sum (S.map (^ (2 :: Int)) x))
  it "a kernel's region gets the team it asks for, on hsomp" $
    forM_ [1 .. 4] $ \t -> do
      nums <- SM.replicate 4 (-1)
      size <- SM.unsafeWith nums (inl_team (fromIntegral t))
      size `shouldBe` fromIntegral t
      ns <- S.freeze nums
      S.toList (S.take t ns) `shouldBe` [0 .. fromIntegral t - 1]
  it "a type given in the block overrides the derived one (int64_t taken as Int)" $
    property $ \(Size n) -> monadicIO $ do
      out <- run $ do
        v <- S.thaw (vec 7 n)
        V.withStorableM v $ \p len -> inl_scale p len 3
        S.freeze v
      QCM.assert (out == S.map (* 3) (vec 7 n))
  it "#pragma hsomp cflags reaches the compiler" $
    inl_flag `shouldReturn` 42
  it "a Cmm primitive computes a * b + c" $
    property $ \a b c -> cmmMulAdd a b c === a * b + c
  it "a Cmm primitive's C call sees the team thread number inside a region" $ do
    seen <- newIORef []
    parallelRegion 2 $ \t -> cmmThreadNum >>= \n -> atomicModifyIORef' seen (\s -> ((t, n) : s, ()))
    sort <$> readIORef seen `shouldReturn` [(0, 0), (1, 1)]
  it "a block the C compiler rejects is a compile error at its line, with the compiler's message" $
    compileFails packageDb "test/data/InlineBroken.hs"
      ["InlineBroken.hs:10:", "undeclared_variable", "rejected the block"]
  it "a prototype with no Haskell type is a compile error that says how to give one" $
    compileFails packageDb "test/data/InlineUnmapped.hs"
      ["InlineUnmapped.hs:8:", "pair_sum", "no Haskell type for the C type struct pair", "pair_sum :: <type>"]

-- | Compiling the file (against the in-place hsomp) fails, and GHC's
--   messages contain every one of the strings.
compileFails :: IO (Maybe FilePath) -> FilePath -> [String] -> Expectation
compileFails packageDb file expected = do
  db <- packageDb
  case db of
    Nothing -> pendingWith "hsomp's in-place package db not found (set HSOMP_PACKAGE_DB)"
    Just d -> do
      tmp <- getTemporaryDirectory
      (code, out, err) <- readProcessWithExitCode "ghc"
        ["-package-db", d, "-package", "hsomp", "-fno-code", "-outputdir", tmp </> "hsomp-inline-errors", file] ""
      code `shouldSatisfy` (/= ExitSuccess)
      forM_ expected $ \e -> (out ++ err) `shouldSatisfy` (e `isInfixOf`)
