//! The value document of `corpus/README.md`: a lossless JSON form of an array, which
//! `npy decode` prints and `npy encode` reads.
//!
//! `{"dtype": ..., "shape": [...], "fortran_order": ..., "values": ...}`, where `dtype` is
//! NumPy's `dtype_to_descr` with tuples as JSON arrays, and `values` nests the elements in C
//! order, one list level per axis (`[]` for an array without elements, whatever its shape),
//! each element encoded by kind:
//!
//! | dtype | element |
//! |---|---|
//! | `b1` | `true` / `false` |
//! | integers | decimal string |
//! | `f2` `f4` `f8` | `"0x"` + the IEEE bits, 4/8/16 lowercase hex digits |
//! | `c8` `c16` | `[re, im]`, each as a float of half the size |
//! | `f16` `c32` (long double) | the element's bytes as stored, lowercase hex |
//! | `M8` `m8` | the int64 count, decimal string |
//! | `S<n>` | the bytes without trailing NULs, hex |
//! | `U<n>` | the string without trailing NULs |
//! | `V<n>` | all bytes, hex |
//! | record | object from field name to value (no padding) |
//! | subarray field | nested lists over its shape |

use std::fmt::Write as _;

use npy_core::literal::Value as Literal;
use npy_core::{ByteOrder, DType, Scalar, ScalarKind};

use crate::error::{CliError, Result};
use crate::format::Width;
use crate::json::{self, Json};
use crate::value::Value;

/// The document's `dtype`: `dtype_to_descr` as JSON, padding entries included as NumPy writes
/// them (`["", "|V4"]`), titles as `[title, name]`, subarray fields as `[name, base, shape]`.
pub fn descr_json(dtype: &DType) -> Json {
    match dtype {
        DType::Scalar(scalar) => Json::Str(scalar.to_string()),
        DType::SubArray(sub) => Json::Array(vec![descr_json(&sub.base), shape_json(&sub.shape)]),
        DType::Record(record) => {
            let padding = |n: usize| Json::Array(vec![Json::Str(String::new()), void(n)]);
            let mut entries = Vec::with_capacity(record.fields().len());
            let mut end = 0;
            for field in record.fields() {
                if field.offset > end {
                    entries.push(padding(field.offset - end));
                }
                let name = match &field.title {
                    Some(title) => Json::Array(vec![
                        Json::Str(title.clone()),
                        Json::Str(field.name.clone()),
                    ]),
                    None => Json::Str(field.name.clone()),
                };
                entries.push(Json::Array(match &field.dtype {
                    DType::SubArray(sub) => {
                        vec![name, descr_json(&sub.base), shape_json(&sub.shape)]
                    }
                    other => vec![name, descr_json(other)],
                }));
                end = field.offset + field.dtype.itemsize();
            }
            if record.itemsize() > end {
                entries.push(padding(record.itemsize() - end));
            }
            Json::Array(entries)
        }
    }
}

fn void(n: usize) -> Json {
    Json::Str(format!("|V{n}"))
}

/// A shape as a JSON array of integers.
pub fn shape_json(shape: &[u64]) -> Json {
    Json::Array(shape.iter().map(|d| Json::Number(d.to_string())).collect())
}

/// The dtype a document's `dtype` describes, read as NumPy's `descr_to_dtype` reads the same
/// descr written as Python (padding entries dropped, offsets kept).
///
/// # Errors
/// The JSON is not a descr, or the descr is not a valid dtype.
pub fn dtype_from_json(json: &Json) -> Result<DType> {
    let literal = descr_literal(json).map_err(CliError::msg)?;
    DType::from_descr(&literal).map_err(CliError::from)
}

