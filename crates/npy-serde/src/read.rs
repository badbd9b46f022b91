//! Reading rows: [`from_slice`], [`from_reader`], [`from_path`], the streaming
//! [`RecordReader`] and the random-access [`RecordSlice`].

use std::fs::File;
use std::io::{BufReader, Read};
use std::marker::PhantomData;
use std::path::Path;

use npy_core::{ArrayView, Header, MmapArray, NpyReader, ReadOptions};
use serde::de::{Deserialize, DeserializeOwned};

use crate::de::rows::{decode_run, Rows};
use crate::error::{Error, ErrorKind, Result};
#[cfg(unix)]
use crate::parallel::decode_file;
use crate::parallel::{decode_slice, threads_for};

/// Bytes read from the input at a time by [`from_reader`], [`from_path`] and [`RecordReader`]
/// (rounded to whole rows; a single larger row is read whole).
const CHUNK_BYTES: usize = 1 << 20;

/// Data at least this large is read on a second thread while rows are decoded (see
/// [`RecordReader::read_all_overlapped`]).
const OVERLAP_MIN: u64 = 8 << 20;

/// Most rows a file of zero-size rows (all fields `S0`, say) may claim. Such rows take no bytes,
/// so nothing in the file bounds their count; past this the read is refused rather than
/// filling memory.
pub const MAX_ZERO_SIZE_ROWS: u64 = 1 << 24;

