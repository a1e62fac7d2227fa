//! Task reductions as LLVM's ABI asks for them (`__kmpc_taskred_init` &
//! co., abi/kmpc/task_reduction.rs): unlike GCC's arrays (mod.rs), the
//! runtime initialises, finds and combines the private copies itself, with
//! the compiler's init / combine / fini routines.
//!
//! # Registries
//! A `Registry` belongs to one taskgroup of one thread's task: every item
//! gets one private copy per thread of the team (`stride` bytes apart,
//! cache-line multiples), all initialised at registration. A task asks for
//! its thread's copy with the registry the compiler captured (or null: the
//! calling thread's innermost one) and an address: the item's shared
//! variable or any copy of it; an item not found there is searched in the
//! enclosing registries. The end of the taskgroup combines every copy into
//! the shared variable and runs `fini` on it.
//!
//! `reduction(task, ...)` on parallel and worksharing constructs gives each
//! thread its own registry, whose shared variable is that thread's private
//! copy of the construct's reduction (the compiler combines those itself):
//! tasks find the registry their creator captured, so no team-wide one is
//! needed.
//!
//! Registries of a thread form a stack (`STACK`): a taskgroup ends on the
//! thread that opened it, and any taskgroup opened meanwhile on that thread
//! (by tasks run at its scheduling points) ended first.

use std::cell::RefCell;

pub type InitFn = unsafe extern "C" fn(*mut u8, *mut u8);
pub type OneArgFn = unsafe extern "C" fn(*mut u8);
pub type CombFn = unsafe extern "C" fn(*mut u8, *mut u8);

/// How a private copy is initialised.
#[derive(Clone, Copy)]
pub enum Init {
    /// Nothing beyond zeroing the copy.
    None,
    /// `init(copy, original)` (`__kmpc_taskred_init`).
    WithOrig(InitFn, *mut u8),
    /// `init(copy)` (the older `__kmpc_task_reduction_init`).
    Plain(OneArgFn),
}

/// One reduction item as the compiler describes it.
#[derive(Clone, Copy)]
pub struct ItemSpec {
    pub shared: *mut u8,
    pub size: usize,
    pub init: Init,
    pub fini: Option<OneArgFn>,
    pub comb: Option<CombFn>,
}

struct Item {
    spec: ItemSpec,
    copies: *mut u8,
    stride: usize,
}

pub struct Registry {
    items: Vec<Item>,
    nthreads: u32,
    /// The registry this one was registered inside (enclosing taskgroup).
    parent: *const Registry,
    /// The taskgroup it belongs to (`task::current_taskgroup`).
    group: usize,
}

crate::runtime::tls::lasting! {
    /// Boxed: handles point at registries, which must not move when the
    /// stack grows.
    #[allow(clippy::vec_box)]
    static STACK: RefCell<Vec<Box<Registry>>> = RefCell::new(Vec::new());
}

const LINE: usize = 64;

impl Registry {
    /// Private copies for `nthreads` threads, initialised.
    ///
    /// # Safety
    /// The routines and addresses of `specs` are the compiler's, valid for
    /// copies of `size` bytes.
    unsafe fn new(specs: &[ItemSpec], nthreads: u32, parent: *const Registry, group: usize) -> Registry {
        let n = nthreads.max(1) as usize;
        let items = specs
            .iter()
            .map(|&spec| {
                let stride = spec.size.max(1).next_multiple_of(LINE);
                let mut p: *mut libc::c_void = std::ptr::null_mut();
                // SAFETY: valid out-pointer, power-of-two alignment.
                if unsafe { libc::posix_memalign(&mut p, LINE, stride * n) } != 0 {
                    eprintln!("hsomp: fatal: out of memory for task reduction copies ({} bytes)", stride * n);
                    std::process::abort();
                }
                let copies = p.cast::<u8>();
                for j in 0..n {
                    // SAFETY: copy j lies inside the block; the routines are
                    // the compiler's (caller's contract).
                    unsafe {
                        let c = copies.add(j * stride);
                        std::ptr::write_bytes(c, 0, stride);
                        match spec.init {
                            Init::None => {}
                            Init::WithOrig(f, orig) => f(c, orig),
                            Init::Plain(f) => f(c),
                        }
                    }
                }
                Item { spec, copies, stride }
            })
            .collect();
        Registry { items, nthreads: n as u32, parent, group }
    }

