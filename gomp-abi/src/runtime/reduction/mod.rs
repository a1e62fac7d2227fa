//! Task reductions: the registration arrays GCC builds for `task_reduction`,
//! `reduction(task, ...)` on parallel / for / sections / scope, and
//! `in_reduction`. Shared by the worksharing entry points (abi/reduction.rs,
//! abi/loop.rs, abi/sections.rs) and the tasking side; constructs.rs has
//! what each task-reduction entry point does with them.
//!
//! # GCC's array (`uintptr_t *data`), as GCC 12 lays it out
//! ```text
//! data[0]  number of reduction variables (cnt)
//! data[1]  bytes of one thread's private block
//! data[2]  in: alignment of the block; out (runtime): base of nthreads blocks
//! data[3]  allocator (-1: malloc)
//! data[4]  next array registered together with this one (0 = last); the
//!          runtime links the last one to the previous registration
//! data[5]  runtime-private: hsomp marks the first array of a registration
//!          with HEAD (the previous registration's arrays stop the walk)
//! data[6]  runtime-private: end of the blocks (base + nthreads*data[1])
//! then cnt times: [address of the original, offset in the block, runtime-private]
//! ```
//! Entries are sorted by offset. Thread `id`'s copy of variable `j` is at
//! `data[2] + id*data[1] + entry_j.offset`. The blocks are zeroed; GCC's code
//! initialises and combines the copies itself.
//!
//! # API (all `unsafe`: the pointers are GCC's arrays)
//! - `register(data, old, orig, nthreads)`: allocate (or, with `orig`, share
//!   the blocks of another thread's identical registration of the same
//!   worksharing construct), link after `old`; the new chain head is `data`.
//! - `unregister(data)`: free the blocks of the registration headed by
//!   `data`; returns the previous chain head (`old` at registration).
//! - `remap(chain, id, cnt, cntorig, ptrs)`: GOMP_task_reduction_remap's
//!   lookup in `chain` for thread `id`.
//! - `current()` / `set_current(p)`: the chain of the calling thread's
//!   implicit task (`ImplicitTask::task_reductions`). The tasking side should
//!   capture `current()` when it creates a task and `set_current` it while
//!   the task runs (and restore afterwards), so that `in_reduction` tasks run
//!   by any thread find their taskgroup's registrations.

pub mod constructs;
pub mod kmpc;

use super::team::with_state;

/// Marker in data[5] of a registration's first array.
const HEAD: usize = 1;

/// The chain of task-reduction registrations of the calling thread's task.
pub fn current() -> *mut usize {
    with_state(|ts| ts.cur().task_reductions)
}

pub fn set_current(p: *mut usize) {
    with_state(|ts| ts.update(|t| t.task_reductions = p))
}

/// # Safety
/// `data` is a GCC registration array (possibly chained through data[4]);
/// `old` null or a registered chain; `orig` null or the first array of
/// another thread's registration of the same construct (same shape).
pub unsafe fn register(data: *mut usize, old: *mut usize, mut orig: *const usize, nthreads: u32) {
    let mut d = data;
    loop {
        // SAFETY: d walks GCC's chained arrays (caller's contract); each has
        // at least 7 header words.
        unsafe {
            if orig.is_null() {
                let size = (*d.add(1)).max(1) * nthreads.max(1) as usize;
                let align = (*d.add(2)).max(std::mem::size_of::<usize>()).next_power_of_two();
                let mut p: *mut libc::c_void = std::ptr::null_mut();
                if libc::posix_memalign(&mut p, align, size) != 0 {
                    eprintln!("hsomp: fatal: out of memory for task reductions ({size} bytes)");
                    std::process::abort();
                }
                std::ptr::write_bytes(p.cast::<u8>(), 0, size);
                *d.add(2) = p as usize;
                *d.add(6) = p as usize + size;
            } else {
                *d.add(2) = *orig.add(2);
                *d.add(6) = *orig.add(6);
                orig = *orig.add(4) as *const usize;
            }
            *d.add(5) = if d == data { HEAD } else { 0 };
            let next = *d.add(4) as *mut usize;
            if next.is_null() {
                *d.add(4) = old as usize;
                return;
            }
            d = next;
        }
    }
}

/// Free the blocks of the registration headed by `data`; returns the chain
/// that was current before it was registered.
///
/// # Safety
/// `data` heads a registration made with `register` (orig == null) whose
/// blocks nobody uses any more.
pub unsafe fn unregister(data: *mut usize) -> *mut usize {
    let mut d = data;
    // SAFETY: walks the registration's own arrays (caller's contract): they
    // end at the previous registration's head (marked) or null.
    unsafe {
        loop {
            libc::free(*d.add(2) as *mut libc::c_void);
            let next = *d.add(4) as *mut usize;
            if next.is_null() || *next.add(5) == HEAD {
                return next;
            }
            d = next;
        }
    }
}

/// The previous chain head of the registration headed by `data`, without
/// freeing anything (threads other than the one that frees).
///
/// # Safety
/// As for `unregister`, but the blocks may still be in use.
pub unsafe fn previous(data: *mut usize) -> *mut usize {
    let mut d = data;
    // SAFETY: as in `unregister`.
    unsafe {
        loop {
            let next = *d.add(4) as *mut usize;
            if next.is_null() || *next.add(5) == HEAD {
                return next;
            }
            d = next;
        }
    }
}

