//! Test-only: the Python interpreter with NumPy that tests ask for NumPy's verdicts.
//!
//! Tests never skip when NumPy is missing: they fail and say how to set it up.

use std::path::PathBuf;

/// How to get a Python with NumPy, for failure messages.
pub const SETUP_HINT: &str = "run `python3 -m venv .venv && .venv/bin/pip install numpy==2.4.6` \
     at the repository root, or set NPY_PYTHON to a Python (3.11) that has NumPy";

/// The Python named by `NPY_PYTHON`, else the repository's `.venv/bin/python`.
///
/// # Panics
/// When the one chosen does not exist, with [`SETUP_HINT`].
pub fn python() -> PathBuf {
    if let Some(python) = std::env::var_os("NPY_PYTHON") {
        let python = PathBuf::from(python);
        assert!(
            python.exists(),
            "NPY_PYTHON={} does not exist; {SETUP_HINT}",
            python.display()
        );
        return python;
    }
    // This crate sits at <repository>/crates/npy-test-numpy.
    let venv = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../.venv/bin/python"
    ));
    assert!(
        venv.exists(),
        "this test needs NumPy and found neither NPY_PYTHON nor {}; {SETUP_HINT}",
        venv.display()
    );
    venv
}
