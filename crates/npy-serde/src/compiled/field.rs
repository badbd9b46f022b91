//! Reading one field of a compiled row: the plan of a field and how each Rust type reads it.
//!
//! The derive writes, per field, `(&Field::<T>::new()).read(row, plan)`. Method resolution picks
//! [`ViaFast`] when `Field<T>` implements it (the scalars, `[u8; N]`, `String`) and otherwise
//! [`ViaSerde`], implemented for `&Field<T>` of any deserializable `T` (one more reference, so
//! it is only reached when the first fails). The fast readers handle the exact matches (`i64`
//! from `'<i8'` in either byte order, `[u8; 16]` from `'|S16'`) with a load; anything else
//! (widening, bad bytes, nested records, datetimes) goes through npy-serde's serde
//! deserializer, so values and errors are exactly those of [`crate::from_path`].

use std::marker::PhantomData;

use serde::de::DeserializeOwned;

use super::columns::Columns;
use crate::de::node::{Code, Node};
use crate::de::value::read_value;
use crate::de::{in_field, value::strip_nuls};
use crate::error::{Error, Result};

/// Whether a struct field must be in the file.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// An error ("missing field") when the file lacks it.
    Required,
    /// `#[serde(default)]`: the plan says it is missing and the derive fills in the default.
    Optional,
}

/// How a planned field is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    /// The file lacks the field (and it has a default).
    Missing,
    /// The file lacks the field and it has no default: serde decides, as for a missing map key
    /// (an `Option` is `None`, anything else "missing field").
    Absent,
    /// The file has the field under two of its names (say, its name and an alias): read as
    /// serde's derive reads two keys for one field, the first value then "duplicate field".
    Duplicate,
    /// Through serde (conversions, nested values, errors).
    Serde,
    /// The value's bytes as they are, in this machine's byte order (or a single byte).
    Native,
    /// The value's bytes reversed.
    Swapped,
    /// An `S` field read as text: NULs stripped, UTF-8 checked.
    Text,
    /// A `U` field (UCS-4) read as text, in this machine's byte order or swapped: trailing
    /// NULs stripped, each unit a Unicode scalar value.
    Ucs4Native,
    Ucs4Swapped,
}

/// Where one struct field's value is in a row and how to read it.
#[doc(hidden)]
#[derive(Debug)]
pub struct FieldPlan {
    pub(crate) offset: usize,
    /// The file field's size in bytes.
    size: usize,
    pub(crate) op: Op,
    /// The file field's dtype (for the serde path) and name (for error paths).
    node: Option<Node>,
    name: Box<str>,
    /// The struct field's (deserialize) name, for "missing field" and "duplicate field".
    wanted: Box<str>,
}

impl FieldPlan {
    /// Whether the file lacks the field (the derive then uses its default).
    #[inline(always)]
    pub fn is_missing(&self) -> bool {
        self.op == Op::Missing
    }

    /// Whether the file has the field.
    #[inline(always)]
    pub fn is_present(&self) -> bool {
        !matches!(self.op, Op::Missing | Op::Absent)
    }

    /// A plan for a field the file lacks.
    fn lacking(op: Op, wanted: &str) -> FieldPlan {
        FieldPlan {
            offset: 0,
            size: 0,
            op,
            node: None,
            name: "".into(),
            wanted: wanted.into(),
        }
    }
}

/// The marker the derive's method calls dispatch on (see the module documentation).
#[doc(hidden)]
pub struct Field<T>(PhantomData<fn() -> T>);

impl<T> Field<T> {
    /// The marker.
    #[allow(clippy::new_without_default)]
    pub const fn new() -> Self {
        Field(PhantomData)
    }
}

/// A field type with a fast reader for some dtypes.
#[doc(hidden)]
pub trait ViaFast<T: DeserializeOwned> {
    /// Finds the field (by its names) and decides how to read it.
    fn plan(
        &self,
        columns: &Columns<'_>,
        names: &[&str],
        rust_name: &'static str,
        need: Need,
    ) -> Result<FieldPlan>;

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
    /// Finds the field (by its names); it is read through serde.
    fn plan(
        &self,
        columns: &Columns<'_>,
        names: &[&str],
        rust_name: &'static str,
        need: Need,
    ) -> Result<FieldPlan>;
    /// Reads the field from a row when the plan allows a direct read and the bytes are valid
    /// (`None`: [`ViaFast::read`] will say why, or convert).
    fn fast(&self, row: &[u8], plan: &FieldPlan) -> Option<T>;
    /// Reads the field from a row, through serde when no direct read applies.
    fn read(&self, row: &[u8], plan: &FieldPlan) -> Result<T>;
}

impl<T: DeserializeOwned> ViaSerde<T> for &Field<T> {
    fn plan(
        &self,
        columns: &Columns<'_>,
        names: &[&str],
        rust_name: &'static str,
        need: Need,
    ) -> Result<FieldPlan> {
        plan_field(columns, names, rust_name, need, |_| Op::Serde)
    }

    #[inline(always)]
    fn fast(&self, _row: &[u8], _plan: &FieldPlan) -> Option<T> {
        None
    }

