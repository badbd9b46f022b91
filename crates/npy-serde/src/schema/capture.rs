//! A recorded row: [`Value`] keeps the serde calls of one row so that
//! [`RecordWriter`](crate::RecordWriter) can hold its sample rows until the string widths are
//! known, then replay them into the row encoder. Rows are traced before they are captured, so
//! every type the tracer rejects is rejected here with a plain message only.

use serde::ser::{self, Serialize, SerializeStruct, SerializeTuple, SerializeTupleStruct};

use crate::error::{Error, ErrorKind, Result};

/// The serde calls of one value. Names are the `&'static str` serde passed, so replaying is
/// exact.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Bool(bool),
    I8(i8),
    I16(i16),
    I32(i32),
    I64(i64),
    U8(u8),
    U16(u16),
    U32(u32),
    U64(u64),
    F32(f32),
    F64(f64),
    Char(char),
    Str(String),
    Bytes(Vec<u8>),
    UnitVariant(&'static str, u32, &'static str),
    Newtype(&'static str, Box<Value>),
    Tuple(Vec<Value>),
    TupleStruct(&'static str, Vec<Value>),
    Struct(&'static str, Vec<(&'static str, Value)>),
}

impl Serialize for Value {
    fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Bool(v) => s.serialize_bool(*v),
            Value::I8(v) => s.serialize_i8(*v),
            Value::I16(v) => s.serialize_i16(*v),
            Value::I32(v) => s.serialize_i32(*v),
            Value::I64(v) => s.serialize_i64(*v),
            Value::U8(v) => s.serialize_u8(*v),
            Value::U16(v) => s.serialize_u16(*v),
            Value::U32(v) => s.serialize_u32(*v),
            Value::U64(v) => s.serialize_u64(*v),
            Value::F32(v) => s.serialize_f32(*v),
            Value::F64(v) => s.serialize_f64(*v),
            Value::Char(v) => s.serialize_char(*v),
            Value::Str(v) => s.serialize_str(v),
            Value::Bytes(v) => s.serialize_bytes(v),
            Value::UnitVariant(name, index, variant) => {
                s.serialize_unit_variant(name, *index, variant)
            }
            Value::Newtype(name, inner) => s.serialize_newtype_struct(name, inner),
            Value::Tuple(elems) => {
                let mut t = s.serialize_tuple(elems.len())?;
                for e in elems {
                    t.serialize_element(e)?;
                }
                t.end()
            }
            Value::TupleStruct(name, fields) => {
                let mut t = s.serialize_tuple_struct(name, fields.len())?;
                for f in fields {
                    t.serialize_field(f)?;
                }
                t.end()
            }
            Value::Struct(name, fields) => {
                let mut t = s.serialize_struct(name, fields.len())?;
                for (key, f) in fields {
                    t.serialize_field(key, f)?;
                }
                t.end()
            }
        }
    }
}

/// Records a value into a [`Value`].
pub(crate) struct Capture;

#[cold]
fn not_captured(what: &str) -> Error {
    Error::new(ErrorKind::Unsupported, format!("{what} has no NumPy dtype"))
}

/// Collects the elements or fields of a compound value.
pub(crate) struct Collect {
    kind: CollectKind,
    values: Vec<(&'static str, Value)>,
}

enum CollectKind {
    Tuple,
    TupleStruct(&'static str),
    Struct(&'static str),
}

impl Collect {
    fn new(kind: CollectKind, len: usize) -> Collect {
        Collect {
            kind,
            values: Vec::with_capacity(len),
        }
    }

    fn finish(self) -> Value {
        match self.kind {
            CollectKind::Tuple => Value::Tuple(self.values.into_iter().map(|(_, v)| v).collect()),
            CollectKind::TupleStruct(name) => {
                Value::TupleStruct(name, self.values.into_iter().map(|(_, v)| v).collect())
            }
            CollectKind::Struct(name) => Value::Struct(name, self.values),
        }
    }
}

macro_rules! capture_leaf {
    ($($method:ident($ty:ty) => $variant:ident;)*) => {$(
        fn $method(self, v: $ty) -> Result<Value> {
            Ok(Value::$variant(v))
        }
    )*};
}

impl ser::Serializer for Capture {
    type Ok = Value;
    type Error = Error;
    type SerializeSeq = ser::Impossible<Value, Error>;
    type SerializeTuple = Collect;
    type SerializeTupleStruct = Collect;
    type SerializeTupleVariant = ser::Impossible<Value, Error>;
    type SerializeMap = ser::Impossible<Value, Error>;
    type SerializeStruct = Collect;
    type SerializeStructVariant = ser::Impossible<Value, Error>;

    capture_leaf! {
        serialize_bool(bool) => Bool;
        serialize_i8(i8) => I8;
        serialize_i16(i16) => I16;
        serialize_i32(i32) => I32;
        serialize_i64(i64) => I64;
        serialize_u8(u8) => U8;
        serialize_u16(u16) => U16;
        serialize_u32(u32) => U32;
        serialize_u64(u64) => U64;
        serialize_f32(f32) => F32;
        serialize_f64(f64) => F64;
        serialize_char(char) => Char;
    }

    fn serialize_str(self, v: &str) -> Result<Value> {
        Ok(Value::Str(v.to_owned()))
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<Value> {
        Ok(Value::Bytes(v.to_vec()))
    }

    fn serialize_none(self) -> Result<Value> {
        Err(not_captured("Option<T>"))
    }

    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<Value> {
        Err(not_captured("Option<T>"))
    }

    fn serialize_unit(self) -> Result<Value> {
        Err(not_captured("()"))
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<Value> {
        Err(not_captured("a unit struct"))
    }

    fn serialize_unit_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
    ) -> Result<Value> {
        Ok(Value::UnitVariant(name, index, variant))
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<Value> {
        Ok(Value::Newtype(name, Box::new(value.serialize(Capture)?)))
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<Value> {
        Err(not_captured("an enum variant with data"))
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq> {
        Err(not_captured("a sequence"))
    }

    fn serialize_tuple(self, len: usize) -> Result<Collect> {
        Ok(Collect::new(CollectKind::Tuple, len))
    }

    fn serialize_tuple_struct(self, name: &'static str, len: usize) -> Result<Collect> {
        Ok(Collect::new(CollectKind::TupleStruct(name), len))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Err(not_captured("an enum variant with data"))
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap> {
        Err(not_captured("a map"))
    }

    fn serialize_struct(self, name: &'static str, len: usize) -> Result<Collect> {
        Ok(Collect::new(CollectKind::Struct(name), len))
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Err(not_captured("an enum variant with data"))
    }
}

impl ser::SerializeTuple for Collect {
    type Ok = Value;
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.values.push(("", value.serialize(Capture)?));
        Ok(())
    }

    fn end(self) -> Result<Value> {
        Ok(self.finish())
    }
}

impl ser::SerializeTupleStruct for Collect {
    type Ok = Value;
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.values.push(("", value.serialize(Capture)?));
        Ok(())
    }

    fn end(self) -> Result<Value> {
        Ok(self.finish())
    }
}

impl ser::SerializeStruct for Collect {
    type Ok = Value;
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<()> {
        self.values.push((key, value.serialize(Capture)?));
        Ok(())
    }

    fn end(self) -> Result<Value> {
        Ok(self.finish())
    }
}
