//! LLVM's `__kmpc_*` ABI (what clang emits for OpenMP host code), as thin
//! shells over `runtime/`, one file per construct.

pub mod task;
pub mod alloc;
pub mod cancel;
pub mod doacross;
pub mod task_reduction;
pub mod taskloop;
