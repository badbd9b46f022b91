//! The `Deserializer`s over values of the file: [`De`] for a row, a record field or a subarray
//! element, [`RegionDe`] for the inner axes of a multi-dimensional subarray, and [`RowDe`], the
//! 16-byte handle a row starts from. What each `deserialize_*` accepts is the crate's reading
//! table (see the crate documentation): lossless widening, nothing lossy.
//!
//! Every `deserialize_*` first tries the exact native match (`i64` from `'<i8'` on a
//! little-endian machine) inline; everything else (widening, byte swapping, errors) is an
//! out-of-line call, which keeps a derived struct's whole row decode small enough to inline.

use std::borrow::Cow;

use half::f16;
use serde::de::{Deserializer, Visitor};

use super::access::{
    ByteSeq, ComplexSeq, EnumDe, FieldsMap, KeyMode, PrimDe, ProbeMap, ProbeSeq, RegionSeq, SeqDe,
    StructMap, StructSeq, TupleSeq,
};
use super::node::{Code, Leaf, Node, RecordNode, SubNode};
use super::plan::{Mode, StructPlan, TuplePlan};
use super::{conversion, fire_probe, mismatch, probing};
use crate::error::{Error, ErrorKind, Result};
use crate::tokens::{COMPLEX, DATETIME_PREFIX, HALF_F16, TIMEDELTA_PREFIX};

/// A deserializer on one value: `node`, whose bytes start `data`.
#[derive(Clone, Copy)]
pub(crate) struct De<'a, 'de> {
    /// The value's bytes, followed by the rest of the buffer.
    pub(crate) data: &'de [u8],
    pub(crate) node: &'a Node,
}

/// What a row is read from: the buffer holding the rows, and the row's node. A [`RowDe`]
/// points at one, so the per-row handle is two words, passed in registers.
pub(crate) struct Frame<'a, 'de> {
    pub(crate) data: &'de [u8],
    pub(crate) node: &'a Node,
}

/// The deserializer of the row at byte `at` of a [`Frame`].
#[derive(Clone, Copy)]
pub(crate) struct RowDe<'f, 'a, 'de> {
    pub(crate) frame: &'f Frame<'a, 'de>,
    pub(crate) at: usize,
}

impl<'a, 'de> RowDe<'_, 'a, 'de> {
    #[inline(always)]
    fn de(self) -> De<'a, 'de> {
        De {
            data: &self.frame.data[self.at..],
            node: self.frame.node,
        }
    }
}

macro_rules! forward_row {
    ($($method:ident ( $($arg:ident : $ty:ty),* );)*) => {$(
        #[inline(always)]
        fn $method<V: Visitor<'de>>(self, $($arg: $ty,)* visitor: V) -> Result<V::Value> {
            self.de().$method($($arg,)* visitor)
        }
    )*};
}

