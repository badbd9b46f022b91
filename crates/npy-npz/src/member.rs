//! Reading one member: its bytes inflated (when deflated) and checked against the directory's
//! size and CRC-32, then interpreted the way `np.load`'s `NpzFile.__getitem__` does.

use std::io::{self, BufRead, BufReader, Read, Seek};

use flate2::{Decompress, FlushDecompress, Status};
use npy_core::header::{ParsedHeader, MAGIC};
use npy_core::{Array, Element, Error, ErrorKind, NpyArray, NpyReader, ReadOptions, Result};

use crate::directory::{Entry, ReadAt};
use crate::format::{corrupt, Method};

/// A member's content as `np.load` returns it: an array when the bytes are `.npy` data (they
/// start with `\x93NUMPY`, whatever the member's name), otherwise the raw bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// The member holds `.npy` data.
    Array(NpyArray),
    /// The member holds something else (NumPy returns its bytes).
    Bytes(Vec<u8>),
}

/// The archive stream, buffered, with its logical position tracked so that moving between
/// members that follow each other costs no system call.
#[derive(Debug)]
pub(crate) struct Source<R> {
    reader: BufReader<R>,
    pos: u64,
    /// One inflater, reset for each deflated member, instead of a fresh ~40 KiB state each time.
    inflater: Option<Decompress>,
}

impl<R: Read + Seek> Source<R> {
    pub(crate) fn new(mut reader: R) -> io::Result<Source<R>> {
        let pos = reader.stream_position()?;
        Ok(Source {
            reader: BufReader::with_capacity(64 << 10, reader),
            pos,
            inflater: None,
        })
    }

    fn seek_to(&mut self, at: u64) -> io::Result<()> {
        if at != self.pos {
            let delta = i64::try_from(i128::from(at) - i128::from(self.pos))
                .map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
            self.reader.seek_relative(delta)?;
            self.pos = at;
        }
        Ok(())
    }
}

impl<R: Read> Source<R> {
    pub(crate) fn into_inner(self) -> R {
        self.reader.into_inner()
    }
}

impl<R: Read + Seek> ReadAt for Source<R> {
    fn read_at(&mut self, at: u64, buf: &mut [u8]) -> io::Result<()> {
        self.seek_to(at)?;
        let result = self.reader.read_exact(buf);
        // After a failed read the position is unknown; a later seek re-synchronises.
        match result {
            Ok(()) => {
                self.pos += buf.len() as u64;
                Ok(())
            }
            Err(e) => {
                self.pos = self.reader.stream_position()?;
                Err(e)
            }
        }
    }
}

/// Progress through one member's bytes.
#[derive(Debug)]
struct State {
    entry: Entry,
    /// Compressed bytes not yet taken from the archive.
    remaining_in: u64,
    /// Decompressed bytes handed out.
    produced: u64,
    hasher: crc32fast::Hasher,
    checked: bool,
    /// The error a failed read reported, kept whole for the caller (an `io::Error` only has
    /// room for its message).
    failure: Option<Error>,
    options: ReadOptions,
}

impl State {
    fn new<R: Read + Seek>(
        entry: &Entry,
        source: &mut Source<R>,
        data_start: u64,
        options: &ReadOptions,
    ) -> Result<State> {
        source
            .seek_to(data_start)
            .map_err(|e| crate::format::io_error(e, "seeking to the member's data"))?;
        if entry.method() == Method::Deflated {
            match &mut source.inflater {
                Some(inflater) => inflater.reset(false),
                none => *none = Some(Decompress::new(false)),
            }
        }
        Ok(State {
            entry: entry.clone(),
            remaining_in: entry.compressed_size(),
            produced: 0,
            hasher: crc32fast::Hasher::new(),
            checked: false,
            failure: None,
            options: options.clone(),
        })
    }

    /// Records `err` and returns it as an `io::Error` for the `Read` caller.
    fn fail(&mut self, err: Error) -> io::Error {
        let kind = match err.kind() {
            ErrorKind::UnexpectedEof => io::ErrorKind::UnexpectedEof,
            _ => io::ErrorKind::InvalidData,
        };
        let io = io::Error::new(kind, err.message().to_owned());
        self.failure = Some(err);
        io
    }

