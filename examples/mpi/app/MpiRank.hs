-- | One rank of a hybrid MPI + OpenMP job, in Haskell: every rank computes
-- its share of an integral with an OpenMP C kernel on hsomp (a safe foreign
-- call: the team runs on this rank's Capabilities) and the ranks combine
-- their partial results with MPI_Allreduce.
--
-- > mpirun -np 2 --bind-to none $(cabal list-bin hsomp-mpi-rank) [STEPS]
--
-- MPI comes from a few `foreign import`s of Open MPI's C API. Every MPI call
-- is made by `main`, a bound thread (always the same OS thread, the one that
-- called MPI_Init_thread), so MPI_THREAD_FUNNELED is enough.
module Main (main) where

import Control.Monad (forM_, unless, when)
import Foreign
import Foreign.C.Types
import System.Environment (getArgs)
import System.Exit (exitFailure)
import System.IO (BufferMode (LineBuffering), hPutStrLn, hSetBuffering, stderr)
import Text.Printf (printf)

import Control.Parallel.OpenMP (maxThreads, runtimeVersion)

-- Opaque Open MPI handles (pointers to library globals).
type Comm = Ptr ()
type Datatype = Ptr ()
type Op = Ptr ()

foreign import ccall unsafe "hsomp_mpi_comm_world" mpiCommWorld :: IO Comm
foreign import ccall unsafe "hsomp_mpi_double" mpiDouble :: IO Datatype
foreign import ccall unsafe "hsomp_mpi_sum" mpiSum :: IO Op
foreign import ccall unsafe "hsomp_mpi_thread_funneled" mpiThreadFunneled :: IO CInt

foreign import ccall safe "MPI_Init_thread"
  mpiInitThread :: Ptr CInt -> Ptr (Ptr CString) -> CInt -> Ptr CInt -> IO CInt
foreign import ccall unsafe "MPI_Comm_rank" mpiCommRank :: Comm -> Ptr CInt -> IO CInt
foreign import ccall unsafe "MPI_Comm_size" mpiCommSize :: Comm -> Ptr CInt -> IO CInt
foreign import ccall safe "MPI_Allreduce"
  mpiAllreduce :: Ptr Double -> Ptr Double -> CInt -> Datatype -> Op -> Comm -> IO CInt
foreign import ccall safe "MPI_Finalize" mpiFinalize :: IO CInt

foreign import ccall unsafe "hsomp_mpi_on_hsomp" onHsomp :: IO CInt
foreign import ccall safe "hsomp_mpi_pi_part" piPart :: CLong -> CLong -> CLong -> Ptr Double -> IO ()

type CString = Ptr CChar

-- | An MPI call that must succeed (MPI_SUCCESS is 0).
ok :: String -> IO CInt -> IO ()
ok what act = do
  rc <- act
  unless (rc == 0) $ hPutStrLn stderr (what ++ " failed: " ++ show rc) >> exitFailure

main :: IO ()
main = do
  hSetBuffering stderr LineBuffering
  args <- getArgs
  let n = case args of [s] -> read s; _ -> 40000000 :: Int
  funneled <- mpiThreadFunneled
  provided <- alloca $ \p -> ok "MPI_Init_thread" (mpiInitThread nullPtr nullPtr funneled p) >> peek p
  world <- mpiCommWorld
  rank <- alloca $ \p -> ok "MPI_Comm_rank" (mpiCommRank world p) >> fromIntegral <$> peek p
  size <- alloca $ \p -> ok "MPI_Comm_size" (mpiCommSize world p) >> fromIntegral <$> peek p
  when (provided < funneled) $ hPutStrLn stderr "MPI lacks MPI_THREAD_FUNNELED" >> exitFailure
  version <- runtimeVersion
  threads <- maxThreads
  hPutStrLn stderr (printf "[rank %d of %d] OpenMP runtime: %s, %d threads" rank size version threads)
  on <- onHsomp
  unless (on == 1) $ hPutStrLn stderr "the OpenMP entry points are not hsomp's" >> exitFailure

  -- This rank's block of the n steps, and the OpenMP kernel on it.
  let lo = n * rank `div` size
      hi = n * (rank + 1) `div` size
  part <- allocaArray 3 $ \out -> piPart (fromIntegral lo) (fromIntegral hi) (fromIntegral n) out >> peekArray 3 out
  let team = round (part !! 2) :: Int
  unless (team == threads) $ hPutStrLn stderr (printf "team of %d, expected %d" team threads) >> exitFailure

  -- Combine: the sum of the partial integrals and of the step counts.
  dt <- mpiDouble
  op <- mpiSum
  total <- withArray (take 2 part) $ \send -> allocaArray 2 $ \recv ->
    ok "MPI_Allreduce" (mpiAllreduce send recv 2 dt op world) >> peekArray 2 recv
  let [piEst, steps] = total
      err = abs (piEst - pi)
  when (rank == 0) $ do
    printf "%d ranks: pi ~ %.12f (error %.1e) from %d steps\n" size piEst err (round steps :: Int)
  ok "MPI_Finalize" mpiFinalize
  forM_ [(round steps /= n, "steps lost"), (err > 1e-9, "wrong value")] $ \(bad, what) ->
    when bad $ hPutStrLn stderr what >> exitFailure
