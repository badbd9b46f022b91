//! Errors of npy-serde: npy-core's errors, serde's custom messages, and mapping problems, each
//! with the row and field path where they happened.

use std::fmt;

pub use npy_core::ErrorKind;

/// An error from serializing or deserializing rows.
///
/// [`Error::kind`] classifies it (mapping problems are [`ErrorKind::Unsupported`] or
/// [`ErrorKind::TypeMismatch`]); [`Error::row`] and [`Error::field`] say where.
pub struct Error {
    inner: Box<ErrorImpl>,
}

struct ErrorImpl {
    kind: ErrorKind,
    message: String,
    row: Option<u64>,
    field: Option<String>,
    source: Option<npy_core::Error>,
}

/// Result alias of npy-serde.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An error of `kind` with a message.
    #[cold]
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error {
            inner: Box::new(ErrorImpl {
                kind,
                message: message.into(),
                row: None,
                field: None,
                source: None,
            }),
        }
    }

    /// Records the row index, unless one is already recorded.
    #[must_use]
    pub fn at_row(mut self, row: u64) -> Error {
        self.inner.row.get_or_insert(row);
        self
    }

    /// Records the field path (`outer.inner`), unless one is already recorded.
    #[must_use]
    pub fn at_field(mut self, field: impl Into<String>) -> Error {
        if self.inner.field.is_none() {
            self.inner.field = Some(field.into());
        }
        self
    }

    /// The kind of problem.
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }

    /// The message, without row and field.
    pub fn message(&self) -> &str {
        &self.inner.message
    }

    /// The row index where the problem happened, when known.
    pub fn row(&self) -> Option<u64> {
        self.inner.row
    }

    /// The field path (`outer.inner`) where the problem happened, when known.
    pub fn field(&self) -> Option<&str> {
        self.inner.field.as_deref()
    }
}

impl From<npy_core::Error> for Error {
    fn from(err: npy_core::Error) -> Error {
        let mut e = Error::new(err.kind(), err.to_string());
        e.inner.source = Some(err);
        e
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.inner.row, &self.inner.field) {
            (Some(row), Some(field)) => write!(f, "row {row}, field `{field}`: ")?,
            (Some(row), None) => write!(f, "row {row}: ")?,
            (None, Some(field)) => write!(f, "field `{field}`: ")?,
            (None, None) => {}
        }
        f.write_str(&self.inner.message)
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

impl serde::ser::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Error {
        Error::new(ErrorKind::InvalidData, msg.to_string())
    }
}

impl serde::de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Error {
        Error::new(ErrorKind::InvalidData, msg.to_string())
    }
}
