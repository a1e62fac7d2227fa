-- | Every phase-14 variant gives the sequential Haskell sum (to 1e-9
--   relative: the parallel ones add in another order), for random sizes and
--   thread counts.
module Main (main) where

import qualified Data.Vector.Storable as S
import Test.Hspec
import Test.QuickCheck
import Test.QuickCheck.Monadic (monadicIO, run)
import qualified Test.QuickCheck.Monadic as QCM

import Variants

main :: IO ()
main = hspec $ describe "phase-14 variants" $
  mapM_ agrees (drop 1 (variants ""))
  where
    agrees (Variant name go) = it (name ++ " = sequential Haskell (random sizes, 1-4 threads)") $
      property $ forAll (frequency [(1, choose (0, 3)), (6, choose (4, 20000))]) $ \n ->
        forAll (choose (1, 4)) $ \t -> forAll (choose (-100, 100)) $ \shift -> monadicIO $ do
          let v = S.generate n (\i -> fromIntegral (i `mod` 97 + shift) / 7)
              ref = seqHs v
          s <- run (go t v)
          QCM.monitor (counterexample (show (s, ref)))
          QCM.assert (abs (s - ref) <= 1e-9 * abs ref)
