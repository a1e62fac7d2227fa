//! `#pragma omp allocate` and `allocate` clauses in LLVM's ABI: the same
//! allocators as omp_alloc (abi/alloc.rs); the handles are the same values.

use std::ffi::c_void;

use crate::abi::alloc::{omp_aligned_alloc, omp_calloc, omp_destroy_allocator, omp_free, omp_init_allocator, omp_realloc, AllocTrait};
use crate::runtime::alloc::Handle;

#[no_mangle]
pub extern "C" fn __kmpc_alloc(_gtid: i32, size: usize, allocator: Handle) -> *mut c_void {
    omp_aligned_alloc(1, size, allocator)
}

#[no_mangle]
pub extern "C" fn __kmpc_aligned_alloc(_gtid: i32, align: usize, size: usize, allocator: Handle) -> *mut c_void {
    omp_aligned_alloc(align, size, allocator)
}

#[no_mangle]
pub extern "C" fn __kmpc_calloc(_gtid: i32, nmemb: usize, size: usize, allocator: Handle) -> *mut c_void {
    omp_calloc(nmemb, size, allocator)
}

/// # Safety
/// `ptr` is null or a live block of these allocators.
#[no_mangle]
pub unsafe extern "C" fn __kmpc_realloc(_gtid: i32, ptr: *mut c_void, size: usize, allocator: Handle, free_allocator: Handle) -> *mut c_void {
    // SAFETY: per the contract.
    unsafe { omp_realloc(ptr, size, allocator, free_allocator) }
}

/// # Safety
/// `ptr` is null or a live block of these allocators.
#[no_mangle]
pub unsafe extern "C" fn __kmpc_free(_gtid: i32, ptr: *mut c_void, allocator: Handle) {
    // SAFETY: per the contract.
    unsafe { omp_free(ptr, allocator) }
}

/// # Safety
/// `traits` holds `ntraits` allocator traits.
#[no_mangle]
pub unsafe extern "C" fn __kmpc_init_allocator(_gtid: i32, memspace: usize, ntraits: i32, traits: *const AllocTrait) -> Handle {
    // SAFETY: per the contract.
    unsafe { omp_init_allocator(memspace, ntraits, traits) }
}

/// # Safety
/// `allocator` is a live allocator of `__kmpc_init_allocator` or
/// omp_init_allocator.
#[no_mangle]
pub unsafe extern "C" fn __kmpc_destroy_allocator(_gtid: i32, allocator: Handle) {
    // SAFETY: per the contract.
    unsafe { omp_destroy_allocator(allocator) }
}
