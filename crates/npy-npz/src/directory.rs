//! Reading an archive's central directory: where each member is, how it is stored, its sizes and
//! CRC, and the name lookup rules of `np.load`.
//!
//! Memory stays bounded by the archive's real size: the directory is read only after checking
//! it lies inside the file, and every size a record claims is checked against the bytes present
//! before anything relies on it.

use std::collections::HashMap;
use std::io::{Read, Seek, SeekFrom};

use npy_core::{Error, ErrorKind, Result};

use crate::format::{
    corrupt, decode_name, io_error, u16_at, u32_at, u64_at, Method, CENTRAL_LEN, CENTRAL_SIG,
    EOCD64_LEN, EOCD64_LOCATOR_LEN, EOCD64_LOCATOR_SIG, EOCD64_SIG, EOCD_LEN, EOCD_SIG,
    FLAG_DATA_DESCRIPTOR, FLAG_ENCRYPTED, LOCAL_LEN, LOCAL_SIG, ZIP64_EXTRA_ID,
};

/// Deflate cannot expand data by more than this factor (a 258-byte match per ~2 bits), so a
/// member claiming more is refused before any inflating (a zip bomb's telltale).
const MAX_DEFLATE_RATIO: u64 = 1032;

/// One member as the central directory describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    name: String,
    method: Method,
    flags: u16,
    crc32: u32,
    compressed_size: u64,
    size: u64,
    header_offset: u64,
}

impl Entry {
    /// The member's file name in the archive, such as `weights.npy` or `meta.txt`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The key `np.load(...).files` lists for it: the name without a trailing `.npy`.
    pub fn key(&self) -> &str {
        self.name.strip_suffix(".npy").unwrap_or(&self.name)
    }

    /// How its bytes are stored.
    pub fn method(&self) -> Method {
        self.method
    }

    /// The size of its bytes once decompressed.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The size of its bytes in the archive.
    pub fn compressed_size(&self) -> u64 {
        self.compressed_size
    }

    /// The CRC-32 of its decompressed bytes, as recorded in the directory.
    pub fn crc32(&self) -> u32 {
        self.crc32
    }

    /// Whether its sizes and CRC followed the data in a data descriptor (the archive was
    /// written to a stream that could not seek).
    pub fn has_data_descriptor(&self) -> bool {
        self.flags & FLAG_DATA_DESCRIPTOR != 0
    }

    /// Where its local header starts in the archive.
    pub fn header_offset(&self) -> u64 {
        self.header_offset
    }
}

/// The members of an archive, in directory order, with `np.load`'s lookup map.
#[derive(Debug, Clone)]
pub(crate) struct Directory {
    pub(crate) entries: Vec<Entry>,
    lookup: HashMap<String, usize>,
    /// The archive's length in bytes.
    pub(crate) archive_len: u64,
}

impl Directory {
    /// Reads the end record and the central directory of the archive `reader` holds.
    pub(crate) fn read<R: Read + Seek + ?Sized>(reader: &mut R) -> Result<Directory> {
        let archive_len = reader
            .seek(SeekFrom::End(0))
            .map_err(|e| io_error(e, "finding the archive's length"))?;
        let end = find_end(reader, archive_len)?;
        if end.cd_start.checked_add(end.cd_size) > Some(end.record_at) {
            return Err(corrupt(format!(
                "the central directory claims {} bytes at offset {}, past the end record at {}",
                end.cd_size, end.cd_start, end.record_at
            )));
        }
        let mut cd = vec![0u8; usize::try_from(end.cd_size).map_err(|_| too_large())?];
        reader
            .seek(SeekFrom::Start(end.cd_start))
            .and_then(|_| reader.read_exact(&mut cd))
            .map_err(|e| io_error(e, "reading the central directory"))?;
        let entries = parse_central(&cd, end.concat, end.cd_start, archive_len)?;
        Ok(Directory::from_entries(entries, archive_len))
    }

    fn from_entries(entries: Vec<Entry>, archive_len: u64) -> Directory {
        // np.load: `dict(zip(files, names))` then `.update(zip(names, names))`: stripped keys
        // first, full names override them; later duplicates win in both passes.
        let mut lookup = HashMap::with_capacity(entries.len() * 2);
        for (i, entry) in entries.iter().enumerate() {
            lookup.insert(entry.key().to_owned(), i);
        }
        for (i, entry) in entries.iter().enumerate() {
            lookup.insert(entry.name.clone(), i);
        }
        Directory {
            entries,
            lookup,
            archive_len,
        }
    }

    /// The index of the member `key` names, by np.load's rules.
    pub(crate) fn find(&self, key: &str) -> Option<usize> {
        self.lookup.get(key).copied()
    }

