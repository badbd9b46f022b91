//! Decoding one element's bytes into a [`Value`] tree, in either byte order.
//!
//! Every output format (text, JSON, CSV) renders the same tree, so the byte-level work (byte
//! order, widths, record offsets, subarray shapes, string padding) happens once, here.

use npy_core::{ByteOrder, DType, DateTimeUnit, Record, Scalar, ScalarKind, SubArray};

use crate::error::{CliError, Result};
use crate::format::{Float, Width};

/// One decoded element (or part of one).
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'d> {
    /// `b1`: NumPy reads any non-zero byte as True.
    Bool(bool),
    /// Signed integers of any width.
    Int(i64),
    /// Unsigned integers of any width.
    UInt(u64),
    /// `f2`, `f4`, `f8`.
    Float(Float),
    /// `c8`, `c16`: real and imaginary parts.
    Complex(Float, Float),
    /// `S<n>`, with NumPy's trailing-NUL stripping applied.
    Bytes(Vec<u8>),
    /// `U<n>`, with trailing NULs stripped, when every code point is a Unicode scalar value.
    Str(String),
    /// `U<n>` holding code points that are not Unicode scalar values (lone surrogates, values
    /// past U+10FFFF), which a `String` cannot hold: the code points, trailing NULs stripped.
    /// Text formats print [`escaped_text`] of them.
    Ucs4(Vec<u32>),
    /// `V<n>`: raw bytes.
    Void(Vec<u8>),
    /// `M8[unit]`: the raw tick count.
    DateTime(i64, DateTimeUnit),
    /// `m8[unit]`: the raw tick count.
    TimeDelta(i64, DateTimeUnit),
    /// A type kept as its raw bytes in storage order: `f16` / `c32` (x86 long double), which
    /// have no portable meaning, and any kind this tool does not know.
    Raw(Vec<u8>),
    /// A record: its fields in order, names borrowed from the dtype.
    Record(Vec<(&'d str, Value<'d>)>),
    /// A subarray field, nested by its shape.
    List(Vec<Value<'d>>),
}

/// Decodes one element of `dtype` from exactly `dtype.itemsize()` bytes.
///
/// # Errors
/// Only when the dtype's layout and the byte count disagree, which a validated dtype rules out;
/// and for object dtypes, whose bytes are not values.
pub fn decode<'d>(dtype: &'d DType, bytes: &[u8]) -> Result<Value<'d>> {
    match dtype {
        DType::Scalar(scalar) => decode_scalar(*scalar, bytes),
        DType::Record(record) => decode_record(record, bytes),
        DType::SubArray(sub) => {
            // A subarray of zero-size items occupies no bytes whatever its shape, so only its
            // shape bounds the work; refuse absurd ones rather than build them.
            let count = sub
                .shape
                .iter()
                .try_fold(1u64, |acc, &d| acc.checked_mul(d));
            if sub.base.itemsize() == 0 && count.is_none_or(|n| n > MAX_EMPTY_ITEMS) {
                return Err(CliError::msg(format!(
                    "subarray of shape {:?} of zero-size items is too large to print",
                    sub.shape
                )));
            }
            decode_subarray(sub, &sub.shape, bytes)
        }
    }
}

/// The most items a subarray of zero-size items may have.
const MAX_EMPTY_ITEMS: u64 = 1 << 20;

fn decode_record<'d>(record: &'d Record, bytes: &[u8]) -> Result<Value<'d>> {
    let mut fields = Vec::with_capacity(record.fields().len());
    for field in record.fields() {
        let end = field.offset.checked_add(field.dtype.itemsize());
        let slice = end
            .and_then(|end| bytes.get(field.offset..end))
            .ok_or_else(|| {
                CliError::msg(format!(
                    "field {:?} does not fit in a {}-byte record",
                    field.name,
                    bytes.len()
                ))
            })?;
        fields.push((field.name.as_str(), decode(&field.dtype, slice)?));
    }
    Ok(Value::Record(fields))
}

fn decode_subarray<'d>(sub: &'d SubArray, dims: &[u64], bytes: &[u8]) -> Result<Value<'d>> {
    let Some((&first, rest)) = dims.split_first() else {
        return decode(&sub.base, bytes);
    };
    let inner: u64 = rest.iter().product::<u64>() * sub.base.itemsize() as u64;
    let inner = usize::try_from(inner).map_err(|_| CliError::msg("subarray too large"))?;
    let mut items = Vec::new();
    for i in 0..first as usize {
        let slice = bytes
            .get(i * inner..(i + 1) * inner)
            .ok_or_else(|| CliError::msg("subarray does not fit in its record"))?;
        items.push(decode_subarray(sub, rest, slice)?);
    }
    Ok(Value::List(items))
}

/// The bytes of an integer of `bytes.len()` (at most 8) bytes, as an unsigned value.
fn unsigned(bytes: &[u8], order: ByteOrder) -> u64 {
    let fold = |acc: u64, &b: &u8| (acc << 8) | u64::from(b);
    if order == ByteOrder::Big || (order == ByteOrder::NotApplicable && cfg!(target_endian = "big"))
    {
        bytes.iter().fold(0, fold)
    } else {
        bytes.iter().rev().fold(0, fold)
    }
}

/// The same, sign-extended from its width.
fn signed(bytes: &[u8], order: ByteOrder) -> i64 {
    let shift = 64 - 8 * bytes.len() as u32;
    ((unsigned(bytes, order) << shift) as i64) >> shift
}

