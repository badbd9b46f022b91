//! Writes that fail part way: a writer that returns an I/O error once `limit` bytes have gone
//! through it, tried at every byte position of a small array's output. Whatever the failure
//! point, the call must report an error (or succeed once the limit covers the whole output),
//! never panic, and leave bytes that every reader either rejects or loads as the complete,
//! correct array, never as an array of another shape or other values.

use std::panic::{catch_unwind, AssertUnwindSafe};

use npy_test_support::FailingWriter;
use std::path::PathBuf;
use std::process::Command;

use npy_core::{read_slice, write_array, Array, Element, NpyReader, StreamWriter};

/// The small array every test writes: shape (3, 2) of little-endian f64.
fn sample() -> Array<f64> {
    Array::from_vec(vec![3, 2], vec![1.5, -2.0, 3.25, 4.0, -5.5, 6.0]).unwrap()
}

/// Whether npy-core's readers (the typed slice reader and the dynamic streaming reader) reject
/// `bytes`; panics if either loads them as anything but `expected`.
fn rejected_or_complete(bytes: &[u8], expected: &Array<f64>, what: &str) -> bool {
    let typed = catch_unwind(|| read_slice::<f64>(bytes))
        .unwrap_or_else(|_| panic!("{what}: read_slice panicked on {} bytes", bytes.len()));
    let dynamic = catch_unwind(|| NpyReader::new(bytes).and_then(|r| r.read_array()))
        .unwrap_or_else(|_| panic!("{what}: NpyReader panicked on {} bytes", bytes.len()));
    match (typed, dynamic) {
        (Err(_), Err(_)) => true,
        (Ok(array), Ok(dynamic)) => {
            assert_eq!(
                &array,
                expected,
                "{what}: {} written bytes load as a different array",
                bytes.len()
            );
            assert_eq!(dynamic.shape(), expected.shape(), "{what}: dynamic shape");
            assert_eq!(
                dynamic.data(),
                f64::as_bytes(expected.data()),
                "{what}: dynamic data"
            );
            false
        }
        (typed, dynamic) => panic!(
            "{what}: readers disagree on {} bytes: read_slice {:?}, NpyReader {:?}",
            bytes.len(),
            typed.map(|a| a.shape().to_vec()),
            dynamic.map(|a| a.shape().to_vec())
        ),
    }
}

#[test]
fn write_array_fails_cleanly_at_every_byte() {
    let array = sample();
    let full = array.to_npy_bytes().unwrap();
    let header = array.header();
    let data = f64::as_bytes(array.data());
    let (mut errors, mut rejected) = (0, 0);
    for limit in 0..=full.len() + 1 {
        let mut out = FailingWriter::new(limit);
        let result = catch_unwind(AssertUnwindSafe(|| write_array(&mut out, &header, data)))
            .unwrap_or_else(|_| panic!("write_array panicked with a limit of {limit} bytes"));
        if limit >= full.len() {
            result.unwrap_or_else(|e| panic!("limit {limit} covers the output, yet: {e}"));
            assert_eq!(out.bytes(), &full[..]);
        } else {
            let err = result.expect_err("a failing writer must make write_array fail");
            assert!(
                err.to_string().contains("injected"),
                "error hides the cause: {err}"
            );
            errors += 1;
        }
        assert_eq!(out.bytes(), &full[..limit.min(full.len())]);
        if rejected_or_complete(out.bytes(), &array, "write_array") {
            rejected += 1;
        }
    }
    assert_eq!(errors, full.len());
    assert_eq!(rejected, full.len(), "every partial output is rejected");
}

/// Streams the sample in three one-row writes, then finishes, through a writer that fails after
/// `limit` bytes. Returns whether every call succeeded, and the bytes that reached the writer.
fn stream_with_limit(limit: usize) -> (bool, Vec<u8>) {
    let array = sample();
    let mut out = FailingWriter::new(limit);
    let outcome = catch_unwind(AssertUnwindSafe(|| -> npy_core::Result<()> {
        let mut writer = StreamWriter::new(&mut out, f64::dtype(), vec![2])?;
        for row in array.data().chunks(2) {
            writer.write_elements(row)?;
        }
        writer.finish()?;
        Ok(())
    }))
    .unwrap_or_else(|_| panic!("StreamWriter panicked with a limit of {limit} bytes"));
    (outcome.is_ok(), out.bytes().to_vec())
}

