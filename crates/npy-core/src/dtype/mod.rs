//! The dtype model: every dtype NumPy writes to a `.npy` header, as a Rust value.
//!
//! [`DType`] converts from a parsed `descr` ([`DType::from_descr`]) the way NumPy's
//! `descr_to_dtype` does (padding entries dropped, offsets kept) and back to the exact text
//! `dtype.descr` / `dtype.str` produce ([`DType::descr`]), and converts data between byte orders
//! ([`DType::swap_to`]).
//!
//! Every constructor ([`Scalar::new`], [`Record::new`], [`SubArray::new`]) enforces the limits
//! NumPy places on a dtype it can save and load: valid widths, fields in order without overlap,
//! unique names and titles, sizes within a C `int` ([`MAX_ITEMSIZE`]), and bounded nesting
//! ([`MAX_NESTING_DEPTH`]). Size arithmetic on a constructed dtype therefore cannot overflow.

mod descr_parse;
mod descr_write;
mod limits;
mod props;
mod record;
mod scalar;
mod subarray;
mod swap;
mod time_unit;
mod type_str;
mod value_repr;

pub use limits::{MAX_ITEMSIZE, MAX_NESTING_DEPTH, MAX_SUBARRAY_NDIM};

/// Byte order of a scalar dtype, as written in a descr.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ByteOrder {
    /// `<`
    Little,
    /// `>`
    Big,
    /// `|`: the type has no byte order (one-byte types, bytes, void).
    NotApplicable,
}

impl ByteOrder {
    /// The byte order of this machine (`Little` or `Big`), which NumPy's `=` means.
    pub const fn native() -> ByteOrder {
        if cfg!(target_endian = "big") {
            ByteOrder::Big
        } else {
            ByteOrder::Little
        }
    }

    /// The descr character: `<`, `>` or `|`.
    pub const fn as_char(self) -> char {
        match self {
            ByteOrder::Little => '<',
            ByteOrder::Big => '>',
            ByteOrder::NotApplicable => '|',
        }
    }
}

/// A datetime64 / timedelta64 unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimeUnit {
    /// No unit: `M8` / `m8` (NumPy's "generic").
    Generic,
    /// `Y`
    Years,
    /// `M`
    Months,
    /// `W`
    Weeks,
    /// `D`
    Days,
    /// `h`
    Hours,
    /// `m`
    Minutes,
    /// `s`
    Seconds,
    /// `ms`
    Milliseconds,
    /// `us` (also read as `μs`)
    Microseconds,
    /// `ns`
    Nanoseconds,
    /// `ps`
    Picoseconds,
    /// `fs`
    Femtoseconds,
    /// `as`
    Attoseconds,
}

/// A datetime unit with its multiplier: `[25s]` is `{ unit: Seconds, multiplier: 25 }`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateTimeUnit {
    /// The base unit.
    pub unit: TimeUnit,
    /// How many base units one tick is (1 for plain units; 1 for generic).
    pub multiplier: u64,
}

/// The kind and width of a non-structured dtype.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ScalarKind {
    /// `b1`
    Bool,
    /// `i1`, `i2`, `i4`, `i8` (width in bytes)
    Int(u8),
    /// `u1`, `u2`, `u4`, `u8`
    UInt(u8),
    /// `f2`, `f4`, `f8`, and `f16` (x86 long double, kept as raw bytes)
    Float(u8),
    /// `c8`, `c16`, and `c32` (complex long double, kept as raw bytes)
    Complex(u8),
    /// `S<n>`: n bytes, NUL-padded
    Bytes(usize),
    /// `U<n>`: n UCS-4 code units (4n bytes)
    Unicode(usize),
    /// `V<n>`: n raw bytes
    Void(usize),
    /// `M8[unit]`
    DateTime(DateTimeUnit),
    /// `m8[unit]`
    TimeDelta(DateTimeUnit),
    /// `O`: Python objects (pickled). Recognised so it can be reported; never read or written.
    Object,
}

/// A non-structured dtype: a kind plus a byte order.
///
/// The byte order is normalised on construction: kinds without one (one-byte types, `S`, `V`)
/// always carry [`ByteOrder::NotApplicable`], as NumPy writes them with `|`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Scalar {
    kind: ScalarKind,
    order: ByteOrder,
}

/// One named field of a record dtype.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Field {
    /// The field name (any characters, may be empty for a non-padding field).
    pub name: String,
    /// The optional title (`(('title', 'name'), fmt)` in a descr).
    pub title: Option<String>,
    /// The field's dtype (may be a record or a subarray).
    pub dtype: DType,
    /// Byte offset of the field within one record.
    pub offset: usize,
}

/// A structured (record) dtype: named fields at offsets within an item of `itemsize` bytes.
///
/// Gaps between fields are padding; NumPy writes them as `('', '|Vn')` entries and drops them on read.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Record {
    fields: Vec<Field>,
    itemsize: usize,
}

/// A fixed-shape subarray dtype, as used by record fields: `('name', '<f8', (2, 3))`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SubArray {
    /// The element dtype.
    pub base: Box<DType>,
    /// The subarray shape.
    pub shape: Vec<u64>,
}

/// A NumPy dtype as it appears in a `.npy` header.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum DType {
    /// A scalar type such as `<f8` or `|S5`.
    Scalar(Scalar),
    /// A structured type.
    Record(Record),
    /// A subarray; appears as a record field type (a top-level tuple descr is also read).
    SubArray(SubArray),
}