/// The Python literal a JSON descr stands for. JSON has no tuples, so a list is a record when
/// every item is a field entry (`[name, dtype]` / `[name, dtype, shape]`, `name` a string or a
/// `[title, name]` pair), and otherwise the tuple `(dtype, shape)`.
fn descr_literal(json: &Json) -> std::result::Result<Literal, String> {
    match json {
        Json::Str(text) => Ok(Literal::Str(text.clone())),
        Json::Array(items) if items.iter().all(is_field_entry) => Ok(Literal::List(
            items
                .iter()
                .map(field_literal)
                .collect::<std::result::Result<_, _>>()?,
        )),
        Json::Array(items) if items.len() == 2 => Ok(Literal::Tuple(vec![
            descr_literal(&items[0])?,
            shape_literal(&items[1])?,
        ])),
        other => Err(format!(
            "a dtype is a string such as \"<f8\", a list of [name, dtype] fields, or \
             [dtype, shape]; got {}",
            other.kind()
        )),
    }
}

fn is_field_entry(json: &Json) -> bool {
    let Json::Array(items) = json else {
        return false;
    };
    let named = match items.first() {
        Some(Json::Str(_)) => true,
        Some(Json::Array(pair)) => {
            matches!(pair.as_slice(), [Json::Str(_) | Json::Null, Json::Str(_)])
        }
        _ => false,
    };
    named && (2..=3).contains(&items.len())
}

fn field_literal(json: &Json) -> std::result::Result<Literal, String> {
    let Json::Array(items) = json else {
        unreachable!("checked by is_field_entry")
    };
    let name = match &items[0] {
        Json::Str(name) => Literal::Str(name.clone()),
        Json::Array(pair) => Literal::Tuple(
            pair.iter()
                .map(|part| match part {
                    Json::Str(text) => Literal::Str(text.clone()),
                    _ => Literal::None,
                })
                .collect(),
        ),
        _ => unreachable!("checked by is_field_entry"),
    };
    let mut entry = vec![name, descr_literal(&items[1])?];
    if let Some(shape) = items.get(2) {
        entry.push(shape_literal(shape)?);
    }
    Ok(Literal::Tuple(entry))
}

fn shape_literal(json: &Json) -> std::result::Result<Literal, String> {
    let int = |json: &Json| match json {
        Json::Number(text) => text
            .parse::<i128>()
            .map(Literal::Int)
            .map_err(|_| format!("a shape dimension must be an integer, not {text}")),
        other => Err(format!(
            "a shape dimension must be an integer, not {}",
            other.kind()
        )),
    };
    match json {
        Json::Array(items) => Ok(Literal::Tuple(
            items
                .iter()
                .map(int)
                .collect::<std::result::Result<_, _>>()?,
        )),
        other => int(other),
    }
}

/// Appends one element of the array as the document encodes it.
///
/// # Errors
/// [`CliError::Unsupported`] for a `U` code point past U+10FFFF, which JSON cannot hold.
pub fn write_element(out: &mut String, value: &Value<'_>) -> Result<()> {
    match value {
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(n) => {
            let _ = write!(out, "\"{n}\"");
        }
        Value::UInt(n) => {
            let _ = write!(out, "\"{n}\"");
        }
        Value::DateTime(n, _) | Value::TimeDelta(n, _) => {
            let _ = write!(out, "\"{n}\"");
        }
        Value::Float(f) => write_bits(out, f.bits, f.width),
        Value::Complex(re, im) => {
            out.push('[');
            write_bits(out, re.bits, re.width);
            out.push(',');
            write_bits(out, im.bits, im.width);
            out.push(']');
        }
        Value::Bytes(bytes) | Value::Void(bytes) | Value::Raw(bytes) => {
            out.push('"');
            crate::format::write_hex(out, bytes);
            out.push('"');
        }
        Value::Str(text) => json::write_str(out, text),
        Value::Ucs4(units) => json::write_units(out, units).map_err(|unit| {
            CliError::unsupported(format!(
                "a U string holds the code point {unit:#x}, past U+10FFFF: NumPy cannot \
                 return it as a str, and JSON cannot hold it"
            ))
        })?,
        Value::Record(fields) => {
            out.push('{');
            for (i, (name, field)) in fields.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json::write_str(out, name);
                out.push(':');
                write_element(out, field)?;
            }
            out.push('}');
        }
        Value::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_element(out, item)?;
            }
            out.push(']');
        }
    }
    Ok(())
}

