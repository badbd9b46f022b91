//! [`NpzWriter`]: archives with exactly the bytes `np.savez` / `np.savez_compressed` write.
//!
//! NumPy's writer is Python's `zipfile` with `force_zip64=True` on every member, so each local
//! header carries a zip64 extra field and `0xFFFFFFFF` sizes; the CRC and sizes are filled in
//! by seeking back after the data (or, on a stream that cannot seek, put in a zip64 data
//! descriptor after it); timestamps are 1980-01-01 00:00. We write the same records. When the
//! member's data is in memory we know its CRC and sizes before writing, so the local header is
//! written once, already final, which gives the bytes Python's seek-back leaves.

use std::collections::{HashSet, VecDeque};
use std::fs::File;
use std::io::{self, BufWriter, Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::mpsc;

use flate2::{Compress, FlushCompress};
use npy_core::{Array, Element, Error, ErrorKind, Header, NpyArray, Result};

use crate::format::{
    encode_name, io_error, Method, PutLe, ALIGN_EXTRA_ID, CENTRAL_SIG, DESCRIPTOR_SIG,
    DOS_DATE_1980, DOS_TIME_MIDNIGHT, EOCD64_LOCATOR_SIG, EOCD64_SIG, EOCD_SIG, EXTERNAL_ATTR,
    FILECOUNT_LIMIT, FLAG_DATA_DESCRIPTOR, LOCAL_SIG, MADE_BY_UNIX, VERSION_ZIP64, ZIP64_EXTRA_ID,
    ZIP64_LIMIT,
};
use crate::parallel::{
    compress_block, compress_into, compress_large, default_threads, Pool, Results, BLOCK,
};

/// NumPy's deflate level: `savez_compressed` uses zlib's default, 6.
pub const DEFAULT_LEVEL: u32 = 6;

/// How members are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Compression {
    /// Stored as is, as `np.savez` does.
    #[default]
    Stored,
    /// Raw deflate at a zlib level from 0 to 9, as `np.savez_compressed` does at level
    /// [`DEFAULT_LEVEL`].
    Deflated(u32),
}

impl Compression {
    /// Deflate at NumPy's level (6).
    pub const fn deflated() -> Compression {
        Compression::Deflated(DEFAULT_LEVEL)
    }

    fn method(self) -> Method {
        match self {
            Compression::Stored => Method::Stored,
            Compression::Deflated(_) => Method::Deflated,
        }
    }
}

/// What the central directory records about one written member.
#[derive(Debug)]
struct Written {
    name: String,
    flags: u16,
    method: Method,
    crc32: u32,
    compressed_size: u64,
    size: u64,
    header_offset: u64,
    /// The alignment and the zero bytes of an alignment extra field, when the archive aligns
    /// member data.
    padding: Option<(u16, u16)>,
}

/// Small deflated members are handed to the compression threads in batches of this many
/// bytes or members, whichever comes first.
const BATCH_BYTES: usize = 256 << 10;
const BATCH_MEMBERS: usize = 64;

/// Rewrites `bytes` at absolute offset `at`, then returns to `end` (seekable outputs only).
type Patch<W> = fn(&mut W, u64, &[u8], u64) -> io::Result<()>;

fn patch_at<W: Write + Seek>(out: &mut W, at: u64, bytes: &[u8], end: u64) -> io::Result<()> {
    out.seek(SeekFrom::Start(at))?;
    out.write_all(bytes)?;
    out.seek(SeekFrom::Start(end))?;
    Ok(())
}

/// Writes an `.npz` archive member by member.
///
/// For the same arrays, a stored archive is byte-identical to `np.savez`'s, and a deflated one
/// to `np.savez_compressed`'s as long as no member exceeds 4 MiB (its deflate is the same zlib,
/// level 6 by default). Larger members are deflated in independent 4 MiB blocks on several
/// cores (see [`NpzWriter::with_threads`]), a valid stream any inflater reads, within 0.1% of
/// zlib's single-stream size. Zip64 records are written whenever sizes or offsets need them,
/// without being asked; member timestamps are NumPy's fixed 1980-01-01, so the output is
/// reproducible, whatever the number of threads.
///
/// Small deflated members are compressed by background threads while the caller adds more,
/// and written in order a little later; an I/O error writing one is reported by a later call
/// or by [`NpzWriter::finish`].
///
/// ```
/// use npy_npz::{Compression, NpzWriter};
/// use npy_core::Array;
/// use std::io::Cursor;
///
/// let mut writer = NpzWriter::new(Cursor::new(Vec::new())).with_compression(Compression::deflated());
/// writer.add("x", &Array::from_vec(vec![4], vec![1.0f64, 2.0, 3.0, 4.0])?)?;
/// writer.add("labels", &Array::from_vec(vec![2], vec![7u8, 9])?)?;
/// let bytes = writer.finish()?.into_inner();
/// assert_eq!(&bytes[..4], b"PK\x03\x04");
/// # Ok::<(), npy_core::Error>(())
/// ```
#[derive(Debug)]
pub struct NpzWriter<W: Write> {
    out: W,
    /// Absolute position in `out` (for a stream that cannot seek, bytes written so far).
    pos: u64,
    patch: Option<Patch<W>>,
    compression: Compression,
    written: Vec<Written>,
    names: HashSet<String>,
    unnamed: usize,
    deflater: Option<(u32, Compress)>,
    scratch: Vec<u8>,
    alignment: Option<u16>,
    /// Threads that deflate (1: all on the calling thread).
    threads: usize,
    /// Threads compressing small members, started on the first one.
    pool: Option<Pool>,
    /// Small members gathered for the pool: their records and bytes.
    batch: (Vec<Written>, Vec<Vec<u8>>, usize),
    /// Batches being compressed by the pool, in the order they were added.
    pending: VecDeque<(Vec<Written>, Results)>,
    /// Set while a member is being written, and left set if it was abandoned or failed.
    broken: Option<String>,
}

