//! `npy decode`: the value document (see [`crate::document`]) of a `.npy` file, an archive
//! member, or a whole `.npz` archive, on one line.
//!
//! Files are judged as `np.load(path, allow_pickle=False)` judges them ([`crate::load`]): what
//! it refuses is an error (exit 1); what it reads but this tool cannot is
//! [`CliError::Unsupported`] (exit 2). An archive's document lists its members in archive order
//! under the names np.load gives them (`.npy` removed), each the member np.load returns for that
//! name: `{"npz": [["a", {...}], ...]}`.
//!
//! An array without elements has `values` `[]`, whatever its shape. More than
//! [`MAX_ZERO_SIZE_ELEMENTS`] elements of zero bytes each (`S0` with a huge shape) are
//! unsupported rather than printed: the output would not be bounded by the file.
//!
//! Elements stream from the file to the output, so memory stays small for C-order data; the
//! data is checked to be all there before anything is printed. Output is only meaningful when
//! the command succeeds.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};
use std::path::Path;

use npy_npz::NpzReader;

use crate::document::{descr_json, shape_json, write_element};
use crate::dump::json::write_nested;
use crate::dump::Elements;
use crate::error::{CliError, Result};
use crate::json;
use crate::load::{self, Loaded};
use crate::member::{is_archive, open_archive};
use crate::open::{truncated, Source};
use crate::value::decode;

/// Buffer for reading archive members.
const BUFFER: usize = 1 << 16;

/// Most elements of zero bytes each (`S0`, `U0`, `V0`, empty records) a document may list.
/// Nothing in the file bounds their number, so a few header bytes could otherwise ask for
/// terabytes of output.
pub const MAX_ZERO_SIZE_ELEMENTS: u64 = 1 << 24;

/// Prints the value document of `path` (a `.npy` file, `ARCHIVE.npz:NAME`, or an `.npz`).
///
/// # Errors
/// The file is invalid for np.load (a message), or valid but beyond this tool
/// ([`CliError::Unsupported`]); writing fails.
pub fn run(path: &Path, out: &mut impl Write) -> Result<()> {
    let context = |e: CliError| e.context(path.display());
    if is_archive(path) {
        decode_archive(path, out).map_err(context)?;
    } else {
        let source = Source::open(path).map_err(context)?;
        decode_npy(source.reader, source.len, source.member, out).map_err(context)?;
    }
    out.write_all(b"\n")?;
    Ok(())
}

/// Writes the document of the `.npy` data `reader` holds (`len` bytes, when known). A member is
/// read to its end so that its CRC is checked.
fn decode_npy<R: BufRead>(
    mut reader: R,
    len: Option<u64>,
    member: bool,
    out: &mut impl Write,
) -> Result<()> {
    let loaded = load::read_header(&mut reader)?;
    let available = len.map(|len| len.saturating_sub(loaded.data_offset));
    write_document(&loaded, &mut reader, available, out)?;
    if member {
        io::copy(&mut reader, &mut io::sink()).map_err(|e| CliError::io(e, "reading data"))?;
    }
    Ok(())
}

/// Writes `{"npz": [[name, document], ...]}` for the archive at `path`.
fn decode_archive(path: &Path, out: &mut impl Write) -> Result<()> {
    let mut archive = open_archive(path)?;
    let keys: Vec<String> = archive.files().map(str::to_owned).collect();
    out.write_all(b"{\"npz\":[")?;
    for (i, key) in keys.iter().enumerate() {
        let mut text = String::from(if i > 0 { ",[" } else { "[" });
        json::write_str(&mut text, key);
        text.push(',');
        out.write_all(text.as_bytes())?;
        decode_member(&mut archive, key, out).map_err(|e| e.context(key))?;
        out.write_all(b"]")?;
    }
    out.write_all(b"]}")?;
    Ok(())
}

/// Writes the document of the member np.load returns for `key`.
fn decode_member(archive: &mut NpzReader<File>, key: &str, out: &mut impl Write) -> Result<()> {
    let mut member = archive.by_name(key)?;
    let size = member.entry().size();
    let loaded = match load::read_member_header(&mut member) {
        Ok(Some(loaded)) => loaded,
        Ok(None) => {
            return Err(CliError::unsupported(format!(
                "member {:?} is not .npy data: np.load returns its bytes, which a value \
                 document cannot hold",
                member.name()
            )))
        }
        // A failure of the member's stream (CRC, inflate) is reported as the archive words it.
        Err(e) => return Err(member.take_error().map_or(e, CliError::from)),
    };
    let mut reader = BufReader::with_capacity(BUFFER, &mut member);
    let available = size.saturating_sub(loaded.data_offset);
    write_document(&loaded, &mut reader, Some(available), out)?;
    // Reading to the end checks the CRC; report the archive's own error, not its io wrapper.
    let drained = io::copy(&mut reader, &mut io::sink());
    drop(reader);
    match drained {
        Ok(_) => Ok(()),
        Err(e) => Err(member
            .take_error()
            .map_or_else(|| CliError::io(e, "reading data"), CliError::from)),
    }
}

/// Writes one array's document, reading its data from `reader` (at the first data byte).
fn write_document(
    loaded: &Loaded,
    reader: &mut dyn BufRead,
    available: Option<u64>,
    out: &mut impl Write,
) -> Result<()> {
    let header = &loaded.header;
    let expected = header.data_len()?;
    if let Some(present) = available.filter(|&present| present < expected) {
        return Err(truncated(expected, present));
    }
    let mut text = String::from("{\"dtype\":");
    json::write(&mut text, &descr_json(&header.dtype)).expect("descrs are valid Unicode");
    text.push_str(",\"shape\":");
    json::write(&mut text, &shape_json(&header.shape)).expect("numbers");
    text.push_str(if header.fortran_order {
        ",\"fortran_order\":true,\"values\":"
    } else {
        ",\"fortran_order\":false,\"values\":"
    });
    let mut elements = Elements::from_reader(Box::new(reader), header, available)?;
    let mut element = |text: &mut String| -> Result<()> {
        write_element(text, &decode(&header.dtype, elements.next_item()?)?)
    };
    let count = header.element_count()?;
    if header.dtype.itemsize() == 0 && count > MAX_ZERO_SIZE_ELEMENTS {
        return Err(CliError::unsupported(format!(
            "{count} elements of zero bytes each: more than the {MAX_ZERO_SIZE_ELEMENTS} a \
             document lists (nothing in the file bounds their number)"
        )));
    }
    if header.shape.is_empty() {
        element(&mut text)?;
        out.write_all(text.as_bytes())?;
    } else if count == 0 {
        // The document's rule for arrays without elements: `[]` whatever the shape, where
        // tolist() would nest empty lists (ten billion of them for shape (10**10, 0)).
        text.push_str("[]");
        out.write_all(text.as_bytes())?;
    } else {
        out.write_all(text.as_bytes())?;
        write_nested(out, &header.shape, count, count, element)?;
    }
    out.write_all(b"}")?;
    Ok(())
}
