//! `np.load(path, allow_pickle=False)`'s verdict on a `.npy` header, where it differs from
//! npy-core's reader: what `decode` and `validate` accept, as the conformance runner contract
//! makes NumPy the judge (with its default 10,000-character header limit lifted, as the corpus
//! does: np.save writes longer headers itself).
//!
//! npy-core reads every header NumPy writes, and is deliberately more lenient or stricter in a
//! few places. Here the header is read through npy-core, with its raw bytes kept, and then:
//!
//! * object dtypes are refused: their data is a pickle, which `allow_pickle=False` refuses;
//! * a top-level subarray descr `('<i4', (2,))`, which npy-core folds into the shape, is refused
//!   as NumPy 2.3 and later refuse it ("Failed to read all data"), except where NumPy does load
//!   it: when the subarray has one element or the array none, NumPy loads the base dtype with
//!   the header's shape;
//! * a comma-separated descr such as `'i4, (2,3)f8'`, which npy-core refuses (no writer emits
//!   one) and NumPy reads as a packed record with fields `f0`, `f1`, ..., is read as NumPy reads
//!   it;
//! * where npy-core refuses a header NumPy reads for another reason (a top-level subarray descr
//!   in Fortran order that NumPy loads), the error is [`CliError::Unsupported`]: valid, but not
//!   readable here. (Nesting needs nothing: npy-core's limits are NumPy's, 200 brackets.)

use std::io::Read;

use npy_core::header::{read_header as read_core_header, MAGIC};
use npy_core::literal::{self, ParseOptions, Value};
use npy_core::{DType, ErrorKind, Header, ReadOptions, Record, Version};

use crate::error::{CliError, Result};

/// Brackets Python's parser nests at most (200 levels, the header's dict included): deeper
/// headers are a syntax error for NumPy's header parser.
const PYTHON_MAX_BRACKETS: usize = 200;

/// A header as `np.load` reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loaded {
    /// The array NumPy loads: dtype, shape and the header's `fortran_order`.
    pub header: Header,
    /// Where the data starts, from the first byte of the magic string.
    pub data_offset: u64,
}

/// Reads a `.npy` header from `reader` (at the magic string), leaving it at the first data byte.
///
/// # Errors
/// A message when `np.load(allow_pickle=False)` refuses the header; [`CliError::Unsupported`]
/// when NumPy reads it but npy-core does not.
pub fn read_header<R: Read + ?Sized>(reader: &mut R) -> Result<Loaded> {
    let mut tap = Tap {
        inner: reader,
        seen: Vec::new(),
    };
    let result = read_core_header(&mut tap, &ReadOptions::default());
    let raw = RawHeader::from_prelude(&tap.seen);
    match (result, raw) {
        (Ok(parsed), Some(raw)) => {
            let header = numpy_header(parsed.header, &raw)?;
            Ok(Loaded {
                header,
                data_offset: parsed.data_offset,
            })
        }
        (Ok(_), None) => unreachable!("a header that parsed was read whole"),
        (Err(err), raw) => recover(err, raw.as_ref()),
    }
}

/// Like [`read_header`] for an archive member: `None` when the member does not start with the
/// `.npy` magic string (np.load returns such a member's bytes). Up to six bytes are consumed.
///
/// # Errors
/// As [`read_header`]; read errors of the member.
pub fn read_member_header<R: Read + ?Sized>(member: &mut R) -> Result<Option<Loaded>> {
    let mut magic = [0u8; 6];
    let mut got = 0;
    while got < magic.len() {
        match member.read(&mut magic[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(CliError::io(e, "reading the member")),
        }
    }
    if got < magic.len() || &magic != MAGIC {
        return Ok(None);
    }
    read_header(&mut (&magic[..]).chain(member)).map(Some)
}

/// Records the bytes read through it (the reader reads the header exactly, never past it).
struct Tap<'r, R: ?Sized> {
    inner: &'r mut R,
    seen: Vec<u8>,
}

impl<R: Read + ?Sized> Read for Tap<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.seen.extend_from_slice(&buf[..n]);
        Ok(n)
    }
}

/// The header text as NumPy decodes it (latin-1 for 1.0 and 2.0, UTF-8 for 3.0).
struct RawHeader {
    version: Version,
    text: String,
    /// Where the data starts.
    data_offset: u64,
}