    #[inline(always)]
    fn read(&self, row: &[u8], plan: &FieldPlan) -> Result<T> {
        through_serde(row, plan)
    }
}

/// Finds the first of `names` in the file and plans it with `op_for`.
fn plan_field(
    columns: &Columns<'_>,
    names: &[&str],
    rust_name: &'static str,
    need: Need,
    op_for: impl FnOnce(&Node) -> Op,
) -> Result<FieldPlan> {
    let wanted = names.first().copied().unwrap_or(rust_name);
    let mut found = names.iter().filter_map(|name| columns.find(name));
    let Some(field) = found.next() else {
        return Ok(match need {
            Need::Optional => FieldPlan::lacking(Op::Missing, wanted),
            Need::Required => FieldPlan::lacking(Op::Absent, wanted),
        });
    };
    let node = Node::build(&field.dtype);
    let op = match found.next() {
        Some(_) => Op::Duplicate,
        None => op_for(&node),
    };
    Ok(FieldPlan {
        offset: field.offset,
        size: node.size(),
        op,
        node: Some(node),
        name: field.name.as_str().into(),
        wanted: wanted.into(),
    })
}

/// The serde path for one field: values, conversions and errors as [`crate::from_path`] has
/// them, the error naming the field.
#[cold]
#[inline(never)]
fn through_serde<T: DeserializeOwned>(row: &[u8], plan: &FieldPlan) -> Result<T> {
    if plan.op == Op::Absent {
        return T::deserialize(Absent(&plan.wanted));
    }
    let Some(node) = &plan.node else {
        return Err(super::plan_mismatch());
    };
    let data = row.get(plan.offset..).ok_or_else(super::plan_mismatch)?;
    let value = read_value(data, node).map_err(|e| in_field(e, &plan.name))?;
    if plan.op == Op::Duplicate {
        return Err(serde::de::Error::custom(format_args!(
            "duplicate field `{}`",
            plan.wanted
        )));
    }
    Ok(value)
}

/// The value of a field the file lacks, as serde's derive sees a missing key: `None` for an
/// `Option`, else the error "missing field".
struct Absent<'a>(&'a str);

impl<'de> serde::Deserializer<'de> for Absent<'_> {
    type Error = Error;

    fn deserialize_any<V: serde::de::Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
        Err(serde::de::Error::custom(format_args!(
            "missing field `{}`",
            self.0
        )))
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

/// `Native` when the leaf is exactly `code` in this machine's order, `Swapped` when it is
/// `code` in the other order, else `Serde`.
fn scalar_op(node: &Node, code: Code) -> Op {
    match node {
        Node::Leaf(leaf) if leaf.code == code && leaf.fast == code => Op::Native,
        Node::Leaf(leaf) if leaf.code == code => Op::Swapped,
        _ => Op::Serde,
    }
}

macro_rules! fast_numbers {
    ($($ty:ty => $code:ident, $bytes:literal, $from:expr;)*) => {$(
        impl ViaFast<$ty> for Field<$ty> {
            fn plan(
                &self,
                columns: &Columns<'_>,
                names: &[&str],
                rust_name: &'static str,
                need: Need,
            ) -> Result<FieldPlan> {
                plan_field(columns, names, rust_name, need, |node| scalar_op(node, Code::$code))
            }

            #[inline(always)]
            fn fast(&self, row: &[u8], plan: &FieldPlan) -> Option<$ty> {
                let from: fn([u8; $bytes]) -> $ty = $from;
                match plan.op {
                    Op::Native => bytes_at::<$bytes>(row, plan.offset).map(from),
                    Op::Swapped => bytes_at::<$bytes>(row, plan.offset).map(|mut b| {
                        b.reverse();
                        from(b)
                    }),
                    _ => None,
                }
            }
        }
    )*};
}

fast_numbers! {
    i8 => I1, 1, i8::from_ne_bytes;
    i16 => I2, 2, i16::from_ne_bytes;
    i32 => I4, 4, i32::from_ne_bytes;
    i64 => I8, 8, i64::from_ne_bytes;
    u8 => U1, 1, u8::from_ne_bytes;
    u16 => U2, 2, u16::from_ne_bytes;
    u32 => U4, 4, u32::from_ne_bytes;
    u64 => U8, 8, u64::from_ne_bytes;
    f32 => F4, 4, f32::from_ne_bytes;
    f64 => F8, 8, f64::from_ne_bytes;
}

impl ViaFast<bool> for Field<bool> {
    fn plan(
        &self,
        columns: &Columns<'_>,
        names: &[&str],
        rust_name: &'static str,
        need: Need,
    ) -> Result<FieldPlan> {
        plan_field(columns, names, rust_name, need, |node| {
            scalar_op(node, Code::Bool)
        })
    }