    /// Thread `tid`'s copy of the item `addr` designates (its shared
    /// variable or one of its copies), searching enclosing registries too.
    pub fn find(&self, addr: *mut u8, tid: u32) -> Option<*mut u8> {
        let mut r: *const Registry = self;
        // SAFETY: a registry outlives the ones registered inside it (stack).
        while let Some(reg) = unsafe { r.as_ref() } {
            for it in &reg.items {
                let end = it.copies.wrapping_add(it.stride * reg.nthreads as usize);
                if addr == it.spec.shared || (addr >= it.copies && addr < end) {
                    if tid >= reg.nthreads {
                        return None;
                    }
                    return Some(it.copies.wrapping_add(tid as usize * it.stride));
                }
            }
            r = reg.parent;
        }
        None
    }

    /// Combine every copy into the shared variable, finalise the copies and
    /// free them.
    ///
    /// # Safety
    /// No task uses the copies any more.
    unsafe fn finish(self) {
        for it in self.items {
            for j in 0..self.nthreads as usize {
                // SAFETY: copy j of a live block; the compiler's routines.
                unsafe {
                    let c = it.copies.add(j * it.stride);
                    if let Some(comb) = it.spec.comb {
                        comb(it.spec.shared, c);
                    }
                    if let Some(fini) = it.spec.fini {
                        fini(c);
                    }
                }
            }
            // SAFETY: allocated by posix_memalign in `new`.
            unsafe { libc::free(it.copies.cast()) };
        }
    }
}

/// Register `specs` for the taskgroup `group` of the calling thread's task
/// (a team of `nthreads`); returns the registry (the compiler's handle).
///
/// # Safety
/// As for `Registry::new`.
pub unsafe fn register(specs: &[ItemSpec], nthreads: u32, group: usize) -> *const Registry {
    STACK.with(|s| {
        let mut s = s.borrow_mut();
        let parent = s.last().map_or(std::ptr::null(), |r| &**r as *const Registry);
        // SAFETY: caller's contract.
        let r = Box::new(unsafe { Registry::new(specs, nthreads, parent, group) });
        let p = &*r as *const Registry;
        s.push(r);
        p
    })
}

/// The calling thread's innermost registry (null: none).
pub fn innermost() -> *const Registry {
    STACK.with(|s| s.borrow().last().map_or(std::ptr::null(), |r| &**r as *const Registry))
}

/// The taskgroup `group` ended (its tasks are complete): finish the
/// registry registered for it, if any.
pub fn group_ended(group: usize) {
    let r = STACK.with(|s| {
        let mut s = s.borrow_mut();
        if s.last().is_some_and(|r| r.group == group) {
            s.pop()
        } else {
            None
        }
    });
    if let Some(r) = r {
        // SAFETY: the taskgroup's tasks, the only users of the copies, are
        // complete; the routines may run user code, outside the borrow.
        unsafe { r.finish() };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    unsafe extern "C" fn init_one(p: *mut u8, _orig: *mut u8) {
        // SAFETY: the copies in these tests are i64s.
        unsafe { *(p as *mut i64) = 1 };
    }

    unsafe extern "C" fn add(a: *mut u8, b: *mut u8) {
        // SAFETY: as above.
        unsafe { *(a as *mut i64) += *(b as *mut i64) };
    }

    fn spec(x: &mut i64) -> ItemSpec {
        ItemSpec {
            shared: x as *mut i64 as *mut u8,
            size: 8,
            init: Init::WithOrig(init_one, std::ptr::null_mut()),
            fini: None,
            comb: Some(add),
        }
    }

    #[test]
    fn copies_found_and_combined() {
        let (mut x, mut y) = (10i64, 0i64);
        let px = &mut x as *mut i64 as *mut u8;
        let py = &mut y as *mut i64 as *mut u8;
        // SAFETY: i64 items with matching routines.
        let outer = unsafe { register(&[spec(&mut x)], 3, 1) };
        // SAFETY: as above.
        let inner = unsafe { register(&[spec(&mut y)], 3, 2) };
        assert_eq!(innermost(), inner);
        // SAFETY: registries stay alive until their group ends below.
        let (o, i) = unsafe { (&*outer, &*inner) };
        let c2 = i.find(px, 2).expect("found through the enclosing registry");
        assert_eq!(o.find(px, 2), Some(c2));
        // Any copy designates the item, too.
        assert_eq!(i.find(c2, 0), o.find(px, 0));
        assert_eq!(i.find(py, 5), None);
        assert_eq!(i.find(8 as *mut u8, 0), None);
        // SAFETY: c2 is thread 2's i64 copy of x.
        unsafe { *(c2 as *mut i64) += 5 };
        group_ended(1); // not the innermost: nothing happens
        assert_eq!(x, 10);
        group_ended(2);
        assert_eq!(y, 3);
        group_ended(1);
        assert_eq!(x, 10 + 3 + 5);
        assert!(innermost().is_null());
    }
}