impl RawHeader {
    /// The header in `bytes` (the file's first bytes), when all of it is there and decodes.
    fn from_prelude(bytes: &[u8]) -> Option<RawHeader> {
        let version = Version::from_bytes(*bytes.get(6)?, *bytes.get(7)?).ok()?;
        let field = version.length_field_size();
        let mut len = [0u8; 4];
        len[..field].copy_from_slice(bytes.get(8..8 + field)?);
        let len = u32::from_le_bytes(len) as usize;
        let end = (8 + field).checked_add(len)?;
        let raw = bytes.get(8 + field..end)?;
        let text = match version {
            Version::V1 | Version::V2 => raw.iter().map(|&b| char::from(b)).collect(),
            Version::V3 => String::from_utf8(raw.to_vec()).ok()?,
        };
        Some(RawHeader {
            version,
            text,
            data_offset: end as u64,
        })
    }

    /// The header dict parsed as Python would, allowing up to `max_depth` nested brackets.
    fn dict(&self, max_depth: usize) -> Option<Value> {
        let options = ParseOptions {
            max_depth,
            allow_long_suffix: self.version != Version::V3,
        };
        literal::parse(&self.text, &options).ok()
    }
}

/// The array `np.load` makes of a header npy-core accepted, or its refusal.
fn numpy_header(header: Header, raw: &RawHeader) -> Result<Header> {
    refuse_objects(&header.dtype)?;
    // Only a top-level subarray descr makes NumPy's array differ from npy-core's header.
    let Some(dict) = raw.dict(ReadOptions::default().max_depth) else {
        return Ok(header);
    };
    let (Some(descr @ Value::Tuple(_)), Some(Value::Tuple(dims))) =
        (dict.get("descr"), dict.get("shape"))
    else {
        return Ok(header);
    };
    // npy-core appended the subarray's shape to the header's: split them again. (A tuple that
    // is not a subarray, such as NumPy's legacy `('S0', 5)` for `|S5`, added no axes.)
    if header.shape.len() <= dims.len() {
        return Ok(header);
    }
    let outer = header.shape[..dims.len()].to_vec();
    if !numpy_loads_subarray(&outer, descr) {
        return Err(subarray_refusal(&outer, descr));
    }
    Ok(Header {
        shape: outer,
        ..header
    })
}

/// np.load(allow_pickle=False)'s refusal of object dtypes.
fn refuse_objects(dtype: &DType) -> Result<()> {
    if dtype.has_object() {
        return Err(CliError::msg(
            "object dtype: the data is a Python pickle, which npy cannot check (np.load \
             refuses it without allow_pickle=True)",
        ));
    }
    Ok(())
}

/// Whether NumPy (2.3 and later) loads an array of `shape` whose descr is the top-level
/// subarray `descr`: it reads `product(shape)` items of the subarray dtype, which yields that
/// many base elements only when the subarray has one element or there are none at all.
fn numpy_loads_subarray(shape: &[u64], descr: &Value) -> bool {
    let inner = subarray_elements(descr);
    shape.contains(&0) || inner == Some(1) || inner == Some(0)
}

/// The number of base elements in a (possibly nested) top-level subarray descr.
fn subarray_elements(descr: &Value) -> Option<u128> {
    match descr {
        Value::Tuple(pair) => match pair.as_slice() {
            [base, shape] => {
                let dims: u128 = match shape {
                    Value::Int(n) => u128::try_from(*n).ok()?,
                    Value::Tuple(items) | Value::List(items) => {
                        items.iter().try_fold(1u128, |acc, item| match item {
                            Value::Int(n) => acc.checked_mul(u128::try_from(*n).ok()?),
                            _ => None,
                        })?
                    }
                    _ => return None,
                };
                dims.checked_mul(subarray_elements(base)?)
            }
            _ => None,
        },
        _ => Some(1),
    }
}

/// NumPy's refusal of a top-level subarray descr it cannot load.
fn subarray_refusal(shape: &[u64], descr: &Value) -> CliError {
    CliError::msg(format!(
        "the descr {descr} is a subarray at top level, with shape {shape:?}: NumPy 2.3 and later \
         fail to load it (\"Failed to read all data for array\"), as it reads one subarray per \
         element of the shape"
    ))
}

/// What NumPy makes of a header npy-core refused: the array, when it is a comma-separated record
/// descr; NumPy's reason to refuse it; or [`CliError::Unsupported`] when NumPy reads it and npy
/// cannot.
fn recover(err: npy_core::Error, raw: Option<&RawHeader>) -> Result<Loaded> {
    let Some(raw) = raw else {
        return Err(err.into());
    };
    let Some(dict) = raw.dict(PYTHON_MAX_BRACKETS) else {
        return Err(err.into());
    };
    let descr = dict.get("descr");
    if let (ErrorKind::InvalidDescr, Some(Value::Str(text))) = (err.kind(), descr) {
        if let Some(dtype) = comma_record(text) {
            return comma_header(dtype, &dict, raw).unwrap_or_else(|| Err(err.into()));
        }
    }
    let fortran_subarray = err.message().contains("top-level subarray");
    if let (true, Some(descr @ Value::Tuple(_)), Some(Value::Tuple(dims))) =
        (fortran_subarray, descr, dict.get("shape"))
    {
        if let Some(shape) = shape_of(dims) {
            return Err(if numpy_loads_subarray(&shape, descr) {
                CliError::unsupported(format!(
                    "a top-level subarray descr {descr} with fortran_order=True, which NumPy \
                     loads as its base dtype in shape {shape:?} but npy does not read"
                ))
            } else {
                subarray_refusal(&shape, descr)
            });
        }
    }
    Err(err.into())
}