impl<'de> Deserializer<'de> for RowDe<'_, '_, 'de> {
    type Error = Error;

    forward_row! {
        deserialize_any();
        deserialize_bool();
        deserialize_i8();
        deserialize_i16();
        deserialize_i32();
        deserialize_i64();
        deserialize_u8();
        deserialize_u16();
        deserialize_u32();
        deserialize_u64();
        deserialize_f32();
        deserialize_f64();
        deserialize_char();
        deserialize_str();
        deserialize_string();
        deserialize_bytes();
        deserialize_byte_buf();
        deserialize_option();
        deserialize_unit();
        deserialize_unit_struct(name: &'static str);
        deserialize_newtype_struct(name: &'static str);
        deserialize_seq();
        deserialize_tuple(len: usize);
        deserialize_tuple_struct(name: &'static str, len: usize);
        deserialize_map();
        deserialize_struct(name: &'static str, fields: &'static [&'static str]);
        deserialize_enum(name: &'static str, variants: &'static [&'static str]);
        deserialize_identifier();
        deserialize_ignored_any();
    }

    fn is_human_readable(&self) -> bool {
        false
    }
}

/// Reads `N` bytes at the start of `data`.
#[inline(always)]
fn array<const N: usize>(data: &[u8]) -> [u8; N] {
    let mut out = [0u8; N];
    out.copy_from_slice(&data[..N]);
    out
}

#[inline(always)]
fn read_u16(data: &[u8], big: bool) -> u16 {
    let b = array::<2>(data);
    if big {
        u16::from_be_bytes(b)
    } else {
        u16::from_le_bytes(b)
    }
}

#[inline(always)]
fn read_u32(data: &[u8], big: bool) -> u32 {
    let b = array::<4>(data);
    if big {
        u32::from_be_bytes(b)
    } else {
        u32::from_le_bytes(b)
    }
}

#[inline(always)]
fn read_u64(data: &[u8], big: bool) -> u64 {
    let b = array::<8>(data);
    if big {
        u64::from_be_bytes(b)
    } else {
        u64::from_le_bytes(b)
    }
}

/// Strips trailing NUL bytes, as NumPy does for `S` values.
#[inline(always)]
pub(crate) fn strip_nuls(bytes: &[u8]) -> &[u8] {
    let mut end = bytes.len();
    while end > 0 && bytes[end - 1] == 0 {
        end -= 1;
    }
    &bytes[..end]
}

#[cold]
fn bad_bool(byte: u8) -> Error {
    Error::new(
        ErrorKind::InvalidData,
        format!("invalid bool byte {byte} in a '|b1' field (only 0 and 1 are booleans)"),
    )
}

/// Reads one value of `node` whose bytes start `data` (the way a row's field is read), for
/// compiled rows' fields that are not read directly. Probes of nested plans are settled as for
/// rows.
pub(crate) fn read_value<T: serde::de::DeserializeOwned>(data: &[u8], node: &Node) -> Result<T> {
    super::settle(|| T::deserialize(De { data, node }))
}

impl<'a, 'de> De<'a, 'de> {
    /// The value at `offset` bytes into this one, read as `node`.
    #[inline(always)]
    pub(crate) fn child(self, offset: usize, node: &'a Node) -> Self {
        De {
            data: &self.data[offset..],
            node,
        }
    }

    #[inline(always)]
    fn raw(&self, len: usize) -> &'de [u8] {
        &self.data[..len]
    }

    /// The file dtype here, for messages.
    fn describe(&self) -> String {
        match self.node {
            Node::Sub(sub) => format!("the subarray {}", sub.descr),
            Node::Record(r) => format!("the record {}", r.descr),
            Node::Leaf(l) => format!("'{l}'"),
        }
    }

    #[cold]
    #[inline(never)]
    fn wrong(&self, want: &str, why: &str) -> Error {
        let hint = match self.node {
            Node::Record(_) if why.is_empty() => "read a record into a struct, a tuple or a map",
            Node::Sub(_) if why.is_empty() => "read a subarray into [T; N], a tuple or a Vec",
            _ => why,
        };
        mismatch(&self.describe(), want, hint)
    }

    #[cold]
    #[inline(never)]
    fn conversion(&self, err: Error, want: &str) -> Error {
        conversion(err, &self.describe(), want)
    }

    /// The leaf, or an error for records and subarrays.
    #[inline(always)]
    fn leaf(&self, want: &str) -> Result<&'a Leaf> {
        match self.node {
            Node::Leaf(leaf) => Ok(leaf),
            _ => Err(self.wrong(want, "")),
        }
    }

    /// Reads a bool byte, refusing anything but 0 and 1.
    #[inline(always)]
    fn bool_byte(&self) -> Result<bool> {
        match self.data[0] {
            0 => Ok(false),
            1 => Ok(true),
            b => Err(bad_bool(b)),
        }
    }

    /// Any integer-like leaf through the visitor's integer methods; the visitor checks the
    /// range of narrower Rust types.
    #[inline(always)]
    fn integer<V: Visitor<'de>>(self, visitor: V, want: &'static str) -> Result<V::Value> {
        let leaf = self.leaf(want)?;
        let (d, big) = (self.data, leaf.big);
        let result = match leaf.code {
            Code::I8 => visitor.visit_i64(read_u64(d, big) as i64),
            Code::I4 => visitor.visit_i32(read_u32(d, big) as i32),
            Code::I2 => visitor.visit_i16(read_u16(d, big) as i16),
            Code::I1 => visitor.visit_i8(d[0] as i8),
            Code::U8 => visitor.visit_u64(read_u64(d, big)),
            Code::U4 => visitor.visit_u32(read_u32(d, big)),
            Code::U2 => visitor.visit_u16(read_u16(d, big)),
            Code::U1 => visitor.visit_u8(d[0]),
            Code::Bool => visitor.visit_u8(u8::from(self.bool_byte()?)),
            Code::DateTime | Code::TimeDelta => visitor.visit_i64(read_u64(d, big) as i64),
            Code::F2 | Code::F4 | Code::F8 => {
                return Err(self.wrong(want, "floats are not converted to integers"))
            }
            _ => return Err(self.wrong(want, "not an integer dtype")),
        };
        result.map_err(|e| self.conversion(e, want))
    }

    #[inline(always)]
    fn float<V: Visitor<'de>>(self, visitor: V, wide: bool) -> Result<V::Value> {
        let want = if wide { "f64" } else { "f32" };
        let leaf = self.leaf(want)?;
        let (d, big) = (self.data, leaf.big);
        match leaf.code {
            Code::F8 if wide => visitor.visit_f64(f64::from_bits(read_u64(d, big))),
            Code::F4 if wide => visitor.visit_f64(f64::from(f32::from_bits(read_u32(d, big)))),
            Code::F4 => visitor.visit_f32(f32::from_bits(read_u32(d, big))),
            Code::F2 if wide => visitor.visit_f64(f16::from_bits(read_u16(d, big)).to_f64()),
            Code::F2 => visitor.visit_f32(f16::from_bits(read_u16(d, big)).to_f32()),
            Code::F8 => Err(self.wrong(
                want,
                "narrowing a double to f32 could lose precision (read it as f64)",
            )),
            Code::I1
            | Code::I2
            | Code::I4
            | Code::I8
            | Code::U1
            | Code::U2
            | Code::U4
            | Code::U8
            | Code::Bool => Err(self.wrong(want, "integers are not converted to floats")),
            Code::Unsupported => Err(self.wrong(want, "this dtype is not supported")),
            _ => Err(self.wrong(want, "not a float dtype")),
        }
    }

    /// Decodes a `U<n>` value, without its trailing NULs.
    fn unicode(&self, leaf: &Leaf) -> Result<String> {
        let raw = self.raw(leaf.size);
        let mut units = raw.len() / 4;
        while units > 0 && raw[(units - 1) * 4..units * 4] == [0, 0, 0, 0] {
            units -= 1;
        }
        let mut out = String::with_capacity(units);
        for chunk in raw[..units * 4].chunks_exact(4) {
            let unit = read_u32(chunk, leaf.big);
            match char::from_u32(unit) {
                Some(c) => out.push(c),
                None => {
                    return Err(Error::new(
                        ErrorKind::InvalidData,
                        format!(
                            "'{leaf}' value holds {unit:#x}, which is not a Unicode scalar value"
                        ),
                    ))
                }
            }
        }
        Ok(out)
    }

    /// The text of an `S<n>` value (without trailing NULs, UTF-8 checked) or a `U<n>` value.
    fn text(&self, want: &str) -> Result<Cow<'de, str>> {
        let leaf = self.leaf(want)?;
        match leaf.code {
            Code::Bytes => {
                let bytes = strip_nuls(self.raw(leaf.size));
                match std::str::from_utf8(bytes) {
                    Ok(s) => Ok(Cow::Borrowed(s)),
                    Err(e) => Err(Error::new(
                        ErrorKind::InvalidData,
                        format!(
                            "'{leaf}' value is not valid UTF-8 ({e}); read it as bytes \
                             (serde_bytes::ByteBuf, Vec<u8> or [u8; N]) instead"
                        ),
                    )),
                }
            }
            Code::Unicode => self.unicode(leaf).map(Cow::Owned),
            _ => Err(self.wrong(want, "only 'S' and 'U' fields hold text")),
        }
    }

    #[inline(always)]
    fn string_slow<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.text("String")? {
            Cow::Borrowed(s) => visitor.visit_borrowed_str(s),
            Cow::Owned(s) => visitor.visit_string(s),
        }
    }

    #[inline(always)]
    fn str_slow<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.text("&str")? {
            Cow::Borrowed(s) => visitor.visit_borrowed_str(s),
            Cow::Owned(s) => visitor.visit_str(&s).map_err(|e: Error| {
                Error::new(
                    e.kind(),
                    format!(
                        "{} (a 'U' field holds UCS-4 text, which cannot be borrowed as &str: \
                         read it as String or Cow<str>)",
                        e.message()
                    ),
                )
            }),
        }
    }

    /// The two parts of a complex leaf.
    fn complex_seq(self, leaf: &Leaf) -> ComplexSeq {
        let (d, big) = (self.data, leaf.big);
        if leaf.code == Code::C8 {
            ComplexSeq::new([
                PrimDe::F32(f32::from_bits(read_u32(d, big))),
                PrimDe::F32(f32::from_bits(read_u32(&d[4..], big))),
            ])
        } else {
            ComplexSeq::new([
                PrimDe::F64(f64::from_bits(read_u64(d, big))),
                PrimDe::F64(f64::from_bits(read_u64(&d[8..], big))),
            ])
        }
    }

    /// A struct from a record, through the record's plan for this type.
    #[inline(always)]
    fn record_struct<V: Visitor<'de>>(
        self,
        record: &'a RecordNode,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        if let Some(plan) = record.plan.get() {
            if plan.is_for(name, fields) {
                match plan.mode.get() {
                    Mode::Seq => return visitor.visit_seq(StructSeq::new(self, plan)),
                    Mode::IndexMap => {
                        return visitor.visit_map(StructMap::new(
                            self,
                            plan,
                            fields,
                            KeyMode::Index,
                        ))
                    }
                    _ => {}
                }
            }
        }
        slow::structure(self.data, self.node, name, fields, visitor)
    }

    /// Plans not built, not settled, fed by name, or for another type.
    #[inline(always)]
    fn struct_slow<V: Visitor<'de>>(
        self,
        record: &'a RecordNode,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        let cached = record
            .plan
            .get_or_init(|| StructPlan::new(record, name, fields));
        let local;
        let plan = if cached.is_for(name, fields) {
            cached
        } else {
            // Another type read from the same record (rare): an uncached plan fed by name.
            local = StructPlan::new(record, name, fields);
            local.mode.set(Mode::StrMap);
            &local
        };
        let mut mode = plan.mode.get();
        if matches!(mode, Mode::Unprobed | Mode::MapOk) && !probing() {
            mode = if mode == Mode::MapOk {
                Mode::IndexMap
            } else {
                Mode::StrMap
            };
            plan.mode.set(mode);
        }
        match mode {
            Mode::Seq => visitor.visit_seq(StructSeq::new(self, plan)),
            Mode::IndexMap | Mode::StrMap => {
                let keys = if mode == Mode::IndexMap {
                    KeyMode::Index
                } else {
                    KeyMode::Name
                };
                visitor.visit_map(StructMap::new(self, plan, fields, keys))
            }
            // Find out how the type takes its fields; the row is aborted and decoded again.
            Mode::Unprobed => {
                let mut probe = ProbeMap::new(fields);
                let _ = visitor.visit_map(&mut probe);
                probe.finding().apply(plan);
                Err(fire_probe())
            }
            Mode::MapOk => {
                let mut probe = ProbeSeq::new();
                let _ = visitor.visit_seq(&mut probe);
                probe.finding().apply(plan);
                Err(fire_probe())
            }
        }
    }

    fn tuple_from_record<V: Visitor<'de>>(
        self,
        record: &'a RecordNode,
        len: usize,
        want: &str,
        visitor: V,
    ) -> Result<V::Value> {
        let cached = record.tuple.get_or_init(|| TuplePlan::new(record, len));
        let local;
        let plan = if cached.len == len {
            cached
        } else {
            local = TuplePlan::new(record, len);
            &local
        };
        match &plan.fields {
            Some(fields) => visitor.visit_seq(TupleSeq::new(self, record, fields)),
            None => Err(self.wrong(
                want,
                &format!(
                    "a tuple of {len} takes fields named f0..f{} or a record of exactly {len} \
                     fields; this one has {}",
                    len.saturating_sub(1),
                    record.fields.len()
                ),
            )),
        }
    }

    /// Reads `[T; len]` / tuples / tuple structs.
    #[inline(always)]
    fn tuple<V: Visitor<'de>>(self, len: usize, want: &str, visitor: V) -> Result<V::Value> {
        match self.node {
            Node::Sub(sub) => region_tuple(self.data, sub, 0, len, want, visitor),
            Node::Record(record) => self.tuple_from_record(record, len, want, visitor),
            Node::Leaf(leaf) => match leaf.code {
                Code::C8 | Code::C16 if len == 2 => visitor.visit_seq(self.complex_seq(leaf)),
                Code::Bytes | Code::Void if len == leaf.size => {
                    visitor.visit_seq(ByteSeq::new(self.raw(leaf.size)))
                }
                Code::Bytes | Code::Void => Err(self.wrong(
                    want,
                    &format!("the field has {} bytes, not {len}", leaf.size),
                )),
                _ => Err(self.wrong(want, "not a subarray, record, complex or byte dtype")),
            },
        }
    }

    /// The datetime / timedelta tick count, when the leaf's unit is exactly `unit`.
    #[inline(never)]
    fn ticks<V: Visitor<'de>>(self, datetime: bool, unit: &str, visitor: V) -> Result<V::Value> {
        let rust = if datetime {
            format!("Datetime64<{unit}>")
        } else {
            format!("Timedelta64<{unit}>")
        };
        let leaf = self.leaf(&rust)?;
        let expected = if datetime {
            Code::DateTime
        } else {
            Code::TimeDelta
        };
        if leaf.code != expected {
            return Err(self.wrong(&rust, ""));
        }
        let file_unit = leaf.time_unit().expect("datetime leaf");
        if file_unit.multiplier != 1 || file_unit.unit.as_str() != unit {
            let multiplier = if file_unit.multiplier == 1 {
                String::new()
            } else {
                file_unit.multiplier.to_string()
            };
            return Err(self.wrong(
                &rust,
                &format!(
                    "the units differ (the file's unit is [{multiplier}{}]; no conversion is \
                     done)",
                    file_unit.unit.as_str()
                ),
            ));
        }
        visitor.visit_i64(read_u64(self.data, leaf.big) as i64)
    }

    #[inline(never)]
    fn newtype_slow<V: Visitor<'de>>(self, name: &'static str, visitor: V) -> Result<V::Value> {
        if let Some(unit) = name
            .strip_prefix(DATETIME_PREFIX)
            .and_then(|u| u.strip_suffix(']'))
        {
            return self.ticks(true, unit, visitor);
        }
        if let Some(unit) = name
            .strip_prefix(TIMEDELTA_PREFIX)
            .and_then(|u| u.strip_suffix(']'))
        {
            return self.ticks(false, unit, visitor);
        }
        if name == COMPLEX {
            return match self.node {
                Node::Leaf(leaf) if matches!(leaf.code, Code::C8 | Code::C16) => {
                    visitor.visit_newtype_struct(SeqDe(self.complex_seq(leaf)))
                }
                _ => Err(self.wrong("a complex number", "not a complex dtype")),
            };
        }
        if name == HALF_F16 {
            if let Node::Leaf(leaf) = self.node {
                match leaf.code {
                    Code::F2 => {
                        return visitor
                            .visit_newtype_struct(PrimDe::Bits16(read_u16(self.data, leaf.big)))
                    }
                    Code::F4 | Code::F8 => {
                        return Err(self.wrong(
                            "half::f16",
                            "narrowing to f16 could lose precision (read it as f32 or f64)",
                        ))
                    }
                    _ => {}
                }
            }
        }
        visitor.visit_newtype_struct(self)
    }

    #[inline(never)]
    fn enum_slow<V: Visitor<'de>>(self, name: &'static str, visitor: V) -> Result<V::Value> {
        let want = format!("enum {name}");
        let leaf = self.leaf(&want)?;
        let (d, big) = (self.data, leaf.big);
        let index: i128 = match leaf.code {
            Code::Bytes | Code::Unicode => {
                let text = self.text(&want)?;
                return visitor.visit_enum(EnumDe::Name(text));
            }
            Code::I1 => i128::from(d[0] as i8),
            Code::I2 => i128::from(read_u16(d, big) as i16),
            Code::I4 => i128::from(read_u32(d, big) as i32),
            Code::I8 => i128::from(read_u64(d, big) as i64),
            Code::U1 => i128::from(d[0]),
            Code::U2 => i128::from(read_u16(d, big)),
            Code::U4 => i128::from(read_u32(d, big)),
            Code::U8 => i128::from(read_u64(d, big)),
            _ => {
                return Err(self.wrong(
                    &want,
                    "unit enums are read from variant names ('S'/'U') or indices (integers)",
                ))
            }
        };
        match u64::try_from(index) {
            Ok(index) => visitor.visit_enum(EnumDe::Index(index)),
            Err(_) => Err(self.wrong(&want, &format!("{index} is not a variant index"))),
        }
    }

    #[inline(never)]
    fn any_slow<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let leaf = match self.node {
            Node::Leaf(leaf) => leaf,
            Node::Record(record) => return visitor.visit_map(FieldsMap::new(self, record)),
            Node::Sub(sub) => return region_seq(self.data, sub, 0, false, visitor),
        };
        let (d, big) = (self.data, leaf.big);
        match leaf.code {
            Code::Bool => visitor.visit_bool(self.bool_byte()?),
            Code::I1 | Code::I2 | Code::I4 | Code::I8 => self.integer(visitor, "i64"),
            Code::U1 | Code::U2 | Code::U4 | Code::U8 => self.integer(visitor, "u64"),
            Code::DateTime | Code::TimeDelta => visitor.visit_i64(read_u64(d, big) as i64),
            Code::F2 => visitor.visit_f32(f16::from_bits(read_u16(d, big)).to_f32()),
            Code::F4 => visitor.visit_f32(f32::from_bits(read_u32(d, big))),
            Code::F8 => visitor.visit_f64(f64::from_bits(read_u64(d, big))),
            Code::C8 | Code::C16 => visitor.visit_seq(self.complex_seq(leaf)),
            // Self-describing targets (JSON values, untagged and internally tagged enums) get
            // text when the bytes are UTF-8, else the bytes as a sequence of numbers (JSON has
            // no bytes).
            Code::Bytes => {
                let bytes = strip_nuls(self.raw(leaf.size));
                match std::str::from_utf8(bytes) {
                    Ok(text) => visitor.visit_borrowed_str(text),
                    Err(_) => visitor.visit_seq(ByteSeq::new(bytes)),
                }
            }
            Code::Void => visitor.visit_seq(ByteSeq::new(self.raw(leaf.size))),
            Code::Unicode => visitor.visit_string(self.unicode(leaf)?),
            Code::Unsupported | Code::NonNative => {
                Err(self.wrong("a value", "this dtype is not supported"))
            }
        }
    }

    #[inline(never)]
    fn char_slow<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let leaf = self.leaf("char")?;
        // A one-character field holds '\0' as its only code unit; NumPy shows it as ''.
        if leaf.code == Code::Unicode && leaf.size == 4 {
            let unit = read_u32(self.data, leaf.big);
            return match char::from_u32(unit) {
                Some(c) => visitor.visit_char(c),
                None => Err(Error::new(
                    ErrorKind::InvalidData,
                    format!("'{leaf}' value {unit:#x} is not a Unicode scalar value"),
                )),
            };
        }
        let text = self.text("char")?;
        let mut chars = text.chars();
        match (chars.next(), chars.next()) {
            (None, _) => visitor.visit_char('\0'),
            (Some(c), None) => visitor.visit_char(c),
            _ => Err(self.wrong(
                "char",
                &format!("the value {text:?} is more than one character"),
            )),
        }
    }

    #[inline(never)]
    fn seq_slow<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.node {
            Node::Sub(sub) => region_seq(self.data, sub, 0, false, visitor),
            Node::Record(record) => {
                visitor.visit_seq(TupleSeq::all(self, record, record.fields.len()))
            }
            Node::Leaf(leaf) => match leaf.code {
                Code::C8 | Code::C16 => visitor.visit_seq(self.complex_seq(leaf)),
                Code::Bytes => visitor.visit_seq(ByteSeq::new(strip_nuls(self.raw(leaf.size)))),
                Code::Void => visitor.visit_seq(ByteSeq::new(self.raw(leaf.size))),
                _ => Err(self.wrong(
                    "a sequence",
                    "not a subarray, record, complex or byte dtype",
                )),
            },
        }
    }

    #[inline(never)]
    fn bytes_slow<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.node {
            Node::Leaf(leaf) => match leaf.code {
                Code::Bytes => visitor.visit_borrowed_bytes(strip_nuls(self.raw(leaf.size))),
                Code::Void => visitor.visit_borrowed_bytes(self.raw(leaf.size)),
                _ => Err(self.wrong("bytes", "only 'S' and 'V' fields hold bytes")),
            },
            Node::Sub(sub) => region_bytes(self.data, sub, 0, visitor),
            Node::Record(_) => Err(self.wrong("bytes", "")),
        }
    }
}

