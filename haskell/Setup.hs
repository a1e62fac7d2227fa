-- | hsomp's custom Setup: before configure and before every build it runs
--   @cargo build --release -p gomp-abi@ in the repository that contains this
--   package, copies the resulting static runtime @target/release/libhsomp.a@
--   into the package's build directory as @libhsomp_rt.a@ (a name with no
--   shared twin, so the linker can only ever pick the static archive), and
--   records that directory and library in the package's build info.  Every
--   executable that depends on @hsomp@ therefore links the runtime statically
--   and resolves the GOMP_* / omp_* calls of its @-fopenmp@ C code to hsomp,
--   never to libgomp.
--
--   Environment:
--     HSOMP_ROOT     repository root (default: the parent of this package)
--     HSOMP_LIB_DIR  use a prebuilt libhsomp.a from this directory; skip cargo
--     CARGO          the cargo executable (default: cargo on PATH, then ~/.cargo/bin/cargo)
{-# LANGUAGE ScopedTypeVariables #-}
module Main (main) where

import Control.Exception (IOException, try)
import Control.Monad (unless)
import Data.Maybe (fromMaybe)
import Distribution.PackageDescription
import Distribution.Simple
import Distribution.Simple.LocalBuildInfo
import Distribution.Simple.Setup
import Distribution.Simple.Utils (info, notice, warn, die')
import Distribution.Verbosity (Verbosity, normal)
import System.Directory
import System.Environment (lookupEnv)
import System.Exit (ExitCode (..))
import System.FilePath
import System.Process

main :: IO ()
main = defaultMainWithHooks simpleUserHooks
  { confHook = \gh flags -> do
      lbi <- confHook simpleUserHooks gh flags
      let v = fromFlagOrDefault normal (configVerbosity flags)
      dir <- prepareRuntime v lbi
      pure lbi { localPkgDescr = withRuntime dir (localPkgDescr lbi) }
  , buildHook = \pd lbi hooks flags -> do
      let v = fromFlagOrDefault normal (buildVerbosity flags)
      dir <- prepareRuntime v lbi
      buildHook simpleUserHooks (withRuntime dir pd) lbi hooks flags
  }

-- | Libraries the Rust static library needs besides libc (rustc's
--   native-static-libs for this crate).
systemLibs :: [String]
systemLibs = ["pthread", "dl", "m", "rt"]

withRuntime :: FilePath -> PackageDescription -> PackageDescription
withRuntime dir pd = pd { library = fmap addLib (library pd) }
  where
    addLib l = l { libBuildInfo = addBI (libBuildInfo l) }
    addBI bi = bi
      { extraLibDirs = dir : filter (/= dir) (extraLibDirs bi)
      , extraLibs = "hsomp_rt" : filter (`notElem` ("hsomp_rt" : systemLibs)) (extraLibs bi) ++ systemLibs
      }

-- | Build (or find) libhsomp.a and copy it to <builddir>/hsomp-runtime/libhsomp_rt.a.
prepareRuntime :: Verbosity -> LocalBuildInfo -> IO FilePath
prepareRuntime v lbi = do
  dest <- makeAbsolute (buildDir lbi </> "hsomp-runtime")
  createDirectoryIfMissing True dest
  prebuilt <- lookupEnv "HSOMP_LIB_DIR"
  src <- case prebuilt of
    Just d | not (null d) -> pure (d </> "libhsomp.a")
    _ -> do
      root <- findRoot
      cargoBuild v root ["build", "--release", "-p", "gomp-abi"]
      let lib = root </> "target" </> "release" </> "libhsomp.a"
      good <- definesGompParallel lib
      if good then pure lib else do
        -- Seen with crate-type = [staticlib, cdylib, rlib] + thin LTO: the
        -- staticlib cargo build leaves behind can lack the exported C symbols.
        -- Build the staticlib alone, in a target dir of our own.
        let alt = root </> "target" </> "hsomp-staticlib"
        warn v ("hsomp: " ++ lib ++ " does not define GOMP_parallel; building the static library "
                ++ "alone (cargo rustc --crate-type staticlib --target-dir " ++ alt ++ ")")
        cargoBuild v root ["rustc", "--release", "-p", "gomp-abi", "--crate-type", "staticlib", "--target-dir", alt]
        pure (alt </> "release" </> "libhsomp.a")
  ok <- doesFileExist src
  unless ok $ die' v ("hsomp: runtime library " ++ src ++ " not found; run `make lib` "
                      ++ "(cargo build --release -p gomp-abi) in the hsomp repository")
  let out = dest </> "libhsomp_rt.a"
  fresh <- upToDate src out
  unless fresh $ do
    info v ("hsomp: copying " ++ src ++ " -> " ++ out)
    copyFile src out
    stripVersionedSymbols v out
  -- haskell/cabal-env.sh reads this to notice a rebuilt runtime.
  writeFile (dest </> "source") (src ++ "\n")
  pure dest

upToDate :: FilePath -> FilePath -> IO Bool
upToDate src out = do
  e <- doesFileExist out
  if not e then pure False else do
    ts <- getModificationTime src
    to <- getModificationTime out
    pure (to >= ts)

-- | The runtime defines compat versions of some symbols (e.g.
--   omp_set_lock@OMP_1.0) for its shared library. An executable linked
--   statically has no version script, and ld.gold rejects such definitions
--   ("symbol ... has undefined version"): drop them from our copy.
stripVersionedSymbols :: Verbosity -> FilePath -> IO ()
stripVersionedSymbols v lib = do
  r <- try (readProcessWithExitCode "nm" ["-g", "--defined-only", lib] "")
  case r of
    Left (_ :: IOException) -> pure ()
    Right (_, out, _) -> do
      let versioned = [w | l <- lines out, [_, _, w] <- [words l], '@' `elem` w]
      unless (null versioned) $ do
        info v ("hsomp: dropping versioned symbols from the static copy: " ++ unwords versioned)
        (c, _, err) <- readProcessWithExitCode "objcopy" (map ("--strip-symbol=" ++) versioned ++ [lib]) ""
        unless (c == ExitSuccess) $ warn v ("hsomp: objcopy failed: " ++ err)

-- | Does the archive define GOMP_parallel? (True when nm is unavailable.)
definesGompParallel :: FilePath -> IO Bool
definesGompParallel lib = do
  e <- doesFileExist lib
  if not e then pure True else do
    r <- try (readProcessWithExitCode "nm" ["-g", "--defined-only", lib] "")
    pure $ case r of
      Left (_ :: IOException) -> True
      Right (_, out, _) -> any ((== ["T", "GOMP_parallel"]) . drop 1 . words) (lines out)

findRoot :: IO FilePath
findRoot = do
  env <- lookupEnv "HSOMP_ROOT"
  canonicalizePath (fromMaybe ".." (env >>= nonEmpty))
  where nonEmpty s = if null s then Nothing else Just s

findCargo :: IO (Maybe FilePath)
findCargo = do
  env <- lookupEnv "CARGO"
  case env of
    Just c | not (null c) -> pure (Just c)
    _ -> do
      onPath <- findExecutable "cargo"
      case onPath of
        Just c -> pure (Just c)
        Nothing -> do
          home <- getHomeDirectory
          let c = home </> ".cargo" </> "bin" </> "cargo"
          e <- doesFileExist c
          pure (if e then Just c else Nothing)

-- | cargo build --release -p gomp-abi in the repository root. A failed build
--   (e.g. the runtime being edited right now) falls back to the library built
--   last, with a warning; no library at all is an error (reported by the caller).
cargoBuild :: Verbosity -> FilePath -> [String] -> IO ()
cargoBuild v root args = do
  isRepo <- doesFileExist (root </> "gomp-abi" </> "Cargo.toml")
  if not isRepo
    then warn v ("hsomp: " ++ root ++ " is not the hsomp repository (no gomp-abi/Cargo.toml); "
                 ++ "set HSOMP_ROOT or HSOMP_LIB_DIR")
    else do
      mcargo <- findCargo
      case mcargo of
        Nothing -> warn v "hsomp: cargo not found (set CARGO); using the runtime library built last"
        Just cargo -> do
          notice v ("hsomp: building the runtime: cargo " ++ unwords args ++ " in " ++ root)
          r <- try (readCreateProcessWithExitCode (proc cargo args) { cwd = Just root } "")
          case r of
            Left (e :: IOException) -> warn v ("hsomp: could not run cargo: " ++ show e)
            Right (ExitSuccess, _, _) -> pure ()
            Right (ExitFailure c, _, err) -> do
              warn v ("hsomp: cargo build failed (exit " ++ show c ++ "); using the runtime library built last.\n"
                      ++ unlines (lastN 30 (lines err)))
  where lastN n xs = drop (length xs - n) xs