    /// The index of `key`, or np.load's `KeyError` text.
    pub(crate) fn require(&self, key: &str) -> Result<usize> {
        self.find(key).ok_or_else(|| {
            Error::new(
                ErrorKind::NotFound,
                format!("{key} is not a file in the archive"),
            )
        })
    }

    /// Reads member `index`'s local header and returns where its data starts, after checking
    /// the member can be read and its data lies inside the archive.
    pub(crate) fn data_start(&self, source: &mut impl ReadAt, index: usize) -> Result<u64> {
        let entry = &self.entries[index];
        check_readable(entry)?;
        let mut local = [0u8; LOCAL_LEN];
        source
            .read_at(entry.header_offset, &mut local)
            .map_err(|e| local_error(e, entry))?;
        let (name_len, extra_len) = parse_local(&local, entry)?;
        let mut name = vec![0u8; name_len];
        source
            .read_at(entry.header_offset + LOCAL_LEN as u64, &mut name)
            .map_err(|e| local_error(e, entry))?;
        check_local_name(&name, entry)?;
        let start = entry.header_offset + (LOCAL_LEN + name_len + extra_len) as u64;
        check_data_fits(entry, start, self.archive_len)?;
        Ok(start)
    }
}

/// Positioned reads of archive bytes: a buffered stream or a memory map.
pub(crate) trait ReadAt {
    /// Fills `buf` from offset `at`.
    fn read_at(&mut self, at: u64, buf: &mut [u8]) -> std::io::Result<()>;
}

impl ReadAt for &[u8] {
    fn read_at(&mut self, at: u64, buf: &mut [u8]) -> std::io::Result<()> {
        let start = usize::try_from(at).unwrap_or(usize::MAX);
        let bytes = start
            .checked_add(buf.len())
            .and_then(|end| self.get(start..end))
            .ok_or(std::io::ErrorKind::UnexpectedEof)?;
        buf.copy_from_slice(bytes);
        Ok(())
    }
}

#[cold]
fn local_error(err: std::io::Error, entry: &Entry) -> Error {
    io_error(
        err,
        &format!("reading the local header of '{}'", entry.name),
    )
    .at(entry.header_offset)
}

/// Where the end records say the central directory is.
struct End {
    /// Where the end of central directory record (or the zip64 one) starts.
    record_at: u64,
    cd_start: u64,
    cd_size: u64,
    /// Bytes before the archive proper (data prepended to the zip); offsets shift by this.
    concat: u64,
}

/// Finds the end of central directory record in the last 64 KiB + 22 bytes, and follows the
/// zip64 locator when there is one.
fn find_end<R: Read + Seek + ?Sized>(reader: &mut R, archive_len: u64) -> Result<End> {
    if archive_len < EOCD_LEN as u64 {
        return Err(not_a_zip());
    }
    let tail_len = archive_len.min((EOCD_LEN + 0xffff) as u64);
    let tail_start = archive_len - tail_len;
    let mut tail = vec![0u8; tail_len as usize];
    reader
        .seek(SeekFrom::Start(tail_start))
        .and_then(|_| reader.read_exact(&mut tail))
        .map_err(|e| io_error(e, "reading the end of the archive"))?;
    // The last signature whose comment fits in the file; most archives have no comment, so the
    // first position tried is the answer.
    let found = (0..=tail.len() - EOCD_LEN).rev().find(|&at| {
        u32_at(&tail, at) == EOCD_SIG
            && at + EOCD_LEN + usize::from(u16_at(&tail, at + 20)) <= tail.len()
    });
    let Some(at) = found else {
        return Err(not_a_zip());
    };
    let eocd = &tail[at..at + EOCD_LEN];
    let record_at = tail_start + at as u64;
    if u16_at(eocd, 4) != 0 || u16_at(eocd, 6) != 0 {
        return Err(Error::new(
            ErrorKind::Unsupported,
            "multi-disk (spanned) zip archives are not supported",
        ));
    }
    let mut cd_size = u64::from(u32_at(eocd, 12));
    let mut cd_offset = u64::from(u32_at(eocd, 16));
    let mut directory_end = record_at;

    // A zip64 locator sits right before the end record.
    if record_at >= EOCD64_LOCATOR_LEN as u64 {
        let locator_at = record_at - EOCD64_LOCATOR_LEN as u64;
        let locator = read_at(reader, locator_at, EOCD64_LOCATOR_LEN)?;
        if u32_at(&locator, 0) == EOCD64_LOCATOR_SIG {
            if u32_at(&locator, 4) != 0 || u32_at(&locator, 16) > 1 {
                return Err(Error::new(
                    ErrorKind::Unsupported,
                    "multi-disk (spanned) zip archives are not supported",
                ));
            }
            // The record is right before the locator (Python finds it there too, which also
            // works when data was prepended to the archive).
            let record64_at = locator_at
                .checked_sub(EOCD64_LEN as u64)
                .ok_or_else(|| corrupt("a zip64 end record locator points before the file"))?;
            let record = read_at(reader, record64_at, EOCD64_LEN)?;
            if u32_at(&record, 0) != EOCD64_SIG {
                return Err(corrupt(format!(
                    "the zip64 end of central directory record is missing (expected at byte \
                     {record64_at})"
                )));
            }
            cd_size = u64_at(&record, 40);
            cd_offset = u64_at(&record, 48);
            directory_end = record64_at;
        }
    }
    // The directory ends where the end record starts; anything before the offsets it records
    // is data prepended to the archive (as Python's `concat`).
    let cd_start = directory_end.checked_sub(cd_size).ok_or_else(|| {
        corrupt(format!(
            "the central directory claims {cd_size} bytes, more than the {directory_end} bytes \
             before its end record"
        ))
    })?;
    let concat = cd_start.checked_sub(cd_offset).ok_or_else(|| {
        corrupt(format!(
            "the central directory offset {cd_offset} is past where the directory can be \
             ({cd_start}); the archive is truncated or corrupt"
        ))
    })?;
    Ok(End {
        record_at: directory_end,
        cd_start,
        cd_size,
        concat,
    })
}

