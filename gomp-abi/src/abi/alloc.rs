//! The memory allocator routines (OpenMP 5.1 §3.13) and GOMP_alloc/GOMP_free
//! (the `allocate` directive and clause). The work is in runtime/alloc.rs;
//! def-allocator-var lives with the calling task's ICVs.

use std::ffi::{c_int, c_void};

use crate::runtime::alloc::{self, Handle, NULL_ALLOCATOR};
use crate::runtime::team::with_state;

/// GCC's `omp_alloctrait_t`.
#[repr(C)]
pub struct AllocTrait {
    key: c_int,
    value: usize,
}

fn default_allocator() -> Handle {
    with_state(|ts| ts.cur().icv.def_allocator)
}

fn alloc_with(align: usize, size: usize, allocator: Handle) -> *mut c_void {
    if size == 0 {
        return std::ptr::null_mut();
    }
    alloc::alloc(align, size, allocator, default_allocator()).map_or(std::ptr::null_mut(), |p| p.cast())
}

/// # Safety
/// `traits` points to `ntraits` traits (or ntraits is 0).
#[no_mangle]
pub unsafe extern "C" fn omp_init_allocator(memspace: usize, ntraits: c_int, traits: *const AllocTrait) -> Handle {
    let traits: Vec<(usize, usize)> = if ntraits <= 0 || traits.is_null() {
        Vec::new()
    } else {
        // SAFETY: caller contract.
        unsafe { std::slice::from_raw_parts(traits, ntraits as usize) }
            .iter()
            .map(|t| (t.key as usize, t.value))
            .collect()
    };
    alloc::init_allocator(memspace, &traits).unwrap_or(NULL_ALLOCATOR)
}

/// # Safety
/// `allocator` is not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn omp_destroy_allocator(allocator: Handle) {
    // SAFETY: caller contract.
    unsafe { alloc::destroy_allocator(allocator) }
}

#[no_mangle]
pub extern "C" fn omp_set_default_allocator(allocator: Handle) {
    with_state(|ts| ts.update(|t| t.icv.def_allocator = allocator))
}

#[no_mangle]
pub extern "C" fn omp_get_default_allocator() -> Handle {
    default_allocator()
}

#[no_mangle]
pub extern "C" fn omp_alloc(size: usize, allocator: Handle) -> *mut c_void {
    alloc_with(1, size, allocator)
}

#[no_mangle]
pub extern "C" fn omp_aligned_alloc(alignment: usize, size: usize, allocator: Handle) -> *mut c_void {
    alloc_with(alignment, size, allocator)
}

#[no_mangle]
pub extern "C" fn omp_aligned_calloc(alignment: usize, nmemb: usize, size: usize, allocator: Handle) -> *mut c_void {
    // An overflowing request cannot be met: it takes the allocator's fallback.
    let p = alloc_with(alignment, nmemb.saturating_mul(size), allocator);
    if !p.is_null() {
        // SAFETY: a fresh block of nmemb * size bytes.
        unsafe { std::ptr::write_bytes(p.cast::<u8>(), 0, nmemb * size) };
    }
    p
}

#[no_mangle]
pub extern "C" fn omp_calloc(nmemb: usize, size: usize, allocator: Handle) -> *mut c_void {
    omp_aligned_calloc(1, nmemb, size, allocator)
}

/// # Safety
/// `ptr` is NULL or a live block of these routines.
#[no_mangle]
pub unsafe extern "C" fn omp_free(ptr: *mut c_void, _allocator: Handle) {
    // SAFETY: caller contract; the block records its own allocator.
    unsafe { alloc::free(ptr.cast()) }
}

/// A new block from `allocator` (omp_null_allocator: `free_allocator`, then
/// the default) with the old contents; the old block is freed only on
/// success. Size 0 frees and returns NULL.
///
/// # Safety
/// `ptr` is NULL or a live block of these routines.
#[no_mangle]
pub unsafe extern "C" fn omp_realloc(ptr: *mut c_void, size: usize, allocator: Handle, free_allocator: Handle) -> *mut c_void {
    let allocator = if allocator == NULL_ALLOCATOR { free_allocator } else { allocator };
    if ptr.is_null() {
        return alloc_with(1, size, allocator);
    }
    if size == 0 {
        // SAFETY: caller contract.
        unsafe { alloc::free(ptr.cast()) };
        return std::ptr::null_mut();
    }
    // SAFETY: caller contract.
    unsafe { alloc::realloc(ptr.cast(), size, allocator, default_allocator()) }.map_or(std::ptr::null_mut(), |p| p.cast())
}

/// GCC 12's `allocate` directive/clause: like omp_aligned_alloc, but running
/// out of memory is fatal.
#[no_mangle]
pub extern "C" fn GOMP_alloc(alignment: usize, size: usize, allocator: Handle) -> *mut c_void {
    let p = alloc_with(alignment, size, allocator);
    if p.is_null() && size > 0 {
        eprintln!("\nhsomp: Out of memory allocating {size} bytes");
        std::process::exit(1);
    }
    p
}

/// # Safety
/// As omp_free.
#[no_mangle]
pub unsafe extern "C" fn GOMP_free(ptr: *mut c_void, allocator: Handle) {
    // SAFETY: caller contract.
    unsafe { omp_free(ptr, allocator) }
}
