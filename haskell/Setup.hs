-- | hsomp's custom Setup: before configure and before every build (and
--   repl) it builds the Rust runtime with cargo into the package's build
--   directory (@<builddir>/hsomp-cargo@), from the cargo workspace in the
--   package's @rust/@ directory, and puts the results in
--   @<builddir>/hsomp-runtime@: the static library as @libChsomp_rt.a@, a
--   bundled library of the package (every executable that depends on @hsomp@
--   links it statically, so the GOMP_* / omp_* calls of its @-fopenmp@ C code
--   resolve to hsomp, never to libgomp), and the shared library as
--   @libhsomp_rt.so@ for GHCi and Template Haskell. See README.md.
--
--   Environment:
--     HSOMP_LIB_DIR  use a prebuilt libhsomp.a (and libhsomp.so) from this directory; skip cargo
--     HSOMP_ROOT     the cargo workspace to build (default: rust/ in this package)
--     CARGO          the cargo executable (default: cargo on PATH, then ~/.cargo/bin/cargo)
--   With neither HSOMP_LIB_DIR, HSOMP_ROOT nor cargo, an installed hsomp is used
--   (@pkg-config --variable=libdir hsomp@, from @make install@).
{-# LANGUAGE ScopedTypeVariables #-}
module Main (main) where

import Control.Exception (IOException, try)
import Control.Monad (filterM, unless, when)
import Distribution.PackageDescription
import Distribution.Simple
import Distribution.Simple.LocalBuildInfo
import Distribution.Simple.Setup
import Distribution.Pretty (prettyShow)
import Distribution.Simple.Compiler (compilerVersion)
import Distribution.Simple.Program (gccProgram, ghcProgram, lookupProgram, programPath, runDbProgram)
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
      sys <- systemLibs lbi
      pure lbi { localPkgDescr = withRuntime dir sys (localPkgDescr lbi) }
  , buildHook = \pd lbi hooks flags -> do
      let v = fromFlagOrDefault normal (buildVerbosity flags)
      dir <- prepareRuntime v lbi
      sys <- systemLibs lbi
      cmmObjs <- compileCmmDyn v lbi pd
      buildHook simpleUserHooks (sharedLibLink dir cmmObjs (withRuntime dir sys pd)) lbi hooks flags
  , replHook = \pd lbi hooks flags args -> do
      let v = fromFlagOrDefault normal (replVerbosity flags)
      dir <- prepareRuntime v lbi
      sys <- systemLibs lbi
      cmmObjs <- compileCmmDyn v lbi pd
      -- Repl of a dependent component first builds the library: the same
      -- shared library as buildHook's.
      replHook simpleUserHooks (replRuntime dir (sharedLibLink dir cmmObjs (withRuntime dir sys pd)))
               lbi hooks flags args
  }

-- | Libraries the Rust static library needs besides libc (rustc's
--   native-static-libs for this crate), those of them that exist as shared
--   libraries: since glibc 2.34 pthread, dl and rt are part of libc and only
--   empty static archives remain, which GHCi cannot load.
systemLibs :: LocalBuildInfo -> IO [String]
systemLibs lbi = filterM hasShared rustSystemLibs
  where
    cc = maybe "cc" programPath (lookupProgram gccProgram (withPrograms lbi))
    hasShared l = do
      r <- try (readProcessWithExitCode cc ["-print-file-name=lib" ++ l ++ ".so"] "")
      pure $ case r of
        Right (ExitSuccess, out, _) -> '/' `elem` out
        Right _ -> True
        Left (_ :: IOException) -> True

rustSystemLibs :: [String]
rustSystemLibs = ["pthread", "dl", "m", "rt"]

