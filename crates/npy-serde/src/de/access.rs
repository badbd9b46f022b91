//! What [`De`] hands to visitors: sequences and maps over record fields and subarray elements,
//! enum access, key deserializers, the probes of [`super::plan`], and [`PrimDe`] for values
//! already decoded (complex parts, bytes, `f16` bits).

use std::borrow::Cow;

use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor,
};
use serde::forward_to_deserialize_any;

use super::node::{RecordNode, SubNode};
use super::plan::{Entry, Probe, Slot, StructPlan};
use super::value::{De, RegionDe};
use super::{fire_probe, in_element, in_field, mismatch};
use crate::error::{Error, ErrorKind, Result};

/// A struct's fields in `FIELDS` order, positionally (plan mode `Seq`).
pub(crate) struct StructSeq<'de, 'p> {
    /// The record's bytes (a slice rather than a [`De`]: building this then stores words, not
    /// a copied block, which the visitor would wait on reading back).
    data: &'de [u8],
    /// The fields not handed out yet (advancing the slice needs no index arithmetic).
    slots: &'p [Slot],
}

impl<'de, 'p> StructSeq<'de, 'p> {
    #[inline(always)]
    pub(crate) fn new(de: De<'_, 'de>, plan: &'p StructPlan) -> Self {
        StructSeq {
            data: de.data,
            slots: &plan.slots,
        }
    }
}

impl<'de> SeqAccess<'de> for StructSeq<'de, '_> {
    type Error = Error;

    #[inline(always)]
    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        let Some((slot, rest)) = self.slots.split_first() else {
            return Ok(None);
        };
        self.slots = rest;
        match seed.deserialize(De {
            data: &self.data[slot.offset..],
            node: &slot.node,
        }) {
            Ok(value) => Ok(Some(value)),
            Err(e) => Err(in_field(e, &slot.name)),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.slots.len())
    }
}

/// How [`StructMap`] gives its keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyMode {
    /// The index in `FIELDS`, through `visit_u64`, to `deserialize_identifier`.
    Index,
    /// The name.
    Name,
}

/// A struct's fields the file has, as a map keyed by index or name.
pub(crate) struct StructMap<'de, 'p> {
    data: &'de [u8],
    entries: &'p [Entry],
    slots: &'p [Slot],
    fields: &'static [&'static str],
    mode: KeyMode,
    next: usize,
}

impl<'de, 'p> StructMap<'de, 'p> {
    #[inline(always)]
    pub(crate) fn new(
        de: De<'_, 'de>,
        plan: &'p StructPlan,
        fields: &'static [&'static str],
        mode: KeyMode,
    ) -> Self {
        StructMap {
            data: de.data,
            entries: &plan.entries,
            slots: &plan.slots,
            fields,
            mode,
            next: 0,
        }
    }
}

impl<'de> MapAccess<'de> for StructMap<'de, '_> {
    type Error = Error;

    #[inline(always)]
    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        let Some(entry) = self.entries.get(self.next) else {
            return Ok(None);
        };
        let wanted = entry.wanted as usize;
        seed.deserialize(KeyDe {
            index: wanted as u64,
            name: self.fields[wanted],
            mode: self.mode,
        })
        .map(Some)
    }

    #[inline(always)]
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        let Some(slot) = self.slots.get(self.next) else {
            return Err(value_without_key());
        };
        self.next += 1;
        seed.deserialize(De {
            data: &self.data[slot.offset..],
            node: &slot.node,
        })
        .map_err(|e| in_field(e, &slot.name))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len() - self.next)
    }
}

/// A visitor asked for a value after the last key (a broken `Deserialize` impl).
#[cold]
fn value_without_key() -> Error {
    Error::new(
        ErrorKind::InvalidArgument,
        "MapAccess::next_value called without a key",
    )
}

/// A struct field key.
pub(crate) struct KeyDe {
    index: u64,
    name: &'static str,
    mode: KeyMode,
}

impl<'de> Deserializer<'de> for KeyDe {
    type Error = Error;

    #[inline(always)]
    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.mode {
            KeyMode::Index => visitor.visit_u64(self.index),
            KeyMode::Name => visitor.visit_borrowed_str(self.name),
        }
    }

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_borrowed_str(self.name)
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum ignored_any
    }
}

/// Every field of a record, keyed by its name (maps, `#[serde(flatten)]`, `deserialize_any`).
pub(crate) struct FieldsMap<'a, 'de> {
    de: De<'a, 'de>,
    record: &'a RecordNode,
    next: usize,
}

impl<'a, 'de> FieldsMap<'a, 'de> {
    pub(crate) fn new(de: De<'a, 'de>, record: &'a RecordNode) -> Self {
        FieldsMap {
            de,
            record,
            next: 0,
        }
    }
}

