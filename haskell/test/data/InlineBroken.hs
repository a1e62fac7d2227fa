{-# LANGUAGE QuasiQuotes #-}
-- A block the C compiler rejects: InlineSpec checks that GHC reports it at
-- this file's line 10 (undeclared_variable), with the compiler's message.
module InlineBroken where

import Control.Parallel.OpenMP.Inline (omp)

[omp|
double broken(const double *x, long n) {
  return x[0] + undeclared_variable;
}
|]
