//! Test-only helper of `npy-serde`: its build script makes test binaries that embed Python through
//! pyo3 load the libpython pyo3 was built for (see `build.rs` for why and how).

/// The directory of the shared libpython pyo3 linked against, or `None` when the build script
/// had nothing to do (a static libpython, or no such file found).
pub const LIB_DIR: Option<&str> = match env!("NPY_TEST_PYTHON_LIB_DIR").as_bytes() {
    [] => None,
    _ => Some(env!("NPY_TEST_PYTHON_LIB_DIR")),
};
