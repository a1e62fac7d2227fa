//! `#pragma omp atomic` on types the CPU cannot update atomically (GCC wraps
//! those in GOMP_atomic_start/end).

use crate::runtime::lock::RawMutex;

static ATOMIC: RawMutex = RawMutex::new();

#[no_mangle]
pub extern "C" fn GOMP_atomic_start() {
    ATOMIC.lock();
}

#[no_mangle]
pub extern "C" fn GOMP_atomic_end() {
    ATOMIC.unlock();
}