/// Reads every row of `.npy` bytes held in memory.
///
/// Strings and byte strings can be borrowed from `bytes`: a `&str` or `&[u8]` field reads an
/// `S` field without copying (a `U` field is UCS-4, so it needs a `String`).
///
/// ```
/// use serde::Deserialize;
///
/// #[derive(Deserialize, Debug, PartialEq)]
/// struct Row<'a> {
///     x: f64,    // '<f8'
///     id: i64,   // '<i4' widens to i64; fields match by name, in any order
///     label: &'a str,  // '|S5', borrowed from the input
/// }
///
/// # let bytes = npy_serde_doc_example();
/// // bytes = np.save of np.array([(1, 0.5, b'one'), (2, 1.5, b'two')],
/// //                             dtype=[('id', '<i4'), ('x', '<f8'), ('label', 'S5')])
/// let rows: Vec<Row> = npy_serde::from_slice(&bytes)?;
/// assert_eq!(rows[1], Row { x: 1.5, id: 2, label: "two" });
/// # fn npy_serde_doc_example() -> Vec<u8> {
/// #     use npy_core::{DType, Record, Scalar, ScalarKind, ByteOrder, Header};
/// #     let f = |k| DType::Scalar(Scalar::new(k, ByteOrder::Little).unwrap());
/// #     let record = Record::packed(vec![
/// #         ("id".into(), f(ScalarKind::Int(4))),
/// #         ("x".into(), f(ScalarKind::Float(8))),
/// #         ("label".into(), f(ScalarKind::Bytes(5))),
/// #     ]).unwrap();
/// #     let mut out = Header::new(DType::Record(record), vec![2]).to_bytes().unwrap();
/// #     for (id, x, label) in [(1i32, 0.5f64, b"one\0\0"), (2, 1.5, b"two\0\0")] {
/// #         out.extend_from_slice(&id.to_le_bytes());
/// #         out.extend_from_slice(&x.to_le_bytes());
/// #         out.extend_from_slice(label);
/// #     }
/// #     out
/// # }
/// # Ok::<(), npy_serde::Error>(())
/// ```
///
/// # How rows are read
///
/// **Rows.** A record array's rows are its elements. A plain array's rows are its elements too
/// (`from_slice::<f64>` of a `'<f8'` file), except that when `T` asks for a sequence (`[T; N]`,
/// a tuple, a `Vec`) and the array has two or more dimensions, a row is a block along the first
/// axis: a `(n, 3)` `'<f4'` file reads as `Vec<[f32; 3]>` (complex arrays excepted:
/// `Complex<T>` is a pair, so it reads elements). Multi-dimensional and Fortran-order arrays
/// give their rows in C order.
///
/// **Fields** are matched by name (a field's title also matches), in any order. File columns
/// the struct lacks are skipped; struct fields the file lacks are serde's business: an error
/// ("missing field") unless `#[serde(default)]` or an `Option` (which then is `None`). A
/// present value read as `Option<T>` is `Some`. `rename`, `alias`, `skip` and `flatten` (which
/// reads the remaining fields as a map) are honoured. Padding, explicit offsets, aligned and
/// titled dtypes, and either byte order need nothing.
///
/// | file dtype | reads as |
/// |---|---|
/// | `\|b1` | `bool` (bytes other than 0 and 1 are an error), or any integer as 0/1 |
/// | `i1`..`i8`, `u1`..`u8` | any integer type the value fits (`i4` into `i64`, `u4` into `i64`, ...; out of range is an error naming the value); the index of a unit enum variant |
/// | `f2`, `f4`, `f8` | `f32` from `f2`/`f4`, `f64` from all three, `half::f16` from `f2`. Never an integer, never `f8` into `f32` |
/// | `c8`, `c16` | `num_complex::Complex<T>` (plain, or `#[serde(with = "npy_serde::complex")]`), `(T, T)`, `[T; 2]` |
/// | `S<n>` | `String`, `&str` (borrowed from a slice), `char`, a unit enum's variant name: without trailing NULs, UTF-8 checked. `&[u8]`, `serde_bytes` types and `Vec<u8>`: the bytes without trailing NULs. `[u8; n]`: all `n` bytes |
/// | `U<n>` | `String`, `char`, `Cow<str>`, a variant name: without trailing NULs. Not `&str` (UCS-4 cannot be borrowed as UTF-8) |
/// | `V<n>` | `&[u8]`, bytes, `[u8; n]`: the raw bytes |
/// | `M8[unit]`, `m8[unit]` | [`Datetime64<U>`](crate::Datetime64) / [`Timedelta64<U>`](crate::Timedelta64) of exactly that unit (no conversion), or the raw `i64` ticks |
/// | record | a struct (by name), a tuple or tuple struct (fields `f0`, `f1`, ..., else by position when the counts are equal), a map, any self-describing type |
/// | subarray `(d0, d1, ...)` | `[T; d0]`, tuples of `d0`, `Vec<T>` (nested per axis), or flat `[T; d0*d1*...]` |
///
/// `deserialize_any` (`serde_json::Value`, untagged and internally tagged enums) sees records as
/// maps, subarrays and complex values as sequences, `S` values as strings when they are UTF-8
/// (else as sequences of numbers), and numbers as their own type.
///
/// # Errors
/// A bad header or short data (npy-core's errors), a dtype `T` cannot be read from, or a value
/// that does not fit `T`; errors in a row name the row and the field path (`pos.x`, `v[2]`).
pub fn from_slice<'de, T: Deserialize<'de> + Send>(bytes: &'de [u8]) -> Result<Vec<T>> {
    RecordSlice::new(bytes)?.to_vec()
}

/// Reads every row from a reader positioned at the start of a `.npy` stream, leaving it after
/// the array's data.
///
/// The data is read and decoded in chunks of about 1 MiB, so memory holds the rows and one
/// chunk, whatever the header claims; a Fortran-order array with two or more non-trivial
/// dimensions is the exception (its rows are gathered from the whole data, read first).
///
/// # Errors
/// As [`from_slice`], plus I/O errors and [`ErrorKind::UnexpectedEof`] for truncated data.
pub fn from_reader<R: Read, T: DeserializeOwned>(reader: R) -> Result<Vec<T>> {
    RecordReader::new(reader)?.read_all()
}

