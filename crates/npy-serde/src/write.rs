//! Writing rows: whole slices ([`to_writer`], [`to_vec`], [`to_path`] and their `_with`
//! variants) and streams of unknown length ([`RecordWriter`], [`RecordFileWriter`]).
//!
//! Rows are encoded into buffers of about 1 MiB and written a buffer at a time.

use std::io::{Seek, Write};
use std::path::{Path, PathBuf};

use npy_core::{DType, Header, NpyFileWriter, StreamWriter};
use serde::Serialize;

use crate::error::{Error, ErrorKind, Result};
use crate::options::Options;
use crate::schema::capture::{Capture, Value};
use crate::schema::widths::Widths;
use crate::schema::{trace_into, Node};
use crate::ser::{encode_row, Plan};

/// Rows are encoded into buffers of at least this many bytes (a whole number of rows) before
/// each write.
const CHUNK_BYTES: usize = 1 << 20;

/// Traces the dtype `to_writer` would write for `rows`: the structure of the first row, with
/// string widths from all rows (or [`Options::dtype`] when set).
///
/// ```
/// #[derive(serde::Serialize)]
/// struct Row { id: i64, label: String }
///
/// let rows = [Row { id: 1, label: "ab".into() }, Row { id: 2, label: "abcd".into() }];
/// let dtype = npy_serde::trace_dtype(&rows, &npy_serde::Options::new())?;
/// assert_eq!(dtype.descr(), "[('id', '<i8'), ('label', '<U4')]");
/// # Ok::<(), npy_serde::Error>(())
/// ```
///
/// # How rows become a dtype
///
/// Every row must have the dtype of the first; `<` below is the configured byte order
/// ([`Options::byte_order`], native by default, which NumPy writes as `<` on little-endian
/// machines).
///
/// | Rust (as serde sees it) | dtype | notes |
/// |---|---|---|
/// | `bool` | `\|b1` | |
/// | `i8` `i16` `i32` `i64` | `\|i1` `<i2` `<i4` `<i8` | |
/// | `u8` `u16` `u32` `u64` | `\|u1` `<u2` `<u4` `<u8` | |
/// | `f32` `f64` | `<f4` `<f8` | NaN payloads kept bit for bit |
/// | `half::f16` | `<f2` | (half's serde support: a newtype `f16` of its bits) |
/// | `Complex<f32>` / `Complex<f64>` with `#[serde(with = "npy_serde::complex")]` | `<c8` / `<c16` | without the attribute a `(re, im)` pair: `('<f8', (2,))` |
/// | [`Datetime64<U>`](crate::Datetime64), [`Timedelta64<U>`](crate::Timedelta64) | `<M8[unit]`, `<m8[unit]` | |
/// | `String`, `&str`, other `Display` through `collect_str` | `<U{n}` or `\|S{n}` ([`Options::strings`]) | `n` = the longest value over the rows: characters for `U`, UTF-8 bytes for `S`; at least 1, as `np.array([''])` is `<U1`; or [`Options::string_width`] |
/// | `char` | `<U1` (`\|S{n}` in bytes mode) | a one-character string |
/// | `serialize_bytes` (`serde_bytes`) | `\|S{n}` | the longest value, at least 1 |
/// | `[u8; N]` (any tuple of `u8`) | `\|S{N}` | raw bytes; an explicit dtype may make it `('\|u1', (N,))` or `\|V{N}` |
/// | `[T; N]`, tuple of one element type | subarray `(T, (N,))` | nested arrays merge: `[[f64; 3]; 2]` is `('<f8', (2, 3))` |
/// | tuple of mixed element types | record `f0`, `f1`, ... | NumPy's default field names |
/// | struct | record | fields in declaration order, packed like `np.dtype([...])`; `rename`, `skip`, `rename_all` honoured |
/// | nested struct | nested record | |
/// | tuple struct | record `f0`, `f1`, ... | even when the elements share a type |
/// | newtype struct, `#[serde(transparent)]` | the inner type | |
/// | unit-only enum | the variant name as a string, or `<u4` index | [`Options::enums`] |
///
/// The row itself need not be a struct: `&[1.0f64, 2.0]` writes a plain `'<f8'` array of shape
/// `(2,)`, and a row that is an array or a tuple of one element type adds dimensions, as NumPy
/// absorbs a subarray dtype into the shape: rows of `[f32; 3]` write `'<f4'` with shape
/// `(n, 3)`. Rows that are mixed tuples write records with fields `f0`, `f1`, ...
///
/// Types serde describes as human-readable text (this serializer says it is human-readable)
/// write their text: a `Uuid` or an `IpAddr` becomes a string field.
///
/// These have no dtype and are errors naming the field path, with a hint:
/// `Option<T>`, variable-length sequences (`Vec`, slices, sets), maps (including
/// `#[serde(flatten)]`), `()` and unit structs (including unit variants of untagged enums), enum
/// variants with data, `i128` / `u128`, an empty tuple or `[T; 0]`, and fields left out by
/// `#[serde(skip_serializing_if)]`.
///
/// An empty slice has no row to trace: it needs [`Options::dtype`] (serde can only describe a
/// type through a value; describing it without one would take a `Deserialize` bound).
pub fn trace_dtype<T: Serialize>(rows: &[T], options: &Options) -> Result<DType> {
    Ok(prepare(rows, options)?.dtype().clone())
}

