//! The file's dtype, rearranged once per reader for decoding: a tree of [`Node`]s whose leaves
//! say in one byte how to read a value, and whose records hold the per-Rust-type plans
//! ([`super::plan`]) built on first use.

use std::cell::OnceCell;
use std::fmt;

use npy_core::{ByteOrder, DType, DateTimeUnit, Record, Scalar, ScalarKind};

use super::plan::{StructPlan, TuplePlan};

/// How to read one scalar value. One byte, so the hot `match` is a jump table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Code {
    Bool,
    I1,
    I2,
    I4,
    I8,
    U1,
    U2,
    U4,
    U8,
    F2,
    F4,
    F8,
    C8,
    C16,
    /// `S<n>`: NUL-padded bytes.
    Bytes,
    /// `U<n>`: NUL-padded UCS-4.
    Unicode,
    /// `V<n>`: raw bytes.
    Void,
    /// `M8[unit]` (an `i64` tick count).
    DateTime,
    /// `m8[unit]` (an `i64` tick count).
    TimeDelta,
    /// `f16`/`c32` (x86 long double) and `O`: recognised, never decoded.
    Unsupported,
    /// Only in [`Leaf::fast`]: the value is not in this machine's byte order.
    NonNative,
}

/// A scalar leaf of the dtype tree.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Leaf {
    pub(crate) code: Code,
    /// `code` when values are in this machine's byte order (or have none), else
    /// [`Code::NonNative`]: the one comparison of the fast paths.
    pub(crate) fast: Code,
    /// Whether multi-byte values are big-endian in the file.
    pub(crate) big: bool,
    /// Size in bytes.
    pub(crate) size: usize,
    /// The file's dtype, for messages and datetime units.
    pub(crate) scalar: Scalar,
}

impl Leaf {
    pub(crate) fn new(scalar: Scalar) -> Leaf {
        let code = match scalar.kind() {
            ScalarKind::Bool => Code::Bool,
            ScalarKind::Int(1) => Code::I1,
            ScalarKind::Int(2) => Code::I2,
            ScalarKind::Int(4) => Code::I4,
            ScalarKind::Int(8) => Code::I8,
            ScalarKind::UInt(1) => Code::U1,
            ScalarKind::UInt(2) => Code::U2,
            ScalarKind::UInt(4) => Code::U4,
            ScalarKind::UInt(8) => Code::U8,
            ScalarKind::Float(2) => Code::F2,
            ScalarKind::Float(4) => Code::F4,
            ScalarKind::Float(8) => Code::F8,
            ScalarKind::Complex(8) => Code::C8,
            ScalarKind::Complex(16) => Code::C16,
            ScalarKind::Bytes(_) => Code::Bytes,
            ScalarKind::Unicode(_) => Code::Unicode,
            ScalarKind::Void(_) => Code::Void,
            ScalarKind::DateTime(_) => Code::DateTime,
            ScalarKind::TimeDelta(_) => Code::TimeDelta,
            _ => Code::Unsupported,
        };
        let native =
            scalar.order() == ByteOrder::NotApplicable || scalar.order() == ByteOrder::native();
        Leaf {
            code,
            fast: if native { code } else { Code::NonNative },
            big: scalar.order() == ByteOrder::Big,
            size: scalar.itemsize(),
            scalar,
        }
    }

    /// The datetime unit of an `M8`/`m8` leaf.
    pub(crate) fn time_unit(&self) -> Option<DateTimeUnit> {
        match self.scalar.kind() {
            ScalarKind::DateTime(u) | ScalarKind::TimeDelta(u) => Some(u),
            _ => None,
        }
    }
}

impl fmt::Display for Leaf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.scalar)
    }
}

/// One field of a record node.
#[derive(Debug)]
pub(crate) struct FieldNode {
    pub(crate) name: String,
    pub(crate) title: Option<String>,
    pub(crate) offset: usize,
    pub(crate) node: Node,
    /// The field's dtype, from which plans build their own copies of `node`.
    pub(crate) dtype: DType,
}

/// A record: fields at offsets, plus the plans of the Rust types read from it.
#[derive(Debug)]
pub(crate) struct RecordNode {
    pub(crate) fields: Vec<FieldNode>,
    pub(crate) itemsize: usize,
    /// The descr, for messages.
    pub(crate) descr: String,
    /// The plan of the struct type read from this record (the usual case: one type per node).
    pub(crate) plan: OnceCell<StructPlan>,
    /// The field order of tuples read from this record.
    pub(crate) tuple: OnceCell<TuplePlan>,
}

