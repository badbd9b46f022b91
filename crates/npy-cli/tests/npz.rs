//! `.npz` archives: `npy ls`, `npy extract`, and `ARCHIVE.npz:NAME` members in info, validate,
//! dump and convert. The archives are npy-npz's NumPy-written fixtures
//! (crates/npy-npz/tests/data, made by its make_fixtures.py).

mod common;

use std::ffi::OsString;
use std::io::Cursor;
use std::path::PathBuf;

use common::{npy, text_values};
use npy_npz::{NpzReader, NpzWriter};

fn archive(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../npy-npz/tests/data")
        .join(name)
}

/// `ARCHIVE:NAME` as one argument.
fn member(archive_name: &str, name: &str) -> OsString {
    let mut arg = archive(archive_name).into_os_string();
    arg.push(":");
    arg.push(name);
    arg
}

fn args(parts: &[&dyn AsRef<std::ffi::OsStr>]) -> Vec<OsString> {
    parts.iter().map(|p| p.as_ref().to_os_string()).collect()
}

#[test]
fn ls_lists_members_with_dtype_and_shape() {
    let run = npy(args(&[&"ls", &archive("mixed.npz")]));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "name         descr  shape     method  size\n\
         b.npy        '|b1'  (3,)      stored   131\n\
         a.npy        '<u2'  (4,)      stored   136\n\
         weights.npy  '<f8'  (2, 3)    stored   176\n\
         arr_0.npy    '<i4'  (3,)      stored   140\n\
         arr_1.npy    '>i8'  (3, 2)    stored   176\n\
         arr_2.npy    '<f4'  (2, 3) F  stored   152\n"
    );
}

#[test]
fn ls_marks_members_that_are_not_npy() {
    let run = npy(args(&[&"ls", &archive("non_npy.npz")]));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("meta.txt    -      (not .npy data)  stored     5\n"),
        "{}",
        run.stdout
    );

    let run = npy(args(&[&"ls", &"--json", &archive("non_npy.npz")]));
    let listing: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(listing[0]["key"], "values");
    assert_eq!(listing[0]["shape"], serde_json::json!([3]));
    assert_eq!(listing[1]["name"], "meta.txt");
    assert_eq!(listing[1]["npy"], false);
    assert_eq!(listing[1]["descr"], serde_json::Value::Null);
}

#[test]
fn ls_of_a_broken_archive_fails() {
    let run = npy(args(&[&"ls", &archive("truncated.npz")]));
    assert_eq!(run.code, 1);
    assert!(run.stderr.starts_with("npy: "), "{}", run.stderr);
    assert!(
        run.stderr.contains("File is not a zip file"),
        "{}",
        run.stderr
    );
}

#[test]
fn members_work_where_files_do() {
    let run = npy(args(&[
        &"info",
        &"--json",
        &member("mixed_compressed.npz", "weights"),
    ]));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let info: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(info["descr"], "'<f8'");
    assert_eq!(info["shape"], serde_json::json!([2, 3]));
    assert_eq!(info["data"], "complete");

    let run = npy(args(&[&"dump", &member("mixed.npz", "arr_1.npy")]));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(text_values(&run.stdout), ["0", "1", "2", "3", "4", "5"]);

    // 'dup' is the member literally named so, not dup.npy.
    let run = npy(args(&[&"dump", &member("dup.npz", "dup")]));
    assert_eq!(text_values(&run.stdout), ["9.5"]);
    let run = npy(args(&[&"dump", &member("names.npz", "a/b")]));
    assert_eq!(text_values(&run.stdout), ["0", "1"]);
}

#[test]
fn a_whole_archive_is_not_an_npy_file() {
    let run = npy(args(&[&"info", &archive("mixed.npz")]));
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("is an .npz archive: name a member as ARCHIVE:NAME"),
        "{}",
        run.stderr
    );
    let run = npy(args(&[&"info", &member("mixed.npz", "nope")]));
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("nope is not a file in the archive"),
        "{}",
        run.stderr
    );
}

