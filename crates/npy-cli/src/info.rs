//! `npy info`: what a file's header says, and whether the data the header promises is there.

use std::io::Write;
use std::path::Path;

use npy_core::DType;
use serde::Serialize;

use crate::error::Result;
use crate::open::{DataStatus, NpyFile};

/// Everything `npy info` reports; also the `--json` object, keys in this order.
#[derive(Debug, Serialize)]
pub struct Info {
    /// The path as given.
    pub file: String,
    /// Format version: `"1.0"`, `"2.0"` or `"3.0"`.
    pub version: String,
    /// The header's `descr`, as the Python literal written in the file.
    pub descr: String,
    /// The shape; empty for a 0-d array.
    pub shape: Vec<u64>,
    /// Whether the data is in Fortran (column-major) order.
    pub fortran_order: bool,
    /// Byte offset of the data in the file.
    pub data_offset: u64,
    /// Bytes per element.
    pub itemsize: usize,
    /// Number of elements.
    pub element_count: u64,
    /// Bytes of data the header promises; `None` for object dtypes (a pickle of any length).
    pub data_bytes: Option<u64>,
    /// The file's length; `None` when it is not a regular file.
    pub file_bytes: Option<u64>,
    /// `complete`, `trailing_bytes`, `truncated`, `pickle` or `unknown`.
    pub data: &'static str,
    /// For record dtypes, one entry per leaf field; `None` otherwise.
    pub fields: Option<Vec<FieldInfo>>,
}

/// One leaf field of a record: a non-record dtype at a byte offset.
#[derive(Debug, Serialize)]
pub struct FieldInfo {
    /// Dotted path from the top record: `pos.x`.
    pub name: String,
    /// The field's dtype as a descr literal: `'<f4'`, `('<i2', (3,))`.
    pub descr: String,
    /// Byte offset within the element.
    pub offset: usize,
}

/// Reads the header of `path` and prints it as text or one JSON object.
///
/// # Errors
/// The file cannot be opened or its header is invalid.
pub fn run(path: &Path, json: bool, out: &mut impl Write) -> Result<()> {
    let info = gather(path)?;
    if json {
        serde_json::to_writer(&mut *out, &info).map_err(std::io::Error::from)?;
        writeln!(out)?;
    } else {
        write_text(&info, out)?;
    }
    Ok(())
}

/// Collects the [`Info`] of one file.
///
/// # Errors
/// As [`run`].
pub fn gather(path: &Path) -> Result<Info> {
    let file = NpyFile::open(path).map_err(|e| e.context(path.display()))?;
    let header = file.header();
    let status = file.data_status()?;
    Ok(Info {
        file: path.display().to_string(),
        version: file.version().to_string(),
        descr: header.dtype.to_string(),
        shape: header.shape.clone(),
        fortran_order: header.fortran_order,
        data_offset: file.data_offset(),
        itemsize: header.dtype.itemsize(),
        element_count: header.element_count()?,
        data_bytes: if header.dtype.has_object() {
            None
        } else {
            Some(header.data_len()?)
        },
        file_bytes: file.file_len(),
        data: match status {
            DataStatus::Complete => "complete",
            DataStatus::Trailing(_) => "trailing_bytes",
            DataStatus::Truncated { .. } => "truncated",
            DataStatus::Pickle => "pickle",
            DataStatus::Unknown => "unknown",
        },
        fields: match &header.dtype {
            DType::Record(_) => {
                let mut fields = Vec::new();
                leaf_fields(&header.dtype, "", 0, &mut fields);
                Some(fields)
            }
            _ => None,
        },
    })
}

/// Appends the leaf fields of `dtype` (a record) with paths under `prefix`.
fn leaf_fields(dtype: &DType, prefix: &str, base: usize, out: &mut Vec<FieldInfo>) {
    let DType::Record(record) = dtype else {
        out.push(FieldInfo {
            name: prefix.to_owned(),
            descr: dtype.to_string(),
            offset: base,
        });
        return;
    };
    for field in record.fields() {
        let name = if prefix.is_empty() {
            field.name.clone()
        } else {
            format!("{prefix}.{}", field.name)
        };
        leaf_fields(&field.dtype, &name, base + field.offset, out);
    }
}

/// Python's repr of a shape tuple: `()`, `(3,)`, `(2, 3)`.
pub fn shape_text(shape: &[u64]) -> String {
    let dims: Vec<String> = shape.iter().map(u64::to_string).collect();
    match dims.len() {
        1 => format!("({},)", dims[0]),
        _ => format!("({})", dims.join(", ")),
    }
}

/// The `data:` line: the status, with byte counts when the data is not exactly complete.
fn data_text(info: &Info) -> String {
    let present = info
        .file_bytes
        .map(|len| len.saturating_sub(info.data_offset));
    match (info.data, info.data_bytes, present) {
        ("truncated", Some(expected), Some(present)) => {
            format!("truncated ({present} of {expected} bytes present)")
        }
        ("trailing_bytes", Some(expected), Some(present)) => format!(
            "complete, then {} trailing bytes (ignored by NumPy)",
            present - expected
        ),
        ("pickle", _, _) => "pickle (object dtype; not checked)".to_owned(),
        (status, _, _) => status.to_owned(),
    }
}

fn write_text(info: &Info, out: &mut impl Write) -> Result<()> {
    let optional = |n: Option<u64>| n.map_or_else(|| "-".to_owned(), |n| n.to_string());
    writeln!(out, "file:           {}", info.file)?;
    writeln!(out, "version:        {}", info.version)?;
    writeln!(out, "descr:          {}", info.descr)?;
    writeln!(out, "shape:          {}", shape_text(&info.shape))?;
    let order = if info.fortran_order { "True" } else { "False" };
    writeln!(out, "fortran_order:  {order}")?;
    writeln!(out, "data_offset:    {}", info.data_offset)?;
    writeln!(out, "itemsize:       {}", info.itemsize)?;
    writeln!(out, "element_count:  {}", info.element_count)?;
    writeln!(out, "data_bytes:     {}", optional(info.data_bytes))?;
    writeln!(out, "file_bytes:     {}", optional(info.file_bytes))?;
    writeln!(out, "data:           {}", data_text(info))?;
    if let Some(fields) = &info.fields {
        writeln!(out, "fields:")?;
        let width = fields
            .iter()
            .map(|f| f.name.chars().count())
            .max()
            .unwrap_or(0)
            .max(4);
        writeln!(out, "  {:<width$}  offset  descr", "name")?;
        for field in fields {
            writeln!(
                out,
                "  {:<width$}  {:>6}  {}",
                field.name, field.offset, field.descr
            )?;
        }
    }
    Ok(())
}
