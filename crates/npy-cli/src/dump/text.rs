//! `--format text`: one element per line, `[i, j] value`, values written as NumPy and Python
//! print them.
//!
//! A 0-d array prints its one value with no index. Values: `True`/`False`; integers exactly;
//! floats as NumPy's `str()` (shortest round-trip, `nan`, `inf`); complexes as `(1+2j)`; bytes as
//! `b'ab\x00'`; unicode as `'text'` (quoted, so empty and space-padded strings stay visible);
//! void and long doubles as hex; datetimes as ISO 8601; timedeltas as `5[s]`; records as tuples
//! `(1, 2.5)`; subarray fields as lists `[1, 2, 3]`.

use std::fmt::Write as _;
use std::io::Write;

use npy_core::Header;

use super::{Elements, Index};
use crate::datetime::{write_datetime, write_timedelta};
use crate::error::Result;
use crate::format::{write_complex, write_float, write_hex};
use crate::value::{decode, escaped_text, Value};

/// Writes the first `limit` (default all) elements, one per line.
pub fn write(
    header: &Header,
    elements: &mut Elements,
    limit: Option<u64>,
    out: &mut impl Write,
) -> Result<()> {
    let count = header.element_count()?;
    let shown = limit.map_or(count, |n| n.min(count));
    let mut index = Index::new(&header.shape);
    let mut line = String::new();
    for k in 0..shown {
        if k > 0 {
            index.advance();
        }
        line.clear();
        if !header.shape.is_empty() {
            line.push('[');
            for (axis, i) in index.current().iter().enumerate() {
                if axis > 0 {
                    line.push_str(", ");
                }
                let _ = write!(line, "{i}");
            }
            line.push_str("] ");
        }
        let value = decode(&header.dtype, elements.next_item()?)?;
        write_value(&mut line, &value);
        line.push('\n');
        out.write_all(line.as_bytes())?;
    }
    Ok(())
}

/// Appends one value in the text format.
pub fn write_value(out: &mut String, value: &Value<'_>) {
    match value {
        Value::Bool(b) => out.push_str(if *b { "True" } else { "False" }),
        Value::Int(n) => {
            let _ = write!(out, "{n}");
        }
        Value::UInt(n) => {
            let _ = write!(out, "{n}");
        }
        Value::Float(f) => write_float(out, *f),
        Value::Complex(re, im) => write_complex(out, *re, *im),
        // Python's repr, as NumPy prints elements.
        Value::Bytes(bytes) => npy_core::literal::write_repr_bytes(out, bytes),
        Value::Str(text) => npy_core::literal::write_repr_str(out, text),
        Value::Ucs4(units) => npy_core::literal::write_repr_str(out, &escaped_text(units)),
        Value::Void(bytes) | Value::Raw(bytes) => write_hex(out, bytes),
        Value::DateTime(v, unit) => write_datetime(out, *v, *unit),
        Value::TimeDelta(v, unit) => write_timedelta(out, *v, *unit),
        Value::Record(fields) => {
            out.push('(');
            for (i, (_, field)) in fields.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_value(out, field);
            }
            if fields.len() == 1 {
                out.push(',');
            }
            out.push(')');
        }
        Value::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_value(out, item);
            }
            out.push(']');
        }
    }
}
