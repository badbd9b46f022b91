//! Decoding the rows of large arrays on several threads.
//!
//! A row costs a few hundred instructions to decode through serde (far more than copying its
//! bytes), so on a machine with more than one core a large array is split into consecutive
//! runs of rows, one per thread. Each thread builds its own plans (they are per-thread state),
//! reads its run (positioned reads of a file, chunk by chunk, or straight from a slice), and
//! writes its rows into its own stretch of the output vector ([`crate::fill`]). Memory stays
//! the rows plus one chunk per thread.

use std::ops::Range;

use npy_core::Header;
use serde::de::Deserialize;

use crate::de::rows::{decode_run, Rows};
use crate::error::{Error, ErrorKind, Result};
use crate::fill::{fill_in_parallel, Slots};

/// Data smaller than this is decoded on the calling thread alone.
pub(crate) const PARALLEL_MIN: u64 = 8 << 20;

/// Each thread gets at least this much data (fewer threads for smaller arrays).
const PART_MIN: u64 = 4 << 20;

/// Most threads one read uses.
const MAX_THREADS: usize = 8;

/// Bytes a thread reads from a file at a time (whole rows; a larger row is read whole). Small
/// enough that the chunk is still in the core's cache when its rows are decoded.
#[cfg(unix)]
const CHUNK_BYTES: usize = 256 << 10;

/// How many threads to decode `data_len` bytes of rows with: 1 below [`PARALLEL_MIN`], else up
/// to the machine's parallelism.
pub(crate) fn threads_for(data_len: u64) -> usize {
    if data_len < PARALLEL_MIN {
        return 1;
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let by_size = usize::try_from(data_len / PART_MIN).unwrap_or(usize::MAX);
    cores.min(MAX_THREADS).min(by_size).max(1)
}

/// Decodes `count` contiguous rows of `size` bytes from `data` onto `out`, on `threads` threads.
pub(crate) fn decode_slice<'de, T>(
    header: &Header,
    data: &'de [u8],
    size: usize,
    count: usize,
    threads: usize,
    out: &mut Vec<T>,
) -> Result<()>
where
    T: Deserialize<'de> + Send,
{
    fill_in_parallel(
        out,
        count,
        threads,
        |range: Range<usize>, slots: &mut Slots<'_, T>| {
            let rows = Rows::new::<T>(header)?;
            let frame = rows.frame(data);
            decode_run(
                &frame,
                range.start * size,
                size,
                range.start as u64,
                range.len() as u64,
                slots,
            )
        },
        incomplete,
    )
}

/// Decodes runs of whole rows read from a file into a thread's slots: npy-serde's serde
/// decoder, or a compiled one ([`crate::compiled`]). Each thread makes its own.
pub(crate) trait ChunkDecoder<T> {
    /// Decodes the `count` rows in `chunk` (row indices from `first`) onto `out`.
    fn decode(
        &mut self,
        chunk: &[u8],
        first: u64,
        count: u64,
        out: &mut Slots<'_, T>,
    ) -> Result<()>;
}

/// The serde decoder of one thread.
#[cfg(unix)]
struct SerdeChunks {
    rows: Rows,
    size: usize,
}

#[cfg(unix)]
impl<T: serde::de::DeserializeOwned> ChunkDecoder<T> for SerdeChunks {
    fn decode(
        &mut self,
        chunk: &[u8],
        first: u64,
        count: u64,
        out: &mut Slots<'_, T>,
    ) -> Result<()> {
        decode_run(&self.rows.frame(chunk), 0, self.size, first, count, out)
    }
}

/// Decodes `count` contiguous rows of `size` bytes that start at byte `data_offset` of `file`
/// onto `out`, on `threads` threads, each reading its own rows with positioned reads. The
/// caller has checked the file holds them; a file that shrinks meanwhile is an
/// [`ErrorKind::UnexpectedEof`].
#[cfg(unix)]
pub(crate) fn decode_file<T>(
    header: &Header,
    file: &std::fs::File,
    data_offset: u64,
    size: usize,
    count: usize,
    threads: usize,
    out: &mut Vec<T>,
) -> Result<()>
where
    T: serde::de::DeserializeOwned + Send,
{
    let make = || {
        Ok(SerdeChunks {
            rows: Rows::new::<T>(header)?,
            size,
        })
    };
    decode_file_with(file, data_offset, size, count, threads, out, make)
}

/// [`decode_file`] with the decoders `make` gives (one per thread).
#[cfg(unix)]
pub(crate) fn decode_file_with<T, D>(
    file: &std::fs::File,
    data_offset: u64,
    size: usize,
    count: usize,
    threads: usize,
    out: &mut Vec<T>,
    make: impl Fn() -> Result<D> + Sync,
) -> Result<()>
where
    T: Send,
    D: ChunkDecoder<T>,
{
    use std::os::unix::fs::FileExt;

    let rows_per_chunk = (CHUNK_BYTES / size).max(1);
    fill_in_parallel(
        out,
        count,
        threads,
        |range: Range<usize>, slots: &mut Slots<'_, T>| {
            let mut decoder = make()?;
            let mut buf = vec![0u8; rows_per_chunk.min(range.len()) * size];
            let mut first = range.start;
            while first < range.end {
                let n = rows_per_chunk.min(range.end - first);
                let chunk = &mut buf[..n * size];
                let at = data_offset + (first * size) as u64;
                file.read_exact_at(chunk, at).map_err(|e| {
                    if e.kind() == std::io::ErrorKind::UnexpectedEof {
                        Error::new(
                            ErrorKind::UnexpectedEof,
                            format!("EOF: the file ended before row {first} (was it truncated while being read?)"),
                        )
                        .at_row(first as u64)
                    } else {
                        Error::new(ErrorKind::Io, format!("reading array data: {e}"))
                    }
                })?;
                decoder.decode(chunk, first as u64, n as u64, slots)?;
                first += n;
            }
            Ok(())
        },
        incomplete,
    )
}

/// A decoding thread returned without all its rows (a bug, never expected).
pub(crate) fn incomplete() -> Error {
    Error::new(
        ErrorKind::InvalidData,
        "internal: a decoding thread stopped before its last row",
    )
}
