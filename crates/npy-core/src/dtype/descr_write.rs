//! Writing a [`DType`] as the `descr` text NumPy puts in a header (`dtype_to_descr`).

use std::fmt::{self, Write as _};

use super::{DType, Record};
use crate::literal::write_repr_str;

impl DType {
    /// The `descr` exactly as NumPy 2.x writes it in a header on a little-endian host: the Python
    /// `repr` of `numpy.lib.format.dtype_to_descr(dtype)`.
    ///
    /// * A scalar is its quoted `dtype.str`, always with an explicit order: `'<f8'`, `'|b1'`,
    ///   `'>U3'`, `'<M8[25s]'`, `'<m8'` (generic).
    /// * A record is its `dtype.descr` list: gaps (leading, inner and trailing) as `('', '|V<n>')`
    ///   padding entries, titles as `(('title', 'name'), fmt)`, nested records as lists, subarray
    ///   fields as 3-tuples `('a', '<f8', (2, 3))`, and a subarray-of-subarray field as
    ///   `('c', ('<f8', (5,)), (2,))`. An empty record of itemsize 8 is `[('', '|V8')]`.
    /// * A top-level subarray is written `('<i4', (2,))`, the form `descr_to_dtype` reads back.
    ///   NumPy never writes one (it folds the subarray into the array shape, and
    ///   `dtype_to_descr` alone would give `'|V8'`); the header writer should do the same.
    pub fn descr(&self) -> String {
        let mut out = String::new();
        self.write_descr(&mut out);
        out
    }

    /// Appends [`DType::descr`] to `out`.
    pub fn write_descr(&self, out: &mut String) {
        match self {
            DType::Scalar(scalar) => {
                // Writing to a String cannot fail.
                let _ = write!(out, "'{scalar}'");
            }
            DType::Record(record) => write_record(out, record),
            DType::SubArray(sub) => {
                out.push('(');
                sub.base.write_descr(out);
                out.push_str(", ");
                crate::literal::write_repr_shape(out, &sub.shape);
                out.push(')');
            }
        }
    }
}

/// NumPy's `_array_descr` for a structured dtype.
fn write_record(out: &mut String, record: &Record) {
    let mut entries = 0usize;
    let mut start_entry = |out: &mut String| {
        if entries > 0 {
            out.push_str(", ");
        }
        entries += 1;
    };
    let write_padding = |out: &mut String, n: usize| {
        let _ = write!(out, "('', '|V{n}')");
    };
    out.push('[');
    let mut end = 0usize;
    for field in record.fields() {
        if field.offset > end {
            start_entry(out);
            write_padding(out, field.offset - end);
        }
        start_entry(out);
        out.push('(');
        match &field.title {
            Some(title) => {
                out.push('(');
                write_repr_str(out, title);
                out.push_str(", ");
                write_repr_str(out, &field.name);
                out.push(')');
            }
            None => write_repr_str(out, &field.name),
        }
        out.push_str(", ");
        match &field.dtype {
            DType::SubArray(sub) => {
                sub.base.write_descr(out);
                out.push_str(", ");
                crate::literal::write_repr_shape(out, &sub.shape);
            }
            dtype => dtype.write_descr(out),
        }
        out.push(')');
        end = field.offset + field.dtype.itemsize();
    }
    if record.itemsize() > end {
        start_entry(out);
        write_padding(out, record.itemsize() - end);
    }
    out.push(']');
}

/// Writes [`DType::descr`].
impl fmt::Display for DType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.descr())
    }
}
