//! Links the cdylib and the test binaries against the shared threaded GHC RTS
//! (with rpath), so `LD_PRELOAD=libhsomp.so` works in programs with no
//! Haskell in them. The staticlib carries no link directives: a Haskell host
//! brings its own RTS, a C host uses pkg-config (see the Makefile).

fn main() {
    let args = std::env::var("DEP_HSRTS_LINK_ARGS").expect("rts-shim exports its link arguments");
    for arg in args.split(' ').filter(|a| !a.is_empty()) {
        println!("cargo:rustc-link-arg={arg}");
    }
    println!("cargo:rerun-if-env-changed=DEP_HSRTS_LINK_ARGS");
}
