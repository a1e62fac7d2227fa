//! `target` regions with no offload device, as GCC's runtime behaves
//! without one: the host is the only (the initial) device, numbered 0 =
//! omp_get_num_devices(); a target region runs on the encountering thread
//! as the initial task of a new contention group, with host addresses.
//! OMP_TARGET_OFFLOAD=mandatory makes naming a missing device fatal.
//! abi/target.rs has the entry points; here:
//! - this file: device numbers, GCC's target argument array, running a
//!   region on the host;
//! - firstprivate.rs: private copies of by-reference firstprivate data;
//! - memcpy_rect.rs: omp_target_memcpy_rect's sub-volume copy.

mod firstprivate;
mod memcpy_rect;

pub use firstprivate::{privatize_firstprivate, FirstprivateCopies};
pub use memcpy_rect::copy_rect;

use std::ffi::{c_int, c_void};

use super::env::TargetOffload;
use super::globals;
use super::team::{with_state, Outlined};

/// The host's device number: with no offload devices the host is device 0
/// of 0 devices (GCC's runtime numbers the initial device as the number of
/// devices).
pub const INITIAL_DEVICE: c_int = 0;

/// GCC's device number for "the default-device-var ICV".
const DEVICE_ICV: c_int = -1;
/// GOMP_TARGET_ARG_* (gomp-constants.h): the encoding of `args`.
const ARG_DEVICE_MASK: isize = (1 << 7) - 1;
const ARG_SUBSEQUENT_PARAM: isize = 1 << 7;
const ARG_ID_MASK: isize = ((1 << 8) - 1) << 8;
const ARG_THREAD_LIMIT: isize = 2 << 8;
const ARG_VALUE_SHIFT: u32 = 16;

/// Whether device `num` is the host. A non-negative number of a device that
/// does not exist is fatal under OMP_TARGET_OFFLOAD=mandatory.
pub fn is_host(num: c_int) -> bool {
    if num == INITIAL_DEVICE {
        return true;
    }
    if num > 0 && globals().env.target_offload == TargetOffload::Mandatory {
        eprintln!("\nhsomp: OMP_TARGET_OFFLOAD is set to MANDATORY, but device not found");
        std::process::exit(1);
    }
    false
}

/// The thread_limit clause of a target region, from GCC's `args` array.
///
/// # Safety
/// `args` is NULL or GCC's NULL-terminated target argument array.
pub unsafe fn thread_limit_arg(mut args: *const *mut c_void) -> Option<u32> {
    if args.is_null() {
        return None;
    }
    // SAFETY: NULL-terminated array; a SUBSEQUENT_PARAM entry is followed by
    // its value (caller contract).
    unsafe {
        while !(*args).is_null() {
            let id = *args as isize;
            args = args.add(1);
            let value = if id & ARG_SUBSEQUENT_PARAM != 0 {
                let v = *args as isize;
                args = args.add(1);
                v
            } else {
                id >> ARG_VALUE_SHIFT
            };
            if id & ARG_DEVICE_MASK == 0 && id & ARG_ID_MASK == ARG_THREAD_LIMIT {
                return (value > 0).then(|| value.min(i32::MAX as isize) as u32);
            }
        }
    }
    None
}

/// Run a target region's body on the host.
///
/// # Safety
/// `func` is GCC's outlined target body, `hostaddrs` its argument block.
pub unsafe fn run_on_host(device: c_int, func: Outlined, hostaddrs: *mut *mut c_void, thread_limit: Option<u32>) {
    let device = if device == DEVICE_ICV { with_state(|ts| ts.cur().icv.default_device) } else { device };
    is_host(device);
    with_state(|ts| {
        ts.as_initial_task(
            |t| {
                if let Some(n) = thread_limit {
                    t.icv.thread_limit = n;
                }
            },
            // SAFETY: caller contract.
            || unsafe { func(hostaddrs.cast()) },
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arg(id: isize) -> *mut c_void {
        id as *mut c_void
    }

    #[test]
    fn thread_limit_from_gcc_args() {
        // SAFETY: NULL is allowed.
        assert_eq!(unsafe { thread_limit_arg(std::ptr::null()) }, None);
        // The value in the high bits of the same word.
        let inline = [arg(ARG_THREAD_LIMIT | (6 << ARG_VALUE_SHIFT)), std::ptr::null_mut()];
        // SAFETY: a NULL-terminated array.
        assert_eq!(unsafe { thread_limit_arg(inline.as_ptr()) }, Some(6));
        // The value in the next word; a device-specific entry is skipped.
        let next = [arg(ARG_THREAD_LIMIT | 1), arg(3), arg(ARG_THREAD_LIMIT | ARG_SUBSEQUENT_PARAM), arg(9), std::ptr::null_mut()];
        // SAFETY: as above.
        assert_eq!(unsafe { thread_limit_arg(next.as_ptr()) }, Some(9));
        let none = [arg(ARG_THREAD_LIMIT), std::ptr::null_mut()];
        // SAFETY: as above.
        assert_eq!(unsafe { thread_limit_arg(none.as_ptr()) }, None);
    }
}