    fn read<R: Read + Seek>(
        &mut self,
        source: &mut Source<R>,
        buf: &mut [u8],
    ) -> io::Result<usize> {
        if let Some(err) = &self.failure {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                err.message().to_owned(),
            ));
        }
        let left = self.entry.size() - self.produced;
        let want = usize::try_from(left).map_or(buf.len(), |left| left.min(buf.len()));
        if want == 0 {
            if !buf.is_empty() {
                self.check()?;
            }
            return Ok(0);
        }
        let n = match self.entry.method() {
            Method::Deflated => self.inflate(source, &mut buf[..want])?,
            _ => self.copy_stored(source, &mut buf[..want])?,
        };
        self.hasher.update(&buf[..n]);
        self.produced += n as u64;
        if self.produced == self.entry.size() {
            self.check()?;
        }
        Ok(n)
    }

    fn copy_stored<R: Read + Seek>(
        &mut self,
        source: &mut Source<R>,
        buf: &mut [u8],
    ) -> io::Result<usize> {
        let n = match source.reader.read(buf) {
            Ok(n) => n,
            Err(e) => return Err(self.fail(crate::format::io_error(e, "reading member data"))),
        };
        if n == 0 {
            return Err(self.fail(self.short()));
        }
        source.pos += n as u64;
        self.remaining_in -= n as u64;
        Ok(n)
    }

    fn inflate<R: Read + Seek>(
        &mut self,
        source: &mut Source<R>,
        buf: &mut [u8],
    ) -> io::Result<usize> {
        loop {
            let input: &[u8] = if self.remaining_in == 0 {
                &[]
            } else {
                match source.reader.fill_buf() {
                    Ok(input) => input,
                    Err(e) => {
                        return Err(self.fail(crate::format::io_error(e, "reading member data")))
                    }
                }
            };
            let avail =
                usize::try_from(self.remaining_in).map_or(input.len(), |r| r.min(input.len()));
            let input = &input[..avail];
            let inflater = source
                .inflater
                .as_mut()
                .expect("set up for deflated members");
            let (before_in, before_out) = (inflater.total_in(), inflater.total_out());
            let flush = if avail == 0 {
                FlushDecompress::Finish
            } else {
                FlushDecompress::None
            };
            let status = inflater.decompress(input, buf, flush);
            let consumed = (inflater.total_in() - before_in) as usize;
            let produced = (inflater.total_out() - before_out) as usize;
            source.reader.consume(consumed);
            source.pos += consumed as u64;
            self.remaining_in -= consumed as u64;
            let status = match status {
                Ok(status) => status,
                Err(e) => {
                    let err = corrupt(format!(
                        "member '{}' holds invalid deflate data: {e}",
                        self.entry.name()
                    ));
                    return Err(self.fail(err));
                }
            };
            if produced > 0 {
                return Ok(produced);
            }
            if status == Status::StreamEnd || avail == 0 || consumed == 0 {
                return Err(self.fail(self.short()));
            }
        }
    }

    fn short(&self) -> Error {
        Error::new(
            ErrorKind::UnexpectedEof,
            format!(
                "member '{}' ends after {} of its {} bytes (truncated or corrupt archive)",
                self.entry.name(),
                self.produced,
                self.entry.size()
            ),
        )
    }

    /// Compares the CRC-32 of everything handed out with the directory's, once.
    fn check(&mut self) -> io::Result<()> {
        if !self.checked {
            self.checked = true;
            if self.hasher.clone().finalize() != self.entry.crc32() {
                let err = corrupt(format!("Bad CRC-32 for file '{}'", self.entry.name()));
                return Err(self.fail(err));
            }
        }
        Ok(())
    }

    /// The error to report for a failed operation: the recorded one, or `err` from npy-core
    /// with the member named.
    fn explain(&mut self, err: Error) -> Error {
        self.failure
            .take()
            .unwrap_or_else(|| err.context(format!("member '{}'", self.entry.name())))
    }
}

/// One member of an open archive, borrowed from its [`crate::NpzReader`]: read its bytes with
/// [`Read`] (decompressed and CRC-checked), or interpret them with the `read_*` methods.
///
/// Reading to the end of the member checks its size and CRC-32; the `read_*` methods always do.
#[derive(Debug)]
pub struct Member<'a, R: Read> {
    state: State,
    source: &'a mut Source<R>,
}

