//! Deflate on more than one core, with output that does not depend on how many there are.
//!
//! * Large members (over [`BLOCK`] bytes) are cut into fixed blocks compressed side by side, the
//!   way pigz does: each block is raw deflate primed with the 32 KiB before it as dictionary and
//!   ended with a sync flush, the last with a finish, so their concatenation is one valid
//!   deflate stream. Matches across a block boundary still work through the dictionary; the
//!   cost is an empty stored block and a fresh Huffman table per block, well under 0.1%.
//! * Small members are each one zlib stream, compressed by a pool of worker threads while the
//!   caller goes on adding members; they are written in the order they were added. Their bytes
//!   are exactly what one zlib stream gives, as NumPy's.
//!
//! Block boundaries are fixed offsets in the member, so the archive is byte-for-byte the same on
//! a machine with one core or sixteen.

use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use flate2::{Compress, FlushCompress, Status};
use npy_core::{Error, ErrorKind, Result};

/// Members larger than this are compressed in blocks of this size.
pub(crate) const BLOCK: usize = 4 << 20;
/// The deflate window: the dictionary each block is primed with.
const WINDOW: usize = 32 << 10;

/// How many threads compress by default: the cores available, up to 4.
pub(crate) fn default_threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(4)
}

/// Compresses one block: `pieces` in order (their concatenation is the block), primed with
/// `dictionary`, ending with a sync flush unless it is the `last` block. Returns the compressed
/// bytes and the CRC-32 state of the block's input.
pub(crate) fn compress_block(
    pieces: &[&[u8]],
    dictionary: &[u8],
    level: u32,
    last: bool,
) -> Result<(Vec<u8>, crc32fast::Hasher)> {
    let mut deflater = Compress::new(flate2::Compression::new(level), false);
    if !dictionary.is_empty() {
        deflater
            .set_dictionary(dictionary)
            .map_err(|e| deflate_error(&e))?;
    }
    let total: usize = pieces.iter().map(|p| p.len()).sum();
    let mut out = Vec::with_capacity(total / 4 + 4096);
    let mut hasher = crc32fast::Hasher::new();
    for (i, piece) in pieces.iter().enumerate() {
        hasher.update(piece);
        let flush = match (i + 1 == pieces.len(), last) {
            (false, _) => FlushCompress::None,
            (true, true) => FlushCompress::Finish,
            (true, false) => FlushCompress::Sync,
        };
        compress_into(&mut deflater, piece, flush, &mut out)?;
    }
    if pieces.is_empty() && last {
        compress_into(&mut deflater, &[], FlushCompress::Finish, &mut out)?;
    }
    Ok((out, hasher))
}

/// Runs `input` through `deflater` with `flush`, appending everything it produces to `out`.
pub(crate) fn compress_into(
    deflater: &mut Compress,
    mut input: &[u8],
    flush: FlushCompress,
    out: &mut Vec<u8>,
) -> Result<()> {
    loop {
        if out.capacity() - out.len() < 64 << 10 {
            out.reserve((out.capacity() / 2).max(128 << 10));
        }
        let before_in = deflater.total_in();
        let status = deflater
            .compress_vec(input, out, flush)
            .map_err(|e| deflate_error(&e))?;
        input = &input[(deflater.total_in() - before_in) as usize..];
        let drained = out.capacity() > out.len();
        let done = match flush {
            FlushCompress::Finish => status == Status::StreamEnd,
            _ => input.is_empty() && drained,
        };
        if done {
            return Ok(());
        }
    }
}

/// Compresses a large member given as consecutive `parts`, block by block on up to
/// [`threads`] threads at a time, handing each compressed block to `sink` in order. Returns the
/// member's CRC-32.
pub(crate) fn compress_large(
    parts: &[&[u8]],
    level: u32,
    threads: usize,
    sink: &mut dyn FnMut(&[u8]) -> Result<()>,
) -> Result<u32> {
    let total: usize = parts.iter().map(|p| p.len()).sum();
    let blocks = total.div_ceil(BLOCK).max(1);
    let mut hasher = crc32fast::Hasher::new();
    let threads = threads.max(1);
    let mut first = 0;
    while first < blocks {
        let round = first..(first + threads).min(blocks);
        let results: Vec<Result<(Vec<u8>, crc32fast::Hasher)>> = std::thread::scope(|scope| {
            let workers: Vec<_> = round
                .clone()
                .map(|block| {
                    let start = block * BLOCK;
                    let end = (start + BLOCK).min(total);
                    let pieces = slices(parts, start, end);
                    let dictionary = gather(parts, start.saturating_sub(WINDOW), start);
                    let last = block + 1 == blocks;
                    scope.spawn(move || compress_block(&pieces, &dictionary, level, last))
                })
                .collect();
            workers
                .into_iter()
                .map(|w| w.join().expect("compression threads do not panic"))
                .collect()
        });
        for result in results {
            let (bytes, block_hasher) = result?;
            hasher.combine(&block_hasher);
            sink(&bytes)?;
        }
        first = round.end;
    }
    Ok(hasher.finalize())
}

