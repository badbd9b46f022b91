//! Writing one field of a compiled row: where it goes and how each Rust type writes it.
//!
//! As for reading (see `field`), the derive writes `(&Field::<T>::new()).write(&self.x, row,
//! plan)` per field and method resolution picks [`WriteFast`] (the scalars, `[u8; N]`,
//! `String`) or, one reference further, [`WriteSerde`] for any serializable type. The fast
//! writers store exact matches (`i64` into `'<i8'`, `String` into `'|S16'`); everything else,
//! and every error, goes through npy-serde's serde encoder for that field, so the bytes and
//! errors are those of [`crate::to_path`].

use serde::Serialize;

use super::columns::Columns;
use super::field::Field;
use crate::de::in_field;
use crate::error::Result;
use crate::ser::{encode_row, Plan};

/// How a planned field is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WriteOp {
    /// Through serde (conversions, nested values, errors).
    Serde,
    /// The value's bytes in this machine's order (or a single byte).
    Native,
    /// The value's bytes reversed.
    Swapped,
    /// Text or bytes into an `S` field: copied and NUL-padded.
    Padded,
    /// Text into a `U` field: UCS-4 in this machine's byte order or swapped, NUL-padded.
    Ucs4Native,
    Ucs4Swapped,
}

/// Where one struct field goes in a row and how to write it.
#[doc(hidden)]
#[derive(Debug)]
pub struct EncodePlan {
    offset: usize,
    size: usize,
    op: WriteOp,
    /// The field's own encoding plan (the serde path) and name (for error paths).
    serde: Plan,
    name: Box<str>,
}

/// A field type with a fast writer for some dtypes.
#[doc(hidden)]
pub trait WriteFast<T> {
    /// Finds the field's column (by its serialize name) and decides how to write it.
    fn encode_plan(&self, columns: &Columns<'_>, name: &str) -> Result<EncodePlan>;
    /// Writes the field into a row.
    fn write(&self, value: &T, row: &mut [u8], plan: &EncodePlan) -> Result<()>;
}

/// Any serializable field type, written through serde.
#[doc(hidden)]
pub trait WriteSerde<T> {
    /// Finds the field's column (by its serialize name); it is written through serde.
    fn encode_plan(&self, columns: &Columns<'_>, name: &str) -> Result<EncodePlan>;
    /// Writes the field into a row.
    fn write(&self, value: &T, row: &mut [u8], plan: &EncodePlan) -> Result<()>;
}

impl<T: Serialize> WriteSerde<T> for &Field<T> {
    fn encode_plan(&self, columns: &Columns<'_>, name: &str) -> Result<EncodePlan> {
        plan_column(columns, name, |_| WriteOp::Serde)
    }