impl<'de> MapAccess<'de> for FieldsMap<'_, 'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        match self.record.fields.get(self.next) {
            None => Ok(None),
            Some(field) => seed
                .deserialize(de::value::StrDeserializer::<Error>::new(&field.name))
                .map(Some),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        let Some(field) = self.record.fields.get(self.next) else {
            return Err(value_without_key());
        };
        self.next += 1;
        seed.deserialize(self.de.child(field.offset, &field.node))
            .map_err(|e| in_field(e, &field.name))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.record.fields.len() - self.next)
    }
}

/// Record fields as tuple elements: the listed ones, or the first `len` by position.
pub(crate) struct TupleSeq<'a, 'de, 'p> {
    de: De<'a, 'de>,
    record: &'a RecordNode,
    fields: Option<&'p [u32]>,
    len: usize,
    next: usize,
}

impl<'a, 'de, 'p> TupleSeq<'a, 'de, 'p> {
    pub(crate) fn new(de: De<'a, 'de>, record: &'a RecordNode, fields: &'p [u32]) -> Self {
        TupleSeq {
            de,
            record,
            fields: Some(fields),
            len: fields.len(),
            next: 0,
        }
    }

    pub(crate) fn all(de: De<'a, 'de>, record: &'a RecordNode, len: usize) -> Self {
        TupleSeq {
            de,
            record,
            fields: None,
            len,
            next: 0,
        }
    }
}

impl<'de> SeqAccess<'de> for TupleSeq<'_, 'de, '_> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        if self.next >= self.len {
            return Ok(None);
        }
        let index = match self.fields {
            Some(fields) => fields[self.next] as usize,
            None => self.next,
        };
        self.next += 1;
        let field = &self.record.fields[index];
        seed.deserialize(self.de.child(field.offset, &field.node))
            .map(Some)
            .map_err(|e| in_field(e, &field.name))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.len - self.next)
    }
}

/// The elements of a subarray block: along axis `level`, or (`flat`) every element of the
/// block in C order.
pub(crate) struct RegionSeq<'a, 'de> {
    data: &'de [u8],
    sub: &'a SubNode,
    level: usize,
    flat: bool,
    len: u64,
    next: u64,
}

impl<'a, 'de> RegionSeq<'a, 'de> {
    pub(crate) fn new(data: &'de [u8], sub: &'a SubNode, level: usize, flat: bool) -> Self {
        let len = if flat {
            sub.count_from(level)
        } else {
            sub.dims[level]
        };
        RegionSeq {
            data,
            sub,
            level,
            flat,
            len,
            next: 0,
        }
    }

    /// Adds the element being read when `err` happened to its path.
    #[cold]
    #[inline(never)]
    pub(crate) fn locate(&self, err: Error) -> Error {
        if self.next < self.len {
            in_element(err, self.next)
        } else {
            err
        }
    }

    /// Byte offset of element `i` of the flat block.
    fn flat_offset(&self, i: u64) -> usize {
        let sub = self.sub;
        let mut rest = i;
        let mut at = 0;
        for axis in (self.level..sub.dims.len()).rev() {
            let dim = sub.dims[axis];
            at += (rest % dim) as usize * sub.strides[axis];
            rest /= dim;
        }
        at
    }
}

impl<'de> SeqAccess<'de> for RegionSeq<'_, 'de> {
    type Error = Error;

    #[inline]
    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        if self.next >= self.len {
            return Ok(None);
        }
        let i = self.next;
        let sub = self.sub;
        let result = if self.flat {
            let data = &self.data[self.flat_offset(i)..];
            seed.deserialize(De {
                data,
                node: &sub.base,
            })
        } else {
            let data = &self.data[i as usize * sub.strides[self.level]..];
            if self.level + 1 == sub.dims.len() {
                seed.deserialize(De {
                    data,
                    node: &sub.base,
                })
            } else {
                seed.deserialize(RegionDe {
                    data,
                    sub,
                    level: self.level + 1,
                })
            }
        };
        let value = result?;
        self.next += 1;
        Ok(Some(value))
    }

    fn size_hint(&self) -> Option<usize> {
        usize::try_from(self.len - self.next).ok()
    }
}

/// The bytes of an `S`/`V` field as a sequence of `u8`.
pub(crate) struct ByteSeq<'de> {
    bytes: &'de [u8],
    next: usize,
}

impl<'de> ByteSeq<'de> {
    pub(crate) fn new(bytes: &'de [u8]) -> Self {
        ByteSeq { bytes, next: 0 }
    }
}

