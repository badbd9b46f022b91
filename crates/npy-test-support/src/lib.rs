//! Test-only helpers shared by the crates' test suites.
//!
//! * [`python`]: the Python interpreter with NumPy that tests ask for NumPy's verdicts. Tests
//!   never skip when NumPy is missing: they fail and say how to set it up.
//! * [`FailingWriter`]: a writer that fails once a given number of bytes went through, for the
//!   crash-safety tests.

use std::io::{self, Cursor, Seek, SeekFrom, Write};
use std::path::PathBuf;

/// How to get a Python with NumPy, for failure messages.
pub const SETUP_HINT: &str = "run `python3 -m venv .venv && .venv/bin/pip install numpy==2.4.6` \
     at the repository root, or set NPY_PYTHON to a Python (3.11) that has NumPy";

/// The Python named by `NPY_PYTHON`, else the repository's `.venv/bin/python`.
///
/// # Panics
/// When the one chosen does not exist, with [`SETUP_HINT`].
pub fn python() -> PathBuf {
    if let Some(python) = std::env::var_os("NPY_PYTHON") {
        let python = PathBuf::from(python);
        assert!(
            python.exists(),
            "NPY_PYTHON={} does not exist; {SETUP_HINT}",
            python.display()
        );
        return python;
    }
    // This crate sits at <repository>/crates/npy-test-support.
    let venv = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../.venv/bin/python"
    ));
    assert!(
        venv.exists(),
        "this test needs NumPy and found neither NPY_PYTHON nor {}; {SETUP_HINT}",
        venv.display()
    );
    venv
}

/// A `Write + Seek` over a `Vec<u8>` that accepts `limit` bytes in total (seeks are free), then
/// fails every write. A write crossing the limit is accepted in part, as a full disk does.
#[derive(Debug)]
pub struct FailingWriter {
    inner: Cursor<Vec<u8>>,
    limit: usize,
    written: usize,
}

impl FailingWriter {
    /// A writer that fails after `limit` bytes.
    pub fn new(limit: usize) -> Self {
        FailingWriter {
            inner: Cursor::new(Vec::new()),
            limit,
            written: 0,
        }
    }

    /// The bytes as they stand (seeks may have overwritten earlier ones).
    pub fn bytes(&self) -> &[u8] {
        self.inner.get_ref()
    }

    /// How many bytes the writes accepted.
    pub fn written(&self) -> usize {
        self.written
    }

    /// The bytes, by value.
    pub fn into_bytes(self) -> Vec<u8> {
        self.inner.into_inner()
    }
}

impl Write for FailingWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let room = self.limit - self.written;
        if room == 0 && !buf.is_empty() {
            return Err(io::Error::other("injected write failure"));
        }
        let n = buf.len().min(room);
        let n = self.inner.write(&buf[..n])?;
        self.written += n;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Seek for FailingWriter {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.inner.seek(pos)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_up_to_the_limit_then_fails() {
        let mut w = FailingWriter::new(5);
        assert_eq!(w.write(b"abc").unwrap(), 3);
        assert_eq!(w.write(b"defg").unwrap(), 2);
        assert!(w.write(b"h").is_err());
        w.seek(SeekFrom::Start(0)).unwrap();
        assert!(
            w.write(b"x").is_err(),
            "the limit counts bytes written, not the position"
        );
        assert_eq!(w.written(), 5);
        assert_eq!(w.into_bytes(), b"abcde");
    }
}
