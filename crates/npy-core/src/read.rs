//! Reading `.npy` data from streams, files and byte slices.

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use crate::array::{Array, NpyArray};
use crate::dtype::ByteOrder;
use crate::element::{check_element_dtype, Element};
use crate::error::{Error, ErrorKind, Result};
use crate::file_read::{read_file_data, PARALLEL_MIN};
use crate::header::{read_header, Header, ParsedHeader, ReadOptions, Version};

/// Largest buffer allocated ahead of bytes that have not arrived yet, when the input's length is
/// unknown. Larger arrays grow geometrically as their bytes arrive.
const UNTRUSTED_CHUNK: usize = 16 << 20;

/// Arrays up to this size are read without asking the file for its length.
const SMALL_DATA: u64 = 1 << 20;

/// A `.npy` stream whose header has been read; the data follows.
///
/// Several arrays written one after another to one stream are read by creating one
/// `NpyReader` per array over `&mut stream`.
///
/// ```
/// use npy_core::{Array, NpyReader};
///
/// let mut stream = Vec::new();
/// Array::from_vec(vec![2], vec![1i32, 2])?.write_to(&mut stream)?;
/// Array::from_vec(vec![1], vec![3.5f32])?.write_to(&mut stream)?;
///
/// let mut input = &stream[..];
/// let first: Array<i32> = NpyReader::new(&mut input)?.read_typed()?;
/// let second: Array<f32> = NpyReader::new(&mut input)?.read_typed()?;
/// assert_eq!((first.data(), second.data()), (&[1, 2][..], &[3.5][..]));
/// # Ok::<(), npy_core::Error>(())
/// ```
#[derive(Debug)]
pub struct NpyReader<R> {
    reader: R,
    parsed: ParsedHeader,
    /// Bytes known to be available after the header, when the input can tell (files).
    available: Option<u64>,
    /// Where the data starts in the file, for large arrays read from a file.
    file_data_start: Option<u64>,
}

impl<R: Read> NpyReader<R> {
    /// Reads the header with default [`ReadOptions`].
    pub fn new(reader: R) -> Result<Self> {
        Self::with_options(reader, &ReadOptions::default())
    }

    /// Reads the header with the given limits.
    pub fn with_options(mut reader: R, options: &ReadOptions) -> Result<Self> {
        let parsed = read_header(&mut reader, options)?;
        Ok(NpyReader {
            reader,
            parsed,
            available: None,
            file_data_start: None,
        })
    }

    /// The header.
    pub fn header(&self) -> &Header {
        &self.parsed.header
    }

    /// The format version of the file.
    pub fn version(&self) -> Version {
        self.parsed.version
    }

    /// Where the data starts, relative to the magic string.
    pub fn data_offset(&self) -> u64 {
        self.parsed.data_offset
    }

    /// Reads the data as raw bytes of the header's dtype.
    pub fn read_array(mut self) -> Result<NpyArray> {
        self.parsed.header.require_raw_data()?;
        let len = self.parsed.header.data_len_usize()?;
        let data: Vec<u8> = read_exact_bounded(
            &mut self.reader,
            len,
            self.available,
            self.parsed.data_offset,
        )?;
        NpyArray::new(self.parsed.header, data)
    }

    /// Reads the data as `T` elements in native byte order (swapping when the file's order
    /// differs). The memory order is kept; see [`Array::to_c_order`].
    pub fn read_typed<T: Element>(mut self) -> Result<Array<T>> {
        let header = &self.parsed.header;
        let swap = check_element_dtype::<T>(&header.dtype)?;
        let len = header.data_len_usize()?;
        let mut raw: Vec<T::Raw> = read_exact_bounded(
            &mut self.reader,
            len,
            self.available,
            self.parsed.data_offset,
        )?;
        if swap {
            header
                .dtype
                .swap_to(ByteOrder::native(), bytemuck::cast_slice_mut(&mut raw))?;
        }
        let data = T::from_raw_vec(raw)?;
        if header.fortran_order {
            Array::from_vec_fortran(header.shape.clone(), data)
        } else {
            Array::from_vec(header.shape.clone(), data)
        }
    }

    /// Declares that `bytes` bytes are known to follow the header (an archive member's size, a
    /// file's remaining length), so the data is read into one allocation instead of chunks that
    /// grow as bytes arrive. Fewer bytes than the data needs is an error before any allocation;
    /// if the promise is wrong the read still fails cleanly, after allocating up to `bytes`.
    #[must_use]
    pub fn with_available(mut self, bytes: u64) -> Self {
        self.available = Some(bytes);
        self
    }

    /// Gives back the underlying reader, positioned at the first data byte.
    pub fn into_inner(self) -> R {
        self.reader
    }
}

impl<R: Read + Seek> NpyReader<R> {
    /// Skips over the data without reading it, returning the reader positioned after it.
    pub fn skip_data(mut self) -> Result<R> {
        let len = self.parsed.header.data_len()?;
        let len = i64::try_from(len)
            .map_err(|_| Error::new(ErrorKind::Overflow, "data length does not fit a seek"))?;
        self.reader
            .seek(SeekFrom::Current(len))
            .map_err(|e| Error::io(e, "seeking past array data"))?;
        Ok(self.reader)
    }
}

