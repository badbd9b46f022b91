//! A dynamically typed element, read and written through npyz's own element readers/writers.
//!
//! npyz maps dtypes to Rust types chosen at compile time (derives for records). The corpus needs
//! every dtype at run time, so `Node` implements npyz's public `Deserialize`/`Serialize` traits by
//! picking, for each scalar in the dtype, the Rust type npyz documents for it and delegating the
//! bytes to that type's npyz reader or writer. Only the choice of type is ours.

use std::io;

use npyz::half::f16;
use npyz::num_complex::{Complex32, Complex64};
use npyz::{DType, DTypeError, Deserialize, Serialize, TypeChar, TypeRead, TypeStr, TypeWrite};

/// One array element, as npyz returned it.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Bool(bool),
    /// Signed integers, `datetime64` and `timedelta64`.
    Int(i64),
    UInt(u64),
    /// IEEE bit pattern and width in bytes.
    Float(u64, usize),
    /// Real and imaginary bit patterns and the width of one part in bytes.
    Complex(u64, u64, usize),
    /// `S` (trailing NULs already stripped by npyz) or `V` (all bytes).
    Bytes(Vec<u8>),
    /// `U`: code points, trailing NULs stripped by npyz.
    Text(Vec<u32>),
    /// Fields in dtype order, padding fields included.
    Record(Vec<FieldValue>),
    /// A subarray field's elements along its first axis.
    Array(Vec<Node>),
}

/// One field of a record element.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldValue {
    pub name: String,
    /// NumPy drops this field on load (see [`is_padding`]); its bytes are still read/written.
    pub padding: bool,
    pub value: Node,
}

/// NumPy's rule for padding: an unnamed field of plain void type (or a subarray of it).
pub fn is_padding(name: &str, dtype: &DType) -> bool {
    let mut inner = dtype;
    while let DType::Array(_, elem) = inner {
        inner = elem;
    }
    name.is_empty() && matches!(inner, DType::Plain(ts) if ts.type_char() == TypeChar::RawData)
}

/// The error npyz's traits expect; everything raised here means "npyz has no Rust type for it".
fn no_rust_type(ts: &TypeStr) -> DTypeError {
    DTypeError::custom(format!("npyz has no Rust element type for '{ts}'"))
}

type R<T> = <T as Deserialize>::TypeReader;
type W<T> = <T as Serialize>::TypeWriter;

/// Reads one element by delegating to npyz's reader for the chosen Rust type.
pub enum NodeReader {
    Bool(R<bool>),
    I8(R<i8>),
    I16(R<i16>),
    I32(R<i32>),
    I64(R<i64>),
    U8(R<u8>),
    U16(R<u16>),
    U32(R<u32>),
    U64(R<u64>),
    F16(R<f16>),
    F32(R<f32>),
    F64(R<f64>),
    C64(R<Complex32>),
    C128(R<Complex64>),
    Bytes(R<Vec<u8>>),
    Text(R<Vec<u32>>),
    Record(Vec<(String, bool, NodeReader)>),
    Array(u64, Box<NodeReader>),
}

impl Deserialize for Node {
    type TypeReader = NodeReader;

    fn reader(dtype: &DType) -> Result<NodeReader, DTypeError> {
        use NodeReader as N;
        Ok(match dtype {
            DType::Plain(ts) => match (ts.type_char(), ts.size_field()) {
                (TypeChar::Bool, _) => N::Bool(bool::reader(dtype)?),
                (TypeChar::Int, 1) => N::I8(i8::reader(dtype)?),
                (TypeChar::Int, 2) => N::I16(i16::reader(dtype)?),
                (TypeChar::Int, 4) => N::I32(i32::reader(dtype)?),
                (TypeChar::Int, 8) => N::I64(i64::reader(dtype)?),
                (TypeChar::Uint, 1) => N::U8(u8::reader(dtype)?),
                (TypeChar::Uint, 2) => N::U16(u16::reader(dtype)?),
                (TypeChar::Uint, 4) => N::U32(u32::reader(dtype)?),
                (TypeChar::Uint, 8) => N::U64(u64::reader(dtype)?),
                (TypeChar::Float, 2) => N::F16(f16::reader(dtype)?),
                (TypeChar::Float, 4) => N::F32(f32::reader(dtype)?),
                (TypeChar::Float, 8) => N::F64(f64::reader(dtype)?),
                (TypeChar::Complex, 8) => N::C64(Complex32::reader(dtype)?),
                (TypeChar::Complex, 16) => N::C128(Complex64::reader(dtype)?),
                // npyz documents i64 as the type for both time kinds.
                (TypeChar::DateTime | TypeChar::TimeDelta, _) => N::I64(i64::reader(dtype)?),
                (TypeChar::ByteStr | TypeChar::RawData, _) => N::Bytes(<Vec<u8>>::reader(dtype)?),
                // Vec<u32> is npyz's "most general type to read U" (keeps surrogates).
                (TypeChar::UnicodeStr, _) => N::Text(<Vec<u32>>::reader(dtype)?),
                _ => return Err(no_rust_type(ts)),
            },
            DType::Record(fields) => N::Record(
                fields
                    .iter()
                    .map(|f| {
                        let padding = is_padding(&f.name, &f.dtype);
                        Ok((f.name.clone(), padding, Node::reader(&f.dtype)?))
                    })
                    .collect::<Result<_, DTypeError>>()?,
            ),
            DType::Array(n, inner) => N::Array(*n, Box::new(Node::reader(inner)?)),
        })
    }
}

