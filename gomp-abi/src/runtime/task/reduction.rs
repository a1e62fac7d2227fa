//! Task reductions (`task_reduction` on taskgroup, `reduction` on taskloop,
//! `in_reduction` on tasks): per-thread private copies of the reduction
//! variables, which the compiler-generated code combines after the
//! taskgroup ends.
//!
//! # GCC's registry array (`uintptr_t *data`, built by the compiler)
//! - `d[0]` number of variables, `d[1]` bytes of one thread's chunk, `d[2]`
//!   alignment (replaced here by the address of the allocated copies),
//!   `d[3]` allocator (unused), `d[4]` next array of the same registration
//!   (0 at the end; replaced here, in the last array, by the registry that
//!   was current before, so registries chain outwards), `d[5]` and `d[6]`
//!   runtime-owned, then 3 words per variable: `[address of the original,
//!   offset in a chunk, runtime-owned]`, sorted by offset.
//! - Thread `i`'s copy of variable `v` is at `d[2] + i * d[1] + offset(v)`;
//!   the compiler initialises and combines the `nthreads` chunks itself.
//! - Runtime-owned words here: `d[5] = 1` marks the last array of one
//!   registration (where `unregister` stops); `d[6]` is the end of the
//!   copies (for address lookups); an entry's third word points to its
//!   array's `d[0]`.
//!
//! The registry is written by the registering thread before any task that
//! uses it is created (the task push publishes it) and read-only afterwards
//! until `unregister`, after the taskgroup completed.

use std::ffi::c_void;

const HEADER: usize = 7;

fn fatal(msg: &str) -> ! {
    eprintln!("hsomp: fatal: {msg}");
    std::process::abort()
}

/// The arrays of one registry chain, innermost first.
///
/// # Safety
/// `data` is null or a registry array set up by `register`.
unsafe fn arrays(data: *mut usize) -> impl Iterator<Item = *mut usize> {
    std::iter::successors((!data.is_null()).then_some(data), |&d| {
        // SAFETY: per the contract, d[4] is the next array or null.
        let next = unsafe { *d.add(4) } as *mut usize;
        (!next.is_null()).then_some(next)
    })
}

/// Allocate the private copies for `nthreads` threads and chain the
/// registry in front of `outer`.
///
/// # Safety
/// `data` is a registry array as GCC builds it (module comment).
pub unsafe fn register(data: *mut usize, outer: *mut usize, nthreads: usize) {
    let mut d = data;
    // SAFETY: the layout is GCC's; only header words are touched.
    unsafe {
        loop {
            let size = *d.add(1) * nthreads;
            let align = (*d.add(2)).max(std::mem::size_of::<usize>()).next_power_of_two();
            let mut p: *mut c_void = std::ptr::null_mut();
            if libc::posix_memalign(&mut p, align, size.max(1)) != 0 {
                fatal("out of memory for task reduction copies");
            }
            std::ptr::write_bytes(p as *mut u8, 0, size);
            *d.add(2) = p as usize;
            *d.add(6) = p as usize + size;
            for j in 0..*d {
                *d.add(HEADER + 3 * j + 2) = d as usize;
            }
            let next = *d.add(4) as *mut usize;
            if next.is_null() {
                *d.add(4) = outer as usize;
                *d.add(5) = 1;
                return;
            }
            *d.add(5) = 0;
            d = next;
        }
    }
}

/// Free the copies of one registration.
///
/// # Safety
/// `data` was passed to `register` and not unregistered yet.
pub unsafe fn unregister(data: *mut usize) {
    // SAFETY: per the contract.
    unsafe {
        for d in arrays(data) {
            libc::free(*d.add(2) as *mut c_void);
            if *d.add(5) != 0 {
                return;
            }
        }
    }
}

/// GOMP_task_reduction_remap: turn each `ptrs[i]` (an original variable,
/// or an address inside some thread's copies) into the address of thread
/// `tid`'s copy; for `i < cntorig` also store the original's address in
/// `ptrs[cnt + i]`.
///
/// # Safety
/// `registry` is the current registry chain; `ptrs` has `cnt + cntorig`
/// slots.
pub unsafe fn remap(registry: *mut usize, tid: usize, cnt: usize, cntorig: usize, ptrs: *mut *mut c_void) {
    // SAFETY: per the contract; the registry is read-only while tasks run.
    unsafe {
        'next: for i in 0..cnt {
            let p = *ptrs.add(i) as usize;
            for d in arrays(registry) {
                let (base, chunk, end) = (*d.add(2), *d.add(1), *d.add(6));
                let entries = std::slice::from_raw_parts(d.add(HEADER), 3 * *d);
                let by_original = entries.chunks(3).find(|e| e[0] == p);
                let hit = match by_original {
                    Some(e) => Some((e[1], e[0])),
                    None if p >= base && p < end => {
                        let off = (p - base) % chunk;
                        match entries.chunks(3).find(|e| e[1] == off) {
                            Some(e) => Some((off, e[0])),
                            None => fatal("task reduction address inside the copies matches no variable"),
                        }
                    }
                    None => None,
                };
                if let Some((off, orig)) = hit {
                    *ptrs.add(i) = (base + tid * chunk + off) as *mut c_void;
                    if i < cntorig {
                        *ptrs.add(cnt + i) = orig as *mut c_void;
                    }
                    continue 'next;
                }
            }
            fatal(&format!("no task_reduction or reduction with task modifier matches {p:#x}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn register_remap_unregister() {
        let (mut a, mut b) = (0u64, 0i32);
        let pa = &mut a as *mut u64 as usize;
        let pb = &mut b as *mut i32 as usize;
        // two variables: a at offset 0, b at offset 8; chunk 64 bytes.
        let mut data = [2usize, 64, 16, usize::MAX, 0, 0, 0, pa, 0, 0, pb, 8, 0];
        let outer = std::ptr::null_mut();
        // SAFETY: a well-formed registry.
        unsafe { register(data.as_mut_ptr(), outer, 3) };
        let base = data[2];
        assert_eq!(base % 16, 0);
        assert_eq!(data[6], base + 3 * 64);
        assert_eq!(data[5], 1);
        let mut ptrs = [pb as *mut c_void, pa as *mut c_void, std::ptr::null_mut()];
        // SAFETY: ptrs has cnt + cntorig slots.
        unsafe { remap(data.as_mut_ptr(), 2, 2, 1, ptrs.as_mut_ptr()) };
        assert_eq!(ptrs[0] as usize, base + 2 * 64 + 8);
        assert_eq!(ptrs[1] as usize, base + 2 * 64);
        assert_eq!(ptrs[2] as usize, pb);
        // An address in another thread's copies maps to ours, original found.
        let mut ptrs = [(base + 64 + 8) as *mut c_void, std::ptr::null_mut()];
        // SAFETY: as above.
        unsafe { remap(data.as_mut_ptr(), 0, 1, 1, ptrs.as_mut_ptr()) };
        assert_eq!(ptrs[0] as usize, base + 8);
        assert_eq!(ptrs[1] as usize, pb);
        // SAFETY: registered above.
        unsafe { unregister(data.as_mut_ptr()) };
    }
}
