//! The string-width pass over many rows: after the first row is traced, the other rows only
//! need the lengths of their strings. [`WidthScan`] is a serializer that ignores everything but
//! strings, byte strings and enum variant names, and records their widths by position (the
//! k-th string of the row), without field names, paths or allocation.
//!
//! A row whose strings do not line up with the first row's (another shape, an unsupported type)
//! is handed back to the full tracer, which reports the problem with its field path.

use serde::ser::{self, Serialize};

use super::Node;
use crate::error::{Error, ErrorKind, Result};
use crate::options::{EnumMode, StringMode};

impl Node {
    /// The number of string slots one row has, counting each subarray element.
    pub(crate) fn string_slots(&self) -> usize {
        match self {
            Node::Text(_) | Node::Bytes(_) => 1,
            Node::Record { fields, .. } => fields.iter().map(|(_, f)| f.string_slots()).sum(),
            Node::Array { len, elem } => len.saturating_mul(elem.string_slots()),
            Node::Empty | Node::Fixed(_) | Node::ByteArray(_) => 0,
        }
    }

    /// Widens the string nodes to the scanned widths, slot by slot in serialization order.
    pub(crate) fn widen_to(&mut self, widths: &[usize], next: &mut usize) {
        match self {
            Node::Text(w) | Node::Bytes(w) => {
                if let Some(&scanned) = widths.get(*next) {
                    *w = (*w).max(scanned);
                }
                *next += 1;
            }
            Node::Record { fields, .. } => {
                for (_, f) in fields {
                    f.widen_to(widths, next);
                }
            }
            Node::Array { len, elem } => {
                for _ in 0..*len {
                    elem.widen_to(widths, next);
                }
            }
            Node::Empty | Node::Fixed(_) | Node::ByteArray(_) => {}
        }
    }
}

/// The widths of one pass: the longest value of each string slot.
pub(crate) struct Widths {
    slots: Vec<usize>,
    strings: StringMode,
    enums: EnumMode,
}

impl Widths {
    pub(crate) fn new(slots: usize, strings: StringMode, enums: EnumMode) -> Widths {
        Widths {
            slots: vec![0; slots],
            strings,
            enums,
        }
    }

    pub(crate) fn slots(&self) -> &[usize] {
        &self.slots
    }

    /// Scans one row. `Ok(false)` when the row's strings do not line up with the slots.
    pub(crate) fn scan<T: Serialize + ?Sized>(&mut self, row: &T) -> bool {
        let mut next = 0;
        let fits = row
            .serialize(WidthScan {
                widths: self,
                next: &mut next,
            })
            .is_ok();
        fits && next == self.slots.len()
    }
}

/// The scanning serializer: `next` is the index of the row's next string slot.
struct WidthScan<'a> {
    widths: &'a mut Widths,
    next: &'a mut usize,
}

impl WidthScan<'_> {
    #[inline]
    fn record(self, width: usize) -> Result<()> {
        let slot = self.widths.slots.get_mut(*self.next).ok_or_else(off)?;
        *slot = (*slot).max(width);
        *self.next += 1;
        Ok(())
    }

    #[inline]
    fn text(self, s: &str) -> Result<()> {
        let width = match self.widths.strings {
            StringMode::Unicode => s.chars().count(),
            StringMode::Bytes => s.len(),
        };
        self.record(width)
    }

    fn reborrow(&mut self) -> WidthScan<'_> {
        WidthScan {
            widths: self.widths,
            next: self.next,
        }
    }
}

/// The row does not line up; the caller traces it fully to say why.
#[cold]
fn off() -> Error {
    Error::new(
        ErrorKind::TypeMismatch,
        "row shape differs from the first row",
    )
}

macro_rules! ignore {
    ($($method:ident($ty:ty);)*) => {$(
        #[inline]
        fn $method(self, _v: $ty) -> Result<()> {
            Ok(())
        }
    )*};
}

impl<'a> ser::Serializer for WidthScan<'a> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = ser::Impossible<(), Error>;
    type SerializeTuple = WidthScan<'a>;
    type SerializeTupleStruct = WidthScan<'a>;
    type SerializeTupleVariant = ser::Impossible<(), Error>;
    type SerializeMap = ser::Impossible<(), Error>;
    type SerializeStruct = WidthScan<'a>;
    type SerializeStructVariant = ser::Impossible<(), Error>;

    ignore! {
        serialize_bool(bool);
        serialize_i8(i8);
        serialize_i16(i16);
        serialize_i32(i32);
        serialize_i64(i64);
        serialize_u8(u8);
        serialize_u16(u16);
        serialize_u32(u32);
        serialize_u64(u64);
        serialize_f32(f32);
        serialize_f64(f64);
    }

    fn serialize_i128(self, _v: i128) -> Result<()> {
        Err(off())
    }
    fn serialize_u128(self, _v: u128) -> Result<()> {
        Err(off())
    }
    fn serialize_char(self, v: char) -> Result<()> {
        let mut utf8 = [0u8; 4];
        self.text(v.encode_utf8(&mut utf8))
    }
    #[inline]
    fn serialize_str(self, v: &str) -> Result<()> {
        self.text(v)
    }
    #[inline]
    fn serialize_bytes(self, v: &[u8]) -> Result<()> {
        self.record(v.len())
    }
    fn serialize_none(self) -> Result<()> {
        Err(off())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<()> {
        Err(off())
    }
    fn serialize_unit(self) -> Result<()> {
        Err(off())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<()> {
        Err(off())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<()> {
        match self.widths.enums {
            EnumMode::Name => self.text(variant),
            EnumMode::Index => Ok(()),
        }
    }
    #[inline]
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<()> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<()> {
        Err(off())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq> {
        Err(off())
    }
    #[inline]
    fn serialize_tuple(self, _len: usize) -> Result<Self> {
        Ok(self)
    }
    #[inline]
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self> {
        Ok(self)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Err(off())
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap> {
        Err(off())
    }
    #[inline]
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self> {
        Ok(self)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Err(off())
    }
}

impl ser::SerializeStruct for WidthScan<'_> {
    type Ok = ();
    type Error = Error;

    #[inline]
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        _key: &'static str,
        value: &T,
    ) -> Result<()> {
        value.serialize(self.reborrow())
    }

    fn skip_field(&mut self, _key: &'static str) -> Result<()> {
        Err(off())
    }

    #[inline]
    fn end(self) -> Result<()> {
        Ok(())
    }
}

impl ser::SerializeTuple for WidthScan<'_> {
    type Ok = ();
    type Error = Error;

    #[inline]
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        value.serialize(self.reborrow())
    }

    #[inline]
    fn end(self) -> Result<()> {
        Ok(())
    }
}

impl ser::SerializeTupleStruct for WidthScan<'_> {
    type Ok = ();
    type Error = Error;

    #[inline]
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        value.serialize(self.reborrow())
    }

    #[inline]
    fn end(self) -> Result<()> {
        Ok(())
    }
}