/// Traces the rows (or takes the explicit dtype) and flattens the dtype into a plan.
pub(crate) fn prepare<T: Serialize>(rows: &[T], options: &Options) -> Result<Plan> {
    let mut node = Node::Empty;
    if let Some(first) = rows.first() {
        let mut path = Vec::new();
        trace_into(first, &mut node, options, &mut path).map_err(|e| e.at_row(0))?;
        if options.dtype.is_none() && node.has_open_width(options) {
            // Only the string widths of the other rows matter here; the encoder checks the
            // rest of each row as it writes it.
            let mut widths = Widths::new(node.string_slots(), options.strings, options.enums);
            for (i, row) in rows.iter().enumerate().skip(1) {
                if !widths.scan(row) {
                    // The row differs from the first: the tracer says where.
                    trace_into(row, &mut node, options, &mut path)
                        .map_err(|e| e.at_row(i as u64))?;
                }
            }
            node.widen_to(widths.slots(), &mut 0);
        }
    }
    let dtype = match &options.dtype {
        Some(dtype) => dtype.clone(),
        None if rows.is_empty() => return Err(no_rows()),
        None => node.to_dtype(options)?,
    };
    Plan::new(dtype, (!rows.is_empty()).then_some(&node))
}

#[cold]
fn no_rows() -> Error {
    Error::new(
        ErrorKind::InvalidArgument,
        "no rows to trace a dtype from: serde cannot describe a type without a value, so pass \
         the dtype of an empty array with Options::dtype",
    )
}

#[cold]
fn io_error(err: std::io::Error) -> Error {
    npy_core::Error::io(err, "writing rows").into()
}

/// The header for `rows` rows of the plan's dtype (a top-level subarray becomes trailing
/// dimensions, as NumPy saves it) and its bytes in the requested version.
fn header(plan: &Plan, rows: u64, options: &Options) -> Result<(Header, Vec<u8>)> {
    let header = Header::new(plan.dtype().clone(), vec![rows]).absorb_subarray();
    let prelude = match options.version {
        None => header.to_bytes()?,
        Some(version) => header.to_bytes_with_version(version)?,
    };
    Ok((header, prelude))
}

/// Encodes `rows` into `out` (exactly `rows.len() * itemsize` bytes); row indices in errors
/// start at `first`.
fn encode_rows<T: Serialize>(plan: &Plan, rows: &[T], first: u64, out: &mut [u8]) -> Result<()> {
    let size = plan.itemsize();
    if size == 0 {
        for (i, row) in rows.iter().enumerate() {
            encode_row(plan, row, &mut []).map_err(|e| e.at_row(first + i as u64))?;
        }
        return Ok(());
    }
    for (i, (row, buf)) in rows.iter().zip(out.chunks_exact_mut(size)).enumerate() {
        if let Err(e) = encode_row(plan, row, buf) {
            return Err(e.at_row(first + i as u64));
        }
    }
    Ok(())
}

