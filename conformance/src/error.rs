//! The error type for everything that stops a run before it can score anything.

use std::fmt;
use std::io;
use std::path::PathBuf;

/// Why a corpus, an expected-failures list or a run could not be set up.
///
/// Failures of the implementation under test are never errors: they are results in the
/// [`Report`](crate::Report).
#[derive(Debug)]
pub enum Error {
    /// A file could not be read or written.
    Io {
        /// The file or folder concerned.
        path: PathBuf,
        /// What the operating system said.
        source: io::Error,
    },
    /// `manifest.json` is not valid JSON or does not have the documented shape.
    ManifestSyntax {
        /// The manifest's path.
        path: PathBuf,
        /// The parser's message.
        source: serde_json::Error,
    },
    /// The manifest parses but breaks a rule of `corpus/README.md` (duplicate id, path that
    /// leaves the corpus, valid case without a value document, ...).
    ManifestContent {
        /// The manifest's path.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A line of an expected-failures list could not be understood.
    ExpectedFailures {
        /// The list's path (or a name given by the caller).
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The runner was given no command to run.
    EmptyCommand,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Error::ManifestSyntax { path, source } => write!(f, "{}: {source}", path.display()),
            Error::ManifestContent { path, message } => write!(f, "{}: {message}", path.display()),
            Error::ExpectedFailures {
                path,
                line,
                message,
            } => write!(f, "{}:{line}: {message}", path.display()),
            Error::EmptyCommand => f.write_str("the implementation command is empty"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            Error::ManifestSyntax { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}
