//! Reading one field of a compiled row: where it is, and how each Rust type reads it.
//!
//! The derive plans each field with [`plan`] (its column found by name, alias or title, the
//! access decided by [`super::kind::access`]) and reads it with
//! `(&Field::<T>::new()).read(row, plan)`. Method resolution picks [`ViaFast`] when `Field<T>`
//! implements it (the scalars, `[u8; N]`, `String`) and otherwise [`ViaSerde`], implemented
//! for `&Field<T>` of any deserializable `T` (one more reference, so it is only reached when
//! the first does not apply). The fast readers handle the exact matches with a load; anything
//! else (widening, bad bytes, nested records, datetimes) goes through npy-serde's serde
//! deserializer, so values and errors are exactly those of [`crate::from_path`].

use serde::de::{DeserializeOwned, Error as _};

use super::columns::Columns;
use super::kind::{access, Access, Field, Kind};
use crate::de::in_field;
use crate::de::node::Node;
use crate::de::value::{read_value, strip_nuls};
use crate::error::{Error, Result};

/// Whether a struct field must be in the file.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Without a default: serde decides when the file lacks it.
    Required,
    /// `#[serde(default)]`: the plan says it is missing and the derive fills in the default.
    Optional,
}

/// Whether and how the file holds a struct field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Presence {
    /// Under one of its names.
    Present,
    /// Not at all, and the field has a default.
    Missing,
    /// Not at all, without a default: serde decides, as for a missing map key (an `Option` is
    /// `None`, anything else "missing field").
    Absent,
    /// Under two of its names (say, its name and an alias): read as serde's derive reads two
    /// keys for one field, the first value then "duplicate field".
    Duplicate,
}

/// Where one struct field's value is in a row and how to read it.
#[doc(hidden)]
#[derive(Debug)]
pub struct FieldPlan {
    pub(crate) offset: usize,
    /// The file field's size in bytes.
    size: usize,
    /// How the value is read ([`Access::Serde`] unless present).
    access: Access,
    presence: Presence,
    /// The file field's dtype (for the serde path) and name (for error paths).
    node: Option<Node>,
    name: Box<str>,
    /// The struct field's (deserialize) name, for "missing field" and "duplicate field".
    wanted: &'static str,
}

impl FieldPlan {
    /// Whether the file lacks the field (the derive then uses its default).
    #[inline(always)]
    pub fn is_missing(&self) -> bool {
        self.presence == Presence::Missing
    }

    /// Whether the file has the field.
    #[inline(always)]
    pub fn is_present(&self) -> bool {
        matches!(self.presence, Presence::Present | Presence::Duplicate)
    }
}

/// Finds the field named by the first of `names` the file has (its deserialize name, then its
/// aliases; each by name, else title) and decides how a `kind` value reads it.
#[doc(hidden)]
pub fn plan(
    columns: &Columns,
    names: &'static [&'static str],
    need: Need,
    kind: Kind,
) -> FieldPlan {
    let wanted = names.first().copied().unwrap_or_default();
    let mut found = names.iter().filter_map(|name| columns.find(name));
    let Some(field) = found.next() else {
        return FieldPlan {
            offset: 0,
            size: 0,
            access: Access::Serde,
            presence: match need {
                Need::Optional => Presence::Missing,
                Need::Required => Presence::Absent,
            },
            node: None,
            name: "".into(),
            wanted,
        };
    };
    let presence = match found.next() {
        Some(_) => Presence::Duplicate,
        None => Presence::Present,
    };
    let node = Node::build(&field.dtype);
    FieldPlan {
        offset: field.offset,
        size: node.size(),
        access: match presence {
            Presence::Present => access(kind, &field.dtype),
            _ => Access::Serde,
        },
        presence,
        node: Some(node),
        name: field.name.as_str().into(),
        wanted,
    }
}

/// Whether every field of `plan` can be read directly (present with a direct access, or
/// missing and defaulted): otherwise a row's fast path always fails.
pub(crate) fn all_direct(plan: &[FieldPlan]) -> bool {
    plan.iter()
        .all(|p| p.access != Access::Serde || p.presence == Presence::Missing)
}