    #[inline(always)]
    fn write(&self, value: &T, row: &mut [u8], plan: &EncodePlan) -> Result<()> {
        through_serde(value, row, plan)
    }
}

/// Plans the column `name` with `op_for` (given its dtype).
fn plan_column(
    columns: &Columns<'_>,
    name: &str,
    op_for: impl FnOnce(&npy_core::DType) -> WriteOp,
) -> Result<EncodePlan> {
    let Some(field) = columns.find_name(name) else {
        return Err(super::plan_mismatch());
    };
    Ok(EncodePlan {
        offset: field.offset,
        size: field.dtype.itemsize(),
        op: op_for(&field.dtype),
        serde: Plan::new(field.dtype.clone(), None)?,
        name: field.name.as_str().into(),
    })
}

/// Whether `plans` write every field of `record` once and nothing else, so the compiled
/// encoder leaves no field to the serde encoder (padding between fields stays zero, as the
/// serde encoder leaves it).
pub(crate) fn covers(plans: &[EncodePlan], record: &npy_core::Record) -> bool {
    let mut offsets: Vec<usize> = plans.iter().map(|p| p.offset).collect();
    offsets.sort_unstable();
    offsets.dedup();
    let mut fields: Vec<usize> = record.fields().iter().map(|f| f.offset).collect();
    fields.sort_unstable();
    offsets.len() == plans.len() && offsets == fields
}

/// The serde path for one field: bytes and errors as [`crate::to_path`] has them.
#[cold]
#[inline(never)]
fn through_serde<T: Serialize + ?Sized>(
    value: &T,
    row: &mut [u8],
    plan: &EncodePlan,
) -> Result<()> {
    let Some(field) = row
        .get_mut(plan.offset..)
        .and_then(|rest| rest.get_mut(..plan.size))
    else {
        return Err(super::plan_mismatch());
    };
    encode_row(&plan.serde, value, field).map_err(|e| in_field(e, &plan.name))
}

/// The `N` bytes at `offset` of the row, if it has them.
#[inline(always)]
fn slot<const N: usize>(row: &mut [u8], offset: usize) -> Option<&mut [u8; N]> {
    row.get_mut(offset..)?.first_chunk_mut::<N>()
}

/// `Native` for a scalar of exactly `kind` in this machine's order (or without one),
/// `Swapped` in the other order, else `Serde`.
fn scalar_op(dtype: &npy_core::DType, kind: npy_core::ScalarKind) -> WriteOp {
    use npy_core::{ByteOrder, DType};
    match dtype {
        DType::Scalar(s) if s.kind() == kind => match s.order() {
            ByteOrder::NotApplicable => WriteOp::Native,
            order if order == ByteOrder::native() => WriteOp::Native,
            _ => WriteOp::Swapped,
        },
        _ => WriteOp::Serde,
    }
}

macro_rules! fast_numbers {
    ($($ty:ty => $kind:expr, $bytes:literal;)*) => {$(
        impl WriteFast<$ty> for Field<$ty> {
            fn encode_plan(&self, columns: &Columns<'_>, name: &str) -> Result<EncodePlan> {
                plan_column(columns, name, |dtype| scalar_op(dtype, $kind))
            }

            #[inline(always)]
            fn write(&self, value: &$ty, row: &mut [u8], plan: &EncodePlan) -> Result<()> {
                let bytes = value.to_ne_bytes();
                match (plan.op, slot::<$bytes>(row, plan.offset)) {
                    (WriteOp::Native, Some(out)) => *out = bytes,
                    (WriteOp::Swapped, Some(out)) => {
                        *out = bytes;
                        out.reverse();
                    }
                    _ => return through_serde(value, row, plan),
                }
                Ok(())
            }
        }
    )*};
}

fast_numbers! {
    i8 => npy_core::ScalarKind::Int(1), 1;
    i16 => npy_core::ScalarKind::Int(2), 2;
    i32 => npy_core::ScalarKind::Int(4), 4;
    i64 => npy_core::ScalarKind::Int(8), 8;
    u8 => npy_core::ScalarKind::UInt(1), 1;
    u16 => npy_core::ScalarKind::UInt(2), 2;
    u32 => npy_core::ScalarKind::UInt(4), 4;
    u64 => npy_core::ScalarKind::UInt(8), 8;
    f32 => npy_core::ScalarKind::Float(4), 4;
    f64 => npy_core::ScalarKind::Float(8), 8;
}

impl WriteFast<bool> for Field<bool> {
    fn encode_plan(&self, columns: &Columns<'_>, name: &str) -> Result<EncodePlan> {
        plan_column(columns, name, |dtype| {
            scalar_op(dtype, npy_core::ScalarKind::Bool)
        })
    }

    #[inline(always)]
    fn write(&self, value: &bool, row: &mut [u8], plan: &EncodePlan) -> Result<()> {
        match (plan.op, row.get_mut(plan.offset)) {
            (WriteOp::Native, Some(out)) => *out = u8::from(*value),
            _ => return through_serde(value, row, plan),
        }
        Ok(())
    }
}

/// Whether `dtype` is `S<len>` or `V<len>`.
fn is_bytes_of(dtype: &npy_core::DType, len: usize) -> bool {
    use npy_core::{DType, ScalarKind};
    matches!(dtype, DType::Scalar(s)
        if matches!(s.kind(), ScalarKind::Bytes(n) | ScalarKind::Void(n) if n == len))
}

/// `[u8; N]` into an `S<N>` or `V<N>` field: the `N` bytes as they are.
impl<const N: usize> WriteFast<[u8; N]> for Field<[u8; N]>
where
    [u8; N]: Serialize,
{
    fn encode_plan(&self, columns: &Columns<'_>, name: &str) -> Result<EncodePlan> {
        plan_column(columns, name, |dtype| {
            if is_bytes_of(dtype, N) {
                WriteOp::Native
            } else {
                WriteOp::Serde
            }
        })
    }

    #[inline(always)]
    fn write(&self, value: &[u8; N], row: &mut [u8], plan: &EncodePlan) -> Result<()> {
        match (plan.op, slot::<N>(row, plan.offset)) {
            (WriteOp::Native, Some(out)) => *out = *value,
            _ => return through_serde(value, row, plan),
        }
        Ok(())
    }
}

/// `String` into an `S<n>` field (its UTF-8 bytes) or a `U<n>` field (its characters),
/// NUL-padded; a longer string is serde's error.
impl WriteFast<String> for Field<String> {
    fn encode_plan(&self, columns: &Columns<'_>, name: &str) -> Result<EncodePlan> {
        plan_column(columns, name, |dtype| {
            use npy_core::{ByteOrder, DType, ScalarKind};
            match dtype {
                DType::Scalar(s) if matches!(s.kind(), ScalarKind::Bytes(_)) => WriteOp::Padded,
                DType::Scalar(s) if matches!(s.kind(), ScalarKind::Unicode(_)) => {
                    if s.order() == ByteOrder::native() {
                        WriteOp::Ucs4Native
                    } else {
                        WriteOp::Ucs4Swapped
                    }
                }
                _ => WriteOp::Serde,
            }
        })
    }

