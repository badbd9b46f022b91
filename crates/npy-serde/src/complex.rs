//! Complex numbers as NumPy `c8` / `c16` fields: `#[serde(with = "npy_serde::complex")]`.
//!
//! `num_complex::Complex<T>` serializes itself as a plain `(re, im)` tuple, which npy-serde
//! would store as a two-element subarray (`('<f8', (2,))`). With this module the field crosses
//! serde as a newtype struct named [`COMPLEX`] around that tuple, which
//! npy-serde writes and reads as `<c8` (`Complex<f32>`) or `<c16` (`Complex<f64>`). Other
//! serde formats see the newtype's content, the `(re, im)` tuple.
//!
//! ```
//! use num_complex::Complex;
//! use serde::Serialize;
//!
//! #[derive(Serialize)]
//! struct Sample {
//!     #[serde(with = "npy_serde::complex")]
//!     z: Complex<f64>,
//! }
//!
//! let bytes = npy_serde::to_vec(&[Sample { z: Complex::new(1.0, -2.0) }])?;
//! assert!(bytes[10..].starts_with(b"{'descr': [('z', '<c16')],"));
//! assert_eq!(&bytes[128..136], &1.0f64.to_le_bytes());
//! # Ok::<(), npy_serde::Error>(())
//! ```

use std::fmt;
use std::marker::PhantomData;

use num_complex::Complex;
use serde::de::{self, Deserialize, Deserializer, SeqAccess, Visitor};
use serde::ser::{Serialize, Serializer};

use crate::tokens::COMPLEX;

/// Serializes a complex number as the newtype struct [`COMPLEX`] around `(re, im)`.
///
/// # Errors
///
/// Those of the serializer.
pub fn serialize<T: Serialize, S: Serializer>(
    value: &Complex<T>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_newtype_struct(COMPLEX, &(&value.re, &value.im))
}

/// Deserializes a complex number from the newtype struct [`COMPLEX`] around `(re, im)` (or,
/// for formats that do not keep newtypes, from the `(re, im)` tuple itself).
///
/// # Errors
///
/// Those of the deserializer, or a value that is not a pair.
pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Complex<T>, D::Error> {
    deserializer.deserialize_newtype_struct(COMPLEX, ComplexVisitor(PhantomData))
}

struct ComplexVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ComplexVisitor<T> {
    type Value = Complex<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a complex number as a (re, im) pair")
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Complex<T>, D::Error> {
        let (re, im) = <(T, T)>::deserialize(d)?;
        Ok(Complex::new(re, im))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Complex<T>, A::Error> {
        let re = seq
            .next_element()?
            .ok_or_else(|| de::Error::invalid_length(0, &self))?;
        let im = seq
            .next_element()?
            .ok_or_else(|| de::Error::invalid_length(1, &self))?;
        Ok(Complex::new(re, im))
    }
}