/// How a run of rows becomes their bytes: npy-serde's serde encoder ([`SerdeEncoder`]) or a
/// compiled one ([`crate::compiled`]).
pub(crate) trait RowEncoder<T>: Sync {
    /// Encodes `rows` into `out` (exactly `rows.len() * itemsize` bytes); row indices in errors
    /// start at `first`.
    fn encode(&self, rows: &[T], first: u64, out: &mut [u8]) -> Result<()>;
}

/// The serde encoder over a plan.
pub(crate) struct SerdeEncoder<'p>(pub(crate) &'p Plan);

impl<T: Serialize> RowEncoder<T> for SerdeEncoder<'_> {
    fn encode(&self, rows: &[T], first: u64, out: &mut [u8]) -> Result<()> {
        encode_rows(self.0, rows, first, out)
    }
}

fn data_len(plan: &Plan, rows: usize) -> Result<usize> {
    rows.checked_mul(plan.itemsize()).ok_or_else(|| {
        Error::new(
            ErrorKind::Overflow,
            "the rows take more bytes than fit in memory",
        )
    })
}

/// Rows per chunk: at least [`CHUNK_BYTES`], so a chunk passes straight through a `BufWriter`
/// of that capacity (as `npy_core::NpyFileWriter` uses) instead of being copied into it.
fn chunk_rows(plan: &Plan) -> usize {
    CHUNK_BYTES.div_ceil(plan.itemsize().max(1)).max(1)
}

/// Writes `rows` as a one-dimensional `.npy` array with the default [`Options`].
///
/// The bytes are those `np.save` writes for the same array. A struct row becomes a record
/// (structured) dtype; any other row type a plain array: `&[1.0f64, 2.0]` is `'<f8'` with shape
/// `(2,)`, and rows of `[f32; 3]` are `'<f4'` with shape `(n, 3)`. See [`trace_dtype`] for the
/// mapping.
///
/// ```
/// let mut out = Vec::new();
/// npy_serde::to_writer(&mut out, &[1.0f64, 2.0])?;
/// assert!(out.starts_with(b"\x93NUMPY\x01\x00v\x00{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }"));
/// # Ok::<(), npy_serde::Error>(())
/// ```
///
/// # Errors
///
/// As [`trace_dtype`]; [`ErrorKind::Io`] from the writer. The rows are checked while they are
/// written, so an error may leave a partial file in `writer` (use [`to_path`] for an atomic
/// file).
pub fn to_writer<W: Write, T: Serialize>(writer: W, rows: &[T]) -> Result<()> {
    to_writer_with(writer, rows, &Options::default())
}

/// [`to_writer`] with [`Options`].
///
/// # Errors
///
/// As [`to_writer`]; also [`ErrorKind::InvalidArgument`] when the header does not fit the
/// requested [`Options::version`].
pub fn to_writer_with<W: Write, T: Serialize>(
    writer: W,
    rows: &[T],
    options: &Options,
) -> Result<()> {
    let plan = prepare(rows, options)?;
    write_encoded(writer, rows, options, &plan, &SerdeEncoder(&plan))
}

/// [`to_writer_with`] after the plan is made, with the rows encoded by `encoder`.
pub(crate) fn write_encoded<W: Write, T>(
    mut writer: W,
    rows: &[T],
    options: &Options,
    plan: &Plan,
    encoder: &impl RowEncoder<T>,
) -> Result<()> {
    let (_, prelude) = header(plan, rows.len() as u64, options)?;
    writer.write_all(&prelude).map_err(io_error)?;
    let size = plan.itemsize();
    if size > 0 {
        let per_chunk = chunk_rows(plan);
        let mut buf = vec![0u8; data_len(plan, per_chunk.min(rows.len()))?];
        for (k, chunk) in rows.chunks(per_chunk).enumerate() {
            let out = &mut buf[..chunk.len() * size];
            encoder.encode(chunk, (k * per_chunk) as u64, out)?;
            writer.write_all(out).map_err(io_error)?;
        }
    } else {
        encoder.encode(rows, 0, &mut [])?;
    }
    writer.flush().map_err(io_error)
}

