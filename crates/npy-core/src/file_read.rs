//! Reading a large array's data straight from a file: several threads, each reading its part in
//! chunks with positioned reads, byte-swapping each chunk while it is still in cache.
//!
//! One sequential `read` is bound by page faults and the copy out of the page cache; on a
//! machine with more than one core, splitting that work is what lets a whole-file read beat
//! `np.load`, and fusing the byte swap into the read saves a second pass over memory.

use std::fs::File;

use crate::dtype::{ByteOrder, DType};
use crate::error::{Error, Result};

/// Reads are split across threads only above this size.
pub(crate) const PARALLEL_MIN: u64 = 64 << 20;
/// Each positioned read (and swap) covers about this many bytes.
const CHUNK: usize = 8 << 20;
/// More threads than this do not help a memory-bound copy.
const MAX_THREADS: usize = 4;

/// Reads `len` bytes at `offset` of `file` into a new vector of `T`, converting each element of
/// `swap_from` (the file's dtype) to native byte order when given.
pub(crate) fn read_file_data<T: bytemuck::Pod>(
    file: &File,
    offset: u64,
    len: usize,
    swap_from: Option<&DType>,
) -> Result<Vec<T>> {
    let file_len = file
        .metadata()
        .map_err(|e| Error::io(e, "reading file metadata"))?
        .len();
    let available = file_len.saturating_sub(offset);
    if available < len as u64 {
        return Err(Error::eof("array data", len as u64, available).at(file_len));
    }
    let mut data: Vec<T> = crate::alloc::zeroed_vec(len / size_of::<T>().max(1));
    let bytes: &mut [u8] = bytemuck::cast_slice_mut(&mut data);
    // Parts and chunks end on element boundaries so each can be swapped on its own.
    let itemsize = swap_from.map_or(1, DType::itemsize).max(1);
    let chunk = (CHUNK / itemsize).max(1) * itemsize;
    let threads = if cfg!(unix) {
        std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(MAX_THREADS)
    } else {
        1 // positioned reads share the file cursor there
    };
    let part = if threads > 1 && len as u64 >= PARALLEL_MIN {
        len.div_ceil(threads).div_ceil(chunk) * chunk
    } else {
        len.max(1)
    };
    std::thread::scope(|scope| {
        let mut workers = Vec::new();
        let mut start = 0usize;
        for piece in bytes.chunks_mut(part) {
            let at = offset + start as u64;
            start += piece.len();
            workers.push(scope.spawn(move || read_part(file, at, piece, chunk, swap_from)));
        }
        workers
            .into_iter()
            .try_for_each(|w| w.join().expect("reader threads do not panic"))
    })?;
    Ok(data)
}

fn read_part(
    file: &File,
    offset: u64,
    part: &mut [u8],
    chunk: usize,
    swap_from: Option<&DType>,
) -> Result<()> {
    let mut at = offset;
    for piece in part.chunks_mut(chunk) {
        read_exact_at(file, piece, at).map_err(|e| {
            Error::io(
                e,
                "reading array data (was the file truncated while being read?)",
            )
        })?;
        if let Some(dtype) = swap_from {
            dtype.swap_to(ByteOrder::native(), piece)?;
        }
        at += piece.len() as u64;
    }
    Ok(())
}

#[cfg(unix)]
fn read_exact_at(file: &File, buf: &mut [u8], at: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, at)
}

#[cfg(not(unix))]
fn read_exact_at(file: &File, buf: &mut [u8], at: u64) -> std::io::Result<()> {
    use std::io::{Read, Seek, SeekFrom};
    let mut file = file;
    file.seek(SeekFrom::Start(at))?;
    file.read_exact(buf)
}
