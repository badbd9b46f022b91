//! `npy validate`: exit 0 only when every file is a complete `.npy`; one line per bad file.

mod common;

use std::ffi::OsString;
use std::process::Stdio;

use common::{command, data, good_fixtures, npy};

fn validate(flags: &[&str], fixtures: &[&str]) -> common::Run {
    let mut args: Vec<OsString> = vec!["validate".into()];
    args.extend(flags.iter().map(OsString::from));
    args.extend(fixtures.iter().map(|f| data(f).into_os_string()));
    npy(args)
}

#[test]
fn every_numpy_written_fixture_is_valid() {
    let names = good_fixtures();
    assert!(names.len() > 20);
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let run = validate(&[], &names);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (0, "", "")
    );

    let run = validate(&["--verbose"], &names);
    assert_eq!(run.code, 0);
    assert_eq!(run.stdout.lines().count(), names.len());
    assert!(
        run.stdout.lines().all(|line| line.ends_with(": ok")),
        "{}",
        run.stdout
    );
}

#[test]
fn bad_files_are_listed_with_reasons() {
    let run = validate(
        &["-v"],
        &[
            "f8.npy",
            "truncated.npy",
            "bad_magic.npy",
            "bad_header.npy",
            "header_only.npy",
            "object.npy",
            "missing.npy",
        ],
    );
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr, "");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 7, "{}", run.stdout);
    let expect = [
        ("f8.npy", ": ok"),
        (
            "truncated.npy",
            ": data is truncated: the header promises 96 bytes, the file holds 91",
        ),
        ("bad_magic.npy", ": the magic string is not correct"),
        ("bad_header.npy", "Maybe"),
        ("header_only.npy", "EOF"),
        (
            "object.npy",
            ": object dtype: the data is a Python pickle, which npy cannot check",
        ),
        ("missing.npy", ": cannot open"),
    ];
    for (line, (fixture, reason)) in lines.iter().zip(expect) {
        let path = data(fixture).display().to_string();
        assert!(line.starts_with(&path), "{line}");
        assert!(line.contains(reason), "{line}");
    }
}

#[test]
fn quiet_unless_verbose() {
    let run = validate(&[], &["f8.npy", "truncated.npy"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout.lines().count(), 1);
    assert!(run.stdout.contains("truncated.npy: data is truncated"));
}

#[test]
fn trailing_bytes_are_allowed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("trailing.npy");
    let mut bytes = std::fs::read(data("f8.npy")).expect("fixture");
    bytes.extend_from_slice(b"extra");
    std::fs::write(&path, bytes).expect("write");
    let run = npy([
        OsString::from("validate"),
        "-v".into(),
        path.into_os_string(),
    ]);
    assert_eq!(run.code, 0);
    assert!(
        run.stdout
            .ends_with(": ok (5 bytes after the data, ignored)\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn needs_at_least_one_file() {
    assert_eq!(npy(["validate"]).code, 2);
}

#[cfg(target_os = "linux")]
#[test]
fn checks_data_arriving_through_a_pipe() {
    use std::io::Write;
    for (fixture, code) in [("f8.npy", 0), ("truncated.npy", 1)] {
        let bytes = std::fs::read(data(fixture)).expect("fixture");
        let mut child = command(["validate", "/dev/stdin"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("spawn npy");
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(&bytes).expect("write");
        drop(stdin);
        let output = child.wait_with_output().expect("npy exits");
        assert_eq!(output.status.code(), Some(code), "{fixture}");
    }
}
