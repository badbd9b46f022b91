//! Opening a `.npy` file: read and check its header, and compare the data bytes the header
//! promises with the bytes the file holds, before any command reads or prints values.

use std::fs::File;
use std::io::{self, BufReader};
use std::path::Path;

use npy_core::{Header, NpyReader, Version};

use crate::error::{CliError, Result};

/// Buffer size for reading data: large enough that per-element reads cost little.
const BUFFER: usize = 1 << 16;

/// An open `.npy` file whose header has been read; the reader is positioned at the data.
pub struct NpyFile {
    reader: NpyReader<BufReader<File>>,
    /// The file's length, when it is a regular file (not a pipe or device).
    file_len: Option<u64>,
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
    /// Opens `path` and reads its header. Errors carry no file name; callers add it.
    ///
    /// # Errors
    /// The file cannot be opened or is a directory, or its header is not valid.
    pub fn open(path: &Path) -> Result<NpyFile> {
        let file = File::open(path).map_err(|e| CliError::io(e, "cannot open"))?;
        let metadata = file
            .metadata()
            .map_err(|e| CliError::io(e, "cannot stat"))?;
        if metadata.is_dir() {
            return Err(CliError::msg("is a directory"));
        }
        let file_len = metadata.is_file().then_some(metadata.len());
        let reader = NpyReader::new(BufReader::with_capacity(BUFFER, file))?;
        Ok(NpyFile { reader, file_len })
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

    /// The file's length, for regular files.
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
    pub fn into_reader(self) -> NpyReader<BufReader<File>> {
        self.reader
    }

    /// The buffered file, positioned at the first data byte.
    pub fn into_data(self) -> BufReader<File> {
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
