//! Small serializers that read back one primitive (the bits inside `half::f16`, the ticks inside
//! a datetime, a `u8` of a byte array) or the two parts of a complex number, without allocating.

use serde::ser::{self, Serialize};

use crate::error::{Error, ErrorKind, Result};

/// A primitive value read by [`LeafProbe`].
#[derive(Debug, Clone, Copy)]
pub(crate) enum Leaf {
    U8(u8),
    U16(u16),
    I64(i64),
    F32(f32),
    F64(f64),
    /// Anything else, described for an error message.
    Other(&'static str),
}

impl Leaf {
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Leaf::U8(_) => "u8",
            Leaf::U16(_) => "u16",
            Leaf::I64(_) => "i64",
            Leaf::F32(_) => "f32",
            Leaf::F64(_) => "f64",
            Leaf::Other(what) => what,
        }
    }
}

/// Reads one primitive value; compound values and everything else give [`Leaf::Other`].
pub(crate) struct LeafProbe;

macro_rules! other_leaves {
    ($($method:ident($ty:ty) => $what:literal;)*) => {$(
        fn $method(self, _v: $ty) -> Result<Leaf> {
            Ok(Leaf::Other($what))
        }
    )*};
}

impl ser::Serializer for LeafProbe {
    type Ok = Leaf;
    type Error = Error;
    type SerializeSeq = ser::Impossible<Leaf, Error>;
    type SerializeTuple = ser::Impossible<Leaf, Error>;
    type SerializeTupleStruct = ser::Impossible<Leaf, Error>;
    type SerializeTupleVariant = ser::Impossible<Leaf, Error>;
    type SerializeMap = ser::Impossible<Leaf, Error>;
    type SerializeStruct = ser::Impossible<Leaf, Error>;
    type SerializeStructVariant = ser::Impossible<Leaf, Error>;

    #[inline(always)]
    fn serialize_u8(self, v: u8) -> Result<Leaf> {
        Ok(Leaf::U8(v))
    }
    #[inline(always)]
    fn serialize_u16(self, v: u16) -> Result<Leaf> {
        Ok(Leaf::U16(v))
    }
    #[inline(always)]
    fn serialize_i64(self, v: i64) -> Result<Leaf> {
        Ok(Leaf::I64(v))
    }
    #[inline(always)]
    fn serialize_f32(self, v: f32) -> Result<Leaf> {
        Ok(Leaf::F32(v))
    }
    #[inline(always)]
    fn serialize_f64(self, v: f64) -> Result<Leaf> {
        Ok(Leaf::F64(v))
    }

    other_leaves! {
        serialize_bool(bool) => "bool";
        serialize_i8(i8) => "i8";
        serialize_i16(i16) => "i16";
        serialize_i32(i32) => "i32";
        serialize_i128(i128) => "i128";
        serialize_u32(u32) => "u32";
        serialize_u64(u64) => "u64";
        serialize_u128(u128) => "u128";
        serialize_char(char) => "a char";
        serialize_str(&str) => "a string";
        serialize_bytes(&[u8]) => "bytes";
    }

    fn serialize_none(self) -> Result<Leaf> {
        Ok(Leaf::Other("None"))
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<Leaf> {
        Ok(Leaf::Other("an Option"))
    }
    fn serialize_unit(self) -> Result<Leaf> {
        Ok(Leaf::Other("()"))
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<Leaf> {
        Ok(Leaf::Other("a unit struct"))
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Result<Leaf> {
        Ok(Leaf::Other("an enum"))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<Leaf> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Leaf> {
        Ok(Leaf::Other("an enum"))
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq> {
        Err(compound("a sequence"))
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple> {
        Err(compound("a tuple"))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct> {
        Err(compound("a tuple struct"))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Err(compound("an enum"))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap> {
        Err(compound("a map"))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct> {
        Err(compound("a struct"))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Err(compound("an enum"))
    }
}

#[cold]
fn compound(what: &str) -> Error {
    Error::new(
        ErrorKind::TypeMismatch,
        format!("found {what} where a single number was expected"),
    )
}

/// Reads the `(re, im)` tuple inside a complex number.
pub(crate) struct ComplexProbe;

/// The parts of a complex number, as [`ComplexProbe`] collects them.
pub(crate) struct Parts {
    parts: [Leaf; 2],
    count: usize,
}

impl ser::SerializeTuple for Parts {
    type Ok = [Leaf; 2];
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        let leaf = value.serialize(LeafProbe)?;
        if let Some(slot) = self.parts.get_mut(self.count) {
            *slot = leaf;
        }
        self.count += 1;
        Ok(())
    }

    fn end(self) -> Result<[Leaf; 2]> {
        if self.count != 2 {
            return Err(not_parts());
        }
        Ok(self.parts)
    }
}

#[cold]
fn not_parts() -> Error {
    Error::new(
        ErrorKind::TypeMismatch,
        "a complex number must serialize as a (re, im) tuple (use #[serde(with = \"npy_serde::complex\")])",
    )
}

macro_rules! not_parts {
    ($($method:ident($ty:ty);)*) => {$(
        fn $method(self, _v: $ty) -> Result<[Leaf; 2]> {
            Err(not_parts())
        }
    )*};
}

impl ser::Serializer for ComplexProbe {
    type Ok = [Leaf; 2];
    type Error = Error;
    type SerializeSeq = ser::Impossible<[Leaf; 2], Error>;
    type SerializeTuple = Parts;
    type SerializeTupleStruct = ser::Impossible<[Leaf; 2], Error>;
    type SerializeTupleVariant = ser::Impossible<[Leaf; 2], Error>;
    type SerializeMap = ser::Impossible<[Leaf; 2], Error>;
    type SerializeStruct = ser::Impossible<[Leaf; 2], Error>;
    type SerializeStructVariant = ser::Impossible<[Leaf; 2], Error>;

    not_parts! {
        serialize_bool(bool);
        serialize_i8(i8);
        serialize_i16(i16);
        serialize_i32(i32);
        serialize_i64(i64);
        serialize_i128(i128);
        serialize_u8(u8);
        serialize_u16(u16);
        serialize_u32(u32);
        serialize_u64(u64);
        serialize_u128(u128);
        serialize_f32(f32);
        serialize_f64(f64);
        serialize_char(char);
        serialize_str(&str);
        serialize_bytes(&[u8]);
    }

    fn serialize_none(self) -> Result<[Leaf; 2]> {
        Err(not_parts())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<[Leaf; 2]> {
        Err(not_parts())
    }
    fn serialize_unit(self) -> Result<[Leaf; 2]> {
        Err(not_parts())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<[Leaf; 2]> {
        Err(not_parts())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Result<[Leaf; 2]> {
        Err(not_parts())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<[Leaf; 2]> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<[Leaf; 2]> {
        Err(not_parts())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq> {
        Err(not_parts())
    }
    fn serialize_tuple(self, _len: usize) -> Result<Parts> {
        Ok(Parts {
            parts: [Leaf::Other("nothing"); 2],
            count: 0,
        })
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct> {
        Err(not_parts())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Err(not_parts())
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap> {
        Err(not_parts())
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct> {
        Err(not_parts())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Err(not_parts())
    }
}
