{-# LANGUAGE CPP #-}
-- | Which code generator built this program (the -fllvm executable defines
--   HSOMP_LLVM). On its own: a module with CPP would run the C preprocessor
--   over the @#@ lines of an inline OpenMP block (as in Variants) too.
module Codegen (codegenLlvm) where

-- | Built with -fllvm?
codegenLlvm :: Bool
#ifdef HSOMP_LLVM
codegenLlvm = True
#else
codegenLlvm = False
#endif
