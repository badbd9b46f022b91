//! Checks against a live NumPy: the fixtures are what NumPy writes today, and NumPy loads every
//! converted file as the same array. The Python is `NPY_PYTHON`, else the repository's `.venv`
//! (see the README); without either these tests fail and say how to set one up.

mod common;

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::Command;

use common::{data, npy, python};

fn run_python(python: &PathBuf, args: &[OsString]) {
    let output = Command::new(python)
        .args(args)
        .output()
        .expect("python runs");
    assert!(
        output.status.success(),
        "python {args:?} failed:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn fixtures_are_what_numpy_writes() {
    let python = python();
    run_python(
        &python,
        &[data("make_fixtures.py").into(), "--check".into()],
    );
}

/// Loads IN and OUT and asserts the same shape, field names and values (bitwise, after bringing
/// both to little-endian C order); `order` is "C", "F" or "" (not checked).
const SAME_ARRAY: &str = r#"
import sys
import numpy as np
a, b = np.load(sys.argv[1]), np.load(sys.argv[2])
order = sys.argv[3]
assert a.shape == b.shape, (a.shape, b.shape)
assert a.dtype.names == b.dtype.names, (a.dtype, b.dtype)
def canonical(x):
    return np.ascontiguousarray(x).astype(x.dtype.newbyteorder("<")).tobytes()
assert canonical(a) == canonical(b), (a, b)
if order == "F":
    assert b.flags.f_contiguous and not b.flags.c_contiguous, b.flags
if order == "C":
    assert b.flags.c_contiguous, b.flags
"#;

#[test]
fn numpy_loads_every_conversion_as_the_same_array() {
    let python = python();
    let dir = tempfile::tempdir().expect("tempdir");
    let cases: &[(&str, &[&str], &str)] = &[
        ("record_be_aligned.npy", &["--endian", "little"], ""),
        (
            "record_nested.npy",
            &["--endian", "big", "--version", "2"],
            "",
        ),
        ("f8.npy", &["--endian", "big"], ""),
        ("c8_be.npy", &["--endian", "native"], ""),
        ("m8ns.npy", &["--endian", "big"], ""),
        ("unicode_be.npy", &["--endian", "little"], ""),
        ("u1_3d_fortran.npy", &["--order", "C"], "C"),
        ("i4_2d.npy", &["--order", "F", "--endian", "big"], "F"),
        ("records.npy", &["--version", "3"], ""),
        ("v3_unicode_field.npy", &[], ""),
        ("scalar0d.npy", &["--order", "F"], ""),
    ];
    for (i, (fixture, flags, order)) in cases.iter().enumerate() {
        let out = dir.path().join(format!("{i}.npy"));
        let mut args: Vec<OsString> =
            vec!["convert".into(), data(fixture).into(), out.clone().into()];
        args.extend(flags.iter().map(OsString::from));
        let run = npy(args);
        assert_eq!(run.code, 0, "{fixture} {flags:?}: {}", run.stderr);
        run_python(
            &python,
            &[
                "-c".into(),
                SAME_ARRAY.into(),
                data(fixture).into(),
                out.into(),
                (*order).into(),
            ],
        );
    }
}
