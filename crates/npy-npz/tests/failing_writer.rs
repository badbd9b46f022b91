//! Archives whose writes fail part way: a writer that returns an I/O error once `limit` bytes
//! have gone through it, tried at every byte position of a two-member archive, stored and
//! deflated, seekable and streaming. Whatever the failure point, writing must report an error
//! (or succeed once the limit covers the whole output) and never panic, and the bytes left must
//! make `NpzReader` refuse the archive or a member, or read exactly the members written, never
//! other data.

use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};

use npy_test_support::FailingWriter;

use npy_core::Array;
use npy_npz::{Compression, NpzReader, NpzWriter};

fn member_a() -> Array<f64> {
    Array::from_vec(vec![3, 2], vec![1.5, -2.0, 3.25, 4.0, -5.5, 6.0]).unwrap()
}

fn member_b() -> Array<i32> {
    Array::from_vec(vec![4], vec![7, -8, 9, 1 << 20]).unwrap()
}

#[derive(Debug, Clone, Copy)]
enum Mode {
    Seekable,
    Streaming,
}

/// Writes the two members through a writer failing after `limit` bytes. Returns whether every
/// call succeeded, how many bytes went through the writer, and the bytes left in it.
fn write_with_limit(
    limit: usize,
    compression: Compression,
    threads: usize,
    mode: Mode,
) -> (bool, usize, Vec<u8>) {
    let mut out = FailingWriter::new(limit);
    let ok = catch_unwind(AssertUnwindSafe(|| -> npy_core::Result<()> {
        match mode {
            Mode::Seekable => {
                let mut writer = NpzWriter::new(&mut out)
                    .with_compression(compression)
                    .with_threads(threads);
                writer.add("a", &member_a())?;
                writer.add("b", &member_b())?;
                writer.finish()?;
            }
            Mode::Streaming => {
                let mut writer = NpzWriter::new_streaming(&mut out)
                    .with_compression(compression)
                    .with_threads(threads);
                writer.add("a", &member_a())?;
                writer.add("b", &member_b())?;
                writer.finish()?;
            }
        }
        Ok(())
    }))
    .unwrap_or_else(|_| panic!("NpzWriter panicked with a limit of {limit} bytes ({mode:?})"))
    .is_ok();
    (ok, out.written(), out.into_bytes())
}

/// Whether `bytes` are refused (at opening or at some member); panics if they read as anything
/// but the two members.
fn refused_or_complete(bytes: &[u8], what: &str) -> bool {
    catch_unwind(|| {
        let Ok(mut archive) = NpzReader::new(Cursor::new(bytes)) else {
            return true;
        };
        let names: Vec<String> = archive.files().map(str::to_owned).collect();
        let a = archive.read_typed::<f64>("a");
        let b = archive.read_typed::<i32>("b");
        match (a, b) {
            (Ok(a), Ok(b)) => {
                assert_eq!(names, ["a", "b"], "{what}: {} bytes: members", bytes.len());
                assert_eq!(a, member_a(), "{what}: {} bytes: member a", bytes.len());
                assert_eq!(b, member_b(), "{what}: {} bytes: member b", bytes.len());
                false
            }
            _ => true,
        }
    })
    .unwrap_or_else(|_| panic!("{what}: NpzReader panicked on {} bytes", bytes.len()))
}

/// Tries every limit from 0 to past the full output; returns the number of limits tried.
fn every_limit(compression: Compression, threads: usize, mode: Mode) -> usize {
    let what = format!("{compression:?}, {threads} threads, {mode:?}");
    let (ok, total, full) = write_with_limit(usize::MAX, compression, threads, mode);
    assert!(ok, "{what}: an unlimited writer succeeds");
    assert!(
        !refused_or_complete(&full, &what),
        "{what}: the full archive reads"
    );
    let mut tried = 0;
    for limit in 0..=total + 1 {
        let (ok, written, bytes) = write_with_limit(limit, compression, threads, mode);
        assert_eq!(
            ok,
            limit >= total,
            "{what}: limit {limit} of {total}: the writer must fail exactly when a write does"
        );
        assert_eq!(written, limit.min(total), "{what}: limit {limit}");
        let complete = !refused_or_complete(&bytes, &format!("{what}, limit {limit}"));
        assert_eq!(
            complete,
            limit >= total,
            "{what}: limit {limit} of {total}: only the finished archive reads"
        );
        if limit >= total {
            assert_eq!(bytes, full, "{what}: the same bytes as without a limit");
        }
        tried += 1;
    }
    tried
}

#[test]
fn stored_archive_fails_cleanly_at_every_byte() {
    let tried = every_limit(Compression::Stored, 1, Mode::Seekable);
    assert!(tried > 400, "{tried}");
}

#[test]
fn deflated_archive_fails_cleanly_at_every_byte() {
    let tried = every_limit(Compression::deflated(), 1, Mode::Seekable);
    assert!(tried > 300, "{tried}");
}

#[test]
fn deflated_archive_with_compression_threads_fails_cleanly_at_every_byte() {
    // Small deflated members go through the background pool; errors surface in later calls.
    let tried = every_limit(Compression::deflated(), 2, Mode::Seekable);
    assert!(tried > 300, "{tried}");
}

#[test]
fn streaming_archives_fail_cleanly_at_every_byte() {
    let stored = every_limit(Compression::Stored, 1, Mode::Streaming);
    let deflated = every_limit(Compression::deflated(), 1, Mode::Streaming);
    assert!(stored > 400 && deflated > 300, "{stored} {deflated}");
}