/// A header's shape tuple as dimensions (`None` unless every item is a non-negative integer
/// NumPy accepts: at most 2**63 - 1).
fn shape_of(dims: &[Value]) -> Option<Vec<u64>> {
    dims.iter()
        .map(|d| match d {
            Value::Int(n) => u64::try_from(*n).ok().filter(|&n| n <= i64::MAX as u64),
            _ => None,
        })
        .collect()
}

/// The array a header with the comma-separated record descr `dtype` describes. The header's
/// other keys passed npy-core's checks (it checks them before the descr), so `None` only for
/// an impossible size.
fn comma_header(dtype: DType, dict: &Value, raw: &RawHeader) -> Option<Result<Loaded>> {
    let Some(Value::Tuple(dims)) = dict.get("shape") else {
        return None;
    };
    let Some(Value::Bool(fortran_order)) = dict.get("fortran_order") else {
        return None;
    };
    let header = Header {
        dtype,
        fortran_order: *fortran_order,
        shape: shape_of(dims)?,
    };
    header.data_len().ok()?;
    Some(refuse_objects(&header.dtype).map(|()| Loaded {
        header,
        data_offset: raw.data_offset,
    }))
}

/// The record NumPy reads a comma-separated descr as, such as `'i4,f8'` or `'2i4, (2,3)f8'`:
/// fields `f0`, `f1`, ... packed in order, each part a type string optionally preceded by a
/// repeat count or shape (a subarray field). `None` when `text` is not one (no comma outside
/// parentheses, an empty part, a part that is not a type string).
fn comma_record(text: &str) -> Option<DType> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.checked_sub(1)?,
            ',' if depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    if parts.is_empty() {
        return None;
    }
    // NumPy ignores one trailing comma: 'i4,' is a record of one field.
    if !text[start..].trim().is_empty() {
        parts.push(&text[start..]);
    }
    let mut fields = Vec::with_capacity(parts.len());
    for (i, part) in parts.iter().enumerate() {
        let part = part.trim();
        let (shape, base) = match part.strip_prefix('(') {
            Some(rest) => {
                let (dims, base) = rest.split_once(')')?;
                let shape = dims
                    .split(',')
                    .map(str::trim)
                    .filter(|d| !d.is_empty())
                    .map(|d| d.parse::<u64>().ok())
                    .collect::<Option<Vec<u64>>>()?;
                (shape, base)
            }
            None => {
                let digits =
                    part.len() - part.trim_start_matches(|c: char| c.is_ascii_digit()).len();
                let shape = match digits {
                    0 => Vec::new(),
                    _ => vec![part[..digits].parse::<u64>().ok()?],
                };
                (shape, &part[digits..])
            }
        };
        let base = DType::from_descr(&Value::Str(base.trim().to_owned())).ok()?;
        fields.push((format!("f{i}"), DType::subarray(base, shape).ok()?));
    }
    Record::packed(fields).ok().map(DType::Record)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A version 1.0 file's header for `dict`, padded as NumPy pads, with `data` after it.
    fn npy(dict: &str, data: &[u8]) -> Vec<u8> {
        let mut text = dict.to_owned();
        while (10 + text.len() + 1) % 64 != 0 {
            text.push(' ');
        }
        text.push('\n');
        let mut out = b"\x93NUMPY\x01\x00".to_vec();
        out.extend_from_slice(&(text.len() as u16).to_le_bytes());
        out.extend_from_slice(text.as_bytes());
        out.extend_from_slice(data);
        out
    }

    fn load(dict: &str) -> Result<Loaded> {
        read_header(&mut &npy(dict, &[])[..])
    }

    #[test]
    fn plain_headers_load_as_npy_core_reads_them() {
        let loaded = load("{'descr': '>f8', 'fortran_order': True, 'shape': (2, 3), }")
            .expect("a valid header");
        assert_eq!(loaded.header.shape, [2, 3]);
        assert!(loaded.header.fortran_order);
        // 10 bytes of prelude and a 62-character dict, padded to the next multiple of 64.
        assert_eq!(loaded.data_offset, 128);
    }

    #[test]
    fn long_headers_load_and_objects_are_refused() {
        // Over np.load's default max_header_size of 10000 characters, which the corpus lifts.
        let name = "x".repeat(10_000);
        let loaded = load(&format!(
            "{{'descr': [('{name}', '<i4')], 'fortran_order': False, 'shape': (1,), }}"
        ))
        .expect("a long header is valid");
        assert_eq!(loaded.header.dtype.itemsize(), 4);

        let err =
            load("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }").expect_err("a pickle");
        assert!(err.to_string().contains("allow_pickle"), "{err}");
        assert!(!err.is_unsupported());
        let err = load("{'descr': 'i4,O', 'fortran_order': False, 'shape': (1,), }")
            .expect_err("a pickle in a comma-separated record");
        assert!(err.to_string().contains("allow_pickle"), "{err}");
    }

    #[test]
    fn top_level_subarrays_follow_numpy() {
        let err = load("{'descr': ('<i4', (2,)), 'fortran_order': False, 'shape': (3,), }")
            .expect_err("NumPy fails to read it");
        assert!(err.to_string().contains("Failed to read all data"), "{err}");
        for (dict, shape) in [
            (
                "{'descr': ('<i4', (1, 1)), 'fortran_order': False, 'shape': (3,), }",
                vec![3],
            ),
            (
                "{'descr': ('<i4', (2,)), 'fortran_order': False, 'shape': (0, 2), }",
                vec![0, 2],
            ),
        ] {
            let loaded = load(dict).expect("NumPy loads it");
            assert_eq!(loaded.header.shape, shape, "{dict}");
            assert_eq!(loaded.header.dtype.to_string(), "'<i4'");
        }
        let err = load("{'descr': ('<i4', (1,)), 'fortran_order': True, 'shape': (3, 2), }")
            .expect_err("npy-core refuses it");
        assert!(err.is_unsupported(), "{err}");
        let err = load("{'descr': ('<i4', (2,)), 'fortran_order': True, 'shape': (3, 2), }")
            .expect_err("npy-core refuses it");
        assert!(!err.is_unsupported(), "{err}");
    }

    #[test]
    fn comma_separated_descrs_are_records() {
        let loaded =
            load("{'descr': '>i2, 2u1,(2,3)f8,', 'fortran_order': True, 'shape': (3, 2), }")
                .expect("NumPy reads it");
        assert_eq!(
            loaded.header.dtype.to_string(),
            "[('f0', '>i2'), ('f1', '|u1', (2,)), ('f2', '<f8', (2, 3))]"
        );
        assert_eq!(loaded.header.shape, [3, 2]);
        assert!(loaded.header.fortran_order);
        assert_eq!(loaded.data_offset, 128);
        for descr in ["i4,zz", "i4,,f8", "(2i4,f8", "3i4"] {
            let err = load(&format!(
                "{{'descr': '{descr}', 'fortran_order': False, 'shape': (3,), }}"
            ))
            .expect_err(descr);
            assert!(!err.is_unsupported(), "{descr}: {err}");
        }
    }

    #[test]
    fn records_nest_as_deep_as_numpy_reads_and_no_deeper() {
        // 99 record levels around a scalar: 199 brackets with the dict, which NumPy reads.
        let mut descr = "'<i4'".to_owned();
        for _ in 0..99 {
            descr = format!("[('a', {descr})]");
        }
        load(&format!(
            "{{'descr': {descr}, 'fortran_order': False, 'shape': (1,), }}"
        ))
        .expect("as deep as NumPy reads");
        // One more level is past Python's parser: NumPy refuses it, and so does npy.
        let descr = format!("[('a', {descr})]");
        let err = load(&format!(
            "{{'descr': {descr}, 'fortran_order': False, 'shape': (1,), }}"
        ))
        .expect_err("too deep for Python");
        assert!(!err.is_unsupported(), "{err}");
    }

    #[test]
    fn members_without_the_magic_are_not_npy() {
        assert_eq!(read_member_header(&mut &b"hello"[..]).ok(), Some(None));
        assert_eq!(
            read_member_header(&mut &b"PK\x03\x04 more"[..]).ok(),
            Some(None)
        );
        let file = npy(
            "{'descr': '<i2', 'fortran_order': False, 'shape': (1,), }",
            b"\x01\x00",
        );
        let mut reader = &file[..];
        let loaded = read_member_header(&mut reader)
            .expect("readable")
            .expect("npy");
        assert_eq!(loaded.header.shape, [1]);
        assert_eq!(reader, b"\x01\x00");
    }
}
