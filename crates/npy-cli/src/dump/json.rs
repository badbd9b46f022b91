//! `--format json`: one JSON object on one line,
//! `{"descr": ..., "shape": [...], "fortran_order": ..., "count": N, "truncated": false, "values": ...}`.
//!
//! `values` nests by shape as `ndarray.tolist()` does (a 0-d array gives the bare value). With
//! `--limit`, it is the C-order prefix of that nesting: later rows are missing and the last one
//! printed may be short; `count` says how many elements it holds and `truncated` whether some
//! were left out.
//!
//! Values: booleans and integers as JSON booleans and numbers (integers exact, whatever their
//! width); finite floats as numbers in NumPy's shortest text, and `"nan"`, `"inf"`, `"-inf"` as
//! strings; complexes as `[re, im]`; bytes as strings with `\xhh` escapes for non-printable bytes
//! (and `\\` for a backslash); unicode as strings; void and long doubles as hex strings;
//! datetimes as ISO 8601 strings, timedeltas as `"5[s]"`, `"NaT"` for not-a-time; records as
//! objects keyed by field name; subarray fields as nested arrays.

use std::io::Write;

use npy_core::Header;

use super::{Elements, Index};
use crate::datetime::{write_datetime, write_timedelta};
use crate::error::Result;
use crate::format::{write_escaped_bytes, write_float, write_hex, Float};
use crate::value::{decode, escaped_text, Value};

/// Writes the header and the first `limit` (default all) values as one JSON object.
pub fn write(
    header: &Header,
    elements: &mut Elements,
    limit: Option<u64>,
    out: &mut impl Write,
) -> Result<()> {
    let count = header.element_count()?;
    let shown = limit.map_or(count, |n| n.min(count));
    let shape: Vec<String> = header.shape.iter().map(u64::to_string).collect();
    write!(
        out,
        "{{\"descr\":{},\"shape\":[{}],\"fortran_order\":{},\"count\":{shown},\"truncated\":{},\"values\":",
        json_string(&header.dtype.to_string()),
        shape.join(","),
        header.fortran_order,
        shown < count,
    )?;
    if header.shape.is_empty() {
        let mut text = String::new();
        if shown == 1 {
            write_value(&mut text, &decode(&header.dtype, elements.next_item()?)?);
        } else {
            text.push_str("null");
        }
        out.write_all(text.as_bytes())?;
    } else {
        write_nested(out, &header.shape, count, shown, |text| {
            write_value(text, &decode(&header.dtype, elements.next_item()?)?);
            Ok(())
        })?;
    }
    out.write_all(b"}\n")?;
    Ok(())
}

/// Writes the first `shown` of the `count` elements of an array of `shape` (at least one axis)
/// as nested JSON lists, nested as `ndarray.tolist()` nests them; when `shown < count`, the
/// C-order prefix of that nesting. `element` appends the JSON of the next element in C order to
/// the text it is given. Written as it goes, so memory stays small whatever the array's size.
///
/// # Errors
/// Those of `element`, and failures to write.
pub fn write_nested(
    out: &mut impl Write,
    shape: &[u64],
    count: u64,
    shown: u64,
    mut element: impl FnMut(&mut String) -> Result<()>,
) -> Result<()> {
    let ndim = shape.len();
    if count == 0 {
        write_empty(out, shape)?;
        return Ok(());
    }
    if shown == 0 {
        out.write_all(b"[]")?;
        return Ok(());
    }
    let mut text = String::new();
    let mut index = Index::new(shape);
    out.write_all("[".repeat(ndim).as_bytes())?;
    for k in 0..shown {
        text.clear();
        if k > 0 {
            let rolled = index.advance();
            text.push_str(&"]".repeat(rolled));
            text.push(',');
            text.push_str(&"[".repeat(rolled));
        }
        element(&mut text)?;
        out.write_all(text.as_bytes())?;
    }
    out.write_all("]".repeat(ndim).as_bytes())?;
    Ok(())
}

/// The nested empty lists of an array with no elements, as `tolist()` gives them: `[]` for
/// `(0,)` and `(0, 3)`, `[[],[]]` for `(2, 0)` and `(2, 0, 5)`. Streamed, as `(10**9, 0)` is
/// a billion `[]`s.
fn write_empty(out: &mut impl Write, shape: &[u64]) -> std::io::Result<()> {
    // Only the axes before the first empty one have lists; each of their leaves is `[]`.
    let outer = &shape[..shape.iter().position(|&d| d == 0).unwrap_or(shape.len())];
    let leaves: u64 = outer.iter().product();
    let mut index = Index::new(outer);
    out.write_all("[".repeat(outer.len()).as_bytes())?;
    for k in 0..leaves {
        if k > 0 {
            let rolled = index.advance();
            let mut sep = "]".repeat(rolled);
            sep.push(',');
            sep.push_str(&"[".repeat(rolled));
            out.write_all(sep.as_bytes())?;
        }
        out.write_all(b"[]")?;
    }
    out.write_all("]".repeat(outer.len()).as_bytes())
}

/// A JSON string literal.
pub fn json_string(text: &str) -> String {
    serde_json::Value::from(text).to_string()
}

/// A float: a JSON number when finite, else the string `"nan"`, `"inf"` or `"-inf"`.
fn write_json_float(out: &mut String, value: Float) {
    if value.value.is_finite() {
        write_float(out, value);
    } else {
        out.push('"');
        write_float(out, value);
        out.push('"');
    }
}

/// Appends one value as JSON.
pub fn write_value(out: &mut String, value: &Value<'_>) {
    use std::fmt::Write as _;
    match value {
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(n) => {
            let _ = write!(out, "{n}");
        }
        Value::UInt(n) => {
            let _ = write!(out, "{n}");
        }
        Value::Float(f) => write_json_float(out, *f),
        Value::Complex(re, im) => {
            out.push('[');
            write_json_float(out, *re);
            out.push(',');
            write_json_float(out, *im);
            out.push(']');
        }
        Value::Bytes(bytes) => {
            let mut text = String::new();
            write_escaped_bytes(&mut text, bytes);
            out.push_str(&json_string(&text));
        }
        Value::Str(text) => out.push_str(&json_string(text)),
        Value::Ucs4(units) => out.push_str(&json_string(&escaped_text(units))),
        Value::Void(bytes) | Value::Raw(bytes) => {
            out.push('"');
            write_hex(out, bytes);
            out.push('"');
        }
        Value::DateTime(v, unit) => {
            out.push('"');
            write_datetime(out, *v, *unit);
            out.push('"');
        }
        Value::TimeDelta(v, unit) => {
            out.push('"');
            write_timedelta(out, *v, *unit);
            out.push('"');
        }
        Value::Record(fields) => {
            out.push('{');
            for (i, (name, field)) in fields.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&json_string(name));
                out.push(':');
                write_value(out, field);
            }
            out.push('}');
        }
        Value::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, item);
            }
            out.push(']');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_arrays_nest_like_tolist() {
        let text = |shape: &[u64]| {
            let mut s = Vec::new();
            write_empty(&mut s, shape).expect("write to a Vec");
            String::from_utf8(s).expect("ASCII")
        };
        assert_eq!(text(&[0]), "[]");
        assert_eq!(text(&[2, 0]), "[[],[]]");
        assert_eq!(text(&[0, 3]), "[]");
        assert_eq!(text(&[2, 0, 5]), "[[],[]]");
        assert_eq!(text(&[2, 2, 0]), "[[[],[]],[[],[]]]");
    }
}
