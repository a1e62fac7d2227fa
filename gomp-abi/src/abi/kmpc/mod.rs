//! LLVM's `__kmpc_*` ABI: the entry points clang 14 emits for host OpenMP
//! code, one file per construct, each a thin shell over `runtime/kmpc/`
//! (which adapts them to the runtime the GOMP_* ABI uses; its module
//! comment has the conventions: ids, fork, bounds).
//!
//! The `gtid` argument most of them take is ignored: the calling thread's
//! state is found through its thread-local. `abi/libomp14-kmpc-symbols.txt`
//! lists the entry points; libhsomp.so exports them, and the `omp_*` API,
//! under libomp's symbol version `VERSION` too (build.rs).
//!
//! The two C-variadic entry points, `__kmpc_fork_call` and
//! `__kmpc_fork_teams`, are C (`csrc/kmpc_fork.c`) and call
//! `hsomp_kmpc_fork` / `hsomp_kmpc_fork_teams` here.

pub mod alloc;
pub mod cancel;
pub mod copyprivate;
pub mod dispatch;
pub mod doacross;
pub mod kmp;
pub mod lock;
pub mod loop_static;
pub mod parallel;
pub mod reduce;
pub mod sync;
pub mod task;
pub mod task_reduction;
pub mod taskloop;
pub mod threadprivate;

pub use crate::runtime::kmpc::Ident;
