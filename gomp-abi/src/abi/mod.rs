//! `extern "C"` entry points: the GOMP_* ABI GCC emits calls to and the omp_*
//! API, one file per construct. Each is a thin shell over `runtime/`.

pub mod alloc;
pub mod affinity;
pub mod atomic;
pub mod barrier;
pub mod critical;
pub mod error;
pub mod hsomp;
pub mod icv;
pub mod lock;
pub mod parallel;
pub mod pause;
pub mod single;
pub mod target;
pub mod task;
pub mod team;
pub mod teams;
pub mod time;