impl<W: Write + Seek> NpzWriter<W> {
    /// A writer to a seekable output, starting at its current position. Members are stored
    /// unless [`NpzWriter::with_compression`] says otherwise.
    ///
    /// # Panics
    /// Never; a failure to find the position is reported by the first write.
    pub fn new(mut out: W) -> Self {
        let pos = out.stream_position();
        let mut writer =
            Self::with_patch(out, pos.as_ref().copied().unwrap_or(0), Some(patch_at::<W>));
        if let Err(e) = pos {
            writer.broken = Some(format!("finding the output position: {e}"));
        }
        writer
    }
}

impl NpzWriter<BufWriter<File>> {
    /// Creates (or truncates) the file at `path` and writes the archive to it. A failure part
    /// way leaves a partial file; [`savez`] and [`savez_compressed`] write atomically instead.
    pub fn create(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let file =
            File::create(path).map_err(|e| io_error(e, &format!("creating {}", path.display())))?;
        Ok(NpzWriter::new(BufWriter::with_capacity(256 << 10, file)))
    }
}

impl<W: Write> NpzWriter<W> {
    /// A writer to a stream that cannot seek (a pipe, a socket): each member's CRC and sizes
    /// follow its data in a zip64 data descriptor, exactly as `np.savez` writes to such a
    /// stream.
    pub fn new_streaming(out: W) -> Self {
        Self::with_patch(out, 0, None)
    }

    fn with_patch(out: W, pos: u64, patch: Option<Patch<W>>) -> Self {
        NpzWriter {
            out,
            pos,
            patch,
            compression: Compression::Stored,
            written: Vec::new(),
            names: HashSet::new(),
            unnamed: 0,
            deflater: None,
            scratch: Vec::new(),
            alignment: None,
            threads: default_threads(),
            pool: None,
            batch: (Vec::new(), Vec::new(), 0),
            pending: VecDeque::new(),
            broken: None,
        }
    }

    /// Sets how the following members are written.
    #[must_use]
    pub fn with_compression(mut self, compression: Compression) -> Self {
        self.set_compression(compression);
        self
    }