/// One member of an archive that owns the archive's reader ([`crate::NpzReader::into_member`]).
/// It reads like [`Member`].
#[derive(Debug)]
pub struct OwnedMember<R: Read> {
    state: State,
    source: Source<R>,
}

impl<'a, R: Read + Seek> Member<'a, R> {
    pub(crate) fn open(
        entry: &Entry,
        source: &'a mut Source<R>,
        data_start: u64,
        options: &ReadOptions,
    ) -> Result<Self> {
        let state = State::new(entry, source, data_start, options)?;
        Ok(Member { state, source })
    }
}

impl<R: Read + Seek> OwnedMember<R> {
    pub(crate) fn open(
        entry: &Entry,
        mut source: Source<R>,
        data_start: u64,
        options: &ReadOptions,
    ) -> Result<Self> {
        let state = State::new(entry, &mut source, data_start, options)?;
        Ok(OwnedMember { state, source })
    }

    /// Gives back the archive's reader.
    pub fn into_inner(self) -> R {
        self.source.into_inner()
    }
}

/// Both member types: their state and the archive stream.
trait Parts {
    type R: Read + Seek;
    fn parts(&mut self) -> (&mut State, &mut Source<Self::R>);
}

impl<R: Read + Seek> Parts for Member<'_, R> {
    type R = R;
    fn parts(&mut self) -> (&mut State, &mut Source<R>) {
        (&mut self.state, self.source)
    }
}

impl<R: Read + Seek> Parts for OwnedMember<R> {
    type R = R;
    fn parts(&mut self) -> (&mut State, &mut Source<R>) {
        (&mut self.state, &mut self.source)
    }
}

/// Reads through `parts` (the `Read` impl of both member types).
struct Reader<'p, P: Parts>(&'p mut P);

impl<P: Parts> Read for Reader<'_, P> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let (state, source) = self.0.parts();
        state.read(source, buf)
    }
}

fn read_prefix<P: Parts>(member: &mut P) -> Result<([u8; 6], usize)> {
    let mut magic = [0u8; 6];
    let mut got = 0;
    while got < magic.len() {
        match Reader(member).read(&mut magic[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => {
                let err = crate::format::io_error(e, "reading the member");
                return Err(member.parts().0.explain(err));
            }
        }
    }
    Ok((magic, got))
}

fn finish<P: Parts>(member: &mut P) -> Result<()> {
    let mut scratch = [0u8; 8192];
    loop {
        match Reader(member).read(&mut scratch) {
            Ok(0) => return Ok(()),
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => {
                let err = crate::format::io_error(e, "reading the member");
                return Err(member.parts().0.explain(err));
            }
        }
    }
}

fn npy_reader<P: Parts>(member: &mut P) -> Result<NpyReader<Reader<'_, P>>> {
    let state = &member.parts().0;
    let options = state.options.clone();
    // The member's size was checked against the archive (stored) or deflate's largest
    // expansion (deflated) when the directory was read, so the data is read in one allocation.
    let size = state.entry.size();
    let reader = NpyReader::with_options(Reader(member), &options)?;
    let after_header = size.saturating_sub(reader.data_offset());
    Ok(reader.with_available(after_header))
}

fn read_array<P: Parts>(member: &mut P) -> Result<NpyArray> {
    let result = npy_reader(member).and_then(NpyReader::read_array);
    let array = result.map_err(|e| member.parts().0.explain(e))?;
    finish(member)?;
    Ok(array)
}

fn read_typed<T: Element, P: Parts>(member: &mut P) -> Result<Array<T>> {
    let result = npy_reader(member).and_then(NpyReader::read_typed::<T>);
    let array = result.map_err(|e| member.parts().0.explain(e))?;
    finish(member)?;
    Ok(array)
}