/// `"0x"` and the bit pattern, as many hex digits as the float has nibbles.
fn write_bits(out: &mut String, bits: u64, width: Width) {
    let digits = match width {
        Width::Half => 4,
        Width::Single => 8,
        Width::Double => 16,
    };
    let _ = write!(out, "\"0x{bits:0digits$x}\"");
}

/// Where in `values` an element is, for error messages: `values[1][0]["x"]`.
#[derive(Debug, Clone, Copy)]
enum Step<'d> {
    Index(usize),
    Field(&'d str),
}

fn location(path: &[Step<'_>]) -> String {
    let mut text = String::from("values");
    for step in path {
        match step {
            Step::Index(i) => {
                let _ = write!(text, "[{i}]");
            }
            Step::Field(name) => {
                text.push('[');
                json::write_str(&mut text, name);
                text.push(']');
            }
        }
    }
    text
}

/// The data bytes, in C order, of the array of `shape` and `dtype` whose `values` a document
/// gives; padding bytes in records are zero. An array without elements takes `[]`.
///
/// # Errors
/// A message naming the element (`values[1]["x"]`) that does not match the shape or dtype.
pub fn encode_values(values: &Json, shape: &[u64], dtype: &DType) -> Result<Vec<u8>> {
    // An array without elements is `[]` whatever its shape (the nesting tolist() gives, such
    // as `[[], []]` for shape (2, 0), is read by the general case below).
    if shape.contains(&0) && *values == Json::Array(Vec::new()) {
        return Ok(Vec::new());
    }
    let mut data = Vec::new();
    let mut path = Vec::new();
    encode_nested(values, shape, dtype, &mut data, &mut path)?;
    Ok(data)
}

fn encode_nested<'d>(
    json: &Json,
    dims: &[u64],
    dtype: &'d DType,
    data: &mut Vec<u8>,
    path: &mut Vec<Step<'d>>,
) -> Result<()> {
    let Some((&len, rest)) = dims.split_first() else {
        let start = data.len();
        data.resize(start + dtype.itemsize(), 0);
        return encode_element(json, dtype, &mut data[start..], path);
    };
    let items = list_of(json, len, path)?;
    for (i, item) in items.iter().enumerate() {
        path.push(Step::Index(i));
        encode_nested(item, rest, dtype, data, path)?;
        path.pop();
    }
    Ok(())
}

