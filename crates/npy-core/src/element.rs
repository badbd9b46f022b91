//! Rust types that map one-to-one onto NumPy scalar dtypes, for typed reads and writes.

use bytemuck::Pod;
use half::f16;
use num_complex::Complex;

use crate::dtype::{ByteOrder, DType, Scalar, ScalarKind};
use crate::error::{Error, ErrorKind, Result};

mod sealed {
    pub trait Sealed {}
}

/// A Rust type with a NumPy dtype: `bool`, the fixed-width integers, `f32`, `f64`,
/// [`half::f16`], and [`num_complex::Complex`] of `f32` / `f64`.
///
/// Typed reads accept the matching dtype in either byte order and convert to native order.
///
/// | Rust | descr |
/// |---|---|
/// | `bool` | `\|b1` |
/// | `i8`, `i16`, `i32`, `i64` | `\|i1`, `<i2`, `<i4`, `<i8` |
/// | `u8`, `u16`, `u32`, `u64` | `\|u1`, `<u2`, `<u4`, `<u8` |
/// | `f16`, `f32`, `f64` | `<f2`, `<f4`, `<f8` |
/// | `Complex<f32>`, `Complex<f64>` | `<c8`, `<c16` |
///
/// (`<` on little-endian machines, `>` on big-endian ones, as NumPy writes native arrays.)
pub trait Element: Copy + Send + Sync + 'static + sealed::Sealed {
    /// A plain-old-data type with the same size and bytes (`u8` for `bool`, `Self` otherwise).
    #[doc(hidden)]
    type Raw: Pod;
    /// The dtype kind this type reads and writes.
    const KIND: ScalarKind;

    /// The native-order dtype of this type.
    fn dtype() -> DType {
        DType::Scalar(
            Scalar::new(Self::KIND, ByteOrder::native()).expect("element kinds are valid"),
        )
    }

    /// Turns validated raw values into elements (rejects bool bytes other than 0 and 1).
    #[doc(hidden)]
    fn from_raw_vec(raw: Vec<Self::Raw>) -> Result<Vec<Self>>;

    /// Borrows a raw-value slice as elements (rejects bool bytes other than 0 and 1).
    #[doc(hidden)]
    fn from_raw_slice(raw: &[Self::Raw]) -> Result<&[Self]>;

    /// The elements' bytes in native order.
    #[doc(hidden)]
    fn as_bytes(data: &[Self]) -> &[u8];
}

macro_rules! pod_element {
    ($($ty:ty => $kind:expr),* $(,)?) => {$(
        impl sealed::Sealed for $ty {}
        impl Element for $ty {
            type Raw = $ty;
            const KIND: ScalarKind = $kind;
            fn from_raw_vec(raw: Vec<Self::Raw>) -> Result<Vec<Self>> {
                Ok(raw)
            }
            fn from_raw_slice(raw: &[Self::Raw]) -> Result<&[Self]> {
                Ok(raw)
            }
            fn as_bytes(data: &[Self]) -> &[u8] {
                bytemuck::cast_slice(data)
            }
        }
    )*};
}

pod_element! {
    i8 => ScalarKind::Int(1),
    i16 => ScalarKind::Int(2),
    i32 => ScalarKind::Int(4),
    i64 => ScalarKind::Int(8),
    u8 => ScalarKind::UInt(1),
    u16 => ScalarKind::UInt(2),
    u32 => ScalarKind::UInt(4),
    u64 => ScalarKind::UInt(8),
    f16 => ScalarKind::Float(2),
    f32 => ScalarKind::Float(4),
    f64 => ScalarKind::Float(8),
    Complex<f32> => ScalarKind::Complex(8),
    Complex<f64> => ScalarKind::Complex(16),
}

impl sealed::Sealed for bool {}
impl Element for bool {
    type Raw = u8;
    const KIND: ScalarKind = ScalarKind::Bool;

    fn from_raw_vec(raw: Vec<u8>) -> Result<Vec<bool>> {
        check_bools(&raw)?;
        // Same size and alignment, so this collects in place.
        Ok(raw.into_iter().map(|b| b != 0).collect())
    }

    fn from_raw_slice(raw: &[u8]) -> Result<&[bool]> {
        check_bools(raw)?;
        Ok(bytemuck::checked::cast_slice(raw))
    }

    fn as_bytes(data: &[bool]) -> &[u8] {
        bytemuck::cast_slice(data)
    }
}

fn check_bools(raw: &[u8]) -> Result<()> {
    match raw.iter().position(|&b| b > 1) {
        None => Ok(()),
        Some(i) => Err(Error::new(
            ErrorKind::InvalidData,
            format!(
                "bool element {i} has byte value {}; only 0 and 1 are valid (read the array as u8 to see raw bytes)",
                raw[i]
            ),
        )),
    }
}

/// Checks that `dtype` holds `T` values, in either byte order, and says whether a swap is needed.
pub(crate) fn check_element_dtype<T: Element>(dtype: &DType) -> Result<bool> {
    match dtype {
        DType::Scalar(s) if s.kind() == T::KIND => {
            Ok(s.order() != ByteOrder::NotApplicable && s.order() != ByteOrder::native())
        }
        _ => Err(Error::new(
            ErrorKind::TypeMismatch,
            format!(
                "array has dtype {dtype} but {} (dtype {}) was requested",
                std::any::type_name::<T>(),
                T::dtype()
            ),
        )),
    }
}
