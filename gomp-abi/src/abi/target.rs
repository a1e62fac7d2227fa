//! `target` constructs and the device memory routines with no offload
//! device (the logic is runtime/target/), as GCC's runtime behaves without one: the host is the only (the
//! initial) device, numbered 0 = omp_get_num_devices(); target regions run
//! on the encountering thread as the initial task of a new contention group,
//! with host addresses (by-reference firstprivate data gets private copies:
//! runtime/target.rs); data-mapping constructs have nothing to map; the
//! omp_target_* routines accept the initial device and refuse other numbers.
//! OMP_TARGET_OFFLOAD=mandatory makes naming a missing device fatal.

use std::ffi::{c_int, c_uint, c_void};

use crate::abi::task::GOMP_taskwait;
use crate::runtime::target::{copy_rect, is_host, privatize_firstprivate, run_on_host, thread_limit_arg};
use crate::runtime::team::Outlined;

/// A construct with `depend` clauses runs once the tasks it depends on are
/// done; waiting for all child tasks covers them.
fn wait_for_depend(depend: *mut *mut c_void) {
    if !depend.is_null() {
        GOMP_taskwait();
    }
}

/// GCC 4.9+ (`#pragma omp target`, OpenMP 4.5 form).
///
/// # Safety
/// Arguments as GCC passes them.
#[no_mangle]
pub unsafe extern "C" fn GOMP_target_ext(
    device: c_int,
    func: Outlined,
    mapnum: usize,
    hostaddrs: *mut *mut c_void,
    sizes: *mut usize,
    kinds: *mut u16,
    _flags: c_uint,
    depend: *mut *mut c_void,
    args: *mut *mut c_void,
) {
    // Firstprivate copies are taken first: they hold the values of the
    // moment the construct is encountered (runtime/target.rs).
    // SAFETY: GCC's map arrays of `mapnum` entries.
    let _copies = unsafe { privatize_firstprivate(mapnum, hostaddrs.cast(), sizes, kinds) };
    wait_for_depend(depend);
    // SAFETY: GCC's target body, argument block (its firstprivate entries
    // now point into `_copies`, alive until the region returns) and
    // argument array.
    unsafe { run_on_host(device, func, hostaddrs, thread_limit_arg(args)) }
}

/// GCC 4.9-5 (OpenMP 4.0 form).
///
/// # Safety
/// Arguments as GCC passes them.
#[no_mangle]
pub unsafe extern "C" fn GOMP_target(
    device: c_int,
    func: Outlined,
    _unused: *const c_void,
    _mapnum: usize,
    hostaddrs: *mut *mut c_void,
    _sizes: *mut usize,
    _kinds: *mut u8,
) {
    // SAFETY: GCC's target body and argument block.
    unsafe { run_on_host(device, func, hostaddrs, None) }
}

/// `target data` / `target update` / `target enter|exit data`: the host
/// shares its memory with itself, so there is nothing to map or copy.
#[no_mangle]
pub extern "C" fn GOMP_target_data(
    _device: c_int,
    _unused: *const c_void,
    _mapnum: usize,
    _hostaddrs: *mut *mut c_void,
    _sizes: *mut usize,
    _kinds: *mut u8,
) {
}

#[no_mangle]
pub extern "C" fn GOMP_target_data_ext(
    _device: c_int,
    _mapnum: usize,
    _hostaddrs: *mut *mut c_void,
    _sizes: *mut usize,
    _kinds: *mut u16,
) {
}

#[no_mangle]
pub extern "C" fn GOMP_target_end_data() {}

#[no_mangle]
pub extern "C" fn GOMP_target_update(
    _device: c_int,
    _unused: *const c_void,
    _mapnum: usize,
    _hostaddrs: *mut *mut c_void,
    _sizes: *mut usize,
    _kinds: *mut u8,
) {
}

#[no_mangle]
pub extern "C" fn GOMP_target_update_ext(
    _device: c_int,
    _mapnum: usize,
    _hostaddrs: *mut *mut c_void,
    _sizes: *mut usize,
    _kinds: *mut u16,
    _flags: c_uint,
    depend: *mut *mut c_void,
) {
    wait_for_depend(depend);
}

#[no_mangle]
pub extern "C" fn GOMP_target_enter_exit_data(
    _device: c_int,
    _mapnum: usize,
    _hostaddrs: *mut *mut c_void,
    _sizes: *mut usize,
    _kinds: *mut u16,
    _flags: c_uint,
    depend: *mut *mut c_void,
) {
    wait_for_depend(depend);
}

