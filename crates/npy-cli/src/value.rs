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
    /// `U<n>`, with trailing NULs stripped; code points that are not Unicode scalar values
    /// (lone surrogates, values past U+10FFFF) appear as `\ud800` / `\U00110000` escapes.
    Str(String),
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
    let bits = unsigned(bytes, order);
    match bytes.len() {
        2 => Float {
            value: half::f16::from_bits(bits as u16).to_f64(),
            width: Width::Half,
        },
        4 => Float {
            value: f64::from(f32::from_bits(bits as u32)),
            width: Width::Single,
        },
        _ => Float {
            value: f64::from_bits(bits),
            width: Width::Double,
        },
    }
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
        ScalarKind::Unicode(_) => Value::Str(ucs4_text(bytes, order)),
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

/// UCS-4 code units to text, trailing NULs stripped.
fn ucs4_text(bytes: &[u8], order: ByteOrder) -> String {
    let units: Vec<u32> = bytes
        .chunks_exact(4)
        .map(|unit| unsigned(unit, order) as u32)
        .collect();
    let end = units.iter().rposition(|&u| u != 0).map_or(0, |i| i + 1);
    let mut text = String::with_capacity(end);
    for &unit in &units[..end] {
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
        let surrogate = scalar(ScalarKind::Unicode(1), ByteOrder::Little);
        assert_eq!(
            decode(&surrogate, &[0x00, 0xd8, 0, 0]).ok(),
            Some(Value::Str("\\ud800".into()))
        );
    }

    #[test]
    fn wrong_length_is_an_error_not_a_panic() {
        let f = scalar(ScalarKind::Float(8), ByteOrder::Little);
        assert!(decode(&f, &[0; 3]).is_err());
    }
}