    /// Aligns each following member's data to `alignment` bytes (a power of two up to 4096)
    /// with padding in an extra field of its local header, as Android's zipalign does. A
    /// `.npy` header is a multiple of 64 bytes, so with an alignment of 64 every array's data
    /// starts 64-byte aligned in the file and [`crate::NpzMmap`] can view it as a typed slice.
    /// NumPy reads such archives as usual, but they are no longer byte-identical to its own.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidArgument`] when `alignment` is not a power of two up to 4096.
    pub fn with_alignment(mut self, alignment: u16) -> Result<Self> {
        if !alignment.is_power_of_two() || alignment > 4096 {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                format!("alignment {alignment} is not a power of two up to 4096"),
            ));
        }
        self.alignment = Some(alignment);
        Ok(self)
    }

    /// Sets how many threads deflate members (by default the available cores, up to 4; 1
    /// compresses everything on the calling thread). The output is the same for any number.
    #[must_use]
    pub fn with_threads(mut self, threads: usize) -> Self {
        self.threads = threads.max(1);
        self
    }

    /// Changes how the following members are written.
    pub fn set_compression(&mut self, compression: Compression) {
        // Members gathered for the pool keep the level they were added with.
        if let Compression::Deflated(level) = self.compression {
            self.submit_batch(level);
        }
        self.compression = compression;
    }

    /// How members are being written.
    pub fn compression(&self) -> Compression {
        self.compression
    }

    /// Adds `array` as member `name + ".npy"` (the name verbatim: `"a/b"` gives `a/b.npy`,
    /// `"c.npy"` gives `c.npy.npy`, as `np.savez(f, **{name: array})` does).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidArgument`] when the member name is already taken or contains a NUL;
    /// I/O errors from the output.
    pub fn add_array(&mut self, name: &str, array: &NpyArray) -> Result<()> {
        self.add_data(name, array.header(), array.data())
    }

    /// Adds a typed array as member `name + ".npy"`.
    pub fn add<T: Element>(&mut self, name: &str, array: &Array<T>) -> Result<()> {
        self.add_data(name, &array.header(), T::as_bytes(array.data()))
    }

    /// Adds an array under the next positional name, `arr_0`, `arr_1`, ..., as `np.savez`
    /// names arrays passed without a keyword. (`np.savez` writes keyword arrays first; to get
    /// its order add those first, or use [`savez_to`].)
    ///
    /// # Errors
    /// As [`NpzWriter::add_array`]; NumPy's `"Cannot use un-named variables and keyword arr_0"`
    /// when that name was already used.
    pub fn add_unnamed_array(&mut self, array: &NpyArray) -> Result<()> {
        let name = self.next_unnamed()?;
        self.add_data(&name, array.header(), array.data())
    }

    /// Adds a typed array under the next positional name (see
    /// [`NpzWriter::add_unnamed_array`]).
    pub fn add_unnamed<T: Element>(&mut self, array: &Array<T>) -> Result<()> {
        let name = self.next_unnamed()?;
        self.add_data(&name, &array.header(), T::as_bytes(array.data()))
    }

    fn next_unnamed(&mut self) -> Result<String> {
        let name = format!("arr_{}", self.unnamed);
        if self.names.contains(&format!("{name}.npy")) {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                format!("Cannot use un-named variables and keyword {name}"),
            ));
        }
        self.unnamed += 1;
        Ok(name)
    }

    /// Adds member `name + ".npy"` from a header and its data bytes (in the header's byte
    /// order and memory order), without building an [`NpyArray`].
    ///
    /// # Errors
    /// As [`NpzWriter::add_array`], and [`ErrorKind::InvalidArgument`] when `data` is not
    /// `header.data_len()` bytes.
    pub fn add_data(&mut self, name: &str, header: &Header, data: &[u8]) -> Result<()> {
        header.check_data(data)?;
        let prelude = header.to_bytes()?;
        self.add_parts(&format!("{name}.npy"), &[&prelude, data])
    }

    /// Adds a member that is not `.npy` data (a text file, say) under exactly `file_name`.
    /// `np.load` returns such members as bytes.
    pub fn add_file(&mut self, file_name: &str, bytes: &[u8]) -> Result<()> {
        self.add_parts(file_name, &[bytes])
    }

    /// Starts member `name + ".npy"` for an array with `header`, whose data is then written in
    /// chunks: a large array never needs to be in memory whole.
    ///
    /// ```
    /// use npy_npz::{NpzReader, NpzWriter};
    /// use npy_core::{Array, Element, Header};
    /// use std::io::Cursor;
    ///
    /// let mut writer = NpzWriter::new(Cursor::new(Vec::new()));
    /// let mut member = writer.start_array("big", &Header::new(f32::dtype(), vec![1000]))?;
    /// for chunk in (0..1000).collect::<Vec<i32>>().chunks(100) {
    ///     let values: Vec<f32> = chunk.iter().map(|&i| i as f32).collect();
    ///     member.write_elements(&values)?;
    /// }
    /// member.finish()?;
    /// let bytes = writer.finish()?.into_inner();
    /// let big: Array<f32> = NpzReader::new(Cursor::new(bytes))?.read_typed("big")?;
    /// assert_eq!(big.data()[999], 999.0);
    /// # Ok::<(), npy_core::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`NpzWriter::add_array`]. The member must receive exactly `header.data_len()`
    /// bytes before [`MemberWriter::finish`]; a member writer dropped unfinished leaves the
    /// archive unusable (later calls fail).
    pub fn start_array(&mut self, name: &str, header: &Header) -> Result<MemberWriter<'_, W>> {
        header.require_raw_data()?;
        let prelude = header.to_bytes()?;
        let total = header
            .data_len()?
            .checked_add(prelude.len() as u64)
            .ok_or_else(|| Error::new(ErrorKind::Overflow, "member size overflows 64 bits"))?;
        let mut member = self.begin(&format!("{name}.npy"), total)?;
        member
            .write_all(&prelude)
            .map_err(|e| io_error(e, "writing the member"))?;
        Ok(member)
    }

    /// Writes the central directory and end records, and returns the output.
    pub fn finish(mut self) -> Result<W> {
        self.check_usable()?;
        self.drain(0)?;
        let cd_start = self.pos;
        let mut cd = Vec::with_capacity(self.written.len() * 80);
        for member in &self.written {
            central_header(&mut cd, member);
        }
        let cd_size = cd.len() as u64;
        let count = self.written.len() as u64;
        let cd_end = cd_start + cd_size;
        if count > FILECOUNT_LIMIT || cd_start > ZIP64_LIMIT || cd_size > ZIP64_LIMIT {
            cd.put_u32(EOCD64_SIG);
            cd.put_u64(44);
            cd.put_u16(VERSION_ZIP64);
            cd.put_u16(VERSION_ZIP64);
            cd.put_u32(0);
            cd.put_u32(0);
            cd.put_u64(count);
            cd.put_u64(count);
            cd.put_u64(cd_size);
            cd.put_u64(cd_start);
            cd.put_u32(EOCD64_LOCATOR_SIG);
            cd.put_u32(0);
            cd.put_u64(cd_end);
            cd.put_u32(1);
        }
        cd.put_u32(EOCD_SIG);
        cd.put_u16(0);
        cd.put_u16(0);
        cd.put_u16(count.min(0xffff) as u16);
        cd.put_u16(count.min(0xffff) as u16);
        cd.put_u32(cd_size.min(0xffff_ffff) as u32);
        cd.put_u32(cd_start.min(0xffff_ffff) as u32);
        cd.put_u16(0);
        self.out
            .write_all(&cd)
            .and_then(|()| self.out.flush())
            .map_err(|e| io_error(e, "writing the central directory"))?;
        Ok(self.out)
    }

    fn check_usable(&self) -> Result<()> {
        match &self.broken {
            None => Ok(()),
            Some(why) => Err(Error::new(
                ErrorKind::InvalidArgument,
                format!("the archive cannot be continued: {why}"),
            )),
        }
    }

    fn claim_name(&mut self, file_name: &str) -> Result<()> {
        self.check_usable()?;
        if file_name.contains('\0') {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                format!("member name {file_name:?} contains a NUL byte"),
            ));
        }
        if file_name.len() > usize::from(u16::MAX) {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                "member name is longer than a zip archive allows (65535 bytes)",
            ));
        }
        if !self.names.insert(file_name.to_owned()) {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                format!("the archive already has a member named '{file_name}'"),
            ));
        }
        Ok(())
    }

    /// Writes a member whose bytes are the concatenation of `parts`, all in memory.
    fn add_parts(&mut self, file_name: &str, parts: &[&[u8]]) -> Result<()> {
        let size: u64 = parts.iter().map(|p| p.len() as u64).sum();
        let level = match self.compression {
            Compression::Stored => None,
            Compression::Deflated(level) => Some(check_level(level)?),
        };
        self.claim_name(file_name)?;
        let mut record = self.record(file_name, self.compression.method());
        record.size = size;
        match level {
            None => {
                if self.patch.is_none() {
                    self.drain(0)?;
                    return self.write_streamed(record, |writer| {
                        for part in parts {
                            writer.emit(&[part])?;
                        }
                        Ok(crc_of(parts))
                    });
                }
                record.crc32 = crc_of(parts);
                record.compressed_size = size;
                self.drain(0)?;
                self.write_known(record, parts)
            }
            Some(level) if size > BLOCK as u64 => {
                self.drain(0)?;
                self.write_streamed(record, |writer| {
                    compress_large(parts, level, writer.threads, &mut |bytes| {
                        writer.emit(&[bytes])
                    })
                })
            }
            Some(level) => {
                record.crc32 = crc_of(parts);
                let threads = self.threads;
                if threads > 1 {
                    let (records, members, bytes) = &mut self.batch;
                    records.push(record);
                    members.push(parts.concat());
                    *bytes += size as usize;
                    if *bytes >= BATCH_BYTES || members.len() >= BATCH_MEMBERS {
                        self.submit_batch(level);
                    }
                    // Write what is done; wait only when too much is in flight.
                    self.drain(threads * 2)
                } else {
                    let mut compressed = std::mem::take(&mut self.scratch);
                    compressed.clear();
                    let deflater = self.deflater(level)?;
                    for (i, part) in parts.iter().enumerate() {
                        let last = i + 1 == parts.len();
                        let flush = if last {
                            FlushCompress::Finish
                        } else {
                            FlushCompress::None
                        };
                        compress_into(deflater, part, flush, &mut compressed)?;
                    }
                    if parts.is_empty() {
                        compress_into(deflater, &[], FlushCompress::Finish, &mut compressed)?;
                    }
                    let result = self.write_compressed(record, &compressed);
                    self.scratch = compressed;
                    result
                }
            }
        }
    }

    /// A record for a new member at the current position.
    fn record(&self, file_name: &str, method: Method) -> Written {
        let descriptor = if self.patch.is_none() {
            FLAG_DATA_DESCRIPTOR
        } else {
            0
        };
        Written {
            name: file_name.to_owned(),
            flags: encode_name(file_name).1 | descriptor,
            method,
            crc32: 0,
            compressed_size: 0,
            size: 0,
            header_offset: self.pos,
            padding: self.padding(file_name),
        }
    }

    /// Hands the gathered small members to the pool. A last, partial batch of a writer that
    /// has not started the pool yet (an archive of a few small members) is compressed on the
    /// calling thread instead: starting threads would cost more than it saves.
    fn submit_batch(&mut self, level: u32) {
        let (records, members, _) = std::mem::take(&mut self.batch);
        if records.is_empty() {
            return;
        }
        let result = if self.pool.is_none() && members.len() < BATCH_MEMBERS {
            let (reply, result) = mpsc::sync_channel(1);
            let compressed = members
                .iter()
                .map(|data| {
                    let mut out = Vec::with_capacity(data.len() / 2 + 256);
                    compress_into(self.deflater(level)?, data, FlushCompress::Finish, &mut out)
                        .map(|()| out)
                })
                .collect();
            let _ = reply.send(compressed);
            result
        } else {
            let threads = self.threads;
            let pool = self.pool.get_or_insert_with(|| Pool::new(threads));
            pool.submit(members, level)
        };
        self.pending.push_back((records, result));
    }

    /// Writes members compressed in the background, in order, until at most `keep` batches are
    /// left in flight (waiting for the oldest when needed). With `keep == 0`, members still
    /// being gathered are compressed and written too.
    fn drain(&mut self, keep: usize) -> Result<()> {
        if keep == 0 {
            if let Compression::Deflated(level) = self.compression {
                self.submit_batch(level);
            }
        }
        while let Some((_, result)) = self.pending.front() {
            let compressed = if self.pending.len() > keep {
                result.recv().ok()
            } else {
                match result.try_recv() {
                    Ok(done) => Some(done),
                    Err(mpsc::TryRecvError::Empty) => return Ok(()),
                    Err(mpsc::TryRecvError::Disconnected) => None,
                }
            };
            let (records, _) = self.pending.pop_front().expect("checked above");
            let compressed = compressed
                .unwrap_or_else(|| Err(Error::new(ErrorKind::Io, "a compression thread stopped")));
            let result = compressed.and_then(|members| {
                records
                    .into_iter()
                    .zip(members)
                    .try_for_each(|(record, bytes)| self.write_compressed(record, &bytes))
            });
            if let Err(e) = result {
                self.broken = Some(format!("writing failed: {e}"));
                self.pending.clear();
                return Err(e);
            }
        }
        Ok(())
    }

    /// Writes a member whose compressed bytes are ready; its CRC and size are in `record`.
    fn write_compressed(&mut self, mut record: Written, compressed: &[u8]) -> Result<()> {
        record.compressed_size = compressed.len() as u64;
        if self.patch.is_none() {
            let crc32 = record.crc32;
            self.write_streamed(record, |writer| {
                writer.emit(&[compressed])?;
                Ok(crc32)
            })
        } else {
            self.write_known(record, &[compressed])
        }
    }

    /// Writes a member whose CRC and sizes are known: its final local header, then `body`.
    fn write_known(&mut self, mut record: Written, body: &[&[u8]]) -> Result<()> {
        record.header_offset = self.pos;
        record.padding = self.padding(&record.name);
        let mut header = Vec::with_capacity(64 + record.name.len());
        local_header(&mut header, &record);
        self.emit(&[&header])?;
        for part in body {
            self.emit(&[part])?;
        }
        self.written.push(record);
        Ok(())
    }

    /// Writes a member whose CRC or compressed size is only known afterwards: a provisional
    /// local header, the bytes `body` emits (returning their CRC-32), then the final header
    /// patched in place or a data descriptor.
    fn write_streamed(
        &mut self,
        mut record: Written,
        body: impl FnOnce(&mut Self) -> Result<u32>,
    ) -> Result<()> {
        record.header_offset = self.pos;
        record.padding = self.padding(&record.name);
        let mut header = Vec::with_capacity(64 + record.name.len());
        local_header(&mut header, &record);
        self.emit(&[&header])?;
        let data_start = self.pos;
        self.broken = Some(format!("member '{}' was not finished", record.name));
        record.crc32 = body(self)?;
        record.compressed_size = self.pos - data_start;
        self.close(record)
    }

    /// Records a finished member: patches its local header, or writes its data descriptor.
    fn close(&mut self, record: Written) -> Result<()> {
        match self.patch {
            None => {
                let mut descriptor = Vec::with_capacity(24);
                descriptor.put_u32(DESCRIPTOR_SIG);
                descriptor.put_u32(record.crc32);
                descriptor.put_u64(record.compressed_size);
                descriptor.put_u64(record.size);
                self.emit(&[&descriptor])?;
            }
            Some(patch) => {
                let mut header = Vec::with_capacity(64 + record.name.len());
                local_header(&mut header, &record);
                if let Err(e) = patch(&mut self.out, record.header_offset, &header, self.pos) {
                    self.broken = Some(format!("writing failed: {e}"));
                    return Err(io_error(e, "updating the member's local header"));
                }
            }
        }
        self.written.push(record);
        self.broken = None;
        Ok(())
    }

    /// The padding that aligns the data of a member whose local header starts here.
    fn padding(&self, file_name: &str) -> Option<(u16, u16)> {
        let alignment = self.alignment?;
        let unpadded = self.pos + 30 + file_name.len() as u64 + 20 + 6;
        let align = u64::from(alignment);
        Some((alignment, ((align - unpadded % align) % align) as u16))
    }

    fn emit(&mut self, parts: &[&[u8]]) -> Result<()> {
        for part in parts {
            if let Err(e) = self.out.write_all(part) {
                self.broken = Some(format!("writing failed: {e}"));
                return Err(io_error(e, "writing the archive"));
            }
            self.pos += part.len() as u64;
        }
        Ok(())
    }

    fn deflater(&mut self, level: u32) -> Result<&mut Compress> {
        let level = check_level(level)?;
        match &mut self.deflater {
            Some((current, deflater)) if *current == level => deflater.reset(),
            slot => *slot = Some((level, Compress::new(flate2::Compression::new(level), false))),
        }
        Ok(&mut self.deflater.as_mut().expect("just set").1)
    }

    /// Writes a member's provisional local header and returns a writer for its `size` bytes.
    fn begin(&mut self, file_name: &str, size: u64) -> Result<MemberWriter<'_, W>> {
        let level = match self.compression {
            Compression::Stored => None,
            Compression::Deflated(level) => Some(check_level(level)?),
        };
        self.claim_name(file_name)?;
        self.drain(0)?;
        let record = self.record(file_name, self.compression.method());
        let mut header = Vec::with_capacity(64 + file_name.len());
        local_header(&mut header, &record);
        self.emit(&[&header])?;
        self.broken = Some(format!("member '{file_name}' was not finished"));
        let mode = match level {
            None => Mode::Stored,
            Some(level) if size > BLOCK as u64 => Mode::Blocks {
                level,
                buffer: Vec::new(),
                tail: Vec::new(),
                done: 0,
            },
            Some(level) => {
                self.deflater(level)?;
                Mode::Stream
            }
        };
        Ok(MemberWriter {
            data_start: self.pos,
            writer: self,
            record,
            expected: size,
            hasher: crc32fast::Hasher::new(),
            mode,
        })
    }
}

