//! The tracing serializer: walks one row value and records (or checks, and widens) its shape in
//! a [`Node`] tree.

use npy_core::{DateTimeUnit, ScalarKind, TimeUnit};
use serde::ser::{self, Serialize};

use super::unsupported;
use super::{Node, RecordKind};
use crate::error::{Error, ErrorKind, Result};
use crate::options::{EnumMode, Options, StringMode};
use crate::tokens::{COMPLEX, DATETIME_PREFIX, HALF_F16, TIMEDELTA_PREFIX};

/// One step of a field path while tracing.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Seg {
    /// A struct field.
    Name(&'static str),
    /// A tuple struct field (`f0`, `f1`, ...).
    Field(usize),
    /// A tuple element (`[0]`, `[1]`, ...): a subarray element or a tuple record field.
    Index(usize),
}

/// Formats a path as `outer.inner[2].f0`.
pub(crate) fn format_path(path: &[Seg]) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    for seg in path {
        match seg {
            Seg::Name(name) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(name);
            }
            Seg::Field(i) => {
                if !out.is_empty() {
                    out.push('.');
                }
                let _ = write!(out, "f{i}");
            }
            Seg::Index(i) => {
                let _ = write!(out, "[{i}]");
            }
        }
    }
    out
}

/// Attaches the current path to an error.
#[cold]
fn at(path: &[Seg], err: Error) -> Error {
    if path.is_empty() {
        err
    } else {
        err.at_field(format_path(path))
    }
}

#[cold]
fn mismatch(path: &[Seg], old: &str, new: &str) -> Error {
    at(
        path,
        Error::new(
            ErrorKind::TypeMismatch,
            format!(
                "found {new} where the first row has {old}; every row must have the same shape"
            ),
        ),
    )
}

/// A traced leaf value, before it is recorded in a [`Node`].
#[derive(Debug, Clone, Copy)]
enum Leaf {
    Fixed(ScalarKind),
    Text(usize),
    Bytes(usize),
}

/// The tracing serializer for one value, recording into `slot`.
pub(crate) struct Tracer<'a> {
    slot: &'a mut Node,
    path: &'a mut Vec<Seg>,
    options: &'a Options,
}

impl<'a> Tracer<'a> {
    pub(crate) fn new(slot: &'a mut Node, path: &'a mut Vec<Seg>, options: &'a Options) -> Self {
        Tracer {
            slot,
            path,
            options,
        }
    }

    /// Records a leaf value: sets an empty slot, checks a fixed one, widens a string one. The
    /// usual cases (the slot already holds the same kind) are checked first and inline.
    #[inline]
    fn leaf(self, new: Leaf) -> Result<()> {
        match (&mut *self.slot, new) {
            (Node::Fixed(a), Leaf::Fixed(b)) if *a == b => Ok(()),
            (Node::Text(a), Leaf::Text(b)) | (Node::Bytes(a), Leaf::Bytes(b)) => {
                *a = (*a).max(b);
                Ok(())
            }
            _ => self.leaf_slow(new),
        }
    }

    #[inline(never)]
    fn leaf_slow(self, new: Leaf) -> Result<()> {
        let new = match new {
            Leaf::Fixed(kind) => Node::Fixed(kind),
            Leaf::Text(n) => Node::Text(n),
            Leaf::Bytes(n) => Node::Bytes(n),
        };
        if let Node::Empty = self.slot {
            *self.slot = new;
            return Ok(());
        }
        Err(mismatch(self.path, &self.slot.describe(), &new.describe()))
    }

    fn text_width(&self, s: &str) -> usize {
        match self.options.strings {
            StringMode::Unicode => s.chars().count(),
            StringMode::Bytes => s.len(),
        }
    }

    /// Traces `value` into a scratch node at the same path (for the inside of tokens).
    fn trace_inner<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<Node> {
        let mut inner = Node::Empty;
        value.serialize(Tracer::new(&mut inner, self.path, self.options))?;
        Ok(inner)
    }

