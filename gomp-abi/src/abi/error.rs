//! `#pragma omp error at(execution)` (OpenMP 5.1 §2.5.4): GOMP_warning for
//! severity(warning), GOMP_error for severity(fatal). GCC passes the message
//! with its length, or with length `usize::MAX` for a NUL-terminated string
//! computed at run time, or NULL for no message. The report goes to stderr
//! in the shape GCC's runtime uses; fatal ends the program with status 1.

use std::ffi::{c_char, CStr};

/// The message, if any, as text.
///
/// # Safety
/// `msg` is NULL, a NUL-terminated string (`len == usize::MAX`) or `len`
/// readable bytes.
unsafe fn message(msg: *const c_char, len: usize) -> Option<String> {
    if msg.is_null() {
        return None;
    }
    let bytes = if len == usize::MAX {
        // SAFETY: GCC passes a NUL-terminated string with this length marker.
        unsafe { CStr::from_ptr(msg) }.to_bytes()
    } else {
        // SAFETY: GCC passes `len` readable bytes (a literal's length).
        unsafe { std::slice::from_raw_parts(msg.cast::<u8>(), len) }
    };
    Some(String::from_utf8_lossy(bytes).into_owned())
}

fn report(prefix: &str, msg: Option<String>) {
    match msg {
        Some(m) => eprint!("\nhsomp: {prefix}error directive encountered: {m}\n"),
        None => eprint!("\nhsomp: {prefix}error directive encountered\n"),
    }
}

/// # Safety
/// Arguments as GCC passes them (see the module comment).
#[no_mangle]
pub unsafe extern "C" fn GOMP_warning(msg: *const c_char, len: usize) {
    // SAFETY: forwarded caller contract.
    report("", unsafe { message(msg, len) });
}

/// # Safety
/// Arguments as GCC passes them (see the module comment).
#[no_mangle]
pub unsafe extern "C" fn GOMP_error(msg: *const c_char, len: usize) -> ! {
    // SAFETY: forwarded caller contract.
    report("fatal error: ", unsafe { message(msg, len) });
    std::process::exit(1)
}
