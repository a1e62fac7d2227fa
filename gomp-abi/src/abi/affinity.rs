//! Thread affinity display (OpenMP 5.1 §3.10): omp_set/get_affinity_format,
//! omp_display_affinity, omp_capture_affinity. The format and its
//! expansion are in runtime/affinity_format.rs.

use std::ffi::{c_char, CStr};

use crate::runtime::affinity_format::{capture, current, display, format_or_current, set};

/// Copy `s` into the C buffer of `size` bytes, truncated and NUL-terminated;
/// the full length.
///
/// # Safety
/// `buf` is NULL or valid for `size` bytes.
unsafe fn copy_out(s: &str, buf: *mut c_char, size: usize) -> usize {
    if !buf.is_null() && size > 0 {
        let n = s.len().min(size - 1);
        // SAFETY: n + 1 <= size bytes at buf (caller contract).
        unsafe {
            std::ptr::copy_nonoverlapping(s.as_ptr(), buf.cast::<u8>(), n);
            *buf.add(n) = 0;
        }
    }
    s.len()
}

/// A format argument: NULL or empty means affinity-format-var.
///
/// # Safety
/// `format` is NULL or a NUL-terminated string.
unsafe fn format_arg(format: *const c_char) -> String {
    // SAFETY: caller contract.
    let given = unsafe { format.as_ref() }.map(|_| unsafe { CStr::from_ptr(format) }.to_string_lossy());
    format_or_current(given.map(|f| f.into_owned()).unwrap_or_default())
}

/// # Safety
/// `format` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn omp_set_affinity_format(format: *const c_char) {
    // SAFETY: caller contract.
    set(if format.is_null() { String::new() } else { unsafe { CStr::from_ptr(format) }.to_string_lossy().into_owned() });
}

/// # Safety
/// `buffer` is NULL or valid for `size` bytes.
#[no_mangle]
pub unsafe extern "C" fn omp_get_affinity_format(buffer: *mut c_char, size: usize) -> usize {
    // SAFETY: caller contract.
    unsafe { copy_out(&current(), buffer, size) }
}

/// # Safety
/// `format` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn omp_display_affinity(format: *const c_char) {
    // SAFETY: caller contract.
    display(&unsafe { format_arg(format) });
}

/// # Safety
/// `buffer` is NULL or valid for `size` bytes; `format` is NULL or a
/// NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn omp_capture_affinity(buffer: *mut c_char, size: usize, format: *const c_char) -> usize {
    // SAFETY: caller contract.
    unsafe { copy_out(&capture(&format_arg(format)), buffer, size) }
}

/// LLVM's omp.h renames the four routines above to `ompc_*` (libomp's C
/// entry points): the same routines under those names, for clang programs.
///
/// # Safety
/// As for `omp_set_affinity_format`.
#[no_mangle]
pub unsafe extern "C" fn ompc_set_affinity_format(format: *const c_char) {
    // SAFETY: caller contract.
    unsafe { omp_set_affinity_format(format) }
}

/// # Safety
/// As for `omp_get_affinity_format`.
#[no_mangle]
pub unsafe extern "C" fn ompc_get_affinity_format(buffer: *mut c_char, size: usize) -> usize {
    // SAFETY: caller contract.
    unsafe { omp_get_affinity_format(buffer, size) }
}

/// # Safety
/// As for `omp_display_affinity`.
#[no_mangle]
pub unsafe extern "C" fn ompc_display_affinity(format: *const c_char) {
    // SAFETY: caller contract.
    unsafe { omp_display_affinity(format) }
}

/// # Safety
/// As for `omp_capture_affinity`.
#[no_mangle]
pub unsafe extern "C" fn ompc_capture_affinity(buffer: *mut c_char, size: usize, format: *const c_char) -> usize {
    // SAFETY: caller contract.
    unsafe { omp_capture_affinity(buffer, size, format) }
}
