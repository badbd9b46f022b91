//! Running the `npy` binary from integration tests, and finding the fixtures.
//!
//! The fixtures in `tests/data/` were written by NumPy 2.4.6 with `tests/data/make_fixtures.py`;
//! the expected values in the tests are what that script printed.

#![allow(dead_code, reason = "each test file uses a different subset")]

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

/// The path of a fixture.
pub fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("data")
        .join(name)
}

// Not every test binary that includes this module asks NumPy.
#[allow(unused_imports)]
pub use npy_test_support::python;

/// What one run of `npy` did.
#[derive(Debug)]
pub struct Run {
    /// The exit code.
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

/// A `Command` for the `npy` binary with `args`.
pub fn command<I, S>(args: I) -> Command
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_npy"));
    cmd.args(args).stdin(Stdio::null());
    cmd
}

/// Runs `npy` with `args` and collects its output.
pub fn npy<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let output: Output = command(args).output().expect("npy runs");
    let run = Run {
        code: output
            .status
            .code()
            .expect("npy exited normally, not by a signal"),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    };
    assert!(
        !run.stderr.contains("panicked") && !run.stderr.contains("RUST_BACKTRACE"),
        "npy panicked: {}",
        run.stderr
    );
    run
}

/// Runs `npy` on a fixture: `args` then the fixture's path.
pub fn npy_on(args: &[&str], fixture: &str) -> Run {
    let path = data(fixture);
    let mut all: Vec<std::ffi::OsString> = args.iter().map(Into::into).collect();
    all.push(path.into_os_string());
    npy(all)
}

/// Runs `npy` expecting success, returning standard output.
pub fn ok(args: &[&str], fixture: &str) -> String {
    let run = npy_on(args, fixture);
    assert_eq!(run.code, 0, "npy {args:?} {fixture} failed: {}", run.stderr);
    assert_eq!(run.stderr, "", "unexpected stderr");
    run.stdout
}

/// The values column of `npy dump` text output (the part after `[i] `), one per element.
pub fn text_values(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .map(|line| match line.split_once("] ") {
            Some((_, value)) if line.starts_with('[') => value.to_owned(),
            _ => line.to_owned(),
        })
        .collect()
}

/// The NumPy-written fixtures (every `.npy` in tests/data except the deliberately bad ones).
pub fn good_fixtures() -> Vec<String> {
    let bad = [
        "truncated.npy",
        "bad_magic.npy",
        "bad_header.npy",
        "header_only.npy",
        "object.npy",
    ];
    let mut names: Vec<String> = std::fs::read_dir(data(""))
        .expect("tests/data exists")
        .map(|entry| {
            entry
                .expect("dir entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.ends_with(".npy") && !bad.contains(&name.as_str()))
        .collect();
    names.sort();
    names
}
