{-# LANGUAGE BangPatterns, LinearTypes, ScopedTypeVariables #-}
-- hsomp's Haskell test suite (hspec + QuickCheck). Run by haskell/run-tests.sh.
module Main (main) where

import Control.Concurrent
import Control.Exception
import Control.Monad
import Data.Char (toLower)
import Data.IORef
import Data.List (isInfixOf, nub, sort)
import Foreign
import Foreign.C.Types
import System.Directory
import System.Environment (getEnvironment, getExecutablePath, lookupEnv)
import System.Exit
import System.FilePath ((</>))
import System.IO (hFlush, hGetContents, hGetLine, stdout)
import System.Mem (performGC)
import System.Process
import System.Timeout (timeout)
import Test.Hspec
import Test.QuickCheck
import Test.QuickCheck.Monadic (monadicIO, run)
import qualified Test.QuickCheck.Monadic as QCM

import Control.Parallel.OpenMP
import Control.Parallel.OpenMP.Array
import Control.Parallel.OpenMP.Prim
import Control.Parallel.OpenMP.Slice
import ThSplice (thParallelSum, thRuntimeVersion)
import ApiSpec (apiSpec)
import InlineSpec (inlineSpec)

foreign import ccall safe "hsomp_test_sum" c_sum :: Ptr Double -> Int64 -> CInt -> IO Double
foreign import ccall unsafe "hsomp_test_sum" c_sum_unsafe :: Ptr Double -> Int64 -> CInt -> IO Double
foreign import ccall safe "hsomp_test_scale" c_scale :: Ptr Double -> Ptr Double -> Int64 -> Double -> IO ()
foreign import ccall safe "hsomp_test_team_size" c_team_size :: IO CInt
foreign import ccall unsafe "omp_set_dynamic" c_set_dynamic :: CInt -> IO ()
foreign import ccall unsafe "hsomp_test_incr" c_incr :: Ptr Int64 -> IO ()
foreign import ccall safe "omp_pause_resource_all" c_pause_all :: CInt -> IO CInt
foreign import ccall "&hsomp_test_incr" p_incr :: FunPtr (Ptr Int64 -> IO ())
foreign import ccall "&hsomp_test_add_ix" p_add_ix :: FunPtr (Ptr Int64 -> Int -> IO ())
foreign import ccall safe "hsomp_test_call_each" c_call_each :: FunPtr (Int64 -> IO ()) -> Int64 -> Ptr CInt -> IO Int64
foreign import ccall safe "hsomp_test_spin" c_spin :: Int64 -> Double -> Ptr CInt -> IO Int64
foreign import ccall "wrapper" mkIxCallback :: (Int64 -> IO ()) -> IO (FunPtr (Int64 -> IO ()))

-- | Fail instead of hanging. The limits guard against hangs, not speed: a
-- Haskell body run by a worker waits for its Capability while a busy Haskell
-- thread holds it, up to the next context switch per chunk (issue 13), so
-- tests with GC storms or contended locks get generous limits.
limit :: Int -> IO a -> IO a
limit secs act = timeout (secs * 1000000) act >>= maybe (throwIO (ErrorCall ("timed out after " ++ show secs ++ " s"))) pure

instance Arbitrary Schedule where
  arbitrary = do
    c <- choose (0, 50)
    elements [Static c, Dynamic c, Guided c]

-- | A schedule whose chunk size is near the top of 'Int': sums and products
--   of such chunks overflow 64 bits (3 * 6148914691236517206 = 2^64 + 2,
--   4 * 2^62 = 2^64).
newtype HugeSchedule = HugeSchedule Schedule deriving Show

instance Arbitrary HugeSchedule where
  arbitrary = do
    c <- oneof [ elements [maxBound, maxBound - 1, maxBound `div` 2, 2 ^ (62 :: Int), 6148914691236517206]
               , choose (2 ^ (60 :: Int), maxBound) ]
    HugeSchedule <$> elements [Static c, Dynamic c, Guided c]

-- | A range at an end of 'Int', or (almost) all of it.
edgeRange :: Gen (Int, Int)
edgeRange = do
  len <- choose (0, 3000)
  off <- elements [0, 1, 37]
  elements [(maxBound - off - len, maxBound - off), (minBound + off, minBound + off + len), (minBound + off, maxBound - off)]

-- | Sorted chunks [a, b) are non-empty, disjoint and cover [lo, hi) exactly.
tilesRange :: Int -> Int -> [(Int, Int)] -> Bool
tilesRange lo hi chunks =
  all (\(a, b) -> a < b) chunks
    && and (zipWith (\(_, b) (a, _) -> b == a) chunks (drop 1 chunks))
    && (if null chunks then lo >= hi else fst (head chunks) == lo && snd (last chunks) == hi)

-- | Scenarios that hang the process when they fail run in a child process:
-- this executable again, with HSOMP_TEST_CHILD naming the scenario.
main :: IO ()
main = lookupEnv "HSOMP_TEST_CHILD" >>= maybe suite child

child :: String -> IO ()
child "unsafe-exclusive" = do
  -- On every Capability in turn, an unsafe call opens exclusive regions: its
  -- Haskell thread keeps holding that Capability while it is the master.
  caps <- getNumCapabilities
  arr <- generateSharedArray 100000 fromIntegral :: IO (SharedArray Double)
  sums <- withExclusive $ forM [0 .. caps - 1] $ \c -> do
    v <- newEmptyMVar
    _ <- forkOn c $ withSharedPtr arr (\p n -> c_sum_unsafe p (fromIntegral n) 0) >>= putMVar v
    takeMVar v
  print sums
child "callback-throws" = do
  -- An exception escaping a plain "wrapper" callback: GHC ends the process.
  fp <- mkIxCallback (\i -> when (i == 50) (throwIO (ErrorCall "boom")) >> threadDelay 1000)
  n <- c_call_each fp 400 nullPtr
  print n
child "region-thread-limit" = do
  -- Run with OMP_THREAD_LIMIT=2: ask for 4 threads, get a team of 2.
  seen <- newIORef []
  parallelRegion 4 $ \t -> do
    n <- numThreads
    atomicModifyIORef' seen (\s -> ((t, n) : s, ()))
  readIORef seen >>= print . sort
child "slow-loop" = do
  -- Ctrl-C target: a parallelFor that would take 40 s.
  caps <- getNumCapabilities
  putStrLn "started" >> hFlush stdout
  parallelFor 0 (round (40 * fromIntegral caps / 0.002 :: Double)) (\_ -> threadDelay 2000)
  putStrLn "finished"
child other = die ("unknown HSOMP_TEST_CHILD scenario " ++ other)

-- | Run a child scenario (killed after `secs` seconds): exit code and stdout.
runChild :: String -> Int -> IO (ExitCode, String)
runChild scenario secs = (\(c, o, _) -> (c, o)) <$> runChildWith [] scenario secs

-- | A child scenario with more environment variables: exit code, stdout, stderr.
runChildWith :: [(String, String)] -> String -> Int -> IO (ExitCode, String, String)
runChildWith extra scenario secs = do
  exe <- getExecutablePath
  envir <- getEnvironment
  let keep = [kv | kv@(k, _) <- envir, k `notElem` map fst extra]
      p = (proc "timeout" ["-s", "KILL", show secs, exe])
            {env = Just (("HSOMP_TEST_CHILD", scenario) : extra ++ keep)}
  readCreateProcessWithExitCode p ""

-- | Seconds an action takes.
timed :: IO a -> IO (Double, a)
timed act = do
  t0 <- wtime
  r <- act
  t1 <- wtime
  pure (t1 - t0, r)

suite :: IO ()
suite = do
  caps <- getNumCapabilities
  -- Loops that would take fullSecs seconds on a team of caps threads.
  let fullSecs = 40 :: Double
      slowIters = round (fullSecs * fromIntegral caps / 0.002) :: Int
  hspec $ do
    apiSpec
    inlineSpec findPackageDb
    describe "queries" $ do
      it "sees hsomp, not libgomp" $ do
        v <- runtimeVersion
        v `shouldSatisfy` (not . null)
      it "this executable links hsomp statically and no libgomp" $ do
        exe <- getExecutablePath
        (_, libs, _) <- readProcessWithExitCode "ldd" [exe] ""
        libs `shouldSatisfy` (not . ("libgomp" `isInfixOf`))
        (_, syms, _) <- readProcessWithExitCode "nm" [exe] ""
        [l | l <- lines syms, drop 1 (words l) == ["T", "GOMP_parallel"]] `shouldSatisfy` (not . null)
      it "outside a region: thread 0 of a team of 1, level 0" $ do
        threadNum `shouldReturn` 0
        numThreads `shouldReturn` 1
        inParallel `shouldReturn` False
        level `shouldReturn` 0
      it "maxThreads defaults to the number of Capabilities" $
        maxThreads `shouldReturn` caps
      it "a C region gets the default team" $
        c_team_size `shouldReturn` fromIntegral caps
      it "setNumThreads in a bound thread changes the next region" $ runInBoundThread $ do
        old <- maxThreads
        setNumThreads 3
        c_team_size `shouldReturn` 3
        setNumThreads old
      it "wtime advances" $ do
        a <- wtime
        threadDelay 10000
        b <- wtime
        (b - a) `shouldSatisfy` (\d -> d > 0.005 && d < 5)

    describe "Template Haskell" $
      it "a splice ran parallelFor on hsomp while this suite compiled" $ do
        thParallelSum `shouldBe` sum [0 .. 999]
        v <- runtimeVersion
        thRuntimeVersion `shouldBe` v

    describe "parallelFor" $ do
      it "covers random ranges exactly once at random team sizes and schedules" $
        property $ \(sched :: Schedule) -> forAll (choose (1, 8)) $ \nt ->
          forAll (choose (-1000, 1000)) $ \lo -> forAll (choose (0, 3000)) $ \len -> monadicIO $ do
            ok <- run $ limit 30 $ do
              arr <- newSharedArray (len + 1) :: IO (SharedArray Int64)
              withSharedPtr arr $ \p _ ->
                parallelForWith sched nt lo (lo + len) $ \a b ->
                  forM_ [a .. b - 1] $ \i -> c_incr (p `plusPtr` (8 * (i - lo)))
              xs <- toListShared arr
              pure (take len xs == replicate len 1 && drop len xs == [0])
            QCM.assert ok
      it "hands out disjoint chunks that tile the range" $
        property $ \(sched :: Schedule) -> forAll (choose (1, 6)) $ \nt ->
          forAll (choose (0, 5000)) $ \len -> monadicIO $ do
            chunks <- run $ limit 30 $ do
              ref <- newIORef []
              parallelForWith sched nt 7 (7 + len) $ \a b -> atomicModifyIORef' ref (\cs -> ((a, b) : cs, ()))
              sort <$> readIORef ref
            QCM.assert (tilesRange 7 (7 + len) chunks)
      it "visits every index once at the ends of Int with huge chunks, every schedule" $
        property $ \(HugeSchedule sched) -> forAll (choose (1, 8)) $ \nt -> forAll edgeRange $ \(lo, hi) ->
          monadicIO $ do
            r <- run $ limit 60 $ try $ do
              handedOut <- newIORef ([], 0 :: Integer)
              let n = toInteger hi - toInteger lo
              parallelForWith sched nt lo hi $ \a b -> do
                total <- atomicModifyIORef' handedOut $ \(cs, t) ->
                  let t' = t + toInteger b - toInteger a in (((a, b) : cs, t'), t')
                -- Stop a driver that hands out chunks again (or forever):
                -- the exception ends the loop.
                when (total > n) $ throwIO (ErrorCall ("more than the " ++ show n ++ " iterations handed out"))
              sort . fst <$> readIORef handedOut
            case r of
              Left (ErrorCall m) -> QCM.monitor (counterexample m) >> QCM.assert False
              Right chunks -> do
                QCM.monitor (counterexample ("chunks: " ++ show chunks))
                QCM.assert (tilesRange lo hi chunks)
      it "works on new workers after omp_pause_resource_all ended the old ones (callbacks, GC)" $ limit 120 $ do
        let threads = length <$> listDirectory "/proc/self/task"
        before <- threads
        forM_ [1 .. 20 :: Int] $ \r -> do
          acc <- newIORef (0 :: Int)
          parallelForWith (Dynamic 10) 4 0 1000 $ \a b -> atomicModifyIORef' acc (\x -> (x + sum [a .. b - 1], ()))
          readIORef acc >>= (`shouldBe` sum [0 .. 999])
          c_pause_all (fromIntegral (1 + r `mod` 2)) >>= (`shouldBe` 0)
          performGC
        -- 20 rounds of 3 workers each would pile up if pausing leaked them.
        threads >>= (`shouldSatisfy` (< before + 10))
      it "enters Haskell once per chunk, not once per iteration" $ do
        calls <- newIORef (0 :: Int)
        parallelForWith (Static 0) 2 0 100000 $ \_ _ -> atomicModifyIORef' calls (\c -> (c + 1, ()))
        readIORef calls `shouldReturn` 2
      it "runs callbacks on every team thread, worker i on Capability i mod caps" $ limit 30 $ do
        seen <- newIORef []
        parallelRegion caps $ \t -> do
          tn <- ompThreadNum
          cap <- capabilityNo
          (c, _) <- threadCapability =<< myThreadId
          atomicModifyIORef' seen (\s -> ((t, tn, cap, c) : s, ()))
        s <- sort <$> readIORef seen
        map (\(t, _, _, _) -> t) s `shouldBe` [0 .. caps - 1]
        forM_ s $ \(t, tn, cap, c) -> do
          tn `shouldBe` t
          cap `shouldBe` c
          when (t > 0) $ cap `shouldBe` t `mod` caps
        length (nub [cap | (_, _, cap, _) <- s]) `shouldBe` caps
      it "runs the callbacks of N workers at the same time" $ limit 30 $ do
        arrived <- newIORef (0 :: Int)
        allIn <- newEmptyMVar
        parallelRegion caps $ \_ -> do
          n <- atomicModifyIORef' arrived (\a -> (a + 1, a + 1))
          when (n == caps) $ putMVar allIn ()
          r <- timeout 10000000 (readMVar allIn)
          when (r == Nothing) $ throwIO (ErrorCall "callbacks did not run concurrently")
      it "nests: parallelFor inside a parallelFor body" $ limit 60 $ do
        acc <- newIORef (0 :: Int)
        parallelForWith (Static 0) 2 0 4 $ \a b -> forM_ [a .. b - 1] $ \i ->
          parallelForWith (Dynamic 7) 2 0 100 $ \c d ->
            atomicModifyIORef' acc (\x -> (x + sum [i * 1000 + j | j <- [c .. d - 1]], ()))
        readIORef acc `shouldReturn` sum [i * 1000 + j | i <- [0 .. 3], j <- [0 .. 99]]
      it "rethrows an exception from the body after the region" $ do
        r <- try (parallelFor 0 1000 (\i -> when (i == 500) (throwIO (ErrorCall "boom"))))
        case r of
          Left (ErrorCall m) -> m `shouldBe` "boom"
          Right () -> expectationFailure "no exception"
      it "sums like a sequential loop (Haskell body, shared array)" $ property $ \(xs :: [Int]) -> monadicIO $ do
        s <- run $ do
          arr <- sharedArrayFromList (map fromIntegral xs :: [Int64])
          out <- newIORef 0
          parallelForChunked 0 (length xs) $ \a b -> do
            v <- sum <$> mapM (readShared arr) [a .. b - 1]
            atomicModifyIORef' out (\o -> (o + v, ()))
          readIORef out
        QCM.assert (s == fromIntegral (sum xs))

    describe "concurrent Haskell callers" $ do
      it "16 Haskell threads calling OpenMP kernels with safe calls get correct results" $ limit 120 $ do
        results <- forM [1 .. 16 :: Int] $ \k -> do
          v <- newEmptyMVar
          _ <- forkIO $ (try (replicateM 40 $ do
                 let n = 1000 + 37 * k
                 arr <- generateSharedArray n (\i -> fromIntegral (i * k) :: Double)
                 out <- newSharedArray n :: IO (SharedArray Double)
                 s <- withSharedPtr arr $ \p _ -> c_sum p (fromIntegral n) 0
                 withSharedPtr out $ \o _ -> withSharedPtr arr $ \p _ -> c_scale o p (fromIntegral n) 2
                 s2 <- withSharedPtr out $ \o _ -> c_sum o (fromIntegral n) (fromIntegral (1 + k `mod` 4))
                 let expect = fromIntegral (k * n * (n - 1) `div` 2)
                 pure (s == expect && s2 == 2 * expect)) >>= putMVar v)
          pure v
        rs <- mapM takeMVar results
        forM_ rs $ \r -> case r of
          Left (e :: SomeException) -> expectationFailure (show e)
          Right oks -> and oks `shouldBe` True
      it "8 Haskell threads running parallelFor at once" $ limit 120 $ do
        vs <- forM [1 .. 8 :: Int] $ \k -> do
          v <- newEmptyMVar
          _ <- forkIO $ do
            r <- try $ forM [1 .. 25 :: Int] $ \_ -> do
              acc <- newIORef (0 :: Int)
              parallelForWith (Dynamic 64) 0 0 (5000 + k) $ \a b ->
                atomicModifyIORef' acc (\x -> (x + sum [a .. b - 1], ()))
              readIORef acc
            putMVar v (fmap (all (== sum [0 .. 5000 + k - 1])) r)
          pure v
        forM_ vs $ \v -> takeMVar v >>= \r -> case r of
          Left (e :: SomeException) -> expectationFailure (show e)
          Right ok -> ok `shouldBe` True

    describe "GC during regions" $
      it "regions with allocating bodies stay correct while other threads performGC" $ limit 600 $ do
        stop <- newIORef False
        gcs <- newIORef (0 :: Int)
        done' <- newEmptyMVar
        forM_ [1 .. 2 :: Int] $ \_ -> forkIO $ do
          let loop = do
                s <- readIORef stop
                unless s $ do
                  performGC
                  atomicModifyIORef' gcs (\g -> (g + 1, ()))
                  _ <- evaluate (length (show [1 .. 2000 :: Int]))
                  loop
          loop `finally` putMVar done' ()
        oks <- forM [1 .. 100 :: Int] $ \r -> do
          acc <- newIORef (0 :: Integer)
          parallelForWith (Dynamic 100) 0 0 2000 $ \a b -> do
            let v = sum (map toInteger [a .. b - 1]) + toInteger (length (show [a .. b]))  * 0
            atomicModifyIORef' acc (\x -> (x + v, ()))
          x <- readIORef acc
          pure (x == toInteger (sum [0 .. 1999 :: Int]) || error ("region " ++ show r ++ ": " ++ show x))
        writeIORef stop True
        takeMVar done' >> takeMVar done'
        and oks `shouldBe` True
        readIORef gcs >>= (`shouldSatisfy` (> 0))

    describe "sharing Capabilities with a busy Haskell side" $ do
      it "callbacks, and safe calls from inside them, stay correct while Haskell threads allocate" $ limit 600 $
        withAllocStorm $ forM_ [1 .. 5 :: Int] $ \_ -> do
          let n = 64
          sums <- newIORef (0 :: Double)
          hits <- newIORef (0 :: Int)
          fn <- mkIxCallback $ \b -> do
            -- a safe call back into C from the callback: a nested region
            s <- withArray (replicate 100 (fromIntegral b)) $ \p -> c_sum p 100 0
            atomicModifyIORef' sums (\x -> (x + s, ()))
            atomicModifyIORef' hits (\h -> (h + 1, ()))
          _ <- c_call_each fn n nullPtr `finally` freeHaskellFunPtr fn
          readIORef hits >>= (`shouldBe` fromIntegral n)
          readIORef sums >>= (`shouldBe` 100 * fromIntegral (sum [0 .. n - 1]))
      -- omp_set_dynamic acts on the calling OS thread: these tests run in a
      -- bound thread, or an unbound one could set dyn-var on one OS thread,
      -- move, and clear it on another, leaving it on for later tests (a
      -- parallelRegion 3 then got 2 threads on a loaded machine).
      it "with dyn-var on, a region of a quiet program gets a thread per Capability" $ runInBoundThread $ do
        caps <- getNumCapabilities
        -- "quiet" is a snapshot: an RTS worker may still hold a Capability
        -- for a moment (after a GC, after the last test's threads), so the
        -- full team must come within a few tries, not on the first.
        let try k = do
              team <- c_team_size
              if fromIntegral team == caps || k == (0 :: Int) then pure team else threadDelay 10000 >> try (k - 1)
        team <- (c_set_dynamic 1 >> try 100) `finally` c_set_dynamic 0
        fromIntegral team `shouldBe` caps
      it "with dyn-var on and the Haskell side busy, teams shrink but regions stay correct" $ limit 600 $ runInBoundThread $ do
        caps <- getNumCapabilities
        teams <- withAllocStorm $ (`finally` c_set_dynamic 0) $ do
          c_set_dynamic 1
          forM [1 .. 50 :: Int] $ \_ -> do
            s <- withArray (replicate 1000 1) $ \p -> c_sum p 1000 0
            s `shouldBe` 1000
            c_team_size
        teams `shouldSatisfy` all (\t -> t >= 1 && fromIntegral t <= caps)
      it "callbacks and dyn-var regions stay correct while setNumCapabilities changes the Capabilities" $ limit 600 $ runInBoundThread $ do
        caps <- getNumCapabilities
        stop <- newIORef False
        changer <- newEmptyMVar
        _ <- forkIO $ (`finally` putMVar changer ()) $
          let loop k = readIORef stop >>= \s -> unless s (setNumCapabilities k >> threadDelay 1000 >> loop (3 - k))
          in loop 1
        (`finally` (writeIORef stop True >> takeMVar changer >> setNumCapabilities caps >> c_set_dynamic 0)) $ do
          c_set_dynamic 1
          forM_ [1 .. 30 :: Int] $ \_ -> do
            hits <- newIORef (0 :: Int)
            fn <- mkIxCallback $ \_ -> atomicModifyIORef' hits (\h -> (h + 1, ()))
            _ <- c_call_each fn 32 nullPtr `finally` freeHaskellFunPtr fn
            readIORef hits >>= (`shouldBe` 32)
            s <- withArray (replicate 1000 1) $ \p -> c_sum p 1000 0
            s `shouldBe` 1000

    describe "locks" $ do
      it "withLock gives mutual exclusion to team threads" $ limit 300 $ do
        l <- newLock
        counter <- mallocForeignPtr :: IO (ForeignPtr Int64)
        withForeignPtr counter $ \p -> do
          poke p 0
          parallelForWith (Dynamic 10) 4 0 4000 $ \a b -> forM_ [a .. b - 1] $ \_ ->
            withLock l $ do
              x <- peek p
              yield
              poke p (x + 1)
          peek p `shouldReturn` 4000
      it "testLock fails while held" $ do
        l <- newLock
        testLock l `shouldReturn` True
        testLock l `shouldReturn` False
        unsetLock l
        withLock l (pure ())
      it "nest locks can be re-entered" $ do
        l <- newNestLock
        withNestLock l (withNestLock l (pure (3 :: Int))) `shouldReturn` 3

    describe "Prim" $ do
      it "capabilityNo is the current Capability" $ forM_ [0 .. caps - 1] $ \c -> do
        v <- newEmptyMVar
        _ <- forkOn c (capabilityNo >>= putMVar v)
        takeMVar v `shouldReturn` c
      it "ompThreadNum / ompNumThreads outside and inside a team" $ do
        ompThreadNum `shouldReturn` 0
        ompNumThreads `shouldReturn` 1
        seen <- newIORef []
        parallelRegion 3 $ \t -> do
          tn <- ompThreadNum
          nt <- ompNumThreads
          atomicModifyIORef' seen (\s -> ((t, tn, nt) : s, ()))
        sort <$> readIORef seen `shouldReturn` [(t, t, 3) | t <- [0 .. 2]]
      it "batchedCalls makes every call once" $ property $ \(NonNegative n) -> monadicIO $ do
        ok <- run $ do
          cells <- mallocForeignPtrArray (max 1 n) :: IO (ForeignPtr Int64)
          withForeignPtr cells $ \p -> do
            pokeArray p (replicate n 0)
            batchedCalls p_incr [p `advancePtr` (i `mod` max 1 n) | i <- [0 .. 2 * n - 1]]
            (== replicate n 2) <$> peekArray n p
        QCM.assert ok
      it "batchedCallsIx passes 0..n-1, with GC running meanwhile" $ do
        stop <- newIORef False
        _ <- forkIO $ let loop = readIORef stop >>= \s -> unless s (performGC >> loop) in loop
        forM_ [0, 1, 10, 100, 1000] $ \n -> do
          acc <- mallocForeignPtr :: IO (ForeignPtr Int64)
          withForeignPtr acc $ \p -> do
            poke p 0
            batchedCallsIx p_add_ix p n
            peek p `shouldReturn` fromIntegral (n * (n - 1) `div` 2)
        writeIORef stop True

    describe "shared arrays and linear slices" $ do
      it "C writes into a pinned array are seen by Haskell (zero copy)" $ do
        arr <- generateSharedArray 1000 fromIntegral :: IO (SharedArray Double)
        withSharedPtr arr $ \p n -> c_scale p p (fromIntegral n) 3
        toListShared arr `shouldReturn` map ((* 3) . fromIntegral) [0 .. 999 :: Int]
      it "C (OpenMP) and Haskell fill disjoint halves in parallel (parCombine)" $ property $
        \(Positive n) (NonNegative k) -> monadicIO $ do
          xs <- run $ do
            let cut = k `mod` (n + 1)
            arr <- generateSharedArray n fromIntegral :: IO (SharedArray Double)
            withSlices arr (\s -> split cut s & \(l, r) -> done (parCombine (withSlicePtr l (\p m -> c_scale p p (fromIntegral m) 2))
                                         (modifySlice (\_ x -> x + 1) r)) ())
            xs <- toListShared arr
            pure (xs == [if i < cut then 2 * fromIntegral i else fromIntegral i + 1 | i <- [0 .. n - 1]])
          QCM.assert xs
      it "reads and writes through a slice" $ do
        arr <- newSharedArray 8 :: IO (SharedArray Int64)
        v <- withSlices arr (\s -> split 4 s & \(l, r) ->
          readSlice (writeSlice r 1 42) 1 & \(Ur x, r') ->
            sliceLength (combine l r') & \(Ur len, s') -> done s' (x, len))
        v `shouldBe` (42, 8)
        readShared arr 5 `shouldReturn` 42
      it "combine rejects slices that are not adjacent" $ do
        arr <- newSharedArray 9 :: IO (SharedArray Int64)
        r <- try $ withSlices arr (\s -> split 3 s & \(a, bc) ->
          split 3 bc & \(b, c) -> done (combine (combine a c) b) ())
        case r of
          Left (ErrorCall m) -> m `shouldSatisfy` ("not adjacent" `isInfixOf`)
          Right () -> expectationFailure "combined non-adjacent slices"
      it "overlapping access does not type-check; disjoint access does" $ do
        db <- findPackageDb
        case db of
          Nothing -> pendingWith "no in-place package db (run through cabal / run-tests.sh)"
          Just d -> do
            let ghcOn f = readProcessWithExitCode "ghc" ["-fno-code", "-package-db", d, "-package", "hsomp", "test" </> "data" </> f] ""
            (c1, _, e1) <- ghcOn "Overlap.hs"
            c1 `shouldNotBe` ExitSuccess
            map toLower e1 `shouldSatisfy` (\e -> "multiplicity" `isInfixOf` e || "linear" `isInfixOf` e)
            (c2, _, e2) <- ghcOn "Disjoint.hs"
            when (c2 /= ExitSuccess) $ expectationFailure e2

    describe "exclusive mode" $ do
      it "withExclusive turns it on for C kernels and restores it" $ limit 60 $ do
        before <- exclusive
        arr <- generateSharedArray 100000 fromIntegral :: IO (SharedArray Double)
        (on, sums) <- withExclusive $ do
          on <- exclusive
          sums <- replicateM 20 (withSharedPtr arr (\p n -> c_sum p (fromIntegral n) 0))
          pure (on, sums)
        on `shouldBe` True
        sums `shouldBe` replicate 20 (fromIntegral (99999 * 100000 `div` 2 :: Int))
        exclusive `shouldReturn` before
      it "a master holding its Capability (unsafe call) does not deadlock its workers" $ do
        (code, out) <- runChild "unsafe-exclusive" 30
        code `shouldBe` ExitSuccess
        out `shouldBe` show (replicate caps (fromIntegral (99999 * 100000 `div` 2 :: Int) :: Double)) ++ "\n"
      it "parallelFor refuses to run Haskell bodies in exclusive mode (no deadlock)" $ limit 30 $ do
        r <- try (withExclusive (parallelFor 0 10 (\_ -> pure ())))
        case r of
          Left (e :: IOException) -> show e `shouldSatisfy` ("exclusive" `isInfixOf`)
          Right () -> expectationFailure "ran"

    -- The loops below would take >= 40 s if they ran to the end (team of
    -- <= caps threads, iterations of >= 2 ms, or 1 ms of C spinning); they
    -- must stop within 2 s (the bound is ~8 iterations per thread, ms).
    describe "cancellation (timeout, killThread, exceptions)" $ do
      forM_ [("parallelFor", parallelFor), ("parallelForSchedule (Dynamic 1)", parallelForSchedule (Dynamic 1))] $ \(name, pfor) ->
        it ("timeout 0.1 s stops a " ++ name ++ " that would take 40 s, well before its end") $ do
          (t, r) <- timed (timeout 100000 (pfor 0 slowIters (\_ -> threadDelay 2000)))
          r `shouldBe` Nothing
          t `shouldSatisfy` (< 2.0)
      it "killThread stops a parallelFor promptly; the killed thread sees ThreadKilled" $ do
        res <- newEmptyMVar
        tid <- forkIO $ try (parallelFor 0 slowIters (\_ -> threadDelay 2000)) >>= putMVar res
        threadDelay 100000
        (t, r) <- timed (killThread tid >> takeMVar res)
        case r of
          Left ThreadKilled -> pure ()
          other -> expectationFailure ("got " ++ show other)
        t `shouldSatisfy` (< 2.0)
      it "an exception in one body stops the other team threads promptly" $ do
        (t, r) <- timed (try (parallelFor 0 slowIters (\i -> if i == 0 then throwIO (ErrorCall "first") else threadDelay 2000)))
        r `shouldBe` Left (ErrorCall "first")
        t `shouldSatisfy` (< 2.0)
      it "withCancellation: timeout stops a C kernel that polls the flag" $ do
        let n = round (fullSecs * fromIntegral caps / 0.001) :: Int64
        ran <- newIORef (-1)
        (t, r) <- timed (timeout 100000 (withCancellation (\flag -> c_spin n 0.001 flag >>= writeIORef ran)))
        r `shouldBe` Nothing
        t `shouldSatisfy` (< 2.0)
        readIORef ran >>= (`shouldSatisfy` (\k -> k >= 0 && k < n)) -- the kernel returned, early
      it "Ctrl-C (SIGINT) stops a parallelFor in main promptly; the program ends as interrupted" $ do
        exe <- getExecutablePath
        envir <- getEnvironment
        (_, Just hout, _, ph) <- createProcess (proc exe [])
          { env = Just (("HSOMP_TEST_CHILD", "slow-loop") : envir), std_out = CreatePipe }
        hGetLine hout `shouldReturn` "started"
        threadDelay 200000
        Just pid <- getPid ph
        (t, code) <- timed (callProcess "kill" ["-INT", show pid] >> waitForProcess ph)
        rest <- hGetContents hout
        rest `shouldBe` "" -- never "finished"
        code `shouldSatisfy` (/= ExitSuccess)
        t `shouldSatisfy` (< 2.0)
      it "withCancellation returns the kernel's result when not cancelled" $
        withCancellation (\flag -> c_spin 10 0 flag) `shouldReturn` 10
      it "parallelRegion runs on the real team when it is smaller than asked (OMP_THREAD_LIMIT=2)" $ do
        (code, out, err) <- runChildWith [("OMP_THREAD_LIMIT", "2")] "region-thread-limit" 60
        (code, err) `shouldBe` (ExitSuccess, "")
        out `shouldBe` show [(0 :: Int, 2 :: Int), (1, 2)] ++ "\n"

    describe "callbacks (FunPtr) that throw" $ do
      it "withCallbacks/guarded: rethrown in the caller after the C call, which stops early" $ do
        calls <- newIORef (0 :: Int)
        (t, r) <- timed $ try $ withCallbacks $ \cb -> do
          fp <- mkIxCallback $ \i -> guarded cb () $ do
            when (i == 50) (throwIO (ErrorCall "boom"))
            threadDelay 2000
            atomicModifyIORef' calls (\c -> (c + 1, ()))
          c_call_each fp (fromIntegral slowIters) (callbacksCancelFlag cb) `finally` freeHaskellFunPtr fp
        r `shouldBe` Left (ErrorCall "boom")
        t `shouldSatisfy` (< 2.0 + 50 * 0.002)
        readIORef calls >>= (`shouldSatisfy` (< slowIters))
      it "withCallbacks returns the C call's result when no callback throws" $
        withCallbacks (\cb -> do
          fp <- mkIxCallback (\_ -> guarded cb () (pure ()))
          c_call_each fp 100 (callbacksCancelFlag cb) `finally` freeHaskellFunPtr fp) `shouldReturn` 100
      it "an exception escaping a plain wrapper callback ends the process (exit 1), never with a Rust panic" $
        replicateM_ 10 $ do
          (code, _, err) <- runChildWith [] "callback-throws" 60
          code `shouldBe` ExitFailure 1
          err `shouldSatisfy` ("boom" `isInfixOf`)
          err `shouldSatisfy` (not . ("panic" `isInfixOf`))

    describe "non-threaded RTS" $
      it "a program linked without -threaded stops with a clear message, no hang" $ do
        lib <- findRuntimeLib
        case lib of
          Nothing -> pendingWith "libhsomp.a not found (set HSOMP_LIB_DIR)"
          Just a -> do
            tmp <- getTemporaryDirectory
            let dir = tmp </> "hsomp-nonthreaded-test"
            createDirectoryIfMissing True dir
            (cc, _, ce) <- readProcessWithExitCode "ghc"
              [ "-O0", "-outputdir", dir, "-o", dir </> "probe", "test/data/NonThreaded.hs"
              , "-optc-fopenmp", "test/data/nonthreaded_kernel.c", a
              , "-lpthread", "-ldl", "-lm", "-lrt" ] ""
            when (cc /= ExitSuccess) $ expectationFailure ("building the probe failed:\n" ++ ce)
            (code, out, err) <- readProcessWithExitCode "timeout" ["-s", "KILL", "30", dir </> "probe"] ""
            code `shouldSatisfy` (\c -> c /= ExitSuccess && c /= ExitFailure 124 && c /= ExitFailure 137)
            out `shouldBe` ""
            map toLower err `shouldSatisfy` ("threaded" `isInfixOf`)

-- | The in-place package db cabal built hsomp into (cwd is haskell/).
findPackageDb :: IO (Maybe FilePath)
findPackageDb = do
  env <- lookupEnv "HSOMP_PACKAGE_DB"
  let cands = maybe [] pure env ++
        [ "../dist-newstyle/build/x86_64-linux/ghc-9.0.2/hsomp-0.1.0.0/package.conf.inplace"
        , "../dist-newstyle/packagedb/ghc-9.0.2" ]
  firstExisting doesDirectoryExist cands

findRuntimeLib :: IO (Maybe FilePath)
findRuntimeLib = do
  archive <- lookupEnv "HSOMP_RT_ARCHIVE" -- set by run-tests.sh: the copy the package links
  env <- lookupEnv "HSOMP_LIB_DIR"
  let cands = maybe [] pure archive ++ maybe [] (\d -> [d </> "libhsomp.a"]) env ++ ["../target/release/libhsomp.a"]
  firstExisting doesFileExist cands >>= traverse makeAbsolute

firstExisting :: (FilePath -> IO Bool) -> [FilePath] -> IO (Maybe FilePath)
firstExisting _ [] = pure Nothing
firstExisting p (x : xs) = p x >>= \b -> if b then pure (Just x) else firstExisting p xs

-- | Run the action while 4 Haskell threads allocate short-lived lists.
withAllocStorm :: IO a -> IO a
withAllocStorm act = do
  stop <- newIORef False
  dones <- replicateM 4 $ do
    d <- newEmptyMVar
    let loop !i = do
          s <- readIORef stop
          unless s (evaluate (length (show [i .. i + 2000 :: Int])) >> loop (i + 1))
    _ <- forkIO (loop 0 `finally` putMVar d ())
    pure d
  act `finally` (writeIORef stop True >> mapM_ takeMVar dones)
