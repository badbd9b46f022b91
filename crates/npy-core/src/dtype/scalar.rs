//! Constructing and inspecting [`Scalar`] dtypes: width validation, byte-order normalisation,
//! and `dtype.str` as text.

use std::fmt;

use super::limits::MAX_ITEMSIZE;
use super::{ByteOrder, Scalar, ScalarKind};
use crate::error::{Error, ErrorKind, Result};

impl ScalarKind {
    /// Whether values of this kind have a byte order (`<` / `>`) in a descr.
    ///
    /// True for multi-byte integers, floats and complexes, `U`, `M8` and `m8`; false for `b1`,
    /// `i1`, `u1`, `S`, `V` and `O`, which NumPy writes with `|`.
    pub const fn has_byte_order(&self) -> bool {
        match *self {
            ScalarKind::Int(w) | ScalarKind::UInt(w) | ScalarKind::Float(w) => w > 1,
            ScalarKind::Complex(_)
            | ScalarKind::Unicode(_)
            | ScalarKind::DateTime(_)
            | ScalarKind::TimeDelta(_) => true,
            ScalarKind::Bool | ScalarKind::Bytes(_) | ScalarKind::Void(_) | ScalarKind::Object => {
                false
            }
        }
    }

    /// Checks the width and normalises the datetime unit; see [`Scalar::new`].
    fn validated(self) -> Result<ScalarKind> {
        let invalid = |what: &str, width: u8, allowed: &str| {
            Error::new(
                ErrorKind::InvalidArgument,
                format!("invalid width {width} for {what} dtype (expected {allowed} bytes)"),
            )
        };
        let too_big = |n: usize, unit: usize| {
            Error::new(
                ErrorKind::Overflow,
                format!(
                    "dtype of {n} items of {unit} bytes is larger than {MAX_ITEMSIZE} bytes \
                     (NumPy: dtype size in bytes must fit into a C int)"
                ),
            )
        };
        match self {
            ScalarKind::Int(w) if !matches!(w, 1 | 2 | 4 | 8) => {
                Err(invalid("an integer", w, "1, 2, 4 or 8"))
            }
            ScalarKind::UInt(w) if !matches!(w, 1 | 2 | 4 | 8) => {
                Err(invalid("an unsigned integer", w, "1, 2, 4 or 8"))
            }
            ScalarKind::Float(w) if !matches!(w, 2 | 4 | 8 | 16) => {
                Err(invalid("a float", w, "2, 4, 8 or 16"))
            }
            ScalarKind::Complex(w) if !matches!(w, 8 | 16 | 32) => {
                Err(invalid("a complex", w, "8, 16 or 32"))
            }
            ScalarKind::Bytes(n) | ScalarKind::Void(n) if n > MAX_ITEMSIZE => Err(too_big(n, 1)),
            ScalarKind::Unicode(n) if n > MAX_ITEMSIZE / 4 => Err(too_big(n, 4)),
            ScalarKind::DateTime(u) => Ok(ScalarKind::DateTime(u.normalized()?)),
            ScalarKind::TimeDelta(u) => Ok(ScalarKind::TimeDelta(u.normalized()?)),
            kind => Ok(kind),
        }
    }
}

impl Scalar {
    /// Builds a scalar dtype, validating the width and normalising the byte order.
    ///
    /// * Widths: `Int`/`UInt` 1, 2, 4, 8; `Float` 2, 4, 8, 16; `Complex` 8, 16, 32. `S`/`V` sizes up
    ///   to [`MAX_ITEMSIZE`] bytes, `U` up to a quarter of that (4 bytes per character).
    /// * Datetime units: see [`DateTimeUnit::new`](super::DateTimeUnit::new) (generic drops its
    ///   multiplier; multipliers up to `i32::MAX`).
    /// * Byte order: kinds without one ([`ScalarKind::has_byte_order`] false, including `O`) always
    ///   get [`ByteOrder::NotApplicable`]. Kinds with one given `NotApplicable` get the native
    ///   order, as NumPy reads `'|i4'` as `'=i4'`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`] for an unsupported width or multiplier,
    /// [`ErrorKind::Overflow`] for a string or void size over the limit.
    pub fn new(kind: ScalarKind, order: ByteOrder) -> Result<Scalar> {
        let kind = kind.validated()?;
        let order = match (kind.has_byte_order(), order) {
            (false, _) => ByteOrder::NotApplicable,
            (true, ByteOrder::NotApplicable) => ByteOrder::native(),
            (true, order) => order,
        };
        Ok(Scalar { kind, order })
    }

    /// A scalar in this machine's byte order (or `|` for kinds without one).
    ///
    /// # Errors
    ///
    /// As [`Scalar::new`].
    pub fn native(kind: ScalarKind) -> Result<Scalar> {
        Scalar::new(kind, ByteOrder::native())
    }

    /// The kind (type and width).
    pub const fn kind(&self) -> ScalarKind {
        self.kind
    }

    /// The byte order: `Little` or `Big`, or `NotApplicable` for kinds without one.
    pub const fn order(&self) -> ByteOrder {
        self.order
    }

    /// The size of one value in bytes (`U<n>` is `4 * n`, `O` is a pointer: 8).
    pub const fn itemsize(&self) -> usize {
        match self.kind {
            ScalarKind::Bool => 1,
            ScalarKind::Int(w) | ScalarKind::UInt(w) | ScalarKind::Float(w) => w as usize,
            ScalarKind::Complex(w) => w as usize,
            ScalarKind::Bytes(n) | ScalarKind::Void(n) => n,
            // Validated to at most MAX_ITEMSIZE / 4, so this cannot overflow.
            ScalarKind::Unicode(n) => n * 4,
            ScalarKind::DateTime(_) | ScalarKind::TimeDelta(_) | ScalarKind::Object => 8,
        }
    }

    /// Whether the values are stored in this machine's byte order (always true for `|` kinds).
    pub fn is_native(&self) -> bool {
        self.order == ByteOrder::NotApplicable || self.order == ByteOrder::native()
    }

    /// The same kind in another byte order; kinds without one, and a `NotApplicable` target,
    /// leave it unchanged (NumPy's `newbyteorder('|')` ignores the request too).
    #[must_use]
    pub fn with_byte_order(self, order: ByteOrder) -> Scalar {
        if self.order == ByteOrder::NotApplicable || order == ByteOrder::NotApplicable {
            self
        } else {
            Scalar { order, ..self }
        }
    }
}

/// Writes NumPy's `dtype.str`: `<f8`, `|b1`, `|S5`, `>U3`, `<M8[25s]`, `<m8`, `|O`.
impl fmt::Display for Scalar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let order = self.order.as_char();
        match self.kind {
            ScalarKind::Bool => write!(f, "{order}b1"),
            ScalarKind::Int(w) => write!(f, "{order}i{w}"),
            ScalarKind::UInt(w) => write!(f, "{order}u{w}"),
            ScalarKind::Float(w) => write!(f, "{order}f{w}"),
            ScalarKind::Complex(w) => write!(f, "{order}c{w}"),
            ScalarKind::Bytes(n) => write!(f, "{order}S{n}"),
            ScalarKind::Unicode(n) => write!(f, "{order}U{n}"),
            ScalarKind::Void(n) => write!(f, "{order}V{n}"),
            ScalarKind::DateTime(unit) => write!(f, "{order}M8{unit}"),
            ScalarKind::TimeDelta(unit) => write!(f, "{order}m8{unit}"),
            ScalarKind::Object => write!(f, "{order}O"),
        }
    }
}