fn read_at<R: Read + Seek + ?Sized>(reader: &mut R, at: u64, len: usize) -> Result<Vec<u8>> {
    let mut buf = vec![0u8; len];
    reader
        .seek(SeekFrom::Start(at))
        .and_then(|_| reader.read_exact(&mut buf))
        .map_err(|e| io_error(e, "reading the end of the archive"))?;
    Ok(buf)
}

/// Parses the central directory's headers, one after another until its bytes are used up (as
/// Python does; the counts in the end record are not needed).
fn parse_central(cd: &[u8], concat: u64, cd_start: u64, archive_len: u64) -> Result<Vec<Entry>> {
    let mut entries = Vec::new();
    let mut at = 0usize;
    while at < cd.len() {
        let offset = cd_start + at as u64;
        let fixed = cd
            .get(at..at + CENTRAL_LEN)
            .ok_or_else(|| corrupt("the central directory ends inside a header").at(offset))?;
        if u32_at(fixed, 0) != CENTRAL_SIG {
            return Err(corrupt("bad magic number for central directory").at(offset));
        }
        let flags = u16_at(fixed, 8);
        let method = Method::from_code(u16_at(fixed, 10));
        let crc32 = u32_at(fixed, 16);
        let mut compressed_size = u64::from(u32_at(fixed, 20));
        let mut size = u64::from(u32_at(fixed, 24));
        let name_len = usize::from(u16_at(fixed, 28));
        let extra_len = usize::from(u16_at(fixed, 30));
        let comment_len = usize::from(u16_at(fixed, 32));
        let mut header_offset = u64::from(u32_at(fixed, 42));
        let var_start = at + CENTRAL_LEN;
        let var_end = var_start + name_len + extra_len + comment_len;
        if var_end > cd.len() {
            return Err(corrupt("the central directory ends inside a header").at(offset));
        }
        let name =
            decode_name(&cd[var_start..var_start + name_len], flags).map_err(|e| e.at(offset))?;
        let extra = &cd[var_start + name_len..var_start + name_len + extra_len];
        apply_zip64_extra(extra, &mut size, &mut compressed_size, &mut header_offset)
            .map_err(|e| e.context(format!("member '{name}'")).at(offset))?;
        header_offset = header_offset
            .checked_add(concat)
            .filter(|&o| o < archive_len)
            .ok_or_else(|| {
                corrupt(format!(
                    "member '{name}' claims a local header at byte {header_offset}, past the \
                     end of the archive"
                ))
            })?;
        entries.push(Entry {
            name,
            method,
            flags,
            crc32,
            compressed_size,
            size,
            header_offset,
        });
        at = var_end;
    }
    Ok(entries)
}

/// Replaces the 32-bit fields that are all ones with the zip64 extra field's 64-bit values, in
/// APPNOTE's order (size, compressed size, header offset), as Python's `_decodeExtra` does.
fn apply_zip64_extra(
    mut extra: &[u8],
    size: &mut u64,
    compressed_size: &mut u64,
    header_offset: &mut u64,
) -> Result<()> {
    while extra.len() >= 4 {
        let id = u16_at(extra, 0);
        let len = usize::from(u16_at(extra, 2));
        let body = extra
            .get(4..4 + len)
            .ok_or_else(|| corrupt("an extra field is longer than its header"))?;
        if id == ZIP64_EXTRA_ID {
            let mut values = body.chunks_exact(8).map(|c| u64_at(c, 0));
            for field in [size, compressed_size, header_offset] {
                if *field == 0xffff_ffff {
                    *field = values
                        .next()
                        .ok_or_else(|| corrupt("the zip64 extra field is too short"))?;
                }
            }
            return Ok(());
        }
        extra = &extra[4 + len..];
    }
    // Without a zip64 field, all-ones values are taken as they are (as Python does).
    Ok(())
}