/// Reads every row of a `.npy` file.
///
/// Files with 8 MiB of data or more are decoded on several threads (up to the machine's
/// parallelism, at most 8), each reading its own run of rows in small chunks with positioned
/// reads; that is why `T` must be `Send`. Smaller files are read chunk by chunk as
/// [`from_reader`] does. Either way memory holds the rows plus a chunk per thread, and the
/// result is the same: rows in order, and on failure the error of the first bad row.
///
/// ```no_run
/// #[derive(serde::Deserialize)]
/// struct Row { id: i64, x: f64, label: String }
///
/// let rows: Vec<Row> = npy_serde::from_path("rows.npy")?;
/// # Ok::<(), npy_serde::Error>(())
/// ```
///
/// # Errors
/// As [`from_reader`]; a file shorter than its header says fails before any row is decoded.
pub fn from_path<T: DeserializeOwned + Send>(path: impl AsRef<Path>) -> Result<Vec<T>> {
    RecordReader::open(path)?.read_all_of_file()
}

/// Rows read one at a time from a `.npy` stream: an iterator of `Result<T>`.
///
/// The data is read in chunks of about 1 MiB and decoded straight from the chunk, so memory
/// stays bounded whatever the header claims. (A Fortran-order array with two or more
/// non-trivial dimensions is read whole first: its rows, in C order, are spread over all of
/// it.) A row that fails to decode yields an error and iteration goes on with the next row;
/// an I/O error or truncated data ends the iteration.
///
/// ```
/// # use serde::Deserialize;
/// # let bytes = npy_core::Array::from_vec(vec![3], vec![1.0f64, 2.0, 3.0])?.to_npy_bytes()?;
/// let mut total = 0.0;
/// for value in npy_serde::RecordReader::<_, f64>::new(&bytes[..])? {
///     total += value?;
/// }
/// assert_eq!(total, 6.0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct RecordReader<R, T> {
    reader: R,
    header: Header,
    rows: Rows,
    /// Bytes known to remain in the input (a file's length), which bounds allocations.
    available: Option<u64>,
    buf: Vec<u8>,
    /// Next row's byte in `buf`, and the end of the rows read into it.
    pos: usize,
    end: usize,
    /// Rows yielded, and rows read into `buf` so far.
    next_row: u64,
    loaded_rows: u64,
    failed: bool,
    /// The end-of-input error to report once the rows before it are decoded.
    truncated: Option<Error>,
    marker: PhantomData<fn() -> T>,
}

impl<R: Read, T: DeserializeOwned> RecordReader<R, T> {
    /// Reads the header from `reader`; rows follow as the iterator is driven.
    ///
    /// # Errors
    /// Header errors from npy-core; [`ErrorKind::Unsupported`] for object arrays.
    pub fn new(reader: R) -> Result<Self> {
        Self::with_options(reader, &ReadOptions::default())
    }

    /// [`RecordReader::new`] with explicit header limits.
    pub fn with_options(reader: R, options: &ReadOptions) -> Result<Self> {
        let npy = NpyReader::with_options(reader, options)?;
        let header = npy.header().clone();
        Self::from_parts(npy.into_inner(), header, None)
    }

    fn from_parts(reader: R, header: Header, available: Option<u64>) -> Result<Self> {
        let rows = Rows::new::<T>(&header)?;
        Ok(RecordReader {
            reader,
            header,
            rows,
            available,
            buf: Vec::new(),
            pos: 0,
            end: 0,
            next_row: 0,
            loaded_rows: 0,
            failed: false,
            truncated: None,
            marker: PhantomData,
        })
    }

    /// The header.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The number of rows the array holds (rows in C order; see the crate documentation for
    /// what a row of a plain multi-dimensional array is).
    pub fn len(&self) -> u64 {
        self.rows.layout.rows
    }

    /// Whether the array has no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The index of the next row.
    pub fn position(&self) -> u64 {
        self.next_row
    }

