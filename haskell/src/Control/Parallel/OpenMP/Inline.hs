{-# LANGUAGE MagicHash, TemplateHaskellQuotes #-}
-- | OpenMP C and Cmm written inside Haskell source, compiled as part of the
--   module (issue 14, item 5).
--
--   'omp' takes C function definitions (with @#pragma omp@ in them),
--   compiles them with @gcc -fopenmp@ while GHC compiles the module, adds the
--   object to the module (Template Haskell's
--   'Language.Haskell.TH.Syntax.addForeignFilePath'), and binds every
--   non-@static@ function as a /safe/ foreign import of the same name, with a
--   Haskell type derived from its C prototype:
--
--   > {-# LANGUAGE QuasiQuotes #-}
--   > import Control.Parallel.OpenMP.Inline (omp)
--   >
--   > [omp|
--   > double dot(const double *x, const double *y, long n) {
--   >   double s = 0;
--   >   #pragma omp parallel for reduction(+:s)
--   >   for (long i = 0; i < n; i++) s += x[i] * y[i];
--   >   return s;
--   > }
--   > |]
--   > -- dot :: Ptr Double -> Ptr Double -> Int -> IO Double
--
--   'cmm' does the same for Cmm functions, bound with @foreign import prim@.
--
--   Both work with @cabal build@, in modules GHCi loads (@cabal repl@,
--   @:load@; not at GHCi's prompt, which reads a quasi-quote as an
--   expression) and from an sdist (nothing is generated into the source
--   tree: the sources and objects are GHC's temporary files). Not in a module
--   with the CPP extension on: the C preprocessor would act on the block's
--   @#include@ and @#pragma@ lines before the quasiquoter sees them. The OpenMP entry points the C code calls are
--   hsomp's (the package links its runtime), never libgomp's.
module Control.Parallel.OpenMP.Inline
  ( -- * OpenMP C
    omp
    -- ** Types
    -- $types
    -- * Cmm
  , cmm
  ) where

import Control.Monad (forM, unless, when)
import Data.Char (isAlphaNum, isLower, isSpace, isUpper)
import Data.Int (Int16, Int32, Int64, Int8)
import Data.List (isInfixOf, isPrefixOf, sort, stripPrefix)
import Data.Maybe (fromMaybe)
import Data.Word (Word16, Word32, Word64, Word8)
import Foreign.C.Types
import Foreign.C.String (CString, peekCString, withCString)
import Foreign.Marshal.Alloc (allocaBytes)
import Foreign.Ptr (FunPtr, Ptr, castFunPtrToPtr, castPtr, nullPtr)
import Foreign.Storable (Storable, peek, sizeOf)
import GHC.Exts (Addr#, Double#, Float#, Int#, RealWorld, State#, Word#)
import Language.Haskell.TH
import Language.Haskell.TH.Quote (QuasiQuoter (..))
import Language.Haskell.TH.Syntax (ForeignSrcLang (RawObject), addForeignFilePath, addTempFile)
import System.Directory (doesFileExist)
import System.Environment (getExecutablePath, lookupEnv)
import System.Exit (ExitCode (..))
import System.FilePath (takeDirectory, takeFileName, (</>))
import System.Process (readProcessWithExitCode)

-- $types
-- A C type becomes the Haskell FFI type of the same representation:
--
-- * @double@, @float@: 'Double', 'Float';
-- * C integer types: the Haskell integer type of the same size and
--   signedness, 'Int' and 'Word' for word-sized ones: on x86_64 Linux @int@
--   is 'Int32', @unsigned@ 'Word32', @long@, @long long@, @ptrdiff_t@ and
--   @intptr_t@ 'Int', @unsigned long@ and @size_t@ 'Word', @char@ 'Int8',
--   @_Bool@ / @bool@ 'Word8'; @int8_t@ .. @int64_t@ and @uint8_t@ ..
--   @uint64_t@ are 'Int8' .. 'Int64' and 'Word8' .. 'Word64';
-- * @T *@ (and @T x[]@): @'Ptr' T@, @void *@ and pointers to other types
--   @'Ptr' ()@; @const@, @volatile@ and @restrict@ are dropped;
-- * the result @r@: @IO r@, @IO ()@ for @void@.
--
-- Anything else (a struct by value, a function pointer, a @typedef@ of the
-- block) needs its Haskell type spelled out: a line @name :: type@ in the
-- block (not C, so it is removed before compiling) gives @name@ that type,
-- e.g. @dot :: Ptr Double -> Ptr Double -> Int -> IO Double@ (the same
-- representation as the C prototype: the FFI does not check it). Type names
-- are those in scope where the block is; the types above need no import.
--
-- A line @#pragma hsomp cflags FLAGS@ adds compiler flags (after the
-- default @-fopenmp -O2 -fPIC -std=gnu11@). A line @#pragma hsomp cc
-- COMPILER@ names the block's compiler, else @HSOMP_CC@ does (default
-- @gcc@). With @clang@ the kernel calls LLVM's OpenMP ABI (@__kmpc_*@),
-- which the hsomp runtime implements too.

-- | A declaration quasiquoter for C with OpenMP directives: compiles the
--   block with @-fopenmp@ as part of the module and binds each function
--   defined in it, except @static@ ones, as @foreign import ccall safe@
--   (safe: the calling Haskell thread's Capability is released while the
--   kernel runs, so the team's workers can enter Haskell and GC can run).
--   Compiler errors are reported at the block, with the line numbers of the
--   Haskell source file.
omp :: QuasiQuoter
omp = declarationsOnly "omp" ompDecs

-- | A declaration quasiquoter for Cmm: compiles the block with GHC (as a
--   @.cmm@ file, @Cmm.h@ included) as part of the module and binds each
--   function that has a signature line @name :: type@ in the block as
--   @foreign import prim@ with that type (Cmm functions state no result
--   type). Needs the extensions @foreign import prim@ needs in the using
--   module: GHCForeignImportPrim, MagicHash, UnboxedTuples, UnliftedFFITypes.
--
--   > [cmm|
--   > add3 :: Int# -> Int# -> Int# -> Int#
--   > add3 (W_ a, W_ b, W_ c) { return (a + b + c); }
--   > |]
cmm :: QuasiQuoter
cmm = declarationsOnly "cmm" cmmDecs

declarationsOnly :: String -> (String -> Q [Dec]) -> QuasiQuoter
declarationsOnly name decs = QuasiQuoter
  { quoteDec = decs
  , quoteExp = wrong "an expression"
  , quotePat = wrong "a pattern"
  , quoteType = wrong "a type"
  }
  where
    wrong what _ = fail ("[" ++ name ++ "| ... |] defines functions: use it at the top level of a module, not as "
                         ++ what ++ " (GHCi reads a quasi-quote at its prompt as an expression: put the block "
                         ++ "in a module and :load it)")

------------------------------------------------------------------------------
-- The quasiquoters

ompDecs :: String -> Q [Dec]
ompDecs block = do
  sigs <- either fail pure (signatureLines block)
  let (chosenCc, flags, csrc) = hsompPragmas (blankSignatures block)
  funs <- either fail pure (cFunctions csrc)
  when (null funs) $
    fail "[omp| ... |]: no function to bind (every function in the block is static, or none is defined)"
  let names = map cfName funs
  case [n | (n, _) <- sigs, n `notElem` names] of
    [] -> pure ()
    ns -> fail ("[omp| ... |]: a type is given for " ++ unwords ns ++ ", which the block does not define "
                ++ "(or defines static)")
  cc <- maybe (runIO (fromMaybe "gcc" <$> lookupEnv "HSOMP_CC")) pure chosenCc
  src <- withLineMarker csrc
  obj <- compileWith "the C compiler" cc (\c o -> ["-fopenmp", "-O2", "-fPIC", "-std=gnu11"] ++ flags ++ ["-c", c, "-o", o])
                     "c" ("#include <stddef.h>\n#include <stdint.h>\n" ++ src)
  addForeignFilePath RawObject obj
  loadForGhci cc obj
  forM funs $ \f -> do
    unless (validHaskellName (cfName f)) $
      fail ("[omp| ... |]: " ++ cfName f ++ " is not a Haskell variable name (it must start with a lower-case "
            ++ "letter or _): rename it, or make it static and call it from a function that is")
    t <- case lookup (cfName f) sigs of
      Just t -> pure t
      Nothing -> either (\e -> fail ("[omp| ... |]: " ++ cfName f ++ ": " ++ e ++ "; give its Haskell type with a line "
                                     ++ cfName f ++ " :: <type> in the block"))
                        pure (cFunctionType f)
    pure (ForeignD (ImportF CCall Safe (cfName f) (mkName (cfName f)) t))

cmmDecs :: String -> Q [Dec]
cmmDecs block = do
  sigs <- either fail pure (signatureLines block)
  when (null sigs) $
    fail "[cmm| ... |]: no function to bind: give each one a line  name :: <type>  (Cmm states no result type)"
  let body = blankSignatures block
      defined n = any (\l -> maybe False (startsCall . dropWhile isSpace) (stripPrefix n (dropWhile isSpace l)))
                      (lines body)
      startsCall r = "(" `isPrefixOf` r
  case [n | (n, _) <- sigs, not (defined n)] of
    [] -> pure ()
    ns -> fail ("[cmm| ... |]: a type is given for " ++ unwords ns ++ ", which the block does not define")
  ghc <- runIO findGhc
  src <- withLineMarker body
  let header = if "Cmm.h" `isInfixOf` body then "" else "#include \"Cmm.h\"\n"
  obj <- compileWith "GHC (Cmm)" (fst ghc) (\c o -> snd ghc ++ ["-c", "-dynamic", "-fPIC", "-O2", c, "-o", o])
                     "cmm" (header ++ src)
  addForeignFilePath RawObject obj
  pure [ForeignD (ImportF Prim Safe n (mkName n) t) | (n, t) <- sigs]

-- | The block preceded by a @#line@ directive, so compiler messages name the
--   Haskell file and its lines.
withLineMarker :: String -> Q String
withLineMarker src = do
  loc <- location
  pure ("#line " ++ show (fst (loc_start loc)) ++ " " ++ show (loc_filename loc) ++ "\n" ++ src)

-- | Write the source to a temporary file of GHC's and compile it to a
--   temporary object; a failure is a compile error at the block, with the
--   compiler's messages; warnings become warnings at the block.
compileWith :: String -> FilePath -> (FilePath -> FilePath -> [String]) -> String -> String -> Q FilePath
compileWith what prog args ext src = do
  file <- addTempFile ext
  obj <- addTempFile "o"
  runIO (writeFile file src)
  (code, out, err) <- runIO (readProcessWithExitCode prog (args file obj) "")
  case code of
    ExitSuccess -> do
      unless (all isSpace (out ++ err)) $ reportWarning (what ++ " said:\n" ++ out ++ err)
      pure obj
    ExitFailure c ->
      fail (what ++ " (" ++ prog ++ ") rejected the block (exit " ++ show c ++ "):\n" ++ out ++ err)

-- | GHCi runs an interpreted module's foreign imports by looking their
--   symbols up in what its linker has loaded, and it leaves the objects of
--   'addForeignFilePath' out (they reach only compiled code). So the object
--   is also linked into a shared library that the RTS linker opens here, in
--   the process that runs the splice, which is the one that runs the
--   module's code in GHCi. GHC's linker opens libraries
--   with RTLD_LOCAL, so the library names the OpenMP runtime this package
--   runs on (the shared hsomp runtime GHCi has loaded with it) as a
--   dependency; its calls bind lazily. When GHC only compiles, the library is
--   opened and never used. A newer library (after @:reload@ of an edited
--   block) is searched first.
loadForGhci :: FilePath -> FilePath -> Q ()
loadForGhci cc obj = do
  so <- addTempFile "so"
  rt <- runIO runtimeLibrary
  (code, _, err) <- runIO (readProcessWithExitCode cc (["-shared", "-Wl,-z,lazy", obj] ++ rt ++ ["-o", so]) "")
  unless (code == ExitSuccess) $ fail ("linking the block for GHCi failed:\n" ++ err)
  failure <- runIO (withCString so c_addDLL >>= \e -> if e == nullPtr then pure Nothing else Just <$> peekCString e)
  mapM_ (\e -> fail ("GHC's linker could not load the block (" ++ so ++ "): " ++ e)) failure

foreign import ccall unsafe "addDLL" c_addDLL :: CString -> IO CString

-- | The shared library the OpenMP entry points of this process come from
--   (none when they are part of the executable).
runtimeLibrary :: IO [FilePath]
runtimeLibrary = allocaBytes 64 $ \info -> do
  found <- c_dladdr (castFunPtrToPtr p_omp_get_num_threads) info
  name <- if found == 0 then pure nullPtr else peek (castPtr info)
  file <- if name == nullPtr then pure "" else peekCString name
  pure [file | ".so" `isInfixOf` takeFileName file]

foreign import ccall unsafe "dladdr" c_dladdr :: Ptr () -> Ptr () -> IO CInt
foreign import ccall unsafe "&omp_get_num_threads" p_omp_get_num_threads :: FunPtr (IO CInt)

-- | The GHC to compile Cmm with: @HSOMP_GHC@, else the compiler running this
--   splice when it is a GHC whose top directory has its settings (run with
--   @-B@ that directory, as GHC's wrapper script does), else @ghc@ on the PATH.
findGhc :: IO (FilePath, [String])
findGhc = do
  env <- lookupEnv "HSOMP_GHC"
  case env of
    Just g | not (null g) -> pure (g, [])
    _ -> do
      exe <- getExecutablePath
      let top = takeDirectory (takeDirectory exe)
      settings <- doesFileExist (top </> "settings")
      pure (if "ghc" `isPrefixOf` takeFileName exe && settings then (exe, ["-B" ++ top]) else ("ghc", []))

------------------------------------------------------------------------------
-- Signature lines and pragmas

-- | Lines @name :: type@ of the block (not C and not Cmm at the start of a
--   line), parsed.
signatureLines :: String -> Either String [(String, Type)]
signatureLines block = sequence
  [ either (\e -> Left ("in the type of " ++ n ++ ": " ++ e)) (\t -> Right (n, t)) (parseType ty)
  | l <- lines block, Just (n, ty) <- [signature l] ]

signature :: String -> Maybe (String, String)
signature l = case span isIdentChar (dropWhile isSpace l) of
  (n@(c : _), rest) | isLower c || c == '_', Just ty <- stripPrefix "::" (dropWhile isSpace rest) -> Just (n, ty)
  _ -> Nothing

-- | The block with its signature lines blanked (line numbers stay).
blankSignatures :: String -> String
blankSignatures = unlines . map (\l -> maybe l (const "") (signature l)) . lines

-- | The compiler of the last @#pragma hsomp cc ...@ line, the flags of
--   @#pragma hsomp cflags ...@ lines, and the block with those lines blanked.
hsompPragmas :: String -> (Maybe String, [String], String)
hsompPragmas block = (lastMaybe (concat ccs), concat flags, unlines ls)
  where
    (ccs, flags, ls) = unzip3 (map one (lines block))
    one l = case pragma (words l) of
      Just ("hsomp" : "cflags" : fs) -> ([], fs, "")
      Just ["hsomp", "cc", c] -> ([c], [], "")
      _ -> ([], [], l)
    lastMaybe xs = if null xs then Nothing else Just (last xs)
    pragma ("#pragma" : r) = Just r
    pragma ("#" : "pragma" : r) = Just r
    pragma _ = Nothing

------------------------------------------------------------------------------
-- A small parser of Haskell types: constructors, application, arrows,
-- parentheses, tuples and unboxed tuples. Names the FFI uses resolve to the
-- right modules whatever the using module imports; others are looked up where
-- the block is.

data Tok = TName String | TArrow | TOpen | TClose | TOpenU | TCloseU | TComma deriving (Eq, Show)

tokens :: String -> Either String [Tok]
tokens [] = Right []
tokens s@(c : cs)
  | isSpace c = tokens cs
  | Just r <- stripPrefix "->" s = (TArrow :) <$> tokens r
  | Just r <- stripPrefix "(#" s = (TOpenU :) <$> tokens r
  | Just r <- stripPrefix "#)" s = (TCloseU :) <$> tokens r
  | c == '(' = (TOpen :) <$> tokens cs
  | c == ')' = (TClose :) <$> tokens cs
  | c == ',' = (TComma :) <$> tokens cs
  | isUpper c || isLower c || c == '_' =
      let (n, r) = span (\x -> isIdentChar x || x == '.' || x == '#' || x == '\'') s
      in (TName n :) <$> tokens r
  | otherwise = Left ("unexpected " ++ show c)

parseType :: String -> Either String Type
parseType s = do
  ts <- tokens s
  (t, rest) <- arrowType ts
  if null rest then Right t else Left ("unexpected " ++ show (head rest))

arrowType :: [Tok] -> Either String (Type, [Tok])
arrowType ts = do
  (a, r) <- appType ts
  case r of
    TArrow : r' -> do
      (b, r'') <- arrowType r'
      Right (AppT (AppT ArrowT a) b, r'')
    _ -> Right (a, r)

appType :: [Tok] -> Either String (Type, [Tok])
appType ts = do
  (f, r) <- atom ts
  go f r
  where
    go f r = case atom r of
      Right (x, r') -> go (AppT f x) r'
      Left _ -> Right (f, r)

atom :: [Tok] -> Either String (Type, [Tok])
atom (TName n@(c : _) : r)
  | isUpper c = Right (ConT (typeName n), r)
  | otherwise = Left ("type variable " ++ n ++ " in a foreign type")
atom (TOpen : TClose : r) = Right (TupleT 0, r)
atom (TOpen : r) = do
  (ts, r') <- commaSep r
  case r' of
    TClose : r'' -> Right (case ts of [t] -> t; _ -> foldl AppT (TupleT (length ts)) ts, r'')
    _ -> Left "missing )"
atom (TOpenU : r) = do
  (ts, r') <- commaSep r
  case r' of
    TCloseU : r'' -> Right (foldl AppT (UnboxedTupleT (length ts)) ts, r'')
    _ -> Left "missing #)"
atom (t : _) = Left ("unexpected " ++ show t)
atom [] = Left "unexpected end of the type"

commaSep :: [Tok] -> Either String ([Type], [Tok])
commaSep ts = do
  (t, r) <- arrowType ts
  case r of
    TComma : r' -> (\(us, r'') -> (t : us, r'')) <$> commaSep r'
    _ -> Right ([t], r)

typeName :: String -> Name
typeName n = fromMaybe (mkName n) (lookup n known)
  where
    known =
      [ ("Ptr", ''Ptr), ("FunPtr", ''FunPtr), ("IO", ''IO), ("Int", ''Int), ("Word", ''Word)
      , ("Double", ''Double), ("Float", ''Float), ("Bool", ''Bool), ("Char", ''Char)
      , ("Int8", ''Int8), ("Int16", ''Int16), ("Int32", ''Int32), ("Int64", ''Int64)
      , ("Word8", ''Word8), ("Word16", ''Word16), ("Word32", ''Word32), ("Word64", ''Word64)
      , ("Int#", ''Int#), ("Word#", ''Word#), ("Double#", ''Double#), ("Float#", ''Float#)
      , ("Addr#", ''Addr#), ("State#", ''State#), ("RealWorld", ''RealWorld)
      ]

------------------------------------------------------------------------------
-- C function definitions

-- | A function defined at the top level of the block, not static.
data CFunction = CFunction
  { cfName :: String
  , cfResult :: [String]   -- ^ the result type's words and stars
  , cfParams :: [[String]] -- ^ each parameter's type: words and stars, name dropped
  }

-- | The non-static functions the block defines. Comments, string literals
--   and preprocessor lines are skipped; declarations ending in @;@ (globals,
--   prototypes, typedefs, structs) are not functions.
cFunctions :: String -> Either String [CFunction]
cFunctions = sequence . definitions . ctokens . stripC

-- | Source text without comments, literals and preprocessor lines.
stripC :: String -> String
stripC = go True
  where
    go _ [] = []
    go bol ('/' : '*' : r) = ' ' : go bol (dropComment r)
    go _ ('/' : '/' : r) = go True (dropWhile (/= '\n') r)
    go _ ('"' : r) = ' ' : go False (skipLit '"' r)
    go _ ('\'' : r) = ' ' : go False (skipLit '\'' r)
    go True ('#' : r) = go True (dropDirective r)
    go _ ('\n' : r) = '\n' : go True r
    go bol (c : r) | isSpace c = c : go bol r
    go _ (c : r) = c : go False r
    dropComment ('*' : '/' : r) = r
    dropComment (_ : r) = dropComment r
    dropComment [] = []
    skipLit q ('\\' : _ : r) = skipLit q r
    skipLit q (c : r) | c == q = r
                      | otherwise = skipLit q r
    skipLit _ [] = []
    dropDirective ('\\' : '\n' : r) = dropDirective r
    dropDirective ('\n' : r) = '\n' : r
    dropDirective (_ : r) = dropDirective r
    dropDirective [] = []

-- | Identifiers, numbers and single punctuation characters.
ctokens :: String -> [String]
ctokens [] = []
ctokens s@(c : r)
  | isSpace c = ctokens r
  | isIdentChar c = let (w, r') = span isIdentChar s in w : ctokens r'
  | otherwise = [c] : ctokens r

-- | Top-level function definitions: a header ending in @)@ followed by a
--   brace-enclosed body. A header with @static@ yields nothing.
definitions :: [String] -> [Either String CFunction]
definitions = go []
  where
    go _ [] = []
    go _ (";" : r) = go [] r
    go acc ("{" : r) =
      let rest = skipBraces (1 :: Int) r
          header = reverse acc
      in case header of
           _ | not (null header) && last header == ")" && "(" `elem` header
                 && not (any (`elem` ["=", "struct", "union", "enum", "typedef"]) (takeWhile (/= "(") header)) ->
               if "static" `elem` takeWhile (/= "(") header then go [] rest else function header : go [] rest
           _ -> go ("}" : "{" : acc) rest
    go acc (t : r) = go (t : acc) r
    skipBraces 0 r = r
    skipBraces _ [] = []
    skipBraces d ("{" : r) = skipBraces (d + 1) r
    skipBraces d ("}" : r) = skipBraces (d - 1) r
    skipBraces d (_ : r) = skipBraces d r

-- | Name, result and parameter types of a header @type name ( params )@.
function :: [String] -> Either String CFunction
function header = do
  let (before, paramsEtc) = break (== "(") header
      params = init (drop 1 paramsEtc)
  when (null before) $ Left ("cannot read the function header " ++ unwords header)
  let name = last before
      result = filter (`notElem` ["extern", "inline", "__inline", "__inline__"]) (init before)
  unless (all isIdentChar name) $ Left ("cannot read the function header " ++ unwords header)
  pure CFunction { cfName = name, cfResult = result, cfParams = paramTypes params }

-- | Parameter types, split at top-level commas, names dropped, @x[]@ as @*x@.
paramTypes :: [String] -> [[String]]
paramTypes ps = case splitCommas ps of
  [["void"]] -> []
  [[]] -> []
  groups -> map dropName groups
  where
    splitCommas = foldr step [[]] . annotate 0
    annotate :: Int -> [String] -> [(Int, String)]
    annotate _ [] = []
    annotate d (t : r) = let d' = d + delta t in (d, t) : annotate d' r
    delta t | t `elem` ["(", "["] = 1 | t `elem` [")", "]"] = -1 | otherwise = 0
    step (0, ",") groups = [] : groups
    step (_, t) (g : gs) = (t : g) : gs
    step _ [] = []
    dropName g =
      let arrays = length (filter (== "[") g)
          noArr = takeWhile (/= "[") g
          ws = [w | w <- noArr, w /= "*", w `notElem` qualifiers]
          named = length ws > 1 && last noArr `notElem` builtinWords && last noArr /= "*"
          core = if named then init noArr else noArr
      in core ++ replicate arrays "*"

qualifiers, builtinWords :: [String]
qualifiers = ["const", "volatile", "restrict", "__restrict", "__restrict__", "register"]
builtinWords = ["void", "char", "short", "int", "long", "float", "double", "signed", "unsigned", "_Bool", "bool"]

isIdentChar :: Char -> Bool
isIdentChar c = isAlphaNum c || c == '_' || c == '\''

validHaskellName :: String -> Bool
validHaskellName n@(c : _) = (isLower c || c == '_') && all (\x -> isAlphaNum x || x == '_') n && n /= "_"
validHaskellName [] = False

-- | The Haskell type of a function from its prototype.
cFunctionType :: CFunction -> Either String Type
cFunctionType f = do
  args <- mapM (\p -> cType p >>= maybe (Left "a parameter of type void") Right) (cfParams f)
  res <- cType (cfResult f)
  pure (foldr (\a b -> AppT (AppT ArrowT a) b) (AppT (ConT ''IO) (fromMaybe (TupleT 0) res)) args)

-- | A C type (words and stars) as a Haskell type; Nothing for void.
cType :: [String] -> Either String (Maybe Type)
cType ws0
  | stars > 0 = Right (Just (iterate (AppT (ConT ''Ptr)) pointee !! stars))
  | base == ["void"] = Right Nothing
  | otherwise = maybe (Left ("no Haskell type for the C type " ++ unwords ws0)) (Right . Just . ConT) scalar
  where
    ws = filter (`notElem` qualifiers) ws0
    stars = length (filter (== "*") ws)
    base = filter (/= "*") ws
    scalar = lookup (normalize base) cTypes
    pointee = maybe (TupleT 0) ConT scalar
    normalize b =
      let noSigned = if "char" `elem` b then b else filter (/= "signed") b
          noInt = if any (`elem` ["short", "long", "unsigned"]) noSigned then filter (/= "int") noSigned else noSigned
      in unwords (sort (if null noInt then ["int"] else noInt))

-- | Scalar C types (words sorted) and their Haskell types: integers as the
--   Haskell integer type of the same size and signedness (sizes of this
--   platform's C types, from "Foreign.C.Types"), so a using module needs no
--   newtype constructor in scope and a C @long@ takes an 'Int'.
cTypes :: [(String, Name)]
cTypes =
  [ ("double", ''Double), ("float", ''Float)
  , ("int", sized (undefined :: CInt)), ("unsigned", sized (undefined :: CUInt))
  , ("short", sized (undefined :: CShort)), ("short unsigned", sized (undefined :: CUShort))
  , ("long", sized (undefined :: CLong)), ("long unsigned", sized (undefined :: CULong))
  , ("long long", sized (undefined :: CLLong)), ("long long unsigned", sized (undefined :: CULLong))
  , ("char", sized (undefined :: CChar)), ("char signed", sized (undefined :: CSChar))
  , ("char unsigned", sized (undefined :: CUChar))
  , ("_Bool", sized (undefined :: CBool)), ("bool", sized (undefined :: CBool))
  , ("size_t", sized (undefined :: CSize)), ("ptrdiff_t", sized (undefined :: CPtrdiff))
  , ("intptr_t", sized (undefined :: CIntPtr)), ("uintptr_t", sized (undefined :: CUIntPtr))
  , ("int8_t", ''Int8), ("int16_t", ''Int16), ("int32_t", ''Int32), ("int64_t", ''Int64)
  , ("uint8_t", ''Word8), ("uint16_t", ''Word16), ("uint32_t", ''Word32), ("uint64_t", ''Word64)
  ]

-- | The Haskell integer type of a C integer type's size and signedness:
--   'Int' / 'Word' for word-sized ones.
sized :: (Storable a, Bounded a, Integral a) => a -> Name
sized t = case (size, signed) of
  _ | size == sizeOf (0 :: Int) -> if signed then ''Int else ''Word
  (1, True) -> ''Int8
  (2, True) -> ''Int16
  (4, True) -> ''Int32
  (1, False) -> ''Word8
  (2, False) -> ''Word16
  (4, False) -> ''Word32
  (_, True) -> ''Int64
  (_, False) -> ''Word64
  where
    size = sizeOf t
    signed = toInteger (minBound `asTypeOf` t) < 0
