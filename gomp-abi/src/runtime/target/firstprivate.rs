//! Host fallback of target regions: by-reference firstprivate data.
//!
//! GCC passes a `firstprivate` variable of a target region that it cannot
//! pass by value (a struct, an array, a global) as a map entry of kind
//! GOMP_MAP_FIRSTPRIVATE: `hostaddrs[i]` is the host object's address,
//! `sizes[i]` its size, and the kind's high byte the log2 of its alignment.
//! The region reads and writes the object through `hostaddrs[i]`, so running
//! it on the host with the host addresses would make its writes visible
//! outside. Before the region runs, every such object is copied into a
//! private block (each copy at its own alignment) and its `hostaddrs` entry
//! pointed at the copy; the block lives until the region ends. The copy is
//! taken when the construct is encountered, before any wait for its
//! dependences, so it holds the values of that moment.

/// GOMP_MAP_FIRSTPRIVATE (gomp-constants.h): the low byte of a map kind.
const MAP_FIRSTPRIVATE: u16 = 12;
const MAP_KIND_MASK: u16 = 0xff;

/// Private copies of a target region's firstprivate objects; keep it alive
/// while the region runs.
pub struct FirstprivateCopies {
    _block: Vec<u8>,
}

/// Alignment of map entry `kind` (a power of two).
fn align_of(kind: u16) -> usize {
    let shift = u32::from(kind >> 8);
    1usize.checked_shl(shift).filter(|a| *a <= 1 << 20).unwrap_or_else(|| {
        eprintln!("hsomp: fatal: target firstprivate alignment 2^{shift} is not supported");
        std::process::abort()
    })
}

/// Copy every GOMP_MAP_FIRSTPRIVATE object into a private block and point
/// its `hostaddrs` entry at the copy. None when the region has none.
///
/// # Safety
/// `hostaddrs`, `sizes` and `kinds` hold `mapnum` entries as GCC passes
/// them to GOMP_target_ext; each firstprivate entry's address is NULL or
/// points to `sizes[i]` readable bytes.
pub unsafe fn privatize_firstprivate(
    mapnum: usize,
    hostaddrs: *mut *mut u8,
    sizes: *const usize,
    kinds: *const u16,
) -> Option<FirstprivateCopies> {
    if mapnum == 0 || hostaddrs.is_null() || sizes.is_null() || kinds.is_null() {
        return None;
    }
    // SAFETY: mapnum entries each (caller's contract).
    let (addrs, sizes, kinds) = unsafe {
        (
            std::slice::from_raw_parts_mut(hostaddrs, mapnum),
            std::slice::from_raw_parts(sizes, mapnum),
            std::slice::from_raw_parts(kinds, mapnum),
        )
    };
    let wanted = |kind: u16, addr: *mut u8| kind & MAP_KIND_MASK == MAP_FIRSTPRIVATE && !addr.is_null();
    let (mut max_align, mut total) = (0usize, 0usize);
    for i in (0..mapnum).filter(|&i| wanted(kinds[i], addrs[i])) {
        let align = align_of(kinds[i]);
        max_align = max_align.max(align);
        total = total.next_multiple_of(align) + sizes[i];
    }
    if max_align == 0 {
        return None;
    }
    let mut block = vec![0u8; total + max_align - 1];
    let base = block.as_mut_ptr();
    let mut offset = base.align_offset(max_align);
    for i in 0..mapnum {
        if !wanted(kinds[i], addrs[i]) {
            continue;
        }
        offset = offset.next_multiple_of(align_of(kinds[i]));
        // SAFETY: offset + sizes[i] stays inside the block (sized above with
        // the same layout, plus the slack of the first alignment); the
        // source holds sizes[i] bytes and cannot overlap a fresh block.
        unsafe {
            let copy = base.add(offset);
            std::ptr::copy_nonoverlapping(addrs[i], copy, sizes[i]);
            addrs[i] = copy;
        }
        offset += sizes[i];
    }
    Some(FirstprivateCopies { _block: block })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_are_private_and_aligned() {
        let mut a = [1u64, 2, 3];
        let mut c = 7u8;
        let mut d = [9u32; 5];
        let pa = a.as_mut_ptr().cast::<u8>();
        let mut addrs = [pa, &mut c as *mut u8, d.as_mut_ptr().cast::<u8>(), std::ptr::null_mut()];
        let sizes = [24usize, 1, 20, 8];
        // firstprivate (align 8), firstprivate (align 1), a plain map (to),
        // a NULL firstprivate.
        let kinds = [MAP_FIRSTPRIVATE | 3 << 8, MAP_FIRSTPRIVATE, 1 | 2 << 8, MAP_FIRSTPRIVATE | 3 << 8];
        // SAFETY: arrays of 4 entries; the addresses point to their sizes.
        let keep = unsafe { privatize_firstprivate(4, addrs.as_mut_ptr(), sizes.as_ptr(), kinds.as_ptr()) };
        assert!(keep.is_some());
        assert_ne!(addrs[0], pa);
        assert_eq!(addrs[0] as usize % 8, 0);
        assert_ne!(addrs[1], &mut c as *mut u8);
        assert_eq!(addrs[2], d.as_mut_ptr().cast::<u8>(), "a plain map keeps the host address");
        assert!(addrs[3].is_null());
        // SAFETY: the copies live in `keep`.
        unsafe {
            assert_eq!(*addrs[0].cast::<u64>().add(2), 3);
            *addrs[0].cast::<u64>() = 99;
            assert_eq!(*addrs[1], 7);
        }
        assert_eq!(a[0], 1, "the host object is untouched");
        drop(keep);
    }

    #[test]
    fn nothing_to_copy() {
        let mut x = 5i32;
        let mut addrs = [&mut x as *mut i32 as *mut u8];
        // SAFETY: one entry of a plain map kind.
        let keep = unsafe { privatize_firstprivate(1, addrs.as_mut_ptr(), [4usize].as_ptr(), [3u16].as_ptr()) };
        assert!(keep.is_none());
    }
}
