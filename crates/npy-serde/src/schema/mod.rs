//! Dtype tracing: from row values (through serde) to a [`Node`] tree, and from that tree to a
//! NumPy [`DType`].
//!
//! The first row builds the tree; later rows are traced into the same tree, which checks they
//! have the same shape and widens the string fields to the longest value seen. See the crate
//! documentation for the mapping table.

pub(crate) mod capture;
mod trace;
pub(crate) mod unsupported;
pub(crate) mod widths;

use npy_core::{ByteOrder, DType, Record, Scalar, ScalarKind, TimeUnit};
use serde::Serialize;

use crate::error::{Error, ErrorKind, Result};
use crate::options::{Options, StringMode};

pub(crate) use trace::Tracer;

/// The traced structure of one row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    /// Not traced yet.
    Empty,
    /// A value of fixed dtype (bool, numbers, f16, complex, datetimes, enum indices); the byte
    /// order is applied when the dtype is built.
    Fixed(ScalarKind),
    /// A string (`str`, `char`, an enum variant name): the longest value seen, in characters
    /// for [`StringMode::Unicode`] and bytes for [`StringMode::Bytes`].
    Text(usize),
    /// A byte string (`serialize_bytes`): the longest value seen, in bytes.
    Bytes(usize),
    /// A tuple of `n` `u8` (`[u8; N]`): `S<n>`.
    ByteArray(usize),
    /// A struct, tuple struct or heterogeneous tuple.
    Record {
        /// What serde called it.
        kind: RecordKind,
        /// Field names (empty for tuple elements, named `f0`, `f1`, ... in the dtype) and values.
        fields: Vec<(&'static str, Node)>,
    },
    /// A tuple whose elements all have the same shape (`[T; N]`): a subarray.
    Array {
        /// Number of elements.
        len: usize,
        /// The elements' merged shape.
        elem: Box<Node>,
    },
}

/// What produced a [`Node::Record`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RecordKind {
    /// `serialize_struct`: fields by name.
    Struct,
    /// `serialize_tuple_struct`: fields `f0`, `f1`, ...
    TupleStruct,
    /// `serialize_tuple` with elements of different shapes: fields `f0`, `f1`, ...
    Tuple,
}

impl Node {
    /// A short description for error messages (`i64`, `string`, `struct`).
    pub(crate) fn describe(&self) -> String {
        match self {
            Node::Empty => "nothing".to_owned(),
            Node::Fixed(kind) => describe_kind(*kind),
            Node::Text(_) => "a string".to_owned(),
            Node::Bytes(_) => "a byte string".to_owned(),
            Node::ByteArray(n) => format!("[u8; {n}]"),
            Node::Record { kind, fields } => match kind {
                RecordKind::Struct => format!("a struct of {} fields", fields.len()),
                RecordKind::TupleStruct => format!("a tuple struct of {} fields", fields.len()),
                RecordKind::Tuple => format!("a tuple of {} elements", fields.len()),
            },
            Node::Array { len, elem } => format!("an array of {len} x {}", elem.describe()),
        }
    }

    /// Whether two traced values have the same dtype apart from string widths.
    pub(crate) fn same_shape(&self, other: &Node) -> bool {
        match (self, other) {
            (Node::Fixed(a), Node::Fixed(b)) => a == b,
            (Node::Text(_), Node::Text(_)) | (Node::Bytes(_), Node::Bytes(_)) => true,
            (Node::ByteArray(a), Node::ByteArray(b)) => a == b,
            (
                Node::Record {
                    kind: ka,
                    fields: fa,
                },
                Node::Record {
                    kind: kb,
                    fields: fb,
                },
            ) => {
                ka == kb
                    && fa.len() == fb.len()
                    && fa
                        .iter()
                        .zip(fb)
                        .all(|((na, a), (nb, b))| na == nb && a.same_shape(b))
            }
            (Node::Array { len: la, elem: a }, Node::Array { len: lb, elem: b }) => {
                la == lb && a.same_shape(b)
            }
            _ => false,
        }
    }

