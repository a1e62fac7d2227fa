-- | hsomp's main demo: Haskell calls an OpenMP C kernel that runs on hsomp,
--   shows which team thread ran on which Capability, and times the kernel
--   side by side with the same C code compiled with gcc -fopenmp on libgomp.
--
--   hsomp-demo [--libgomp PROGRAM] [N REPS REGIONS]
module Main (main) where

import Control.Concurrent
import Control.Monad
import Data.IORef
import Data.List (sort)
import Foreign

import System.Environment (getArgs)
import System.Process (readProcess)
import Text.Printf (printf)

import Common
import Control.Parallel.OpenMP
import Control.Parallel.OpenMP.Prim (capabilityNo, ompThreadNum)

main :: IO ()
main = do
  args <- getArgs
  let (gomp, rest) = case args of
        ("--libgomp" : p : r) -> (Just p, r)
        r -> (Nothing, r)
      nums = map read rest :: [Int]
      n = if length nums > 0 then nums !! 0 else 1000000
      reps = if length nums > 1 then nums !! 1 else 50
      regions = if length nums > 2 then nums !! 2 else 10000
  v <- runtimeVersion
  caps <- getNumCapabilities
  mt <- maxThreads
  printf "hsomp runtime: %s\nGHC Capabilities: %d, OpenMP default team: %d, processors: %d\n\n" v caps mt =<< numProcs

  putStrLn "What ran where (Haskell bodies run by parallelRegion; each team thread enters"
  putStrLn "Haskell on its own Capability):"
  forM_ (sort (nubInts [caps, 2 * caps])) $ \team -> do
    seen <- newIORef []
    parallelRegion team $ \t -> do
      tn <- ompThreadNum
      cap <- capabilityNo
      atomicModifyIORef' seen (\s -> ((t, tn, cap) : s, ()))
    s <- sort <$> readIORef seen
    printf "  team of %d:\n" team
    forM_ s $ \(t, tn, cap) -> printf "    OpenMP thread %d (omp_get_thread_num=%d) -> Capability %d\n" t tn cap
  cpus <- allocaArray 64 $ \p -> do
    k <- c_team p 64
    peekArray (fromIntegral (min k 64)) p
  printf "  a C region (#pragma omp parallel) ran threads on CPUs %s\n\n" (show (map (\c -> fromIntegral c :: Int) cpus))

  printf "Kernel: %d sweeps (one #pragma omp parallel for each) over %d doubles\n" reps n
  (best, chk) <- allocaArray n $ \p -> do
    _ <- c_kernel p (fromIntegral n) 2
    ts <- replicateM 5 $ do
      pokeArray p (replicate n 1)
      timeIt (c_kernel p (fromIntegral n) (fromIntegral reps))
    pure (minimum (map fst ts), snd (last ts))
  c_empty_regions 100
  (tr, _) <- timeIt (c_empty_regions (fromIntegral regions))
  let perRegion = tr / fromIntegral regions
  printf "  hsomp (called from Haskell, safe FFI): kernel %s (checksum %.6f), empty region %s\n"
    (fmtMs best) chk (fmtUs perRegion)

  case gomp of
    Nothing -> putStrLn "\n(no --libgomp PROGRAM given: skipping the libgomp side-by-side)"
    Just prog -> do
      out <- readProcess prog [show n, show reps, show regions] ""
      let kv = [(k, drop 1 val) | l <- lines out, let (k, val) = break (== '=') l]
          get k = maybe 0 read (lookup k kv) :: Double
          gk = get "kernel_ms" / 1e3
          ge = get "empty_region_us" / 1e6
      printf "  libgomp (same C, gcc -fopenmp, plain C program): kernel %s (checksum %.6f), empty region %s\n"
        (fmtMs gk) (get "checksum") (fmtUs ge)
      putStrLn ""
      printf "  %-28s %14s %14s %8s\n" "side by side" "hsomp" "libgomp" "ratio"
      printf "  %-28s %14s %14s %8.2f\n" ("kernel (" ++ show reps ++ " regions)") (fmtMs best) (fmtMs gk) (best / gk)
      printf "  %-28s %14s %14s %8.2f\n" "empty parallel region" (fmtUs perRegion) (fmtUs ge) (perRegion / ge)
      printf "  (threads: hsomp %d, libgomp %s)\n" mt (maybe "?" id (lookup "threads" kv))
  where
    nubInts = foldr (\x acc -> if x `elem` acc then acc else x : acc) []