/// GOMP_task_reduction_remap for thread `id`: `ptrs[i]` (an original's
/// address, or an address inside some thread's private block) becomes the
/// address of thread `id`'s copy; for i < cntorig, `ptrs[cnt + i]` gets the
/// original's address. False when some pointer matches no registration.
///
/// # Safety
/// `chain` is a registered chain; `ptrs` holds `cnt + cntorig` pointers.
pub unsafe fn remap(chain: *mut usize, id: u32, cnt: usize, cntorig: usize, ptrs: *mut *mut u8) -> bool {
    for i in 0..cnt {
        // SAFETY: caller's contract on ptrs and chain; entries are read
        // within data[0] of each array.
        unsafe {
            let p = *ptrs.add(i) as usize;
            let Some((d, off, orig)) = find(chain, p) else { return false };
            *ptrs.add(i) = (*d.add(2) + id as usize * *d.add(1) + off) as *mut u8;
            if i < cntorig {
                *ptrs.add(cnt + i) = orig as *mut u8;
            }
        }
    }
    true
}

/// (array, offset, original address) of the variable `p` designates.
///
/// # Safety
/// `chain` is a registered chain.
unsafe fn find(chain: *mut usize, p: usize) -> Option<(*mut usize, usize, usize)> {
    // SAFETY: walks registered arrays; entry j of array d is d[7+3j..7+3j+3].
    unsafe {
        let mut d = chain;
        while !d.is_null() {
            for j in 0..*d {
                let e = d.add(7 + 3 * j);
                if *e == p {
                    return Some((d, *e.add(1), *e));
                }
            }
            d = *d.add(4) as *mut usize;
        }
        let mut d = chain;
        while !d.is_null() {
            if p >= *d.add(2) && p < *d.add(6) {
                let off = (p - *d.add(2)) % (*d.add(1)).max(1);
                let entries = std::slice::from_raw_parts(d.add(7), 3 * *d);
                let j = entries.chunks(3).position(|e| e[1] == off)?;
                return Some((d, off, entries[3 * j]));
            }
            d = *d.add(4) as *mut usize;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn array(vars: &[(usize, usize)], size: usize) -> Vec<usize> {
        let mut v = vec![vars.len(), size, 16, usize::MAX, 0, 0, 0];
        for &(addr, off) in vars {
            v.extend([addr, off, 0]);
        }
        v
    }

    #[test]
    fn register_share_remap_unregister() {
        let (mut x, mut y) = (0i64, 0i64);
        let (ax, ay) = (&mut x as *mut i64 as usize, &mut y as *mut i64 as usize);
        let mut a = array(&[(ax, 0), (ay, 8)], 16);
        let mut b = array(&[(ax, 0), (ay, 8)], 16);
        // SAFETY: arrays built above in GCC's layout.
        unsafe {
            register(a.as_mut_ptr(), std::ptr::null_mut(), std::ptr::null(), 3);
            register(b.as_mut_ptr(), std::ptr::null_mut(), a.as_ptr(), 3);
            assert_eq!(a[2], b[2]);
            assert_eq!(a[2] % 16, 0);
            let mut ptrs = [ay as *mut u8, std::ptr::null_mut()];
            assert!(remap(b.as_mut_ptr(), 2, 1, 1, ptrs.as_mut_ptr()));
            assert_eq!(ptrs[0] as usize, a[2] + 2 * 16 + 8);
            assert_eq!(ptrs[1] as usize, ay);
            // A private copy's address maps to another thread's copy.
            let mut again = [ptrs[0], std::ptr::null_mut()];
            assert!(remap(a.as_mut_ptr(), 0, 1, 1, again.as_mut_ptr()));
            assert_eq!(again[0] as usize, a[2] + 8);
            assert_eq!(again[1] as usize, ay);
            let mut stray = [8usize as *mut u8];
            assert!(!remap(a.as_mut_ptr(), 0, 1, 0, stray.as_mut_ptr()));
            assert!(unregister(a.as_mut_ptr()).is_null());
        }
    }

    #[test]
    fn nested_registrations_chain() {
        let mut outer = array(&[(0x1000, 0)], 8);
        let mut inner = array(&[(0x2000, 0)], 8);
        // SAFETY: arrays built above in GCC's layout.
        unsafe {
            register(outer.as_mut_ptr(), std::ptr::null_mut(), std::ptr::null(), 2);
            register(inner.as_mut_ptr(), outer.as_mut_ptr(), std::ptr::null(), 2);
            let mut ptrs = [0x1000usize as *mut u8];
            assert!(remap(inner.as_mut_ptr(), 1, 1, 0, ptrs.as_mut_ptr()));
            assert_eq!(ptrs[0] as usize, outer[2] + 8);
            assert_eq!(previous(inner.as_mut_ptr()), outer.as_mut_ptr());
            assert_eq!(unregister(inner.as_mut_ptr()), outer.as_mut_ptr());
            assert!(unregister(outer.as_mut_ptr()).is_null());
        }
    }
}