    #[inline(always)]
    fn write(&self, value: &String, row: &mut [u8], plan: &EncodePlan) -> Result<()> {
        let Some(field) = row
            .get_mut(plan.offset..)
            .and_then(|rest| rest.get_mut(..plan.size))
        else {
            return Err(super::plan_mismatch());
        };
        let text = value.as_bytes();
        let swapped = match plan.op {
            WriteOp::Padded if text.len() <= field.len() => {
                let (head, tail) = field.split_at_mut(text.len());
                head.copy_from_slice(text);
                tail.fill(0);
                return Ok(());
            }
            WriteOp::Ucs4Native => false,
            WriteOp::Ucs4Swapped => true,
            _ => return through_serde(value, row, plan),
        };
        let mut units = field.chunks_exact_mut(4);
        for c in value.chars() {
            let Some(unit) = units.next() else {
                // Too long: serde's error.
                return through_serde(value, row, plan);
            };
            let code = c as u32;
            unit.copy_from_slice(&if swapped { code.swap_bytes() } else { code }.to_ne_bytes());
        }
        units.for_each(|unit| unit.fill(0));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use npy_core::{ByteOrder, ScalarKind};

    use super::super::test_support::{foreign_order, record};
    use super::*;

    fn op<M: WriteFast<T>, T>(marker: &M, columns: &Columns<'_>, name: &str) -> WriteOp {
        marker.encode_plan(columns, name).unwrap().op
    }

    #[test]
    fn fast_writes_are_chosen_for_exact_matches_only() {
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
        assert_eq!(op(&Field::<i64>::new(), &columns, "a"), WriteOp::Native);
        assert_eq!(op(&Field::<i64>::new(), &columns, "b"), WriteOp::Swapped);
        assert_eq!(op(&Field::<i64>::new(), &columns, "c"), WriteOp::Serde);
        assert_eq!(op(&Field::<[u8; 4]>::new(), &columns, "d"), WriteOp::Native);
        assert_eq!(op(&Field::<[u8; 3]>::new(), &columns, "d"), WriteOp::Serde);
        assert_eq!(op(&Field::<String>::new(), &columns, "d"), WriteOp::Padded);
        assert_eq!(
            op(&Field::<String>::new(), &columns, "f"),
            WriteOp::Ucs4Native
        );
        assert_eq!(
            op(&Field::<String>::new(), &columns, "g"),
            WriteOp::Ucs4Swapped
        );
        assert_eq!(op(&Field::<bool>::new(), &columns, "e"), WriteOp::Native);
        let err = Field::<bool>::new()
            .encode_plan(&columns, "zz")
            .unwrap_err();
        assert!(err.message().contains("internal"), "{err}");
    }

    #[test]
    fn strings_are_padded_and_long_ones_are_serdes_error() {
        let record = record(&[("s", ScalarKind::Bytes(4), ByteOrder::NotApplicable)]);
        let columns = Columns::new(&record);
        let field = Field::<String>::new();
        let plan = field.encode_plan(&columns, "s").unwrap();
        let mut row = [0xffu8; 4];
        field.write(&"ab".to_owned(), &mut row, &plan).unwrap();
        assert_eq!(row, *b"ab\0\0");
        let err = field
            .write(&"abcde".to_owned(), &mut row, &plan)
            .unwrap_err();
        assert_eq!(err.field(), Some("s"));
    }
}
