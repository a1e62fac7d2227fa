//! Memory allocators (OpenMP 5.1 §2.13): the predefined ones and those made
//! by omp_init_allocator, with GCC 12's runtime behaviour on a host with no
//! special memories: every memory space is ordinary heap memory (the
//! high-bandwidth space is refused, as GCC's runtime does without libmemkind;
//! pinned memory too).
//!
//! # Layout of a block
//! `malloc` returns `base`; the caller gets `user`, the first address past a
//! `Header` aligned as asked; the header just below `user` records `base`,
//! the amount charged to the allocator's pool and the allocator, so omp_free
//! and omp_realloc need no allocator argument.
//!
//! # Pools
//! An allocator with a pool_size counts what it has handed out in an atomic
//! (`used`, charged with the header and alignment slack); a request that
//! would exceed the pool fails and the fallback trait decides: the default
//! allocator, NULL, the fb_data allocator, or ending the program.

use std::sync::atomic::{AtomicUsize, Ordering};

/// `omp_allocator_handle_t` values (GCC's omp.h): 0 is omp_null_allocator,
/// 1..=8 the predefined allocators; others are `Box<Allocator>` pointers.
pub type Handle = usize;
pub const NULL_ALLOCATOR: Handle = 0;
pub const DEFAULT_MEM_ALLOC: Handle = 1;
const LAST_PREDEFINED: Handle = 8;

/// The names of the predefined allocators, in handle order from 1.
pub const PREDEFINED_NAMES: [&str; 8] = [
    "omp_default_mem_alloc",
    "omp_large_cap_mem_alloc",
    "omp_const_mem_alloc",
    "omp_high_bw_mem_alloc",
    "omp_low_lat_mem_alloc",
    "omp_cgroup_mem_alloc",
    "omp_pteam_mem_alloc",
    "omp_thread_mem_alloc",
];

/// `omp_memspace_handle_t`: default, large_cap, const, high_bw, low_lat.
const HIGH_BW_MEM_SPACE: usize = 3;
const LAST_MEM_SPACE: usize = 4;

/// `omp_alloctrait_key_t`.
mod key {
    pub const SYNC_HINT: usize = 1;
    pub const ALIGNMENT: usize = 2;
    pub const ACCESS: usize = 3;
    pub const POOL_SIZE: usize = 4;
    pub const FALLBACK: usize = 5;
    pub const FB_DATA: usize = 6;
    pub const PINNED: usize = 7;
    pub const PARTITION: usize = 8;
}

