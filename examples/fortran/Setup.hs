-- | A Setup that builds Fortran: every executable may list Fortran sources
--   in a custom field, @x-fortran-sources: a.f90 b.f90@. Before GHC builds
--   the package, they are compiled with @gfortran -fopenmp@ into
--   @<builddir>/<exe>/fortran/libhsomp_fortran_<exe>.a@, which is added to
--   that executable's @extra-libraries@ with @gfortran@ (libgfortran).
--   @-fopenmp@ is a compile-time flag only: the link never sees it, so the
--   kernels' GOMP_* and omp_lib calls resolve to hsomp's static runtime
--   (brought in by the @hsomp@ dependency), not to libgomp.
--
--   Copy this file and the @build-type: Custom@ / @custom-setup@ lines of
--   hsomp-fortran-example.cabal into your package. Environment: @FC@ (the
--   compiler, default gfortran), @FFLAGS@ (default -O2).
module Main (main) where

import Control.Monad (forM, when)
import Distribution.PackageDescription
import Distribution.Simple
import Distribution.Simple.LocalBuildInfo (LocalBuildInfo, buildDir)
import Distribution.Simple.Setup (buildVerbosity, fromFlagOrDefault)
import Distribution.Simple.Utils (rawSystemExit)
import Distribution.Verbosity (Verbosity, normal)
import System.Directory
import System.Environment (lookupEnv)
import System.FilePath

main :: IO ()
main = defaultMainWithHooks simpleUserHooks
  { buildHook = \pd lbi hooks flags -> do
      let v = fromFlagOrDefault normal (buildVerbosity flags)
      exes <- mapM (withFortran v lbi) (executables pd)
      buildHook simpleUserHooks pd { executables = exes } lbi hooks flags
  }

withFortran :: Verbosity -> LocalBuildInfo -> Executable -> IO Executable
withFortran v lbi exe = case lookup "x-fortran-sources" (customFieldsBI bi) of
  Nothing -> pure exe
  Just field -> do
    let name = unUnqualComponentName (exeName exe)
        lib = "hsomp_fortran_" ++ name
    dir <- makeAbsolute (buildDir lbi </> name </> "fortran")
    createDirectoryIfMissing True dir
    fc <- maybe "gfortran" id <$> lookupEnv "FC"
    fflags <- maybe ["-O2"] words <$> lookupEnv "FFLAGS"
    objs <- forM (words field) $ \src -> do
      let obj = dir </> takeBaseName src <.> "o"
      stale <- outOfDate src obj
      when stale $
        rawSystemExit v fc (["-fopenmp", "-fPIC"] ++ fflags ++ ["-J", dir, "-c", src, "-o", obj])
      pure obj
    let archive = dir </> ("lib" ++ lib ++ ".a")
    exists <- doesFileExist archive
    when exists (removeFile archive)
    rawSystemExit v "ar" (["rcs", archive] ++ objs)
    pure exe { buildInfo = bi { extraLibDirs = dir : extraLibDirs bi
                              , extraLibs = lib : "gfortran" : extraLibs bi } }
  where
    bi = buildInfo exe

outOfDate :: FilePath -> FilePath -> IO Bool
outOfDate src out = do
  e <- doesFileExist out
  if not e then pure True else (>) <$> getModificationTime src <*> getModificationTime out