/// A field type with a fast reader for some dtypes.
#[doc(hidden)]
pub trait ViaFast<T: DeserializeOwned> {
    /// Reads the field from a row when the plan allows a direct read and the bytes are valid
    /// (`None`: [`ViaFast::read`] will say why, or convert).
    fn fast(&self, row: &[u8], plan: &FieldPlan) -> Option<T>;

    /// Reads the field from a row, through serde when no direct read applies.
    #[inline(always)]
    fn read(&self, row: &[u8], plan: &FieldPlan) -> Result<T> {
        match self.fast(row, plan) {
            Some(value) => Ok(value),
            None => through_serde(row, plan),
        }
    }
}

/// Any deserializable field type, read through serde.
#[doc(hidden)]
pub trait ViaSerde<T> {
    /// `None`: no direct read.
    fn fast(&self, row: &[u8], plan: &FieldPlan) -> Option<T>;
    /// Reads the field from a row through serde.
    fn read(&self, row: &[u8], plan: &FieldPlan) -> Result<T>;
}

impl<T: DeserializeOwned> ViaSerde<T> for &Field<T> {
    #[inline(always)]
    fn fast(&self, _row: &[u8], _plan: &FieldPlan) -> Option<T> {
        None
    }

    #[inline(always)]
    fn read(&self, row: &[u8], plan: &FieldPlan) -> Result<T> {
        through_serde(row, plan)
    }
}

/// The serde path for one field: values, conversions and errors as [`crate::from_path`] has
/// them, the error naming the field.
#[cold]
#[inline(never)]
fn through_serde<T: DeserializeOwned>(row: &[u8], plan: &FieldPlan) -> Result<T> {
    if plan.presence == Presence::Absent {
        return T::deserialize(Absent(plan.wanted));
    }
    let Some(node) = &plan.node else {
        return Err(super::plan_mismatch());
    };
    let data = row.get(plan.offset..).ok_or_else(super::plan_mismatch)?;
    let value = read_value(data, node).map_err(|e| in_field(e, &plan.name))?;
    if plan.presence == Presence::Duplicate {
        return Err(Error::duplicate_field(plan.wanted));
    }
    Ok(value)
}

/// The value of a field the file lacks, as serde's derive sees a missing key: `None` for an
/// `Option`, else the error "missing field".
struct Absent(&'static str);

impl<'de> serde::Deserializer<'de> for Absent {
    type Error = Error;

    fn deserialize_any<V: serde::de::Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
        Err(Error::missing_field(self.0))
    }

    fn deserialize_option<V: serde::de::Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_none()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier
        ignored_any
    }
}

/// The `N` bytes at `offset`, if the row has them.
#[inline(always)]
fn bytes_at<const N: usize>(row: &[u8], offset: usize) -> Option<[u8; N]> {
    row.get(offset..)?.first_chunk::<N>().copied()
}

macro_rules! fast_numbers {
    ($($ty:ty => $bytes:literal;)*) => {$(
        impl ViaFast<$ty> for Field<$ty> {
            #[inline(always)]
            fn fast(&self, row: &[u8], plan: &FieldPlan) -> Option<$ty> {
                match plan.access {
                    Access::Native => bytes_at::<$bytes>(row, plan.offset).map(<$ty>::from_ne_bytes),
                    Access::Swapped => bytes_at::<$bytes>(row, plan.offset).map(|mut b| {
                        b.reverse();
                        <$ty>::from_ne_bytes(b)
                    }),
                    _ => None,
                }
            }
        }
    )*};
}

fast_numbers! {
    i8 => 1;
    i16 => 2;
    i32 => 4;
    i64 => 8;
    u8 => 1;
    u16 => 2;
    u32 => 4;
    u64 => 8;
    f32 => 4;
    f64 => 8;
}

impl ViaFast<bool> for Field<bool> {
    #[inline(always)]
    fn fast(&self, row: &[u8], plan: &FieldPlan) -> Option<bool> {
        if plan.access != Access::Native {
            return None;
        }
        // Bytes other than 0 and 1 are left to serde, which refuses them.
        match row.get(plan.offset) {
            Some(0) => Some(false),
            Some(1) => Some(true),
            _ => None,
        }
    }
}

/// `[u8; N]` from an `S<N>` or `V<N>` field: all `N` bytes, NULs included.
impl<const N: usize> ViaFast<[u8; N]> for Field<[u8; N]>
where
    [u8; N]: DeserializeOwned,
{
    #[inline(always)]
    fn fast(&self, row: &[u8], plan: &FieldPlan) -> Option<[u8; N]> {
        match plan.access {
            Access::Native => bytes_at::<N>(row, plan.offset),
            _ => None,
        }
    }
}

