//! Opening a `.npy` file, or a member of an `.npz` archive named `ARCHIVE.npz:NAME`: read and
//! check its header, and compare the data bytes the header promises with the bytes the file
//! (or member) holds, before any command reads or prints values.

use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::path::Path;

use npy_core::{Header, NpyReader, Version};

use crate::error::{CliError, Result};

/// Buffer size for reading data: large enough that per-element reads cost little.
const BUFFER: usize = 1 << 16;

/// Tells the reader how many bytes follow the header when the length is known, so whole-array
/// reads allocate once instead of growing as bytes arrive.
fn with_known_len<R: std::io::Read>(reader: NpyReader<R>, len: Option<u64>) -> NpyReader<R> {
    match len {
        Some(len) => {
            let after_header = len.saturating_sub(reader.data_offset());
            reader.with_available(after_header)
        }
        None => reader,
    }
}

/// An open `.npy` file (or archive member) whose header has been read; the reader is
/// positioned at the data.
pub struct NpyFile {
    reader: NpyReader<Box<dyn BufRead>>,
    /// The file's length, when it is a regular file (not a pipe or device); for an archive
    /// member, its decompressed size as the archive records it.
    file_len: Option<u64>,
}

/// The bytes of a `.npy` file, or of an archive member named `ARCHIVE:NAME`, not yet read.
pub struct Source {
    /// The bytes, buffered, from the first.
    pub reader: Box<dyn BufRead>,
    /// The file's length, when it is a regular file (not a pipe or device); for an archive
    /// member, its decompressed size as the archive records it.
    pub len: Option<u64>,
    /// Whether this is an archive member, whose CRC is only checked by reading it to the end.
    pub member: bool,
}

impl Source {
    /// Opens `path`, or the member `ARCHIVE:NAME` names. Errors carry no file name.
    ///
    /// # Errors
    /// The file cannot be opened or is a directory, is an `.npz` archive rather than a member of
    /// one, or the archive or member cannot be read.
    pub fn open(path: &Path) -> Result<Source> {
        if let Some((archive, name)) = crate::member::split(path) {
            let member = crate::member::open(&archive, &name)?;
            let size = member.entry().size();
            return Ok(Source {
                reader: Box::new(BufReader::with_capacity(BUFFER, member)),
                len: Some(size),
                member: true,
            });
        }
        if crate::member::is_archive(path) {
            return Err(CliError::msg(
                "is an .npz archive: name a member as ARCHIVE:NAME (list them with `npy ls`)",
            ));
        }
        let file = File::open(path).map_err(|e| CliError::io(e, "cannot open"))?;
        let metadata = file
            .metadata()
            .map_err(|e| CliError::io(e, "cannot stat"))?;
        if metadata.is_dir() {
            return Err(CliError::msg("is a directory"));
        }
        Ok(Source {
            reader: Box::new(BufReader::with_capacity(BUFFER, file)),
            len: metadata.is_file().then_some(metadata.len()),
            member: false,
        })
    }
}

/// What the bytes after the header amount to, compared with what the header promises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataStatus {
    /// Exactly the promised bytes.
    Complete,
    /// The promised bytes, then this many more (NumPy ignores them).
    Trailing(u64),
    /// Fewer bytes than promised.
    Truncated {
        /// Bytes the header promises.
        expected: u64,
        /// Bytes the file holds after the header.
        present: u64,
    },
    /// An object dtype: the data is a Python pickle whose length the header does not fix.
    Pickle,
    /// Not a regular file, so its length is unknown without reading it.
    Unknown,
}

impl NpyFile {
    /// Opens `path` (or the member `ARCHIVE:NAME` names) and reads its header. Errors carry no
    /// file name; callers add it.
    ///
    /// # Errors
    /// As [`Source::open`], and when the header is not valid.
    pub fn open(path: &Path) -> Result<NpyFile> {
        let source = Source::open(path)?;
        Ok(NpyFile {
            reader: with_known_len(NpyReader::new(source.reader)?, source.len),
            file_len: source.len,
        })
    }

    /// The header.
    pub fn header(&self) -> &Header {
        self.reader.header()
    }

    /// The format version.
    pub fn version(&self) -> Version {
        self.reader.version()
    }

    /// Where the data starts in the file.
    pub fn data_offset(&self) -> u64 {
        self.reader.data_offset()
    }

    /// The file's length, for regular files; a member's size.
    pub fn file_len(&self) -> Option<u64> {
        self.file_len
    }

    /// Compares the bytes after the header with the bytes the header promises.
    ///
    /// # Errors
    /// When the header's byte count does not fit in 64 bits.
    pub fn data_status(&self) -> Result<DataStatus> {
        if self.header().dtype.has_object() {
            return Ok(DataStatus::Pickle);
        }
        let Some(file_len) = self.file_len else {
            return Ok(DataStatus::Unknown);
        };
        let expected = self.header().data_len()?;
        let present = file_len.saturating_sub(self.data_offset());
        Ok(match present.cmp(&expected) {
            std::cmp::Ordering::Equal => DataStatus::Complete,
            std::cmp::Ordering::Greater => DataStatus::Trailing(present - expected),
            std::cmp::Ordering::Less => DataStatus::Truncated { expected, present },
        })
    }

    /// Fails unless the data can be read as values: not a pickle, and not shorter than
    /// promised. Files of unknown length pass; reading them reports a short read.
    ///
    /// # Errors
    /// An object dtype, or truncated data.
    pub fn require_readable(&self) -> Result<()> {
        match self.data_status()? {
            DataStatus::Pickle => Err(CliError::msg(
                "object arrays hold a Python pickle, which this tool does not read",
            )),
            DataStatus::Truncated { expected, present } => Err(truncated(expected, present)),
            DataStatus::Complete | DataStatus::Trailing(_) | DataStatus::Unknown => Ok(()),
        }
    }

    /// The header reader, to read the data through npy-core.
    pub fn into_reader(self) -> NpyReader<Box<dyn BufRead>> {
        self.reader
    }

    /// The buffered file (or member), positioned at the first data byte.
    pub fn into_data(self) -> Box<dyn BufRead> {
        self.reader.into_inner()
    }
}

/// The error for data shorter than the header promises.
pub fn truncated(expected: u64, present: u64) -> CliError {
    CliError::msg(format!(
        "data is truncated: the header promises {expected} bytes, the file holds {present}"
    ))
}

/// Counts the bytes left in a reader (for files whose length metadata does not tell).
///
/// # Errors
/// An I/O error while reading.
pub fn count_remaining(reader: &mut impl io::Read) -> Result<u64> {
    io::copy(reader, &mut io::sink()).map_err(|e| CliError::io(e, "reading data"))
}
