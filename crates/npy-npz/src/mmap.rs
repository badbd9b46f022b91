//! A memory-mapped archive: stored members viewed in place, without reading or copying them.
//! NumPy ignores `mmap_mode` for `.npz` files; here a stored member of any size opens in O(1).
//!
//! The one `unsafe` operation is creating the map. Its contract, as for `np.memmap` and
//! [`npy_core::MmapArray`], is that nobody truncates or rewrites the file while it is mapped.
#![allow(unsafe_code)]

use std::fs::File;
use std::io::Cursor;
use std::path::Path;

use memmap2::Mmap;
use npy_core::{ArrayView, Error, ErrorKind, ReadOptions, Result};

use crate::directory::{Directory, Entry};
use crate::format::{corrupt, io_error, Method};

/// An `.npz` archive mapped into memory.
///
/// ```no_run
/// let archive = npy_npz::NpzMmap::open("weights.npz")?;
/// let layer = archive.view("layer0")?;          // CRC-checked, no copy
/// println!("{:?} {}", layer.header().shape, layer.data().len());
/// let fast = archive.view_unchecked_crc("layer1")?; // O(1): header and bounds only
/// # let _ = fast;
/// # Ok::<(), npy_core::Error>(())
/// ```
///
/// Typed slices ([`ArrayView::as_slice`]) need the data aligned for the element type. Archives
/// NumPy writes put member data at arbitrary offsets; [`crate::NpzWriter::with_alignment`]
/// writes archives whose array data is 64-byte aligned, which NumPy reads as usual.
#[derive(Debug)]
pub struct NpzMmap {
    map: Mmap,
    dir: Directory,
    options: ReadOptions,
}

impl NpzMmap {
    /// Maps the archive at `path` and reads its directory.
    pub fn open(path: impl AsRef<Path>) -> Result<NpzMmap> {
        Self::open_with_options(path, &ReadOptions::default())
    }

    /// [`NpzMmap::open`] with limits for the members' `.npy` headers.
    pub fn open_with_options(path: impl AsRef<Path>, options: &ReadOptions) -> Result<NpzMmap> {
        let path = path.as_ref();
        let file =
            File::open(path).map_err(|e| io_error(e, &format!("opening {}", path.display())))?;
        // SAFETY: the map is read-only and private to this value; the only hazard is another
        // process changing the file underneath, which the type's documentation makes the
        // caller's responsibility (the contract of np.memmap and npy_core::MmapArray).
        let map = unsafe { Mmap::map(&file) }
            .map_err(|e| io_error(e, &format!("mapping {}", path.display())))?;
        let dir =
            Directory::read(&mut Cursor::new(&map[..])).map_err(|e| e.context(path.display()))?;
        Ok(NpzMmap {
            map,
            dir,
            options: options.clone(),
        })
    }

    /// `np.load(...).files`: member names without `.npy`, in archive order.
    pub fn files(&self) -> impl Iterator<Item = &str> + '_ {
        self.dir.entries.iter().map(Entry::key)
    }

    /// Every member's directory entry, in archive order.
    pub fn entries(&self) -> &[Entry] {
        &self.dir.entries
    }

    /// The entry `key` names (with or without `.npy`), by np.load's rules.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.dir.find(key).map(|i| &self.dir.entries[i])
    }

    /// The whole mapped archive.
    pub fn as_bytes(&self) -> &[u8] {
        &self.map
    }

    /// A stored member's bytes in place, after checking their CRC-32 (one pass over them).
    ///
    /// # Errors
    /// [`ErrorKind::Unsupported`] for a deflated member (read it with [`crate::NpzReader`]);
    /// [`ErrorKind::InvalidData`] for a CRC mismatch; lookup errors as
    /// [`crate::NpzReader::by_name`].
    pub fn member_bytes(&self, key: &str) -> Result<&[u8]> {
        let (entry, bytes) = self.stored(key)?;
        if crc32fast::hash(bytes) != entry.crc32() {
            return Err(corrupt(format!("Bad CRC-32 for file '{}'", entry.name())));
        }
        Ok(bytes)
    }

    /// A stored member's `.npy` array viewed in place, after checking the member's CRC-32.
    pub fn view(&self, key: &str) -> Result<ArrayView<'_>> {
        let bytes = self.member_bytes(key)?;
        self.view_of(key, bytes)
    }

    /// A stored member's `.npy` array viewed in place without reading its data: only the
    /// header and the data's bounds are checked, not the CRC-32, so opening costs the same for
    /// any size. Corrupted data bytes go unnoticed; use [`NpzMmap::view`] when that matters.
    pub fn view_unchecked_crc(&self, key: &str) -> Result<ArrayView<'_>> {
        let (_, bytes) = self.stored(key)?;
        self.view_of(key, bytes)
    }

    fn view_of<'a>(&self, key: &str, bytes: &'a [u8]) -> Result<ArrayView<'a>> {
        ArrayView::with_options(bytes, &self.options)
            .map_err(|e| e.context(format!("member '{key}'")))
    }

    fn stored(&self, key: &str) -> Result<(&Entry, &[u8])> {
        let index = self.dir.require(key)?;
        let entry = &self.dir.entries[index];
        if entry.method() != Method::Stored {
            return Err(Error::new(
                ErrorKind::Unsupported,
                format!(
                    "member '{}' is {}; only stored members can be viewed in place (read it \
                     with NpzReader)",
                    entry.name(),
                    entry.method()
                ),
            ));
        }
        let start = self.dir.data_start(&mut &self.map[..], index)?;
        // data_start checked that the member's bytes lie inside the archive.
        let start = usize::try_from(start).map_err(|_| too_large())?;
        let len = usize::try_from(entry.size()).map_err(|_| too_large())?;
        Ok((entry, &self.map[start..start + len]))
    }
}

fn too_large() -> Error {
    Error::new(
        ErrorKind::Overflow,
        "member does not fit this machine's address space",
    )
}
