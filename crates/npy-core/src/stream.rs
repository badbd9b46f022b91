//! Writing arrays whose length is not known in advance, and appending rows to existing files.
//!
//! Both rely on NumPy's growth-axis padding: the header leaves room for the first axis (last in
//! Fortran order) to reach 21 digits, so the header can be rewritten with the final length
//! without moving any data, and the result is byte-identical to `np.save` of the whole array.

use std::fs::OpenOptions;
use std::io::{BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::dtype::DType;
use crate::element::Element;
use crate::error::{Error, ErrorKind, Result};
use crate::header::{checked_product, read_header, Header, ReadOptions};
use crate::write::{persist, preallocate, temp_file_beside};

/// Writes rows of a C-order array to a seekable stream, fixing the row count in the header on
/// [`StreamWriter::finish`].
///
/// Until `finish` succeeds the stream starts with `\0NUMPY` instead of `\x93NUMPY`, so an
/// abandoned stream is rejected by every reader, NumPy included, rather than loading with a
/// wrong length.
///
/// ```
/// use npy_core::{Element, StreamWriter, read_slice, Array};
/// use std::io::Cursor;
///
/// let mut writer = StreamWriter::new(Cursor::new(Vec::new()), f32::dtype(), vec![2])?;
/// writer.write_elements(&[1.0f32, 2.0])?;
/// writer.write_elements(&[3.0f32, 4.0, 5.0, 6.0])?;
/// let bytes = writer.finish()?.into_inner();
/// // Identical to saving the whole (3, 2) array at once:
/// let whole = Array::from_vec(vec![3, 2], vec![1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0])?;
/// assert_eq!(bytes, whole.to_npy_bytes()?);
/// # Ok::<(), npy_core::Error>(())
/// ```
#[derive(Debug)]
pub struct StreamWriter<W: Write + Seek> {
    out: W,
    header: Header,
    start: u64,
    prelude_len: usize,
    row_bytes: u64,
    pending: Vec<u8>,
}

impl<W: Write + Seek> StreamWriter<W> {
    /// Starts an array of `dtype` whose rows have `row_shape` (the shape without its first axis).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidArgument`] when a row holds no bytes (the row count could not be
    /// told from the data; write such arrays whole with [`crate::write_array`]).
    pub fn new(mut out: W, dtype: DType, row_shape: Vec<u64>) -> Result<Self> {
        let mut shape = Vec::with_capacity(row_shape.len() + 1);
        shape.push(0);
        shape.extend_from_slice(&row_shape);
        let header = Header::new(dtype, shape);
        header.require_raw_data()?;
        let row_bytes = checked_product(&row_shape)
            .and_then(|n| n.checked_mul(header.dtype.itemsize() as u64))
            .ok_or_else(|| Error::new(ErrorKind::Overflow, "row size overflows 64 bits"))?;
        if row_bytes == 0 {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                "rows of this dtype and shape hold no bytes, so a stream cannot count them",
            ));
        }
        let start = out
            .stream_position()
            .map_err(|e| Error::io(e, "finding the stream position"))?;
        let mut prelude = header.to_bytes()?;
        prelude[0] = 0;
        out.write_all(&prelude)
            .map_err(|e| Error::io(e, "writing the provisional header"))?;
        Ok(StreamWriter {
            out,
            header,
            start,
            prelude_len: prelude.len(),
            row_bytes,
            pending: Vec::new(),
        })
    }

    /// Appends raw bytes in the dtype's layout. They may end mid-row; the row count only counts
    /// whole rows, and `finish` fails if a partial row is left over.
    pub fn write_bytes(&mut self, data: &[u8]) -> Result<()> {
        self.out
            .write_all(data)
            .map_err(|e| Error::io(e, "writing rows"))?;
        let total = self.pending.len() as u64 + data.len() as u64;
        let rows = total / self.row_bytes;
        self.header.shape[0] = self.header.shape[0]
            .checked_add(rows)
            .ok_or_else(|| Error::new(ErrorKind::Overflow, "row count overflows 64 bits"))?;
        let leftover = (total % self.row_bytes) as usize;
        // Keep only the bytes of an incomplete row.
        if leftover == 0 {
            self.pending.clear();
        } else if data.len() >= leftover {
            self.pending.clear();
            self.pending
                .extend_from_slice(&data[data.len() - leftover..]);
        } else {
            self.pending.extend_from_slice(data);
        }
        Ok(())
    }

    /// Appends elements; `T`'s dtype must be the stream's.
    pub fn write_elements<T: Element>(&mut self, data: &[T]) -> Result<()> {
        if self.header.dtype != T::dtype() {
            return Err(Error::new(
                ErrorKind::TypeMismatch,
                format!(
                    "stream has dtype {} but {} elements were written",
                    self.header.dtype,
                    std::any::type_name::<T>()
                ),
            ));
        }
        self.write_bytes(T::as_bytes(data))
    }

    /// Rows written so far.
    pub fn rows(&self) -> u64 {
        self.header.shape[0]
    }

    /// Writes the final header in place and returns the stream, positioned after the data.
    pub fn finish(mut self) -> Result<W> {
        if !self.pending.is_empty() {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                format!(
                    "{} bytes of an incomplete row were written (rows are {} bytes)",
                    self.pending.len(),
                    self.row_bytes
                ),
            ));
        }
        let prelude = self.header.to_bytes()?;
        if prelude.len() != self.prelude_len {
            return Err(Error::new(
                ErrorKind::Overflow,
                "the final header no longer fits the space reserved for it",
            ));
        }
        let end = self
            .out
            .stream_position()
            .map_err(|e| Error::io(e, "finding the stream position"))?;
        let io = |e| Error::io(e, "writing the final header");
        // Everything but the magic's first byte, then that byte: if the rewrite fails part way,
        // the stream still starts with \0NUMPY and no reader loads the stale row count.
        self.out.seek(SeekFrom::Start(self.start + 1)).map_err(io)?;
        self.out.write_all(&prelude[1..]).map_err(io)?;
        self.out.seek(SeekFrom::Start(self.start)).map_err(io)?;
        self.out.write_all(&prelude[..1]).map_err(io)?;
        self.out.seek(SeekFrom::Start(end)).map_err(io)?;
        self.out.flush().map_err(io)?;
        Ok(self.out)
    }
}

