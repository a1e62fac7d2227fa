{-# LANGUAGE BangPatterns, ScopedTypeVariables #-}
-- | OpenMP from Haskell on the hsomp runtime.
--
-- * Queries and setters of the OpenMP API ('maxThreads', 'setNumThreads',
--   'threadNum', ...). They act on the calling OS thread: an unbound Haskell
--   thread may move between OS threads between two calls, so settings made
--   with 'setNumThreads' stick only in bound threads (@main@, 'forkOS') and
--   in bodies run by 'parallelFor'. For that reason 'withNumThreads' runs its
--   action in a bound thread, and the loops take a team size in 'LoopOptions'.
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
  , parallelFor, parallelForSchedule, parallelForChunked
  , parallelRegion, cancelCheckInterval
    -- ** Loop options: schedule, chunk size, team size
  , LoopOptions (..), defaultLoopOptions
  , parallelForOpts, parallelForChunkedOpts
  , withNumThreads
  , parallelForWith
    -- * Reductions
    -- $reductions
  , parallelFoldMap, parallelSum, parallelMinimum, parallelMaximum
  , parallelFoldMapOpts, parallelSumOpts, parallelMinimumOpts, parallelMaximumOpts
    -- ** The contract of loop bodies; exceptions and cancellation
    -- $contract
    -- * Cancelling C kernels; safe callbacks
  , withCancellation
  , Callbacks, withCallbacks, guarded, callbacksCancelFlag
    -- * Locks
  , Lock, newLock, withLock, setLock, unsetLock, testLock, withLockPtr
  , NestLock, newNestLock, withNestLock
    -- * Exclusive mode
  , withExclusive, exclusive, setExclusive
    -- * Low level
  , OmpLock, OmpNestLock
  ) where

import Control.Concurrent (forkIOWithUnmask, isCurrentThreadBound, runInBoundThread)
import Control.Concurrent.MVar (newEmptyMVar, putMVar, readMVar)
import Control.Exception
import Control.Monad (when)
import Data.IORef
import Data.List (sortOn)
import Data.Maybe (fromMaybe)
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

-- | omp_in_parallel: is the calling OS thread inside an active parallel
--   region (a team of more than one thread)?
inParallel :: IO Bool
inParallel = (/= 0) <$> c_omp_in_parallel

-- | omp_get_num_procs: the number of processors available to the process.
numProcs :: IO Int
numProcs = fromIntegral <$> c_omp_get_num_procs

-- | omp_get_wtime: seconds since an arbitrary fixed point.
wtime :: IO Double
wtime = realToFrac <$> c_omp_get_wtime

-- | omp_get_wtick: the resolution of 'wtime', in seconds.
wtick :: IO Double
wtick = realToFrac <$> c_omp_get_wtick

-- | omp_get_level / omp_get_active_level: how many (active) parallel
--   regions enclose the calling OS thread (0 outside any).
level, activeLevel :: IO Int
level = fromIntegral <$> c_omp_get_level
activeLevel = fromIntegral <$> c_omp_get_active_level

-- | omp_get_ancestor_thread_num / omp_get_team_size: the thread number of the
--   calling thread's ancestor at the given nesting level, and the size of
--   that level's team (-1 for a level that does not exist).
ancestorThreadNum, teamSize :: Int -> IO Int
ancestorThreadNum l = fromIntegral <$> c_omp_get_ancestor_thread_num (fromIntegral l)
teamSize l = fromIntegral <$> c_omp_get_team_size (fromIntegral l)

-- | omp_get_dynamic: may the runtime give a region fewer threads than asked?
dynamic :: IO Bool
dynamic = (/= 0) <$> c_omp_get_dynamic

-- | omp_set_dynamic (for the calling OS thread).
setDynamic :: Bool -> IO ()
setDynamic b = c_omp_set_dynamic (if b then 1 else 0)

-- | omp_get_max_active_levels: how many nested regions may be active (get
--   more than one thread).
maxActiveLevels :: IO Int
maxActiveLevels = fromIntegral <$> c_omp_get_max_active_levels

-- | omp_set_max_active_levels (for the calling OS thread).
setMaxActiveLevels :: Int -> IO ()
setMaxActiveLevels = c_omp_set_max_active_levels . fromIntegral

