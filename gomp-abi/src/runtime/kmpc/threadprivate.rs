//! `threadprivate` variables when clang does not use thread-local storage
//! for them (`-fno-openmp-use-tls`, or C++ objects with constructors):
//! clang then asks for the calling thread's copy at every use
//! (`__kmpc_threadprivate_cached`) and registers constructors once
//! (`__kmpc_threadprivate_register(_vec)`).
//!
//! The process's initial thread uses the original variable; every other
//! thread gets its own copy on first use, made by the registered
//! constructor, else the copy constructor from the original, else a copy of
//! the original's bytes as they were when the first thread asked for the
//! variable (its initial value, as the specification wants, not whatever the
//! initial thread has written since: the initial thread, too, takes that
//! image on its first request, before it can write through the address it
//! gets back). `copyin` is the compiler's own copy
//! from the master's copy. A thread's copies are destroyed (registered
//! destructor) and freed when the thread ends. The `cache` argument is
//! libomp's private per-variable array; hsomp keeps its own map per thread
//! and never touches it.

use std::alloc::Layout;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::ffi::c_void;
use std::sync::Mutex;

use crate::runtime::tls;

pub type Ctor = unsafe extern "C" fn(*mut c_void) -> *mut c_void;
pub type Cctor = unsafe extern "C" fn(*mut c_void, *mut c_void) -> *mut c_void;
pub type Dtor = unsafe extern "C" fn(*mut c_void);
pub type CtorVec = unsafe extern "C" fn(*mut c_void, usize) -> *mut c_void;
pub type CctorVec = unsafe extern "C" fn(*mut c_void, *mut c_void, usize) -> *mut c_void;
pub type DtorVec = unsafe extern "C" fn(*mut c_void, usize);

/// How copies of one variable are made and destroyed.
#[derive(Clone, Copy, Default)]
pub enum Init {
    /// Bytes of the original's initial value.
    #[default]
    Bytes,
    Object { ctor: Option<Ctor>, cctor: Option<Cctor>, dtor: Option<Dtor> },
    Array { ctor: Option<CtorVec>, cctor: Option<CctorVec>, dtor: Option<DtorVec>, len: usize },
}

#[derive(Default)]
struct Variable {
    init: Init,
    /// The original's bytes when first asked for (Init::Bytes).
    image: Option<Box<[u8]>>,
}

/// Every threadprivate variable, by the original's address.
static VARIABLES: Mutex<Option<HashMap<usize, Variable>>> = Mutex::new(None);

fn with_variables<R>(f: impl FnOnce(&mut HashMap<usize, Variable>) -> R) -> R {
    let mut guard = VARIABLES.lock().unwrap_or_else(|e| e.into_inner());
    f(guard.get_or_insert_with(HashMap::new))
}

/// `__kmpc_threadprivate_register(_vec)`.
pub fn register(data: *mut c_void, init: Init) {
    with_variables(|v| v.entry(data as usize).or_default().init = init);
}

/// One thread's copies: (original address, copy, size, how to destroy it).
struct Copies(HashMap<usize, (*mut u8, usize, Init)>);

impl Drop for Copies {
    fn drop(&mut self) {
        for (_, (copy, size, init)) in self.0.drain() {
            // SAFETY: the copy was made by `make_copy` with this size and
            // init; the thread that owned it is ending.
            unsafe {
                match init {
                    Init::Object { dtor: Some(d), .. } => d(copy.cast()),
                    Init::Array { dtor: Some(d), len, .. } => d(copy.cast(), len),
                    _ => {}
                }
                std::alloc::dealloc(copy, layout(size));
            }
        }
    }
}

tls::lasting! {
    static COPIES: RefCell<Copies> = RefCell::new(Copies(HashMap::new()));
    /// The variables the initial thread has asked for (their image is taken).
    static ORIGINALS_SEEN: RefCell<HashSet<usize>> = RefCell::new(HashSet::new());
}

fn layout(size: usize) -> Layout {
    Layout::from_size_align(size.max(1), 64).expect("a threadprivate variable's size fits a layout")
}

/// Whether the calling thread is the process's initial thread.
fn initial_thread() -> bool {
    // SAFETY: neither call has preconditions.
    unsafe { libc::gettid() == libc::getpid() }
}