/// `omp_alloctrait_value_t`.
mod atv {
    pub const DEFAULT: usize = usize::MAX;
    pub const FALSE: usize = 0;
    pub const CONTENDED: usize = 3;
    pub const PRIVATE: usize = 6;
    pub const ALL: usize = 7;
    pub const CGROUP: usize = 10;
    pub const DEFAULT_MEM_FB: usize = 11;
    pub const NULL_FB: usize = 12;
    pub const ABORT_FB: usize = 13;
    pub const ALLOCATOR_FB: usize = 14;
    pub const ENVIRONMENT: usize = 15;
    pub const INTERLEAVED: usize = 18;
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fallback {
    DefaultMem,
    Null,
    Abort,
    Allocator(Handle),
}

/// An allocator made by omp_init_allocator.
#[derive(Debug)]
pub struct Allocator {
    alignment: usize,
    pool_size: usize,
    used: AtomicUsize,
    fallback: Fallback,
}

#[repr(C)]
struct Header {
    base: *mut u8,
    charged: usize,
    allocator: Handle,
}

const HEADER: usize = std::mem::size_of::<Header>();

/// Build an allocator from `(key, value)` traits; None for an unsupported
/// memory space or an invalid trait (the caller returns omp_null_allocator).
pub fn init_allocator(memspace: usize, traits: &[(usize, usize)]) -> Option<Handle> {
    if memspace > LAST_MEM_SPACE || memspace == HIGH_BW_MEM_SPACE {
        return None;
    }
    let mut a = Allocator { alignment: 1, pool_size: usize::MAX, used: AtomicUsize::new(0), fallback: Fallback::DefaultMem };
    let mut fb_kind = atv::DEFAULT_MEM_FB;
    let mut fb_data = NULL_ALLOCATOR;
    for &(k, v) in traits {
        let valid = match k {
            key::SYNC_HINT => v == atv::DEFAULT || (atv::CONTENDED..=atv::PRIVATE).contains(&v),
            key::ALIGNMENT => {
                a.alignment = if v == atv::DEFAULT { 1 } else { v };
                v == atv::DEFAULT || v.is_power_of_two()
            }
            key::ACCESS => v == atv::DEFAULT || (atv::ALL..=atv::CGROUP).contains(&v),
            key::POOL_SIZE => {
                a.pool_size = v;
                true
            }
            key::FALLBACK => {
                fb_kind = if v == atv::DEFAULT { atv::DEFAULT_MEM_FB } else { v };
                (atv::DEFAULT_MEM_FB..=atv::ALLOCATOR_FB).contains(&fb_kind)
            }
            key::FB_DATA => {
                fb_data = v;
                true
            }
            // Pinned memory is not supported (as in GCC 12's runtime).
            key::PINNED => v == atv::DEFAULT || v == atv::FALSE,
            key::PARTITION => v == atv::DEFAULT || (atv::ENVIRONMENT..=atv::INTERLEAVED).contains(&v),
            _ => false,
        };
        if !valid {
            return None;
        }
    }
    a.fallback = match fb_kind {
        atv::NULL_FB => Fallback::Null,
        atv::ABORT_FB => Fallback::Abort,
        atv::ALLOCATOR_FB => Fallback::Allocator(fb_data),
        _ => Fallback::DefaultMem,
    };
    Some(Box::into_raw(Box::new(a)) as Handle)
}

fn custom<'a>(h: Handle) -> Option<&'a Allocator> {
    // SAFETY: handles above the predefined range come from init_allocator
    // (Box::into_raw) and stay valid until omp_destroy_allocator, which the
    // program must not call while the allocator is in use.
    (h > LAST_PREDEFINED).then(|| unsafe { &*(h as *const Allocator) })
}

/// # Safety
/// `h` is omp_null_allocator, predefined, or a live handle of init_allocator
/// no longer used by the program.
pub unsafe fn destroy_allocator(h: Handle) {
    if h > LAST_PREDEFINED {
        // SAFETY: caller contract; the handle came from Box::into_raw.
        drop(unsafe { Box::from_raw(h as *mut Allocator) });
    }
}

/// Allocate `size` bytes aligned to `align` (and the allocator's alignment)
/// from `h` (omp_null_allocator: the calling task's default allocator),
/// following the fallback chain on failure. None only after a NULL fallback.
pub fn alloc(align: usize, size: usize, h: Handle, default: Handle) -> Option<*mut u8> {
    let mut h = if h == NULL_ALLOCATOR { default } else { h };
    loop {
        let a = custom(h);
        let align = align.max(a.map_or(1, |a| a.alignment)).max(std::mem::align_of::<Header>());
        let charge = size.checked_add(HEADER + align - 1);
        if let Some(charge) = charge {
            if a.is_none_or(|a| reserve(a, charge)) {
                // SAFETY: malloc has no preconditions.
                let base = unsafe { libc::malloc(charge) }.cast::<u8>();
                if !base.is_null() {
                    let user = (base as usize + HEADER).next_multiple_of(align) as *mut u8;
                    // SAFETY: user - HEADER .. user + size lies inside the
                    // `charge` bytes at base, and is aligned for Header.
                    unsafe { user.cast::<Header>().sub(1).write(Header { base, charged: charge, allocator: h }) };
                    return Some(user);
                }
                if let Some(a) = a {
                    a.used.fetch_sub(charge, Ordering::Relaxed);
                }
            }
        }
        match a.map_or(Fallback::Null, |a| a.fallback) {
            Fallback::DefaultMem => h = DEFAULT_MEM_ALLOC,
            Fallback::Allocator(next) => h = next,
            Fallback::Null => return None,
            Fallback::Abort => {
                eprintln!("\nhsomp: Out of memory allocating {size} bytes");
                std::process::exit(1);
            }
        }
    }
}

fn reserve(a: &Allocator, charge: usize) -> bool {
    a.used
        .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |used| {
            used.checked_add(charge).filter(|&total| total <= a.pool_size)
        })
        .is_ok()
}

