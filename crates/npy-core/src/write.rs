//! Writing `.npy` files: the canonical header followed by the data, and atomic saves.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use crate::element::Element;
use crate::error::{Error, Result};
use crate::header::Header;

/// Writes `header` (exactly as `np.save` renders it) followed by `data`.
///
/// ```
/// use npy_core::{write_array, DType, Header, ScalarKind, ByteOrder, Scalar};
///
/// let dtype = DType::Scalar(Scalar::new(ScalarKind::Int(2), ByteOrder::Big)?);
/// let mut out = Vec::new();
/// write_array(&mut out, &Header::new(dtype, vec![2]), &[0, 1, 0, 2])?;
/// assert_eq!(&out[10..38], b"{'descr': '>i2', 'fortran_or");
/// assert_eq!(out.len(), 128 + 4);
/// # Ok::<(), npy_core::Error>(())
/// ```
///
/// # Errors
/// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) when `data` is not `header.data_len()` bytes;
/// [`ErrorKind::Unsupported`](crate::ErrorKind::Unsupported) for object dtypes; [`ErrorKind::Io`](crate::ErrorKind::Io) from the writer.
pub fn write_array<W: Write>(mut writer: W, header: &Header, data: &[u8]) -> Result<()> {
    header.check_data(data)?;
    let prelude = header.to_bytes()?;
    writer
        .write_all(&prelude)
        .and_then(|()| writer.write_all(data))
        .and_then(|()| writer.flush())
        .map_err(|e| Error::io(e, "writing array"))
}

/// Writes `header` and `data` to `path` atomically: into a temporary file in the same folder,
/// which replaces `path` only once everything is written. On any error `path` is left as it
/// was, and readers never see a partly written file.
///
/// Like `np.save`, it does not fsync: after a power failure the file may be the old or the new
/// version (filesystems that order data before renames, such as ext4 by default, never show a
/// mix). Call [`std::fs::File::sync_all`] on the file afterwards when durability matters.
pub fn save(path: impl AsRef<Path>, header: &Header, data: &[u8]) -> Result<()> {
    save_bytes(path.as_ref(), header, data)
}

pub(crate) fn save_bytes(path: &Path, header: &Header, data: &[u8]) -> Result<()> {
    header.check_data(data)?;
    let prelude = header.to_bytes()?;
    atomic_write(path, |file| {
        preallocate(file, (prelude.len() + data.len()) as u64);
        let mut file = BufWriter::with_capacity(0, file);
        file.write_all(&prelude)?;
        file.write_all(data)?;
        file.flush()
    })
}

/// Runs `write` on a temporary file beside `path`, then renames it over `path`.
pub(crate) fn atomic_write(
    path: &Path,
    write: impl FnOnce(&mut File) -> std::io::Result<()>,
) -> Result<()> {
    let mut temp = temp_file_beside(path)?;
    write(temp.as_file_mut()).map_err(|e| Error::io(e, &format!("writing {}", path.display())))?;
    persist(temp, path)
}

/// A temporary file in `path`'s folder (so the final rename stays on one filesystem), with the
/// permissions `path` has if it exists, or those a new file gets (0666 less the umask).
pub(crate) fn temp_file_beside(path: &Path) -> Result<tempfile::NamedTempFile> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".npy-").suffix(".tmp");
    // Created as open(2) creates a new file: 0666 less the umask.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let temp = builder.tempfile_in(dir).map_err(|e| {
        Error::io(
            e,
            &format!("creating a temporary file for {}", path.display()),
        )
    })?;
    // Replacing a file keeps its permissions, as writing over it in place would.
    if let Ok(meta) = std::fs::metadata(path) {
        let _ = temp.as_file().set_permissions(meta.permissions());
    }
    Ok(temp)
}

/// Renames a finished temporary file over `path`.
pub(crate) fn persist(temp: tempfile::NamedTempFile, path: &Path) -> Result<()> {
    // Replacing a large file frees its cached pages, which takes the rename ~50 ms per GiB.
    // Holding the old file open moves that work to a background thread's close.
    let replaced = std::fs::File::open(path)
        .ok()
        .filter(|f| f.metadata().is_ok_and(|m| m.len() >= DEFERRED_FREE_MIN));
    temp.persist(path).map_err(|e| {
        Error::io(
            e.error,
            &format!("renaming the temporary file to {}", path.display()),
        )
    })?;
    if let Some(old) = replaced {
        std::thread::spawn(move || drop(old));
    }
    Ok(())
}

/// Replaced files at least this large are released in the background.
const DEFERRED_FREE_MIN: u64 = 64 << 20;
/// Reserves the file's blocks before writing, as NumPy does (`npy_fallocate`): writing into
/// preallocated extents is about three times faster on ext4 than allocating during the write,
/// and a full disk fails before any data is written. Best effort: filesystems without fallocate
/// simply allocate as they go.
pub(crate) fn preallocate(file: &File, len: u64) {
    #[cfg(target_os = "linux")]
    if len > 0 {
        let _ = rustix::fs::fallocate(file, rustix::fs::FallocateFlags::empty(), 0, len);
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (file, len);
}

/// Writes borrowed elements as a C-order array of `shape`, exactly as `np.save` would.
///
/// ```
/// let mut out = Vec::new();
/// npy_core::write_slice(&mut out, &[2, 2], &[1u16, 2, 3, 4])?;
/// let back: npy_core::Array<u16> = npy_core::read_slice(&out)?;
/// assert_eq!(back.data(), &[1, 2, 3, 4]);
/// # Ok::<(), npy_core::Error>(())
/// ```
pub fn write_slice<T: Element, W: Write>(writer: W, shape: &[u64], data: &[T]) -> Result<()> {
    write_array(
        writer,
        &Header::new(T::dtype(), shape.to_vec()),
        T::as_bytes(data),
    )
}

/// Saves borrowed elements as a C-order array of `shape`, atomically (see [`save`]).
pub fn save_slice<T: Element>(path: impl AsRef<Path>, shape: &[u64], data: &[T]) -> Result<()> {
    save_bytes(
        path.as_ref(),
        &Header::new(T::dtype(), shape.to_vec()),
        T::as_bytes(data),
    )
}