impl<'de> SeqAccess<'de> for ByteSeq<'de> {
    type Error = Error;

    #[inline(always)]
    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        match self.bytes.get(self.next) {
            None => Ok(None),
            Some(&b) => {
                let i = self.next;
                self.next += 1;
                seed.deserialize(ByteDe(b))
                    .map(Some)
                    .map_err(|e| in_element(e, i as u64))
            }
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.bytes.len() - self.next)
    }
}

/// One byte of an `S`/`V` field: any integer type takes it (the visitor checks the range).
pub(crate) struct ByteDe(u8);

macro_rules! byte_integers {
    ($($method:ident)*) => {$(
        #[inline(always)]
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
            visitor.visit_u8(self.0)
        }
    )*};
}

impl<'de> Deserializer<'de> for ByteDe {
    type Error = Error;

    byte_integers! {
        deserialize_any deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_some(self)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_unit()
    }

    fn is_human_readable(&self) -> bool {
        false
    }

    fn deserialize_f32<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
        Err(mismatch(
            "a byte",
            "f32",
            "integers are not converted to floats",
        ))
    }

    fn deserialize_f64<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
        Err(mismatch(
            "a byte",
            "f64",
            "integers are not converted to floats",
        ))
    }

    fn deserialize_bool<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
        Err(mismatch(
            "a byte",
            "bool",
            "only '|b1' fields are read as bool",
        ))
    }

    forward_to_deserialize_any! {
        i128 u128 char str string bytes byte_buf unit unit_struct seq tuple
        tuple_struct map struct enum identifier
    }
}

/// The real and imaginary parts of a complex value.
pub(crate) struct ComplexSeq {
    parts: [PrimDe; 2],
    next: usize,
}

impl ComplexSeq {
    pub(crate) fn new(parts: [PrimDe; 2]) -> Self {
        ComplexSeq { parts, next: 0 }
    }
}

impl<'de> SeqAccess<'de> for ComplexSeq {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        match self.parts.get(self.next) {
            None => Ok(None),
            Some(&part) => {
                self.next += 1;
                let name = if self.next == 1 { "re" } else { "im" };
                seed.deserialize(part)
                    .map(Some)
                    .map_err(|e| in_field(e, name))
            }
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(2 - self.next)
    }
}

/// A deserializer that hands its sequence to any visitor (the inside of the complex newtype).
pub(crate) struct SeqDe<S>(pub(crate) S);

impl<'de, S: SeqAccess<'de, Error = Error>> Deserializer<'de> for SeqDe<S> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_seq(self.0)
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

/// A value already decoded from the file.
#[derive(Debug, Clone, Copy)]
pub(crate) enum PrimDe {
    /// The bits of an `f2` value, for `half::f16`'s `visit_newtype_struct`.
    Bits16(u16),
    /// A part of a `c8`.
    F32(f32),
    /// A part of a `c16`.
    F64(f64),
}

impl PrimDe {
    fn dtype(self) -> &'static str {
        match self {
            PrimDe::Bits16(_) => "'f2' bits",
            PrimDe::F32(_) => "a 'c8' part (f32)",
            PrimDe::F64(_) => "a 'c16' part (f64)",
        }
    }

    fn integer<'de, V: Visitor<'de>>(self, visitor: V, want: &str) -> Result<V::Value> {
        match self {
            PrimDe::Bits16(bits) => visitor.visit_u16(bits),
            PrimDe::F32(_) | PrimDe::F64(_) => Err(mismatch(
                self.dtype(),
                want,
                "floats are not converted to integers",
            )),
        }
        .map_err(|e| super::conversion(e, self.dtype(), want))
    }
}

macro_rules! prim_integers {
    ($($method:ident => $want:literal),* $(,)?) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
            self.integer(visitor, $want)
        }
    )*};
}

impl<'de> Deserializer<'de> for PrimDe {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self {
            PrimDe::Bits16(b) => visitor.visit_u16(b),
            PrimDe::F32(v) => visitor.visit_f32(v),
            PrimDe::F64(v) => visitor.visit_f64(v),
        }
    }

    prim_integers! {
        deserialize_i8 => "i8",
        deserialize_i16 => "i16",
        deserialize_i32 => "i32",
        deserialize_i64 => "i64",
        deserialize_u8 => "u8",
        deserialize_u16 => "u16",
        deserialize_u32 => "u32",
        deserialize_u64 => "u64",
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self {
            PrimDe::F32(v) => visitor.visit_f32(v),
            PrimDe::F64(_) => Err(mismatch(
                self.dtype(),
                "f32",
                "narrowing a double to f32 could lose precision (read it as f64)",
            )),
            _ => Err(mismatch(
                self.dtype(),
                "f32",
                "integers are not converted to floats",
            )),
        }
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self {
            PrimDe::F32(v) => visitor.visit_f64(f64::from(v)),
            PrimDe::F64(v) => visitor.visit_f64(v),
            _ => Err(mismatch(
                self.dtype(),
                "f64",
                "integers are not converted to floats",
            )),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_unit()
    }

    fn is_human_readable(&self) -> bool {
        false
    }

    forward_to_deserialize_any! {
        bool i128 u128 char str string bytes byte_buf unit unit_struct seq tuple
        tuple_struct map struct enum identifier
    }
}

