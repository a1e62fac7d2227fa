//! hsomp: an OpenMP runtime whose threads are GHC's threads.
//!
//! `abi/` holds the thin `extern "C"` entry points GCC-compiled code calls
//! (`GOMP_*`) and the user-facing `omp_*` API, one file per construct;
//! `runtime/` holds the machinery. See DESIGN.md and docs/ for the protocols.

pub mod abi;
pub mod runtime;
