//! `npy convert`: canonical output equals NumPy's bytes; byte order, memory order and version
//! conversions produce the files NumPy writes for those layouts.

mod common;

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use common::{data, good_fixtures, npy, ok};

fn convert(input: &Path, output: &Path, flags: &[&str]) -> common::Run {
    let mut args: Vec<OsString> = vec!["convert".into(), input.into(), output.into()];
    args.extend(flags.iter().map(OsString::from));
    npy(args)
}

fn converted(fixture: &str, flags: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out.npy");
    let run = convert(&data(fixture), &out, flags);
    assert_eq!(run.code, 0, "{fixture} {flags:?}: {}", run.stderr);
    assert_eq!((run.stdout.as_str(), run.stderr.as_str()), ("", ""));
    (dir, out)
}

fn bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).expect("readable")
}

#[test]
fn no_options_reproduces_numpy_bytes() {
    for fixture in good_fixtures() {
        // v2.npy was written with an explicit version=(2, 0); np.save would pick 1.0.
        if fixture == "v2.npy" {
            continue;
        }
        let (_dir, out) = converted(&fixture, &[]);
        assert!(bytes(&out) == bytes(&data(&fixture)), "{fixture} differs");
    }
}

#[test]
fn endian_swaps_to_what_numpy_writes() {
    let (_dir, out) = converted("f8.npy", &["--endian", "big"]);
    assert_eq!(bytes(&out), bytes(&data("f8_be.npy")));
    let (_dir, out) = converted("f8_be.npy", &["--endian", "little"]);
    assert_eq!(bytes(&out), bytes(&data("f8.npy")));
    let (_dir, out) = converted("f8_be.npy", &["--endian", "native"]);
    let native = if cfg!(target_endian = "little") {
        "f8.npy"
    } else {
        "f8_be.npy"
    };
    assert_eq!(bytes(&out), bytes(&data(native)));
    // Records: every field swaps, values stay.
    let (_dir, out) = converted("record_be_aligned.npy", &["--endian", "little"]);
    let info = npy([OsString::from("info"), "--json".into(), out.clone().into()]);
    assert!(info.stdout.contains("('a', '<i2')"), "{}", info.stdout);
    let dumped = npy([OsString::from("dump"), out.into()]);
    assert_eq!(dumped.stdout, "[0] (-2, 2.5, [[1, 2], [3, 4]])\n");
}

#[test]
fn order_rearranges_to_what_numpy_writes() {
    let (_dir, out) = converted("i4_2d.npy", &["--order", "F"]);
    assert_eq!(bytes(&out), bytes(&data("i4_2d_fortran.npy")));
    let (_dir, out) = converted("i4_2d_fortran.npy", &["--order", "C"]);
    assert_eq!(bytes(&out), bytes(&data("i4_2d.npy")));
    let (_dir, out) = converted("u1_3d_fortran.npy", &["--order", "c"]);
    let dumped = npy([OsString::from("dump"), out.into()]);
    assert_eq!(dumped.stdout, ok(&["dump"], "u1_3d_fortran.npy"));
}

#[test]
fn version_rewrites_the_header() {
    // v2.npy is np.lib.format.write_array(f, np.array([1, 2, 3], '<i2'), version=(2, 0)).
    let (dir, v1) = converted("v2.npy", &["--version", "1"]);
    assert_eq!(&bytes(&v1)[..8], b"\x93NUMPY\x01\x00");
    let v2 = dir.path().join("v2.npy");
    let run = convert(&v1, &v2, &["--version", "2"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(bytes(&v2), bytes(&data("v2.npy")));
    let (_dir, v3) = converted("f8.npy", &["--version", "3"]);
    let dumped = npy([OsString::from("dump"), v3.into()]);
    assert_eq!(dumped.stdout, ok(&["dump"], "f8.npy"));
}

#[test]
fn impossible_conversions_fail_cleanly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out.npy");
    let run = convert(&data("v3_unicode_field.npy"), &out, &["--version", "1"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.starts_with("npy: "), "{}", run.stderr);
    assert!(run.stderr.contains("latin-1"), "{}", run.stderr);
    assert!(!out.exists(), "no partial output");

    for fixture in ["object.npy", "truncated.npy", "bad_magic.npy"] {
        let run = convert(&data(fixture), &out, &[]);
        assert_eq!(run.code, 1, "{fixture}");
        assert!(run.stderr.contains(fixture), "{}", run.stderr);
        assert!(!out.exists(), "no partial output");
    }

    let run = convert(
        &data("f8.npy"),
        &dir.path().join("no/such/dir/out.npy"),
        &[],
    );
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("no/such/dir/out.npy"), "{}", run.stderr);

    assert_eq!(
        convert(&data("f8.npy"), &out, &["--endian", "middle"]).code,
        2
    );
    assert_eq!(convert(&data("f8.npy"), &out, &["--version", "4"]).code, 2);
}

#[test]
fn output_may_replace_the_input() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("a.npy");
    std::fs::copy(data("f8_be.npy"), &path).expect("copy");
    let run = convert(&path, &path, &["--endian", "little"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(bytes(&path), bytes(&data("f8.npy")));
}

#[cfg(unix)]
#[test]
fn output_gets_ordinary_file_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, out) = converted("f8.npy", &[]);
    let plain = dir.path().join("plain");
    std::fs::write(&plain, b"").expect("write");
    let mode = |p: &Path| std::fs::metadata(p).expect("metadata").permissions().mode() & 0o777;
    assert_eq!(mode(&out), mode(&plain));
}
