//! `npy extract`: members of an `.npz` archive written out as files.
//!
//! Each member goes to `DIR/<its stored file name>` (a `/` in the name makes subfolders), with
//! exactly the bytes the archive holds for it, decompressed and CRC-checked: a `.npy` member
//! becomes the `.npy` file NumPy saved. Names that would land outside `DIR` (absolute paths,
//! `..` components, backslashes or drive letters that another system would read as paths) are
//! refused before anything is written. Each file is written to a temporary name and renamed
//! into place only once its CRC has checked out, so a corrupt member leaves no partial file.

use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

use crate::error::{CliError, Result};
use crate::member::open_archive;

/// Extracts member `name` (every member when `None`) of `archive` into `dir`, printing the path
/// of each file written.
///
/// # Errors
/// The archive cannot be read, a name is refused or not found, a member is corrupt, or a file
/// cannot be written.
pub fn run(
    archive_path: &Path,
    name: Option<&str>,
    dir: &Path,
    out: &mut impl Write,
) -> Result<()> {
    let context = |e: CliError| e.context(archive_path.display());
    let mut archive = open_archive(archive_path).map_err(context)?;
    let indices: Vec<usize> = match name {
        Some(key) => {
            let entry = archive.entry(key).ok_or_else(|| {
                context(CliError::msg(format!("{key} is not a file in the archive")))
            })?;
            let wanted = entry.clone();
            vec![archive
                .entries()
                .iter()
                .rposition(|e| *e == wanted)
                .expect("the entry came from this archive")]
        }
        None => (0..archive.len()).collect(),
    };
    // Every destination is checked before anything is written.
    let targets: Vec<(usize, PathBuf)> = indices
        .into_iter()
        .map(|i| {
            let stored = archive.entries()[i].name();
            safe_path(stored)
                .map(|relative| (i, dir.join(relative)))
                .map_err(|why| context(CliError::msg(format!("refusing member '{stored}': {why}"))))
        })
        .collect::<Result<_>>()?;
    for (index, target) in targets {
        let stored = archive.entries()[index].name().to_owned();
        if stored.ends_with('/') {
            // A directory entry (np.savez writes none).
            fs::create_dir_all(&target)
                .map_err(|e| CliError::io(e, format!("cannot create {}", target.display())))?;
            continue;
        }
        let folder = target.parent().unwrap_or(dir);
        fs::create_dir_all(folder)
            .map_err(|e| CliError::io(e, format!("cannot create {}", folder.display())))?;
        let mut builder = tempfile::Builder::new();
        builder.prefix(".npy-extract-").suffix(".tmp");
        // Created as open(2) creates a new file: 0666 less the umask, not tempfile's 0600.
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
        let mut temp = builder
            .tempfile_in(folder)
            .map_err(|e| CliError::io(e, format!("cannot write in {}", folder.display())))?;
        let mut member = archive.by_index(index).map_err(|e| context(e.into()))?;
        if let Err(e) = io::copy(&mut member, temp.as_file_mut()) {
            let err = match member.take_error() {
                Some(err) => CliError::from(err),
                None => CliError::io(e, format!("cannot write {}", target.display())),
            };
            return Err(context(err));
        }
        temp.persist(&target)
            .map_err(|e| CliError::io(e.error, format!("cannot create {}", target.display())))?;
        writeln!(out, "{}", target.display())?;
    }
    Ok(())
}

/// The relative path a stored name maps to, or why it is refused.
fn safe_path(stored: &str) -> std::result::Result<PathBuf, &'static str> {
    if stored.is_empty() {
        return Err("the name is empty");
    }
    if stored.starts_with('/') {
        return Err("it is an absolute path");
    }
    if stored.contains('\\') || stored.contains('\0') {
        return Err("it contains a backslash or NUL, which some systems read as a path");
    }
    let mut relative = PathBuf::new();
    for part in stored.split('/') {
        if part == ".." {
            return Err("it climbs out of the folder with '..'");
        }
        if part.is_empty() || part == "." {
            continue;
        }
        if part.len() >= 2 && part.as_bytes()[1] == b':' {
            return Err("it starts with a drive letter");
        }
        relative.push(part);
    }
    // Belt and braces: only plain components may remain.
    if relative.as_os_str().is_empty() {
        return Err("the name has no file name in it");
    }
    if !relative
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
    {
        return Err("it is not a plain relative path");
    }
    Ok(relative)
}

#[cfg(test)]
mod tests {
    use super::safe_path;
    use std::path::PathBuf;

    #[test]
    fn names_that_escape_are_refused() {
        assert_eq!(safe_path("a/b.npy").unwrap(), PathBuf::from("a/b.npy"));
        assert_eq!(safe_path("./x.npy").unwrap(), PathBuf::from("x.npy"));
        for bad in [
            "../x.npy",
            "a/../../x",
            "/etc/passwd",
            "a\\..\\x",
            "C:x",
            "",
            "a/..",
            "/",
        ] {
            assert!(safe_path(bad).is_err(), "{bad}");
        }
    }
}
