//! Finds the GHC installation, compiles the C shim against its RTS headers,
//! generates Rust bindings for the shim's own header, and tells dependents
//! where the shared threaded RTS lives.
//!
//! GHC is found by `HSOMP_GHC_LIBDIR` (the directory `ghc --print-libdir`
//! prints), else by running `$HSOMP_GHC --print-libdir` (default `ghc`).

use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

fn ghc_output(ghc: &str, flag: &str) -> String {
    let out = Command::new(ghc)
        .arg(flag)
        .output()
        .unwrap_or_else(|e| panic!("rts-shim: cannot run `{ghc} {flag}` ({e}); install GHC or set HSOMP_GHC_LIBDIR"));
    assert!(out.status.success(), "rts-shim: `{ghc} {flag}` failed");
    String::from_utf8(out.stdout).expect("ghc output is UTF-8").trim().to_owned()
}

/// The one directory under `libdir` whose name starts with `prefix-` followed by a version.
fn package_dir(libdir: &Path, prefix: &str) -> PathBuf {
    let mut found: Vec<PathBuf> = std::fs::read_dir(libdir)
        .expect("GHC libdir is readable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_prefix(prefix))
                .and_then(|rest| rest.strip_prefix('-'))
                .is_some_and(|v| v.starts_with(|c: char| c.is_ascii_digit()))
        })
        .collect();
    found.sort();
    found.pop().unwrap_or_else(|| panic!("rts-shim: no {prefix}-* package in {}", libdir.display()))
}

fn main() {
    println!("cargo:rerun-if-env-changed=HSOMP_GHC_LIBDIR");
    println!("cargo:rerun-if-env-changed=HSOMP_GHC");
    println!("cargo:rerun-if-changed=csrc/shim.c");
    println!("cargo:rerun-if-changed=csrc/offsets.c");
    println!("cargo:rerun-if-changed=csrc/yield.c");
    println!("cargo:rerun-if-changed=csrc/internal.h");
    println!("cargo:rerun-if-changed=csrc/shim.h");

    let ghc = env::var("HSOMP_GHC").unwrap_or_else(|_| "ghc".into());
    let libdir = PathBuf::from(env::var("HSOMP_GHC_LIBDIR").unwrap_or_else(|_| ghc_output(&ghc, "--print-libdir")));
    let version = env::var("HSOMP_GHC_VERSION").unwrap_or_else(|_| ghc_output(&ghc, "--numeric-version"));
    let include = libdir.join("include");
    let rts_dir = libdir.join("rts");

    cc::Build::new()
        .file("csrc/shim.c")
        .file("csrc/offsets.c")
        .file("csrc/yield.c")
        .include("csrc")
        .include(&include)
        .define("THREADED_RTS", None)
        .pic(true)
        .flag_if_supported("-Wno-unused-parameter")
        .compile("hsomp_rts_shim");

    let bindings = bindgen::Builder::default()
        .header("csrc/shim.h")
        .allowlist_function("hsomp_rts_.*")
        .parse_callbacks(Box::new(bindgen::CargoCallbacks::new()))
        .generate()
        .expect("rts-shim: bindgen failed (is libclang-dev installed?)");
    let out = PathBuf::from(env::var("OUT_DIR").unwrap());
    bindings.write_to_file(out.join("bindings.rs")).expect("write bindings");

    // The shared threaded RTS and the Haskell libraries it calls into. A
    // Haskell host links its own RTS and ignores these (they only matter for
    // the cdylib and for Rust test binaries).
    let suffix = format!("ghc{version}");
    let mut dirs = vec![rts_dir.clone()];
    let mut libs = vec![format!("HSrts_thr-{suffix}")];
    for pkg in ["base", "ghc-prim", "ghc-bignum"] {
        let dir = package_dir(&libdir, pkg);
        let name = dir.file_name().unwrap().to_str().unwrap().to_owned();
        libs.push(format!("HS{name}-{suffix}"));
        dirs.push(dir);
    }
    // The RTS calls into base without the linker seeing it (its .so has no
    // DT_NEEDED on base), so the libraries are linked with --no-as-needed.
    let joined = |v: &[PathBuf]| v.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(":");
    let search: Vec<String> = dirs.iter().map(|d| format!("-L{}", d.display())).collect();
    let link_args = format!(
        "{} -Wl,--push-state,--no-as-needed {} -Wl,--pop-state -Wl,-rpath,{}",
        search.join(" "),
        libs.iter().map(|l| format!("-l{l}")).collect::<Vec<_>>().join(" "),
        joined(&dirs)
    );
    // This crate's own test binary runs against the shared RTS; dependents
    // re-emit DEP_HSRTS_LINK_ARGS for their cdylib and test binaries.
    for arg in link_args.split(' ') {
        println!("cargo:rustc-link-arg={arg}");
    }
    println!("cargo:link_args={link_args}");
    println!("cargo:libdir={}", libdir.display());
    println!("cargo:rpath={}", joined(&dirs));
    println!("cargo:ghc_version={version}");
}
