//! `extern "C"` entry points: the GOMP_* ABI GCC emits calls to and the omp_*
//! API, one file per construct. Each is a thin shell over `runtime/`.

pub mod alloc;
pub mod affinity;
pub mod atomic;
pub mod barrier;
pub mod cancel;
pub mod critical;
pub mod error;
pub mod fortran;
pub mod hsomp;
pub mod icv;
pub mod kmpc;
pub mod lock;
pub mod r#loop;
pub mod loop_ull;
pub mod ordered;
pub mod parallel;
pub mod parallel_loop;
pub mod pause;
pub mod reduction;
pub mod sections;
pub mod single;
pub mod target;
pub mod task;
pub mod team;
pub mod teams;
pub mod time;
