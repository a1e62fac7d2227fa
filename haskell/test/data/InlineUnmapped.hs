{-# LANGUAGE QuasiQuotes #-}
-- A function whose prototype has no Haskell type (a struct by value) and no
-- type line: InlineSpec checks that GHC says so and how to give one.
module InlineUnmapped where

import Control.Parallel.OpenMP.Inline (omp)

[omp|
struct pair { double a, b; };
double pair_sum(struct pair p) { return p.a + p.b; }
|]