    fn record(self, kind: RecordKind, len: usize) -> Result<StructTracer<'a>> {
        let building = matches!(self.slot, Node::Empty);
        if building {
            *self.slot = Node::Record {
                kind,
                fields: Vec::with_capacity(len),
            };
        }
        if !matches!(&*self.slot, Node::Record { kind: k, .. } if *k == kind) {
            let new = match kind {
                RecordKind::Struct => "a struct",
                RecordKind::TupleStruct => "a tuple struct",
                RecordKind::Tuple => "a tuple",
            };
            return Err(mismatch(self.path, &self.slot.describe(), new));
        }
        match self.slot {
            Node::Record { fields, .. } => Ok(StructTracer {
                fields,
                kind,
                building,
                index: 0,
                path: self.path,
                options: self.options,
            }),
            _ => Err(Error::new(
                ErrorKind::InvalidArgument,
                "internal: record slot changed",
            )),
        }
    }

    fn time(
        self,
        name: &'static str,
        unit_name: &str,
        value: &(impl Serialize + ?Sized),
        delta: bool,
    ) -> Result<()> {
        let unit = unit_name
            .strip_suffix(']')
            .and_then(TimeUnit::from_name)
            .and_then(|unit| DateTimeUnit::new(unit, 1).ok())
            .ok_or_else(|| {
                at(
                    self.path,
                    Error::new(
                        ErrorKind::InvalidArgument,
                        format!("`{name}` does not name a datetime unit NumPy knows"),
                    ),
                )
            })?;
        let mut this = self;
        let inner = this.trace_inner(value)?;
        if inner != Node::Fixed(ScalarKind::Int(8)) {
            return Err(at(
                this.path,
                Error::new(
                    ErrorKind::TypeMismatch,
                    format!(
                        "`{name}` must wrap an i64 tick count, not {}",
                        inner.describe()
                    ),
                ),
            ));
        }
        this.leaf(Leaf::Fixed(if delta {
            ScalarKind::TimeDelta(unit)
        } else {
            ScalarKind::DateTime(unit)
        }))
    }
}

macro_rules! leaf_methods {
    ($($method:ident($ty:ty) => $kind:expr;)*) => {$(
        fn $method(self, _v: $ty) -> Result<()> {
            self.leaf(Leaf::Fixed($kind))
        }
    )*};
}