fn float(bytes: &[u8], order: ByteOrder) -> Float {
    let width = match bytes.len() {
        2 => Width::Half,
        4 => Width::Single,
        _ => Width::Double,
    };
    Float::from_bits(unsigned(bytes, order), width)
}

fn decode_scalar<'d>(scalar: Scalar, bytes: &[u8]) -> Result<Value<'d>> {
    let order = scalar.order();
    if bytes.len() != scalar.itemsize() {
        return Err(CliError::msg(format!(
            "{scalar} value needs {} bytes, got {}",
            scalar.itemsize(),
            bytes.len()
        )));
    }
    Ok(match scalar.kind() {
        ScalarKind::Bool => Value::Bool(bytes.iter().any(|&b| b != 0)),
        ScalarKind::Int(_) => Value::Int(signed(bytes, order)),
        ScalarKind::UInt(_) => Value::UInt(unsigned(bytes, order)),
        ScalarKind::Float(2 | 4 | 8) => Value::Float(float(bytes, order)),
        ScalarKind::Complex(8 | 16) => {
            let (re, im) = bytes.split_at(bytes.len() / 2);
            Value::Complex(float(re, order), float(im, order))
        }
        ScalarKind::Bytes(_) => {
            let end = bytes.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1);
            Value::Bytes(bytes[..end].to_vec())
        }
        ScalarKind::Unicode(_) => ucs4_value(bytes, order),
        ScalarKind::Void(_) => Value::Void(bytes.to_vec()),
        ScalarKind::DateTime(unit) => Value::DateTime(signed(bytes, order), unit),
        ScalarKind::TimeDelta(unit) => Value::TimeDelta(signed(bytes, order), unit),
        ScalarKind::Object => {
            return Err(CliError::msg(
                "object arrays hold Python pickles, which this tool does not decode",
            ))
        }
        // Long doubles (`f16`, `c32`) and kinds added to npy-core later: raw bytes.
        _ => Value::Raw(bytes.to_vec()),
    })
}

/// UCS-4 code units to text, trailing NULs stripped: [`Value::Str`] when they are all Unicode
/// scalar values, else [`Value::Ucs4`].
fn ucs4_value<'d>(bytes: &[u8], order: ByteOrder) -> Value<'d> {
    let mut units: Vec<u32> = bytes
        .chunks_exact(4)
        .map(|unit| unsigned(unit, order) as u32)
        .collect();
    let end = units.iter().rposition(|&u| u != 0).map_or(0, |i| i + 1);
    units.truncate(end);
    match units.iter().map(|&u| char::from_u32(u)).collect() {
        Some(text) => Value::Str(text),
        None => Value::Ucs4(units),
    }
}

/// Code points as text, with those that are not Unicode scalar values written as Python
/// escapes: `\ud800`, `\U00110000`.
pub fn escaped_text(units: &[u32]) -> String {
    let mut text = String::with_capacity(units.len());
    for &unit in units {
        match char::from_u32(unit) {
            Some(c) => text.push(c),
            None if unit <= 0xffff => text.push_str(&format!("\\u{unit:04x}")),
            None => text.push_str(&format!("\\U{unit:08x}")),
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scalar(kind: ScalarKind, order: ByteOrder) -> DType {
        DType::Scalar(Scalar::new(kind, order).expect("valid scalar"))
    }

    #[test]
    fn integers_in_both_orders() {
        let be = scalar(ScalarKind::Int(2), ByteOrder::Big);
        let le = scalar(ScalarKind::Int(2), ByteOrder::Little);
        assert_eq!(decode(&be, &[0xff, 0xfe]).ok(), Some(Value::Int(-2)));
        assert_eq!(decode(&le, &[0xfe, 0xff]).ok(), Some(Value::Int(-2)));
        let u = scalar(ScalarKind::UInt(8), ByteOrder::Big);
        assert_eq!(decode(&u, &[0xff; 8]).ok(), Some(Value::UInt(u64::MAX)));
    }

    #[test]
    fn strings_strip_trailing_nuls() {
        let s = scalar(ScalarKind::Bytes(4), ByteOrder::NotApplicable);
        assert_eq!(
            decode(&s, b"a\0b\0").ok(),
            Some(Value::Bytes(b"a\0b".to_vec()))
        );
        let u = scalar(ScalarKind::Unicode(2), ByteOrder::Big);
        assert_eq!(
            decode(&u, &[0, 0, 0, 0xe9, 0, 0, 0, 0]).ok(),
            Some(Value::Str("\u{e9}".into()))
        );
        let surrogate = scalar(ScalarKind::Unicode(2), ByteOrder::Little);
        let value = decode(&surrogate, &[0x00, 0xd8, 0, 0, 0, 0, 0, 0]).ok();
        assert_eq!(value, Some(Value::Ucs4(vec![0xd800])));
        assert_eq!(
            escaped_text(&[0x61, 0xd800, 0x11_0000]),
            "a\\ud800\\U00110000"
        );
    }

    #[test]
    fn floats_keep_their_bits() {
        // A signalling NaN (f32 0x7f800001) would be quieted by widening to f64 on x86.
        let f = scalar(ScalarKind::Float(4), ByteOrder::Big);
        let Ok(Value::Float(value)) = decode(&f, &[0x7f, 0x80, 0x00, 0x01]) else {
            panic!("a float decodes to Value::Float");
        };
        assert_eq!(value.bits, 0x7f80_0001);
        assert!(value.value.is_nan());
    }

    #[test]
    fn wrong_length_is_an_error_not_a_panic() {
        let f = scalar(ScalarKind::Float(8), ByteOrder::Little);
        assert!(decode(&f, &[0; 3]).is_err());
    }
}