-- | The static runtime is a bundled library of the package: its @.a@ is
--   @libChsomp_rt.a@ and its shared twin @libhsomp_rt.so@ (GHC's convention
--   for a non-Haskell @hs-libraries@ entry @Cfoo@: @-lCfoo@ for static links,
--   @-lfoo@ for dynamic ones, @libCfoo-ghcX.Y.Z.so@ for GHCi and Template
--   Haskell). So executables link the static archive (one GHC RTS: the
--   executable's), while GHCi, which cannot load a static archive, loads the
--   shared runtime, which uses the shared RTS GHCi itself runs on.
bundledRuntime :: String
bundledRuntime = "Chsomp_rt"

withRuntime :: FilePath -> [String] -> PackageDescription -> PackageDescription
withRuntime dir sys = onLibBuildInfo $ \bi -> bi
  { extraLibDirs = dir : filter (/= dir) (extraLibDirs bi)
  , extraBundledLibs = bundledRuntime : filter (/= bundledRuntime) (extraBundledLibs bi)
  , extraLibs = filter (`notElem` rustSystemLibs) (extraLibs bi) ++ sys
  }

onLibBuildInfo :: (BuildInfo -> BuildInfo) -> PackageDescription -> PackageDescription
onLibBuildInfo f pd = pd { library = fmap (\l -> l { libBuildInfo = f (libBuildInfo l) }) (library pd) }

-- | For the link of the package's shared library only: its Cmm objects
--   (Cabal 3.4 compiles them but leaves them out of it: haskell/cabal#7182)
--   and a dependency on the shared runtime with a RUNPATH to it. GHCi and
--   Template Haskell load that shared library; without these it has undefined
--   symbols. @ghc-shared-options@ reach that link and nothing else: Cabal
--   registers the package (for the package's own test-suite too) from the
--   rest of the build info, so static executables never see these.
sharedLibLink :: FilePath -> [FilePath] -> PackageDescription -> PackageDescription
sharedLibLink dir cmmObjs = onLibBuildInfo $ \bi -> bi
  { sharedOptions = sharedOptions bi <> PerCompilerFlavor
      (map ("-optl" ++) (cmmObjs ++ ["-L" ++ dir, "-Wl,--no-as-needed", "-lhsomp_rt", "-Wl,-rpath," ++ dir])) []
  }

-- | @cabal repl@ of the library itself: GHCi loads the shared runtime
--   (@-lhsomp_rt@ finds @libhsomp_rt.so@), and links the library's C objects
--   into a temporary shared object that needs a RUNPATH to it. As ghc-options,
--   which are not registered: a @cabal repl@ of a dependent component loads
--   the runtime through the package's shared library instead.
replRuntime :: FilePath -> PackageDescription -> PackageDescription
replRuntime dir = onLibBuildInfo $ \bi -> bi
  { options = options bi <> PerCompilerFlavor ["-L" ++ dir, "-lhsomp_rt", "-optl-Wl,-rpath," ++ dir] [] }

-- | Compile the library's Cmm sources for the dynamic way (position-independent
--   objects, linked into the shared library by 'sharedLibLink').
compileCmmDyn :: Verbosity -> LocalBuildInfo -> PackageDescription -> IO [FilePath]
compileCmmDyn v lbi pd = case library pd of
  Just lib | withSharedLib lbi -> do
    let bi = libBuildInfo lib
    out <- makeAbsolute (buildDir lbi </> "hsomp-cmm")
    createDirectoryIfMissing True out
    mapM (\src -> do
            let obj = out </> takeBaseName src <.> "dyn_o"
            fresh <- upToDate src obj
            unless fresh $
              runDbProgram v ghcProgram (withPrograms lbi) $
                ["-c", "-dynamic", "-fPIC", "-O2", src, "-o", obj]
                ++ map ("-I" ++) (includeDirs bi) ++ cmmOptions bi
            pure obj)
         (cmmSources bi)
  _ -> pure []

-- | Build (or find) libhsomp.a and libhsomp.so and put them in
--   <builddir>/hsomp-runtime as libChsomp_rt.a and libhsomp_rt.so (plus the
--   name GHCi looks for, libChsomp_rt-ghcX.Y.Z.so, a symbolic link to it).
prepareRuntime :: Verbosity -> LocalBuildInfo -> IO FilePath
prepareRuntime v lbi = do
  dest <- makeAbsolute (buildDir lbi </> "hsomp-runtime")
  target <- makeAbsolute (buildDir lbi </> "hsomp-cargo")
  createDirectoryIfMissing True dest
  (src, root) <- findRuntime v target
  ok <- doesFileExist src
  unless ok $ die' v ("hsomp: runtime library " ++ src ++ " not found. Build it with cargo (the package's "
                      ++ "rust/ directory, or set HSOMP_ROOT to an hsomp checkout), or point HSOMP_LIB_DIR "
                      ++ "at a directory with libhsomp.a and libhsomp.so (`make install` puts them where "
                      ++ "`pkg-config --variable=libdir hsomp` says)")
  let out = dest </> ("lib" ++ bundledRuntime ++ ".a")
      stamp = dest </> "source"
  sameSource <- do
    e <- doesFileExist stamp
    if e then (== src) . takeWhile (/= '\n') <$> readFile' stamp else pure False
  fresh <- (sameSource &&) <$> upToDate src out
  unless fresh $ do
    info v ("hsomp: copying " ++ src ++ " -> " ++ out)
    copyFile src out
    stripVersionedSymbols v out
  copyShared v src dest
  -- haskell/cabal-env.sh reads this to notice a rebuilt runtime (and the
  -- workspace it came from, to rebuild it the same way).
  writeFile stamp (src ++ "\n" ++ root ++ "\n")
  pure dest
  where
    ghcVer = prettyShow (compilerVersion (compiler lbi))
    copyShared v' src dest = do
      let so = takeDirectory src </> "libhsomp.so"
          out = dest </> "libhsomp_rt.so"
          ghciName = dest </> ("lib" ++ bundledRuntime ++ "-ghc" ++ ghcVer ++ ".so")
      e <- doesFileExist so
      if not e
        then warn v' ("hsomp: " ++ so ++ " not found: cabal repl and Template Haskell "
                      ++ "cannot load the runtime")
        else do
          fresh <- upToDate so out
          unless fresh $ do
            info v' ("hsomp: copying " ++ so ++ " -> " ++ out)
            copyFile so out
          linked <- doesPathExist ghciName
          unless linked $ createFileLink (takeFileName out) ghciName

