//! omp_get_wtime / omp_get_wtick: the monotonic clock.

fn clock(f: unsafe extern "C" fn(libc::clockid_t, *mut libc::timespec) -> libc::c_int) -> f64 {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: ts is a valid out-parameter; CLOCK_MONOTONIC always exists on Linux.
    unsafe { f(libc::CLOCK_MONOTONIC, &mut ts) };
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

#[no_mangle]
pub extern "C" fn omp_get_wtime() -> f64 {
    clock(libc::clock_gettime)
}

#[no_mangle]
pub extern "C" fn omp_get_wtick() -> f64 {
    clock(libc::clock_getres)
}