/// Refuses members that cannot be read: encrypted ones and unknown compression methods.
fn check_readable(entry: &Entry) -> Result<()> {
    if entry.flags & FLAG_ENCRYPTED != 0 {
        return Err(Error::new(
            ErrorKind::Unsupported,
            format!("member '{}' is encrypted", entry.name),
        ));
    }
    if let Method::Other(code) = entry.method {
        return Err(Error::new(
            ErrorKind::Unsupported,
            format!(
                "member '{}' uses zip compression method {code}; only stored (0) and deflated \
                 (8) members, which NumPy writes, are supported",
                entry.name
            ),
        ));
    }
    if entry.method == Method::Stored && entry.size != entry.compressed_size {
        return Err(corrupt(format!(
            "member '{}' is stored but its sizes differ ({} and {} bytes)",
            entry.name, entry.size, entry.compressed_size
        )));
    }
    if entry.method == Method::Deflated
        && entry.size > entry.compressed_size.saturating_mul(MAX_DEFLATE_RATIO) + 1024
    {
        return Err(corrupt(format!(
            "member '{}' claims {} bytes from {} compressed bytes, more than deflate can produce",
            entry.name, entry.size, entry.compressed_size
        )));
    }
    Ok(())
}

/// Checks a local header's signature and returns its name and extra field lengths.
fn parse_local(local: &[u8], entry: &Entry) -> Result<(usize, usize)> {
    if u32_at(local, 0) != LOCAL_SIG {
        return Err(corrupt(format!(
            "bad magic number for the local header of '{}'",
            entry.name
        ))
        .at(entry.header_offset));
    }
    Ok((
        usize::from(u16_at(local, 26)),
        usize::from(u16_at(local, 28)),
    ))
}

/// Python's check: "File name in directory %r and header %r differ."
fn check_local_name(raw: &[u8], entry: &Entry) -> Result<()> {
    let local = decode_name(raw, entry.flags)?;
    if local != entry.name {
        return Err(corrupt(format!(
            "file name in directory '{}' and header '{}' differ",
            entry.name, local
        ))
        .at(entry.header_offset));
    }
    Ok(())
}

/// A member whose data would run past the archive's end claims bytes that are not there.
fn check_data_fits(entry: &Entry, start: u64, archive_len: u64) -> Result<()> {
    let available = archive_len.saturating_sub(start);
    if entry.compressed_size > available {
        return Err(Error::new(
            ErrorKind::UnexpectedEof,
            format!(
                "member '{}' claims {} bytes of data but the archive holds only {} after its \
                 header (truncated or corrupt archive)",
                entry.name, entry.compressed_size, available
            ),
        )
        .at(start));
    }
    Ok(())
}

#[cold]
fn not_a_zip() -> Error {
    corrupt(
        "File is not a zip file: no end of central directory record (the archive is truncated \
         or not an .npz)",
    )
}

#[cold]
fn too_large() -> Error {
    Error::new(
        ErrorKind::Overflow,
        "the archive is too large for this machine's address space",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(name: &str) -> Entry {
        Entry {
            name: name.to_owned(),
            method: Method::Stored,
            flags: 0,
            crc32: 0,
            compressed_size: 0,
            size: 0,
            header_offset: 0,
        }
    }

    #[test]
    fn lookup_follows_np_load() {
        let dir = Directory::from_entries(
            vec![
                entry("a.npy"),
                entry("dup.npy"),
                entry("dup"),
                entry("a.npy"),
            ],
            100,
        );
        assert_eq!(dir.find("a"), Some(3));
        assert_eq!(dir.find("a.npy"), Some(3));
        assert_eq!(dir.find("dup"), Some(2));
        assert_eq!(dir.find("dup.npy"), Some(1));
        assert_eq!(dir.find("b"), None);
        assert_eq!(
            dir.require("b").unwrap_err().message(),
            "b is not a file in the archive"
        );
    }

    #[test]
    fn deflate_bomb_claims_are_refused() {
        let mut e = entry("x.npy");
        e.method = Method::Deflated;
        e.compressed_size = 10;
        e.size = 1 << 40;
        let err = check_readable(&e).unwrap_err();
        assert!(err.message().contains("more than deflate can produce"));
    }
}
