//! `npy validate`: is each file a `.npy` that NumPy loads, with all its data present?
//!
//! A file is valid when its header is (magic, version, a header dict NumPy accepts, a valid
//! dtype) and the file holds at least the data bytes the header promises. Bytes after the data
//! are allowed, as `np.load` ignores them. Object arrays are reported invalid: their data is a
//! Python pickle, which this tool cannot check (and which `np.load` refuses by default).
//!
//! An `.npz` archive is checked member by member (`ARCHIVE:NAME: reason`), each read to its end
//! so that its CRC-32 is verified; members that are not `.npy` data only need a good CRC. One
//! member is checked on its own as `ARCHIVE:NAME`.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use npy_npz::NpzReader;

use crate::error::Result;
use crate::member::{is_archive, open_archive};
use crate::open::{count_remaining, truncated, DataStatus, NpyFile};

/// Checks every file, printing `FILE: reason` for each bad one (and `FILE: ok` for good ones
/// when `verbose`). Returns whether all were valid.
///
/// # Errors
/// Only failures to write the report.
pub fn run(paths: &[PathBuf], verbose: bool, out: &mut impl Write) -> Result<bool> {
    let mut all_valid = true;
    for path in paths {
        if is_archive(path) {
            all_valid &= check_archive(path, verbose, out)?;
            continue;
        }
        match check(path) {
            Ok(note) => {
                if verbose {
                    writeln!(out, "{}: ok{note}", path.display())?;
                }
            }
            Err(reason) => {
                all_valid = false;
                writeln!(out, "{}: {reason}", path.display())?;
            }
        }
    }
    Ok(all_valid)
}

/// `Ok` with a note for the verbose line, or the reason the file is invalid.
fn check(path: &Path) -> std::result::Result<String, String> {
    let file = NpyFile::open(path).map_err(|e| e.to_string())?;
    let status = file.data_status().map_err(|e| e.to_string())?;
    // A member's CRC is only checked by reading it to the end.
    let status = match status {
        DataStatus::Pickle => DataStatus::Pickle,
        _ if file.is_member() => DataStatus::Unknown,
        other => other,
    };
    let status = match status {
        DataStatus::Unknown => {
            let expected = file.header().data_len().map_err(|e| e.to_string())?;
            let present = count_remaining(&mut file.into_data()).map_err(|e| e.to_string())?;
            match present.checked_sub(expected) {
                Some(0) => DataStatus::Complete,
                Some(extra) => DataStatus::Trailing(extra),
                None => DataStatus::Truncated { expected, present },
            }
        }
        known => known,
    };
    match status {
        DataStatus::Complete | DataStatus::Unknown => Ok(String::new()),
        DataStatus::Trailing(extra) => Ok(format!(" ({extra} bytes after the data, ignored)")),
        DataStatus::Truncated { expected, present } => {
            Err(truncated(expected, present).to_string())
        }
        DataStatus::Pickle => Err(
            "object dtype: the data is a Python pickle, which npy cannot check (np.load needs \
             allow_pickle=True)"
                .to_owned(),
        ),
    }
}

/// Checks every member of the archive at `path`; returns whether all were valid.
fn check_archive(path: &Path, verbose: bool, out: &mut impl Write) -> Result<bool> {
    let mut archive = match open_archive(path) {
        Ok(archive) => archive,
        Err(e) => {
            writeln!(out, "{}: {e}", path.display())?;
            return Ok(false);
        }
    };
    if archive.is_empty() && verbose {
        writeln!(out, "{}: ok (empty archive)", path.display())?;
    }
    let names: Vec<String> = archive.names().map(str::to_owned).collect();
    let mut all_valid = true;
    for (index, name) in names.iter().enumerate() {
        match check_member(&mut archive, index) {
            Ok(note) => {
                if verbose {
                    writeln!(out, "{}:{name}: ok{note}", path.display())?;
                }
            }
            Err(reason) => {
                all_valid = false;
                writeln!(out, "{}:{name}: {reason}", path.display())?;
            }
        }
    }
    Ok(all_valid)
}

/// Checks the `index`-th member: a valid `.npy` with all its data, or other bytes with a good
/// CRC.
fn check_member(
    archive: &mut NpzReader<File>,
    index: usize,
) -> std::result::Result<String, String> {
    let mut member = archive.by_index(index).map_err(|e| e.to_string())?;
    let Some(parsed) = member.read_header().map_err(|e| e.to_string())? else {
        member.finish().map_err(|e| e.to_string())?;
        return Ok(" (not .npy data)".to_owned());
    };
    if parsed.header.dtype.has_object() {
        return Err(
            "object dtype: the data is a Python pickle, which npy cannot check (np.load \
                    needs allow_pickle=True)"
                .to_owned(),
        );
    }
    let expected = parsed.header.data_len().map_err(|e| e.to_string())?;
    let present = std::io::copy(&mut member, &mut std::io::sink()).map_err(|e| {
        member
            .take_error()
            .map_or_else(|| e.to_string(), |err| err.to_string())
    })?;
    match present.checked_sub(expected) {
        Some(0) => Ok(String::new()),
        Some(extra) => Ok(format!(" ({extra} bytes after the data, ignored)")),
        None => Err(truncated(expected, present).to_string()),
    }
}