/// The calling thread's copy of the variable at `data` (`size` bytes).
///
/// # Safety
/// `data` is a threadprivate variable of `size` bytes (clang's arguments).
pub unsafe fn copy_of(data: *mut c_void, size: usize) -> *mut c_void {
    let key = data as usize;
    if initial_thread() {
        if ORIGINALS_SEEN.with(|s| s.borrow_mut().insert(key)) {
            with_variables(|vars| {
                // SAFETY: caller's contract.
                unsafe { take_image(vars, data, size) };
            });
        }
        return data;
    }
    if let Some(&(copy, _, _)) = COPIES.with(|c| c.borrow().0.get(&key).copied()).as_ref() {
        return copy.cast();
    }
    // SAFETY: caller's contract.
    let (copy, init) = unsafe { make_copy(data, size) };
    COPIES.with(|c| c.borrow_mut().0.insert(key, (copy, size, init)));
    copy.cast()
}

/// The variable at `data`, with the image of its initial value taken if
/// copies are made from bytes and nobody took it yet.
///
/// # Safety
/// As for `copy_of`; the caller holds `VARIABLES` (passes its map).
unsafe fn take_image(vars: &mut HashMap<usize, Variable>, data: *mut c_void, size: usize) -> &mut Variable {
    let var = vars.entry(data as usize).or_default();
    if matches!(var.init, Init::Bytes) && var.image.is_none() {
        // SAFETY: the original has `size` readable bytes; nobody writes them
        // before this first request returns (module comment).
        var.image = Some(unsafe { std::slice::from_raw_parts(data as *const u8, size) }.into());
    }
    var
}

/// # Safety
/// As for `copy_of`.
unsafe fn make_copy(data: *mut c_void, size: usize) -> (*mut u8, Init) {
    // SAFETY: a non-zero-sized layout.
    let copy = unsafe { std::alloc::alloc_zeroed(layout(size)) };
    if copy.is_null() {
        std::alloc::handle_alloc_error(layout(size));
    }
    let init = with_variables(|vars| {
        // SAFETY: caller's contract.
        let var = unsafe { take_image(vars, data, size) };
        if let (Init::Bytes, Some(image)) = (var.init, &var.image) {
            // SAFETY: `copy` has `size` bytes, the image as many.
            unsafe { std::ptr::copy_nonoverlapping(image.as_ptr(), copy, size.min(image.len())) };
        }
        var.init
    });
    // SAFETY: clang's constructors for this variable, on fresh storage of
    // its size (and the original, for a copy constructor).
    unsafe {
        match init {
            Init::Object { ctor: Some(c), .. } => {
                c(copy.cast());
            }
            Init::Object { cctor: Some(c), .. } => {
                c(copy.cast(), data);
            }
            Init::Array { ctor: Some(c), len, .. } => {
                c(copy.cast(), len);
            }
            Init::Array { cctor: Some(c), len, .. } => {
                c(copy.cast(), data, len);
            }
            _ => {}
        }
    }
    (copy, init)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Copies start from the original's value when it was first asked
    /// for, are per thread, and stay put; constructors replace the bytes.
    #[test]
    fn copies_are_per_thread_and_start_from_the_initial_value() {
        static mut ORIGINAL: [u8; 8] = [1, 2, 3, 4, 5, 6, 7, 8];
        let data = std::ptr::addr_of_mut!(ORIGINAL) as usize;
        let take = move || {
            // SAFETY: an 8-byte variable that lives for the program.
            let a = unsafe { copy_of(data as *mut c_void, 8) } as usize;
            // SAFETY: as above; the same thread asks again.
            let b = unsafe { copy_of(data as *mut c_void, 8) } as usize;
            assert_eq!(a, b, "one copy per thread");
            // SAFETY: the copy has 8 bytes and belongs to this thread.
            let bytes = unsafe { *(a as *const [u8; 8]) };
            (a, bytes)
        };
        let (first, bytes) = std::thread::spawn(take).join().unwrap();
        assert_ne!(first, data);
        assert_eq!(bytes, [1, 2, 3, 4, 5, 6, 7, 8]);
        // SAFETY: no other thread touches the original now.
        unsafe { (*std::ptr::addr_of_mut!(ORIGINAL))[0] = 99 };
        let (_, later) = std::thread::spawn(take).join().unwrap();
        assert_eq!(later[0], 1, "a later thread's copy starts from the initial value");

        static mut OBJECT: u64 = 0;
        unsafe extern "C" fn ctor(p: *mut c_void) -> *mut c_void {
            // SAFETY: the runtime passes fresh storage of the variable's size.
            unsafe { *(p as *mut u64) = 7 };
            p
        }
        let obj = std::ptr::addr_of_mut!(OBJECT) as usize;
        register(obj as *mut c_void, Init::Object { ctor: Some(ctor), cctor: None, dtor: None });
        let value = std::thread::spawn(move || {
            // SAFETY: an 8-byte variable that lives for the program.
            unsafe { *(copy_of(obj as *mut c_void, 8) as *const u64) }
        })
        .join()
        .unwrap();
        assert_eq!(value, 7);
    }
}
