//! `npy validate`: is each file a `.npy` that NumPy loads, with all its data present?
//!
//! A file is valid when its header is (magic, version, a header dict NumPy accepts, a valid
//! dtype) and the file holds at least the data bytes the header promises. Bytes after the data
//! are allowed, as `np.load` ignores them. Object arrays are reported invalid: their data is a
//! Python pickle, which this tool cannot check (and which `np.load` refuses by default).

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::Result;
use crate::open::{count_remaining, truncated, DataStatus, NpyFile};

/// Checks every file, printing `FILE: reason` for each bad one (and `FILE: ok` for good ones
/// when `verbose`). Returns whether all were valid.
///
/// # Errors
/// Only failures to write the report.
pub fn run(paths: &[PathBuf], verbose: bool, out: &mut impl Write) -> Result<bool> {
    let mut all_valid = true;
    for path in paths {
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