    /// Gives back the reader. After the last row it is positioned just after the array's
    /// data, ready for a next array in the same stream.
    pub fn into_inner(self) -> R {
        self.reader
    }

    /// Reads all remaining rows into a vector.
    ///
    /// # Errors
    /// The first error of any row (with its row index), or an I/O error.
    pub fn read_all(mut self) -> Result<Vec<T>> {
        let remaining = self.len() - self.next_row;
        let layout = &self.rows.layout;
        if layout.row_size == 0 && remaining > MAX_ZERO_SIZE_ROWS {
            return Err(too_many_empty_rows(remaining));
        }
        // Reserve what the input can hold: all of it for a file, a chunk's worth otherwise
        // (the vector then grows as rows arrive).
        let bound = match (self.available, layout.row_size) {
            (_, 0) => remaining,
            (Some(bytes), size) => bytes / size as u64,
            (None, size) => (16 * CHUNK_BYTES / size) as u64,
        };
        let mut out =
            npy_core::vec_with_capacity(usize::try_from(remaining.min(bound)).unwrap_or(0));
        if !layout.contiguous {
            self.load_whole()?;
            let frame = self.rows.frame(&self.buf);
            while self.next_row < self.len() {
                let i = self.next_row;
                let at = self.rows.layout.offset(i);
                out.push(Rows::row(&frame, at).map_err(|e| e.at_row(i))?);
                self.next_row += 1;
            }
            return Ok(out);
        }
        let size = layout.row_size;
        while self.next_row < self.len() {
            if self.next_row >= self.loaded_rows {
                self.fill()?;
            }
            // Decode the rest of the chunk straight from the buffer.
            let frame = self.rows.frame(&self.buf[..self.end]);
            let first = self.next_row;
            let at = self.pos;
            let count = self.loaded_rows - first;
            decode_run(&frame, at, size, first, count, &mut out)?;
            self.pos = at + count as usize * size;
            self.next_row = first + count;
        }
        Ok(out)
    }

    /// Reads the next chunk of whole rows into the buffer. When the input ends early, the
    /// whole rows that did arrive are kept and the error comes on the next call.
    fn fill(&mut self) -> Result<()> {
        if let Some(err) = self.truncated.take() {
            return Err(err);
        }
        let size = self.rows.layout.row_size;
        let remaining = self.len() - self.loaded_rows;
        if size == 0 {
            let take = remaining.min((CHUNK_BYTES as u64).max(1));
            self.loaded_rows += take;
            self.pos = 0;
            self.end = 0;
            return Ok(());
        }
        let rows = remaining.min((CHUNK_BYTES / size).max(1) as u64);
        let bytes = rows as usize * size;
        if let Err(got) = read_growing(&mut self.reader, &mut self.buf, bytes, self.available) {
            let whole = got / size;
            let err = eof(self.data_len(), self.loaded_rows * size as u64 + got as u64)
                .at_row(self.loaded_rows + whole as u64);
            if whole == 0 {
                return Err(err);
            }
            self.truncated = Some(err);
            self.loaded_rows += whole as u64;
            self.pos = 0;
            self.end = whole * size;
            return Ok(());
        }
        if let Some(available) = &mut self.available {
            *available -= bytes as u64;
        }
        self.loaded_rows += rows;
        self.pos = 0;
        self.end = bytes;
        Ok(())
    }

    /// Reads the whole data (rows not contiguous: Fortran order).
    fn load_whole(&mut self) -> Result<()> {
        let len = self.data_len();
        let len_usize = usize::try_from(len).map_err(|_| {
            Error::new(
                ErrorKind::Overflow,
                format!("array of {len} bytes does not fit in this machine's memory"),
            )
        })?;
        read_growing(&mut self.reader, &mut self.buf, len_usize, self.available)
            .map_err(|got| eof(len, got as u64))?;
        self.available = None;
        self.loaded_rows = self.len();
        self.end = len_usize;
        Ok(())
    }

