{-# LANGUAGE BangPatterns, ScopedTypeVariables #-}
-- | Tests of the numerical API (issue 14): the inlined parallelFor,
--   Control.Parallel.OpenMP.Vector, reductions, LoopOptions and
--   withNumThreads. Every result is compared with a sequential reference;
--   nothing depends on timing.
module ApiSpec (apiSpec) where

import Control.Concurrent
import Control.Exception
import Control.Monad
import Control.Monad.ST (runST)
import Data.IORef
import Data.List (sort)
import Data.Semigroup (Arg (..))
import qualified Data.Vector.Storable as S
import qualified Data.Vector.Storable.Mutable as SM
import qualified Data.Vector.Unboxed as U
import qualified Data.Vector.Unboxed.Mutable as UM
import Foreign
import Foreign.C.Types
import Test.Hspec
import Test.QuickCheck
import Test.QuickCheck.Monadic (monadicIO, run)
import qualified Test.QuickCheck.Monadic as QCM

import Control.Parallel.OpenMP
import Control.Parallel.OpenMP.Array
import Control.Parallel.OpenMP.Prim (ompNumThreads)
import qualified Control.Parallel.OpenMP.Vector as V

foreign import ccall safe "hsomp_test_sum" c_sum :: Ptr Double -> Int64 -> CInt -> IO Double
foreign import ccall safe "hsomp_test_sumsq" c_sumsq :: Ptr Double -> Int -> IO Double
foreign import ccall safe "hsomp_test_scale" c_scale :: Ptr Double -> Ptr Double -> Int64 -> Double -> IO ()

-- | Random loop options: any schedule with a chunk of 0..50, teams of 1..4.
newtype Opts = Opts LoopOptions deriving Show

instance Arbitrary Opts where
  arbitrary = do
    c <- choose (0, 50)
    s <- elements [Static c, Dynamic c, Guided c]
    t <- choose (0, 4)
    pure (Opts defaultLoopOptions { loopSchedule = s, loopTeamSize = t })

-- | A range of up to 3000 iterations (possibly empty or reversed).
newtype Range = Range (Int, Int) deriving Show

instance Arbitrary Range where
  arbitrary = do
    lo <- choose (-1000, 1000)
    len <- frequency [(1, choose (-3, 0)), (8, choose (1, 3000))]
    pure (Range (lo, lo + len))

-- | Team sizes 1..4.
newtype Team = Team Int deriving Show

instance Arbitrary Team where
  arbitrary = Team <$> choose (1, 4)

-- | How many times the loop visited each index of [lo, hi).
visits :: Int -> Int -> ((Int -> IO ()) -> IO ()) -> IO [Int]
visits lo hi loop = do
  let n = max 0 (hi - lo)
  counts <- UM.replicate n (0 :: Int)
  lock <- newMVar ()
  loop (\i -> withMVar lock (\_ -> UM.read counts (i - lo) >>= UM.write counts (i - lo) . (+ 1)))
  U.toList <$> U.freeze counts

-- | A function of the index with different values and repeats.
mix :: Int -> Int
mix i = (i * 7919 + 13) `mod` 1009 - 500

apiSpec :: Spec
apiSpec = do
  describe "parallelFor with an inlined body" $ do
    it "visits every index once (random ranges, options)" $ property $ \(Range (lo, hi)) (Opts o) -> monadicIO $ do
      cs <- run (visits lo hi (parallelForOpts o lo hi))
      QCM.assert (all (== 1) cs)
    it "writes the same array as a sequential loop" $ property $ \(Range (lo, hi)) (Team t) -> monadicIO $ do
      let n = max 0 (hi - lo)
      mv <- run (UM.replicate n (0 :: Int))
      run (withNumThreads t (parallelFor lo hi (\i -> UM.unsafeWrite mv (i - lo) (mix i))))
      v <- run (U.freeze mv)
      QCM.assert (v == U.generate n (\k -> mix (lo + k)))
    it "still stops at an exception from the body (the rest of the chunk is not run)" $ do
      cnt <- newIORef (0 :: Int)
      r <- try (parallelForOpts defaultLoopOptions { loopTeamSize = 1 } 0 100000 (\i -> do
             when (i == 20) (throwIO (ErrorCall "stop"))
             atomicModifyIORef' cnt (\x -> (x + 1, ()))))
      r `shouldBe` Left (ErrorCall "stop")
      readIORef cnt `shouldReturn` 20

  describe "Control.Parallel.OpenMP.Vector" $ do
    it "generateU and generateS equal the sequential generate (random sizes, teams)" $
      property $ \(NonNegative n0) (Team t) -> monadicIO $ do
        let n = n0 * 37 `mod` 5000
        u <- run (withNumThreads t (V.generateU n mix))
        s <- run (withNumThreads t (V.generateS n (fromIntegral . mix)))
        QCM.assert (u == U.generate n mix)
        QCM.assert (s == S.generate n (fromIntegral . mix :: Int -> Double))
    it "generate of size 0 or less is empty" $ do
      V.generateU 0 id `shouldReturn` (U.empty :: U.Vector Int)
      V.generateS (-5) id `shouldReturn` (S.empty :: S.Vector Int)
    it "imapM_ over a mutable unboxed vector visits each element once with its index" $
      property $ \(xs :: [Int]) (Team t) -> monadicIO $ do
        mv <- run (U.thaw (U.fromList xs))
        out <- run (UM.replicate (length xs) (0 :: Int))
        run (withNumThreads t (V.imapM_ (\i x -> UM.unsafeWrite out i (x * 3 + i)) mv))
        r <- run (U.freeze out)
        QCM.assert (U.toList r == zipWith (\i x -> x * 3 + i) [0 ..] xs)
    it "forM_ / iforM_ over a mutable storable vector" $ property $ \(xs :: [Int]) -> monadicIO $ do
      mv <- run (S.thaw (S.fromList xs))
      acc <- run (newIORef [])
      run (V.forM_ mv (\x -> atomicModifyIORef' acc (\l -> (x : l, ()))))
      seen <- run (readIORef acc)
      QCM.assert (sort seen == sort xs)
      idx <- run (newIORef [])
      run (V.iforM_ mv (\i x -> atomicModifyIORef' idx (\l -> ((i, x) : l, ()))))
      seenI <- run (readIORef idx)
      QCM.assert (sort seenI == zip [0 ..] xs)
    it "imodify in ST (runST) equals imap" $ property $ \(xs :: [Int]) ->
      let v = U.fromList xs
          r = runST (do mv <- U.thaw v; V.imodify (\i x -> x * 2 - i) mv; U.freeze mv)
      in r === U.imap (\i x -> x * 2 - i) v
    it "withStorable hands the vector's own memory to a C OpenMP kernel" $
      property $ \(xs :: [Double]) (Team t) -> monadicIO $ do
        let v = S.fromList (map fromIntegral (map round xs :: [Int]))
        s <- run (V.withStorable v (\p n -> do
               S.unsafeWith v (\q -> when (p /= q) (throwIO (ErrorCall "a copy")))
               c_sum p (fromIntegral n) (fromIntegral t)))
        QCM.assert (s == S.sum v)
    it "the storable-vector snippet of haskell/README.md" $ do
      v <- V.generateS 1000000 (\i -> fromIntegral i / 1e6)
      c <- V.withStorable v c_sumsq
      h <- parallelSum 0 (S.length v) (\i -> (v S.! i) ^ (2 :: Int))
      abs (c - h) / h `shouldSatisfy` (< 1e-12)
    it "withStorableM: C writes are seen by Haskell" $ do
      src <- V.generateS 1000 (\i -> fromIntegral i :: Double)
      dst <- SM.replicate 1000 0
      S.unsafeWith src $ \ps -> V.withStorableM dst $ \pd n -> c_scale pd ps (fromIntegral n) 2
      S.freeze dst `shouldReturn` S.generate 1000 (\i -> 2 * fromIntegral i)
    it "SharedArray <-> storable vectors share memory (no copy)" $ do
      arr <- sharedArrayFromList [1 .. 10 :: Double]
      let mv = V.sharedToMVector arr
      SM.write mv 3 42
      readShared arr 3 `shouldReturn` 42
      writeShared arr 4 7
      SM.read mv 4 `shouldReturn` 7
      let arr' = V.mvectorToShared mv
      withSharedPtr arr (\p _ -> withSharedPtr arr' (\q n -> (p == q, n) `shouldBe` (True, 10)))
      v <- V.unsafeSharedToVector arr
      S.toList v `shouldBe` [1, 2, 3, 42, 7, 6, 7, 8, 9, 10]
      arr2 <- V.unsafeVectorToShared (S.fromList [5, 6, 7 :: Int])
      toListShared arr2 `shouldReturn` [5, 6, 7]
      sharedLength arr2 `shouldBe` 3

  describe "reductions" $ do
    it "parallelFoldMapOpts with a non-commutative monoid (lists) is the sequential foldMap" $
      property $ \(Range (lo, hi)) (Opts o) -> monadicIO $ do
        r <- run (parallelFoldMapOpts o lo hi (\i -> [i]))
        QCM.assert (r == [lo .. hi - 1])
    it "parallelSumOpts (Int) equals sum" $ property $ \(Range (lo, hi)) (Opts o) -> monadicIO $ do
      r <- run (parallelSumOpts o lo hi mix)
      QCM.assert (r == sum (map mix [lo .. hi - 1]))
    it "parallelMinimumOpts / parallelMaximumOpts: the first extreme in index order; Nothing when empty" $
      property $ \(Range (lo, hi)) (Opts o) -> monadicIO $ do
        let f i = Arg (mix i `mod` 17) i
            ref g = if hi <= lo then Nothing else Just (foldl1 g (map f [lo .. hi - 1]))
        mn <- run (parallelMinimumOpts o lo hi f)
        mx <- run (parallelMaximumOpts o lo hi f)
        let same a b = fmap (\(Arg x i) -> (x, i)) a == fmap (\(Arg x i) -> (x, i)) b
        QCM.assert (same mn (ref min) && same mx (ref max))
    it "parallelSum of Doubles is deterministic for a static schedule and team size" $
      property $ \(Range (lo, hi)) (Team t) (NonNegative c) -> monadicIO $ do
        let o = defaultLoopOptions { loopSchedule = Static (c `mod` 64), loopTeamSize = t }
            f i = 1 / fromIntegral (abs i + 1) :: Double
        rs <- run (replicateM 3 (parallelSumOpts o lo hi f))
        QCM.assert (all (== head rs) rs)
        QCM.assert (abs (head rs - sum (map f [lo .. hi - 1])) < 1e-9)
    it "the default reductions and their vector forms" $ property $ \(xs :: [Int]) -> monadicIO $ do
      let v = U.fromList xs
      s <- run (V.sumVector v)
      mn <- run (V.minimumVector v)
      mx <- run (V.maximumVector v)
      l <- run (V.foldMapVector (\x -> [x]) v)
      s2 <- run (parallelSum 0 (length xs) (xs !!))
      QCM.assert (s == sum xs && s2 == sum xs && l == xs)
      QCM.assert (mn == (if null xs then Nothing else Just (minimum xs)))
      QCM.assert (mx == (if null xs then Nothing else Just (maximum xs)))
    it "an exception in a reduction body is rethrown" $
      (parallelSum 0 1000 (\i -> if i == 500 then throw (ErrorCall "bad") else i) >>= evaluate)
        `shouldThrow` (== ErrorCall "bad")

  describe "LoopOptions and withNumThreads" $ do
    it "parallelForChunkedOpts tiles the range (random options)" $ property $ \(Range (lo, hi)) (Opts o) -> monadicIO $ do
      ref <- run (newIORef [])
      run (parallelForChunkedOpts o lo hi (\a b -> atomicModifyIORef' ref (\l -> ((a, b) : l, ()))))
      cs <- run (sort <$> readIORef ref)
      QCM.assert (concatMap (\(a, b) -> [a .. b - 1]) cs == [lo .. hi - 1])
    it "the old parallelForWith equals parallelForChunkedOpts" $ do
      a <- newIORef (0 :: Int)
      parallelForWith (Dynamic 7) 3 0 1000 (\x y -> atomicModifyIORef' a (\s -> (s + sum [x .. y - 1], ())))
      readIORef a `shouldReturn` sum [0 .. 999]
    it "loopTeamSize sets the team of parallelForOpts" $ forM_ [1 .. 4] $ \t -> do
      ref <- newIORef []
      parallelForOpts defaultLoopOptions { loopTeamSize = t } 0 64 (\_ -> do
        n <- ompNumThreads
        atomicModifyIORef' ref (\l -> (n : l, ())))
      readIORef ref >>= (`shouldBe` [t]) . map head . group' 
    it "withNumThreads n reaches the regions (parallelFor, reductions, parallelRegion), from bound and unbound threads" $
      forM_ [(t, b) | t <- [1 .. 4], b <- [False, True]] $ \(t, b) -> do
        let fork act = if b then runInBoundThread act else do
              v <- newEmptyMVar
              _ <- forkIO (try act >>= putMVar v)
              takeMVar v >>= either (\(e :: SomeException) -> throwIO e) pure
        (teams, regions, sizes) <- fork $ withNumThreads t $ do
          ref <- newIORef []
          parallelFor 0 100 (\_ -> ompNumThreads >>= \n -> atomicModifyIORef' ref (\l -> (n : l, ())))
          cnt <- newIORef (0 :: Int)
          parallelRegion 0 (\_ -> atomicModifyIORef' cnt (\x -> (x + 1, ())))
          s <- parallelFoldMap 0 100 (\_ -> [0 :: Int]) -- one list per index
          m <- maxThreads
          (,,) <$> readIORef ref <*> readIORef cnt <*> pure (length s, m)
        group' teams `shouldBe` [[t | _ <- teams]]
        regions `shouldBe` t
        sizes `shouldBe` (100, t)
    it "withNumThreads restores the previous setting, also after an exception" $ runInBoundThread $ do
      before <- maxThreads
      r <- try (withNumThreads 3 (maxThreads >>= \m -> when (m == 3) (throwIO (ErrorCall "inside"))))
      r `shouldBe` Left (ErrorCall "inside")
      maxThreads `shouldReturn` before
      withNumThreads 1 (withNumThreads 2 maxThreads) `shouldReturn` 2
      maxThreads `shouldReturn` before
  where
    group' :: [Int] -> [[Int]]
    group' [] = []
    group' (x : xs) = let (a, b) = span (== x) xs in (x : a) : group' b
