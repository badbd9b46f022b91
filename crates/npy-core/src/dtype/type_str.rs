//! Parsing the type strings `np.dtype(str)` accepts in a header: `'<f8'`, `'|S5'`, `'M8[25s]'`,
//! `'d'`, `'float64'`, ... The accepted list is documented on [`DType::from_descr`].

use std::str::FromStr;

use super::value_repr::write_repr;
#[cfg(doc)]
use super::DType;
use super::{ByteOrder, DateTimeUnit, Scalar, ScalarKind};
use crate::error::Error;
use crate::literal::Value;

/// Parses a dtype string as described in the module docs; the `Err` is the detail of the message.
pub(crate) fn parse_type_str(text: &str) -> Result<Scalar, String> {
    let not_understood = || {
        let mut message = String::from("data type ");
        write_repr(&mut message, &Value::Str(text.to_owned()));
        message.push_str(" not understood");
        message
    };
    let (kind, order) = match named_type(text) {
        Some(kind) => (kind, ByteOrder::native()),
        None => {
            let (order, rest) = split_order(text);
            (coded_type(rest).ok_or_else(not_understood)?, order)
        }
    };
    Scalar::new(kind, order).map_err(|_| not_understood())
}

/// Parses a NumPy dtype string: the type strings listed under [`DType::from_descr`].
///
/// The error is [`ErrorKind::InvalidDescr`](crate::error::ErrorKind::InvalidDescr), with NumPy's
/// wording: `descr is not a valid dtype descriptor: 'f12' (data type 'f12' not understood)`.
impl FromStr for Scalar {
    type Err = Error;

    fn from_str(text: &str) -> Result<Scalar, Error> {
        parse_type_str(text).map_err(|detail| {
            super::descr_parse::invalid_descr(&Value::Str(text.to_owned()), &detail)
        })
    }
}

/// Splits off the byte-order prefix; `=` and no prefix mean native, `|` means "not applicable".
fn split_order(text: &str) -> (ByteOrder, &str) {
    match text.as_bytes().first() {
        Some(b'<') => (ByteOrder::Little, &text[1..]),
        Some(b'>') => (ByteOrder::Big, &text[1..]),
        Some(b'|') => (ByteOrder::NotApplicable, &text[1..]),
        Some(b'=') => (ByteOrder::native(), &text[1..]),
        _ => (ByteOrder::native(), text),
    }
}

/// A type character plus optional size digits or datetime brackets, after the prefix.
fn coded_type(text: &str) -> Option<ScalarKind> {
    let mut chars = text.chars();
    let code = chars.next()?;
    let tail = chars.as_str();
    if code == 'M' || code == 'm' {
        let unit = datetime_tail(tail)?;
        return Some(if code == 'M' {
            ScalarKind::DateTime(unit)
        } else {
            ScalarKind::TimeDelta(unit)
        });
    }
    let size = if tail.is_empty() {
        None
    } else {
        Some(super::time_unit::parse_decimal(tail)?)
    };
    let width = |n: u64| u8::try_from(n).ok();
    let count = |n: Option<u64>| usize::try_from(n.unwrap_or(0)).ok();
    Some(match (code, size) {
        ('b', Some(1)) | ('?', None) => ScalarKind::Bool,
        ('b', None) => ScalarKind::Int(1),
        ('i', None) => ScalarKind::Int(4),
        ('i', Some(n)) => ScalarKind::Int(width(n)?),
        ('u', Some(n)) => ScalarKind::UInt(width(n)?),
        ('f', None) => ScalarKind::Float(4),
        ('f', Some(n)) => ScalarKind::Float(width(n)?),
        ('c', None) => ScalarKind::Bytes(1),
        ('c', Some(n)) => ScalarKind::Complex(width(n)?),
        ('S' | 'a', n) => ScalarKind::Bytes(count(n)?),
        ('U', n) => ScalarKind::Unicode(count(n)?),
        ('V', n) => ScalarKind::Void(count(n)?),
        ('O', None | Some(4 | 8)) => ScalarKind::Object,
        (code, None) => single_char(code)?,
        _ => return None,
    })
}

/// The datetime part after `M` / `m`: nothing, `8`, or `8[unit]`.
fn datetime_tail(tail: &str) -> Option<DateTimeUnit> {
    if tail.is_empty() {
        return Some(DateTimeUnit::GENERIC);
    }
    let brackets = tail.strip_prefix('8')?;
    if brackets.is_empty() {
        Some(DateTimeUnit::GENERIC)
    } else {
        DateTimeUnit::parse_brackets(brackets)
    }
}

/// The sizeless one-character codes (Linux x86-64 meanings).
fn single_char(code: char) -> Option<ScalarKind> {
    Some(match code {
        'B' => ScalarKind::UInt(1),
        'h' => ScalarKind::Int(2),
        'H' => ScalarKind::UInt(2),
        'I' => ScalarKind::UInt(4),
        'l' | 'q' | 'p' | 'n' => ScalarKind::Int(8),
        'L' | 'Q' | 'P' | 'N' => ScalarKind::UInt(8),
        'e' => ScalarKind::Float(2),
        'd' => ScalarKind::Float(8),
        'g' => ScalarKind::Float(16),
        'F' => ScalarKind::Complex(8),
        'D' => ScalarKind::Complex(16),
        'G' => ScalarKind::Complex(32),
        _ => return None,
    })
}

/// The NumPy type names accepted without a prefix (Linux x86-64 meanings).
fn named_type(text: &str) -> Option<ScalarKind> {
    for (prefix, is_datetime) in [("datetime64", true), ("timedelta64", false)] {
        if let Some(rest) = text.strip_prefix(prefix) {
            let unit = if rest.is_empty() {
                DateTimeUnit::GENERIC
            } else {
                DateTimeUnit::parse_brackets(rest)?
            };
            return Some(if is_datetime {
                ScalarKind::DateTime(unit)
            } else {
                ScalarKind::TimeDelta(unit)
            });
        }
    }
    Some(match text {
        "bool" | "bool_" => ScalarKind::Bool,
        "int8" | "byte" => ScalarKind::Int(1),
        "int16" | "short" => ScalarKind::Int(2),
        "int32" | "intc" => ScalarKind::Int(4),
        "int64" | "int" | "int_" | "intp" | "long" | "longlong" => ScalarKind::Int(8),
        "uint8" | "ubyte" => ScalarKind::UInt(1),
        "uint16" | "ushort" => ScalarKind::UInt(2),
        "uint32" | "uintc" => ScalarKind::UInt(4),
        "uint64" | "uint" | "uintp" | "ulong" | "ulonglong" => ScalarKind::UInt(8),
        "float16" | "half" => ScalarKind::Float(2),
        "float32" | "single" => ScalarKind::Float(4),
        "float64" | "float" | "double" => ScalarKind::Float(8),
        "float128" | "longdouble" => ScalarKind::Float(16),
        "complex64" | "csingle" => ScalarKind::Complex(8),
        "complex128" | "complex" | "cdouble" => ScalarKind::Complex(16),
        "complex256" | "clongdouble" => ScalarKind::Complex(32),
        "str" | "str_" | "unicode" => ScalarKind::Unicode(0),
        "bytes" | "bytes_" => ScalarKind::Bytes(0),
        "void" => ScalarKind::Void(0),
        "object" | "object_" => ScalarKind::Object,
        _ => return None,
    })
}
