//! Constructors and whole-dtype queries on [`DType`]: size, nesting, objects, byte order.

use super::{subarray, ByteOrder, DType, Field, Record, Scalar, ScalarKind, SubArray};
use crate::error::Result;

impl DType {
    /// A scalar dtype; see [`Scalar::new`] for the validation and byte-order normalisation.
    ///
    /// # Errors
    ///
    /// As [`Scalar::new`].
    pub fn scalar(kind: ScalarKind, order: ByteOrder) -> Result<DType> {
        Scalar::new(kind, order).map(DType::Scalar)
    }

    /// A scalar dtype in this machine's byte order (`|` for kinds without one).
    ///
    /// # Errors
    ///
    /// As [`Scalar::new`].
    pub fn native(kind: ScalarKind) -> Result<DType> {
        Scalar::native(kind).map(DType::Scalar)
    }

    /// The size of one element in bytes, padding and subarray elements included.
    ///
    /// Every dtype built through the checked constructors is at most
    /// [`MAX_ITEMSIZE`](super::MAX_ITEMSIZE) bytes, so this is exact and cannot overflow. A
    /// [`SubArray`] assembled by hand from its public fields is not checked: its size saturates
    /// at `usize::MAX` (use [`DType::validate`] on dtypes from untrusted code).
    pub fn itemsize(&self) -> usize {
        match self {
            DType::Scalar(s) => s.itemsize(),
            DType::Record(r) => r.itemsize(),
            DType::SubArray(s) => s.itemsize(),
        }
    }

    /// Checks the invariants the constructors establish, for dtypes containing a [`SubArray`]
    /// built directly from its public fields (scalars and records cannot be built unchecked).
    ///
    /// # Errors
    ///
    /// As [`SubArray::new`].
    pub fn validate(&self) -> Result<()> {
        match self {
            // Fields were validated when the record was built.
            DType::Scalar(_) | DType::Record(_) => Ok(()),
            DType::SubArray(s) => subarray::check(&s.base, &s.shape),
        }
    }

    /// Nesting depth: 1 for a scalar, 1 + the deepest field or base otherwise.
    pub(crate) fn depth(&self) -> usize {
        match self {
            DType::Scalar(_) => 1,
            DType::Record(r) => {
                1 + r
                    .fields()
                    .iter()
                    .map(|f| f.dtype.depth())
                    .max()
                    .unwrap_or(0)
            }
            DType::SubArray(s) => 1 + s.base.depth(),
        }
    }

    /// Whether any scalar inside is an object (`O`), as NumPy's `dtype.hasobject`.
    pub fn has_object(&self) -> bool {
        match self {
            DType::Scalar(s) => s.kind() == ScalarKind::Object,
            DType::Record(r) => r.fields().iter().any(|f| f.dtype.has_object()),
            DType::SubArray(s) => s.base.has_object(),
        }
    }

    /// Whether every scalar inside is in this machine's byte order or has none.
    ///
    /// Unlike NumPy's `dtype.isnative`, this looks inside subarrays: NumPy reports
    /// `dtype(('>i4', (2,))).isnative` as `True` on a little-endian host.
    pub fn is_native(&self) -> bool {
        match self {
            DType::Scalar(s) => s.is_native(),
            DType::Record(r) => r.fields().iter().all(|f| f.dtype.is_native()),
            DType::SubArray(s) => s.base.is_native(),
        }
    }

    /// The same dtype with every scalar that has a byte order set to `order`, recursively
    /// through record fields and subarrays (NumPy's `newbyteorder`). Offsets, names and sizes are
    /// unchanged. A [`ByteOrder::NotApplicable`] target returns the dtype unchanged.
    #[must_use]
    pub fn with_byte_order(&self, order: ByteOrder) -> DType {
        match self {
            DType::Scalar(s) => DType::Scalar(s.with_byte_order(order)),
            DType::Record(r) => DType::Record(Record {
                fields: r
                    .fields()
                    .iter()
                    .map(|f| Field {
                        name: f.name.clone(),
                        title: f.title.clone(),
                        dtype: f.dtype.with_byte_order(order),
                        offset: f.offset,
                    })
                    .collect(),
                itemsize: r.itemsize(),
            }),
            DType::SubArray(s) => DType::SubArray(SubArray {
                base: Box::new(s.base.with_byte_order(order)),
                shape: s.shape.clone(),
            }),
        }
    }
}

impl From<Scalar> for DType {
    fn from(scalar: Scalar) -> DType {
        DType::Scalar(scalar)
    }
}

impl From<Record> for DType {
    fn from(record: Record) -> DType {
        DType::Record(record)
    }
}

impl From<SubArray> for DType {
    fn from(subarray: SubArray) -> DType {
        DType::SubArray(subarray)
    }
}