    fn data_len(&self) -> u64 {
        self.rows.layout.rows * self.rows.layout.row_size as u64
    }

    /// The next run of whole rows, as read into the buffer (for compiled rows): their bytes,
    /// the first one's index and their number; `None` after the last row. Truncated data
    /// yields the whole rows that arrived, then the error.
    pub(crate) fn next_chunk(&mut self) -> Result<Option<(&[u8], u64, u64)>> {
        if self.next_row >= self.len() {
            return Ok(None);
        }
        if self.next_row >= self.loaded_rows {
            self.fill()?;
        }
        let (first, count) = (self.next_row, self.loaded_rows - self.next_row);
        let bytes = &self.buf[self.pos..self.end];
        self.next_row = self.loaded_rows;
        self.pos = self.end;
        Ok(Some((bytes, first, count)))
    }

    /// The whole data (for compiled rows whose rows are not contiguous).
    pub(crate) fn whole_data(&mut self) -> Result<&[u8]> {
        self.load_whole()?;
        Ok(&self.buf[..self.end])
    }

    /// Decodes the next row (the iterator's step).
    fn next_row(&mut self) -> Option<Result<T>> {
        if self.failed || self.next_row >= self.len() {
            return None;
        }
        let layout = &self.rows.layout;
        if !layout.contiguous {
            if self.loaded_rows == 0 {
                if let Err(e) = self.load_whole() {
                    self.failed = true;
                    return Some(Err(e));
                }
            }
            let i = self.next_row;
            self.next_row += 1;
            let at = self.rows.layout.offset(i);
            let frame = self.rows.frame(&self.buf);
            return Some(Rows::row(&frame, at).map_err(|e| e.at_row(i)));
        }
        if self.next_row >= self.loaded_rows {
            if self.rows.layout.row_size == 0
                && self.next_row == 0
                && self.len() > MAX_ZERO_SIZE_ROWS
            {
                self.failed = true;
                return Some(Err(too_many_empty_rows(self.len())));
            }
            if let Err(e) = self.fill() {
                self.failed = true;
                return Some(Err(e));
            }
        }
        let i = self.next_row;
        self.next_row += 1;
        let at = self.pos;
        self.pos += self.rows.layout.row_size;
        let frame = self.rows.frame(&self.buf[..self.end]);
        Some(Rows::row(&frame, at).map_err(|e| e.at_row(i)))
    }
}

/// What the reading thread of [`RecordReader::read_all_overlapped`] hands over.
enum Chunk {
    /// A buffer holding this many whole rows.
    Rows(Vec<u8>, u64),
    /// The input failed or ended early (after the rows already handed over).
    Failed(Error),
}