impl NpyReader<BufReader<File>> {
    /// Opens a file and reads its header. Data reads allocate once, after checking the file
    /// really holds the bytes the header claims.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        Self::open_with_options(path, &ReadOptions::default())
    }

    /// [`NpyReader::open`] with explicit limits.
    pub fn open_with_options(path: impl AsRef<Path>, options: &ReadOptions) -> Result<Self> {
        let path = path.as_ref();
        let file =
            File::open(path).map_err(|e| Error::io(e, &format!("opening {}", path.display())))?;
        Self::from_file_with_options(file, options)
    }

    /// Reads the header of the array that starts at `file`'s current position. The file's
    /// length bounds what data reads may allocate.
    pub fn from_file(file: File) -> Result<Self> {
        Self::from_file_with_options(file, &ReadOptions::default())
    }

    /// [`NpyReader::from_file`] with explicit limits.
    pub fn from_file_with_options(file: File, options: &ReadOptions) -> Result<Self> {
        // One read brings the header (and a small array's data); large data reads then bypass
        // the buffer.
        let mut reader = BufReader::with_capacity(8192, file);
        let parsed = read_header(&mut reader, options)?;
        // Small arrays are read in one bounded allocation anyway; only large ones need the
        // file's length (two more system calls) to bound the allocation.
        let (available, file_data_start) = if parsed.header.data_len()? <= SMALL_DATA {
            (None, None)
        } else {
            let buffered = reader.buffer().len() as u64;
            let file = reader.get_mut();
            let file_len = file
                .metadata()
                .map_err(|e| Error::io(e, "reading file metadata"))?
                .len();
            let position = file
                .stream_position()
                .map_err(|e| Error::io(e, "finding the file position"))?;
            let data_start = position - buffered;
            (Some(file_len.saturating_sub(data_start)), Some(data_start))
        };
        Ok(NpyReader {
            reader,
            available,
            file_data_start,
            parsed,
        })
    }
}

/// Reads a whole `.npy` file of `T` elements.
///
/// ```no_run
/// let weights: npy_core::Array<f32> = npy_core::read_path("weights.npy")?;
/// println!("{:?}", weights.shape());
/// # Ok::<(), npy_core::Error>(())
/// ```
pub fn read_path<T: Element>(path: impl AsRef<Path>) -> Result<Array<T>> {
    let reader = NpyReader::open(path)?;
    match reader.large_file_data() {
        None => reader.read_typed(),
        Some(data_start) => {
            let header = reader.parsed.header;
            let swap = check_element_dtype::<T>(&header.dtype)?;
            let len = header.data_len_usize()?;
            let file = reader.reader.into_inner();
            let raw: Vec<T::Raw> =
                read_file_data(&file, data_start, len, swap.then_some(&header.dtype))?;
            let data = T::from_raw_vec(raw)?;
            if header.fortran_order {
                Array::from_vec_fortran(header.shape, data)
            } else {
                Array::from_vec(header.shape, data)
            }
        }
    }
}

/// Reads a whole `.npy` file of any dtype as raw bytes (in the file's byte order).
pub fn read_path_dynamic(path: impl AsRef<Path>) -> Result<NpyArray> {
    let reader = NpyReader::open(path)?;
    match reader.large_file_data() {
        None => reader.read_array(),
        Some(data_start) => {
            let header = reader.parsed.header;
            header.require_raw_data()?;
            let len = header.data_len_usize()?;
            let file = reader.reader.into_inner();
            NpyArray::new(header, read_file_data(&file, data_start, len, None)?)
        }
    }
}

impl NpyReader<BufReader<File>> {
    /// The data's file offset when it is large enough for the parallel file reader.
    fn large_file_data(&self) -> Option<u64> {
        let len = self.parsed.header.data_len().ok()?;
        self.file_data_start.filter(|_| len >= PARALLEL_MIN)
    }
}

/// Reads `.npy` bytes held in memory as `T` elements (copying; see [`crate::ArrayView`] for a
/// zero-copy view).
pub fn read_slice<T: Element>(bytes: &[u8]) -> Result<Array<T>> {
    let mut reader = NpyReader::new(bytes)?;
    reader.available = Some(reader.reader.len() as u64);
    reader.read_typed()
}

/// Reads exactly `len` bytes into a fresh vector of `T`, allocating no more than the input has
/// shown it holds: all at once when `available` (from the file length) covers it, otherwise in
/// geometrically growing steps as bytes arrive.
fn read_exact_bounded<R: Read + ?Sized, T: bytemuck::Pod>(
    reader: &mut R,
    len: usize,
    available: Option<u64>,
    data_offset: u64,
) -> Result<Vec<T>> {
    let elem = size_of::<T>().max(1);
    debug_assert_eq!(len % elem, 0);
    if let Some(available) = available {
        if available < len as u64 {
            return Err(short_data(len as u64, available, data_offset));
        }
    }
    let trusted = available.is_some_and(|a| a >= len as u64);
    let mut capacity = if trusted {
        len
    } else {
        len.min(UNTRUSTED_CHUNK)
    };
    let mut data: Vec<T> = crate::alloc::zeroed_vec(capacity / elem);
    let mut filled = 0usize;
    loop {
        let bytes = bytemuck::cast_slice_mut::<T, u8>(&mut data);
        while filled < capacity {
            match reader.read(&mut bytes[filled..capacity]) {
                Ok(0) => return Err(short_data(len as u64, filled as u64, data_offset)),
                Ok(n) => filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(Error::io(e, "reading array data")),
            }
        }
        if filled == len {
            return Ok(data);
        }
        capacity = len.min(capacity.saturating_mul(2));
        data.resize(capacity / elem, bytemuck::Zeroable::zeroed());
    }
}

fn short_data(expected: u64, got: u64, data_offset: u64) -> Error {
    Error::eof("array data", expected, got).at(data_offset + got)
}