/// `deserialize_<int>`: a native value of exactly the wanted width is read inline; anything
/// else goes through [`De::integer`].
macro_rules! integer_methods {
    ($($method:ident => $want:literal, $code:ident, $ty:ty, $visit:ident;)*) => {$(
        #[inline(always)]
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
            if let Node::Leaf(leaf) = self.node {
                if leaf.fast == Code::$code {
                    return visitor.$visit(<$ty>::from_ne_bytes(array(self.data)));
                }
            }
            slow::integer(self.data, self.node, visitor, $want)
        }
    )*};
}

/// The out-of-line paths of the inline `deserialize_*` fast paths. They take the value's bytes
/// and node as separate arguments, in registers: a [`De`] passed whole goes through memory,
/// and building that copy for every field of a row (fast path or not) costs more than the
/// fast path itself.
mod slow {
    use super::*;

    #[inline(never)]
    pub(super) fn integer<'a, 'de, V: Visitor<'de>>(
        data: &'de [u8],
        node: &'a Node,
        visitor: V,
        want: &'static str,
    ) -> Result<V::Value> {
        De { data, node }.integer(visitor, want)
    }

    #[inline(never)]
    pub(super) fn float<'a, 'de, V: Visitor<'de>>(
        data: &'de [u8],
        node: &'a Node,
        visitor: V,
        wide: bool,
    ) -> Result<V::Value> {
        De { data, node }.float(visitor, wide)
    }

    #[inline(never)]
    pub(super) fn string<'a, 'de, V: Visitor<'de>>(
        data: &'de [u8],
        node: &'a Node,
        visitor: V,
    ) -> Result<V::Value> {
        De { data, node }.string_slow(visitor)
    }

    #[inline(never)]
    pub(super) fn str<'a, 'de, V: Visitor<'de>>(
        data: &'de [u8],
        node: &'a Node,
        visitor: V,
    ) -> Result<V::Value> {
        De { data, node }.str_slow(visitor)
    }

    #[inline(never)]
    pub(super) fn tuple<'a, 'de, V: Visitor<'de>>(
        data: &'de [u8],
        node: &'a Node,
        len: usize,
        want: &str,
        visitor: V,
    ) -> Result<V::Value> {
        De { data, node }.tuple(len, want, visitor)
    }

    #[inline(never)]
    pub(super) fn structure<'a, 'de, V: Visitor<'de>>(
        data: &'de [u8],
        node: &'a Node,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        let de = De { data, node };
        match node {
            Node::Record(record) => de.struct_slow(record, name, fields, visitor),
            _ => Err(de.wrong(
                &format!("struct {name}"),
                "structs are read from record (structured) dtypes",
            )),
        }
    }

    #[cold]
    #[inline(never)]
    pub(super) fn not_bool(data: &[u8], node: &Node) -> Error {
        De { data, node }.wrong("bool", "only '|b1' fields are read as bool")
    }
}

