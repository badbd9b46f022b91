//! What a field's Rust type can be read or written as directly, and the one decision, shared by
//! reading and writing, of how a field of a given dtype is accessed.
//!
//! The derive asks `(&Field::<T>::new()).kind()`: method resolution picks [`KnownKind`] when
//! `Field<T>` implements it (the scalars, `[u8; N]`, `String`) and otherwise [`AnyKind`],
//! implemented for `&Field<T>` of every `T` (one more reference, so it is only reached when the
//! first does not apply): [`Kind::Serde`].

use std::marker::PhantomData;

use npy_core::{DType, ScalarKind};

/// The marker the derive's method calls dispatch on.
#[doc(hidden)]
pub struct Field<T>(PhantomData<fn() -> T>);

impl<T> Field<T> {
    /// The marker.
    #[allow(clippy::new_without_default)]
    pub const fn new() -> Self {
        Field(PhantomData)
    }
}

/// What a Rust field type is, as far as direct reads and writes go.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A number or `bool`: exactly this scalar kind.
    Scalar(ScalarKind),
    /// `[u8; N]`: an `S<N>` or `V<N>` field's bytes.
    Bytes(usize),
    /// `String`: an `S` or `U` field's text.
    Text,
    /// Anything else: always through serde.
    Serde,
}

/// How a field is accessed, for a Rust type's [`Kind`] and the field's dtype.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Access {
    /// Through serde (conversions, nested values, errors).
    Serde,
    /// The value's bytes as they are, in this machine's byte order (or without one).
    Native,
    /// The value's bytes reversed.
    Swapped,
    /// Text in an `S` field: UTF-8, NUL-padded.
    Text,
    /// Text in a `U` field: UCS-4 in this machine's byte order, NUL-padded.
    Ucs4Native,
    /// Text in a `U` field: UCS-4 in the other byte order.
    Ucs4Swapped,
}

/// The access for a `kind` field stored as `dtype`: direct only for the exact matches.
pub(crate) fn access(kind: Kind, dtype: &DType) -> Access {
    let DType::Scalar(scalar) = dtype else {
        return Access::Serde;
    };
    let native = scalar.is_native();
    match (kind, scalar.kind()) {
        (Kind::Scalar(want), have) if want == have && native => Access::Native,
        (Kind::Scalar(want), have) if want == have => Access::Swapped,
        (Kind::Bytes(n), ScalarKind::Bytes(len) | ScalarKind::Void(len)) if n == len => {
            Access::Native
        }
        (Kind::Text, ScalarKind::Bytes(_)) => Access::Text,
        (Kind::Text, ScalarKind::Unicode(_)) if native => Access::Ucs4Native,
        (Kind::Text, ScalarKind::Unicode(_)) => Access::Ucs4Swapped,
        _ => Access::Serde,
    }
}

/// A field type with direct reads or writes for some dtypes.
#[doc(hidden)]
pub trait KnownKind {
    /// What the type is.
    fn kind(&self) -> Kind;
}

/// Any field type: read and written through serde.
#[doc(hidden)]
pub trait AnyKind {
    /// [`Kind::Serde`].
    fn kind(&self) -> Kind;
}

impl<T> AnyKind for &Field<T> {
    fn kind(&self) -> Kind {
        Kind::Serde
    }
}

macro_rules! known_scalars {
    ($($ty:ty => $kind:expr;)*) => {$(
        impl KnownKind for Field<$ty> {
            fn kind(&self) -> Kind {
                Kind::Scalar($kind)
            }
        }
    )*};
}

known_scalars! {
    bool => ScalarKind::Bool;
    i8 => ScalarKind::Int(1);
    i16 => ScalarKind::Int(2);
    i32 => ScalarKind::Int(4);
    i64 => ScalarKind::Int(8);
    u8 => ScalarKind::UInt(1);
    u16 => ScalarKind::UInt(2);
    u32 => ScalarKind::UInt(4);
    u64 => ScalarKind::UInt(8);
    f32 => ScalarKind::Float(4);
    f64 => ScalarKind::Float(8);
}

impl<const N: usize> KnownKind for Field<[u8; N]> {
    fn kind(&self) -> Kind {
        Kind::Bytes(N)
    }
}

impl KnownKind for Field<String> {
    fn kind(&self) -> Kind {
        Kind::Text
    }
}

#[cfg(test)]
mod tests {
    use npy_core::{ByteOrder, Scalar};

    use super::super::test_support::foreign_order;
    use super::*;

    fn scalar(kind: ScalarKind, order: ByteOrder) -> DType {
        DType::Scalar(Scalar::new(kind, order).unwrap())
    }

    #[test]
    fn direct_access_only_for_exact_matches() {
        let (native, other) = (ByteOrder::native(), foreign_order());
        let na = ByteOrder::NotApplicable;
        let i8s = Kind::Scalar(ScalarKind::Int(8));
        let cases = [
            (i8s, scalar(ScalarKind::Int(8), native), Access::Native),
            (i8s, scalar(ScalarKind::Int(8), other), Access::Swapped),
            // i4 into i64 widens: through serde.
            (i8s, scalar(ScalarKind::Int(4), native), Access::Serde),
            (i8s, scalar(ScalarKind::Float(8), native), Access::Serde),
            (
                Kind::Scalar(ScalarKind::Float(8)),
                scalar(ScalarKind::Int(8), native),
                Access::Serde,
            ),
            (
                Kind::Scalar(ScalarKind::Bool),
                scalar(ScalarKind::Bool, na),
                Access::Native,
            ),
            (
                Kind::Bytes(4),
                scalar(ScalarKind::Bytes(4), na),
                Access::Native,
            ),
            (
                Kind::Bytes(4),
                scalar(ScalarKind::Void(4), na),
                Access::Native,
            ),
            (
                Kind::Bytes(3),
                scalar(ScalarKind::Bytes(4), na),
                Access::Serde,
            ),
            (Kind::Text, scalar(ScalarKind::Bytes(4), na), Access::Text),
            (
                Kind::Text,
                scalar(ScalarKind::Unicode(2), native),
                Access::Ucs4Native,
            ),
            (
                Kind::Text,
                scalar(ScalarKind::Unicode(2), other),
                Access::Ucs4Swapped,
            ),
            (
                Kind::Text,
                scalar(ScalarKind::Int(8), native),
                Access::Serde,
            ),
            (
                Kind::Serde,
                scalar(ScalarKind::Int(8), native),
                Access::Serde,
            ),
        ];
        for (kind, dtype, want) in cases {
            assert_eq!(access(kind, &dtype), want, "{kind:?} as {dtype:?}");
        }
    }

    #[test]
    fn the_marker_names_each_types_kind() {
        assert_eq!(Field::<i64>::new().kind(), Kind::Scalar(ScalarKind::Int(8)));
        assert_eq!(Field::<[u8; 16]>::new().kind(), Kind::Bytes(16));
        assert_eq!(Field::<String>::new().kind(), Kind::Text);
        assert_eq!((&Field::<Option<i64>>::new()).kind(), Kind::Serde);
    }
}