/// Offload images (registered by constructors of programs built with
/// offloading): with no device plugin there is nothing to load them into.
#[no_mangle]
pub extern "C" fn GOMP_offload_register_ver(
    _version: c_uint,
    _host_table: *const c_void,
    _target_type: c_int,
    _target_data: *const c_void,
) {
}

#[no_mangle]
pub extern "C" fn GOMP_offload_register(_host_table: *const c_void, _target_type: c_int, _target_data: *const c_void) {}

#[no_mangle]
pub extern "C" fn GOMP_offload_unregister_ver(
    _version: c_uint,
    _host_table: *const c_void,
    _target_type: c_int,
    _target_data: *const c_void,
) {
}

#[no_mangle]
pub extern "C" fn GOMP_offload_unregister(_host_table: *const c_void, _target_type: c_int, _target_data: *const c_void) {}

#[no_mangle]
pub extern "C" fn omp_target_alloc(size: usize, device: c_int) -> *mut c_void {
    if !is_host(device) {
        return std::ptr::null_mut();
    }
    // SAFETY: malloc has no preconditions; omp_target_free releases it.
    unsafe { libc::malloc(size) }
}

/// # Safety
/// `ptr` is NULL or came from omp_target_alloc for the same device.
#[no_mangle]
pub unsafe extern "C" fn omp_target_free(ptr: *mut c_void, device: c_int) {
    if !ptr.is_null() && is_host(device) {
        // SAFETY: caller contract: a block of omp_target_alloc (malloc).
        unsafe { libc::free(ptr) }
    }
}

/// Host memory is always "present" on the host.
#[no_mangle]
pub extern "C" fn omp_target_is_present(ptr: *const c_void, device: c_int) -> c_int {
    c_int::from(ptr.is_null() || is_host(device))
}

/// # Safety
/// Both ranges are valid (the routine's contract).
#[no_mangle]
pub unsafe extern "C" fn omp_target_memcpy(
    dst: *mut c_void,
    src: *const c_void,
    length: usize,
    dst_offset: usize,
    src_offset: usize,
    dst_device: c_int,
    src_device: c_int,
) -> c_int {
    if !is_host(dst_device) || !is_host(src_device) {
        return libc::EINVAL;
    }
    // SAFETY: caller contract; the ranges may overlap only if the program
    // says so, which memmove tolerates.
    unsafe { std::ptr::copy(src.cast::<u8>().add(src_offset), dst.cast::<u8>().add(dst_offset), length) };
    0
}

/// With both pointers NULL: the number of dimensions supported (any).
///
/// # Safety
/// As for omp_target_memcpy_rect: valid arrays and sub-volumes.
#[no_mangle]
pub unsafe extern "C" fn omp_target_memcpy_rect(
    dst: *mut c_void,
    src: *const c_void,
    element_size: usize,
    num_dims: c_int,
    volume: *const usize,
    dst_offsets: *const usize,
    src_offsets: *const usize,
    dst_dimensions: *const usize,
    src_dimensions: *const usize,
    dst_device: c_int,
    src_device: c_int,
) -> c_int {
    if dst.is_null() && src.is_null() {
        return c_int::MAX;
    }
    if dst.is_null() || src.is_null() || num_dims < 1 || !is_host(dst_device) || !is_host(src_device) {
        return libc::EINVAL;
    }
    // SAFETY: caller contract.
    let done = unsafe {
        copy_rect(
            dst.cast(),
            src.cast(),
            element_size,
            num_dims as usize,
            volume,
            dst_offsets,
            src_offsets,
            dst_dimensions,
            src_dimensions,
        )
    };
    done.map_or(libc::EINVAL, |()| 0)
}

/// Associating device memory needs a device: refused on the host, as GCC's
/// runtime does.
#[no_mangle]
pub extern "C" fn omp_target_associate_ptr(
    _host_ptr: *const c_void,
    _device_ptr: *const c_void,
    _size: usize,
    _device_offset: usize,
    device: c_int,
) -> c_int {
    is_host(device);
    libc::EINVAL
}

#[no_mangle]
pub extern "C" fn omp_target_disassociate_ptr(_ptr: *const c_void, device: c_int) -> c_int {
    is_host(device);
    libc::EINVAL
}
