//! Checks against a live NumPy: the fixtures are what NumPy writes today, and NumPy loads what
//! we write (deflated, streamed, aligned) as the arrays we meant. The Python is `NPY_PYTHON`,
//! else the repository's `.venv` (see the README); without either these tests fail and say how
//! to set one up.

mod common;

use std::io::Cursor;

use common::{data, mixed_arrays, run_python};
use npy_npz::{Compression, NpzWriter};

#[test]
fn fixtures_are_what_numpy_writes() {
    let out = run_python(
        "import runpy, sys; sys.argv = [sys.argv[1], '--check']; runpy.run_path(sys.argv[0], run_name='__main__')",
        &[data("make_fixtures.py").as_os_str()],
    );
    assert!(out.contains("up to date"), "{out}");
}

/// Loads the archive and compares every member with make_fixtures.py's arrays: same keys in
/// the same order, dtype, shape, memory order and values.
const LOAD_MIXED: &str = r#"
import sys, os
sys.path.insert(0, sys.argv[2])
import numpy as np
from make_fixtures import mixed_arrays
named, positional = mixed_arrays()
expected = dict(named)
expected.update({f"arr_{i}": a for i, a in enumerate(positional)})
with np.load(sys.argv[1]) as z:
    assert z.files == list(expected), z.files
    for key, want in expected.items():
        got = z[key]
        assert got.dtype == want.dtype and got.shape == want.shape, (key, got.dtype, got.shape)
        assert got.flags.f_contiguous == want.flags.f_contiguous, key
        assert np.array_equal(got, want), key
print("ok")
"#;

#[test]
fn numpy_loads_what_we_write() {
    let dir = tempfile::tempdir().unwrap();
    let (named, unnamed) = mixed_arrays();
    let cases: [(&str, Compression, bool, Option<u16>); 5] = [
        ("stored.npz", Compression::Stored, false, None),
        ("deflated.npz", Compression::deflated(), false, None),
        ("level1.npz", Compression::Deflated(1), false, None),
        ("streamed.npz", Compression::deflated(), true, None),
        ("aligned.npz", Compression::Stored, false, Some(64)),
    ];
    for (name, compression, streaming, alignment) in cases {
        let bytes = {
            macro_rules! fill {
                ($writer:expr) => {{
                    let mut writer = $writer.with_compression(compression);
                    if let Some(a) = alignment {
                        writer = writer.with_alignment(a).unwrap();
                    }
                    for (key, array) in &named {
                        writer.add_array(key, array).unwrap();
                    }
                    for array in &unnamed {
                        writer.add_unnamed_array(array).unwrap();
                    }
                    writer.finish().unwrap()
                }};
            }
            if streaming {
                fill!(NpzWriter::new_streaming(Vec::new()))
            } else {
                fill!(NpzWriter::new(Cursor::new(Vec::new()))).into_inner()
            }
        };
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let out = run_python(LOAD_MIXED, &[path.as_os_str(), data("").as_os_str()]);
        assert_eq!(out.trim(), "ok", "{name}");
    }
}

/// A member over 4 MiB is deflated as independent blocks on several cores; NumPy's zipfile
/// inflates the result as one stream.
#[test]
fn numpy_loads_block_deflated_members() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.npz");
    let values: Vec<i64> = (0..(1i64 << 20) + 3).map(|i| (i * 7) % 1001).collect();
    let mut writer = NpzWriter::create(&path)
        .unwrap()
        .with_compression(Compression::deflated());
    writer
        .add(
            "big",
            &npy_core::Array::from_vec(vec![values.len() as u64], values).unwrap(),
        )
        .unwrap();
    writer.finish().unwrap();
    let out = run_python(
        "import sys, numpy as np\n\
         with np.load(sys.argv[1]) as z:\n\
         \x20   big = z['big']\n\
         want = (np.arange((1 << 20) + 3, dtype='<i8') * 7) % 1001\n\
         assert big.dtype == want.dtype and np.array_equal(big, want)\n\
         print('ok')",
        &[path.as_os_str()],
    );
    assert_eq!(out.trim(), "ok");
}

/// More than 65,535 members need the zip64 end records; ours are np.savez's bytes, and read
/// back (the central directory is found through the zip64 locator).
#[test]
fn zip64_end_records_match_numpy() {
    const MEMBERS: usize = 65_537;
    let dir = tempfile::tempdir().unwrap();
    let theirs = dir.path().join("numpy.npz");
    run_python(
        "import sys, numpy as np\n\
         np.savez(sys.argv[1], **{f'a{i}': np.zeros(0, np.uint8) for i in range(65537)})",
        &[theirs.as_os_str()],
    );
    let empty = npy_core::Array::from_vec(vec![0], Vec::<u8>::new()).unwrap();
    let mut writer = NpzWriter::new(Cursor::new(Vec::new()));
    for i in 0..MEMBERS {
        writer.add(&format!("a{i}"), &empty).unwrap();
    }
    let ours = writer.finish().unwrap().into_inner();
    assert!(
        ours == std::fs::read(&theirs).unwrap(),
        "differs from np.savez's bytes"
    );
    let mut archive = npy_npz::NpzReader::new(Cursor::new(ours)).unwrap();
    assert_eq!(archive.len(), MEMBERS);
    assert_eq!(archive.read_typed::<u8>("a65536").unwrap(), empty);
}