#[test]
fn stream_writer_fails_cleanly_at_every_byte() {
    let array = sample();
    let full = array.to_npy_bytes().unwrap();
    let prelude_len = full.len() - 48;
    // The provisional header, the rows, then the final header over the provisional one.
    let total_writes = full.len() + prelude_len;
    let mut checked = 0;
    for limit in 0..=total_writes + 1 {
        let (ok, bytes) = stream_with_limit(limit);
        assert_eq!(
            ok,
            limit >= total_writes,
            "limit {limit}: the stream must fail exactly when its writes do"
        );
        if ok {
            assert_eq!(bytes, full, "a finished stream is np.save's bytes");
        }
        let complete = !rejected_or_complete(&bytes, &array, "StreamWriter");
        // Before `finish` the file starts with \0NUMPY; only a fully rewritten header loads.
        assert_eq!(
            complete,
            limit >= total_writes,
            "limit {limit}: only a finished stream loads"
        );
        checked += 1;
    }
    assert_eq!(checked, total_writes + 2);
}

/// Saving over an existing file with the file size limited (`ulimit -f`, with SIGXFSZ ignored
/// so writes past the limit fail with EFBIG): the destination keeps its old content. The
/// limit is in 512-byte blocks, so the failure lands on block boundaries of a ~8 KiB array.
/// Runs in a child process (this test binary again) so the limit does not affect other tests.
#[test]
fn save_failing_midway_keeps_the_old_file() {
    const CHILD: &str = "NPY_FAILING_SAVE_CHILD";
    let dir_env = std::env::var_os(CHILD);
    let big = Array::from_vec(vec![1024], (0..1024).map(f64::from).collect()).unwrap();
    if let Some(dir) = dir_env {
        // In the child: the limit is set; save must fail (the temporary file cannot grow).
        let path = PathBuf::from(dir).join("target.npy");
        let code = match big.save(&path) {
            // EFBIG, "File too large": the injected failure, not some other error.
            Err(e) if e.to_string().contains("too large") => 0,
            Err(e) => {
                eprintln!("save failed for another reason: {e}");
                4
            }
            Ok(()) => 3,
        };
        std::process::exit(code);
    }
    let old = sample();
    let full_len = big.to_npy_bytes().unwrap().len();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("target.npy");
    let exe = std::env::current_exe().unwrap();
    let mut runs = 0;
    for blocks in 0..full_len.div_ceil(512) {
        old.save(&path).unwrap();
        let status = Command::new("sh")
            .arg("-c")
            .arg(format!(
                "trap '' XFSZ; ulimit -f {blocks} && exec \"$0\" \"$@\""
            ))
            .arg(&exe)
            .args([
                "--exact",
                "save_failing_midway_keeps_the_old_file",
                "--test-threads=1",
                "--nocapture",
            ])
            .env(CHILD, dir.path())
            .stdout(std::process::Stdio::null())
            .status()
            .unwrap();
        assert_eq!(
            status.code(),
            Some(0),
            "with a {blocks}-block file size limit, save must fail without a signal: {status}"
        );
        let back: Array<f64> = npy_core::read_path(&path).unwrap();
        assert_eq!(back, old, "after a failed save the old file is intact");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .filter(|n| n != "target.npy")
            .collect();
        assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
        runs += 1;
    }
    assert_eq!(runs, full_len.div_ceil(512));
}

#[test]
fn numpy_rejects_truncated_outputs() {
    let array = sample();
    let full = array.to_npy_bytes().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut paths = Vec::new();
    // Partial outputs of write_array: in the magic, the header, at the data start, mid-data.
    for limit in [0, 3, 9, 40, full.len() - 48, full.len() - 1] {
        let mut out = FailingWriter::new(limit);
        assert!(write_array(&mut out, &array.header(), f64::as_bytes(array.data())).is_err());
        let path = dir.path().join(format!("write_{limit}.npy"));
        std::fs::write(&path, out.bytes()).unwrap();
        paths.push(path);
    }
    // Abandoned streams: after the provisional header, mid-rows, after all rows.
    for limit in [full.len() - 48, full.len() - 20, full.len()] {
        let (ok, bytes) = stream_with_limit(limit);
        assert!(!ok);
        let path = dir.path().join(format!("stream_{limit}.npy"));
        std::fs::write(&path, bytes).unwrap();
        paths.push(path);
    }
    let script = "import sys, numpy as np\n\
                  for p in sys.argv[1:]:\n\
                  \x20   try:\n\
                  \x20       a = np.load(p)\n\
                  \x20   except Exception:\n\
                  \x20       continue\n\
                  \x20   print('LOADED', p, a.shape)\n";
    let output = Command::new(npy_test_support::python())
        .arg("-c")
        .arg(script)
        .args(&paths)
        .output()
        .expect("python runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "python failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.is_empty(), "NumPy loaded partial outputs:\n{stdout}");
}
