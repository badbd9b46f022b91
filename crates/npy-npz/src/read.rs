//! [`NpzReader`]: an archive opened for reading, with np.load's member lookup.

use std::fs::File;
use std::io::{Read, Seek};
use std::path::Path;

use npy_core::{Array, Element, NpyArray, ReadOptions, Result};

use crate::directory::{Directory, Entry};
use crate::format::io_error;
use crate::member::{Member, OwnedMember, Source, Value};

/// An `.npz` archive opened for reading.
///
/// Members are found by np.load's rules: `by_name("x")` and `by_name("x.npy")` both find the
/// member `x.npy`; when members `dup` and `dup.npy` both exist, `"dup"` is the one literally
/// named `dup`; when a name occurs twice, the later member wins. Every read checks the member's
/// size and CRC-32.
///
/// ```
/// use npy_npz::{NpzReader, NpzWriter};
/// use npy_core::Array;
/// use std::io::Cursor;
///
/// let mut writer = NpzWriter::new(Cursor::new(Vec::new()));
/// writer.add("weights", &Array::from_vec(vec![2], vec![0.5f32, 1.5])?)?;
/// writer.add_unnamed(&Array::from_vec(vec![3], vec![1i64, 2, 3])?)?;
/// let bytes = writer.finish()?.into_inner();
///
/// let mut archive = NpzReader::new(Cursor::new(bytes))?;
/// assert_eq!(archive.files().collect::<Vec<_>>(), ["weights", "arr_0"]);
/// let weights: Array<f32> = archive.read_typed("weights")?;
/// assert_eq!(weights.data(), &[0.5, 1.5]);
/// let first = archive.read_array("arr_0.npy")?;
/// assert_eq!(first.shape(), &[3]);
/// # Ok::<(), npy_core::Error>(())
/// ```
#[derive(Debug)]
pub struct NpzReader<R: Read> {
    source: Source<R>,
    dir: Directory,
    options: ReadOptions,
}

impl NpzReader<File> {
    /// Opens the archive at `path`.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        Self::open_with_options(path, &ReadOptions::default())
    }

    /// [`NpzReader::open`] with limits for the members' `.npy` headers.
    pub fn open_with_options(path: impl AsRef<Path>, options: &ReadOptions) -> Result<Self> {
        let path = path.as_ref();
        let file =
            File::open(path).map_err(|e| io_error(e, &format!("opening {}", path.display())))?;
        Self::with_options(file, options).map_err(|e| e.context(path.display()))
    }
}

impl<R: Read + Seek> NpzReader<R> {
    /// Reads the archive's directory. Members are read on demand.
    ///
    /// # Errors
    /// [`npy_core::ErrorKind::InvalidData`] when the input is not a zip archive (no end of
    /// central directory record, as for a truncated file) or its directory is corrupt.
    pub fn new(reader: R) -> Result<Self> {
        Self::with_options(reader, &ReadOptions::default())
    }

    /// [`NpzReader::new`] with limits for the members' `.npy` headers (np.load's
    /// `max_header_size` applies per member, too).
    pub fn with_options(mut reader: R, options: &ReadOptions) -> Result<Self> {
        let dir = Directory::read(&mut reader)?;
        let source = Source::new(reader).map_err(|e| io_error(e, "reading the archive"))?;
        Ok(NpzReader {
            source,
            dir,
            options: options.clone(),
        })
    }

    /// The number of members (duplicates included).
    pub fn len(&self) -> usize {
        self.dir.entries.len()
    }

    /// Whether the archive has no members (as an empty `np.savez` writes).
    pub fn is_empty(&self) -> bool {
        self.dir.entries.is_empty()
    }

    /// `np.load(...).files`: every member's name without a trailing `.npy`, in archive order,
    /// duplicates included.
    pub fn files(&self) -> impl Iterator<Item = &str> + '_ {
        self.dir.entries.iter().map(Entry::key)
    }

    /// The members' file names as stored, in archive order.
    pub fn names(&self) -> impl Iterator<Item = &str> + '_ {
        self.dir.entries.iter().map(Entry::name)
    }

    /// Every member's directory entry, in archive order.
    pub fn entries(&self) -> &[Entry] {
        &self.dir.entries
    }

    /// The entry `key` names (with or without `.npy`), by np.load's rules.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.dir.find(key).map(|i| &self.dir.entries[i])
    }

    /// Whether `key` names a member.
    pub fn contains(&self, key: &str) -> bool {
        self.dir.find(key).is_some()
    }

    /// Opens the member `key` names.
    ///
    /// # Errors
    /// [`npy_core::ErrorKind::InvalidArgument`] with np.load's text `"{key} is not a file in
    /// the archive"` when no member matches; errors about its local header, an unsupported
    /// method, or data claimed past the archive's end.
    pub fn by_name(&mut self, key: &str) -> Result<Member<'_, R>> {
        let index = self.dir.require(key)?;
        self.by_index(index)
    }

    /// Opens the `index`-th member in archive order.
    ///
    /// # Panics
    /// When `index >= self.len()`.
    pub fn by_index(&mut self, index: usize) -> Result<Member<'_, R>> {
        let start = self.dir.data_start(&mut self.source, index)?;
        Member::open(
            &self.dir.entries[index],
            &mut self.source,
            start,
            &self.options,
        )
    }

    /// Opens the member `key` names, handing it the archive's reader (for callers that keep
    /// one member open without borrowing the archive).
    pub fn into_member(mut self, key: &str) -> Result<OwnedMember<R>> {
        let index = self.dir.require(key)?;
        let start = self.dir.data_start(&mut self.source, index)?;
        OwnedMember::open(&self.dir.entries[index], self.source, start, &self.options)
    }

    /// `np.load(...)[key]`: the member's array, or its bytes when it is not `.npy` data.
    pub fn read(&mut self, key: &str) -> Result<Value> {
        self.by_name(key)?.read_value()
    }

    /// The member's array, of any dtype.
    pub fn read_array(&mut self, key: &str) -> Result<NpyArray> {
        self.by_name(key)?.read_array()
    }

    /// The member's array as `T` elements in native byte order.
    pub fn read_typed<T: Element>(&mut self, key: &str) -> Result<Array<T>> {
        self.by_name(key)?.read_typed()
    }

    /// The member's bytes, decompressed, whatever they hold.
    pub fn read_bytes(&mut self, key: &str) -> Result<Vec<u8>> {
        self.by_name(key)?.read_bytes()
    }

    /// Gives back the underlying reader.
    pub fn into_inner(self) -> R {
        self.source.into_inner()
    }
}