impl<R: Read + Send, T: DeserializeOwned> RecordReader<R, T> {
    /// [`RecordReader::read_all`], with the input read on a second thread while this one
    /// decodes: two chunk buffers go back and forth, so copying the file's bytes (a third of
    /// the time of a simple row) overlaps decoding. Small or non-contiguous data is read
    /// as [`RecordReader::read_all`] does. `T` itself never crosses threads.
    fn read_all_overlapped(mut self) -> Result<Vec<T>> {
        let layout = &self.rows.layout;
        let size = layout.row_size;
        let total = self.len();
        if !layout.contiguous || size == 0 || self.next_row != 0 || self.data_len() < OVERLAP_MIN {
            return self.read_all();
        }
        let bound = self.available.map_or(total, |bytes| bytes / size as u64);
        let mut out = npy_core::vec_with_capacity(usize::try_from(total.min(bound)).unwrap_or(0));
        let rows_per_chunk = (CHUNK_BYTES / size).max(1) as u64;
        let data_len = self.data_len();
        let available = self.available;
        let (give_buffer, take_buffer) = std::sync::mpsc::sync_channel::<Vec<u8>>(2);
        let (give_chunk, take_chunk) = std::sync::mpsc::sync_channel::<Chunk>(2);
        let reader = &mut self.reader;
        let rows = &self.rows;
        // The closure owns this side's channel ends, so an early return hangs up on the reading
        // thread (which then stops) before the scope waits for it.
        std::thread::scope(move |scope| {
            scope.spawn(move || {
                let mut loaded = 0u64;
                while loaded < total {
                    // The decoding side hung up (an error): stop.
                    let Ok(mut buf) = take_buffer.recv() else {
                        return;
                    };
                    let count = rows_per_chunk.min(total - loaded);
                    let bytes = count as usize * size;
                    let chunk = match read_growing(reader, &mut buf, bytes, available) {
                        Ok(()) => Chunk::Rows(buf, count),
                        Err(got) => {
                            let whole = (got / size) as u64;
                            let err = eof(data_len, loaded * size as u64 + got as u64)
                                .at_row(loaded + whole);
                            if whole > 0 {
                                let _ = give_chunk.send(Chunk::Rows(buf, whole));
                            }
                            let _ = give_chunk.send(Chunk::Failed(err));
                            return;
                        }
                    };
                    loaded += count;
                    if give_chunk.send(chunk).is_err() {
                        return;
                    }
                }
            });
            for _ in 0..2 {
                let _ = give_buffer.send(Vec::new());
            }
            let mut next_row = 0u64;
            while next_row < total {
                match take_chunk.recv() {
                    Ok(Chunk::Rows(buf, count)) => {
                        let frame = rows.frame(&buf[..count as usize * size]);
                        decode_run(&frame, 0, size, next_row, count, &mut out)?;
                        next_row += count;
                        let _ = give_buffer.send(buf);
                    }
                    Ok(Chunk::Failed(err)) => return Err(err),
                    Err(_) => {
                        return Err(Error::new(
                            ErrorKind::Io,
                            "the reading thread stopped unexpectedly",
                        ))
                    }
                }
            }
            Ok(out)
        })
    }
}

impl<T: DeserializeOwned + Send> RecordReader<BufReader<File>, T> {
    /// [`from_path`]'s read: rows decoded on several threads when the data is large and
    /// contiguous (see [`crate::parallel`]), else [`RecordReader::read_all_overlapped`].
    #[cfg(unix)]
    fn read_all_of_file(mut self) -> Result<Vec<T>> {
        use std::io::Seek;

        let layout = &self.rows.layout;
        let size = layout.row_size;
        let threads = threads_for(self.data_len());
        if !layout.contiguous || size == 0 || self.next_row != 0 || threads < 2 {
            return self.read_all_overlapped();
        }
        let count = usize::try_from(self.len()).map_err(|_| {
            Error::new(
                ErrorKind::Overflow,
                "more rows than fit in this machine's memory",
            )
        })?;
        let data_offset = self
            .reader
            .stream_position()
            .map_err(|e| Error::new(ErrorKind::Io, format!("reading file position: {e}")))?;
        let mut out = npy_core::vec_with_capacity(count);
        let file = self.reader.get_ref();
        decode_file(
            &self.header,
            file,
            data_offset,
            size,
            count,
            threads,
            &mut out,
        )?;
        Ok(out)
    }

    /// [`from_path`]'s read where positioned reads are not available: the input is read on a
    /// second thread while this one decodes.
    #[cfg(not(unix))]
    fn read_all_of_file(self) -> Result<Vec<T>> {
        self.read_all_overlapped()
    }
}