/// How a member writer compresses.
#[derive(Debug)]
enum Mode {
    Stored,
    /// One zlib stream through the writer's deflater.
    Stream,
    /// Independent blocks compressed in parallel (members over [`BLOCK`] bytes): input is
    /// gathered until a round of blocks is complete.
    Blocks {
        level: u32,
        buffer: Vec<u8>,
        /// The last 32 KiB before `buffer`: the next block's dictionary.
        tail: Vec<u8>,
        /// Bytes of the member already compressed.
        done: u64,
    },
}

/// Writes one member's bytes in chunks; see [`NpzWriter::start_array`].
#[derive(Debug)]
pub struct MemberWriter<'a, W: Write> {
    writer: &'a mut NpzWriter<W>,
    record: Written,
    expected: u64,
    data_start: u64,
    hasher: crc32fast::Hasher,
    mode: Mode,
}

impl<W: Write> MemberWriter<'_, W> {
    /// Bytes of the member still to be written.
    pub fn remaining(&self) -> u64 {
        self.expected - self.record.size
    }

    /// Writes elements of `T` (their bytes in native order: the header's dtype must be `T`'s).
    pub fn write_elements<T: Element>(&mut self, elements: &[T]) -> Result<()> {
        self.write_all(T::as_bytes(elements))
            .map_err(|e| io_error(e, "writing the member"))
    }

    /// Completes the member: flushes the compressor and records its CRC and sizes (seeking
    /// back to the local header, or in a data descriptor).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidArgument`] when fewer bytes were written than the header promises.
    pub fn finish(mut self) -> Result<()> {
        if self.record.size != self.expected {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                format!(
                    "member '{}' got {} of its {} bytes",
                    self.record.name, self.record.size, self.expected
                ),
            ));
        }
        match self.mode {
            Mode::Stored => {}
            Mode::Stream => {
                let writer = &mut *self.writer;
                let mut out = std::mem::take(&mut writer.scratch);
                out.clear();
                let deflater = &mut writer.deflater.as_mut().expect("set up by begin").1;
                compress_into(deflater, &[], FlushCompress::Finish, &mut out)?;
                writer.emit(&[&out])?;
                writer.scratch = out;
            }
            Mode::Blocks { .. } => self.compress_blocks(true)?,
        }
        let mut record = std::mem::replace(&mut self.record, Written::placeholder());
        record.crc32 = self.hasher.clone().finalize();
        record.compressed_size = self.writer.pos - self.data_start;
        self.writer.close(record)
    }

    /// Compresses the whole blocks gathered so far (all of them, the last one included, when
    /// `all`), a round of up to [`threads`] at a time.
    fn compress_blocks(&mut self, all: bool) -> Result<()> {
        let Mode::Blocks {
            level,
            buffer,
            tail,
            done,
        } = &mut self.mode
        else {
            return Ok(());
        };
        let threads = self.writer.threads;
        let mut used = 0;
        while buffer.len() - used >= threads * BLOCK || (all && used < buffer.len()) {
            let round = &buffer[used..buffer.len().min(used + threads * BLOCK)];
            let blocks: Vec<&[u8]> = round.chunks(BLOCK).collect();
            let results: Vec<Result<(Vec<u8>, crc32fast::Hasher)>> = std::thread::scope(|scope| {
                let workers: Vec<_> = blocks
                    .iter()
                    .enumerate()
                    .map(|(k, block)| {
                        let dictionary: &[u8] = if k == 0 {
                            tail
                        } else {
                            let prev = blocks[k - 1];
                            &prev[prev.len().saturating_sub(32 << 10)..]
                        };
                        let end = *done + (used + (k + 1) * BLOCK).min(buffer.len()) as u64;
                        let last = end == self.expected;
                        let level = *level;
                        scope.spawn(move || compress_block(&[block], dictionary, level, last))
                    })
                    .collect();
                workers
                    .into_iter()
                    .map(|w| w.join().expect("compression threads do not panic"))
                    .collect()
            });
            for result in results {
                let (bytes, _) = result?;
                self.writer.emit(&[&bytes])?;
            }
            let consumed = round.len();
            let last_block = blocks.last().copied().unwrap_or(&[]);
            let keep = last_block.len().min(32 << 10);
            *tail = last_block[last_block.len() - keep..].to_vec();
            used += consumed;
        }
        *done += used as u64;
        buffer.drain(..used);
        Ok(())
    }
}

