//! hsomp's own entry points (not part of OpenMP) and the host-device queries.

use std::ffi::{c_char, c_int};
use std::sync::atomic::Ordering;

use crate::runtime::team::EXCLUSIVE;

pub use crate::runtime::target::INITIAL_DEVICE;

/// "hsomp <version> (GHC <x.y> RTS)": lets programs and tests tell which
/// OpenMP runtime they run on.
#[no_mangle]
pub extern "C" fn hsomp_runtime_version() -> *const c_char {
    static VERSION: std::sync::OnceLock<std::ffi::CString> = std::sync::OnceLock::new();
    VERSION
        .get_or_init(|| {
            let ghc = rts_shim::ghc_version();
            std::ffi::CString::new(format!("hsomp {} (GHC {}.{} RTS)", env!("CARGO_PKG_VERSION"), ghc / 100, ghc % 100))
                .expect("no NUL in the version")
        })
        .as_ptr()
}

/// Exclusive mode: while on, worker threads of new regions hold their own
/// Capability for the whole region, so Haskell mutators and GC stay off
/// their cores. Do not call back into Haskell from such a region.
#[no_mangle]
pub extern "C" fn hsomp_set_exclusive(on: c_int) {
    crate::runtime::globals();
    EXCLUSIVE.store(on != 0, Ordering::Relaxed);
}

#[no_mangle]
pub extern "C" fn hsomp_get_exclusive() -> c_int {
    c_int::from(EXCLUSIVE.load(Ordering::Relaxed))
}

#[no_mangle]
pub extern "C" fn omp_get_num_devices() -> c_int {
    0
}

#[no_mangle]
pub extern "C" fn omp_get_initial_device() -> c_int {
    INITIAL_DEVICE
}

#[no_mangle]
pub extern "C" fn omp_get_device_num() -> c_int {
    INITIAL_DEVICE
}

#[no_mangle]
pub extern "C" fn omp_is_initial_device() -> c_int {
    1
}