impl<T: DeserializeOwned> RecordReader<BufReader<File>, T> {
    /// Opens a file and reads its header. The file's length bounds every allocation, and a
    /// file shorter than its header says is refused here.
    ///
    /// # Errors
    /// As [`RecordReader::new`], plus [`ErrorKind::UnexpectedEof`] for a truncated file.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        Self::open_with_options(path, &ReadOptions::default())
    }

    /// [`RecordReader::open`] with explicit header limits.
    pub fn open_with_options(path: impl AsRef<Path>, options: &ReadOptions) -> Result<Self> {
        let npy = NpyReader::open_with_options(path, options)?;
        let header = npy.header().clone();
        let data_offset = npy.data_offset();
        let reader = npy.into_inner();
        let file_len = reader
            .get_ref()
            .metadata()
            .map_err(|e| Error::new(ErrorKind::Io, format!("reading file metadata: {e}")))?
            .len();
        let available = file_len.saturating_sub(data_offset);
        let me = Self::from_parts(reader, header, Some(available))?;
        let need = me.data_len();
        if available < need {
            return Err(eof(need, available));
        }
        Ok(me)
    }
}

impl<R: Read, T: DeserializeOwned> Iterator for RecordReader<R, T> {
    type Item = Result<T>;

    #[inline]
    fn next(&mut self) -> Option<Result<T>> {
        self.next_row()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let remaining = self.len() - self.next_row;
        (0, usize::try_from(remaining).ok())
    }
}

impl<R, T> std::fmt::Debug for RecordReader<R, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecordReader")
            .field("header", &self.header)
            .field("rows", &self.rows.layout.rows)
            .field("position", &self.next_row)
            .finish_non_exhaustive()
    }
}

/// Random access to the rows of `.npy` data in memory: a byte slice, an [`ArrayView`] or a
/// [`MmapArray`].
///
/// Nothing is decoded until asked for; [`RecordSlice::get`] decodes one row. Strings and byte
/// strings can be borrowed from the data, as with [`from_slice`].
///
/// ```
/// # let bytes = npy_core::Array::from_vec(vec![4], vec![10i32, 20, 30, 40])?.to_npy_bytes()?;
/// let rows = npy_serde::RecordSlice::<i64>::new(&bytes)?;
/// assert_eq!(rows.len(), 4);
/// assert_eq!(rows.get(2)?, 30);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct RecordSlice<'de, T> {
    header: Header,
    data: &'de [u8],
    rows: Rows,
    len: usize,
    marker: PhantomData<fn() -> T>,
}

impl<'de, T: Deserialize<'de>> RecordSlice<'de, T> {
    /// Parses the header at the start of `bytes` and checks the data is all there.
    ///
    /// # Errors
    /// Header errors and short data from npy-core; [`ErrorKind::Unsupported`] for object arrays.
    pub fn new(bytes: &'de [u8]) -> Result<Self> {
        Self::with_options(bytes, &ReadOptions::default())
    }

    /// [`RecordSlice::new`] with explicit header limits.
    pub fn with_options(bytes: &'de [u8], options: &ReadOptions) -> Result<Self> {
        Self::from_view(&ArrayView::with_options(bytes, options)?)
    }

    /// Rows of a zero-copy view.
    pub fn from_view(view: &ArrayView<'de>) -> Result<Self> {
        let header = view.header().clone();
        let rows = Rows::new::<T>(&header)?;
        let len = usize::try_from(rows.layout.rows).map_err(|_| {
            Error::new(
                ErrorKind::Overflow,
                "more rows than fit in this machine's address space",
            )
        })?;
        Ok(RecordSlice {
            header,
            data: view.data(),
            rows,
            len,
            marker: PhantomData,
        })
    }

    /// Rows of a memory-mapped file.
    pub fn from_mmap(map: &'de MmapArray) -> Result<Self> {
        Self::from_view(&map.view())
    }

    /// The header.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The number of rows.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Decodes row `index` (rows in C order).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidArgument`] when `index >= len()`; otherwise decoding errors, with
    /// the row index and field path.
    pub fn get(&self, index: usize) -> Result<T> {
        if index >= self.len {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                format!(
                    "row {index} is out of range: the array has {} rows",
                    self.len
                ),
            ));
        }
        let at = self.rows.layout.offset(index as u64);
        Rows::row(&self.rows.frame(self.data), at).map_err(|e| e.at_row(index as u64))
    }

    /// The rows in order.
    pub fn iter(&self) -> impl Iterator<Item = Result<T>> + use<'_, 'de, T> {
        (0..self.len).map(move |i| self.get(i))
    }
}