/// The items of a list that must have `len` of them (one axis of that length).
fn list_of<'j>(json: &'j Json, len: u64, path: &[Step<'_>]) -> Result<&'j [Json]> {
    match json {
        Json::Array(items) if items.len() as u64 == len => Ok(items),
        Json::Array(items) => Err(at(
            path,
            format!(
                "expected a list of {len} items (the axis's length), got {}",
                items.len()
            ),
        )),
        other => Err(at(
            path,
            format!(
                "expected a list of {len} items (one level per axis), got {}",
                other.kind()
            ),
        )),
    }
}

fn at(path: &[Step<'_>], message: impl std::fmt::Display) -> CliError {
    CliError::msg(format!("{}: {message}", location(path)))
}

/// Writes one element into `out` (exactly the dtype's itemsize, zeroed).
fn encode_element<'d>(
    json: &Json,
    dtype: &'d DType,
    out: &mut [u8],
    path: &mut Vec<Step<'d>>,
) -> Result<()> {
    match dtype {
        DType::Scalar(scalar) => encode_scalar(json, *scalar, out).map_err(|e| at(path, e)),
        DType::Record(record) => {
            let Json::Object(members) = json else {
                return Err(at(
                    path,
                    format!(
                        "expected an object of fields for a record, got {}",
                        json.kind()
                    ),
                ));
            };
            let names = || {
                let names: Vec<String> = record
                    .fields()
                    .iter()
                    .map(|f| format!("{:?}", f.name))
                    .collect();
                names.join(", ")
            };
            if let Some((key, _)) = members.iter().find(|(k, _)| record.field(k).is_none()) {
                return Err(at(
                    path,
                    format!("no field named {key:?} (the fields: {})", names()),
                ));
            }
            for field in record.fields() {
                let value = json.get(&field.name).ok_or_else(|| {
                    at(
                        path,
                        format!(
                            "field {:?} is missing (the fields: {})",
                            field.name,
                            names()
                        ),
                    )
                })?;
                let end = field.offset + field.dtype.itemsize();
                path.push(Step::Field(&field.name));
                encode_element(value, &field.dtype, &mut out[field.offset..end], path)?;
                path.pop();
            }
            Ok(())
        }
        DType::SubArray(sub) => encode_subarray(json, &sub.shape, &sub.base, out, path),
    }
}

/// A subarray field: nested lists over its shape, written in place.
fn encode_subarray<'d>(
    json: &Json,
    dims: &[u64],
    base: &'d DType,
    out: &mut [u8],
    path: &mut Vec<Step<'d>>,
) -> Result<()> {
    let Some((&len, rest)) = dims.split_first() else {
        return encode_element(json, base, out, path);
    };
    let items = list_of(json, len, path)?;
    // Sizes within a validated dtype fit in usize.
    let inner = rest.iter().product::<u64>() as usize * base.itemsize();
    for (i, item) in items.iter().enumerate() {
        path.push(Step::Index(i));
        encode_subarray(item, rest, base, &mut out[i * inner..(i + 1) * inner], path)?;
        path.pop();
    }
    Ok(())
}

/// Writes one scalar; the error says what was expected.
fn encode_scalar(json: &Json, scalar: Scalar, out: &mut [u8]) -> std::result::Result<(), String> {
    let order = scalar.order();
    let expected = |what: &str| format!("expected {what} for {scalar}, got {}", describe(json));
    match scalar.kind() {
        ScalarKind::Bool => match json {
            Json::Bool(b) => out[0] = u8::from(*b),
            _ => return Err(expected("true or false")),
        },
        ScalarKind::Int(width) => {
            let bits = 8 * u32::from(width);
            let (min, max) = (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1);
            let n = decimal(json, min, max)
                .map_err(|e| e.unwrap_or_else(|| expected("a decimal string")))?;
            put(n as u128, out, order);
        }
        ScalarKind::UInt(width) => {
            let max = (1i128 << (8 * u32::from(width))) - 1;
            let n = decimal(json, 0, max)
                .map_err(|e| e.unwrap_or_else(|| expected("a decimal string")))?;
            put(n as u128, out, order);
        }
        ScalarKind::DateTime(_) | ScalarKind::TimeDelta(_) => {
            let n = decimal(json, i128::from(i64::MIN), i128::from(i64::MAX))
                .map_err(|e| e.unwrap_or_else(|| expected("a decimal string (the int64 count)")))?;
            put(n as u128, out, order);
        }
        ScalarKind::Float(width @ (2 | 4 | 8)) => {
            put(
                float_bits(json, usize::from(width))
                    .map_err(|e| e.unwrap_or_else(|| expected(&bits_text(width))))?,
                out,
                order,
            );
        }
        ScalarKind::Complex(width @ (8 | 16)) => {
            let half = usize::from(width / 2);
            let parts = match json {
                Json::Array(parts) if parts.len() == 2 => parts,
                _ => {
                    return Err(expected(&format!(
                        "[real, imaginary], each {}",
                        bits_text(width / 2)
                    )))
                }
            };
            for (part, slot) in parts.iter().zip(out.chunks_exact_mut(half)) {
                let bits = float_bits(part, half).map_err(|e| {
                    e.unwrap_or_else(|| {
                        expected(&format!("[real, imaginary], each {}", bits_text(width / 2)))
                    })
                })?;
                put(bits, slot, order);
            }
        }
        // Long doubles (`f16`, `c32`): the bytes as stored, in the file's byte order.
        ScalarKind::Float(_) | ScalarKind::Complex(_) | ScalarKind::Void(_) => {
            let bytes =
                hex_bytes(json).map_err(|e| e.unwrap_or_else(|| expected("a hex string")))?;
            if bytes.len() != out.len() {
                return Err(format!(
                    "expected {} bytes ({} hex digits) for {scalar}, got {}",
                    out.len(),
                    2 * out.len(),
                    bytes.len()
                ));
            }
            out.copy_from_slice(&bytes);
        }
        ScalarKind::Bytes(size) => {
            let bytes =
                hex_bytes(json).map_err(|e| e.unwrap_or_else(|| expected("a hex string")))?;
            if bytes.len() > size {
                return Err(format!("{} bytes do not fit in {scalar}", bytes.len()));
            }
            out[..bytes.len()].copy_from_slice(&bytes);
        }
        ScalarKind::Unicode(size) => {
            let units: Vec<u32> = match json {
                Json::Str(text) => text.chars().map(u32::from).collect(),
                Json::Units(units) => units.clone(),
                _ => return Err(expected("a string")),
            };
            if units.len() > size {
                return Err(format!(
                    "a string of {} characters does not fit in {scalar}",
                    units.len()
                ));
            }
            for (unit, slot) in units.iter().zip(out.chunks_exact_mut(4)) {
                put(u128::from(*unit), slot, order);
            }
        }
        // Refused before any value is read (see encode.rs); other kinds npy-core may add.
        _ => return Err(format!("{scalar} values cannot be encoded")),
    }
    Ok(())
}