    #[inline(always)]
    fn fast(&self, row: &[u8], plan: &FieldPlan) -> Option<bool> {
        if plan.op != Op::Native {
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
    fn plan(
        &self,
        columns: &Columns<'_>,
        names: &[&str],
        rust_name: &'static str,
        need: Need,
    ) -> Result<FieldPlan> {
        plan_field(columns, names, rust_name, need, |node| match node {
            Node::Leaf(leaf) if matches!(leaf.code, Code::Bytes | Code::Void) && leaf.size == N => {
                Op::Native
            }
            _ => Op::Serde,
        })
    }

    #[inline(always)]
    fn fast(&self, row: &[u8], plan: &FieldPlan) -> Option<[u8; N]> {
        match plan.op {
            Op::Native => bytes_at::<N>(row, plan.offset),
            _ => None,
        }
    }
}

/// `String` from an `S<n>` field (the bytes before the trailing NULs, which must be UTF-8) or a
/// `U<n>` field (the characters before the trailing NULs).
impl ViaFast<String> for Field<String> {
    fn plan(
        &self,
        columns: &Columns<'_>,
        names: &[&str],
        rust_name: &'static str,
        need: Need,
    ) -> Result<FieldPlan> {
        plan_field(columns, names, rust_name, need, |node| match node {
            Node::Leaf(leaf) if leaf.code == Code::Bytes => Op::Text,
            Node::Leaf(leaf) if leaf.code == Code::Unicode && leaf.fast == Code::Unicode => {
                Op::Ucs4Native
            }
            Node::Leaf(leaf) if leaf.code == Code::Unicode => Op::Ucs4Swapped,
            _ => Op::Serde,
        })
    }

    #[inline(always)]
    fn fast(&self, row: &[u8], plan: &FieldPlan) -> Option<String> {
        let swapped = match plan.op {
            Op::Text => {
                let bytes = row.get(plan.offset..)?.get(..plan.size)?;
                // Not UTF-8: left to serde, which says so.
                return std::str::from_utf8(strip_nuls(bytes))
                    .ok()
                    .map(str::to_owned);
            }
            Op::Ucs4Native => false,
            Op::Ucs4Swapped => true,
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

    use super::super::test_support::{foreign_order, record};
    use super::*;

    /// The op `marker`'s fast plan picks for the column `name`.
    fn op<M: ViaFast<T>, T: DeserializeOwned>(
        marker: &M,
        columns: &Columns<'_>,
        name: &'static str,
    ) -> Op {
        marker
            .plan(columns, &[name], name, Need::Required)
            .unwrap()
            .op
    }

    #[test]
    fn direct_reads_are_chosen_for_exact_matches_only() {
        let (native, other) = (ByteOrder::native(), foreign_order());
        let na = ByteOrder::NotApplicable;
        let record = record(&[
            ("a", ScalarKind::Int(8), native),
            ("b", ScalarKind::Int(8), other),
            ("c", ScalarKind::Int(4), native),
            ("d", ScalarKind::Bytes(4), na),
            ("e", ScalarKind::Bool, na),
            ("f", ScalarKind::Unicode(2), native),
            ("g", ScalarKind::Unicode(2), other),
        ]);
        let columns = Columns::new(&record);
        assert_eq!(op(&Field::<i64>::new(), &columns, "a"), Op::Native);
        assert_eq!(op(&Field::<i64>::new(), &columns, "b"), Op::Swapped);
        // i4 into i64 widens: through serde.
        assert_eq!(op(&Field::<i64>::new(), &columns, "c"), Op::Serde);
        assert_eq!(op(&Field::<[u8; 4]>::new(), &columns, "d"), Op::Native);
        assert_eq!(op(&Field::<[u8; 3]>::new(), &columns, "d"), Op::Serde);
        assert_eq!(op(&Field::<String>::new(), &columns, "d"), Op::Text);
        assert_eq!(op(&Field::<String>::new(), &columns, "f"), Op::Ucs4Native);
        assert_eq!(op(&Field::<String>::new(), &columns, "g"), Op::Ucs4Swapped);
        assert_eq!(op(&Field::<bool>::new(), &columns, "e"), Op::Native);
        assert_eq!(op(&Field::<f64>::new(), &columns, "a"), Op::Serde);
    }

    #[test]
    fn missing_fields_take_defaults_or_are_errors() {
        let record = record(&[("a", ScalarKind::Bool, ByteOrder::NotApplicable)]);
        let columns = Columns::new(&record);
        let flag = Field::<bool>::new();
        let optional = flag.plan(&columns, &["zz"], "zz", Need::Optional).unwrap();
        assert!(optional.is_missing());
        // Without a default, serde decides per type, as for a missing map key.
        let absent = flag
            .plan(&columns, &["zz", "alias"], "zz", Need::Required)
            .unwrap();
        assert_eq!(absent.op, Op::Absent);
        let err = ViaFast::read(&flag, &[1], &absent).unwrap_err();
        assert_eq!(err.message(), "missing field `zz`");
        let maybe = Field::<Option<u8>>::new();
        let absent = (&maybe)
            .plan(&columns, &["zz"], "zz", Need::Required)
            .unwrap();
        assert_eq!((&maybe).read(&[1], &absent).unwrap(), None);
        // An alias finds the column.
        let found = flag
            .plan(&columns, &["zz", "a"], "zz", Need::Required)
            .unwrap();
        assert_eq!((found.op, found.offset), (Op::Native, 0));
    }
}