readFile' :: FilePath -> IO String
readFile' f = readFile f >>= \c -> length c `seq` pure c

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
  idx <- archiveIndex lib
  let versioned = [sym | sym <- maybe [] id idx, '@' `elem` sym]
  unless (null versioned) $ do
    info v ("hsomp: dropping versioned symbols from the static copy: " ++ unwords versioned)
    (c, _, err) <- readProcessWithExitCode "objcopy" (map ("--strip-symbol=" ++) versioned ++ [lib]) ""
    unless (c == ExitSuccess) $ warn v ("hsomp: objcopy failed: " ++ err)

-- | The symbols an archive's index (armap) lists. Read from the index, not
--   the members: the members carry LLVM bitcode (.llvmbc, from rlib + LTO),
--   and binutils' nm hands them to an LLVM plugin that may be too old to read
--   them, and then reports "no symbols".
archiveIndex :: FilePath -> IO (Maybe [String])
archiveIndex lib = do
  r <- try (readProcessWithExitCode "nm" ["--print-armap", lib] "")
  pure $ case r of
    Left (_ :: IOException) -> Nothing
    Right (_, out, _) -> Just [sym | l <- lines out, [sym, "in", _] <- [words l]]

-- | Does the archive define GOMP_parallel? (True when nm is unavailable.)
definesGompParallel :: FilePath -> IO Bool
definesGompParallel lib = do
  e <- doesFileExist lib
  if not e then pure True else maybe True ("GOMP_parallel" `elem`) <$> archiveIndex lib

-- | Where the runtime comes from, first found wins:
--
--   1. @HSOMP_LIB_DIR@: a directory with a prebuilt libhsomp.a (and .so);
--   2. a cargo workspace, built with cargo into @target@ (cabal's build
--      directory, never the workspace's own target/): @HSOMP_ROOT@, else the
--      package's @rust/@ directory (the workspace itself in an sdist tarball,
--      links to the repository's in a checkout) when cargo is installed;
--   3. an installed hsomp: @pkg-config --variable=libdir hsomp@ (from
--      @make install@).
--
--   Returns the static library and the workspace ("" when prebuilt).
findRuntime :: Verbosity -> FilePath -> IO (FilePath, FilePath)
findRuntime v target = do
  libDir <- nonEmpty <$> lookupEnv "HSOMP_LIB_DIR"
  rootEnv <- nonEmpty <$> lookupEnv "HSOMP_ROOT"
  vendored <- doesFileExist ("rust" </> "gomp-abi" </> "Cargo.toml")
  cargo <- findCargo
  case (libDir, rootEnv) of
    (Just d, _) -> pure (d </> "libhsomp.a", "")
    (_, Just r) -> canonicalizePath r >>= build
    _ | vendored, Just _ <- cargo -> makeAbsolute "rust" >>= build
    _ -> do
      pc <- try (readProcessWithExitCode "pkg-config" ["--variable=libdir", "hsomp"] "")
      case pc of
        Right (ExitSuccess, out, _) | [d] <- lines out -> do
          info v ("hsomp: using the installed runtime in " ++ d ++ " (pkg-config hsomp)")
          pure (d </> "libhsomp.a", "")
        Right _ -> pure ("libhsomp.a", "")
        Left (_ :: IOException) -> pure ("libhsomp.a", "")
  where
    nonEmpty = (>>= \s -> if null s then Nothing else Just s)
    build root = do
      -- The cdylib's link runs the linker wrapper gomp-abi/link/ld.bfd
      -- (gcc -B): `cabal sdist` does not keep its executable bit.
      let wrapper = root </> "gomp-abi" </> "link" </> "ld.bfd"
      hasWrapper <- doesFileExist wrapper
      when hasWrapper $ do
        p <- getPermissions wrapper
        unless (executable p) $ setPermissions wrapper (setOwnerExecutable True p)
      cargoBuild v root ["build", "--release", "-p", "gomp-abi", "--target-dir", target]
      let lib = target </> "release" </> "libhsomp.a"
      good <- definesGompParallel lib
      if good then pure (lib, root) else do
        -- Should not happen; if the archive the workspace build leaves behind
        -- lacks the C entry points, build the staticlib alone, in a target
        -- dir of its own.
        let alt = target ++ "-staticlib"
        warn v ("hsomp: " ++ lib ++ " does not define GOMP_parallel; building the static library "
                ++ "alone (cargo rustc --crate-type staticlib --target-dir " ++ alt ++ ")")
        cargoBuild v root ["rustc", "--release", "-p", "gomp-abi", "--crate-type", "staticlib", "--target-dir", alt]
        pure (alt </> "release" </> "libhsomp.a", root)

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

-- | cargo build --release -p gomp-abi in the workspace root. A failed build
--   (e.g. the runtime being edited right now) falls back to the library built
--   last, with a warning; no library at all is an error (reported by the caller).
cargoBuild :: Verbosity -> FilePath -> [String] -> IO ()
cargoBuild v root args = do
  isRepo <- doesFileExist (root </> "gomp-abi" </> "Cargo.toml")
  if not isRepo
    then warn v ("hsomp: " ++ root ++ " is not hsomp's cargo workspace (no gomp-abi/Cargo.toml); "
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