/// The pieces of `parts` (read as one concatenated byte string) covering `start..end`.
fn slices<'a>(parts: &[&'a [u8]], start: usize, end: usize) -> Vec<&'a [u8]> {
    let mut out = Vec::new();
    let mut offset = 0;
    for part in parts {
        let (lo, hi) = (offset, offset + part.len());
        offset = hi;
        let (a, b) = (start.max(lo), end.min(hi));
        if a < b {
            out.push(&part[a - lo..b - lo]);
        }
    }
    out
}

/// A copy of `start..end` of the concatenated `parts`.
fn gather(parts: &[&[u8]], start: usize, end: usize) -> Vec<u8> {
    slices(parts, start, end).concat()
}

#[cold]
fn deflate_error(e: &dyn std::fmt::Display) -> Error {
    Error::new(ErrorKind::Io, format!("deflate failed: {e}"))
}

/// Small members to compress in the background, each as its own zlib stream. Members travel in
/// batches so that handing work between threads costs little per member.
struct Job {
    members: Vec<Vec<u8>>,
    level: u32,
    reply: SyncSender<Result<Vec<Vec<u8>>>>,
}

/// Where a batch's compressed members arrive, in order.
pub(crate) type Results = Receiver<Result<Vec<Vec<u8>>>>;

/// Worker threads that compress small members, each with its own reused zlib state.
#[derive(Debug)]
pub(crate) struct Pool {
    jobs: Option<mpsc::Sender<Job>>,
    workers: Vec<JoinHandle<()>>,
}

impl Pool {
    /// Starts `threads` workers.
    pub(crate) fn new(threads: usize) -> Pool {
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        let workers = (0..threads)
            .map(|_| {
                let queue = Arc::clone(&queue);
                std::thread::spawn(move || work(&queue))
            })
            .collect();
        Pool {
            jobs: Some(jobs),
            workers,
        }
    }

    /// Queues `members` for compression; the receiver yields their compressed bytes in order.
    pub(crate) fn submit(&self, members: Vec<Vec<u8>>, level: u32) -> Results {
        let (reply, result) = mpsc::sync_channel(1);
        let job = Job {
            members,
            level,
            reply,
        };
        if let Some(jobs) = &self.jobs {
            // A send only fails when every worker is gone; the receiver then reports it.
            let _ = jobs.send(job);
        }
        result
    }
}

fn work(queue: &Mutex<Receiver<Job>>) {
    let mut deflater: Option<(u32, Compress)> = None;
    loop {
        let job = match queue.lock() {
            Ok(queue) => match queue.recv() {
                Ok(job) => job,
                Err(_) => return,
            },
            Err(_) => return,
        };
        let result = job
            .members
            .iter()
            .map(|data| {
                let deflater = match &mut deflater {
                    Some((level, d)) if *level == job.level => {
                        d.reset();
                        d
                    }
                    slot => {
                        let fresh = Compress::new(flate2::Compression::new(job.level), false);
                        &mut slot.insert((job.level, fresh)).1
                    }
                };
                let mut out = Vec::with_capacity(data.len() / 2 + 256);
                compress_into(deflater, data, FlushCompress::Finish, &mut out).map(|()| out)
            })
            .collect();
        let _ = job.reply.send(result);
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        self.jobs = None;
        for worker in self.workers.drain(..) {
            let _ = worker.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::{Decompress, FlushDecompress};

    fn inflate(bytes: &[u8], size: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(size);
        let mut d = Decompress::new(false);
        d.decompress_vec(bytes, &mut out, FlushDecompress::Finish)
            .unwrap();
        out
    }

    #[test]
    fn blocks_concatenate_into_one_stream() {
        let data: Vec<u8> = (0..(BLOCK * 2 + 12345))
            .map(|i| ((i % 251) ^ (i / 7919)) as u8)
            .collect();
        let header = b"prefix".to_vec();
        let mut out = Vec::new();
        let crc = compress_large(&[&header, &data], 6, 2, &mut |b| {
            out.extend_from_slice(b);
            Ok(())
        })
        .unwrap();
        let whole = [&header[..], &data[..]].concat();
        assert_eq!(crc, crc32fast::hash(&whole));
        assert_eq!(inflate(&out, whole.len()), whole);
    }

    #[test]
    fn pool_compresses_like_one_stream() {
        let pool = Pool::new(2);
        let data = b"hello hello hello hello".repeat(10);
        let got = pool
            .submit(vec![data.clone()], 6)
            .recv()
            .unwrap()
            .unwrap()
            .remove(0);
        let mut expected = Vec::new();
        let mut c = Compress::new(flate2::Compression::new(6), false);
        compress_into(&mut c, &data, FlushCompress::Finish, &mut expected).unwrap();
        assert_eq!(got, expected);
    }
}