    /// Widens `self`'s strings to `other`'s where longer. Both must have the same shape.
    pub(crate) fn widen(&mut self, other: &Node) {
        match (self, other) {
            (Node::Text(a), Node::Text(b)) | (Node::Bytes(a), Node::Bytes(b)) => {
                *a = (*a).max(*b);
            }
            (Node::Record { fields: fa, .. }, Node::Record { fields: fb, .. }) => {
                for ((_, a), (_, b)) in fa.iter_mut().zip(fb) {
                    a.widen(b);
                }
            }
            (Node::Array { elem: a, .. }, Node::Array { elem: b, .. }) => a.widen(b),
            _ => {}
        }
    }

    /// Whether some string width is still to be traced from more rows: a string or byte
    /// string field whose width `options` does not fix.
    pub(crate) fn has_open_width(&self, options: &Options) -> bool {
        let mut path = String::new();
        self.open_width_at(&mut path, options)
    }

    fn open_width_at(&self, path: &mut String, options: &Options) -> bool {
        match self {
            Node::Text(_) | Node::Bytes(_) => !options.string_widths.contains_key(path.as_str()),
            Node::Record { kind, fields } => fields.iter().enumerate().any(|(i, (name, node))| {
                let len = path.len();
                push_field_name(path, *kind, i, name);
                let open = node.open_width_at(path, options);
                path.truncate(len);
                open
            }),
            Node::Array { elem, .. } => elem.open_width_at(path, options),
            Node::Empty | Node::Fixed(_) | Node::ByteArray(_) => false,
        }
    }

    /// Checks the traced widths against [`Options::string_widths`]: a value longer than its
    /// explicit width is an error naming the field.
    pub(crate) fn check_widths(&self, options: &Options) -> Result<()> {
        if options.string_widths.is_empty() {
            return Ok(());
        }
        let mut path = String::new();
        self.check_widths_at(&mut path, options)
    }

    fn check_widths_at(&self, path: &mut String, options: &Options) -> Result<()> {
        match self {
            Node::Text(traced) | Node::Bytes(traced) => {
                let Some(&width) = options.string_widths.get(path.as_str()) else {
                    return Ok(());
                };
                if *traced <= width {
                    return Ok(());
                }
                let unit = match (self, options.strings) {
                    (Node::Text(_), StringMode::Unicode) => "characters",
                    _ => "bytes",
                };
                Err(Error::new(
                    ErrorKind::InvalidData,
                    format!(
                        "a value of {traced} {unit} does not fit the field's {width} \
                         (Options::string_width); NumPy would truncate it, npy-serde refuses"
                    ),
                )
                .at_field(path.as_str()))
            }
            Node::Record { kind, fields } => {
                for (i, (name, node)) in fields.iter().enumerate() {
                    let len = path.len();
                    push_field_name(path, *kind, i, name);
                    node.check_widths_at(path, options)?;
                    path.truncate(len);
                }
                Ok(())
            }
            Node::Array { elem, .. } => elem.check_widths_at(path, options),
            Node::Empty | Node::Fixed(_) | Node::ByteArray(_) => Ok(()),
        }
    }

    /// The dtype of the traced row under `options` (byte order, string mode, string widths).
    pub(crate) fn to_dtype(&self, options: &Options) -> Result<DType> {
        let mut path = String::new();
        self.dtype_at(&mut path, options)
    }

