//! `#pragma omp critical` (unnamed and named).

use std::ffi::c_void;

use crate::runtime::lock::RawMutex;

/// The one lock every unnamed critical section shares.
static UNNAMED: RawMutex = RawMutex::new();

#[no_mangle]
pub extern "C" fn GOMP_critical_start() {
    UNNAMED.lock();
}

#[no_mangle]
pub extern "C" fn GOMP_critical_end() {
    UNNAMED.unlock();
}

/// A named critical section's lock lives in the pointer-sized, zero-initialised
/// common symbol GCC emits per name (`.gomp_critical_user_NAME`), which `pptr`
/// points to: zero is our unlocked state, so no registration is needed.
fn named(pptr: *mut *mut c_void) -> &'static RawMutex {
    // SAFETY: pptr points to GCC's pointer-sized, pointer-aligned static slot
    // for this name, used by nothing else; its first 4 bytes are our mutex.
    unsafe { RawMutex::from_ptr(pptr.cast::<u32>()) }
}

#[no_mangle]
pub extern "C" fn GOMP_critical_name_start(pptr: *mut *mut c_void) {
    named(pptr).lock();
}

#[no_mangle]
pub extern "C" fn GOMP_critical_name_end(pptr: *mut *mut c_void) {
    named(pptr).unlock();
}
