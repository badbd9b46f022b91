//! The one error type of npy-core.

use std::fmt;
use std::io;

/// What kind of problem an [`Error`] reports. New kinds may be added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// An I/O operation failed (other than running out of input).
    Io,
    /// The input ended before the header or data it promised.
    UnexpectedEof,
    /// The file does not start with `\x93NUMPY`.
    BadMagic,
    /// The format version is not 1.0, 2.0 or 3.0.
    UnsupportedVersion,
    /// The header is longer than the configured limit, or nests deeper than allowed.
    HeaderTooLarge,
    /// The header text is not a Python literal of the accepted subset.
    HeaderSyntax,
    /// The header parsed but its content is wrong: keys, shape or fortran_order.
    InvalidHeader,
    /// The `descr` entry does not describe a valid dtype.
    InvalidDescr,
    /// The dtype or operation is valid NumPy but deliberately not supported (object arrays, pickles).
    Unsupported,
    /// An element count or byte size does not fit in 64 bits or in memory.
    Overflow,
    /// A typed read or write asked for a Rust type that does not match the array's dtype.
    TypeMismatch,
    /// The data bytes are not valid for the dtype (for example a bool byte other than 0 or 1).
    InvalidData,
    /// A caller passed an argument that cannot be honoured (shape and data length disagree, ...).
    InvalidArgument,
    /// A named thing (an archive member, a field) does not exist.
    NotFound,
}

/// An error from reading or writing `.npy` data.
///
/// The message says what is wrong; [`Error::offset`] says where, as a byte offset into the file when known.
pub struct Error {
    inner: Box<ErrorImpl>,
}

struct ErrorImpl {
    kind: ErrorKind,
    message: String,
    offset: Option<u64>,
    source: Option<io::Error>,
}

/// Result alias used throughout npy-core.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Builds an error of the given kind with a message.
    #[cold]
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            inner: Box::new(ErrorImpl {
                kind,
                message: message.into(),
                offset: None,
                source: None,
            }),
        }
    }

    /// Attaches the byte offset in the file where the problem was found.
    #[must_use]
    pub fn at(mut self, offset: u64) -> Self {
        self.inner.offset = Some(offset);
        self
    }

    /// The kind of problem.
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }

    /// The message, without the offset.
    pub fn message(&self) -> &str {
        &self.inner.message
    }

    /// The byte offset in the input where the problem was found, when known.
    pub fn offset(&self) -> Option<u64> {
        self.inner.offset
    }

    /// Prefixes the message with context, such as a file name or field path.
    #[must_use]
    pub fn context(mut self, context: impl fmt::Display) -> Self {
        self.inner.message = format!("{context}: {}", self.inner.message);
        self
    }

    /// Wraps an I/O error with what was being done (`"writing rows"`); the `io::Error` stays
    /// reachable as the [`std::error::Error::source`].
    #[cold]
    pub fn io(err: io::Error, what: &str) -> Self {
        let kind = if err.kind() == io::ErrorKind::UnexpectedEof {
            ErrorKind::UnexpectedEof
        } else {
            ErrorKind::Io
        };
        let mut e = Error::new(kind, format!("{what}: {err}"));
        e.inner.source = Some(err);
        e
    }

    #[cold]
    pub(crate) fn eof(what: &str, expected: u64, got: u64) -> Self {
        Error::new(
            ErrorKind::UnexpectedEof,
            format!("EOF: reading {what}, expected {expected} bytes got {got}"),
        )
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.inner.message)?;
        if let Some(offset) = self.inner.offset {
            write!(f, " (at byte {offset})")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Error({:?}: {})", self.inner.kind, self)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.inner
            .source
            .as_ref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

impl From<Error> for io::Error {
    fn from(err: Error) -> Self {
        let kind = match err.kind() {
            ErrorKind::Io => err
                .inner
                .source
                .as_ref()
                .map_or(io::ErrorKind::Other, io::Error::kind),
            ErrorKind::UnexpectedEof => io::ErrorKind::UnexpectedEof,
            ErrorKind::InvalidArgument | ErrorKind::TypeMismatch => io::ErrorKind::InvalidInput,
            ErrorKind::NotFound => io::ErrorKind::NotFound,
            ErrorKind::Unsupported => io::ErrorKind::Unsupported,
            _ => io::ErrorKind::InvalidData,
        };
        io::Error::new(kind, err)
    }
}
