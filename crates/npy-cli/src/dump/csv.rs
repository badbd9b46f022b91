//! `--format csv`: a header row, then rows (RFC 4180 quoting, `\n` line ends).
//!
//! * Records: one row per element, one column per leaf field. Nested fields are dotted paths
//!   (`pos.x`); subarray fields are expanded in C order (`v[0]`, `v[1]`, `m[0][1]`).
//! * 2-D arrays of other dtypes: one row per array row, columns named `0`, `1`, ...;
//!   `--limit N` then counts rows. (Past [`MAX_COLUMNS`] columns, the `value` layout below.)
//! * Everything else: a single column `value`, one element per row in C order.
//!
//! Cells: `True`/`False`; integers exactly; floats as NumPy's `str()`; complexes as `(1+2j)`;
//! bytes with non-printable bytes as `\xhh` (and `\` as `\\`), no quotes; unicode as is; void
//! and long doubles as hex; datetimes as ISO 8601; timedeltas as `5[s]`; `NaT`.

use std::fmt::Write as _;
use std::io::Write;

use npy_core::{DType, Header};

use super::Elements;
use crate::datetime::{write_datetime, write_timedelta};
use crate::error::{CliError, Result};
use crate::format::{write_complex, write_escaped_bytes, write_float, write_hex};
use crate::value::{decode, escaped_text, Value};

/// The most columns a record may expand to (only subarrays of zero-size items get near it), and
/// the most a 2-D array may have to be printed as rows of columns.
const MAX_COLUMNS: usize = 1 << 20;

/// Writes the header row and the rows for the first `limit` elements (rows, for 2-D arrays).
pub fn write(
    header: &Header,
    elements: &mut Elements,
    limit: Option<u64>,
    out: &mut impl Write,
) -> Result<()> {
    let count = header.element_count()?;
    let mut line = String::new();
    match (&header.dtype, header.shape.as_slice()) {
        (DType::Record(_) | DType::SubArray(_), _) => {
            // A top-level subarray dtype (a legacy descr NumPy never writes) expands like a field
            // named `value`.
            let root = match header.dtype {
                DType::SubArray(_) => "value".to_owned(),
                _ => String::new(),
            };
            let mut columns = Vec::new();
            leaf_columns(&header.dtype, root, &mut columns)?;
            write_row(out, &mut line, &columns)?;
            let shown = limit.map_or(count, |n| n.min(count));
            let mut cells = Vec::with_capacity(columns.len());
            for _ in 0..shown {
                let value = decode(&header.dtype, elements.next_item()?)?;
                cells.clear();
                flatten(&value, &mut cells);
                write_row(out, &mut line, &cells)?;
            }
        }
        (_, &[rows, cols]) if cols <= MAX_COLUMNS as u64 => {
            let names: Vec<String> = (0..cols).map(|c| c.to_string()).collect();
            write_row(out, &mut line, &names)?;
            let shown = limit.map_or(rows, |n| n.min(rows));
            let mut cells = Vec::new();
            for _ in 0..shown {
                cells.clear();
                for _ in 0..cols {
                    let value = decode(&header.dtype, elements.next_item()?)?;
                    flatten(&value, &mut cells);
                }
                write_row(out, &mut line, &cells)?;
            }
        }
        _ => {
            write_row(out, &mut line, &["value"])?;
            let shown = limit.map_or(count, |n| n.min(count));
            let mut cells = Vec::with_capacity(1);
            for _ in 0..shown {
                let value = decode(&header.dtype, elements.next_item()?)?;
                cells.clear();
                flatten(&value, &mut cells);
                write_row(out, &mut line, &cells)?;
            }
        }
    }
    Ok(())
}

/// The column names of the leaves of `dtype` under `path`.
fn leaf_columns(dtype: &DType, path: String, out: &mut Vec<String>) -> Result<()> {
    match dtype {
        DType::Record(record) => {
            for field in record.fields() {
                let name = if path.is_empty() {
                    field.name.clone()
                } else {
                    format!("{path}.{}", field.name)
                };
                leaf_columns(&field.dtype, name, out)?;
            }
        }
        DType::SubArray(sub) => subarray_columns(&sub.base, &sub.shape, path, out)?,
        DType::Scalar(_) => {
            if out.len() >= MAX_COLUMNS {
                return Err(CliError::msg(format!(
                    "the record expands to more than {MAX_COLUMNS} CSV columns"
                )));
            }
            out.push(path);
        }
    }
    Ok(())
}

fn subarray_columns(base: &DType, dims: &[u64], path: String, out: &mut Vec<String>) -> Result<()> {
    match dims.split_first() {
        None => leaf_columns(base, path, out),
        Some((&first, rest)) => {
            for i in 0..first {
                subarray_columns(base, rest, format!("{path}[{i}]"), out)?;
            }
            Ok(())
        }
    }
}

/// Appends the cells of a value's leaves in column order.
fn flatten(value: &Value<'_>, cells: &mut Vec<String>) {
    match value {
        Value::Record(fields) => fields.iter().for_each(|(_, v)| flatten(v, cells)),
        Value::List(items) => items.iter().for_each(|v| flatten(v, cells)),
        leaf => {
            let mut cell = String::new();
            write_cell(&mut cell, leaf);
            cells.push(cell);
        }
    }
}

/// Appends one scalar value as cell text (before CSV quoting).
fn write_cell(out: &mut String, value: &Value<'_>) {
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
        Value::Bytes(bytes) => write_escaped_bytes(out, bytes),
        Value::Str(text) => out.push_str(text),
        Value::Ucs4(units) => out.push_str(&escaped_text(units)),
        Value::Void(bytes) | Value::Raw(bytes) => write_hex(out, bytes),
        Value::DateTime(v, unit) => write_datetime(out, *v, *unit),
        Value::TimeDelta(v, unit) => write_timedelta(out, *v, *unit),
        Value::Record(_) | Value::List(_) => {}
    }
}

/// Writes one CSV row, quoting cells that hold a comma, quote, CR or LF. A row of one empty
/// cell is written `""`, as Python's csv module does, so it is not a blank line.
fn write_row<S: AsRef<str>>(out: &mut impl Write, line: &mut String, cells: &[S]) -> Result<()> {
    line.clear();
    if let [only] = cells {
        if only.as_ref().is_empty() {
            out.write_all(b"\"\"\n")?;
            return Ok(());
        }
    }
    for (i, cell) in cells.iter().enumerate() {
        let cell = cell.as_ref();
        if i > 0 {
            line.push(',');
        }
        if cell.contains([',', '"', '\n', '\r']) {
            line.push('"');
            line.push_str(&cell.replace('"', "\"\""));
            line.push('"');
        } else {
            line.push_str(cell);
        }
    }
    line.push('\n');
    out.write_all(line.as_bytes())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        let mut out = Vec::new();
        let mut line = String::new();
        write_row(&mut out, &mut line, &["a", "b,c", "d\"e", ""]).expect("write");
        write_row(&mut out, &mut line, &[""]).expect("write");
        assert_eq!(out, b"a,\"b,c\",\"d\"\"e\",\n\"\"\n");
    }
}
