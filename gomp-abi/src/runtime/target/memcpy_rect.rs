//! omp_target_memcpy_rect on the host: a `dims`-dimensional sub-volume
//! copied between two row-major arrays, one dimension at a time.

/// Copy a `dims`-dimensional sub-volume between two row-major arrays.
///
/// # Safety
/// `volume`, the offsets and the dimensions point to `dims` values
/// describing sub-volumes inside `dst` and `src`.
// The arguments are omp_target_memcpy_rect's own, minus the device numbers.
#[allow(clippy::too_many_arguments)]
pub unsafe fn copy_rect(
    dst: *mut u8,
    src: *const u8,
    elem: usize,
    dims: usize,
    volume: *const usize,
    dst_off: *const usize,
    src_off: *const usize,
    dst_dims: *const usize,
    src_dims: *const usize,
) -> Option<()> {
    // SAFETY: each array holds `dims` values (caller contract).
    let at = |p: *const usize, i: usize| unsafe { *p.add(i) };
    if dims == 1 {
        let len = elem.checked_mul(at(volume, 0))?;
        let d = elem.checked_mul(at(dst_off, 0))?;
        let s = elem.checked_mul(at(src_off, 0))?;
        // SAFETY: the row lies inside both arrays (caller contract).
        unsafe { std::ptr::copy(src.add(s), dst.add(d), len) };
        return Some(());
    }
    let slice = |dimensions: *const usize| (1..dims).try_fold(elem, |acc, i| acc.checked_mul(at(dimensions, i)));
    let (dst_slice, src_slice) = (slice(dst_dims)?, slice(src_dims)?);
    for j in 0..at(volume, 0) {
        let d = dst_slice.checked_mul(at(dst_off, 0) + j)?;
        let s = src_slice.checked_mul(at(src_off, 0) + j)?;
        // SAFETY: the next dimension's arrays follow in the same buffers.
        unsafe {
            copy_rect(
                dst.add(d),
                src.add(s),
                elem,
                dims - 1,
                volume.add(1),
                dst_off.add(1),
                src_off.add(1),
                dst_dims.add(1),
                src_dims.add(1),
            )?
        };
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_a_2d_sub_block() {
        // src 3x4, dst 2x5: copy the 2x2 block at src (1,1) to dst (0,2).
        let src: Vec<u8> = (0..12).collect();
        let mut dst = vec![0u8; 10];
        let volume = [2, 2];
        let (dst_off, src_off) = ([0, 2], [1, 1]);
        let (dst_dims, src_dims) = ([2, 5], [3, 4]);
        // SAFETY: every array holds 2 values; the blocks lie inside.
        let r = unsafe {
            copy_rect(
                dst.as_mut_ptr(),
                src.as_ptr(),
                1,
                2,
                volume.as_ptr(),
                dst_off.as_ptr(),
                src_off.as_ptr(),
                dst_dims.as_ptr(),
                src_dims.as_ptr(),
            )
        };
        assert_eq!(r, Some(()));
        assert_eq!(dst, vec![0, 0, 5, 6, 0, 0, 0, 9, 10, 0]);
    }
}