impl<'de, T: Deserialize<'de> + Send> RecordSlice<'de, T> {
    /// Decodes every row into a vector. Data of 8 MiB or more is decoded on several threads
    /// (see [`from_path`]), which is why `T` must be `Send`.
    ///
    /// # Errors
    /// The first row that fails, with its index and field path.
    pub fn to_vec(&self) -> Result<Vec<T>> {
        let layout = &self.rows.layout;
        if layout.row_size == 0 && layout.rows > MAX_ZERO_SIZE_ROWS {
            return Err(too_many_empty_rows(layout.rows));
        }
        let mut out = npy_core::vec_with_capacity(self.len);
        let frame = self.rows.frame(self.data);
        let size = layout.row_size;
        let threads = threads_for(layout.rows * size as u64);
        if layout.contiguous && threads > 1 {
            decode_slice(&self.header, self.data, size, self.len, threads, &mut out)?;
        } else if layout.contiguous {
            decode_run(&frame, 0, size, 0, self.len as u64, &mut out)?;
        } else {
            for i in 0..self.len {
                let at = layout.offset(i as u64);
                out.push(Rows::row(&frame, at).map_err(|e| e.at_row(i as u64))?);
            }
        }
        Ok(out)
    }
}

impl<T> std::fmt::Debug for RecordSlice<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecordSlice")
            .field("header", &self.header)
            .field("rows", &self.len)
            .finish_non_exhaustive()
    }
}

/// Reads exactly `len` bytes into `buf` (resized to `len`), allocating ahead of the bytes that
/// have arrived only up to a chunk (or what `available` vouches for). On EOF, returns how many
/// bytes arrived.
fn read_growing<R: Read>(
    reader: &mut R,
    buf: &mut Vec<u8>,
    len: usize,
    available: Option<u64>,
) -> std::result::Result<(), usize> {
    let trusted = available.is_some_and(|a| a >= len as u64);
    let mut target = if trusted {
        len
    } else {
        len.min(16 * CHUNK_BYTES)
    };
    if buf.len() < target {
        buf.resize(target, 0);
    }
    let mut filled = 0;
    loop {
        while filled < target {
            match reader.read(&mut buf[filled..target]) {
                Ok(0) => return Err(filled),
                Ok(n) => filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => return Err(filled),
            }
        }
        if filled == len {
            return Ok(());
        }
        target = len.min(target.saturating_mul(2));
        if buf.len() < target {
            buf.resize(target, 0);
        }
    }
}

fn eof(expected: u64, got: u64) -> Error {
    Error::new(
        ErrorKind::UnexpectedEof,
        format!("EOF: reading array data, expected {expected} bytes got {got}"),
    )
}

pub(crate) fn too_many_empty_rows(rows: u64) -> Error {
    Error::new(
        ErrorKind::Unsupported,
        format!(
            "the array claims {rows} rows of zero bytes each; reading more than \
             {MAX_ZERO_SIZE_ROWS} is refused (nothing in the file bounds their number)"
        ),
    )
}

/// Opens a `.npy` file for [`crate::compiled::from_path`]: the file, its header and where its
/// data starts, the file checked to hold all of the data.
pub(crate) fn open_checked(path: &Path) -> Result<(File, Header, u64)> {
    use std::io::Seek;

    let opened = RecordReader::<BufReader<File>, serde::de::IgnoredAny>::open(path)?;
    let mut reader = opened.reader;
    let data_offset = reader
        .stream_position()
        .map_err(|e| Error::new(ErrorKind::Io, format!("reading file position: {e}")))?;
    Ok((reader.into_inner(), opened.header, data_offset))
}