impl Written {
    fn placeholder() -> Written {
        Written {
            name: String::new(),
            flags: 0,
            method: Method::Stored,
            crc32: 0,
            compressed_size: 0,
            size: 0,
            header_offset: 0,
            padding: None,
        }
    }
}

impl<W: Write> Write for MemberWriter<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if buf.len() as u64 > self.remaining() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "member '{}' is {} bytes; {} more were written",
                    self.record.name,
                    self.expected,
                    buf.len() as u64 - self.remaining()
                ),
            ));
        }
        self.hasher.update(buf);
        self.record.size += buf.len() as u64;
        match &mut self.mode {
            Mode::Stored => self.writer.emit(&[buf])?,
            Mode::Stream => {
                let writer = &mut *self.writer;
                let mut out = std::mem::take(&mut writer.scratch);
                out.clear();
                let deflater = &mut writer.deflater.as_mut().expect("set up by begin").1;
                let result = compress_into(deflater, buf, FlushCompress::None, &mut out)
                    .and_then(|()| writer.emit(&[&out]));
                writer.scratch = out;
                result?;
            }
            Mode::Blocks { buffer, .. } => {
                buffer.extend_from_slice(buf);
                self.compress_blocks(false)?;
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.writer.out.flush()
    }
}

fn check_level(level: u32) -> Result<u32> {
    if level > 9 {
        return Err(Error::new(
            ErrorKind::InvalidArgument,
            format!("deflate level {level} is not between 0 and 9"),
        ));
    }
    Ok(level)
}

