//! Thread affinity display (OpenMP 5.1 §3.10): the affinity-format-var ICV
//! (OMP_AFFINITY_FORMAT, omp_set/get_affinity_format) and the routines that
//! expand it for the calling thread.
//!
//! A format is text with field specifiers `%[0.][width]X` or
//! `%[0.][width]{name}`: without `.` a field is left-justified in `width`
//! columns, with `.` right-justified, with `0.` zero-padded. Fields, as GCC's
//! runtime supports them: t/team_num, T/num_teams, L/nesting_level,
//! n/thread_num, N/num_threads, a/ancestor_tnum, H/host, P/process_id,
//! i/native_thread_id (pthread_self, in hex), A/thread_affinity (the CPUs
//! the thread may run on, as ranges); `%%` is a percent sign. A malformed
//! format is fatal, as in GCC's runtime.

use std::ffi::{c_char, CStr};
use std::sync::RwLock;

use crate::abi::team::{omp_get_ancestor_thread_num, omp_get_level, omp_get_num_threads, omp_get_thread_num};
use crate::abi::teams::{omp_get_num_teams, omp_get_team_num};
use crate::runtime::globals;

pub const DEFAULT_FORMAT: &str = "level %L thread %i affinity %A";

/// affinity-format-var; None until set (then OMP_AFFINITY_FORMAT or the default).
static FORMAT: RwLock<Option<String>> = RwLock::new(None);

/// The current affinity-format-var.
pub fn affinity_format() -> String {
    let set = FORMAT.read().unwrap_or_else(|e| e.into_inner()).clone();
    set.unwrap_or_else(|| globals().env.affinity_format.clone().unwrap_or_else(|| DEFAULT_FORMAT.to_owned()))
}

fn bad_format(what: &str) -> ! {
    eprintln!("\nhsomp: {what} in affinity format");
    std::process::exit(1);
}

/// The CPUs the calling thread may run on, as "0-3,6".
fn cpu_ranges() -> String {
    // SAFETY: a zeroed cpu_set_t is a valid empty set; sched_getaffinity
    // fills at most its size.
    let set = unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        if libc::sched_getaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &mut set) != 0 {
            return String::new();
        }
        set
    };
    // SAFETY: reading bits of an initialised set within CPU_SETSIZE.
    let cpus: Vec<usize> = (0..libc::CPU_SETSIZE as usize).filter(|&c| unsafe { libc::CPU_ISSET(c, &set) }).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < cpus.len() {
        let mut j = i;
        while j + 1 < cpus.len() && cpus[j + 1] == cpus[j] + 1 {
            j += 1;
        }
        out.push(if i == j { cpus[i].to_string() } else { format!("{}-{}", cpus[i], cpus[j]) });
        i = j + 1;
    }
    out.join(",")
}

fn field(name: &str) -> String {
    match name {
        "t" | "team_num" => omp_get_team_num().to_string(),
        "T" | "num_teams" => omp_get_num_teams().to_string(),
        "L" | "nesting_level" => omp_get_level().to_string(),
        "n" | "thread_num" => omp_get_thread_num().to_string(),
        "N" | "num_threads" => omp_get_num_threads().to_string(),
        "a" | "ancestor_tnum" => omp_get_ancestor_thread_num(omp_get_level() - 1).to_string(),
        "H" | "host" => {
            let mut buf = [0u8; 256];
            // SAFETY: gethostname writes at most buf.len() bytes.
            unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len() - 1) };
            String::from_utf8_lossy(&buf[..buf.iter().position(|&b| b == 0).unwrap_or(0)]).into_owned()
        }
        "P" | "process_id" => std::process::id().to_string(),
        // SAFETY: pthread_self has no preconditions.
        "i" | "native_thread_id" => format!("{:#x}", unsafe { libc::pthread_self() }),
        "A" | "thread_affinity" => cpu_ranges(),
        other => bad_format(&format!("unsupported type {other}")),
    }
}

/// Expand `format` for the calling thread.
pub fn expand(format: &str) -> String {
    let mut out = String::new();
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        if chars.peek() == Some(&'%') {
            chars.next();
            out.push('%');
            continue;
        }
        let zero = chars.next_if_eq(&'0').is_some();
        let right = chars.next_if_eq(&'.').is_some();
        if zero && !right {
            bad_format("leading zero not followed by dot");
        }
        let mut width = 0usize;
        while let Some(d) = chars.next_if(char::is_ascii_digit) {
            width = width * 10 + d.to_digit(10).unwrap_or(0) as usize;
        }
        let name: String = match chars.next() {
            Some('{') => chars.by_ref().take_while(|&c| c != '}').collect(),
            Some(c) => c.to_string(),
            None => bad_format("missing type"),
        };
        let value = field(&name);
        out.push_str(&match (zero, right) {
            // The sign goes before the zeros, as printf's `%0*d` puts it.
            (true, _) => match value.strip_prefix('-') {
                Some(digits) => format!("-{digits:0>w$}", w = width.saturating_sub(1)),
                None => format!("{value:0>width$}"),
            },
            (false, true) => format!("{value:>width$}"),
            (false, false) => format!("{value:<width$}"),
        });
    }
    out
}

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
    format_or_var(given.map(|f| f.into_owned()).unwrap_or_default())
}

/// The format a display or capture routine expands: `format`, or
/// affinity-format-var when it is empty (the C and Fortran routines).
pub fn format_or_var(format: String) -> String {
    if format.is_empty() {
        affinity_format()
    } else {
        format
    }
}

/// Set affinity-format-var (the C and Fortran routines).
pub fn set_affinity_format(format: String) {
    *FORMAT.write().unwrap_or_else(|e| e.into_inner()) = Some(format);
}

/// omp_display_affinity: the expansion and a newline on stderr, where GCC's
/// runtime prints it.
pub fn display_affinity(format: &str) {
    use std::io::Write;
    let line = expand(format);
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// # Safety
/// `format` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn omp_set_affinity_format(format: *const c_char) {
    // SAFETY: caller contract.
    let f = if format.is_null() { String::new() } else { unsafe { CStr::from_ptr(format) }.to_string_lossy().into_owned() };
    set_affinity_format(f);
}

/// # Safety
/// `buffer` is NULL or valid for `size` bytes.
#[no_mangle]
pub unsafe extern "C" fn omp_get_affinity_format(buffer: *mut c_char, size: usize) -> usize {
    // SAFETY: caller contract.
    unsafe { copy_out(&affinity_format(), buffer, size) }
}

/// # Safety
/// `format` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn omp_display_affinity(format: *const c_char) {
    // SAFETY: caller contract.
    display_affinity(&unsafe { format_arg(format) });
}

/// # Safety
/// `buffer` is NULL or valid for `size` bytes; `format` is NULL or a
/// NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn omp_capture_affinity(buffer: *mut c_char, size: usize, format: *const c_char) -> usize {
    // SAFETY: caller contract.
    unsafe { copy_out(&expand(&format_arg(format)), buffer, size) }
}