/// Returns `rows` as the bytes of a `.npy` file, with the default [`Options`].
///
/// ```
/// use serde::Serialize;
///
/// #[derive(Serialize)]
/// struct Row { id: i64, x: f64, label: String }
///
/// let rows = vec![
///     Row { id: 1, x: 0.5, label: "first".into() },
///     Row { id: 2, x: 1.5, label: "second".into() },
/// ];
/// let bytes = npy_serde::to_vec(&rows)?;
/// let header = "{'descr': [('id', '<i8'), ('x', '<f8'), ('label', '<U6')], \
///               'fortran_order': False, 'shape': (2,), }";
/// assert_eq!(&bytes[10..10 + header.len()], header.as_bytes());
/// // A 192-byte prelude (NumPy pads the header to a multiple of 64), then 2 rows of 40 bytes.
/// assert_eq!(bytes.len(), 192 + 2 * (8 + 8 + 6 * 4));
/// # Ok::<(), npy_serde::Error>(())
/// ```
///
/// # Errors
///
/// As [`to_writer`].
pub fn to_vec<T: Serialize>(rows: &[T]) -> Result<Vec<u8>> {
    to_vec_with(rows, &Options::default())
}

/// [`to_vec`] with [`Options`].
///
/// # Errors
///
/// As [`to_writer_with`].
pub fn to_vec_with<T: Serialize>(rows: &[T], options: &Options) -> Result<Vec<u8>> {
    let plan = prepare(rows, options)?;
    vec_encoded(rows, options, &plan, &SerdeEncoder(&plan))
}

/// [`to_vec_with`] after the plan is made, with the rows encoded by `encoder`.
pub(crate) fn vec_encoded<T>(
    rows: &[T],
    options: &Options,
    plan: &Plan,
    encoder: &impl RowEncoder<T>,
) -> Result<Vec<u8>> {
    let (_, prelude) = header(plan, rows.len() as u64, options)?;
    let total = data_len(plan, rows.len())?
        .checked_add(prelude.len())
        .ok_or_else(|| Error::new(ErrorKind::Overflow, "the file does not fit in memory"))?;
    // Huge-page backed, as NumPy's own buffers are: faulting in 4 KiB pages dominates otherwise.
    let mut out: Vec<u8> = npy_core::zeroed_vec(total);
    out[..prelude.len()].copy_from_slice(&prelude);
    encoder.encode(rows, 0, &mut out[prelude.len()..])?;
    Ok(out)
}

/// Saves `rows` to `path` with the default [`Options`], atomically: the file appears complete
/// or not at all (it is written to a temporary file beside `path`, then renamed).
///
/// Unlike `np.save`, no `.npy` suffix is added to the path. Rows of 8 MiB or more are encoded
/// on several threads while the file is written (which is why `T` must be `Sync`).
///
/// # Errors
///
/// As [`to_writer`]; on any error `path` is left as it was.
pub fn to_path<P: AsRef<Path>, T: Serialize + Sync>(path: P, rows: &[T]) -> Result<()> {
    to_path_with(path, rows, &Options::default())
}

/// [`to_path`] with [`Options`].
///
/// # Errors
///
/// As [`to_path`]; also [`ErrorKind::Unsupported`] for an [`Options::version`] other than the
/// one `np.save` would pick (only [`to_writer_with`] and [`to_vec_with`] can force one).
pub fn to_path_with<P: AsRef<Path>, T: Serialize + Sync>(
    path: P,
    rows: &[T],
    options: &Options,
) -> Result<()> {
    let plan = prepare(rows, options)?;
    save_encoded(path.as_ref(), rows, options, &plan, &SerdeEncoder(&plan))
}

