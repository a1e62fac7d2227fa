{-# LANGUAGE BangPatterns, ScopedTypeVariables #-}
-- | OpenMP from Haskell on the hsomp runtime.
--
-- * Queries and setters of the OpenMP API ('maxThreads', 'setNumThreads',
--   'threadNum', ...). They act on the calling OS thread: an unbound Haskell
--   thread may move between OS threads between two calls, so settings made
--   with 'setNumThreads' stick only in bound threads (@main@, 'forkOS') and
--   in bodies run by 'parallelFor'. The loops below take the team size as an
--   argument for that reason.
--
-- * 'parallelFor' and friends open one OpenMP region and run a Haskell body
--   on every team thread. Team thread @i@ enters Haskell on Capability
--   @i mod numCapabilities@ (the runtime binds its workers that way), once per
--   chunk, not once per iteration.
--
-- * 'Lock' and 'NestLock': OpenMP locks in pinned memory, usable from Haskell
--   and from C (pass 'withLockPtr' to a kernel).
module Control.Parallel.OpenMP
  ( -- * Queries and settings
    maxThreads, setNumThreads, numThreads, threadNum, inParallel
  , numProcs, wtime, wtick, level, activeLevel, ancestorThreadNum, teamSize
  , dynamic, setDynamic, maxActiveLevels, setMaxActiveLevels, threadLimit
  , runtimeVersion
    -- * Parallel loops
  , Schedule (..)
  , parallelFor, parallelForSchedule, parallelForChunked, parallelForWith
  , parallelRegion
    -- * Locks
  , Lock, newLock, withLock, setLock, unsetLock, testLock, withLockPtr
  , NestLock, newNestLock, withNestLock
    -- * Exclusive mode
  , withExclusive, exclusive, setExclusive
    -- * Low level
  , OmpLock, OmpNestLock
  ) where

import Control.Concurrent (isCurrentThreadBound, runInBoundThread)
import Control.Exception
import Control.Monad (when)
import Data.IORef
import Foreign
import Foreign.C.String (CString, peekCString)
import Foreign.C.Types
import System.IO.Unsafe (unsafePerformIO)

------------------------------------------------------------------------------
-- Queries

foreign import ccall unsafe "omp_get_max_threads" c_omp_get_max_threads :: IO CInt
foreign import ccall unsafe "omp_set_num_threads" c_omp_set_num_threads :: CInt -> IO ()
foreign import ccall unsafe "omp_get_num_threads" c_omp_get_num_threads :: IO CInt
foreign import ccall unsafe "omp_get_thread_num" c_omp_get_thread_num :: IO CInt
foreign import ccall unsafe "omp_in_parallel" c_omp_in_parallel :: IO CInt
foreign import ccall unsafe "omp_get_num_procs" c_omp_get_num_procs :: IO CInt
foreign import ccall unsafe "omp_get_wtime" c_omp_get_wtime :: IO CDouble
foreign import ccall unsafe "omp_get_wtick" c_omp_get_wtick :: IO CDouble
foreign import ccall unsafe "omp_get_level" c_omp_get_level :: IO CInt
foreign import ccall unsafe "omp_get_active_level" c_omp_get_active_level :: IO CInt
foreign import ccall unsafe "omp_get_ancestor_thread_num" c_omp_get_ancestor_thread_num :: CInt -> IO CInt
foreign import ccall unsafe "omp_get_team_size" c_omp_get_team_size :: CInt -> IO CInt
foreign import ccall unsafe "omp_get_dynamic" c_omp_get_dynamic :: IO CInt
foreign import ccall unsafe "omp_set_dynamic" c_omp_set_dynamic :: CInt -> IO ()
foreign import ccall unsafe "omp_get_max_active_levels" c_omp_get_max_active_levels :: IO CInt
foreign import ccall unsafe "omp_set_max_active_levels" c_omp_set_max_active_levels :: CInt -> IO ()
foreign import ccall unsafe "omp_get_thread_limit" c_omp_get_thread_limit :: IO CInt
foreign import ccall unsafe "hsomp_runtime_version" c_hsomp_runtime_version :: IO CString

-- | omp_get_max_threads: the team size the next region of this OS thread gets.
maxThreads :: IO Int
maxThreads = fromIntegral <$> c_omp_get_max_threads

-- | omp_set_num_threads (for the calling OS thread; see the module header).
setNumThreads :: Int -> IO ()
setNumThreads n = c_omp_set_num_threads (fromIntegral (max 1 n))

-- | omp_get_num_threads: size of the team the calling OS thread is in.
numThreads :: IO Int
numThreads = fromIntegral <$> c_omp_get_num_threads

-- | omp_get_thread_num: this OS thread's number in its team (0 outside).
threadNum :: IO Int
threadNum = fromIntegral <$> c_omp_get_thread_num

inParallel :: IO Bool
inParallel = (/= 0) <$> c_omp_in_parallel

numProcs :: IO Int
numProcs = fromIntegral <$> c_omp_get_num_procs

-- | omp_get_wtime: seconds since an arbitrary fixed point.
wtime :: IO Double
wtime = realToFrac <$> c_omp_get_wtime

wtick :: IO Double
wtick = realToFrac <$> c_omp_get_wtick

level, activeLevel :: IO Int
level = fromIntegral <$> c_omp_get_level
activeLevel = fromIntegral <$> c_omp_get_active_level

ancestorThreadNum, teamSize :: Int -> IO Int
ancestorThreadNum l = fromIntegral <$> c_omp_get_ancestor_thread_num (fromIntegral l)
teamSize l = fromIntegral <$> c_omp_get_team_size (fromIntegral l)

dynamic :: IO Bool
dynamic = (/= 0) <$> c_omp_get_dynamic

setDynamic :: Bool -> IO ()
setDynamic b = c_omp_set_dynamic (if b then 1 else 0)

maxActiveLevels :: IO Int
maxActiveLevels = fromIntegral <$> c_omp_get_max_active_levels

setMaxActiveLevels :: Int -> IO ()
setMaxActiveLevels = c_omp_set_max_active_levels . fromIntegral

threadLimit :: IO Int
threadLimit = fromIntegral <$> c_omp_get_thread_limit

-- | The hsomp runtime's version string (proof that hsomp, not libgomp, runs).
runtimeVersion :: IO String
runtimeVersion = c_hsomp_runtime_version >>= peekCString

------------------------------------------------------------------------------
-- Parallel loops

-- | How iterations are split into chunks. A chunk size @<= 0@ means: for
--   'Static', one contiguous block per thread; for 'Dynamic' and 'Guided', 1.
data Schedule
  = Static !Int   -- ^ round-robin chunks of this size (block per thread if <= 0)
  | Dynamic !Int  -- ^ threads take the next chunk of this size when done
  | Guided !Int   -- ^ chunks shrinking with the remaining work, not below this size
  deriving (Eq, Show)

-- | What a team thread runs for a chunk: the body of one parallelFor call.
type Body = Int64 -> Int64 -> IO ()
type ChunkFn = StablePtr Body -> Int64 -> Int64 -> IO ()

foreign import ccall "wrapper" mkChunkFn :: ChunkFn -> IO (FunPtr ChunkFn)
foreign import ccall safe "hsomp_parallel_for"
  c_parallel_for :: Int64 -> Int64 -> CInt -> Int64 -> CInt -> FunPtr ChunkFn -> StablePtr Body
                 -> Ptr CInt -> IO CInt
foreign import ccall unsafe "hsomp_cancel_set" c_cancel_set :: Ptr CInt -> IO ()

-- | The one entry point every team thread calls, once per chunk: it looks up
--   the body of the current call through the StablePtr the C side passes back.
--   Made once per process: a fresh "wrapper" FunPtr per call costs ~15 us
--   (GHC allocates executable memory for each), a StablePtr ~0.1 us.
dispatch :: FunPtr ChunkFn
dispatch = unsafePerformIO (mkChunkFn (\sp a b -> deRefStablePtr sp >>= \body -> body a b))
{-# NOINLINE dispatch #-}

-- | @parallelFor lo hi body@ runs @body i@ for every @i@ in @[lo, hi)@ on an
--   OpenMP team of the default size ('maxThreads' of the calling OS thread),
--   static block schedule: each team thread enters Haskell once, on its own
--   Capability, and runs its block sequentially.
--
--   If a body throws, no further chunks are started and the first exception
--   is rethrown to the caller once the region has ended.
parallelFor :: Int -> Int -> (Int -> IO ()) -> IO ()
parallelFor = parallelForSchedule (Static 0)

-- | 'parallelFor' with a schedule.
parallelForSchedule :: Schedule -> Int -> Int -> (Int -> IO ()) -> IO ()
parallelForSchedule s lo hi body = parallelForWith s 0 lo hi (\a b -> loop a b)
  where loop !a !b = when (a < b) (body a >> loop (a + 1) b)

-- | The body gets whole chunks @[a, b)@ (static block schedule, default team).
parallelForChunked :: Int -> Int -> (Int -> Int -> IO ()) -> IO ()
parallelForChunked = parallelForWith (Static 0) 0

-- | The general form: schedule, team size (@<= 0@: the default), range, and
--   a chunk body called with @[a, b)@ once per chunk.
parallelForWith :: Schedule -> Int -> Int -> Int -> (Int -> Int -> IO ()) -> IO ()
parallelForWith sched nthreads lo hi body
  | hi <= lo = pure ()
  | otherwise = do
      excl <- c_hsomp_get_exclusive
      when (excl /= 0) $ throwIO (userError
        "Control.Parallel.OpenMP.parallelFor: exclusive mode is on (withExclusive / HSOMP_EXCLUSIVE); \
        \workers holding their Capabilities cannot run Haskell bodies")
      failure <- newIORef Nothing
      allocaBytes 8 $ \cancel -> do
        poke cancel 0
        let run :: Body
            run a b = body (fromIntegral a) (fromIntegral b) `catch` \(e :: SomeException) -> do
              atomicModifyIORef' failure (\old -> (maybe (Just e) Just old, ()))
              c_cancel_set cancel
            (kind, chunk) = case sched of
              Static c -> (0, c)
              Dynamic c -> (1, c)
              Guided c -> (2, c)
        _ <- bracket (newStablePtr run) freeStablePtr $ \sp ->
          c_parallel_for (fromIntegral lo) (fromIntegral hi) kind (fromIntegral chunk)
                         (fromIntegral nthreads) dispatch sp cancel
        pure ()
      readIORef failure >>= maybe (pure ()) throwIO

-- | Run the body once on every thread of a team of the given size (@<= 0@:
--   the default), with the thread number; like @#pragma omp parallel@.
parallelRegion :: Int -> (Int -> IO ()) -> IO ()
parallelRegion nthreads body = do
  n <- if nthreads > 0 then pure nthreads else maxThreads
  parallelForWith (Static 1) n 0 n (\a _ -> body a)

------------------------------------------------------------------------------
-- Locks

-- | Storage of an @omp_lock_t@ (4 bytes in GCC's omp.h; we reserve 8).
data OmpLock
-- | Storage of an @omp_nest_lock_t@ (16 bytes).
data OmpNestLock

foreign import ccall unsafe "omp_init_lock" c_omp_init_lock :: Ptr OmpLock -> IO ()
foreign import ccall unsafe "&omp_destroy_lock" p_omp_destroy_lock :: FunPtr (Ptr OmpLock -> IO ())
foreign import ccall safe "omp_set_lock" c_omp_set_lock :: Ptr OmpLock -> IO ()
foreign import ccall unsafe "omp_unset_lock" c_omp_unset_lock :: Ptr OmpLock -> IO ()
foreign import ccall unsafe "omp_test_lock" c_omp_test_lock :: Ptr OmpLock -> IO CInt
foreign import ccall unsafe "omp_init_nest_lock" c_omp_init_nest_lock :: Ptr OmpNestLock -> IO ()
foreign import ccall unsafe "&omp_destroy_nest_lock" p_omp_destroy_nest_lock :: FunPtr (Ptr OmpNestLock -> IO ())
foreign import ccall safe "omp_set_nest_lock" c_omp_set_nest_lock :: Ptr OmpNestLock -> IO ()
foreign import ccall unsafe "omp_unset_nest_lock" c_omp_unset_nest_lock :: Ptr OmpNestLock -> IO ()

-- | An OpenMP simple lock in memory that never moves (shareable with C).
newtype Lock = Lock (ForeignPtr OmpLock)

newLock :: IO Lock
newLock = do
  fp <- mallocForeignPtrBytes 8 -- pinned
  withForeignPtr fp c_omp_init_lock
  addForeignPtrFinalizer p_omp_destroy_lock fp
  pure (Lock fp)

-- | Acquire (a safe call: the Capability is free while it waits).
setLock :: Lock -> IO ()
setLock (Lock fp) = withForeignPtr fp c_omp_set_lock

unsetLock :: Lock -> IO ()
unsetLock (Lock fp) = withForeignPtr fp c_omp_unset_lock

-- | Try to acquire without waiting.
testLock :: Lock -> IO Bool
testLock (Lock fp) = (/= 0) <$> withForeignPtr fp c_omp_test_lock

withLock :: Lock -> IO a -> IO a
withLock l act = mask $ \restore -> do
  setLock l
  restore act `finally` unsetLock l

-- | The @omp_lock_t *@ for a C kernel; valid during the action.
withLockPtr :: Lock -> (Ptr OmpLock -> IO a) -> IO a
withLockPtr (Lock fp) = withForeignPtr fp

-- | An OpenMP nestable lock. Its owner is the OS thread, so 'withNestLock'
--   runs in a bound thread (it forks one if the caller is unbound).
newtype NestLock = NestLock (ForeignPtr OmpNestLock)

newNestLock :: IO NestLock
newNestLock = do
  fp <- mallocForeignPtrBytes 16
  withForeignPtr fp c_omp_init_nest_lock
  addForeignPtrFinalizer p_omp_destroy_nest_lock fp
  pure (NestLock fp)

withNestLock :: NestLock -> IO a -> IO a
withNestLock (NestLock fp) act = do
  bound <- isCurrentThreadBound
  (if bound then id else runInBoundThread) $ withForeignPtr fp $ \p -> mask $ \restore -> do
    c_omp_set_nest_lock p
    restore act `finally` c_omp_unset_nest_lock p

------------------------------------------------------------------------------
-- Exclusive mode

foreign import ccall unsafe "hsomp_set_exclusive" c_hsomp_set_exclusive :: CInt -> IO ()
foreign import ccall unsafe "hsomp_get_exclusive" c_hsomp_get_exclusive :: IO CInt

-- | Is exclusive mode on? (Process-wide; also set by HSOMP_EXCLUSIVE=1.)
exclusive :: IO Bool
exclusive = (/= 0) <$> c_hsomp_get_exclusive

setExclusive :: Bool -> IO ()
setExclusive b = c_hsomp_set_exclusive (if b then 1 else 0)

-- | Run the action with exclusive mode on: while a region runs, its workers
--   hold their Capabilities, so Haskell mutators and GC stay off those cores
--   (GC waits for the region to end). For C kernels only: a worker that holds
--   its Capability cannot enter Haskell, so 'parallelFor' refuses to run in
--   exclusive mode. The setting is process-wide; the previous value is
--   restored afterwards.
withExclusive :: IO a -> IO a
withExclusive act = do
  old <- c_hsomp_get_exclusive
  bracket_ (c_hsomp_set_exclusive 1) (c_hsomp_set_exclusive old) act