impl NodeReader {
    fn holds_no_elements(&self) -> bool {
        match self {
            NodeReader::Array(0, _) => true,
            NodeReader::Array(_, inner) => inner.holds_no_elements(),
            _ => false,
        }
    }

    // A trait object keeps the recursion (records, subarrays) from instantiating
    // `read_one::<&mut &mut ... R>` forever.
    fn read_dyn(&self, r: &mut dyn io::Read) -> io::Result<Node> {
        use NodeReader as N;
        Ok(match self {
            N::Bool(x) => Node::Bool(x.read_one(&mut *r)?),
            N::I8(x) => Node::Int(x.read_one(&mut *r)?.into()),
            N::I16(x) => Node::Int(x.read_one(&mut *r)?.into()),
            N::I32(x) => Node::Int(x.read_one(&mut *r)?.into()),
            N::I64(x) => Node::Int(x.read_one(&mut *r)?),
            N::U8(x) => Node::UInt(x.read_one(&mut *r)?.into()),
            N::U16(x) => Node::UInt(x.read_one(&mut *r)?.into()),
            N::U32(x) => Node::UInt(x.read_one(&mut *r)?.into()),
            N::U64(x) => Node::UInt(x.read_one(&mut *r)?),
            N::F16(x) => Node::Float(x.read_one(&mut *r)?.to_bits().into(), 2),
            N::F32(x) => Node::Float(x.read_one(&mut *r)?.to_bits().into(), 4),
            N::F64(x) => Node::Float(x.read_one(&mut *r)?.to_bits(), 8),
            N::C64(x) => {
                let c = x.read_one(&mut *r)?;
                Node::Complex(c.re.to_bits().into(), c.im.to_bits().into(), 4)
            }
            N::C128(x) => {
                let c = x.read_one(&mut *r)?;
                Node::Complex(c.re.to_bits(), c.im.to_bits(), 8)
            }
            N::Bytes(x) => Node::Bytes(x.read_one(&mut *r)?),
            N::Text(x) => Node::Text(x.read_one(&mut *r)?),
            N::Record(fields) => {
                let mut out = Vec::with_capacity(fields.len());
                for (name, padding, field) in fields {
                    out.push(FieldValue {
                        name: name.clone(),
                        padding: *padding,
                        value: field.read_dyn(r)?,
                    });
                }
                Node::Record(out)
            }
            // Nothing to read; the document gives such a subarray as [] anyway.
            N::Array(..) if self.holds_no_elements() => Node::Array(Vec::new()),
            N::Array(n, inner) => {
                let mut out = Vec::new();
                for _ in 0..*n {
                    out.push(inner.read_dyn(r)?);
                }
                Node::Array(out)
            }
        })
    }
}

impl TypeRead for NodeReader {
    type Value = Node;

    fn read_one<Rd: io::Read>(&self, mut reader: Rd) -> io::Result<Node> {
        self.read_dyn(&mut reader)
    }
}

/// Writes one element by delegating to npyz's writer for the chosen Rust type.
pub enum NodeWriter {
    Bool(W<bool>),
    I8(W<i8>),
    I16(W<i16>),
    I32(W<i32>),
    I64(W<i64>),
    U8(W<u8>),
    U16(W<u16>),
    U32(W<u32>),
    U64(W<u64>),
    F16(W<f16>),
    F32(W<f32>),
    F64(W<f64>),
    C64(W<Complex32>),
    C128(W<Complex64>),
    Bytes(W<[u8]>),
    Text(W<[u32]>),
    Record(Vec<NodeWriter>),
    Array(u64, Box<NodeWriter>),
}

impl Serialize for Node {
    type TypeWriter = NodeWriter;

