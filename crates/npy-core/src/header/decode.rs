//! Reading a header the way NumPy's `read_array_header_*` does, with bounded memory.

use std::io::Read;

use super::{Header, Version, MAGIC};
use crate::dtype::DType;
use crate::error::{Error, ErrorKind, Result};
use crate::literal::{self, ParseOptions, Value};

/// Limits applied while reading untrusted headers.
///
/// NumPy refuses headers over 10,000 characters by default, which refuses some files NumPy itself
/// writes (any version 2.0 file). The parser here is linear and bounded, so the default admits
/// headers up to 1 MiB (about 58,000 record fields); raise it for larger records.
///
/// ```
/// let options = npy_core::ReadOptions::default();
/// assert_eq!(options.max_header_len, 1 << 20);
/// assert_eq!(options.max_depth, 200);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReadOptions {
    /// Largest accepted header length in bytes (the length field's value). Checked before any
    /// header byte is read.
    pub max_header_len: usize,
    /// Deepest accepted nesting of brackets in the header (nested records, subarray shapes).
    /// The default, 200, is where NumPy's parser (Python's) gives up too.
    pub max_depth: usize,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            max_header_len: 1 << 20,
            max_depth: 200,
        }
    }
}

impl ReadOptions {
    /// Sets [`ReadOptions::max_header_len`].
    #[must_use]
    pub fn max_header_len(mut self, bytes: usize) -> Self {
        self.max_header_len = bytes;
        self
    }

    /// Sets [`ReadOptions::max_depth`].
    #[must_use]
    pub fn max_depth(mut self, depth: usize) -> Self {
        self.max_depth = depth;
        self
    }
}

/// A header together with where it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedHeader {
    /// The validated header.
    pub header: Header,
    /// The file's format version.
    pub version: Version,
    /// Byte offset of the first data byte, relative to the start of the magic string.
    pub data_offset: u64,
}

/// Reads and validates a header from `reader`, leaving it positioned at the first data byte.
///
/// # Errors
/// [`ErrorKind::UnexpectedEof`], [`ErrorKind::BadMagic`], [`ErrorKind::UnsupportedVersion`],
/// [`ErrorKind::HeaderTooLarge`], [`ErrorKind::HeaderSyntax`], [`ErrorKind::InvalidHeader`],
/// [`ErrorKind::InvalidDescr`], or [`ErrorKind::Io`].
pub fn read_header<R: Read + ?Sized>(
    reader: &mut R,
    options: &ReadOptions,
) -> Result<ParsedHeader> {
    let mut prelude = [0u8; 8];
    let got = read_fully(reader, &mut prelude, "magic string")?;
    if got < prelude.len() {
        return Err(Error::eof("magic string", prelude.len() as u64, got as u64));
    }
    if &prelude[..6] != MAGIC {
        return Err(Error::new(
            ErrorKind::BadMagic,
            format!(
                "the magic string is not correct; expected b'\\x93NUMPY', got {}",
                {
                    let mut repr = String::new();
                    crate::literal::write_repr_bytes(&mut repr, &prelude[..6]);
                    repr
                }
            ),
        )
        .at(0));
    }
    let version = Version::from_bytes(prelude[6], prelude[7])?;

    let mut len_bytes = [0u8; 4];
    let len_field = &mut len_bytes[..version.length_field_size()];
    let got = read_fully(reader, len_field, "array header length")?;
    if got < len_field.len() {
        return Err(Error::eof("array header length", len_field.len() as u64, got as u64).at(8));
    }
    let header_len = u32::from_le_bytes(len_bytes) as usize;
    let text_start = 8 + version.length_field_size() as u64;
    if header_len > options.max_header_len {
        return Err(Error::new(
            ErrorKind::HeaderTooLarge,
            format!(
                "Header info length ({header_len}) is larger than the limit of {} bytes; raise \
                 ReadOptions::max_header_len to read it if the file is trusted",
                options.max_header_len
            ),
        )
        .at(8));
    }

    // Allocates at most 64 KiB before the bytes arrive, then grows as they do.
    let mut raw = vec![0u8; header_len.min(64 << 10)];
    let mut filled = 0;
    loop {
        filled += read_fully(reader, &mut raw[filled..], "array header")?;
        if filled < raw.len() || raw.len() == header_len {
            break;
        }
        raw.resize(header_len.min(raw.len() * 2), 0);
    }
    if filled < header_len {
        return Err(Error::eof("array header", header_len as u64, filled as u64).at(text_start));
    }
    let header = parse_header_text(raw, version, options).map_err(|e| {
        let offset = e.offset().unwrap_or(0);
        e.at(text_start + offset)
    })?;
    Ok(ParsedHeader {
        header,
        version,
        data_offset: text_start + header_len as u64,
    })
}