fn read_bytes<P: Parts>(member: &mut P) -> Result<Vec<u8>> {
    let state = &member.parts().0;
    // Stored sizes were checked against the archive; deflated ones are claims, so the buffer
    // only grows as bytes arrive.
    let hint = match state.entry.method() {
        Method::Stored => state.entry.size(),
        _ => state
            .entry
            .size()
            .min(state.entry.compressed_size().saturating_mul(4)),
    };
    let mut out = Vec::with_capacity(usize::try_from(hint.min(1 << 30)).unwrap_or(0));
    Reader(&mut *member)
        .read_to_end(&mut out)
        .map_err(|e| crate::format::io_error(e, "reading the member"))
        .map_err(|e| member.parts().0.explain(e))?;
    Ok(out)
}

fn read_value<P: Parts>(member: &mut P) -> Result<Value> {
    let (magic, got) = read_prefix(member)?;
    if got == magic.len() && &magic == MAGIC {
        let options = member.parts().0.options.clone();
        let size = member.parts().0.entry.size();
        let result = NpyReader::with_options((&magic[..]).chain(Reader(&mut *member)), &options)
            .map(|r| {
                let after_header = size.saturating_sub(r.data_offset());
                r.with_available(after_header)
            })
            .and_then(NpyReader::read_array);
        let array = result.map_err(|e| member.parts().0.explain(e))?;
        finish(member)?;
        Ok(Value::Array(array))
    } else {
        let mut bytes = magic[..got].to_vec();
        bytes.extend(read_bytes(member)?);
        Ok(Value::Bytes(bytes))
    }
}

fn read_header<P: Parts>(member: &mut P) -> Result<Option<ParsedHeader>> {
    let (magic, got) = read_prefix(member)?;
    if got < magic.len() || &magic != MAGIC {
        return Ok(None);
    }
    let options = member.parts().0.options.clone();
    let result =
        npy_core::header::read_header(&mut (&magic[..]).chain(Reader(&mut *member)), &options);
    result.map(Some).map_err(|e| member.parts().0.explain(e))
}

macro_rules! member_methods {
    () => {
        /// The member's directory entry: name, method, sizes, CRC.
        pub fn entry(&self) -> &Entry {
            &self.state.entry
        }

        /// The member's file name in the archive.
        pub fn name(&self) -> &str {
            self.state.entry.name()
        }

        /// Reads the member as `np.load` would: an array when it holds `.npy` data, otherwise
        /// its bytes.
        pub fn read_value(mut self) -> Result<Value> {
            read_value(&mut self)
        }

        /// Reads the member's `.npy` data as an array of any dtype.
        ///
        /// # Errors
        /// [`ErrorKind::BadMagic`] when the member is not `.npy` data; header and data errors
        /// from npy-core; [`ErrorKind::InvalidData`] for a CRC mismatch or corrupt deflate data;
        /// [`ErrorKind::UnexpectedEof`] when the member is cut short.
        pub fn read_array(mut self) -> Result<NpyArray> {
            read_array(&mut self)
        }

        /// Reads the member's `.npy` data as `T` elements in native byte order.
        ///
        /// # Errors
        /// As [`Self::read_array`], and [`ErrorKind::TypeMismatch`] when the dtype is not `T`'s.
        pub fn read_typed<T: Element>(mut self) -> Result<Array<T>> {
            read_typed(&mut self)
        }

        /// Reads the member's bytes, decompressed and CRC-checked, whatever they hold.
        pub fn read_bytes(mut self) -> Result<Vec<u8>> {
            read_bytes(&mut self)
        }

        /// Reads only the `.npy` header at the start of the member; `None` when the member is
        /// not `.npy` data. The data is not read, so its CRC is not checked.
        pub fn read_header(&mut self) -> Result<Option<ParsedHeader>> {
            read_header(self)
        }

        /// Reads the rest of the member, checking its size and CRC-32.
        pub fn finish(mut self) -> Result<()> {
            finish(&mut self)
        }

        /// The error a failed [`Read::read`] call reported, with its kind (a [`Read`] caller
        /// sees only an `io::Error` carrying its message).
        pub fn take_error(&mut self) -> Option<Error> {
            self.state.failure.take()
        }
    };
}

impl<R: Read + Seek> Member<'_, R> {
    member_methods!();
}

impl<R: Read + Seek> OwnedMember<R> {
    member_methods!();
}

impl<R: Read + Seek> Read for Member<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        Reader(self).read(buf)
    }
}

impl<R: Read + Seek> Read for OwnedMember<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        Reader(self).read(buf)
    }
}