    fn writer(dtype: &DType) -> Result<NodeWriter, DTypeError> {
        use NodeWriter as N;
        Ok(match dtype {
            DType::Plain(ts) => match (ts.type_char(), ts.size_field()) {
                (TypeChar::Bool, _) => N::Bool(bool::writer(dtype)?),
                (TypeChar::Int, 1) => N::I8(i8::writer(dtype)?),
                (TypeChar::Int, 2) => N::I16(i16::writer(dtype)?),
                (TypeChar::Int, 4) => N::I32(i32::writer(dtype)?),
                (TypeChar::Int, 8) => N::I64(i64::writer(dtype)?),
                (TypeChar::Uint, 1) => N::U8(u8::writer(dtype)?),
                (TypeChar::Uint, 2) => N::U16(u16::writer(dtype)?),
                (TypeChar::Uint, 4) => N::U32(u32::writer(dtype)?),
                (TypeChar::Uint, 8) => N::U64(u64::writer(dtype)?),
                (TypeChar::Float, 2) => N::F16(f16::writer(dtype)?),
                (TypeChar::Float, 4) => N::F32(f32::writer(dtype)?),
                (TypeChar::Float, 8) => N::F64(f64::writer(dtype)?),
                (TypeChar::Complex, 8) => N::C64(Complex32::writer(dtype)?),
                (TypeChar::Complex, 16) => N::C128(Complex64::writer(dtype)?),
                (TypeChar::DateTime | TypeChar::TimeDelta, _) => N::I64(i64::writer(dtype)?),
                (TypeChar::ByteStr | TypeChar::RawData, _) => N::Bytes(<[u8]>::writer(dtype)?),
                (TypeChar::UnicodeStr, _) => N::Text(<[u32]>::writer(dtype)?),
                _ => return Err(no_rust_type(ts)),
            },
            DType::Record(fields) => N::Record(
                fields
                    .iter()
                    .map(|f| Node::writer(&f.dtype))
                    .collect::<Result<_, DTypeError>>()?,
            ),
            DType::Array(n, inner) => N::Array(*n, Box::new(Node::writer(inner)?)),
        })
    }
}

fn mismatch(what: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("value does not fit the dtype: {what}"),
    )
}

fn narrow<T: TryFrom<i64>>(v: i64) -> io::Result<T> {
    T::try_from(v).map_err(|_| mismatch("integer out of range"))
}

fn narrow_u<T: TryFrom<u64>>(v: u64) -> io::Result<T> {
    T::try_from(v).map_err(|_| mismatch("integer out of range"))
}

impl NodeWriter {
    fn holds_no_elements(&self) -> bool {
        match self {
            NodeWriter::Array(0, _) => true,
            NodeWriter::Array(_, inner) => inner.holds_no_elements(),
            _ => false,
        }
    }

    fn write_dyn(&self, w: &mut dyn io::Write, value: &Node) -> io::Result<()> {
        use NodeWriter as N;
        match (self, value) {
            (N::Bool(x), Node::Bool(v)) => x.write_one(w, v),
            (N::I8(x), Node::Int(v)) => x.write_one(w, &narrow(*v)?),
            (N::I16(x), Node::Int(v)) => x.write_one(w, &narrow(*v)?),
            (N::I32(x), Node::Int(v)) => x.write_one(w, &narrow(*v)?),
            (N::I64(x), Node::Int(v)) => x.write_one(w, v),
            (N::U8(x), Node::UInt(v)) => x.write_one(w, &narrow_u(*v)?),
            (N::U16(x), Node::UInt(v)) => x.write_one(w, &narrow_u(*v)?),
            (N::U32(x), Node::UInt(v)) => x.write_one(w, &narrow_u(*v)?),
            (N::U64(x), Node::UInt(v)) => x.write_one(w, v),
            (N::F16(x), Node::Float(bits, 2)) => x.write_one(w, &f16::from_bits(narrow_u(*bits)?)),
            (N::F32(x), Node::Float(bits, 4)) => x.write_one(w, &f32::from_bits(narrow_u(*bits)?)),
            (N::F64(x), Node::Float(bits, 8)) => x.write_one(w, &f64::from_bits(*bits)),
            (N::C64(x), Node::Complex(re, im, 4)) => x.write_one(
                w,
                &Complex32::new(
                    f32::from_bits(narrow_u(*re)?),
                    f32::from_bits(narrow_u(*im)?),
                ),
            ),
            (N::C128(x), Node::Complex(re, im, 8)) => {
                x.write_one(w, &Complex64::new(f64::from_bits(*re), f64::from_bits(*im)))
            }
            (N::Bytes(x), Node::Bytes(v)) => x.write_one(w, v),
            (N::Text(x), Node::Text(v)) => x.write_one(w, v),
            (N::Record(xs), Node::Record(vs)) if xs.len() == vs.len() => {
                for (x, v) in xs.iter().zip(vs) {
                    x.write_dyn(w, &v.value)?;
                }
                Ok(())
            }
            // A subarray without elements is given as an empty list whatever its shape.
            (N::Array(..), Node::Array(vs)) if vs.is_empty() && self.holds_no_elements() => Ok(()),
            (N::Array(n, x), Node::Array(vs)) if u64::try_from(vs.len()).ok() == Some(*n) => {
                for v in vs {
                    x.write_dyn(w, v)?;
                }
                Ok(())
            }
            _ => Err(mismatch("kind differs")),
        }
    }
}

impl TypeWrite for NodeWriter {
    type Value = Node;

    fn write_one<Wr: io::Write>(&self, mut writer: Wr, value: &Node) -> io::Result<()> {
        self.write_dyn(&mut writer, value)
    }
}