impl RecordNode {
    /// The node of `record`, its plans not made yet.
    pub(crate) fn new(record: &Record) -> RecordNode {
        let fields = record
            .fields()
            .iter()
            .map(|f| FieldNode {
                name: f.name.clone(),
                title: f.title.clone(),
                offset: f.offset,
                node: Node::build(&f.dtype),
                dtype: f.dtype.clone(),
            })
            .collect();
        RecordNode {
            fields,
            itemsize: record.itemsize(),
            descr: DType::Record(record.clone()).descr(),
            plan: OnceCell::new(),
            tuple: OnceCell::new(),
        }
    }

    /// The index of the field named `name`, else of the field titled `name`.
    pub(crate) fn find(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.name == name).or_else(|| {
            self.fields
                .iter()
                .position(|f| f.title.as_deref() == Some(name))
        })
    }
}

/// A fixed-shape block of `base` elements: a subarray field, or the rows of a
/// multi-dimensional plain array. Nested subarrays are flattened into one shape, as NumPy does.
#[derive(Debug)]
pub(crate) struct SubNode {
    pub(crate) base: Node,
    pub(crate) dims: Vec<u64>,
    /// Byte stride of each axis.
    pub(crate) strides: Vec<usize>,
    /// The descr, for messages.
    pub(crate) descr: String,
}

impl SubNode {
    /// A C-contiguous block.
    pub(crate) fn contiguous(base: Node, dims: Vec<u64>, descr: String) -> SubNode {
        let strides = c_strides(&dims, base.size());
        SubNode {
            base,
            dims,
            strides,
            descr,
        }
    }

    /// The number of elements from axis `level` on.
    pub(crate) fn count_from(&self, level: usize) -> u64 {
        self.dims[level..].iter().product()
    }

    /// The shape from axis `level` on, as NumPy prints it.
    pub(crate) fn shape_text(&self, level: usize) -> String {
        shape_text(&self.dims[level..])
    }
}

/// A node of the dtype tree.
#[derive(Debug)]
pub(crate) enum Node {
    Leaf(Leaf),
    Record(Box<RecordNode>),
    Sub(Box<SubNode>),
}

impl Node {
    /// Builds the tree of a dtype.
    pub(crate) fn build(dtype: &DType) -> Node {
        match dtype {
            DType::Scalar(s) => Node::Leaf(Leaf::new(*s)),
            DType::Record(r) => Node::Record(Box::new(RecordNode::new(r))),
            DType::SubArray(sub) => {
                // Flatten ((base, inner), outer) into (base, outer + inner).
                let mut dims = sub.shape.clone();
                let mut base: &DType = &sub.base;
                while let DType::SubArray(inner) = base {
                    dims.extend_from_slice(&inner.shape);
                    base = &inner.base;
                }
                let base = Node::build(base);
                Node::Sub(Box::new(SubNode::contiguous(base, dims, dtype.descr())))
            }
        }
    }

    /// Bytes of one value.
    pub(crate) fn size(&self) -> usize {
        match self {
            Node::Leaf(l) => l.size,
            Node::Record(r) => r.itemsize,
            Node::Sub(s) => {
                let n: u64 = s.dims.iter().product();
                (n as usize).saturating_mul(s.base.size())
            }
        }
    }

    /// The dtype as a descr, for messages.
    pub(crate) fn describe(&self) -> String {
        match self {
            Node::Leaf(l) => format!("'{l}'"),
            Node::Record(r) => r.descr.clone(),
            Node::Sub(s) => s.descr.clone(),
        }
    }
}

/// Byte strides of a C-order block of `dims` with `elem`-byte elements.
pub(crate) fn c_strides(dims: &[u64], elem: usize) -> Vec<usize> {
    let mut strides = vec![0usize; dims.len()];
    let mut stride = elem;
    for axis in (0..dims.len()).rev() {
        strides[axis] = stride;
        stride = stride.saturating_mul(dims[axis] as usize);
    }
    strides
}

/// Byte strides of a Fortran-order block of `dims` with `elem`-byte elements.
pub(crate) fn f_strides(dims: &[u64], elem: usize) -> Vec<usize> {
    let mut strides = vec![0usize; dims.len()];
    let mut stride = elem;
    for axis in 0..dims.len() {
        strides[axis] = stride;
        stride = stride.saturating_mul(dims[axis] as usize);
    }
    strides
}

/// A shape as Python prints a tuple: `(3,)`, `(2, 3)`.
pub(crate) fn shape_text(dims: &[u64]) -> String {
    match dims {
        [d] => format!("({d},)"),
        _ => {
            let parts: Vec<String> = dims.iter().map(u64::to_string).collect();
            format!("({})", parts.join(", "))
        }
    }
}