#[test]
fn validate_checks_every_member_and_its_crc() {
    let run = npy(args(&[
        &"validate",
        &"-v",
        &archive("non_npy.npz"),
        &archive("mixed_compressed.npz"),
    ]));
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("non_npy.npz:meta.txt: ok (not .npy data)\n"),
        "{}",
        run.stdout
    );
    assert_eq!(run.stdout.lines().count(), 8);

    for name in ["corrupt_crc_stored.npz", "corrupt_crc_deflated.npz"] {
        let run = npy(args(&[&"validate", &archive(name)]));
        assert_eq!(run.code, 1);
        assert!(
            run.stdout.ends_with("x.npy: Bad CRC-32 for file 'x.npy'\n"),
            "{}",
            run.stdout
        );
        let run = npy(args(&[&"validate", &member(name, "x")]));
        assert_eq!(run.code, 1);
        assert!(
            run.stdout.contains("Bad CRC-32 for file 'x.npy'"),
            "{}",
            run.stdout
        );
        let run = npy(args(&[&"dump", &member(name, "x")]));
        assert_eq!(run.code, 1);
        assert!(
            run.stderr.contains("Bad CRC-32 for file 'x.npy'"),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn convert_reads_a_member() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("w.npy");
    let run = npy(args(&[
        &"convert",
        &member("mixed_compressed.npz", "weights"),
        &out,
    ]));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let expected = NpzReader::open(archive("mixed.npz"))
        .unwrap()
        .read_bytes("weights")
        .unwrap();
    assert_eq!(std::fs::read(&out).unwrap(), expected);
}

#[test]
fn extract_writes_each_member_as_stored() {
    let dir = tempfile::tempdir().unwrap();
    let run = npy(args(&[
        &"extract",
        &archive("names.npz"),
        &"-o",
        &dir.path(),
    ]));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut reader = NpzReader::open(archive("names.npz")).unwrap();
    for name in ["a/b.npy", "c.npy.npy", "été.npy"] {
        let written = std::fs::read(dir.path().join(name)).unwrap();
        assert_eq!(written, reader.read_bytes(name).unwrap(), "{name}");
        assert!(run.stdout.contains(name), "{}", run.stdout);
    }

    // One member, by np.load's name; a non-npy member comes out as its bytes.
    let run = npy(args(&[
        &"extract",
        &archive("non_npy.npz"),
        &"meta.txt",
        &"-o",
        &dir.path(),
    ]));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        std::fs::read(dir.path().join("meta.txt")).unwrap(),
        b"hello"
    );
    let run = npy(args(&[
        &"extract",
        &archive("mixed_compressed.npz"),
        &"weights",
        &"-o",
        &dir.path(),
    ]));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(dir.path().join("weights.npy").exists());
}

#[test]
fn extract_refuses_names_that_escape() {
    for evil in ["../evil.txt", "/tmp/evil.txt", "a/../../evil.txt"] {
        let dir = tempfile::tempdir().unwrap();
        let inner = dir.path().join("out");
        let mut writer = NpzWriter::new(Cursor::new(Vec::new()));
        writer.add_file("fine.txt", b"ok").unwrap();
        writer.add_file(evil, b"gotcha").unwrap();
        let path = dir.path().join("evil.npz");
        std::fs::write(&path, writer.finish().unwrap().into_inner()).unwrap();
        let run = npy(args(&[&"extract", &path, &"-o", &inner]));
        assert_eq!(run.code, 1, "{evil}");
        assert!(
            run.stderr.contains(&format!("refusing member '{evil}'")),
            "{}",
            run.stderr
        );
        // Nothing was written, not even the harmless member.
        assert!(!inner.join("fine.txt").exists());
        assert!(!dir.path().join("evil.txt").exists());
    }
}

#[test]
fn extract_of_a_corrupt_member_leaves_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let run = npy(args(&[
        &"extract",
        &archive("corrupt_crc_deflated.npz"),
        &"-o",
        &dir.path(),
    ]));
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("Bad CRC-32 for file 'x.npy'"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}
