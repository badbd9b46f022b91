//! Writing one field of a compiled row: where it goes, and how each Rust type writes it.
//!
//! As for reading (see `field`), the derive plans each field with [`encode_plan`] (the access
//! decided by [`super::kind::access`], as for reading) and writes it with
//! `(&Field::<T>::new()).write(&self.x, row, plan)`: method resolution picks [`WriteFast`]
//! (the scalars, `[u8; N]`, `String`) or, one reference further, [`WriteSerde`] for any
//! serializable type. The fast writers store exact matches (`i64` into `'<i8'`, `String` into
//! `'|S16'` or `'<U16'`); everything else, and every error, goes through npy-serde's serde
//! encoder for that field, so the bytes and errors are those of [`crate::to_path`].

use serde::Serialize;

use super::columns::Columns;
use super::kind::{access, Access, Field, Kind};
use crate::de::in_field;
use crate::error::Result;
use crate::ser::{encode_row, Plan};

/// Where one struct field goes in a row and how to write it.
#[doc(hidden)]
#[derive(Debug)]
pub struct EncodePlan {
    offset: usize,
    size: usize,
    access: Access,
    /// The field's own encoding plan (the serde path) and name (for error paths).
    serde: Plan,
    name: Box<str>,
}

/// Finds the column `name` (the field's serialize name) in the record traced from the type and
/// decides how a `kind` value is written into it.
#[doc(hidden)]
pub fn encode_plan(columns: &Columns, name: &str, kind: Kind) -> Result<EncodePlan> {
    let Some(field) = columns.find_name(name) else {
        return Err(super::plan_mismatch());
    };
    Ok(EncodePlan {
        offset: field.offset,
        size: field.dtype.itemsize(),
        access: access(kind, &field.dtype),
        serde: Plan::new(field.dtype.clone(), None)?,
        name: field.name.as_str().into(),
    })
}

/// A field type with a fast writer for some dtypes.
#[doc(hidden)]
pub trait WriteFast<T> {
    /// Writes the field into a row.
    fn write(&self, value: &T, row: &mut [u8], plan: &EncodePlan) -> Result<()>;
}

/// Any serializable field type, written through serde.
#[doc(hidden)]
pub trait WriteSerde<T> {
    /// Writes the field into a row.
    fn write(&self, value: &T, row: &mut [u8], plan: &EncodePlan) -> Result<()>;
}

impl<T: Serialize> WriteSerde<T> for &Field<T> {
    #[inline(always)]
    fn write(&self, value: &T, row: &mut [u8], plan: &EncodePlan) -> Result<()> {
        through_serde(value, row, plan)
    }
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
    let Some(field) = field_of(row, plan) else {
        return Err(super::plan_mismatch());
    };
    encode_row(&plan.serde, value, field).map_err(|e| in_field(e, &plan.name))
}

/// The field's bytes in the row, if the row has them.
#[inline(always)]
fn field_of<'r>(row: &'r mut [u8], plan: &EncodePlan) -> Option<&'r mut [u8]> {
    row.get_mut(plan.offset..)?.get_mut(..plan.size)
}

/// The `N` bytes at `offset` of the row, if it has them.
#[inline(always)]
fn slot<const N: usize>(row: &mut [u8], offset: usize) -> Option<&mut [u8; N]> {
    row.get_mut(offset..)?.first_chunk_mut::<N>()
}

macro_rules! fast_numbers {
    ($($ty:ty => $bytes:literal;)*) => {$(
        impl WriteFast<$ty> for Field<$ty> {
            #[inline(always)]
            fn write(&self, value: &$ty, row: &mut [u8], plan: &EncodePlan) -> Result<()> {
                let bytes = value.to_ne_bytes();
                match (plan.access, slot::<$bytes>(row, plan.offset)) {
                    (Access::Native, Some(out)) => *out = bytes,
                    (Access::Swapped, Some(out)) => {
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

impl WriteFast<bool> for Field<bool> {
    #[inline(always)]
    fn write(&self, value: &bool, row: &mut [u8], plan: &EncodePlan) -> Result<()> {
        match (plan.access, row.get_mut(plan.offset)) {
            (Access::Native, Some(out)) => *out = u8::from(*value),
            _ => return through_serde(value, row, plan),
        }
        Ok(())
    }
}

/// `[u8; N]` into an `S<N>` or `V<N>` field: the `N` bytes as they are.
impl<const N: usize> WriteFast<[u8; N]> for Field<[u8; N]>
where
    [u8; N]: Serialize,
{
    #[inline(always)]
    fn write(&self, value: &[u8; N], row: &mut [u8], plan: &EncodePlan) -> Result<()> {
        match (plan.access, slot::<N>(row, plan.offset)) {
            (Access::Native, Some(out)) => *out = *value,
            _ => return through_serde(value, row, plan),
        }
        Ok(())
    }
}

/// `String` into an `S<n>` field (its UTF-8 bytes) or a `U<n>` field (its characters),
/// NUL-padded; a longer string is serde's error.
impl WriteFast<String> for Field<String> {
    #[inline(always)]
    fn write(&self, value: &String, row: &mut [u8], plan: &EncodePlan) -> Result<()> {
        let Some(field) = field_of(row, plan) else {
            return Err(super::plan_mismatch());
        };
        let text = value.as_bytes();
        let swapped = match plan.access {
            Access::Text if text.len() <= field.len() => {
                let (head, tail) = field.split_at_mut(text.len());
                head.copy_from_slice(text);
                tail.fill(0);
                return Ok(());
            }
            Access::Ucs4Native => false,
            Access::Ucs4Swapped => true,
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

    use super::super::kind::KnownKind as _;
    use super::super::test_support::record;
    use super::*;

    #[test]
    fn plans_take_the_shared_access_decision_and_need_the_column() {
        let record = record(&[
            ("a", ScalarKind::Int(8), ByteOrder::native()),
            ("c", ScalarKind::Int(4), ByteOrder::native()),
        ]);
        let columns = Columns::new(&record);
        let kind = Field::<i64>::new().kind();
        let direct = encode_plan(&columns, "a", kind).unwrap();
        assert_eq!((direct.access, direct.offset), (Access::Native, 0));
        // An i64 into i4: serde's business (it refuses the narrowing).
        let narrowed = encode_plan(&columns, "c", kind).unwrap();
        assert_eq!(narrowed.access, Access::Serde);
        let err = Field::<i64>::new()
            .write(&1, &mut [0; 12], &narrowed)
            .unwrap_err();
        assert_eq!(err.field(), Some("c"), "{err}");
        let err = encode_plan(&columns, "zz", kind).unwrap_err();
        assert!(err.message().contains("internal"), "{err}");
    }

    #[test]
    fn strings_are_padded_and_long_ones_are_serdes_error() {
        let record = record(&[("s", ScalarKind::Bytes(4), ByteOrder::NotApplicable)]);
        let columns = Columns::new(&record);
        let field = Field::<String>::new();
        let plan = encode_plan(&columns, "s", field.kind()).unwrap();
        let mut row = [0xffu8; 4];
        field.write(&"ab".to_owned(), &mut row, &plan).unwrap();
        assert_eq!(row, *b"ab\0\0");
        let err = field
            .write(&"abcde".to_owned(), &mut row, &plan)
            .unwrap_err();
        assert_eq!(err.field(), Some("s"));
    }
}
