//! Hostile files under a memory limit: `npy validate` and `npy dump` run with about 200 MB of
//! address space (`ulimit -v 200000`; the binary needs under 10 MB for these files) on files
//! whose headers claim far more than they hold. Each run must end within a time bound with exit
//! code 1 and an error naming the file: no signal, no abort on a failed allocation, no hang.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use npy_npz::{Compression, NpzWriter};

/// Address space for the binary, in KiB (`ulimit -v`).
const MEMORY_LIMIT_KIB: u32 = 200_000;
/// Wall-clock bound for one run.
const TIME_LIMIT: Duration = Duration::from_secs(10);

/// How one run ended.
#[derive(Debug)]
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `npy args...` under the memory limit, killing it if it outlives the time limit.
fn npy_limited(args: &[&std::ffi::OsStr]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let (out_path, err_path) = (dir.path().join("stdout"), dir.path().join("stderr"));
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v {MEMORY_LIMIT_KIB} && exec \"$0\" \"$@\""
        ))
        .arg(env!("CARGO_BIN_EXE_npy"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(File::create(&out_path).unwrap())
        .stderr(File::create(&err_path).unwrap())
        .spawn()
        .expect("sh runs");
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > TIME_LIMIT {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("npy {args:?} ran for over {TIME_LIMIT:?} and was killed");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let read = |path: &Path| {
        let mut text = String::new();
        File::open(path)
            .unwrap()
            .take(1 << 20)
            .read_to_string(&mut text)
            .unwrap();
        text
    };
    let run = Run {
        code: status.code().unwrap_or_else(|| {
            panic!(
                "npy {args:?} was killed by a signal: {status}; stderr: {}",
                read(&err_path)
            )
        }),
        stdout: read(&out_path),
        stderr: read(&err_path),
    };
    assert!(
        !run.stderr.contains("panicked") && !run.stderr.contains("memory allocation"),
        "npy {args:?} panicked or aborted: {}",
        run.stderr
    );
    run
}

/// `npy validate FILE` and `npy dump FILE` both refuse `target` (a path, or `ARCHIVE:NAME`):
/// validate reports `target: reason` and exits 1, dump prints an `npy:` error and exits 1.
fn assert_refused(target: &str, reason: &str) {
    let run = npy_limited(&["validate".as_ref(), target.as_ref()]);
    assert_eq!(run.code, 1, "validate {target}: {run:?}");
    let line = run
        .stdout
        .lines()
        .find(|l| l.starts_with(&format!("{target}: ")))
        .unwrap_or_else(|| panic!("validate {target} names the file: {run:?}"));
    assert!(line.contains(reason), "validate {target}: {line}");
    assert!(!line.ends_with(": ok"), "validate {target}: {line}");

    let run = npy_limited(&["dump".as_ref(), target.as_ref()]);
    assert_eq!(run.code, 1, "dump {target}: {run:?}");
    let line = run
        .stderr
        .lines()
        .find(|l| l.starts_with("npy: "))
        .unwrap_or_else(|| panic!("dump {target} prints an npy: error: {run:?}"));
    assert!(line.contains(reason), "dump {target}: {line}");
    assert!(run.stdout.len() < 1 << 10, "dump {target} printed data");
}

/// A version 1.0 (or 2.0 when `v2`) prelude around `dict`, padded as NumPy pads it.
fn prelude(dict: &str, v2: bool) -> Vec<u8> {
    let fixed = if v2 { 12 } else { 10 };
    let mut text = dict.as_bytes().to_vec();
    let total = (fixed + text.len() + 1).div_ceil(64) * 64;
    text.resize(total - fixed - 1, b' ');
    text.push(b'\n');
    let mut out = b"\x93NUMPY".to_vec();
    if v2 {
        out.extend_from_slice(&[2, 0]);
        out.extend_from_slice(&(text.len() as u32).to_le_bytes());
    } else {
        out.extend_from_slice(&[1, 0]);
        out.extend_from_slice(&(text.len() as u16).to_le_bytes());
    }
    out.extend_from_slice(&text);
    out
}

/// A `.npy` header for shape (2**40,) of `<f8` followed by 16 bytes.
fn huge_shape() -> Vec<u8> {
    let mut bytes = prelude(
        "{'descr': '<f8', 'fortran_order': False, 'shape': (1099511627776,), }",
        false,
    );
    bytes.extend_from_slice(&[0; 16]);
    bytes
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path: PathBuf = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_str().unwrap().to_owned()
}

#[test]
fn huge_shape_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "huge_shape.npy", &huge_shape());
    assert_refused(&path, "truncated");
}