impl<'a> ser::Serializer for Tracer<'a> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = ser::Impossible<(), Error>;
    type SerializeTuple = TupleTracer<'a>;
    type SerializeTupleStruct = StructTracer<'a>;
    type SerializeTupleVariant = ser::Impossible<(), Error>;
    type SerializeMap = ser::Impossible<(), Error>;
    type SerializeStruct = StructTracer<'a>;
    type SerializeStructVariant = ser::Impossible<(), Error>;

    leaf_methods! {
        serialize_bool(bool) => ScalarKind::Bool;
        serialize_i8(i8) => ScalarKind::Int(1);
        serialize_i16(i16) => ScalarKind::Int(2);
        serialize_i32(i32) => ScalarKind::Int(4);
        serialize_i64(i64) => ScalarKind::Int(8);
        serialize_u8(u8) => ScalarKind::UInt(1);
        serialize_u16(u16) => ScalarKind::UInt(2);
        serialize_u32(u32) => ScalarKind::UInt(4);
        serialize_u64(u64) => ScalarKind::UInt(8);
        serialize_f32(f32) => ScalarKind::Float(4);
        serialize_f64(f64) => ScalarKind::Float(8);
    }

    fn serialize_i128(self, _v: i128) -> Result<()> {
        Err(at(self.path, unsupported::int128("i128")))
    }

    fn serialize_u128(self, _v: u128) -> Result<()> {
        Err(at(self.path, unsupported::int128("u128")))
    }

    fn serialize_char(self, v: char) -> Result<()> {
        let width = match self.options.strings {
            StringMode::Unicode => 1,
            StringMode::Bytes => v.len_utf8(),
        };
        self.leaf(Leaf::Text(width))
    }

    fn serialize_str(self, v: &str) -> Result<()> {
        let width = self.text_width(v);
        self.leaf(Leaf::Text(width))
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<()> {
        self.leaf(Leaf::Bytes(v.len()))
    }

    fn serialize_none(self) -> Result<()> {
        Err(at(self.path, unsupported::option()))
    }

    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<()> {
        Err(at(self.path, unsupported::option()))
    }

    fn serialize_unit(self) -> Result<()> {
        Err(at(self.path, unsupported::unit()))
    }

    fn serialize_unit_struct(self, name: &'static str) -> Result<()> {
        Err(at(self.path, unsupported::unit_struct(name)))
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<()> {
        match self.options.enums {
            EnumMode::Name => {
                let width = self.text_width(variant);
                self.leaf(Leaf::Text(width))
            }
            EnumMode::Index => self.leaf(Leaf::Fixed(ScalarKind::UInt(4))),
        }
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        mut self,
        name: &'static str,
        value: &T,
    ) -> Result<()> {
        if name == HALF_F16 {
            let inner = self.trace_inner(value)?;
            if inner != Node::Fixed(ScalarKind::UInt(2)) {
                return Err(at(
                    self.path,
                    Error::new(
                        ErrorKind::TypeMismatch,
                        format!(
                            "a newtype named `f16` (half::f16) must wrap its u16 bits, not {}",
                            inner.describe()
                        ),
                    ),
                ));
            }
            self.leaf(Leaf::Fixed(ScalarKind::Float(2)))
        } else if name == COMPLEX {
            let inner = self.trace_inner(value)?;
            let kind = match &inner {
                Node::Array { len: 2, elem } => match **elem {
                    Node::Fixed(ScalarKind::Float(4)) => Some(ScalarKind::Complex(8)),
                    Node::Fixed(ScalarKind::Float(8)) => Some(ScalarKind::Complex(16)),
                    _ => None,
                },
                _ => None,
            };
            match kind {
                Some(kind) => self.leaf(Leaf::Fixed(kind)),
                None => Err(at(
                    self.path,
                    Error::new(
                        ErrorKind::Unsupported,
                        format!(
                            "a complex number must have f32 or f64 parts (found {}): use \
                             Complex<f32> or Complex<f64>",
                            inner.describe()
                        ),
                    ),
                )),
            }
        } else if let Some(unit) = name.strip_prefix(DATETIME_PREFIX) {
            self.time(name, unit, value, false)
        } else if let Some(unit) = name.strip_prefix(TIMEDELTA_PREFIX) {
            self.time(name, unit, value, true)
        } else {
            value.serialize(self)
        }
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        _index: u32,
        variant: &'static str,
        _value: &T,
    ) -> Result<()> {
        Err(at(self.path, unsupported::data_variant(name, variant)))
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq> {
        Err(at(self.path, unsupported::seq()))
    }

    fn serialize_tuple(self, len: usize) -> Result<TupleTracer<'a>> {
        let Tracer {
            slot,
            path,
            options,
        } = self;
        if matches!(slot, Node::Empty) {
            return Ok(TupleTracer::Build {
                slot,
                elems: Vec::with_capacity(len),
                path,
                options,
            });
        }
        let wrong_len = |path: &[Seg], old: usize| {
            Err(at(
                path,
                Error::new(
                    ErrorKind::TypeMismatch,
                    format!("found a tuple of {len} elements where the first row has {old}"),
                ),
            ))
        };
        match slot {
            Node::Array { len: l, elem } => {
                if *l != len {
                    return wrong_len(path, *l);
                }
                Ok(TupleTracer::Array {
                    elem,
                    len,
                    index: 0,
                    path,
                    options,
                })
            }
            Node::ByteArray(n) => {
                if *n != len {
                    return wrong_len(path, *n);
                }
                Ok(TupleTracer::Bytes {
                    len,
                    index: 0,
                    path,
                    options,
                })
            }
            Node::Record {
                kind: RecordKind::Tuple,
                fields,
            } => {
                if fields.len() != len {
                    return wrong_len(path, fields.len());
                }
                Ok(TupleTracer::Fields(StructTracer {
                    fields,
                    kind: RecordKind::Tuple,
                    building: false,
                    index: 0,
                    path,
                    options,
                }))
            }
            old => Err(mismatch(
                path,
                &old.describe(),
                &format!("a tuple of {len} elements"),
            )),
        }
    }

    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<StructTracer<'a>> {
        self.record(RecordKind::TupleStruct, len)
    }

    fn serialize_tuple_variant(
        self,
        name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Err(at(self.path, unsupported::data_variant(name, variant)))
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap> {
        Err(at(self.path, unsupported::map()))
    }

    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<StructTracer<'a>> {
        self.record(RecordKind::Struct, len)
    }

    fn serialize_struct_variant(
        self,
        name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Err(at(self.path, unsupported::data_variant(name, variant)))
    }
}