/// [`to_path_with`] after the plan is made, with the rows encoded by `encoder`.
pub(crate) fn save_encoded<T: Sync>(
    path: &Path,
    rows: &[T],
    options: &Options,
    plan: &Plan,
    encoder: &impl RowEncoder<T>,
) -> Result<()> {
    let (header, _) = header(plan, rows.len() as u64, options)?;
    check_version(&header, options)?;
    let size = data_len(plan, rows.len())?;
    if size <= PIPELINE_MIN_BYTES {
        let mut data = vec![0u8; size];
        encoder.encode(rows, 0, &mut data)?;
        npy_core::save(path, &header, &data)?;
        return Ok(());
    }
    let row_shape = header.shape[1..].to_vec();
    // Reserving the space up front, as np.save does, makes the writes several times faster.
    let mut file =
        NpyFileWriter::create_with_rows(path, header.dtype, row_shape, rows.len() as u64)?;
    encode_pipelined(plan, rows, &mut file, encoder)?;
    Ok(file.finish()?)
}

/// Below this many bytes of rows, [`to_path`] encodes into one buffer and saves it.
const PIPELINE_MIN_BYTES: usize = 8 << 20;

/// Encodes `rows` in chunks on encoder threads while this thread writes the finished chunks to
/// `sink` in order, so encoding (most of the time for rows with strings) runs on every core and
/// overlaps the kernel's copy into the page cache.
///
/// Encoder `j` of `n` encodes chunks `j`, `j + n`, `j + 2n`, ... into its own two buffers and
/// hands them over on its own channel; the writer takes chunk `k` from encoder `k % n`. So
/// chunks are written in order without a reordering buffer, an encoder waits only for its own
/// buffers to come back, and memory stays at two chunks per encoder whatever the number of
/// rows. An encoding error reaches the writer in chunk order, so the error reported is the
/// first bad row's; the writer stopping (an error either way) hangs up on every encoder.
fn encode_pipelined<T: Sync, S: Sink>(
    plan: &Plan,
    rows: &[T],
    sink: &mut S,
    encoder: &impl RowEncoder<T>,
) -> Result<()> {
    use std::sync::mpsc::{channel, sync_channel, Receiver, Sender};

    let size = plan.itemsize();
    let per_chunk = chunk_rows(plan);
    let chunk_bytes = data_len(plan, per_chunk)?;
    let chunks = rows.len().div_ceil(per_chunk);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let encoders = cores.clamp(1, MAX_ENCODERS).min(chunks.max(1));
    std::thread::scope(|scope| {
        let mut encoded: Vec<Receiver<Result<Vec<u8>>>> = Vec::with_capacity(encoders);
        let mut returns: Vec<Sender<Vec<u8>>> = Vec::with_capacity(encoders);
        for j in 0..encoders {
            let (full_tx, full_rx) = sync_channel::<Result<Vec<u8>>>(2);
            let (empty_tx, empty_rx) = channel::<Vec<u8>>();
            for _ in 0..2 {
                let _ = empty_tx.send(vec![0u8; chunk_bytes]);
            }
            scope.spawn(move || {
                for k in (j..chunks).step_by(encoders) {
                    // The writer stopped: nothing more to do.
                    let Ok(mut buf) = empty_rx.recv() else { return };
                    let first = k * per_chunk;
                    let chunk = &rows[first..(first + per_chunk).min(rows.len())];
                    buf.truncate(chunk.len() * size);
                    let result = encoder.encode(chunk, first as u64, &mut buf).map(|()| buf);
                    let failed = result.is_err();
                    if full_tx.send(result).is_err() || failed {
                        return;
                    }
                }
            });
            encoded.push(full_rx);
            returns.push(empty_tx);
        }
        for k in 0..chunks {
            let j = k % encoders;
            let buf = match encoded[j].recv() {
                Ok(result) => result?,
                Err(_) => {
                    return Err(Error::new(
                        ErrorKind::Io,
                        "an encoding thread stopped unexpectedly",
                    ))
                }
            };
            sink.write_rows(&buf)?;
            let mut buf = buf;
            buf.resize(chunk_bytes, 0);
            // The encoder may have no chunks left; then nobody needs the buffer back.
            let _ = returns[j].send(buf);
        }
        Ok(())
    })
}

/// Most encoder threads [`encode_pipelined`] uses.
const MAX_ENCODERS: usize = 8;

