//! Per-thread values that stay reachable from exit handlers.
//!
//! glibc runs a thread's thread-local destructors when the thread ends and,
//! for the thread that calls `exit()` (or returns from `main`), before the
//! atexit handlers and C++ static destructors. Programs use OpenMP there
//! (GCC's runtime allows it, parallel regions included), but by then a
//! `thread_local!` whose type has a destructor is gone and its `with` panics.
//!
//! Every per-thread value of the runtime is declared with [`lasting!`]
//! instead: a [`Lasting`] whose `with` reaches the thread's value while it
//! lives and, once it was destroyed, a spare value made on first use and
//! never freed. The spare's address lives in a thread-local without a
//! destructor, which is never torn down. Only the ending thread can reach its
//! spare, so a spare is an ordinary per-thread value, fresh (see
//! `team::ThreadState` for what the thread's state carries over to it).
//! Leaking it is right: the thread (or the whole process) is ending and
//! whatever it still runs may use it until the very end.
//!
//! Values without a destructor would survive as plain `thread_local!`s,
//! but every per-thread value goes through `lasting!` all the same, so that
//! the rule is simple to check: the test `only_lasting_per_thread_values`
//! fails on a `thread_local!` anywhere else in the crate.

use std::cell::Cell;
use std::thread::LocalKey;

/// A thread-local value that outlives its thread's TLS destructors (module
/// comment). Made by [`lasting!`].
pub struct Lasting<T: 'static> {
    value: &'static LocalKey<T>,
    spare: &'static LocalKey<Cell<*const T>>,
    make: fn() -> T,
}

impl<T: 'static> Lasting<T> {
    /// Used by [`lasting!`]: `spare` must be a thread-local without a
    /// destructor, initially null, used by this `Lasting` only.
    pub const fn new(value: &'static LocalKey<T>, spare: &'static LocalKey<Cell<*const T>>, make: fn() -> T) -> Self {
        Lasting { value, spare, make }
    }

    /// Run `f` with the calling thread's value: the live one, or after the
    /// thread's TLS destructors ran, its spare.
    #[inline]
    pub fn with<R>(&'static self, f: impl FnOnce(&T) -> R) -> R {
        let mut f = Some(f);
        match self.value.try_with(|v| f.take().expect("try_with runs its closure at most once")(v)) {
            Ok(r) => r,
            Err(_) => f.take().expect("a refused try_with leaves the closure unrun")(self.spare()),
        }
    }

    #[cold]
    fn spare(&'static self) -> &'static T {
        self.spare.with(|cell| {
            if cell.get().is_null() {
                cell.set(Box::into_raw(Box::new((self.make)())));
            }
            // SAFETY: set above from Box::into_raw and never freed; the cell
            // is this thread's, so only this thread reaches the value (and a
            // `&T` of a !Sync T cannot leave it).
            unsafe { &*cell.get() }
        })
    }
}

/// `thread_local!` for the runtime: the same declarations (one or more
/// `static NAME: Type = init;`, attributes and doc comments allowed), but
/// each `NAME` is a [`Lasting`], still used as `NAME.with(|v| ...)`, that
/// exit handlers can use after the thread's TLS destructors ran.
macro_rules! lasting {
    ($($(#[$attr:meta])* $vis:vis static $name:ident: $t:ty = $init:expr;)+) => {$(
        $(#[$attr])*
        $vis static $name: $crate::runtime::tls::Lasting<$t> = {
            ::std::thread_local! {
                static VALUE: $t = $init;
                static SPARE: ::std::cell::Cell<*const $t> =
                    const { ::std::cell::Cell::new(::std::ptr::null()) };
            }
            fn make() -> $t {
                $init
            }
            $crate::runtime::tls::Lasting::new(&VALUE, &SPARE, make)
        };
    )+};
}
pub(crate) use lasting;

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::mpsc;

    static MADE: AtomicUsize = AtomicUsize::new(0);
    static DROPPED: AtomicUsize = AtomicUsize::new(0);

    /// Counts its constructions and destructions.
    struct Probe(u64);
    impl Probe {
        fn new() -> Probe {
            MADE.fetch_add(1, Ordering::Relaxed);
            Probe(7)
        }
    }
    impl Drop for Probe {
        fn drop(&mut self) {
            DROPPED.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Uses the other values from its destructor, which runs among the
    /// thread's TLS destructors.
    struct UsesOthersWhenDropped(mpsc::Sender<(u64, usize)>);
    impl Drop for UsesOthersWhenDropped {
        fn drop(&mut self) {
            let v = A.with(|p| p.0);
            LOG.with(|l| l.borrow_mut().push(v));
            let n = LOG.with(|l| l.borrow().len());
            let _ = self.0.send((v, n));
        }
    }

    lasting! {
        static LATE: RefCell<Option<UsesOthersWhenDropped>> = RefCell::new(None);
        static A: Probe = Probe::new();
        static LOG: RefCell<Vec<u64>> = RefCell::new(Vec::new());
    }

    /// The rule of the module comment: no `thread_local!` outside this file.
    #[test]
    fn only_lasting_per_thread_values() {
        fn scan(dir: &std::path::Path, found: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).expect("source directory") {
                let path = entry.expect("directory entry").path();
                if path.is_dir() {
                    scan(&path, found);
                } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("runtime/tls.rs") {
                    let text = std::fs::read_to_string(&path).expect("source file");
                    for (i, line) in text.lines().enumerate() {
                        let code = line.split("//").next().unwrap_or("");
                        if code.contains("thread_local!") {
                            found.push(format!("{}:{}: {}", path.display(), i + 1, line.trim()));
                        }
                    }
                }
            }
        }
        let mut found = Vec::new();
        scan(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut found);
        assert!(found.is_empty(), "use runtime::tls::lasting! instead of thread_local!:\n{}", found.join("\n"));
    }

    #[test]
    fn values_stay_usable_after_tls_destruction() {
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            // Destructors run in reverse order of first use: A and LOG,
            // used after LATE, are gone when LATE's value is dropped.
            LATE.with(|l| *l.borrow_mut() = Some(UsesOthersWhenDropped(tx)));
            A.with(|p| assert_eq!(p.0, 7));
            LOG.with(|l| l.borrow_mut().push(1));
        })
        .join()
        .unwrap();
        let (v, n) = rx.recv().unwrap();
        assert_eq!(DROPPED.load(Ordering::Relaxed), 1, "the live value was destroyed, the spare never is");
        assert_eq!(MADE.load(Ordering::Relaxed), 2, "the live value, then one spare");
        assert_eq!(v, 7, "the spare is a working value");
        assert_eq!(n, 1, "the spare is fresh: the destroyed log is not revived");
    }
}