/// Traces the fields of a struct, tuple struct, or heterogeneous tuple.
pub(crate) struct StructTracer<'a> {
    fields: &'a mut Vec<(&'static str, Node)>,
    kind: RecordKind,
    building: bool,
    index: usize,
    path: &'a mut Vec<Seg>,
    options: &'a Options,
}

impl StructTracer<'_> {
    #[inline]
    fn field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        seg: Seg,
        value: &T,
    ) -> Result<()> {
        let slot = if self.building {
            self.fields.push((key, Node::Empty));
            let last = self.fields.len() - 1;
            &mut self.fields[last].1
        } else {
            let count = self.fields.len();
            match self.fields.get_mut(self.index) {
                Some((name, slot)) if std::ptr::eq(*name, key) || *name == key => slot,
                other => {
                    let expected = other.map(|(name, _)| *name);
                    return Err(wrong_field(self.path, key, expected, self.index, count));
                }
            }
        };
        self.path.push(seg);
        value.serialize(Tracer::new(slot, self.path, self.options))?;
        self.path.pop();
        self.index += 1;
        Ok(())
    }

    fn finish(self) -> Result<()> {
        if !self.building && self.index != self.fields.len() {
            let msg = match self.kind {
                RecordKind::Struct => format!(
                    "field `{}` of the first row is missing",
                    self.fields[self.index].0
                ),
                RecordKind::TupleStruct | RecordKind::Tuple => format!(
                    "found {} fields where the first row has {}",
                    self.index,
                    self.fields.len()
                ),
            };
            return Err(at(self.path, Error::new(ErrorKind::TypeMismatch, msg)));
        }
        Ok(())
    }
}

impl ser::SerializeStruct for StructTracer<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<()> {
        self.field(key, Seg::Name(key), value)
    }

    fn skip_field(&mut self, key: &'static str) -> Result<()> {
        self.path.push(Seg::Name(key));
        Err(at(self.path, unsupported::skipped_field(key)))
    }

    fn end(self) -> Result<()> {
        self.finish()
    }
}

impl ser::SerializeTupleStruct for StructTracer<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        let seg = Seg::Field(self.index);
        self.field("", seg, value)
    }

    fn end(self) -> Result<()> {
        self.finish()
    }
}

/// A row's field differs from the first row's: another name, or one field too many.
#[cold]
#[inline(never)]
fn wrong_field(
    path: &[Seg],
    key: &str,
    expected: Option<&str>,
    index: usize,
    count: usize,
) -> Error {
    let msg = match expected {
        Some(name) => format!(
            "found field `{key}` where the first row has `{name}`; every row must have the same \
             fields in the same order"
        ),
        None => format!("found {} fields where the first row has {count}", index + 1),
    };
    at(path, Error::new(ErrorKind::TypeMismatch, msg))
}

