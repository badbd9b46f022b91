//! `ARCHIVE.npz:NAME`: a member of an `.npz` archive named where a `.npy` file is expected.
//!
//! A path that exists is always the file itself. Otherwise, when a prefix of it up to a `:` is
//! an existing file, that prefix is the archive and the rest is the member's name, looked up by
//! np.load's rules (`x` or `x.npy`).

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use npy_npz::{NpzReader, OwnedMember};

use crate::error::{CliError, Result};

/// Splits `ARCHIVE:NAME` when `path` does not exist but `ARCHIVE` does (the first `:` that
/// gives an existing file; member names may contain `:` themselves).
pub fn split(path: &Path) -> Option<(PathBuf, String)> {
    if path.exists() {
        return None;
    }
    let text = path.to_str()?;
    text.match_indices(':').find_map(|(i, _)| {
        let archive = Path::new(&text[..i]);
        archive
            .is_file()
            .then(|| (archive.to_path_buf(), text[i + 1..].to_owned()))
    })
}

/// Whether the file at `path` starts like a zip archive (`PK\x03\x04`, or `PK\x05\x06` for an
/// empty one), as np.load tells an `.npz` from an `.npy`. Only regular files are looked at, so
/// no byte of a pipe is consumed.
pub fn is_archive(path: &Path) -> bool {
    let mut magic = [0u8; 4];
    std::fs::metadata(path).is_ok_and(|m| m.is_file())
        && File::open(path)
            .and_then(|mut f| f.read_exact(&mut magic))
            .is_ok()
        && (&magic == b"PK\x03\x04" || &magic == b"PK\x05\x06")
}

/// Opens an archive, with the error worded for the tool.
pub fn open_archive(path: &Path) -> Result<NpzReader<File>> {
    let file = File::open(path).map_err(|e| CliError::io(e, "cannot open"))?;
    if file.metadata().is_ok_and(|m| m.is_dir()) {
        return Err(CliError::msg("is a directory"));
    }
    Ok(NpzReader::new(file)?)
}

/// Opens member `name` of `archive`.
pub fn open(archive: &Path, name: &str) -> Result<OwnedMember<File>> {
    if name.is_empty() {
        return Err(CliError::msg(
            "no member named after ':' (list them with `npy ls ARCHIVE`)",
        ));
    }
    let reader = open_archive(archive)?;
    Ok(reader.into_member(name)?)
}
