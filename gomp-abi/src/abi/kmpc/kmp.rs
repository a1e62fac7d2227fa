//! The `kmp_*` extensions LLVM's omp.h declares that mean the same on
//! hsomp: memory from the C heap, the worker stack size, warnings. The
//! others (blocktime, library modes, affinity masks, setting the stack
//! size after start-up) configure libomp's own machinery and are not
//! provided: a clang program that calls them fails to link statically, and
//! under LD_PRELOAD keeps calling libomp's, which the conformance runner
//! reports.

use std::ffi::{c_int, c_void};

use crate::runtime::globals;

#[no_mangle]
pub extern "C" fn kmp_malloc(size: usize) -> *mut c_void {
    // SAFETY: malloc has no preconditions.
    unsafe { libc::malloc(size) }
}

#[no_mangle]
pub extern "C" fn kmp_calloc(nelem: usize, elsize: usize) -> *mut c_void {
    // SAFETY: calloc has no preconditions.
    unsafe { libc::calloc(nelem, elsize) }
}

/// # Safety
/// `ptr` is null or came from the kmp_ allocation routines and is not freed.
#[no_mangle]
pub unsafe extern "C" fn kmp_realloc(ptr: *mut c_void, size: usize) -> *mut c_void {
    // SAFETY: caller's contract (the routines above allocate with malloc).
    unsafe { libc::realloc(ptr, size) }
}

/// `alignment` must be a power of two (else null, as libomp's would fail).
#[no_mangle]
pub extern "C" fn kmp_aligned_malloc(size: usize, alignment: usize) -> *mut c_void {
    if !alignment.is_power_of_two() {
        return std::ptr::null_mut();
    }
    let mut p = std::ptr::null_mut();
    let align = alignment.max(std::mem::size_of::<*mut c_void>());
    // SAFETY: `p` is a valid out-pointer; the alignment is a power of two
    // and a multiple of the pointer size.
    match unsafe { libc::posix_memalign(&mut p, align, size) } {
        0 => p,
        _ => std::ptr::null_mut(),
    }
}

/// # Safety
/// `ptr` is null or came from the kmp_ allocation routines and is not freed.
#[no_mangle]
pub unsafe extern "C" fn kmp_free(ptr: *mut c_void) {
    // SAFETY: caller's contract.
    unsafe { libc::free(ptr) }
}

/// Stack size of the runtime's worker threads (OMP_STACKSIZE).
#[no_mangle]
pub extern "C" fn kmp_get_stacksize_s() -> usize {
    globals().worker_stack
}

#[no_mangle]
pub extern "C" fn kmp_get_stacksize() -> c_int {
    globals().worker_stack.min(c_int::MAX as usize) as c_int
}

/// hsomp prints its warnings on stderr either way.
#[no_mangle]
pub extern "C" fn kmp_set_warnings_on() {}

#[no_mangle]
pub extern "C" fn kmp_set_warnings_off() {}