/// A [`StreamWriter`] to a path: it writes to a temporary file beside the destination and only
/// moves it into place on [`NpyFileWriter::finish`], so the destination never holds a partial
/// array.
#[derive(Debug)]
pub struct NpyFileWriter {
    inner: StreamWriter<BufWriter<tempfile::NamedTempFile>>,
    path: PathBuf,
}

impl NpyFileWriter {
    /// Starts writing an array of `dtype` with rows of `row_shape` to `path`.
    pub fn create(path: impl AsRef<Path>, dtype: DType, row_shape: Vec<u64>) -> Result<Self> {
        Self::create_with_rows(path, dtype, row_shape, 0)
    }

    /// Like [`NpyFileWriter::create`], reserving disk space for `expected_rows` rows up front
    /// (as `np.save` preallocates): writing into reserved space is several times faster on
    /// ext4. The count is only a hint; the file ends where the data does.
    pub fn create_with_rows(
        path: impl AsRef<Path>,
        dtype: DType,
        row_shape: Vec<u64>,
        expected_rows: u64,
    ) -> Result<Self> {
        let path = path.as_ref().to_path_buf();
        let temp = temp_file_beside(&path)?;
        let row_bytes = checked_product(&row_shape)
            .and_then(|n| n.checked_mul(dtype.itemsize() as u64))
            .and_then(|n| n.checked_mul(expected_rows));
        if let Some(bytes) = row_bytes.filter(|&b| b > 0) {
            // The header is under 64 KiB unless the dtype is huge; a short reservation is harmless.
            preallocate(temp.as_file(), bytes.saturating_add(64 << 10));
        }
        let inner = StreamWriter::new(BufWriter::with_capacity(1 << 20, temp), dtype, row_shape)?;
        Ok(NpyFileWriter { inner, path })
    }

    /// See [`StreamWriter::write_bytes`].
    pub fn write_bytes(&mut self, data: &[u8]) -> Result<()> {
        self.inner.write_bytes(data)
    }

    /// See [`StreamWriter::write_elements`].
    pub fn write_elements<T: Element>(&mut self, data: &[T]) -> Result<()> {
        self.inner.write_elements(data)
    }

    /// Rows written so far.
    pub fn rows(&self) -> u64 {
        self.inner.rows()
    }

