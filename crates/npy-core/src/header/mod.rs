//! The `.npy` header: magic, version, and the dict `{'descr', 'fortran_order', 'shape'}`.
//!
//! [`Header`] is the validated content; [`Header::to_bytes`] renders the exact prelude `np.save`
//! writes (see `encode.rs`), and [`read_header`] / [`parse_header`] read any header NumPy accepts
//! (see `decode.rs`).

mod decode;
mod encode;

pub use decode::{parse_header, read_header, ParsedHeader, ReadOptions};

use crate::dtype::DType;
use crate::error::{Error, ErrorKind, Result};

/// The six bytes every `.npy` file starts with.
pub const MAGIC: &[u8; 6] = b"\x93NUMPY";

/// A `.npy` format version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Version {
    /// 1.0: latin-1 header, 16-bit length. What NumPy writes whenever the header fits.
    V1,
    /// 2.0: latin-1 header, 32-bit length. Written when the header does not fit 65535 bytes.
    V2,
    /// 3.0: UTF-8 header, 32-bit length. Written only when a field name is not latin-1 encodable.
    V3,
}

impl Version {
    /// The `(major, minor)` bytes that follow the magic.
    pub const fn bytes(self) -> [u8; 2] {
        match self {
            Version::V1 => [1, 0],
            Version::V2 => [2, 0],
            Version::V3 => [3, 0],
        }
    }

    /// Size of the header-length field: 2 bytes for 1.0, 4 for 2.0 and 3.0.
    pub const fn length_field_size(self) -> usize {
        match self {
            Version::V1 => 2,
            Version::V2 | Version::V3 => 4,
        }
    }

    /// The version for a `(major, minor)` pair, if NumPy accepts it.
    pub fn from_bytes(major: u8, minor: u8) -> Result<Version> {
        match (major, minor) {
            (1, 0) => Ok(Version::V1),
            (2, 0) => Ok(Version::V2),
            (3, 0) => Ok(Version::V3),
            _ => Err(Error::new(
                ErrorKind::UnsupportedVersion,
                format!(
                    "we only support format version (1,0), (2,0), and (3,0), not ({major}, {minor})"
                ),
            )
            .at(6)),
        }
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let [major, minor] = self.bytes();
        write!(f, "{major}.{minor}")
    }
}

/// What a `.npy` header says about the array that follows it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Header {
    /// The element type.
    pub dtype: DType,
    /// Whether the data is stored in Fortran (column-major) order.
    pub fortran_order: bool,
    /// The array shape; empty for a 0-d array.
    pub shape: Vec<u64>,
}

impl Header {
    /// A C-order header.
    pub fn new(dtype: DType, shape: Vec<u64>) -> Header {
        Header {
            dtype,
            fortran_order: false,
            shape,
        }
    }

    /// The number of elements: the product of the shape (1 for a 0-d array).
    ///
    /// # Errors
    /// [`ErrorKind::Overflow`] when the product does not fit in a `u64`.
    pub fn element_count(&self) -> Result<u64> {
        checked_product(&self.shape).ok_or_else(|| {
            Error::new(
                ErrorKind::Overflow,
                format!(
                    "shape {:?} has more elements than fit in 64 bits",
                    self.shape
                ),
            )
        })
    }

    /// The number of data bytes: element count times itemsize.
    ///
    /// # Errors
    /// [`ErrorKind::Overflow`] when the size does not fit in a `u64`.
    pub fn data_len(&self) -> Result<u64> {
        let count = self.element_count()?;
        let itemsize = self.dtype.itemsize() as u64;
        count.checked_mul(itemsize).ok_or_else(|| {
            Error::new(
                ErrorKind::Overflow,
                format!(
                    "shape {:?} of {}-byte items is more bytes than fit in 64 bits",
                    self.shape, itemsize
                ),
            )
        })
    }

    /// Like [`Header::data_len`], but also checks the size fits in this machine's address space.
    pub fn data_len_usize(&self) -> Result<usize> {
        let len = self.data_len()?;
        usize::try_from(len).map_err(|_| {
            Error::new(
                ErrorKind::Overflow,
                format!("array of {len} bytes does not fit in this machine's memory"),
            )
        })
    }

    /// The axis an appender grows: the first in C order, the last in Fortran order.
    /// `None` for a 0-d array.
    pub fn growth_axis(&self) -> Option<usize> {
        if self.shape.is_empty() {
            None
        } else if self.fortran_order {
            Some(self.shape.len() - 1)
        } else {
            Some(0)
        }
    }

    /// Moves a top-level subarray dtype into the shape, as NumPy does when it saves
    /// `zeros(3, dtype=('<i4', (2,)))` as `'<i4'` with shape `(3, 2)`.
    pub fn absorb_subarray(mut self) -> Header {
        while let DType::SubArray(sub) = self.dtype {
            self.shape.extend_from_slice(&sub.shape);
            self.dtype = *sub.base;
        }
        self
    }

    /// Refuses dtypes whose data is a Python pickle rather than raw bytes (object arrays).
    ///
    /// # Errors
    /// [`ErrorKind::Unsupported`] when the dtype holds `|O` anywhere.
    pub fn require_raw_data(&self) -> Result<()> {
        if self.dtype.has_object() {
            return Err(Error::new(
                ErrorKind::Unsupported,
                "Object arrays are not supported: their data is a Python pickle, which npy-core \
                 neither executes nor writes",
            ));
        }
        Ok(())
    }

    /// Checks that `data` can follow this header: raw data (not objects), exactly
    /// [`Header::data_len`] bytes.
    ///
    /// # Errors
    /// [`ErrorKind::Unsupported`] for object dtypes, [`ErrorKind::InvalidArgument`] for a wrong
    /// length, [`ErrorKind::Overflow`] for an impossible size.
    pub fn check_data(&self, data: &[u8]) -> Result<()> {
        self.require_raw_data()?;
        let expected = self.data_len()?;
        if data.len() as u64 != expected {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                format!(
                    "shape {:?} of dtype {} needs {expected} bytes of data, got {}",
                    self.shape,
                    self.dtype,
                    data.len()
                ),
            ));
        }
        Ok(())
    }
}

/// The product of `dims`, or `None` on overflow. The product of no dims is 1.
pub(crate) fn checked_product(dims: &[u64]) -> Option<u64> {
    dims.iter().try_fold(1u64, |acc, &d| acc.checked_mul(d))
}
