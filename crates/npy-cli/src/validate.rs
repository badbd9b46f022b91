//! `npy validate`: is each file a `.npy` that NumPy loads, with all its data present?
//!
//! A file is valid when `np.load(path, allow_pickle=False)` reads it (with its default limit on
//! header size lifted, as the conformance corpus judges): its header is (magic, version, a
//! header dict NumPy accepts, a valid dtype: see [`crate::load`]) and the file holds at least
//! the data bytes the header promises. Bytes after
//! the data are allowed, as `np.load` ignores them. Object arrays are reported invalid: their
//! data is a Python pickle, which this tool cannot check (and which `np.load` refuses by
//! default). Files NumPy reads but this tool does not are reported as unsupported.
//!
//! An `.npz` archive is checked member by member (`ARCHIVE:NAME: reason`), each read to its end
//! so that its CRC-32 is verified; members that are not `.npy` data only need a good CRC. One
//! member is checked on its own as `ARCHIVE:NAME`.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use npy_npz::NpzReader;

use crate::error::{CliError, Result};
use crate::load;
use crate::member::{is_archive, open_archive};
use crate::open::{count_remaining, truncated, Source};

/// The verdict on a set of files: the worst of the verdicts on each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    /// Every file is valid (exit 0).
    Valid,
    /// None is invalid, but some are valid files this tool cannot check (exit 2).
    Unsupported,
    /// Some file is invalid (exit 1).
    Invalid,
}

impl Verdict {
    fn of(problem: &CliError) -> Verdict {
        if problem.is_unsupported() {
            Verdict::Unsupported
        } else {
            Verdict::Invalid
        }
    }
}

/// Checks every file, printing `FILE: reason` for each bad one (and `FILE: ok` for good ones
/// when `verbose`; `FILE: unsupported: reason` for files NumPy reads and this tool cannot
/// check). Returns the overall verdict.
///
/// # Errors
/// Only failures to write the report.
pub fn run(paths: &[PathBuf], verbose: bool, out: &mut impl Write) -> Result<Verdict> {
    let mut verdict = Verdict::Valid;
    for path in paths {
        if is_archive(path) {
            verdict = verdict.max(check_archive(path, verbose, out)?);
            continue;
        }
        verdict = verdict.max(report(
            &path.display().to_string(),
            check(path),
            verbose,
            out,
        )?);
    }
    Ok(verdict)
}

/// Prints the line for one file or member; returns its verdict.
fn report(
    name: &str,
    result: std::result::Result<String, CliError>,
    verbose: bool,
    out: &mut impl Write,
) -> Result<Verdict> {
    match result {
        Ok(note) => {
            if verbose {
                writeln!(out, "{name}: ok{note}")?;
            }
            Ok(Verdict::Valid)
        }
        Err(problem) => {
            writeln!(out, "{name}: {problem}")?;
            Ok(Verdict::of(&problem))
        }
    }
}

/// `Ok` with a note for the verbose line, or why the file (or `ARCHIVE:NAME` member) is not
/// one np.load reads.
fn check(path: &Path) -> std::result::Result<String, CliError> {
    let mut source = Source::open(path)?;
    let loaded = load::read_header(&mut source.reader)?;
    let expected = loaded.header.data_len()?;
    let present = match source.len {
        // A member's CRC is only checked by reading it to the end.
        Some(len) if !source.member => len.saturating_sub(loaded.data_offset),
        _ => count_remaining(&mut source.reader)?,
    };
    data_note(expected, present)
}

/// The verbose note for `present` data bytes where `expected` are promised, or the error.
fn data_note(expected: u64, present: u64) -> std::result::Result<String, CliError> {
    match present.checked_sub(expected) {
        Some(0) => Ok(String::new()),
        Some(extra) => Ok(format!(" ({extra} bytes after the data, ignored)")),
        None => Err(truncated(expected, present)),
    }
}

/// Checks every member of the archive at `path`; returns the verdict on the archive.
fn check_archive(path: &Path, verbose: bool, out: &mut impl Write) -> Result<Verdict> {
    let mut archive = match open_archive(path) {
        Ok(archive) => archive,
        Err(e) => {
            writeln!(out, "{}: {e}", path.display())?;
            return Ok(Verdict::Invalid);
        }
    };
    if archive.is_empty() && verbose {
        writeln!(out, "{}: ok (empty archive)", path.display())?;
    }
    let names: Vec<String> = archive.names().map(str::to_owned).collect();
    let mut verdict = Verdict::Valid;
    for (index, name) in names.iter().enumerate() {
        let result = check_member(&mut archive, index);
        let line = format!("{}:{name}", path.display());
        verdict = verdict.max(report(&line, result, verbose, out)?);
    }
    Ok(verdict)
}

/// Checks the `index`-th member: a `.npy` np.load reads, with all its data, or other bytes
/// (np.load returns them) with a good CRC.
fn check_member(
    archive: &mut NpzReader<File>,
    index: usize,
) -> std::result::Result<String, CliError> {
    let mut member = archive.by_index(index)?;
    let loaded = match load::read_member_header(&mut member) {
        Ok(Some(loaded)) => loaded,
        Ok(None) => {
            member.finish()?;
            return Ok(" (not .npy data)".to_owned());
        }
        // A failure of the member's stream (CRC, inflate) is reported as the archive words it.
        Err(e) => return Err(member.take_error().map_or(e, CliError::from)),
    };
    let expected = loaded.header.data_len()?;
    let present = std::io::copy(&mut member, &mut std::io::sink()).map_err(|e| {
        member
            .take_error()
            .map_or_else(|| CliError::io(e, "reading data"), CliError::from)
    })?;
    data_note(expected, present)
}
