//! Puts pyo3's libpython where `cargo test` will find it at run time.
//!
//! pyo3 links test binaries against the shared libpython of the interpreter it found at build time
//! (here pyenv's, `/root/.pyenv/versions/3.11.7/lib`), but nothing tells the runtime loader where
//! that is: pyo3 sets no rpath, and `cargo:rustc-link-arg=-Wl,-rpath,...` from a build script only
//! reaches that package's own binaries, never its dependents'. Without help the loader takes the
//! first `libpython3.11.so.1.0` in `ld.so.cache` (on this image Debian's 3.11.2, pulled in by
//! linux-perf), a different Python from the one pyo3 was configured for, without a word.
//!
//! Cargo does put library search paths that lie inside the target directory on the loader path of
//! everything it runs (`cargo test`, `cargo run`, `cargo nextest run`). So this script links
//! pyo3's libpython into `OUT_DIR` and adds that directory as a search path; the test binaries
//! then load exactly the library they were linked against. The directory is also handed to the
//! crate as `NPY_TEST_PYTHON_LIB_DIR`, so the oracle can check which Python it really got.

use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let config = pyo3_build_config::get();
    let lib_dir = match (config.lib_dir(), config.lib_name()) {
        (Some(dir), Some(name)) if config.shared() => link_into_out_dir(Path::new(dir), name),
        // A static libpython, or a platform where pyo3 resolves the library itself: nothing to do.
        _ => None,
    };
    println!(
        "cargo:rustc-env=NPY_TEST_PYTHON_LIB_DIR={}",
        lib_dir.as_deref().unwrap_or("")
    );
}

/// Symlinks every `lib{name}.so*` of `dir` into `$OUT_DIR/libpython` and makes that a link search
/// path; returns `dir` on success.
fn link_into_out_dir(dir: &Path, name: &str) -> Option<String> {
    let out = PathBuf::from(std::env::var_os("OUT_DIR")?).join("libpython");
    std::fs::create_dir_all(&out).expect("create OUT_DIR/libpython");
    let prefix = format!("lib{name}.so");
    let mut linked = false;
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        let file_name = entry.file_name();
        if !file_name.to_string_lossy().starts_with(&prefix) {
            continue;
        }
        let link = out.join(&file_name);
        let _ = std::fs::remove_file(&link);
        linked |= symlink(&entry.path(), &link);
    }
    if !linked {
        println!(
            "cargo:warning=npy-test-python: no {prefix}* in {}; tests that embed Python may load another libpython",
            dir.display()
        );
        return None;
    }
    println!("cargo:rustc-link-search=native={}", out.display());
    Some(dir.to_string_lossy().into_owned())
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) -> bool {
    std::os::unix::fs::symlink(target, link).is_ok()
}

#[cfg(not(unix))]
fn symlink(target: &Path, link: &Path) -> bool {
    std::fs::copy(target, link).is_ok()
}