/// The JSON value, shortly, for "got ..." in messages.
fn describe(json: &Json) -> String {
    match json {
        Json::Str(text) if text.chars().count() <= 40 => format!("{text:?}"),
        Json::Number(text) if text.len() <= 40 => format!("the number {text}"),
        other => other.kind().to_owned(),
    }
}

fn bits_text(width: u8) -> String {
    format!(
        "\"0x\" and the IEEE bits as {} hex digits",
        2 * usize::from(width)
    )
}

/// Writes the low `out.len()` bytes of `bits` in `order`.
fn put(bits: u128, out: &mut [u8], order: ByteOrder) {
    let le = bits.to_le_bytes();
    out.copy_from_slice(&le[..out.len()]);
    if order == ByteOrder::Big {
        out.reverse();
    }
}

/// A decimal-string integer within `min..=max`. `Err(None)`: not a decimal string at all (the
/// caller says what was expected); `Err(Some(message))`: out of range.
fn decimal(json: &Json, min: i128, max: i128) -> std::result::Result<i128, Option<String>> {
    let Json::Str(text) = json else {
        return Err(None);
    };
    let digits = text.strip_prefix('-').unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(None);
    }
    let out_of_range = || Some(format!("{text} is out of range ({min} to {max})"));
    let n: i128 = text.parse().map_err(|_| out_of_range())?;
    if n < min || n > max {
        return Err(out_of_range());
    }
    Ok(n)
}

/// `"0x"` and exactly `2 * width` hex digits.
fn float_bits(json: &Json, width: usize) -> std::result::Result<u128, Option<String>> {
    let Json::Str(text) = json else {
        return Err(None);
    };
    match text.strip_prefix("0x") {
        Some(hex) if hex.len() == 2 * width && hex.bytes().all(|b| b.is_ascii_hexdigit()) => {
            Ok(u128::from_str_radix(hex, 16).expect("checked hex digits"))
        }
        _ => Err(Some(format!(
            "bad float bits {text:?}: expected \"0x\" and {} hex digits",
            2 * width
        ))),
    }
}