/// Reads a header from the start of `bytes`. See [`read_header`].
///
/// ```
/// use npy_core::{header::parse_header, DType, ReadOptions, ScalarKind};
///
/// let mut file = b"\x93NUMPY\x01\x00\x76\x00{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }".to_vec();
/// file.resize(127, b' ');
/// file.push(b'\n');
/// let parsed = parse_header(&file, &ReadOptions::default())?;
/// assert_eq!(parsed.header.shape, vec![3]);
/// assert_eq!(parsed.header.dtype.to_string(), "'<i8'");
/// assert_eq!(parsed.data_offset, 128);
/// # Ok::<(), npy_core::Error>(())
/// ```
pub fn parse_header(bytes: &[u8], options: &ReadOptions) -> Result<ParsedHeader> {
    let mut cursor = bytes;
    read_header(&mut cursor, options)
}

/// Decodes, parses and validates the dict text. Offsets in errors are relative to the text.
fn parse_header_text(raw: Vec<u8>, version: Version, options: &ReadOptions) -> Result<Header> {
    let text: String = match version {
        // ASCII (the usual case) is the same text in latin-1 and UTF-8.
        Version::V1 | Version::V2 if raw.is_ascii() => {
            String::from_utf8(raw).expect("ASCII is valid UTF-8")
        }
        Version::V1 | Version::V2 => raw.iter().map(|&b| char::from(b)).collect(),
        Version::V3 => String::from_utf8(raw).map_err(|e| {
            Error::new(
                ErrorKind::HeaderSyntax,
                "version 3.0 header is not valid UTF-8",
            )
            .at(e.utf8_error().valid_up_to() as u64)
        })?,
    };
    let parse_options = ParseOptions {
        max_depth: options.max_depth,
        allow_long_suffix: version != Version::V3,
    };
    let value = literal::parse(&text, &parse_options)?;
    header_from_value(&value)
}

/// Validates the parsed dict as NumPy does: exactly the three keys, a tuple shape of
/// non-negative ints, a bool fortran_order, and a valid descr.
pub(crate) fn header_from_value(value: &Value) -> Result<Header> {
    let Value::Dict(entries) = value else {
        return Err(invalid(format!("Header is not a dictionary: {value}")));
    };
    const KEYS: [&str; 3] = ["descr", "fortran_order", "shape"];
    let mut seen = [false; 3];
    let mut unexpected = false;
    for (key, _) in entries {
        match key {
            Value::Str(s) => match KEYS.iter().position(|k| k == s) {
                Some(i) => seen[i] = true,
                None => unexpected = true,
            },
            _ => unexpected = true,
        }
    }
    if unexpected || seen.contains(&false) {
        let mut keys: Vec<String> = Vec::new();
        for (key, _) in entries {
            let key = key.to_string();
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
        keys.sort();
        return Err(invalid(format!(
            "Header does not contain the correct keys: [{}]",
            keys.join(", ")
        )));
    }
    let get = |key| value.get(key).expect("key presence checked above");

    let shape_value = get("shape");
    let Value::Tuple(dims) = shape_value else {
        return Err(invalid(format!("shape is not valid: {shape_value}")));
    };
    let mut shape = Vec::with_capacity(dims.len());
    for dim in dims {
        match dim {
            Value::Int(n) if *n < 0 => {
                return Err(invalid(format!("shape is not valid: {shape_value}")));
            }
            // NumPy's dimensions are signed 64-bit ("Maximum allowed dimension exceeded").
            Value::Int(n) if *n > i64::MAX as i128 => {
                return Err(Error::new(
                    ErrorKind::Overflow,
                    format!("dimension {n} in shape exceeds NumPy's maximum of 2**63 - 1"),
                ));
            }
            Value::Int(n) => shape.push(*n as u64),
            _ => return Err(invalid(format!("shape is not valid: {shape_value}"))),
        }
    }
    let fortran_order = match get("fortran_order") {
        Value::Bool(b) => *b,
        other => {
            return Err(invalid(format!(
                "fortran_order is not a valid bool: {other}"
            )))
        }
    };
    let dtype = DType::from_descr(get("descr"))?;

    // NumPy never writes a top-level subarray descr; older NumPy read it by absorbing the
    // subarray into the shape, which is what we do (C order only).
    let mut header = Header {
        dtype,
        fortran_order,
        shape,
    };
    if let DType::SubArray(_) = header.dtype {
        if fortran_order && !header.shape.is_empty() {
            return Err(invalid(
                "a top-level subarray descr with fortran_order=True is ambiguous".to_string(),
            ));
        }
        header = header.absorb_subarray();
    }
    header.data_len()?;
    Ok(header)
}

fn invalid(message: String) -> Error {
    Error::new(ErrorKind::InvalidHeader, message)
}

/// `read_exact` that reports how many bytes arrived before EOF instead of failing.
pub(crate) fn read_fully<R: Read + ?Sized>(
    reader: &mut R,
    buf: &mut [u8],
    what: &str,
) -> Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(Error::io(e, &format!("reading {what}"))),
        }
    }
    Ok(filled)
}
