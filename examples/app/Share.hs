{-# LANGUAGE BangPatterns #-}
-- | How OpenMP and a busy Haskell side share the cores: the same program
--   and the same C, built once on hsomp (@hsomp-share@) and once on libgomp
--   (@hsomp-share-libgomp@, which does not link hsomp at all).
--
--   Each case runs quiet, under an allocation storm (4 Haskell threads
--   allocating short-lived lists) and under that storm plus a performGC
--   every 2 ms, at -N (one Capability per core):
--
--   * blocks: an OpenMP loop calling a Haskell FunPtr once per block;
--   * chunks: parallelFor's shape, one call into Haskell per dynamic chunk;
--   * region: round-trip latency of a C kernel called with a safe call
--     (p50, p99), quiet and under the allocation storm only, with dyn-var
--     off and on (omp_set_dynamic: the team adapts to idle Capabilities on
--     hsomp, to the load average on libgomp).
--
--   Rows ending in @.haskell@ are the storm's own progress while a case ran
--   (allocation steps per millisecond): a runtime can look fast under the
--   storm by starving the Haskell side.
--
--   @hsomp-share@ also runs the libgomp build (found beside it in cabal's
--   build tree, or given as @--libgomp PROG@) and prints both side by side;
--   @--raw@ prints one "key value" line per number (what the side-by-side
--   reads from the other build). Build both first:
--   @cabal build hsomp-share hsomp-share-libgomp@.
--
--   hsomp-share [--libgomp PROG] [--raw] [ROUNDS]
module Main (main) where

import Control.Concurrent
import Control.Exception (evaluate)
import Control.Monad
import Data.IORef
import Data.List (sort)
import Foreign hiding (void)
import System.Directory (doesFileExist)
import System.Environment (getArgs, getExecutablePath)
import System.FilePath (takeDirectory, takeFileName, (</>))
import System.Mem (performGC)
import System.Process (readProcess)
import System.IO (stderr)
import Text.Printf (hPrintf, printf)

foreign import ccall safe "hsomp_share_blocks" c_blocks :: Int64 -> FunPtr (Int64 -> IO ()) -> IO ()
foreign import ccall safe "hsomp_share_chunks"
  c_chunks :: Int64 -> Int64 -> FunPtr (Int64 -> Int64 -> IO ()) -> IO ()
foreign import ccall safe "hsomp_ex_kernel_timed" c_kernel_timed :: Ptr Double -> Int64 -> Ptr Double -> IO Double
foreign import ccall unsafe "omp_get_wtime" wtime :: IO Double
foreign import ccall unsafe "omp_set_dynamic" c_set_dynamic :: Int32 -> IO ()
foreign import ccall "wrapper" mkBlock :: (Int64 -> IO ()) -> IO (FunPtr (Int64 -> IO ()))
foreign import ccall "wrapper" mkChunk :: (Int64 -> Int64 -> IO ()) -> IO (FunPtr (Int64 -> Int64 -> IO ()))

main :: IO ()
main = do
  args <- getArgs
  sibling <- libgompSibling
  let raw = "--raw" `elem` args
      other = case dropWhile (/= "--libgomp") args of (_ : p : _) -> Just p; _ -> sibling
      rounds = case [a | a <- args, all (`elem` ['0' .. '9']) a, not (null a)] of
        (a : _) -> read a
        _ -> 3
  mine <- measure rounds
  if raw
    then forM_ mine $ \(k, v) -> printf "%s %.9f\n" k v
    else case other of
      Nothing -> table [("this build", mine)]
      Just prog -> do
        theirs <- parse <$> readProcess prog ["--raw", show rounds] ""
        table [("hsomp", mine), ("libgomp", theirs)]
  where
    parse = map ((\ws -> (head ws, read (ws !! 1))) . words) . lines

-- | The libgomp build beside this one in cabal's build tree, if built:
--   x/hsomp-share/build/hsomp-share/hsomp-share next to
--   x/hsomp-share-libgomp/build/hsomp-share-libgomp/hsomp-share-libgomp.
libgompSibling :: IO (Maybe FilePath)
libgompSibling = do
  me <- getExecutablePath
  let name = "hsomp-share-libgomp"
      path = takeDirectory (takeDirectory (takeDirectory (takeDirectory me))) </> name </> "build" </> name </> name
  ok <- doesFileExist path
  pure (if ok && takeFileName me /= name then Just path else Nothing)

-- | Slowdowns and latencies, as (key, value) pairs.
measure :: Int -> IO [(String, Double)]
measure rounds = do
  hits <- newIORef (0 :: Int)
  block <- mkBlock $ \b -> do
    _ <- evaluate (work (fromIntegral b) 2000)
    atomicModifyIORef' hits (\h -> (h + 1, ()))
  chunk <- mkChunk $ \lo hi -> void (evaluate (work (fromIntegral lo) (fromIntegral (hi - lo))))
  let blocks = c_blocks 400 block
      chunks = c_chunks 2000000 20000 chunk
  -- warm-up: threads, Capabilities, the team
  blocks >> chunks
  let sample what act = note what $ median <$> replicateM rounds (timed act)
  bq <- note "blocks, quiet" $ median <$> replicateM (rounds * 5) (timed blocks)
  cq <- note "chunks, quiet" $ median <$> replicateM (rounds * 5) (timed chunks)
  (ba, baRate) <- stormRate False (sample "blocks, allocation storm" blocks)
  (ca, caRate) <- stormRate False (sample "chunks, allocation storm" chunks)
  (bg, bgRate) <- stormRate True (sample "blocks, allocation + GC storm" blocks)
  (cg, cgRate) <- stormRate True (sample "chunks, allocation + GC storm" chunks)
  (rq, rs) <- note "regions" $ regionLatencies (200 * rounds)
  -- dyn-var on: hsomp sizes the team to the Capabilities Haskell leaves
  -- free, libgomp to the CPUs its load average leaves free
  c_set_dynamic 1
  (dq, ds) <- note "regions, dynamic" $ regionLatencies (200 * rounds)
  c_set_dynamic 0
  pure
    [ ("blocks.quiet", bq), ("blocks.alloc.slowdown", ba / bq), ("blocks.gc.slowdown", bg / bq)
    , ("chunks.quiet", cq), ("chunks.alloc.slowdown", ca / cq), ("chunks.gc.slowdown", cg / cq)
    , ("blocks.alloc.haskell", baRate), ("blocks.gc.haskell", bgRate)
    , ("chunks.alloc.haskell", caRate), ("chunks.gc.haskell", cgRate)
    , ("region.p50.quiet", percentile 0.5 rq), ("region.p99.quiet", percentile 0.99 rq)
    , ("region.p50.alloc", percentile 0.5 rs), ("region.p99.alloc", percentile 0.99 rs)
    , ("dynamic.p50.quiet", percentile 0.5 dq), ("dynamic.p99.quiet", percentile 0.99 dq)
    , ("dynamic.p50.alloc", percentile 0.5 ds), ("dynamic.p99.alloc", percentile 0.99 ds)
    ]

-- | Progress on stderr: the storm cases take seconds on libgomp.
note :: String -> IO a -> IO a
note what act = do
  t0 <- wtime
  r <- act
  t1 <- wtime
  hPrintf stderr "  (%s: %.1f s)\n" what (t1 - t0)
  pure r

-- | A strict loop of n steps that allocates nothing.
work :: Int -> Int -> Int
work s n = go s 0
  where go !i !acc = if i >= s + n then acc else go (i + 1) (acc + i * i `mod` 7)

timed :: IO a -> IO Double
timed act = do
  t0 <- wtime
  _ <- act
  t1 <- wtime
  pure (t1 - t0)

-- | Run the action while 4 Haskell threads allocate (short-lived lists, so
--   many minor GCs) and, with @gcs@, one more calls performGC every 2 ms:
--   the busy Haskell side of issue 13.
storm :: Bool -> IO a -> IO a
storm gcs act = fst <$> stormRate gcs act

-- | 'storm', also returning the allocating threads' progress while the
--   action ran (allocation steps per millisecond): a runtime that looks fast
--   under the storm by starving the Haskell side shows here.
stormRate :: Bool -> IO a -> IO (a, Double)
stormRate gcs act = do
  stop <- newIORef False
  steps <- newIORef (0 :: Int)
  let loop step !i = do
        s <- readIORef stop
        unless s (step i >> loop step (i + 1))
      -- depends on i, so GHC cannot float it out as a constant
      allocStep i = do
        void (evaluate (length (show [i .. i + 2000 :: Int])))
        atomicModifyIORef' steps (\c -> (c + 1, ()))
      gcStep _ = performGC >> threadDelay 2000
  dones <- forM ([gcStep | gcs] ++ replicate 4 allocStep) $ \step -> do
    d <- newEmptyMVar
    _ <- forkIO (loop step 0 >> putMVar d ())
    pure d
  t0 <- wtime
  r <- act
  t1 <- wtime
  writeIORef stop True
  n <- readIORef steps
  mapM_ takeMVar dones
  pure (r, fromIntegral n / ((t1 - t0) * 1e3))

-- | Round trips of k safe calls of a 200k-double kernel, quiet and under an
--   allocation storm.
regionLatencies :: Int -> IO ([Double], [Double])
regionLatencies k = allocaArray n $ \p -> alloca $ \inside -> do
  pokeArray p (replicate n 1)
  let one = timed (c_kernel_timed p (fromIntegral n) inside)
  quiet <- replicateM k one
  stormy <- storm False (replicateM k one)
  pure (quiet, stormy)
  where
    n = 200000

median :: [Double] -> Double
median = percentile 0.5

percentile :: Double -> [Double] -> Double
percentile _ [] = 0
percentile p xs = let s = sort xs in s !! min (length s - 1) (floor (p * fromIntegral (length s)))

table :: [(String, [(String, Double)])] -> IO ()
table cols = do
  printf "%-28s" ("" :: String)
  forM_ cols $ \(name, _) -> printf "%14s" name
  when (length cols == 2) $ printf "%18s" ("hsomp / libgomp" :: String)
  printf "\n"
  forM_ (map fst (snd (head cols))) $ \key -> do
    let vals = [maybe 0 id (lookup key kv) | (_, kv) <- cols]
        endsWith suffix = suffix == reverse (take (length suffix) (reverse key))
        fmt v
          | endsWith ".slowdown" = printf "%13.1fx" v :: String
          | endsWith ".haskell" = printf "%9.1f /ms" v
          | otherwise = printf "%11.3f ms" (v * 1e3)
    printf "%-28s" key
    mapM_ (printf "%14s" . fmt) vals
    case vals of
      [a, b] | b > 0 -> printf "%17.2fx" (a / b)
      _ -> pure ()
    printf "\n"
