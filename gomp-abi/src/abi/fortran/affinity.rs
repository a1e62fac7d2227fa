//! The affinity-format routines with Fortran `character` arguments: each
//! string comes as an address plus a hidden length (a `size_t` after all
//! the other arguments), with no NUL. An input is taken exactly as long as
//! it is (an empty `format` means affinity-format-var, as in C); an output
//! is blank-padded to its length, or truncated, and the routine returns the
//! full length of the text.

use std::ffi::c_int;

use crate::runtime::affinity_format::{capture, current, display, format_or_current, set};

/// A Fortran input string.
///
/// # Safety
/// `s` is valid for `len` bytes (or `len` is 0).
unsafe fn input(s: *const u8, len: usize) -> String {
    if len == 0 {
        return String::new();
    }
    // SAFETY: caller contract.
    String::from_utf8_lossy(unsafe { std::slice::from_raw_parts(s, len) }).into_owned()
}

/// Fill a Fortran output string with `text`, blank-padded or truncated;
/// the length of `text` (saturated to a default integer).
///
/// # Safety
/// `buf` is valid for `len` bytes (or `len` is 0).
unsafe fn output(text: &str, buf: *mut u8, len: usize) -> c_int {
    if len > 0 {
        // SAFETY: caller contract.
        let out = unsafe { std::slice::from_raw_parts_mut(buf, len) };
        let n = text.len().min(len);
        out[..n].copy_from_slice(&text.as_bytes()[..n]);
        out[n..].fill(b' ');
    }
    text.len().min(c_int::MAX as usize) as c_int
}

/// # Safety
/// `format` is valid for `format_len` bytes.
#[no_mangle]
pub unsafe extern "C" fn omp_set_affinity_format_(format: *const u8, format_len: usize) {
    // SAFETY: caller contract.
    set(unsafe { input(format, format_len) });
}

/// # Safety
/// `buffer` is valid for `buffer_len` bytes.
#[no_mangle]
pub unsafe extern "C" fn omp_get_affinity_format_(buffer: *mut u8, buffer_len: usize) -> c_int {
    // SAFETY: caller contract.
    unsafe { output(&current(), buffer, buffer_len) }
}

/// # Safety
/// `format` is valid for `format_len` bytes.
#[no_mangle]
pub unsafe extern "C" fn omp_display_affinity_(format: *const u8, format_len: usize) {
    // SAFETY: caller contract.
    display(&format_or_current(unsafe { input(format, format_len) }));
}

/// # Safety
/// `buffer` is valid for `buffer_len` bytes, `format` for `format_len`.
#[no_mangle]
pub unsafe extern "C" fn omp_capture_affinity_(
    buffer: *mut u8,
    format: *const u8,
    buffer_len: usize,
    format_len: usize,
) -> c_int {
    // SAFETY: caller contract.
    let text = capture(&format_or_current(unsafe { input(format, format_len) }));
    // SAFETY: caller contract.
    unsafe { output(&text, buffer, buffer_len) }
}
