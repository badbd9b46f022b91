//! The tool's error type: every failure becomes one `npy: <message>` line on stderr and exit 1,
//! except [`CliError::Unsupported`] (exit 2: valid input this tool cannot handle, as the
//! conformance runner contract asks) and a closed stdout (`npy dump big.npy | head`), which ends
//! the command quietly.

use std::fmt;
use std::io;

/// Result alias for the commands.
pub type Result<T, E = CliError> = std::result::Result<T, E>;

/// Why a command failed.
#[derive(Debug)]
pub enum CliError {
    /// An error from npy-core (header, dtype, data, or its own I/O).
    Npy(npy_core::Error),
    /// An I/O error, with what we were doing.
    Io {
        /// What was being done, such as `opening data.npy`.
        context: String,
        /// The underlying error.
        source: io::Error,
    },
    /// Any other failure, already worded.
    Message(String),
    /// The input is valid (NumPy reads it) but this tool cannot handle it; the message says
    /// why. `decode`, `encode` and `validate` exit with status 2 for it.
    Unsupported(String),
    /// Standard output was closed by its reader; not reported.
    BrokenPipe,
}

impl CliError {
    /// An error with a ready message.
    pub fn msg(message: impl Into<String>) -> CliError {
        CliError::Message(message.into())
    }

    /// An I/O error with context; a broken pipe becomes [`CliError::BrokenPipe`].
    pub fn io(source: io::Error, context: impl Into<String>) -> CliError {
        if source.kind() == io::ErrorKind::BrokenPipe {
            CliError::BrokenPipe
        } else {
            CliError::Io {
                context: context.into(),
                source,
            }
        }
    }

    /// An [`CliError::Unsupported`] error.
    pub fn unsupported(message: impl Into<String>) -> CliError {
        CliError::Unsupported(message.into())
    }

    /// Prefixes the message with context such as a file name (a broken pipe stays one, and an
    /// unsupported input stays unsupported).
    #[must_use]
    pub fn context(self, context: impl fmt::Display) -> CliError {
        match self {
            CliError::BrokenPipe => CliError::BrokenPipe,
            CliError::Unsupported(message) => {
                CliError::Unsupported(format!("{context}: {message}"))
            }
            other => CliError::Message(format!("{context}: {other}")),
        }
    }

    /// Whether this is [`CliError::Unsupported`].
    pub fn is_unsupported(&self) -> bool {
        matches!(self, CliError::Unsupported(_))
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Npy(err) => write!(f, "{err}"),
            CliError::Io { context, source } => write!(f, "{context}: {source}"),
            CliError::Message(message) => f.write_str(message),
            CliError::Unsupported(message) => write!(f, "unsupported: {message}"),
            CliError::BrokenPipe => f.write_str("standard output was closed"),
        }
    }
}

impl std::error::Error for CliError {}

impl From<npy_core::Error> for CliError {
    fn from(err: npy_core::Error) -> CliError {
        CliError::Npy(err)
    }
}

/// Errors writing the command's output (standard output).
impl From<io::Error> for CliError {
    fn from(err: io::Error) -> CliError {
        CliError::io(err, "writing output")
    }
}