/// Traces the elements of a tuple: building (then deciding subarray, byte string or record),
/// or checking against the first row's decision.
pub(crate) enum TupleTracer<'a> {
    Build {
        slot: &'a mut Node,
        elems: Vec<Node>,
        path: &'a mut Vec<Seg>,
        options: &'a Options,
    },
    Array {
        elem: &'a mut Node,
        len: usize,
        index: usize,
        path: &'a mut Vec<Seg>,
        options: &'a Options,
    },
    Bytes {
        len: usize,
        index: usize,
        path: &'a mut Vec<Seg>,
        options: &'a Options,
    },
    Fields(StructTracer<'a>),
}

#[cold]
fn too_many(path: &[Seg], len: usize) -> Error {
    at(
        path,
        Error::new(
            ErrorKind::TypeMismatch,
            format!("a tuple announced {len} elements but wrote more"),
        ),
    )
}

impl ser::SerializeTuple for TupleTracer<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        match self {
            TupleTracer::Build {
                elems,
                path,
                options,
                ..
            } => {
                path.push(Seg::Index(elems.len()));
                let mut node = Node::Empty;
                value.serialize(Tracer::new(&mut node, path, options))?;
                path.pop();
                elems.push(node);
                Ok(())
            }
            TupleTracer::Array {
                elem,
                len,
                index,
                path,
                options,
            } => {
                if *index >= *len {
                    return Err(too_many(path, *len));
                }
                path.push(Seg::Index(*index));
                value.serialize(Tracer::new(elem, path, options))?;
                path.pop();
                *index += 1;
                Ok(())
            }
            TupleTracer::Bytes {
                len,
                index,
                path,
                options,
            } => {
                if *index >= *len {
                    return Err(too_many(path, *len));
                }
                path.push(Seg::Index(*index));
                let mut node = Node::Empty;
                value.serialize(Tracer::new(&mut node, path, options))?;
                if node != Node::Fixed(ScalarKind::UInt(1)) {
                    return Err(mismatch(path, "u8", &node.describe()));
                }
                path.pop();
                *index += 1;
                Ok(())
            }
            TupleTracer::Fields(fields) => {
                let seg = Seg::Index(fields.index);
                fields.field("", seg, value)
            }
        }
    }

    fn end(self) -> Result<()> {
        match self {
            TupleTracer::Build {
                slot, elems, path, ..
            } => {
                *slot = decide_tuple(elems).map_err(|e| at(path, e))?;
                Ok(())
            }
            TupleTracer::Array {
                len, index, path, ..
            }
            | TupleTracer::Bytes {
                len, index, path, ..
            } => {
                if index != len {
                    return Err(at(
                        path,
                        Error::new(
                            ErrorKind::TypeMismatch,
                            format!("a tuple announced {len} elements but wrote {index}"),
                        ),
                    ));
                }
                Ok(())
            }
            TupleTracer::Fields(fields) => fields.finish(),
        }
    }
}

/// The tuple rule: all `u8` -> byte string `S<n>`; all of one shape -> subarray; otherwise a
/// record of fields `f0`, `f1`, ...
fn decide_tuple(elems: Vec<Node>) -> Result<Node> {
    let Some(first) = elems.first() else {
        return Err(unsupported::empty_tuple());
    };
    if elems.iter().all(|e| *e == Node::Fixed(ScalarKind::UInt(1))) {
        return Ok(Node::ByteArray(elems.len()));
    }
    if elems.iter().all(|e| e.same_shape(first)) {
        let len = elems.len();
        let mut iter = elems.into_iter();
        let mut elem = iter.next().unwrap_or(Node::Empty);
        for other in iter {
            elem.widen(&other);
        }
        return Ok(Node::Array {
            len,
            elem: Box::new(elem),
        });
    }
    Ok(Node::Record {
        kind: RecordKind::Tuple,
        fields: elems.into_iter().map(|e| ("", e)).collect(),
    })
}