fn crc_of(parts: &[&[u8]]) -> u32 {
    let mut hasher = crc32fast::Hasher::new();
    parts.iter().for_each(|p| hasher.update(p));
    hasher.finalize()
}

/// A local file header as `ZipInfo.FileHeader(zip64=True)` renders it.
fn local_header(out: &mut Vec<u8>, member: &Written) {
    let (name, _) = encode_name(&member.name);
    let descriptor = member.flags & FLAG_DATA_DESCRIPTOR != 0;
    let (crc32, size, compressed_size) = if descriptor {
        (0, 0, 0)
    } else {
        (member.crc32, member.size, member.compressed_size)
    };
    out.put_u32(LOCAL_SIG);
    out.put_u16(VERSION_ZIP64);
    out.put_u16(member.flags);
    out.put_u16(member.method.code());
    out.put_u16(DOS_TIME_MIDNIGHT);
    out.put_u16(DOS_DATE_1980);
    out.put_u32(crc32);
    out.put_u32(0xffff_ffff);
    out.put_u32(0xffff_ffff);
    out.put_u16(name.len() as u16);
    out.put_u16(20 + member.padding.map_or(0, |(_, pad)| 6 + pad));
    out.extend_from_slice(name);
    out.put_u16(ZIP64_EXTRA_ID);
    out.put_u16(16);
    out.put_u64(size);
    out.put_u64(compressed_size);
    if let Some((alignment, pad)) = member.padding {
        // zipalign's layout: the alignment, then zero padding.
        out.put_u16(ALIGN_EXTRA_ID);
        out.put_u16(2 + pad);
        out.put_u16(alignment);
        out.resize(out.len() + usize::from(pad), 0);
    }
}

