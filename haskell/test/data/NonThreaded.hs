-- Linked WITHOUT -threaded: the hsomp runtime must refuse with a clear
-- message and a non-zero exit, not hang.
{-# LANGUAGE ForeignFunctionInterface #-}
import Foreign.C.Types
foreign import ccall safe "hsomp_test_team_size" teamSize :: IO CInt
main :: IO ()
main = teamSize >>= print