    /// Finalises the header and renames the file into place (without fsync, as [`crate::save`]).
    pub fn finish(self) -> Result<()> {
        let buffered = self.inner.finish()?;
        let temp = buffered
            .into_inner()
            .map_err(|e| Error::io(e.into_error(), "flushing"))?;
        // Drop any reserved space past the data.
        let end = temp
            .as_file()
            .stream_position()
            .map_err(|e| Error::io(e, "finding the end of the data"))?;
        temp.as_file()
            .set_len(end)
            .map_err(|e| Error::io(e, "trimming reserved space"))?;
        persist(temp, &self.path)?;
        Ok(())
    }
}

/// Appends rows to an existing `.npy` file in place, growing its first axis (last axis for a
/// Fortran-order file). `data` must be whole rows in the file's dtype and layout.
///
/// The data is written and synced before the header is updated, so a crash leaves either the
/// old array (with unread trailing bytes, which readers ignore) or the new one.
///
/// # Errors
/// [`ErrorKind::TypeMismatch`] when `dtype` differs from the file's; [`ErrorKind::InvalidArgument`]
/// for a 0-d array, partial rows, a file with trailing bytes, or a header without room to grow
/// (files written by NumPy before 1.24 or other tools; rewrite them first).
pub fn append_rows(path: impl AsRef<Path>, dtype: &DType, data: &[u8]) -> Result<u64> {
    let path = path.as_ref();
    let io = |what: &str| {
        let context = format!("{what} {}", path.display());
        move |e| Error::io(e, &context)
    };
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
        .map_err(io("opening"))?;
    let parsed = read_header(&mut file, &ReadOptions::default())?;
    let mut header = parsed.header;
    if &header.dtype != dtype {
        return Err(Error::new(
            ErrorKind::TypeMismatch,
            format!(
                "file has dtype {} but rows of {dtype} were given",
                header.dtype
            ),
        ));
    }
    let axis = header.growth_axis().ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidArgument,
            "a 0-d array has no axis to grow",
        )
    })?;
    let mut row_shape = header.shape.clone();
    row_shape.remove(axis);
    let row_bytes = checked_product(&row_shape)
        .and_then(|n| n.checked_mul(dtype.itemsize() as u64))
        .ok_or_else(|| Error::new(ErrorKind::Overflow, "row size overflows 64 bits"))?;
    if row_bytes == 0 || data.len() as u64 % row_bytes != 0 {
        return Err(Error::new(
            ErrorKind::InvalidArgument,
            format!(
                "{} bytes are not whole rows of {row_bytes} bytes",
                data.len()
            ),
        ));
    }
    let file_len = file.metadata().map_err(io("reading metadata of"))?.len();
    if file_len != parsed.data_offset + header.data_len()? {
        return Err(Error::new(
            ErrorKind::InvalidArgument,
            format!(
                "file is {file_len} bytes but its header describes {} bytes; refusing to append",
                parsed.data_offset + header.data_len()?
            ),
        ));
    }
    let new_rows = data.len() as u64 / row_bytes;
    header.shape[axis] = header.shape[axis]
        .checked_add(new_rows)
        .ok_or_else(|| Error::new(ErrorKind::Overflow, "row count overflows 64 bits"))?;
    header.data_len()?;
    let prelude = header.to_bytes_with_version(parsed.version)?;
    if prelude.len() as u64 != parsed.data_offset {
        return Err(Error::new(
            ErrorKind::InvalidArgument,
            "the header has no room to grow (written without NumPy's growth-axis padding); \
             rewrite the file before appending",
        ));
    }
    file.seek(SeekFrom::End(0)).map_err(io("seeking in"))?;
    file.write_all(data).map_err(io("appending to"))?;
    file.sync_data().map_err(io("syncing"))?;
    file.seek(SeekFrom::Start(0)).map_err(io("seeking in"))?;
    file.write_all(&prelude)
        .map_err(io("updating the header of"))?;
    file.sync_data().map_err(io("syncing"))?;
    Ok(header.shape[axis])
}

/// [`append_rows`] for typed elements.
pub fn append_elements<T: Element>(path: impl AsRef<Path>, data: &[T]) -> Result<u64> {
    append_rows(path, &T::dtype(), T::as_bytes(data))
}
