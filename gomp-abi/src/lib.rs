//! hsomp: an OpenMP runtime whose threads are GHC's threads.
//!
//! `abi/` holds the thin `extern "C"` entry points GCC-compiled code calls
//! (`GOMP_*`) and the user-facing `omp_*` API, one file per construct;
//! `runtime/` holds the machinery. docs/runtime.md at the top of the
//! repository maps the modules and their protocols; each protocol is also
//! written in the module comment beside its code (the sleep/wake proof in
//! runtime/sleep/README.md).

#![deny(unsafe_op_in_unsafe_fn, clippy::undocumented_unsafe_blocks)]

pub mod abi;
pub mod runtime;