/// Refuses an explicit version npy-core's atomic and streaming writers cannot produce.
fn check_version(header: &Header, options: &Options) -> Result<()> {
    match options.version {
        Some(version) if version != header.canonical_version() => Err(Error::new(
            ErrorKind::Unsupported,
            format!(
                "format version {version} is not the one np.save picks for this header ({}); \
                 only to_writer_with and to_vec_with can force a version",
                header.canonical_version()
            ),
        )),
        _ => Ok(()),
    }
}

// ---- streaming ------------------------------------------------------------------------------

/// Where a streaming writer puts its rows once the header is known.
trait Sink {
    fn write_rows(&mut self, data: &[u8]) -> Result<()>;
}

impl<W: Write + Seek> Sink for StreamWriter<W> {
    fn write_rows(&mut self, data: &[u8]) -> Result<()> {
        Ok(self.write_bytes(data)?)
    }
}

impl Sink for NpyFileWriter {
    fn write_rows(&mut self, data: &[u8]) -> Result<()> {
        Ok(self.write_bytes(data)?)
    }
}

/// The state both streaming writers share: sample rows until the dtype is known, then a chunk
/// buffer of encoded rows.
#[derive(Debug)]
struct Rows {
    options: Options,
    /// The traced structure (and widths) of the rows so far.
    node: Node,
    /// Rows held back until the dtype is known.
    samples: Vec<Value>,
    /// Set once the dtype is known.
    plan: Option<Plan>,
    /// Encoded rows not yet written.
    buf: Vec<u8>,
    filled: usize,
    /// Rows encoded so far (the samples not included).
    written: u64,
}

impl Rows {
    fn new(options: Options) -> Rows {
        Rows {
            options,
            node: Node::Empty,
            samples: Vec::new(),
            plan: None,
            buf: Vec::new(),
            filled: 0,
            written: 0,
        }
    }

    fn count(&self) -> u64 {
        self.written + self.samples.len() as u64
    }

    /// Traces and keeps one row while the dtype is unknown. Returns whether sampling is done.
    fn sample<T: Serialize + ?Sized>(&mut self, row: &T) -> Result<bool> {
        let index = self.count();
        let mut node = self.node.clone();
        trace_into(row, &mut node, &self.options, &mut Vec::new()).map_err(|e| e.at_row(index))?;
        node.check_widths(&self.options)
            .map_err(|e| e.at_row(index))?;
        let value = row.serialize(Capture).map_err(|e| e.at_row(index))?;
        self.node = node;
        self.samples.push(value);
        Ok(self.options.dtype.is_some()
            || self.samples.len() >= self.options.sample_rows.max(1)
            || !self.node.has_open_width(&self.options))
    }

    /// Fixes the dtype: the explicit one, or the one traced from the samples. Returns the
    /// header dtype and row shape (a top-level subarray moves into the shape).
    fn start(&mut self) -> Result<(DType, Vec<u64>)> {
        let traced = !matches!(self.node, Node::Empty);
        let dtype = match &self.options.dtype {
            Some(dtype) => dtype.clone(),
            None if !traced => return Err(no_rows()),
            None => self.node.to_dtype(&self.options)?,
        };
        let plan = Plan::new(dtype, traced.then_some(&self.node))?;
        let header = Header::new(plan.dtype().clone(), vec![0]).absorb_subarray();
        check_version(&header, &self.options)?;
        self.buf = vec![0u8; data_len(&plan, chunk_rows(&plan))?];
        self.plan = Some(plan);
        Ok((header.dtype, header.shape[1..].to_vec()))
    }

    /// Encodes the held-back samples. A sample that fails is dropped (it is reported with the
    /// index it would have had); the others stay for the next call.
    fn drain(&mut self, sink: &mut impl Sink) -> Result<()> {
        let samples = std::mem::take(&mut self.samples);
        let mut rest = samples.into_iter();
        while let Some(value) = rest.next() {
            if let Err(e) = self.encode(&value, sink) {
                self.samples = rest.collect();
                return Err(e);
            }
        }
        Ok(())
    }