/// Bytes written as hex, two digits each.
fn hex_bytes(json: &Json) -> std::result::Result<Vec<u8>, Option<String>> {
    let Json::Str(text) = json else {
        return Err(None);
    };
    if text.len() % 2 != 0 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(Some(format!(
            "bad hex {:?}: expected two hex digits per byte",
            if text.chars().count() > 40 {
                "…"
            } else {
                text.as_str()
            }
        )));
    }
    Ok(text
        .as_bytes()
        .chunks_exact(2)
        .map(|pair| {
            let pair = std::str::from_utf8(pair).expect("ASCII hex digits");
            u8::from_str_radix(pair, 16).expect("checked hex digits")
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::decode;

    fn dtype(descr: &str) -> DType {
        dtype_from_json(&json::parse(descr).expect("JSON")).expect("a dtype")
    }

    fn text(json: &Json) -> String {
        let mut out = String::new();
        json::write(&mut out, json).expect("writable");
        out
    }

    #[test]
    fn descrs_round_trip_through_json() {
        for descr in [
            r#""<f8""#,
            r#"">M8[10ms]""#,
            r#"[["a","<i4"],["","|V4"],["b",">f8",[2,3]]]"#,
            r#"[[["title","x"],"|u1"],["n",[["y","<i2"]]],["","|V3"]]"#,
            r#"[["c",["<f8",[5]],[2]]]"#,
            r#"[["s",[["a","|S3"]],[2]]]"#,
        ] {
            assert_eq!(text(&descr_json(&dtype(descr))), descr);
        }
        // The descr text npy-core writes in a header says the same.
        assert_eq!(
            dtype(r#"[["a","<i4"],["","|V4"],["b",">f8",[2,3]]]"#).descr(),
            "[('a', '<i4'), ('', '|V4'), ('b', '>f8', (2, 3))]"
        );
    }

    #[test]
    fn dtypes_nest_as_deep_as_numpy_reads_and_no_deeper() {
        let mut descr = r#""<i4""#.to_owned();
        for _ in 0..99 {
            descr = format!(r#"[["a",{descr}]]"#);
        }
        dtype_from_json(&json::parse(&descr).expect("JSON")).expect("99 record levels");
        let descr = format!(r#"[["a",{descr}]]"#);
        let err = dtype_from_json(&json::parse(&descr).expect("JSON")).expect_err("too deep");
        assert!(!err.is_unsupported(), "{err}");
    }

    #[test]
    fn bad_descrs_are_refused() {
        for (descr, message) in [
            ("5", "a dtype is a string"),
            (r#""<f7""#, "not a valid dtype descriptor"),
            (r#"[["a","<i4"],["a","<i4"]]"#, "already used"),
            (r#"[["a","<i4", [1.5]]]"#, "must be an integer"),
        ] {
            let err = dtype_from_json(&json::parse(descr).expect("JSON")).expect_err(descr);
            assert!(err.to_string().contains(message), "{descr}: {err}");
        }
    }

    /// Encodes one element of `descr` from `value`, then decodes it back to document JSON.
    fn round_trip(descr: &str, value: &str) -> (Vec<u8>, String) {
        let dtype = dtype(descr);
        let json = json::parse(value).expect("JSON");
        let bytes = encode_values(&json, &[], &dtype).expect("encodable");
        let mut out = String::new();
        write_element(&mut out, &decode(&dtype, &bytes).expect("decodable")).expect("writable");
        (bytes, out)
    }

    #[test]
    fn elements_round_trip() {
        for (descr, value, bytes) in [
            (r#""|b1""#, "true", vec![1]),
            (r#"">i2""#, r#""-2""#, vec![0xff, 0xfe]),
            (r#""<u8""#, r#""18446744073709551615""#, vec![0xff; 8]),
            (r#"">f4""#, r#""0x7f800001""#, vec![0x7f, 0x80, 0, 1]),
            (r#""<f2""#, r#""0x7e01""#, vec![0x01, 0x7e]),
            (
                r#"">c8""#,
                r#"["0x3f800000","0x80000000"]"#,
                vec![0x3f, 0x80, 0, 0, 0x80, 0, 0, 0],
            ),
            (r#""|S4""#, r#""6100""#, vec![0x61, 0, 0, 0]),
            (r#""|V2""#, r#""00ff""#, vec![0, 0xff]),
            (r#"">U2""#, r#""\ud800""#, vec![0, 0, 0xd8, 0, 0, 0, 0, 0]),
            (
                r#""<m8[s]""#,
                r#""-9223372036854775808""#,
                vec![0, 0, 0, 0, 0, 0, 0, 0x80],
            ),
            (
                r#"[["a","|u1"],["","|V1"],["b","<i2",[2]]]"#,
                r#"{"b":["1","-1"],"a":"7"}"#,
                vec![7, 0, 1, 0, 0xff, 0xff],
            ),
        ] {
            let (encoded, back) = round_trip(descr, value);
            assert_eq!(encoded, bytes, "{descr} {value}");
            let expected = match value {
                // Trailing NULs are not part of an S value; object keys come in field order.
                r#""6100""# => r#""61""#,
                r#"{"b":["1","-1"],"a":"7"}"# => r#"{"a":"7","b":["1","-1"]}"#,
                other => other,
            };
            assert_eq!(back, expected, "{descr}");
        }
    }

    #[test]
    fn arrays_without_elements_take_an_empty_list() {
        let empty = |shape: &[u64], values: &str| {
            encode_values(
                &json::parse(values).expect("JSON"),
                shape,
                &dtype(r#""<i4""#),
            )
        };
        assert_eq!(empty(&[2, 0, 3], "[]").ok(), Some(Vec::new()));
        assert_eq!(empty(&[2, 0], "[[], []]").ok(), Some(Vec::new()));
        assert!(empty(&[2], "[]").is_err());
        assert!(empty(&[2, 0], "[[]]").is_err());
    }

    #[test]
    fn malformed_values_name_the_element() {
        let encode = |descr: &str, shape: &[u64], values: &str| {
            encode_values(&json::parse(values).expect("JSON"), shape, &dtype(descr))
                .expect_err(values)
                .to_string()
        };
        assert_eq!(
            encode(r#""<i4""#, &[2], r#"["1", 2]"#),
            "values[1]: expected a decimal string for <i4, got the number 2"
        );
        assert_eq!(
            encode(r#""|u1""#, &[1], r#"["256"]"#),
            "values[0]: 256 is out of range (0 to 255)"
        );
        assert_eq!(
            encode(r#""<i4""#, &[2, 2], r#"[["1", "2"], ["3"]]"#),
            "values[1]: expected a list of 2 items (the axis's length), got 1"
        );
        assert_eq!(
            encode(r#""<i4""#, &[2], r#""1""#),
            "values: expected a list of 2 items (one level per axis), got a string"
        );
        assert_eq!(
            encode(r#""<f8""#, &[], r#""0x3ff""#),
            "values: bad float bits \"0x3ff\": expected \"0x\" and 16 hex digits"
        );
        assert_eq!(
            encode(r#""|S2""#, &[], r#""abc""#),
            "values: bad hex \"abc\": expected two hex digits per byte"
        );
        assert_eq!(
            encode(r#""|S2""#, &[], r#""616263""#),
            "values: 3 bytes do not fit in |S2"
        );
        assert_eq!(
            encode(r#""<U1""#, &[], r#""ab""#),
            "values: a string of 2 characters does not fit in <U1"
        );
        assert_eq!(
            encode(r#"[["x","<i4"]]"#, &[1], r#"[{"y": "1"}]"#),
            "values[0]: no field named \"y\" (the fields: \"x\")"
        );
        assert_eq!(
            encode(r#"[["x","<i4"],["y","<i4"]]"#, &[], r#"{"y": "1"}"#),
            "values: field \"x\" is missing (the fields: \"x\", \"y\")"
        );
        assert_eq!(
            encode(r#"[["x","<c8"]]"#, &[], r#"{"x": ["0x00000000"]}"#),
            "values[\"x\"]: expected [real, imaginary], each \"0x\" and the IEEE bits as 8 hex \
             digits for <c8, got an array"
        );
    }
}