impl<'de> Deserializer<'de> for De<'_, 'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.any_slow(visitor)
    }

    #[inline(always)]
    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        if let Node::Leaf(leaf) = self.node {
            if leaf.code == Code::Bool {
                return match self.data[0] {
                    0 => visitor.visit_bool(false),
                    1 => visitor.visit_bool(true),
                    b => Err(bad_bool(b)),
                };
            }
        }
        Err(slow::not_bool(self.data, self.node))
    }

    integer_methods! {
        deserialize_i8 => "i8", I1, i8, visit_i8;
        deserialize_i16 => "i16", I2, i16, visit_i16;
        deserialize_i32 => "i32", I4, i32, visit_i32;
        deserialize_i64 => "i64", I8, i64, visit_i64;
        deserialize_u8 => "u8", U1, u8, visit_u8;
        deserialize_u16 => "u16", U2, u16, visit_u16;
        deserialize_u32 => "u32", U4, u32, visit_u32;
        deserialize_u64 => "u64", U8, u64, visit_u64;
    }

    #[inline(always)]
    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        if let Node::Leaf(leaf) = self.node {
            if leaf.fast == Code::F4 {
                return visitor.visit_f32(f32::from_ne_bytes(array(self.data)));
            }
        }
        slow::float(self.data, self.node, visitor, false)
    }

    #[inline(always)]
    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        if let Node::Leaf(leaf) = self.node {
            if leaf.fast == Code::F8 {
                return visitor.visit_f64(f64::from_ne_bytes(array(self.data)));
            }
        }
        slow::float(self.data, self.node, visitor, true)
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.char_slow(visitor)
    }

    #[inline(always)]
    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        if let Node::Leaf(leaf) = self.node {
            if leaf.code == Code::Bytes {
                if let Ok(s) = std::str::from_utf8(strip_nuls(self.raw(leaf.size))) {
                    return visitor.visit_borrowed_str(s);
                }
            }
        }
        slow::str(self.data, self.node, visitor)
    }

    #[inline(always)]
    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        if let Node::Leaf(leaf) = self.node {
            if leaf.code == Code::Bytes {
                if let Ok(s) = std::str::from_utf8(strip_nuls(self.raw(leaf.size))) {
                    return visitor.visit_borrowed_str(s);
                }
            }
        }
        slow::string(self.data, self.node, visitor)
    }

    #[inline(always)]
    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        if let Node::Leaf(leaf) = self.node {
            if leaf.code == Code::Bytes {
                return visitor.visit_borrowed_bytes(strip_nuls(self.raw(leaf.size)));
            }
        }
        self.bytes_slow(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_bytes(visitor)
    }

    #[inline(always)]
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        // A value in the file is always present; a column missing from the file is what
        // gives `None` (derive treats an absent Option field as None).
        visitor.visit_some(self)
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        if self.node.size() == 0 {
            visitor.visit_unit()
        } else {
            Err(self.wrong("()", "only zero-size fields are read as ()"))
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_unit(visitor)
    }

    #[inline(always)]
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        if name.starts_with('$') || name == HALF_F16 {
            self.newtype_slow(name, visitor)
        } else {
            visitor.visit_newtype_struct(self)
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.seq_slow(visitor)
    }

    #[inline(always)]
    fn deserialize_tuple<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value> {
        // `[u8; N]` from an `S<N>`/`V<N>` field: the bytes as they are.
        if let Node::Leaf(leaf) = self.node {
            if matches!(leaf.code, Code::Bytes | Code::Void) && leaf.size == len {
                return visitor.visit_seq(ByteSeq::new(self.raw(len)));
            }
        }
        slow::tuple(self.data, self.node, len, "a tuple", visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value> {
        slow::tuple(self.data, self.node, len, name, visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.node {
            Node::Record(record) => visitor.visit_map(FieldsMap::new(self, record)),
            _ => Err(self.wrong("a map", "only records are read as maps")),
        }
    }

    #[inline(always)]
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        match self.node {
            Node::Record(record) => self.record_struct(record, name, fields, visitor),
            _ => slow::structure(self.data, self.node, name, fields, visitor),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.enum_slow(name, visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    #[inline(always)]
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_unit()
    }

    fn is_human_readable(&self) -> bool {
        false
    }
}

/// The inner axes of a multi-dimensional subarray: the block of `sub` from axis `level` on
/// (`level >= 1`), whose bytes start `data`.
#[derive(Clone, Copy)]
pub(crate) struct RegionDe<'a, 'de> {
    pub(crate) data: &'de [u8],
    pub(crate) sub: &'a SubNode,
    pub(crate) level: usize,
}

impl RegionDe<'_, '_> {
    #[cold]
    fn wrong(&self, want: &str) -> Error {
        mismatch(
            &format!("a subarray of shape {}", self.sub.shape_text(self.level)),
            want,
            "read a subarray into [T; N], a tuple or a Vec",
        )
    }
}

/// `[T; len]` / tuples from the block of `sub` from axis `level` on: along that axis, or, when
/// `len` counts every element of a block of two or more axes, flat in C order.
fn region_tuple<'de, V: Visitor<'de>>(
    data: &'de [u8],
    sub: &SubNode,
    level: usize,
    len: usize,
    want: &str,
    visitor: V,
) -> Result<V::Value> {
    if sub.dims[level] == len as u64 {
        region_seq(data, sub, level, false, visitor)
    } else if sub.dims.len() - level > 1 && sub.count_from(level) == len as u64 {
        region_seq(data, sub, level, true, visitor)
    } else {
        Err(mismatch(
            &format!("a subarray of shape {}", sub.shape_text(level)),
            want,
            &format!("it does not have {len} elements along its first axis"),
        ))
    }
}

/// The elements of a block as a sequence (see [`RegionSeq`]).
fn region_seq<'de, V: Visitor<'de>>(
    data: &'de [u8],
    sub: &SubNode,
    level: usize,
    flat: bool,
    visitor: V,
) -> Result<V::Value> {
    let mut seq = RegionSeq::new(data, sub, level, flat);
    visitor.visit_seq(&mut seq).map_err(|e| seq.locate(e))
}

/// Bytes from a one-dimensional block of `u1`/`i1`.
fn region_bytes<'de, V: Visitor<'de>>(
    data: &'de [u8],
    sub: &SubNode,
    level: usize,
    visitor: V,
) -> Result<V::Value> {
    let bytes_like = matches!(&sub.base, Node::Leaf(l) if matches!(l.code, Code::U1 | Code::I1));
    if level + 1 == sub.dims.len() && bytes_like && sub.strides[level] == 1 {
        visitor.visit_borrowed_bytes(&data[..sub.dims[level] as usize])
    } else {
        Err(mismatch(
            &format!("a subarray of shape {}", sub.shape_text(level)),
            "bytes",
            "only a one-dimensional subarray of u1/i1 holds bytes",
        ))
    }
}

impl<'de> Deserializer<'de> for RegionDe<'_, 'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        region_seq(self.data, self.sub, self.level, false, visitor)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_any(visitor)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value> {
        region_tuple(self.data, self.sub, self.level, len, "a tuple", visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value> {
        region_tuple(self.data, self.sub, self.level, len, name, visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        region_bytes(self.data, self.sub, self.level, visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        region_bytes(self.data, self.sub, self.level, visitor)
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

    fn deserialize_bool<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
        Err(self.wrong("bool"))
    }

    fn deserialize_i8<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
        Err(self.wrong("i8"))
    }

    fn deserialize_i16<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
        Err(self.wrong("i16"))
    }

    fn deserialize_i32<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
        Err(self.wrong("i32"))
    }

    fn deserialize_i64<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
        Err(self.wrong("i64"))
    }

    fn deserialize_u8<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
        Err(self.wrong("u8"))
    }

    fn deserialize_u16<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
        Err(self.wrong("u16"))
    }

    fn deserialize_u32<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
        Err(self.wrong("u32"))
    }

    fn deserialize_u64<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
        Err(self.wrong("u64"))
    }

    fn deserialize_f32<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
        Err(self.wrong("f32"))
    }

    fn deserialize_f64<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
        Err(self.wrong("f64"))
    }

    fn deserialize_char<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
        Err(self.wrong("char"))
    }

    fn deserialize_str<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
        Err(self.wrong("&str"))
    }

    fn deserialize_string<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
        Err(self.wrong("String"))
    }

    fn deserialize_unit<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
        Err(self.wrong("()"))
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        _visitor: V,
    ) -> Result<V::Value> {
        Err(self.wrong(name))
    }

    fn deserialize_map<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
        Err(self.wrong("a map"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        _fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value> {
        Err(self.wrong(&format!("struct {name}")))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        _variants: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value> {
        Err(self.wrong(&format!("enum {name}")))
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
        Err(self.wrong("an identifier"))
    }
}