/// A unit enum variant, by name or by index.
pub(crate) enum EnumDe<'de> {
    Name(Cow<'de, str>),
    Index(u64),
}

impl<'de> EnumAccess<'de> for EnumDe<'de> {
    type Error = Error;
    type Variant = UnitOnly;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, UnitOnly)> {
        let value = match self {
            EnumDe::Name(Cow::Borrowed(name)) => {
                seed.deserialize(de::value::BorrowedStrDeserializer::<Error>::new(name))?
            }
            EnumDe::Name(Cow::Owned(name)) => {
                seed.deserialize(de::value::StrDeserializer::<Error>::new(&name))?
            }
            EnumDe::Index(index) => {
                seed.deserialize(de::value::U64Deserializer::<Error>::new(index))?
            }
        };
        Ok((value, UnitOnly))
    }
}

/// Only unit variants can be read from one NumPy value.
pub(crate) struct UnitOnly;

impl UnitOnly {
    #[cold]
    fn refuse(what: &str) -> Error {
        Error::new(
            ErrorKind::Unsupported,
            format!(
                "cannot read a {what} enum variant from a NumPy field: only unit variants map \
                 (to a variant name or index)"
            ),
        )
    }
}

impl<'de> VariantAccess<'de> for UnitOnly {
    type Error = Error;

    fn unit_variant(self) -> Result<()> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, _seed: T) -> Result<T::Value> {
        Err(UnitOnly::refuse("newtype"))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, _visitor: V) -> Result<V::Value> {
        Err(UnitOnly::refuse("tuple"))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value> {
        Err(UnitOnly::refuse("struct"))
    }
}

/// Probe of a struct visitor's map handling: offers one key, the last index of `FIELDS`, and
/// watches what the visitor asks for next (see [`super::plan`]).
pub(crate) struct ProbeMap {
    fields: &'static [&'static str],
    keys_given: usize,
    finding: Option<Probe>,
}

impl ProbeMap {
    pub(crate) fn new(fields: &'static [&'static str]) -> Self {
        ProbeMap {
            fields,
            keys_given: 0,
            finding: None,
        }
    }

    /// What the probe found (names, when the visitor took no key at all).
    pub(crate) fn finding(&self) -> Probe {
        self.finding.unwrap_or(Probe::UseNames)
    }
}

impl<'de> MapAccess<'de> for &mut ProbeMap {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        self.keys_given += 1;
        if self.keys_given > 1 {
            self.finding = Some(Probe::UseNames);
            return Err(fire_probe());
        }
        let last = self.fields.len() - 1;
        let key = seed.deserialize(KeyDe {
            index: last as u64,
            name: self.fields[last],
            mode: KeyMode::Index,
        });
        match key {
            Ok(key) => Ok(Some(key)),
            Err(_) => {
                self.finding = Some(Probe::UseNames);
                Err(fire_probe())
            }
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        let mut watch = ProbeValue { ignored: None };
        let _ = seed.deserialize(&mut watch);
        self.finding = Some(match watch.ignored {
            Some(false) => Probe::IndexKeysWork,
            _ => Probe::UseNames,
        });
        Err(fire_probe())
    }
}

/// Watches which `deserialize_*` a value asks for: `ignored_any` means the key was not a field.
struct ProbeValue {
    ignored: Option<bool>,
}

fn probe_stop() -> Error {
    Error::new(ErrorKind::InvalidData, "internal: probe")
}

impl<'de> Deserializer<'de> for &mut ProbeValue {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
        self.ignored = Some(false);
        Err(probe_stop())
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
        self.ignored = Some(true);
        Err(probe_stop())
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier
    }
}

/// Probe of a struct visitor's sequence handling: does it ask for an element?
pub(crate) struct ProbeSeq {
    asked: bool,
}

impl ProbeSeq {
    pub(crate) fn new() -> Self {
        ProbeSeq { asked: false }
    }

    pub(crate) fn finding(&self) -> Probe {
        if self.asked {
            Probe::SeqWorks
        } else {
            Probe::NoSeq
        }
    }
}

impl<'de> SeqAccess<'de> for &mut ProbeSeq {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, _seed: T) -> Result<Option<T::Value>> {
        self.asked = true;
        Err(fire_probe())
    }
}