    /// Encodes one row into the chunk buffer, writing the buffer out when it is full.
    fn encode<T: Serialize + ?Sized>(&mut self, row: &T, sink: &mut impl Sink) -> Result<()> {
        let Some(plan) = &self.plan else {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                "the dtype is not known yet",
            ));
        };
        let size = plan.itemsize();
        if size == 0 {
            encode_row(plan, row, &mut []).map_err(|e| e.at_row(self.written))?;
            self.written += 1;
            return Ok(());
        }
        if self.filled + size > self.buf.len() {
            sink.write_rows(&self.buf[..self.filled])?;
            self.filled = 0;
        }
        let out = &mut self.buf[self.filled..self.filled + size];
        encode_row(plan, row, out).map_err(|e| e.at_row(self.written))?;
        self.filled += size;
        self.written += 1;
        Ok(())
    }

    fn flush(&mut self, sink: &mut impl Sink) -> Result<()> {
        if self.filled > 0 {
            sink.write_rows(&self.buf[..self.filled])?;
            self.filled = 0;
        }
        Ok(())
    }
}

/// Writes rows one at a time to a seekable writer, without knowing their number in advance;
/// the header is completed on [`RecordWriter::finish`], and the bytes equal `np.save` of the
/// whole array.
///
/// String widths come from the first [`Options::sample_rows`] rows, which are held back until
/// then (or until `finish`); a later, longer string is an error naming its row and field, and
/// that row is not written. Set [`Options::string_width`] or [`Options::dtype`] to fix widths in
/// advance: then nothing is held back after the first row.
///
/// A row that fails (an unsupported type, a different shape, a too long string) is not
/// written and the writer stays usable. Until `finish` succeeds the stream starts with
/// `\0NUMPY` rather than `\x93NUMPY`, so an abandoned file is not mistaken for a complete one.
///
/// ```
/// use std::io::Cursor;
/// use npy_serde::RecordWriter;
///
/// #[derive(serde::Serialize)]
/// struct Row { id: u32, name: String }
///
/// let mut writer = RecordWriter::new(Cursor::new(Vec::new()));
/// for (id, name) in [(1, "one"), (2, "two"), (3, "three")] {
///     writer.serialize(&Row { id, name: name.to_owned() })?;
/// }
/// let streamed = writer.finish()?.into_inner();
///
/// let whole = npy_serde::to_vec(&[
///     Row { id: 1, name: "one".into() },
///     Row { id: 2, name: "two".into() },
///     Row { id: 3, name: "three".into() },
/// ])?;
/// assert_eq!(streamed, whole);
/// # Ok::<(), npy_serde::Error>(())
/// ```
#[derive(Debug)]
pub struct RecordWriter<W: Write + Seek> {
    rows: Rows,
    out: Option<W>,
    stream: Option<StreamWriter<W>>,
}

impl<W: Write + Seek> RecordWriter<W> {
    /// A writer with the default [`Options`]. The array starts at the writer's current position.
    pub fn new(writer: W) -> RecordWriter<W> {
        RecordWriter::with_options(writer, Options::default())
    }

    /// A writer with [`Options`].
    pub fn with_options(writer: W, options: Options) -> RecordWriter<W> {
        RecordWriter {
            rows: Rows::new(options),
            out: Some(writer),
            stream: None,
        }
    }

    /// Rows accepted so far (written or held back as samples).
    pub fn rows(&self) -> u64 {
        self.rows.count()
    }

    /// The row dtype, once known (after the samples or the first row with an explicit dtype).
    pub fn dtype(&self) -> Option<&DType> {
        self.rows.plan.as_ref().map(Plan::dtype)
    }

    /// Writes one row.
    ///
    /// # Errors
    ///
    /// As [`to_writer`], with the row index; also an error from writing the header once the
    /// dtype is known. The failed row is not written.
    pub fn serialize<T: Serialize + ?Sized>(&mut self, row: &T) -> Result<()> {
        match &mut self.stream {
            Some(stream) => {
                if !self.rows.samples.is_empty() {
                    self.rows.drain(stream)?;
                }
                self.rows.encode(row, stream)
            }
            None => {
                if self.rows.sample(row)? {
                    self.open()?;
                }
                Ok(())
            }
        }
    }