/// `String` from an `S<n>` field (the bytes before the trailing NULs, which must be UTF-8) or a
/// `U<n>` field (the characters before the trailing NULs).
impl ViaFast<String> for Field<String> {
    #[inline(always)]
    fn fast(&self, row: &[u8], plan: &FieldPlan) -> Option<String> {
        let swapped = match plan.access {
            Access::Text => {
                let bytes = row.get(plan.offset..)?.get(..plan.size)?;
                // Not UTF-8: left to serde, which says so.
                return std::str::from_utf8(strip_nuls(bytes))
                    .ok()
                    .map(str::to_owned);
            }
            Access::Ucs4Native => false,
            Access::Ucs4Swapped => true,
            _ => return None,
        };
        let units = row.get(plan.offset..)?.get(..plan.size)?;
        let mut len = units.len() / 4;
        while len > 0 && units[(len - 1) * 4..len * 4] == [0; 4] {
            len -= 1;
        }
        let mut text = String::with_capacity(len);
        for unit in units[..len * 4].chunks_exact(4) {
            let code = u32::from_ne_bytes(unit.try_into().ok()?);
            // Not a Unicode scalar value: left to serde, which says so.
            text.push(char::from_u32(if swapped {
                code.swap_bytes()
            } else {
                code
            })?);
        }
        Some(text)
    }
}

#[cfg(test)]
mod tests {
    use npy_core::{ByteOrder, ScalarKind};

    use super::super::kind::{AnyKind as _, KnownKind as _};
    use super::super::test_support::record;
    use super::*;

    #[test]
    fn plans_take_the_shared_access_decision() {
        let record = record(&[
            ("a", ScalarKind::Int(8), ByteOrder::native()),
            ("c", ScalarKind::Int(4), ByteOrder::native()),
        ]);
        let columns = Columns::new(&record);
        let kind = Field::<i64>::new().kind();
        let direct = plan(&columns, &["a"], Need::Required, kind);
        assert_eq!((direct.access, direct.offset), (Access::Native, 0));
        // i4 into i64 widens, through serde.
        let widened = plan(&columns, &["c"], Need::Required, kind);
        assert_eq!(widened.access, Access::Serde);
        let mut row = [0u8; 12];
        row[8..].copy_from_slice(&(-7i32).to_ne_bytes());
        assert_eq!(Field::<i64>::new().read(&row, &widened).unwrap(), -7);
    }

    #[test]
    fn missing_fields_take_defaults_or_are_serdes_business() {
        let record = record(&[("a", ScalarKind::Bool, ByteOrder::NotApplicable)]);
        let columns = Columns::new(&record);
        let flag = Field::<bool>::new();
        let kind = flag.kind();
        assert!(plan(&columns, &["zz"], Need::Optional, kind).is_missing());
        // Without a default, serde decides per type, as for a missing map key.
        let absent = plan(&columns, &["zz", "alias"], Need::Required, kind);
        assert!(!absent.is_present() && !absent.is_missing());
        let err = flag.read(&[1], &absent).unwrap_err();
        assert_eq!(err.message(), "missing field `zz`");
        let maybe = Field::<Option<u8>>::new();
        let absent = plan(&columns, &["zz"], Need::Required, (&maybe).kind());
        assert_eq!((&maybe).read(&[1], &absent).unwrap(), None);
        // An alias finds the column; the name and the alias both found is serde's duplicate.
        let found = plan(&columns, &["zz", "a"], Need::Required, kind);
        assert_eq!((found.access, found.offset), (Access::Native, 0));
        // A row's fast path can succeed only when every field is direct or defaulted.
        assert!(all_direct(&[found]));
        assert!(all_direct(&[plan(&columns, &["zz"], Need::Optional, kind)]));
        assert!(!all_direct(&[plan(
            &columns,
            &["zz"],
            Need::Required,
            kind
        )]));
        let twice = plan(&columns, &["a", "a"], Need::Required, kind);
        assert_eq!(
            flag.read(&[1], &twice).unwrap_err().message(),
            "duplicate field `a`"
        );
    }
}
