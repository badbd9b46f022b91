//! `npy convert`: rewrite a file in a chosen byte order, memory order and format version.
//!
//! With no options the output is the canonical file `np.save` writes for the same array (the
//! header `Header::to_bytes` renders, then the data), which for a file NumPy wrote is the same
//! bytes. The output is written to a temporary file beside it
//! and renamed into place, so a failed conversion never leaves a partial file (and IN may be OUT).

use std::io::Write;
use std::path::Path;

use clap::ValueEnum;
use npy_core::{ByteOrder, Version};

use crate::error::{CliError, Result};
use crate::open::NpyFile;

/// Byte order of the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Endian {
    /// Little-endian (`<`).
    Little,
    /// Big-endian (`>`).
    Big,
    /// This machine's byte order.
    Native,
}

/// Memory order of the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Order {
    /// Row-major (C order).
    #[value(name = "C", alias = "c")]
    C,
    /// Column-major (Fortran order).
    #[value(name = "F", alias = "f")]
    F,
}

/// The `.npy` format version of the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatVersion {
    /// 1.0: 16-bit header length, latin-1 header.
    #[value(name = "1", alias = "1.0")]
    V1,
    /// 2.0: 32-bit header length, latin-1 header.
    #[value(name = "2", alias = "2.0")]
    V2,
    /// 3.0: 32-bit header length, UTF-8 header.
    #[value(name = "3", alias = "3.0")]
    V3,
}

/// What to change; `None` keeps the input's (version: the canonical one).
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Byte order of every scalar in the dtype.
    pub endian: Option<Endian>,
    /// Memory order of the data.
    pub order: Option<Order>,
    /// Format version of the header.
    pub version: Option<FormatVersion>,
}

/// Reads `input` and writes it to `output` with `options` applied.
///
/// # Errors
/// The input is not a readable `.npy` (including object arrays), the header does not fit the
/// requested version, or the output cannot be written.
pub fn run(input: &Path, output: &Path, options: Options) -> Result<()> {
    let in_context = |e: CliError| e.context(input.display());
    let out_context = |e: CliError| e.context(output.display());
    let file = NpyFile::open(input).map_err(in_context)?;
    file.require_readable().map_err(in_context)?;
    let mut array = file
        .into_reader()
        .read_array()
        .map_err(|e| in_context(e.into()))?;
    array = match options.order {
        Some(Order::C) => array.to_c_order(),
        Some(Order::F) => array.to_fortran_order(),
        None => array,
    };
    if let Some(endian) = options.endian {
        let order = match endian {
            Endian::Little => ByteOrder::Little,
            Endian::Big => ByteOrder::Big,
            Endian::Native => ByteOrder::native(),
        };
        array = array.to_byte_order(order)?;
    }
    // Both paths write through `write_atomically` rather than `NpyArray::save`, to give the
    // output the permissions a plain file would get (npy-core's save leaves tempfile's 0600).
    let prelude = match options.version {
        None => array.header().to_bytes()?,
        Some(version) => array.header().to_bytes_with_version(match version {
            FormatVersion::V1 => Version::V1,
            FormatVersion::V2 => Version::V2,
            FormatVersion::V3 => Version::V3,
        })?,
    };
    write_atomically(output, &[&prelude, array.data()]).map_err(out_context)
}

/// Writes `parts` to a temporary file beside `path`, syncs it, and renames it over `path`.
///
/// The file gets the permissions of the file it replaces, or else those of a newly created
/// file (0666 less the umask on Unix), not the temporary file's private 0600.
pub(crate) fn write_atomically(path: &Path, parts: &[&[u8]]) -> Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".npy-convert-").suffix(".tmp");
    if let Ok(existing) = std::fs::metadata(path) {
        builder.permissions(existing.permissions());
    } else {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
    }
    let mut temp = builder
        .tempfile_in(dir)
        .map_err(|e| CliError::io(e, "cannot create a temporary file"))?;
    for part in parts {
        temp.write_all(part)
            .map_err(|e| CliError::io(e, "cannot write"))?;
    }
    temp.as_file()
        .sync_all()
        .map_err(|e| CliError::io(e, "cannot sync"))?;
    temp.persist(path)
        .map_err(|e| CliError::io(e.error, "cannot rename the temporary file into place"))?;
    Ok(())
}