-- | omp_get_thread_limit: the most threads a contention group may have
--   (@OMP_THREAD_LIMIT@).
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
foreign import ccall safe "hsomp_parallel_region"
  c_parallel_region :: CInt -> FunPtr ChunkFn -> StablePtr Body -> Ptr CInt -> IO CInt
foreign import ccall unsafe "hsomp_cancel_set" c_cancel_set :: Ptr CInt -> IO ()

-- | The one entry point every team thread calls, once per chunk: it looks up
--   the body of the current call through the StablePtr the C side passes back.
--   Made once per process: a fresh "wrapper" FunPtr per call costs ~15 us
--   (GHC allocates executable memory for each), a StablePtr ~0.1 us.
dispatch :: FunPtr ChunkFn
dispatch = unsafePerformIO (mkChunkFn (\sp a b -> deRefStablePtr sp >>= \body -> body a b))
{-# NOINLINE dispatch #-}

-- $contract
-- = The contract of loop bodies
--
-- 'parallelFor' and friends run the iterations of @[lo, hi)@ on several OS
-- threads at once, in no particular order, each iteration exactly once.
-- A body must therefore not depend on other iterations:
--
-- * no iteration may wait for another one (an 'MVar' handed from iteration
--   @i@ to @i+1@, a lock taken in one iteration and released in a later
--   one): both may be on the same thread, one after the other, and then the
--   loop never ends;
-- * no iteration may read what another one writes, unless through atomic
--   operations ('atomicModifyIORef'', 'Control.Concurrent.STM', an OpenMP
--   'Lock') whose result does not depend on the order;
-- * writes to shared mutable data go to disjoint places (element @i@ of an
--   array in iteration @i@), or through those atomic operations.
--
-- None of this can be checked by the library in general. What it does
-- detect: a body that throws (the exception stops the loop and is rethrown
-- to the caller, see below), and 'parallelFor' in exclusive mode (refused
-- with a message, it would deadlock).
--
-- = Exceptions, cancellation, timeouts and Ctrl-C
--
-- * An exception thrown by a body stops the loop: no further chunks start,
--   the other running bodies stop at their next check (below), and the
--   first exception is rethrown to the caller once every team thread has
--   left the region.
-- * An asynchronous exception to the caller ('System.Timeout.timeout',
--   'Control.Concurrent.killThread', Ctrl-C, which GHC delivers to the main
--   thread as 'UserInterrupt') raises the region's cancel flag; the caller
--   waits (uninterruptibly) until the team has left the region, then the
--   exception propagates. The bound on that wait: no new chunk starts, and a
--   running 'parallelFor' / 'parallelForSchedule' body finishes at most
--   'cancelCheckInterval' iterations (8) of its chunk. Bodies of
--   'parallelForChunked' and 'parallelForWith' get whole chunks and are
--   checked between chunks only: with 'Static' 0 a chunk is a thread's whole
--   block, so use a bounded chunk size (or poll the flag: 'withCancellation')
--   when such a loop must stop promptly. 'parallelRegion' bodies run to their
--   end.
-- * A region run from inside another region's body (nesting) runs in the
--   calling thread; an asynchronous exception to such a body takes effect
--   when its inner region ends.
-- * C kernels get the same through 'withCancellation' (a flag to poll), and
--   Haskell callbacks called by C through 'withCallbacks' / 'guarded'.
--
-- To keep the calling thread interruptible, a region is started by a fresh
-- (unbound) Haskell thread that makes the safe foreign call while the caller
-- waits on an 'MVar' (a safe foreign call itself cannot be interrupted).
-- That thread's OS thread is the region's master: the team size defaults to
-- 'maxThreads' of the /caller's/ OS thread, but other per-thread settings of a
-- bound caller ('setDynamic', 'setMaxActiveLevels') do not carry over.

-- | How many iterations a 'parallelFor' body runs between two looks at the
--   cancel flag: after a cancellation (an exception, a timeout), a running
--   body finishes at most this many more iterations.
cancelCheckInterval :: Int
cancelCheckInterval = 8

-- | @parallelFor lo hi body@ runs @body i@ for every @i@ in @[lo, hi)@ on an
--   OpenMP team of the default size ('maxThreads' of the calling OS thread),
--   static block schedule: each team thread enters Haskell once, on its own
--   Capability, and runs its block sequentially.
--
--   Iterations must not depend on each other (see "the contract of loop
--   bodies" above). If a body throws, or the caller gets an asynchronous
--   exception (a timeout, 'killThread', Ctrl-C), the loop stops within
--   'cancelCheckInterval' iterations per running thread and the exception is
--   rethrown to the caller once the team has left the region.
parallelFor :: Int -> Int -> (Int -> IO ()) -> IO ()
parallelFor = parallelForSchedule (Static 0)
{-# INLINE parallelFor #-}

-- | 'parallelFor' with a schedule.
parallelForSchedule :: Schedule -> Int -> Int -> (Int -> IO ()) -> IO ()
parallelForSchedule s = parallelForOpts defaultLoopOptions { loopSchedule = s }
{-# INLINE parallelForSchedule #-}

-- | How a loop runs. Build one from 'defaultLoopOptions' with record
--   update syntax:
--
--   > parallelForOpts defaultLoopOptions { loopSchedule = Dynamic 64, loopTeamSize = 4 } 0 n body
data LoopOptions = LoopOptions
  { loopSchedule :: !Schedule
    -- ^ How iterations are split among the team, and the chunk size (the
    --   'Int' of the 'Schedule'). Default: 'Static' 0, one contiguous block
    --   per thread.
  , loopTeamSize :: !Int
    -- ^ The number of team threads; @<= 0@ (the default) means 'maxThreads'
    --   of the calling OS thread (set it with 'withNumThreads';
    --   @OMP_NUM_THREADS@, or the number of Capabilities, otherwise). The
    --   team may be smaller than asked (@OMP_THREAD_LIMIT@, 'setDynamic',
    --   nesting beyond 'maxActiveLevels').
  } deriving (Eq, Show)

-- | @LoopOptions { loopSchedule = Static 0, loopTeamSize = 0 }@: what
--   'parallelFor', 'parallelForChunked' and the reductions use.
defaultLoopOptions :: LoopOptions
defaultLoopOptions = LoopOptions { loopSchedule = Static 0, loopTeamSize = 0 }

-- | 'parallelFor' with options (schedule, chunk size, team size). The body
--   inlines into the chunk loop, and the cancel flag is read every
--   'cancelCheckInterval' iterations, as for 'parallelFor'.
parallelForOpts :: LoopOptions -> Int -> Int -> (Int -> IO ()) -> IO ()
parallelForOpts (LoopOptions s nt) lo hi body = parallelForCore s nt lo hi (forChunk body)
{-# INLINE parallelForOpts #-}

-- | 'parallelForChunked' with options: the body gets whole chunks @[a, b)@;
--   cancellation is checked between chunks only.
parallelForChunkedOpts :: LoopOptions -> Int -> Int -> (Int -> Int -> IO ()) -> IO ()
parallelForChunkedOpts (LoopOptions s nt) lo hi body = parallelForCore s nt lo hi (const body)

-- | @withNumThreads n act@ runs @act@ with 'maxThreads' set to @n@ (at least
--   1; @omp_set_num_threads@), so every region @act@ starts with the default
--   team size ('parallelFor', the reductions, 'parallelRegion' 0, C kernels
--   called from @act@) gets @n@ threads; the previous setting is restored
--   afterwards, also when @act@ throws.
--
--   The setting belongs to an OS thread (see the module header), and the
--   regions of this package are started by a fresh Haskell thread (for
--   cancellation) that takes the team size from the caller's OS thread. So
--   in an unbound thread @act@ runs in a new bound thread
--   ('runInBoundThread'; it costs an OS thread switch), in a bound thread
--   ('main', 'forkOS', a loop body) in place. Threads that @act@ forks with
--   'forkIO' do not inherit the setting.
withNumThreads :: Int -> IO a -> IO a
withNumThreads n act = do
  bound <- isCurrentThreadBound
  (if bound then id else runInBoundThread) $
    bracket (maxThreads <* setNumThreads n) setNumThreads (const act)

-- | The chunk worker of 'parallelFor': runs @body@ over the chunk @[a, b)@
--   in blocks of 'cancelCheckInterval' iterations, looking at the cancel
--   flag between blocks. INLINE (with 'parallelFor' and
--   'parallelForSchedule'), so that at a call site with a known body the
--   body inlines into this loop: the region machinery ('parallelForCore')
--   calls the worker once per chunk, and no unknown call is left per
--   iteration. A chunk can be longer than maxBound (a range across all of
--   Int): its length is computed as a Word.
forChunk :: (Int -> IO ()) -> Ptr CInt -> Int -> Int -> IO ()
forChunk body = foldChunkM (\() i -> body i) ()
{-# INLINE forChunk #-}

-- | Fold the chunk @[a, b)@ from @z@ with the action @step@, reading the
--   cancel flag every 'cancelCheckInterval' (8) iterations. Whole blocks of
--   8: the 8 steps written out (no loop test per iteration); GHC inlines a
--   small step 8 times, a large one stays a local function with known
--   calls. The rest of the chunk (< 8 iterations): a loop. Each accumulator
--   is evaluated to weak head normal form.
foldChunkM :: (b -> Int -> IO b) -> b -> Ptr CInt -> Int -> Int -> IO b
foldChunkM step z = \cancel a0 b -> do
  let blocks !acc !a
        | a >= b = pure acc
        | (fromIntegral (b - a) :: Word) < 8 = run acc a
        | otherwise = do
            !s1 <- step acc a
            !s2 <- step s1 (a + 1)
            !s3 <- step s2 (a + 2)
            !s4 <- step s3 (a + 3)
            !s5 <- step s4 (a + 4)
            !s6 <- step s5 (a + 5)
            !s7 <- step s6 (a + 6)
            !s8 <- step s7 (a + 7)
            c <- peek cancel
            if c == 0 then blocks s8 (a + 8) else pure s8
      run !acc !i
        | i < b = step acc i >>= \ !acc' -> run acc' (i + 1)
        | otherwise = pure acc
  blocks z a0
{-# INLINE foldChunkM #-}

-- | The body gets whole chunks @[a, b)@ (static block schedule, default
--   team). Cancellation is checked between chunks only.
parallelForChunked :: Int -> Int -> (Int -> Int -> IO ()) -> IO ()
parallelForChunked = parallelForChunkedOpts defaultLoopOptions

-- | The old general form with positional arguments: schedule, team size
--   (@<= 0@: the default), range, and a chunk body called with @[a, b)@ once
--   per chunk. Prefer 'parallelForChunkedOpts':
--   @parallelForWith s t@ = @parallelForChunkedOpts ('LoopOptions' s t)@.
--   Kept for existing code.
parallelForWith :: Schedule -> Int -> Int -> Int -> (Int -> Int -> IO ()) -> IO ()
parallelForWith sched nthreads = parallelForChunkedOpts (LoopOptions sched nthreads)

-- | One region over [lo, hi); the chunk body also gets the cancel flag.
parallelForCore :: Schedule -> Int -> Int -> Int -> (Ptr CInt -> Int -> Int -> IO ()) -> IO ()
parallelForCore sched nthreads lo hi body
  | hi <= lo = pure ()
  | otherwise = do
      let (kind, chunk) = case sched of
            Static c -> (0, c)
            Dynamic c -> (1, c)
            Guided c -> (2, c)
      _ <- runRegion nthreads body $ \nt sp cancel ->
        c_parallel_for (fromIntegral lo) (fromIntegral hi) kind (fromIntegral chunk) nt dispatch sp cancel
      pure ()

-- | Run a region whose team threads call back into @body@ (through
--   'dispatch'), interruptibly (see 'withCancellation'). An exception in a
--   body raises the cancel flag and is rethrown here after the region.
--   Returns what the C call returned.
runRegion :: Int -> (Ptr CInt -> Int -> Int -> IO ())
          -> (CInt -> StablePtr Body -> Ptr CInt -> IO CInt) -> IO CInt
runRegion nthreads body start = do
  excl <- c_hsomp_get_exclusive
  when (excl /= 0) $ throwIO (userError
    "Control.Parallel.OpenMP.parallelFor: exclusive mode is on (withExclusive / HSOMP_EXCLUSIVE); \
    \workers holding their Capabilities cannot run Haskell bodies")
  -- The default team size of the caller's OS thread, before the region moves
  -- to another one.
  nt <- if nthreads > 0 then pure nthreads else maxThreads
  failure <- newIORef Nothing
  r <- withCancellation $ \cancel -> do
    let run :: Body
        run a b = body cancel (fromIntegral a) (fromIntegral b) `catch` \(e :: SomeException) -> do
          atomicModifyIORef' failure (\old -> (maybe (Just e) Just old, ()))
          c_cancel_set cancel
    bracket (newStablePtr run) freeStablePtr $ \sp -> start (fromIntegral nt) sp cancel
  readIORef failure >>= maybe (pure r) throwIO

------------------------------------------------------------------------------
-- Reductions

-- $reductions
-- A reduction runs the range on the team like 'parallelFor' and combines
-- the iterations' values. Each team thread folds its chunks strictly from
-- the left (like 'Data.Foldable.foldMap'' / 'Data.List.foldl''), into one
-- accumulator per run of adjacent chunks it got (one per thread for the
-- default 'Static' 0 schedule); after the region the accumulators are
-- combined in index order, which for 'Static' 0 is thread order. Hence:
--
-- * for any monoid (associative, not necessarily commutative: lists,
--   'Data.Monoid.First', strings) the result is that of the sequential
--   fold, under every schedule;
-- * with a static schedule the grouping depends only on the range, the
--   chunk size and the team size, so floating-point sums give the same bits
--   on every run with the same team size ('withNumThreads', 'loopTeamSize');
--   with 'Dynamic' and 'Guided' the grouping depends on timing and such sums
--   may differ in the last bits between runs.
--
-- Cancellation and exceptions as for 'parallelFor' (the flag is read every
-- 'cancelCheckInterval' iterations).

-- | One accumulated run @[a, b)@ of adjacent chunks of one thread.
data Run b = Run !Int !Int !b

-- | The reduction engine: @chunk cancel a b@ folds one chunk, @combine@
--   joins two adjacent values (left, right). Nothing for an empty range.
reduceCore :: LoopOptions -> (Ptr CInt -> Int -> Int -> IO b) -> (b -> b -> b) -> Int -> Int -> IO (Maybe b)
reduceCore (LoopOptions s nt0) chunk combine lo hi
  | hi <= lo = pure Nothing
  | otherwise = do
      nt <- if nt0 > 0 then pure nt0 else maxThreads
      refs <- mapM (const (newIORef [])) [1 .. nt]
      extra <- newIORef [] -- a thread number >= nt (never expected)
      let add a b x (Run a' b' y : rs) | b' == a = Run a' b (combine y x) : rs
          add a b x rs = Run a b x : rs
      parallelForCore s nt lo hi $ \cancel a b -> do
        x <- chunk cancel a b
        t <- threadNum
        if t < nt then modifyIORef' (refs !! t) (add a b x)
                  else atomicModifyIORef' extra (\rs -> (Run a b x : rs, ()))
      runs <- concat <$> mapM readIORef (refs ++ [extra])
      case sortOn (\(Run a _ _) -> a) runs of
        [] -> pure Nothing
        Run _ _ x : rest -> pure (Just (foldlStrict (\acc (Run _ _ y) -> combine acc y) x rest))
  where
    foldlStrict f = go where
      go !acc [] = acc
      go !acc (y : ys) = go (f acc y) ys

-- | 'foldChunkM' of a pure step.
foldChunk :: (b -> Int -> b) -> b -> Ptr CInt -> Int -> Int -> IO b
foldChunk step = foldChunkM (\acc i -> pure (step acc i))
{-# INLINE foldChunk #-}

-- | @parallelFoldMap lo hi f@: @f lo <> f (lo+1) <> ... <> f (hi-1)@
--   ('mempty' for an empty range), computed by the team (default options);
--   strict: each accumulator is evaluated to weak head normal form at every
--   step, like 'Data.Foldable.foldMap''. See the notes on reductions above.
parallelFoldMap :: Monoid m => Int -> Int -> (Int -> m) -> IO m
parallelFoldMap = parallelFoldMapOpts defaultLoopOptions
{-# INLINE parallelFoldMap #-}

-- | 'parallelFoldMap' with options.
parallelFoldMapOpts :: Monoid m => LoopOptions -> Int -> Int -> (Int -> m) -> IO m
parallelFoldMapOpts opts lo hi f =
  fromMaybe mempty <$> reduceCore opts (foldChunk (\acc i -> acc <> f i) mempty) (<>) lo hi
{-# INLINE parallelFoldMapOpts #-}

-- | @parallelSum lo hi f@: the sum of @f i@ over @[lo, hi)@ (0 for an empty
--   range), strict, per-thread partial sums added in thread order (the same
--   bits on every run for a given team size; see above).
parallelSum :: Num a => Int -> Int -> (Int -> a) -> IO a
parallelSum = parallelSumOpts defaultLoopOptions
{-# INLINE parallelSum #-}

-- | 'parallelSum' with options.
parallelSumOpts :: Num a => LoopOptions -> Int -> Int -> (Int -> a) -> IO a
parallelSumOpts opts lo hi f =
  fromMaybe 0 <$> reduceCore opts (foldChunk (\acc i -> acc + f i) 0) (+) lo hi
{-# INLINE parallelSumOpts #-}

-- | The least / greatest @f i@ over @[lo, hi)@, 'Nothing' for an empty
--   range. Among equal values, the one with the lowest index.
parallelMinimum, parallelMaximum :: Ord a => Int -> Int -> (Int -> a) -> IO (Maybe a)
parallelMinimum = parallelMinimumOpts defaultLoopOptions
parallelMaximum = parallelMaximumOpts defaultLoopOptions
{-# INLINE parallelMinimum #-}
{-# INLINE parallelMaximum #-}

-- | 'parallelMinimum' / 'parallelMaximum' with options.
parallelMinimumOpts, parallelMaximumOpts :: Ord a => LoopOptions -> Int -> Int -> (Int -> a) -> IO (Maybe a)
parallelMinimumOpts opts = extremum opts (\l r -> if r < l then r else l)
parallelMaximumOpts opts = extremum opts (\l r -> if r > l then r else l)
{-# INLINE parallelMinimumOpts #-}
{-# INLINE parallelMaximumOpts #-}

extremum :: LoopOptions -> (a -> a -> a) -> Int -> Int -> (Int -> a) -> IO (Maybe a)
extremum opts pick lo hi f =
  reduceCore opts (\cancel a b -> foldChunk (\acc i -> pick acc (f i)) (f a) cancel (a + 1) b) pick lo hi
{-# INLINE extremum #-}

-- | Run the body once on every thread of a team of the given size (@<= 0@:
--   the default), with the thread's number in the team; like
--   @#pragma omp parallel@. The team may be smaller than asked
--   (@OMP_THREAD_LIMIT@, 'setDynamic', nested regions beyond
--   'maxActiveLevels'): the body runs once per thread of the team that
--   actually formed, with that thread's real number, so it runs fewer than
--   @n@ times then ('numThreads' in the body tells the team's size).
parallelRegion :: Int -> (Int -> IO ()) -> IO ()
parallelRegion nthreads body = do
  _ <- runRegion nthreads (\_ t _ -> body t) (\nt sp cancel -> c_parallel_region nt dispatch sp cancel)
  pure ()

-- | @withCancellation act@ runs @act flag@, where @flag@ points to a C
--   @int@ that is 0 until the computation is to stop. Hand it to a C kernel
--   that polls it (e.g. skips the remaining iterations of its loops once
--   @*flag != 0@, or uses it in @#pragma omp cancel for if(*flag)@ style
--   checks) and call the kernel with a safe call inside @act@.
--
--   If the calling thread gets an asynchronous exception meanwhile (a
--   'System.Timeout.timeout', 'killThread', Ctrl-C), the flag is set to 1,
--   the caller waits (uninterruptibly) for @act@ to return, and then the
--   exception propagates: the kernel stops as fast as it polls. The flag
--   stays valid until @act@ returns.
--
--   @act@ runs in a fresh unbound Haskell thread (so that the caller stays
--   interruptible during the safe call), unless the caller is inside an
--   OpenMP region (a parallelFor body), where it runs in place. Exceptions
--   thrown by @act@ are rethrown to the caller.
withCancellation :: (Ptr CInt -> IO a) -> IO a
withCancellation act = do
  fp <- mallocForeignPtrBytes (sizeOf (0 :: CInt)) -- pinned
  withForeignPtr fp $ \flag -> do
    poke flag 0
    lvl <- c_omp_get_level
    if lvl > 0 then act flag else do
      done <- newEmptyMVar
      mask $ \restore -> do
        _ <- forkIOWithUnmask $ \unmask -> try (unmask (act flag)) >>= putMVar done
        r <- restore (readMVar done) `onException` do
          c_cancel_set flag
          uninterruptibleMask_ (readMVar done)
        either (throwIO :: SomeException -> IO a) pure r

-- | The callbacks of one C call, made safe by 'withCallbacks'.
data Callbacks = Callbacks !(IORef (Maybe SomeException)) !(Ptr CInt)

-- | @withCallbacks act@: for a C call that calls Haskell back through
--   @FunPtr@s ("wrapper" imports). An exception escaping a callback would end
--   the whole program (GHC's rule for foreign exports and wrappers). Instead,
--   wrap the body of each callback with 'guarded': an exception there is
--   caught, the callback returns a default value to C, the cancel flag
--   ('callbacksCancelFlag', to pass to the kernel) is raised and later
--   guarded callbacks of this call return the default at once; after the C
--   call (@act@) returns, the first such exception is rethrown to the caller.
--   As with 'withCancellation', an asynchronous exception to the caller
--   raises the flag too.
--
--   > withCallbacks $ \cb -> do
--   >   fp <- mkCallback (\i -> guarded cb () (body i))
--   >   c_kernel fp n (callbacksCancelFlag cb) `finally` freeHaskellFunPtr fp
withCallbacks :: (Callbacks -> IO a) -> IO a
withCallbacks act = do
  failure <- newIORef Nothing
  r <- withCancellation (\flag -> try (act (Callbacks failure flag)))
  readIORef failure >>= maybe (either (throwIO :: SomeException -> IO a) pure r) throwIO

-- | @guarded cb def body@: the body of a callback; see 'withCallbacks'.
guarded :: Callbacks -> r -> IO r -> IO r
guarded (Callbacks failure flag) def body = do
  c <- peek flag
  if c /= 0 then pure def else body `catch` \(e :: SomeException) -> do
    atomicModifyIORef' failure (\old -> (maybe (Just e) Just old, ()))
    c_cancel_set flag
    pure def

-- | The cancel flag of a 'withCallbacks' scope (a C @int *@, 0 until the
--   call is to stop), for the C kernel to poll.
callbacksCancelFlag :: Callbacks -> Ptr CInt
callbacksCancelFlag (Callbacks _ flag) = flag

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

-- | A new, unlocked lock (destroyed when garbage collected).
newLock :: IO Lock
newLock = do
  fp <- mallocForeignPtrBytes 8 -- pinned
  withForeignPtr fp c_omp_init_lock
  addForeignPtrFinalizer p_omp_destroy_lock fp
  pure (Lock fp)

-- | Acquire (a safe call: the Capability is free while it waits).
setLock :: Lock -> IO ()
setLock (Lock fp) = withForeignPtr fp c_omp_set_lock

-- | Release a lock held by the calling thread.
unsetLock :: Lock -> IO ()
unsetLock (Lock fp) = withForeignPtr fp c_omp_unset_lock

-- | Try to acquire without waiting.
testLock :: Lock -> IO Bool
testLock (Lock fp) = (/= 0) <$> withForeignPtr fp c_omp_test_lock

-- | Run the action holding the lock; released on exit, exceptions included.
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

-- | A new, unlocked nestable lock (destroyed when garbage collected).
newNestLock :: IO NestLock
newNestLock = do
  fp <- mallocForeignPtrBytes 16
  withForeignPtr fp c_omp_init_nest_lock
  addForeignPtrFinalizer p_omp_destroy_nest_lock fp
  pure (NestLock fp)

-- | Run the action holding the nestable lock (re-entrant in the owning OS
--   thread); released on exit, exceptions included.
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

-- | Turn exclusive mode on or off, process-wide (see 'withExclusive').
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