/// A central directory header as `ZipFile._write_end_record` renders it.
fn central_header(out: &mut Vec<u8>, member: &Written) {
    let (name, _) = encode_name(&member.name);
    let mut zip64 = Vec::new();
    let (size, compressed_size) =
        if member.size > ZIP64_LIMIT || member.compressed_size > ZIP64_LIMIT {
            zip64.push(member.size);
            zip64.push(member.compressed_size);
            (0xffff_ffff, 0xffff_ffff)
        } else {
            (member.size as u32, member.compressed_size as u32)
        };
    let header_offset = if member.header_offset > ZIP64_LIMIT {
        zip64.push(member.header_offset);
        0xffff_ffff
    } else {
        member.header_offset as u32
    };
    let extra_len = if zip64.is_empty() {
        0
    } else {
        4 + 8 * zip64.len()
    };
    out.put_u32(CENTRAL_SIG);
    out.put_u16(MADE_BY_UNIX);
    out.put_u16(VERSION_ZIP64);
    out.put_u16(member.flags);
    out.put_u16(member.method.code());
    out.put_u16(DOS_TIME_MIDNIGHT);
    out.put_u16(DOS_DATE_1980);
    out.put_u32(member.crc32);
    out.put_u32(compressed_size);
    out.put_u32(size);
    out.put_u16(name.len() as u16);
    out.put_u16(extra_len as u16);
    out.put_u16(0); // comment
    out.put_u16(0); // disk
    out.put_u16(0); // internal attributes
    out.put_u32(EXTERNAL_ATTR);
    out.put_u32(header_offset);
    out.extend_from_slice(name);
    if !zip64.is_empty() {
        out.put_u16(ZIP64_EXTRA_ID);
        out.put_u16((8 * zip64.len()) as u16);
        for value in zip64 {
            out.put_u64(value);
        }
    }
}