/// # Safety
/// `user` is NULL or a live block of `alloc`.
pub unsafe fn free(user: *mut u8) {
    if user.is_null() {
        return;
    }
    // SAFETY: a live block of `alloc` has its header just below it.
    let h = unsafe { user.cast::<Header>().sub(1).read() };
    if let Some(a) = custom(h.allocator) {
        a.used.fetch_sub(h.charged, Ordering::Relaxed);
    }
    // SAFETY: base came from malloc in `alloc`.
    unsafe { libc::free(h.base.cast()) };
}

/// omp_realloc: a block of `size` (> 0) bytes from `h` (as in `alloc`)
/// holding the old contents; the old block is freed only on success. A
/// block that stays in its pool does not compete with itself: its charge
/// is released before the new block is charged, and taken back on failure
/// (a 3071-byte block of a 4096-byte pool grows to 3072 bytes).
///
/// # Safety
/// `user` is a live block of `alloc`.
pub unsafe fn realloc(user: *mut u8, size: usize, h: Handle, default: Handle) -> Option<*mut u8> {
    // SAFETY: a live block of `alloc` has its header just below it.
    let old = unsafe { user.cast::<Header>().sub(1).read() };
    let target = if h == NULL_ALLOCATOR { default } else { h };
    let same_pool = custom(old.allocator).filter(|_| old.allocator == target);
    if let Some(a) = same_pool {
        a.used.fetch_sub(old.charged, Ordering::Relaxed);
    }
    let Some(new) = alloc(1, size, h, default) else {
        if let Some(a) = same_pool {
            a.used.fetch_add(old.charged, Ordering::Relaxed);
        }
        return None;
    };
    // SAFETY: both blocks are live and distinct; the copy stays inside both
    // (the old block's usable size, the new block's `size`).
    unsafe {
        let keep = usable_size(user).min(size);
        std::ptr::copy_nonoverlapping(user, new, keep);
    }
    match same_pool {
        // SAFETY: base came from malloc in `alloc`; its charge is gone.
        Some(_) => unsafe { libc::free(old.base.cast()) },
        // SAFETY: `user` is live (caller contract) and now unused.
        None => unsafe { free(user) },
    }
    Some(new)
}

/// The usable size of a live block (what realloc must preserve at most).
///
/// # Safety
/// `user` is a live block of `alloc`.
unsafe fn usable_size(user: *mut u8) -> usize {
    // SAFETY: caller contract, as in `free`.
    let h = unsafe { user.cast::<Header>().sub(1).read() };
    h.charged - (user as usize - h.base as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traits_are_validated() {
        assert!(init_allocator(0, &[(key::ALIGNMENT, 3)]).is_none());
        assert!(init_allocator(0, &[(key::PINNED, 1)]).is_none(), "pinned: omp_atv_true");
        assert!(init_allocator(HIGH_BW_MEM_SPACE, &[]).is_none());
        assert!(init_allocator(0, &[(99, 1)]).is_none());
        let h = init_allocator(4, &[(key::ALIGNMENT, 64), (key::ACCESS, 9)]).expect("valid traits");
        // SAFETY: a fresh handle, unused.
        unsafe { destroy_allocator(h) };
    }

    #[test]
    fn alignment_pool_and_fallbacks() {
        let pool = init_allocator(0, &[(key::POOL_SIZE, 1024), (key::FALLBACK, atv::NULL_FB), (key::ALIGNMENT, 128)])
            .expect("valid traits");
        let a = alloc(1, 512, pool, DEFAULT_MEM_ALLOC).expect("fits the pool");
        assert_eq!(a as usize % 128, 0);
        assert!(alloc(1, 512, pool, DEFAULT_MEM_ALLOC).is_none(), "the pool is exhausted");
        let chained = init_allocator(0, &[(key::POOL_SIZE, 10), (key::FALLBACK, atv::ALLOCATOR_FB), (key::FB_DATA, pool)])
            .expect("valid traits");
        assert!(alloc(1, 100, chained, DEFAULT_MEM_ALLOC).is_some_and(|p| (p as usize).is_multiple_of(128)));
        let big = alloc(4096, 10, DEFAULT_MEM_ALLOC, DEFAULT_MEM_ALLOC).expect("heap");
        assert_eq!(big as usize % 4096, 0);
        // SAFETY: live blocks of `alloc`, then unused handles.
        unsafe {
            assert!(usable_size(big) >= 10);
            free(a);
            free(big);
            assert!(alloc(1, 512, pool, DEFAULT_MEM_ALLOC).is_some(), "freed memory returns to the pool");
            destroy_allocator(chained);
        }
    }
}
