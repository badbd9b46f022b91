//! Shared helpers: fixture paths, the arrays `tests/data/make_fixtures.py` saves, and NumPy.

#![allow(dead_code, reason = "each test file uses a different subset")]

use std::path::PathBuf;
use std::process::Command;

use npy_core::{Array, ByteOrder, NpyArray};

/// The path of a fixture written by NumPy (`tests/data/make_fixtures.py`).
pub fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("data")
        .join(name)
}

/// The bytes of a fixture.
pub fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(data(name)).unwrap_or_else(|e| panic!("reading fixture {name}: {e}"))
}

/// An [`NpyArray`] from a typed one.
pub fn dynamic<T: npy_core::Element>(array: &Array<T>) -> NpyArray {
    NpyArray::new(array.header(), T::as_bytes(array.data()).to_vec()).unwrap()
}

/// `make_fixtures.py`'s `mixed_arrays()`: keyword arrays in order, then positional ones.
pub fn mixed_arrays() -> (Vec<(&'static str, NpyArray)>, Vec<NpyArray>) {
    let b = Array::from_vec(vec![3], vec![true, false, true]).unwrap();
    let a = Array::from_vec(vec![4], vec![0u16, 1, 2, 3]).unwrap();
    let weights =
        Array::from_vec(vec![2, 3], (0..6).map(|i| f64::from(i) / 4.0).collect()).unwrap();
    let first = Array::from_vec(vec![3], vec![1i32, -2, 3]).unwrap();
    let second = dynamic(&Array::from_vec(vec![3, 2], (0..6i64).collect()).unwrap())
        .to_byte_order(ByteOrder::Big)
        .unwrap();
    // np.asfortranarray(np.arange(6).reshape(2, 3)): memory lists the first axis fastest.
    let third = Array::from_vec_fortran(vec![2, 3], vec![0.0f32, 3.0, 1.0, 4.0, 2.0, 5.0]).unwrap();
    (
        vec![
            ("b", dynamic(&b)),
            ("a", dynamic(&a)),
            ("weights", dynamic(&weights)),
        ],
        vec![dynamic(&first), second, dynamic(&third)],
    )
}

/// `make_fixtures.py`'s `ints`: `np.arange(1 << 17, dtype="<i8") % 1000`.
pub fn ints() -> NpyArray {
    dynamic(&Array::from_vec(vec![1 << 17], (0..1i64 << 17).map(|i| i % 1000).collect()).unwrap())
}

// Not every test binary that includes this module asks NumPy.
#[allow(unused_imports)]
pub use npy_test_support::python;

/// Runs `python -c script args...`, asserting success, and returns its standard output.
pub fn run_python(script: &str, args: &[&std::ffi::OsStr]) -> String {
    let output = Command::new(python())
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .expect("python runs");
    assert!(
        output.status.success(),
        "python failed:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 output")
}