/// Writes `named` arrays (as `name.npy`, in order) and then `unnamed` ones (as `arr_0.npy`,
/// `arr_1.npy`, ...) to `out`, exactly as `np.savez(out, *unnamed, **named)` orders them, and
/// returns the output.
///
/// # Errors
/// NumPy's `"Cannot use un-named variables and keyword arr_0"` before anything is written when
/// a keyword name collides with a positional one; otherwise as [`NpzWriter::add_array`].
pub fn savez_to<W: Write + Seek>(
    out: W,
    compression: Compression,
    named: &[(&str, &NpyArray)],
    unnamed: &[&NpyArray],
) -> Result<W> {
    for i in 0..unnamed.len() {
        let key = format!("arr_{i}");
        if named.iter().any(|(name, _)| *name == key) {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                format!("Cannot use un-named variables and keyword {key}"),
            ));
        }
    }
    let mut writer = NpzWriter::new(out).with_compression(compression);
    for (name, array) in named {
        writer.add_array(name, array)?;
    }
    for array in unnamed {
        writer.add_unnamed_array(array)?;
    }
    writer.finish()
}

/// `np.savez(path, *unnamed, **named)`: a stored archive, written to a temporary file beside
/// `path` and renamed over it, so `path` never holds a partial archive. Unlike `np.savez`,
/// `.npz` is not appended to the path.
pub fn savez(
    path: impl AsRef<Path>,
    named: &[(&str, &NpyArray)],
    unnamed: &[&NpyArray],
) -> Result<()> {
    save_atomically(path.as_ref(), Compression::Stored, named, unnamed)
}

/// `np.savez_compressed(path, *unnamed, **named)`: as [`savez`], deflated at level 6.
pub fn savez_compressed(
    path: impl AsRef<Path>,
    named: &[(&str, &NpyArray)],
    unnamed: &[&NpyArray],
) -> Result<()> {
    save_atomically(path.as_ref(), Compression::deflated(), named, unnamed)
}

fn save_atomically(
    path: &Path,
    compression: Compression,
    named: &[(&str, &NpyArray)],
    unnamed: &[&NpyArray],
) -> Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".npz-").suffix(".tmp");
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let temp = builder.tempfile_in(dir).map_err(|e| {
        io_error(
            e,
            &format!("creating a temporary file for {}", path.display()),
        )
    })?;
    let out = BufWriter::with_capacity(256 << 10, temp);
    let out = savez_to(out, compression, named, unnamed)?;
    let temp = out
        .into_inner()
        .map_err(|e| io_error(e.into_error(), &format!("writing {}", path.display())))?;
    temp.persist(path).map_err(|e| {
        io_error(
            e.error,
            &format!("renaming the temporary file to {}", path.display()),
        )
    })?;
    Ok(())
}
