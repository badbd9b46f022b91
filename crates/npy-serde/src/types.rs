//! Rust types for NumPy dtypes that serde's data model has no word for: datetime64 and
//! timedelta64 with their unit.
//!
//! They cross serde as newtype structs with a reserved name (see [`crate::tokens`]), which the
//! npy-serde serializer and deserializer recognise; other formats see a plain `i64`.

use std::fmt;
use std::marker::PhantomData;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A datetime64 / timedelta64 unit, as a type: [`units::Ns`], [`units::S`], ...
pub trait Unit: Copy + Send + Sync + 'static {
    /// The unit as written in a descr (`ns`, `s`, `D`, ...).
    const NAME: &'static str;
    /// The reserved serde name of `Datetime64<Self>`.
    #[doc(hidden)]
    const DATETIME_TOKEN: &'static str;
    /// The reserved serde name of `Timedelta64<Self>`.
    #[doc(hidden)]
    const TIMEDELTA_TOKEN: &'static str;
}

/// The units NumPy knows, as types.
pub mod units {
    macro_rules! unit {
        ($($ty:ident => $name:literal),* $(,)?) => {$(
            #[doc = concat!("The `", $name, "` unit.")]
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
            pub struct $ty;
            impl super::Unit for $ty {
                const NAME: &'static str = $name;
                const DATETIME_TOKEN: &'static str = concat!("$npy_serde::M8[", $name, "]");
                const TIMEDELTA_TOKEN: &'static str = concat!("$npy_serde::m8[", $name, "]");
            }
        )*};
    }
    unit! {
        Y => "Y", M => "M", W => "W", D => "D", H => "h", Min => "m", S => "s",
        Ms => "ms", Us => "us", Ns => "ns", Ps => "ps", Fs => "fs", As => "as",
    }
}

/// The NaT ("not a time") value NumPy stores as `i64::MIN`.
pub const NAT: i64 = i64::MIN;

/// A `datetime64[unit]` value: ticks of `U` since 1970-01-01T00:00:00 (`i64::MIN` is NaT).
///
/// ```
/// use npy_serde::{Datetime64, units::Ns};
/// let t = Datetime64::<Ns>::new(1_700_000_000_000_000_000);
/// assert_eq!(t.ticks(), 1_700_000_000_000_000_000);
/// assert!(!t.is_nat());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Datetime64<U: Unit>(i64, PhantomData<U>);

/// A `timedelta64[unit]` value: a signed number of `U` ticks (`i64::MIN` is NaT).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Timedelta64<U: Unit>(i64, PhantomData<U>);

macro_rules! time_type {
    ($ty:ident, $token:ident, $what:literal) => {
        impl<U: Unit> $ty<U> {
            /// A value of `ticks` units.
            pub const fn new(ticks: i64) -> Self {
                $ty(ticks, PhantomData)
            }

            /// NaT.
            pub const fn nat() -> Self {
                $ty(NAT, PhantomData)
            }

            /// The stored tick count.
            pub const fn ticks(self) -> i64 {
                self.0
            }

            /// Whether this is NaT.
            pub const fn is_nat(self) -> bool {
                self.0 == NAT
            }
        }

        impl<U: Unit> fmt::Debug for $ty<U> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                if self.is_nat() {
                    write!(f, concat!($what, "(NaT)"))
                } else {
                    write!(f, concat!($what, "({}[{}])"), self.0, U::NAME)
                }
            }
        }

        impl<U: Unit> Serialize for $ty<U> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_newtype_struct(U::$token, &self.0)
            }
        }

        impl<'de, U: Unit> Deserialize<'de> for $ty<U> {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct TicksVisitor<U>(PhantomData<U>);
                impl<'de, U: Unit> serde::de::Visitor<'de> for TicksVisitor<U> {
                    type Value = $ty<U>;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        write!(f, concat!("a ", $what, "[{}] tick count"), U::NAME)
                    }
                    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
                        Ok($ty::new(v))
                    }
                    fn visit_newtype_struct<D: Deserializer<'de>>(
                        self,
                        d: D,
                    ) -> Result<Self::Value, D::Error> {
                        i64::deserialize(d).map($ty::new)
                    }
                }
                deserializer.deserialize_newtype_struct(U::$token, TicksVisitor(PhantomData))
            }
        }
    };
}

time_type!(Datetime64, DATETIME_TOKEN, "Datetime64");
time_type!(Timedelta64, TIMEDELTA_TOKEN, "Timedelta64");
