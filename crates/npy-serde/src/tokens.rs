//! Reserved serde names through which NumPy-specific types cross serde's data model.
//!
//! The serializer and deserializer of this crate look for these names in
//! `serialize_newtype_struct` / `deserialize_newtype_struct`.

/// `Datetime64<U>` is a newtype struct named `$npy_serde::M8[<unit>]` around an `i64`.
pub const DATETIME_PREFIX: &str = "$npy_serde::M8[";
/// `Timedelta64<U>` is a newtype struct named `$npy_serde::m8[<unit>]` around an `i64`.
pub const TIMEDELTA_PREFIX: &str = "$npy_serde::m8[";
/// Complex numbers (through [`crate::complex`]) are a newtype struct of this name around a
/// `(re, im)` tuple.
pub const COMPLEX: &str = "$npy_serde::complex";
/// `half::f16` serializes itself as a newtype struct of this name around its `u16` bits.
pub const HALF_F16: &str = "f16";