    fn dtype_at(&self, path: &mut String, options: &Options) -> Result<DType> {
        let order = options.resolved_byte_order();
        let at = |e: npy_core::Error, path: &str| {
            let e = Error::from(e);
            if path.is_empty() {
                e
            } else {
                e.at_field(path)
            }
        };
        let scalar = |kind: ScalarKind, path: &str| {
            Scalar::new(kind, order)
                .map(DType::Scalar)
                .map_err(|e| at(e, path))
        };
        let width = |traced: usize, path: &str| {
            options
                .string_widths
                .get(path)
                .copied()
                .unwrap_or(traced.max(1))
        };
        match self {
            Node::Empty => Err(Error::new(
                ErrorKind::InvalidArgument,
                "no row was traced, so there is no dtype",
            )),
            Node::Fixed(kind) => scalar(*kind, path),
            Node::Text(traced) => {
                let n = width(*traced, path);
                match options.strings {
                    StringMode::Unicode => scalar(ScalarKind::Unicode(n), path),
                    StringMode::Bytes => scalar(ScalarKind::Bytes(n), path),
                }
            }
            Node::Bytes(traced) => scalar(ScalarKind::Bytes(width(*traced, path)), path),
            Node::ByteArray(n) => scalar(ScalarKind::Bytes(*n), path),
            Node::Record { kind, fields } => {
                let mut built = Vec::with_capacity(fields.len());
                for (i, (name, node)) in fields.iter().enumerate() {
                    let len = path.len();
                    push_field_name(path, *kind, i, name);
                    let dtype = node.dtype_at(path, options)?;
                    path.truncate(len);
                    let name = match kind {
                        RecordKind::Struct => (*name).to_owned(),
                        RecordKind::TupleStruct | RecordKind::Tuple => format!("f{i}"),
                    };
                    built.push((name, dtype));
                }
                Record::packed(built)
                    .map(DType::Record)
                    .map_err(|e| at(e, path))
            }
            Node::Array { len, elem } => {
                let (base, mut shape) = match elem.dtype_at(path, options)? {
                    DType::SubArray(inner) => (*inner.base, inner.shape),
                    base => (base, Vec::new()),
                };
                shape.insert(0, *len as u64);
                DType::subarray(base, shape).map_err(|e| at(e, path))
            }
        }
    }
}

/// Appends the dtype name of field `i` to a dotted path.
pub(crate) fn push_field_name(path: &mut String, kind: RecordKind, i: usize, name: &str) {
    use std::fmt::Write;
    if !path.is_empty() {
        path.push('.');
    }
    match kind {
        RecordKind::Struct => path.push_str(name),
        RecordKind::TupleStruct | RecordKind::Tuple => {
            let _ = write!(path, "f{i}");
        }
    }
}

/// A Rust-flavoured name of a scalar kind, for error messages.
pub(crate) fn describe_kind(kind: ScalarKind) -> String {
    match kind {
        ScalarKind::Bool => "bool".to_owned(),
        ScalarKind::Int(w) => format!("i{}", u32::from(w) * 8),
        ScalarKind::UInt(w) => format!("u{}", u32::from(w) * 8),
        ScalarKind::Float(w) => format!("f{}", u32::from(w) * 8),
        ScalarKind::Complex(w) => format!("Complex<f{}>", u32::from(w) * 4),
        ScalarKind::DateTime(u) if u.unit != TimeUnit::Generic => {
            format!("Datetime64<{}>", u.unit.as_str())
        }
        ScalarKind::TimeDelta(u) if u.unit != TimeUnit::Generic => {
            format!("Timedelta64<{}>", u.unit.as_str())
        }
        other => match Scalar::new(other, ByteOrder::NotApplicable) {
            Ok(s) => format!("a {s} value"),
            Err(_) => format!("{other:?}"),
        },
    }
}

/// Traces one row into `node` (building it when [`Node::Empty`], checking and widening it
/// otherwise). The error carries the field path but not the row. `path` is scratch space,
/// reused across rows so tracing many rows does not allocate.
pub(crate) fn trace_into<T: Serialize + ?Sized>(
    row: &T,
    node: &mut Node,
    options: &Options,
    path: &mut Vec<trace::Seg>,
) -> Result<()> {
    path.clear();
    row.serialize(Tracer::new(node, path, options))
}