#[test]
fn huge_header_length_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    // Version 2.0: a 4-byte length field of 4 GiB - 1, then a few header bytes.
    let mut bytes = b"\x93NUMPY\x02\x00".to_vec();
    bytes.extend_from_slice(&u32::MAX.to_le_bytes());
    bytes.extend_from_slice(b"{'descr': '<f8'");
    let path = write(dir.path(), "huge_header_len.npy", &bytes);
    assert_refused(&path, "4294967295");
    // Version 3.0, and a length just under the default 1 MiB limit with the rest missing.
    bytes[6] = 3;
    let path = write(dir.path(), "huge_header_len_v3.npy", &bytes);
    assert_refused(&path, "4294967295");
    bytes[6] = 2;
    bytes[8..12].copy_from_slice(&((1u32 << 20) - 64).to_le_bytes());
    let path = write(dir.path(), "missing_header.npy", &bytes);
    let run = npy_limited(&["dump".as_ref(), path.as_ref()]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.starts_with("npy: "), "{run:?}");
}

#[test]
fn deep_nesting_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    for depth in [250, 1_500, 60_000] {
        // Nested records: [('a', [('a', ... '<f8' ...)])].
        let descr = format!("{}'<f8'{}", "[('a', ".repeat(depth), ")]".repeat(depth));
        let dict = format!("{{'descr': {descr}, 'fortran_order': False, 'shape': (1,), }}");
        let mut bytes = prelude(&dict, true);
        bytes.extend_from_slice(&[0; 8]);
        let path = write(dir.path(), &format!("nested_{depth}.npy"), &bytes);
        assert_refused(&path, "nests deeper");
        // Parentheses in the shape.
        let dict = format!(
            "{{'descr': '<f8', 'fortran_order': False, 'shape': {}1{}, }}",
            "(".repeat(depth),
            ",)".repeat(depth)
        );
        let mut bytes = prelude(&dict, true);
        bytes.extend_from_slice(&[0; 8]);
        let path = write(dir.path(), &format!("parens_{depth}.npy"), &bytes);
        assert_refused(&path, "nests deeper");
    }
}

/// An archive with one member `a` holding `content`, with the central directory's
/// uncompressed size of that member replaced by `claimed` when given.
fn npz_claiming(content: &[u8], compression: Compression, claimed: Option<u32>) -> Vec<u8> {
    let mut writer = NpzWriter::new(std::io::Cursor::new(Vec::new())).with_compression(compression);
    writer.add_file("a.npy", content).unwrap();
    let mut bytes = writer.finish().unwrap().into_inner();
    let Some(claimed) = claimed else {
        return bytes;
    };
    let central = bytes
        .windows(4)
        .position(|w| w == b"PK\x01\x02")
        .expect("a central header");
    bytes[central + 24..central + 28].copy_from_slice(&claimed.to_le_bytes());
    bytes
}

#[test]
fn npz_member_claiming_a_huge_size_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut small = prelude(
        "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }",
        false,
    );
    small.extend_from_slice(&[0; 16]);
    let cases = [
        // The zip directory claims ~4 GiB uncompressed for 144 bytes.
        (
            "stored_size",
            &small,
            Compression::Stored,
            Some(0xffff_fff0),
        ),
        (
            "deflated_size",
            &small,
            Compression::deflated(),
            Some(0xffff_fff0),
        ),
        // The zip sizes are true; the member's .npy header claims 8 TiB.
        ("stored_shape", &huge_shape(), Compression::Stored, None),
        (
            "deflated_shape",
            &huge_shape(),
            Compression::deflated(),
            None,
        ),
    ];
    for (name, content, compression, claimed) in cases {
        let bytes = npz_claiming(content, compression, claimed);
        let path = write(dir.path(), &format!("{name}.npz"), &bytes);
        let target = format!("{path}:a");
        let run = npy_limited(&["validate".as_ref(), path.as_ref()]);
        assert_eq!(run.code, 1, "validate {path}: {run:?}");
        assert!(
            run.stdout.lines().any(|l| l.starts_with(&target)),
            "validate {path} names the member: {run:?}"
        );
        let run = npy_limited(&["dump".as_ref(), target.as_ref()]);
        assert_eq!(run.code, 1, "dump {target}: {run:?}");
        assert!(
            run.stderr.lines().any(|l| l.starts_with("npy: ")),
            "dump {target}: {run:?}"
        );
    }
}

#[test]
fn the_limit_leaves_room_for_normal_files() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = prelude(
        "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }",
        false,
    );
    bytes.extend_from_slice(&1.5f64.to_le_bytes());
    bytes.extend_from_slice(&(-2.0f64).to_le_bytes());
    let path = write(dir.path(), "ok.npy", &bytes);
    let run = npy_limited(&["validate".as_ref(), path.as_ref()]);
    assert_eq!(run.code, 0, "{run:?}");
    let run = npy_limited(&["dump".as_ref(), path.as_ref()]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout.contains("1.5") && run.stdout.contains("-2"),
        "{run:?}"
    );
}