    /// Writes the header with the sampled dtype, then the samples.
    fn open(&mut self) -> Result<()> {
        let (dtype, row_shape) = self.rows.start()?;
        let out = self
            .out
            .take()
            .ok_or_else(|| Error::new(ErrorKind::InvalidArgument, "the writer failed earlier"))?;
        let stream = self
            .stream
            .insert(StreamWriter::new(out, dtype, row_shape)?);
        self.rows.drain(stream)
    }

    /// Writes the rows still buffered and the final header, and returns the writer, positioned
    /// after the data.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`] when no row was written and [`Options::dtype`] is not set
    /// (nothing is written then); errors of the held-back samples; I/O errors.
    pub fn finish(mut self) -> Result<W> {
        if self.stream.is_none() {
            self.open()?;
        }
        let Some(mut stream) = self.stream.take() else {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                "the writer failed earlier",
            ));
        };
        self.rows.drain(&mut stream)?;
        self.rows.flush(&mut stream)?;
        Ok(stream.finish()?)
    }
}

/// [`RecordWriter`] to a path, atomically: the rows go to a temporary file beside the
/// destination, which replaces it only on [`RecordFileWriter::finish`]. Dropping the writer
/// without finishing leaves the destination untouched.
///
/// ```
/// #[derive(serde::Serialize)]
/// struct Reading { sensor: u16, value: f32 }
///
/// let dir = tempfile::tempdir()?;
/// let path = dir.path().join("readings.npy");
/// let mut writer = npy_serde::RecordFileWriter::create(&path)?;
/// for i in 0..1000u16 {
///     writer.serialize(&Reading { sensor: i % 4, value: f32::from(i) * 0.5 })?;
/// }
/// writer.finish()?;
/// assert_eq!(std::fs::metadata(&path)?.len(), 128 + 1000 * 6);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct RecordFileWriter {
    rows: Rows,
    path: PathBuf,
    file: Option<NpyFileWriter>,
}

impl RecordFileWriter {
    /// Starts writing to `path` with the default [`Options`]. Nothing is created until the
    /// dtype is known.
    ///
    /// # Errors
    ///
    /// None yet; the signature leaves room for checking the folder early.
    pub fn create(path: impl AsRef<Path>) -> Result<RecordFileWriter> {
        RecordFileWriter::create_with(path, Options::default())
    }

    /// Starts writing to `path` with [`Options`].
    ///
    /// # Errors
    ///
    /// As [`RecordFileWriter::create`].
    pub fn create_with(path: impl AsRef<Path>, options: Options) -> Result<RecordFileWriter> {
        Ok(RecordFileWriter {
            rows: Rows::new(options),
            path: path.as_ref().to_path_buf(),
            file: None,
        })
    }

    /// Rows accepted so far (written or held back as samples).
    pub fn rows(&self) -> u64 {
        self.rows.count()
    }

    /// The row dtype, once known.
    pub fn dtype(&self) -> Option<&DType> {
        self.rows.plan.as_ref().map(Plan::dtype)
    }

    /// Writes one row; see [`RecordWriter::serialize`].
    ///
    /// # Errors
    ///
    /// As [`RecordWriter::serialize`].
    pub fn serialize<T: Serialize + ?Sized>(&mut self, row: &T) -> Result<()> {
        match &mut self.file {
            Some(file) => {
                if !self.rows.samples.is_empty() {
                    self.rows.drain(file)?;
                }
                self.rows.encode(row, file)
            }
            None => {
                if self.rows.sample(row)? {
                    self.open()?;
                }
                Ok(())
            }
        }
    }

    fn open(&mut self) -> Result<()> {
        let (dtype, row_shape) = self.rows.start()?;
        let file = self
            .file
            .insert(NpyFileWriter::create(&self.path, dtype, row_shape)?);
        self.rows.drain(file)
    }

    /// Writes the rows still buffered and the final header, and moves the file into place.
    ///
    /// # Errors
    ///
    /// As [`RecordWriter::finish`].
    pub fn finish(mut self) -> Result<()> {
        if self.file.is_none() {
            self.open()?;
        }
        let Some(mut file) = self.file.take() else {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                "the writer failed earlier",
            ));
        };
        self.rows.drain(&mut file)?;
        self.rows.flush(&mut file)?;
        Ok(file.finish()?)
    }
}
