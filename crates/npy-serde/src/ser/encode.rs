//! The row encoder: a serializer that writes one row straight into its bytes, following a
//! [`Plan`]. Every value is checked against its step (type, lossless widening only, string
//! length), nothing is allocated, and a failed row leaves nothing behind but bytes the next row
//! overwrites.
//!
//! The serializer is a [`Slot`] passed by value: the step index and the byte offset of the
//! enclosing record travel in registers, so a row's fields do not wait on each other through
//! memory. The common case of each leaf (the value has exactly the traced type, in native
//! order) is a compare and a store; widening, byte swapping and errors are out of line.

use serde::ser::{self, Serialize};

use super::plan::{time_token, Op, Plan, Step};
use super::probe::{ComplexProbe, Leaf, LeafProbe};
use crate::error::{Error, ErrorKind, Result};
use crate::schema::unsupported;
use crate::tokens::{COMPLEX, DATETIME_PREFIX, HALF_F16, TIMEDELTA_PREFIX};

/// Writes one row into `buf` (exactly `plan.itemsize()` bytes). The error carries the field
/// path but not the row index.
#[inline(always)]
pub(crate) fn encode_row<T: Serialize + ?Sized>(
    plan: &Plan,
    row: &T,
    buf: &mut [u8],
) -> Result<()> {
    let Some(step) = plan.steps.first() else {
        return Err(Error::new(
            ErrorKind::InvalidArgument,
            "internal: empty plan",
        ));
    };
    let mut ctx = Ctx {
        plan,
        steps: &plan.steps,
        buf,
    };
    row.serialize(Slot {
        ctx: &mut ctx,
        step,
        index: 0,
        base: 0,
    })
}

/// What all slots of one row share: the plan and the row's bytes.
pub(crate) struct Ctx<'p, 'b> {
    plan: &'p Plan,
    steps: &'p [Step],
    buf: &'b mut [u8],
}

/// The serializer of one value: the step it must match and where its record starts.
pub(crate) struct Slot<'c, 'p, 'b> {
    ctx: &'c mut Ctx<'p, 'b>,
    step: &'p Step,
    index: usize,
    base: usize,
}

/// Whether this machine is big-endian: native-order steps take the fast path.
const NATIVE_BIG: bool = cfg!(target_endian = "big");

// ---- byte writers -------------------------------------------------------------------------

#[inline(always)]
fn put<const N: usize>(buf: &mut [u8], at: usize, bytes: [u8; N]) {
    buf[at..at + N].copy_from_slice(&bytes);
}

/// Writes the low `width` bytes of `v` in the given order.
#[inline(always)]
fn put_int(buf: &mut [u8], at: usize, v: u64, width: u8, big: bool) {
    match (width, big) {
        (1, _) => buf[at] = v as u8,
        (2, false) => put(buf, at, (v as u16).to_le_bytes()),
        (2, true) => put(buf, at, (v as u16).to_be_bytes()),
        (4, false) => put(buf, at, (v as u32).to_le_bytes()),
        (4, true) => put(buf, at, (v as u32).to_be_bytes()),
        (8, false) => put(buf, at, v.to_le_bytes()),
        _ => put(buf, at, v.to_be_bytes()),
    }
}

/// Writes a float of `width` bytes (2, 4 or 8). Callers only pass values exact in that width.
#[inline(always)]
fn put_float(buf: &mut [u8], at: usize, v: f64, width: u8, big: bool) {
    match width {
        2 => put_int(buf, at, u64::from(half::f16::from_f64(v).to_bits()), 2, big),
        4 => put_int(buf, at, u64::from((v as f32).to_bits()), 4, big),
        _ => put_int(buf, at, v.to_bits(), 8, big),
    }
}

/// Whether every integer of `bits` magnitude bits is exact in a float of `width` bytes.
fn exact_in_float(bits: u32, width: u8) -> bool {
    let mantissa = match width {
        2 => 11,
        4 => 24,
        _ => 53,
    };
    bits <= mantissa
}

// ---- errors ---------------------------------------------------------------------------------

/// Attaches the field path of step `index`.
#[cold]
fn locate(plan: &Plan, index: usize, err: Error) -> Error {
    let path = plan.path(index);
    if path.is_empty() {
        err
    } else {
        err.at_field(path)
    }
}

#[cold]
fn too_long(len: usize, unit: &str, op: Op) -> Error {
    let field = match op {
        Op::Unicode { chars, .. } => chars,
        Op::Bytes { len } | Op::Void { len } => len,
        _ => 0,
    };
    Error::new(
        ErrorKind::InvalidData,
        format!(
            "a value of {len} {unit} does not fit the field's {field} (dtype {}); NumPy would \
             truncate it, npy-serde refuses: set a wider Options::string_width or Options::dtype \
             (or raise Options::sample_rows when streaming)",
            op.describe()
        ),
    )
}

/// The Rust type behind a reserved serde name, for error messages.
fn token_name(name: &str) -> String {
    let unit = |rest: &str| rest.trim_end_matches(']').to_owned();
    if let Some(rest) = name.strip_prefix(DATETIME_PREFIX) {
        format!("Datetime64<{}>", unit(rest))
    } else if let Some(rest) = name.strip_prefix(TIMEDELTA_PREFIX) {
        format!("Timedelta64<{}>", unit(rest))
    } else if name == COMPLEX {
        "a complex number".to_owned()
    } else if name == HALF_F16 {
        "f16".to_owned()
    } else {
        format!("`{name}`")
    }
}

impl<'p> Slot<'_, 'p, '_> {
    #[inline(always)]
    fn step(&self) -> &'p Step {
        self.step
    }

    #[inline(always)]
    fn op(&self) -> Op {
        self.step().op
    }

    #[inline(always)]
    fn at(&self) -> usize {
        self.base + self.step().offset
    }

    #[cold]
    fn locate(&self, err: Error) -> Error {
        locate(self.ctx.plan, self.index, err)
    }

    #[cold]
    fn mismatch(&self, found: &str) -> Error {
        self.locate(Error::new(
            ErrorKind::TypeMismatch,
            format!("found {found} where the dtype has {}", self.op().describe()),
        ))
    }

    /// The fast path of every fixed-width leaf: the step is exactly `expected` (the type the
    /// value was traced as, in native order), so the bytes go straight in.
    #[inline(always)]
    fn fast<const N: usize>(&mut self, expected: Op, bytes: [u8; N]) -> bool {
        let step = self.step;
        if step.key == expected.key() {
            let at = self.base + step.offset;
            if let Some(dst) = self.ctx.buf.get_mut(at..at + N) {
                dst.copy_from_slice(&bytes);
                return true;
            }
        }
        false
    }

    /// Integers into other widths, floats, datetimes, or the other byte order; or an error.
    #[inline(never)]
    fn signed(&mut self, v: i64, bytes: u8, what: &str) -> Result<()> {
        let at = self.at();
        match self.op() {
            Op::Int { width, big } if width >= bytes => {
                put_int(self.ctx.buf, at, v as u64, width, big);
            }
            Op::Float { width, big } if exact_in_float(u32::from(bytes) * 8 - 1, width) => {
                put_float(self.ctx.buf, at, v as f64, width, big);
            }
            Op::Time { big, .. } if bytes == 8 => put_int(self.ctx.buf, at, v as u64, 8, big),
            _ => return Err(self.mismatch(what)),
        }
        Ok(())
    }

    /// Unsigned integers into other widths, signed integers, floats, or the other byte order;
    /// or an error.
    #[inline(never)]
    fn unsigned(&mut self, v: u64, bytes: u8, what: &str) -> Result<()> {
        let at = self.at();
        match self.op() {
            Op::UInt { width, big } if width >= bytes => put_int(self.ctx.buf, at, v, width, big),
            Op::Int { width, big } if width > bytes => put_int(self.ctx.buf, at, v, width, big),
            Op::Float { width, big } if exact_in_float(u32::from(bytes) * 8, width) => {
                put_float(self.ctx.buf, at, v as f64, width, big);
            }
            _ => return Err(self.mismatch(what)),
        }
        Ok(())
    }

    /// Floats into a wider float or the other byte order; or an error.
    #[inline(never)]
    fn float(&mut self, v: f64, bytes: u8, what: &str) -> Result<()> {
        let at = self.at();
        match self.op() {
            Op::Float { width, big } if width >= bytes => {
                put_float(self.ctx.buf, at, v, width, big);
            }
            _ => return Err(self.mismatch(what)),
        }
        Ok(())
    }

    /// Writes `bytes` NUL-padded into an `S` / `V` field of `len` bytes.
    fn put_padded(&mut self, at: usize, bytes: &[u8], len: usize, unit: &str) -> Result<()> {
        if bytes.len() > len {
            return Err(self.locate(too_long(bytes.len(), unit, self.op())));
        }
        let field = &mut self.ctx.buf[at..at + len];
        field[..bytes.len()].copy_from_slice(bytes);
        field[bytes.len()..].fill(0);
        Ok(())
    }

    /// Writes `s` as UCS-4 NUL-padded into a `U` field of `chars` characters.
    fn put_unicode(&mut self, at: usize, s: &str, chars: usize, big: bool) -> Result<()> {
        let field = &mut self.ctx.buf[at..at + chars * 4];
        if s.len() <= chars && s.is_ascii() {
            // One byte per character: widen without decoding UTF-8.
            let (text, rest) = field.split_at_mut(s.len() * 4);
            for (slot, &b) in text.chunks_exact_mut(4).zip(s.as_bytes()) {
                let code = u32::from(b);
                slot.copy_from_slice(&if big {
                    code.to_be_bytes()
                } else {
                    code.to_le_bytes()
                });
            }
            rest.fill(0);
            return Ok(());
        }
        let mut slots = field.chunks_exact_mut(4);
        for c in s.chars() {
            let Some(slot) = slots.next() else {
                let n = s.chars().count();
                return Err(self.locate(too_long(n, "characters", self.op())));
            };
            let code = c as u32;
            slot.copy_from_slice(&if big {
                code.to_be_bytes()
            } else {
                code.to_le_bytes()
            });
        }
        for slot in slots {
            slot.fill(0);
        }
        Ok(())
    }

    /// A string into `S` (inline) or `U` (out of line).
    #[inline(always)]
    fn put_str(&mut self, s: &str, what: &str) -> Result<()> {
        let step = self.step();
        if let Op::Bytes { len } = step.op {
            let at = self.base + step.offset;
            if s.len() <= len {
                if let Some(field) = self.ctx.buf.get_mut(at..at + len) {
                    let (text, rest) = field.split_at_mut(s.len());
                    text.copy_from_slice(s.as_bytes());
                    // Skip the call to memset when the string fills the field.
                    if !rest.is_empty() {
                        rest.fill(0);
                    }
                    return Ok(());
                }
            }
        }
        self.put_str_slow(s, what)
    }

    #[inline(never)]
    fn put_str_slow(&mut self, s: &str, what: &str) -> Result<()> {
        let at = self.at();
        match self.op() {
            Op::Unicode { chars, big } => self.put_unicode(at, s, chars, big),
            Op::Bytes { len } => self.put_padded(at, s.as_bytes(), len, "bytes"),
            _ => Err(self.mismatch(what)),
        }
    }

    fn time<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
        delta_token: bool,
    ) -> Result<()> {
        let at = self.at();
        match self.op() {
            Op::Time {
                delta,
                unit: Some(unit),
                big,
            } if delta == delta_token && time_token(unit, delta) == Some(name) => {
                match value.serialize(LeafProbe).map_err(|e| self.locate(e))? {
                    Leaf::I64(ticks) => put_int(self.ctx.buf, at, ticks as u64, 8, big),
                    other => {
                        return Err(self.mismatch(&format!("`{name}` around {}", other.describe())))
                    }
                }
            }
            _ => return Err(self.mismatch(&token_name(name))),
        }
        Ok(())
    }

    fn half<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        let at = self.at();
        let Op::Float { width, big } = self.op() else {
            return Err(self.mismatch("f16"));
        };
        let Leaf::U16(bits) = value.serialize(LeafProbe).map_err(|e| self.locate(e))? else {
            return Err(self.mismatch("a newtype `f16` that does not wrap u16 bits"));
        };
        let v = half::f16::from_bits(bits);
        match width {
            2 => put_int(self.ctx.buf, at, u64::from(bits), 2, big),
            4 => put_int(self.ctx.buf, at, u64::from(v.to_f32().to_bits()), 4, big),
            _ => put_int(self.ctx.buf, at, v.to_f64().to_bits(), 8, big),
        }
        Ok(())
    }

    fn complex<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        let at = self.at();
        let Op::Complex { width, big } = self.op() else {
            return Err(self.mismatch("a complex number"));
        };
        let parts = value.serialize(ComplexProbe).map_err(|e| self.locate(e))?;
        let buf = &mut *self.ctx.buf;
        match (parts, width) {
            ([Leaf::F32(re), Leaf::F32(im)], 8) => {
                put_int(buf, at, u64::from(re.to_bits()), 4, big);
                put_int(buf, at + 4, u64::from(im.to_bits()), 4, big);
            }
            ([Leaf::F32(re), Leaf::F32(im)], _) => {
                put_int(buf, at, f64::from(re).to_bits(), 8, big);
                put_int(buf, at + 8, f64::from(im).to_bits(), 8, big);
            }
            ([Leaf::F64(re), Leaf::F64(im)], 16) => {
                put_int(buf, at, re.to_bits(), 8, big);
                put_int(buf, at + 8, im.to_bits(), 8, big);
            }
            ([re, _], _) => {
                return Err(self.mismatch(&format!("a complex number of {}", re.describe())))
            }
        }
        Ok(())
    }
}

macro_rules! signed {
    ($($method:ident($ty:ty, $bytes:literal, $what:literal);)*) => {$(
        #[inline(always)]
        fn $method(mut self, v: $ty) -> Result<()> {
            let big = NATIVE_BIG && $bytes > 1;
            if self.fast(Op::Int { width: $bytes, big }, v.to_ne_bytes()) {
                return Ok(());
            }
            self.signed(i64::from(v), $bytes, $what)
        }
    )*};
}

macro_rules! unsigned {
    ($($method:ident($ty:ty, $bytes:literal, $what:literal);)*) => {$(
        #[inline(always)]
        fn $method(mut self, v: $ty) -> Result<()> {
            let big = NATIVE_BIG && $bytes > 1;
            if self.fast(Op::UInt { width: $bytes, big }, v.to_ne_bytes()) {
                return Ok(());
            }
            self.unsigned(u64::from(v), $bytes, $what)
        }
    )*};
}

impl<'c, 'p, 'b> ser::Serializer for Slot<'c, 'p, 'b> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = ser::Impossible<(), Error>;
    type SerializeTuple = TupleEncoder<'c, 'p, 'b>;
    type SerializeTupleStruct = TupleEncoder<'c, 'p, 'b>;
    type SerializeTupleVariant = ser::Impossible<(), Error>;
    type SerializeMap = ser::Impossible<(), Error>;
    type SerializeStruct = RecordEncoder<'c, 'p, 'b>;
    type SerializeStructVariant = ser::Impossible<(), Error>;

    #[inline(always)]
    fn serialize_bool(mut self, v: bool) -> Result<()> {
        if self.fast(Op::Bool, [u8::from(v)]) {
            return Ok(());
        }
        Err(self.mismatch("bool"))
    }

    signed! {
        serialize_i8(i8, 1, "i8");
        serialize_i16(i16, 2, "i16");
        serialize_i32(i32, 4, "i32");
        serialize_i64(i64, 8, "i64");
    }

    unsigned! {
        serialize_u8(u8, 1, "u8");
        serialize_u16(u16, 2, "u16");
        serialize_u32(u32, 4, "u32");
        serialize_u64(u64, 8, "u64");
    }

    fn serialize_i128(self, _v: i128) -> Result<()> {
        Err(self.locate(unsupported::int128("i128")))
    }

    fn serialize_u128(self, _v: u128) -> Result<()> {
        Err(self.locate(unsupported::int128("u128")))
    }

    #[inline(always)]
    fn serialize_f32(mut self, v: f32) -> Result<()> {
        if self.fast(
            Op::Float {
                width: 4,
                big: NATIVE_BIG,
            },
            v.to_ne_bytes(),
        ) {
            return Ok(());
        }
        self.float(f64::from(v), 4, "f32")
    }

    #[inline(always)]
    fn serialize_f64(mut self, v: f64) -> Result<()> {
        if self.fast(
            Op::Float {
                width: 8,
                big: NATIVE_BIG,
            },
            v.to_ne_bytes(),
        ) {
            return Ok(());
        }
        self.float(v, 8, "f64")
    }

    fn serialize_char(mut self, v: char) -> Result<()> {
        let mut utf8 = [0u8; 4];
        self.put_str(v.encode_utf8(&mut utf8), "a char")
    }

    #[inline(always)]
    fn serialize_str(mut self, v: &str) -> Result<()> {
        self.put_str(v, "a string")
    }

    #[inline(always)]
    fn serialize_bytes(mut self, v: &[u8]) -> Result<()> {
        let at = self.at();
        match self.op() {
            Op::Bytes { len } | Op::Void { len } => self.put_padded(at, v, len, "bytes"),
            _ => Err(self.mismatch("bytes")),
        }
    }

    fn serialize_none(self) -> Result<()> {
        Err(self.locate(unsupported::option()))
    }

    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<()> {
        Err(self.locate(unsupported::option()))
    }

    fn serialize_unit(self) -> Result<()> {
        Err(self.locate(unsupported::unit()))
    }

    fn serialize_unit_struct(self, name: &'static str) -> Result<()> {
        Err(self.locate(unsupported::unit_struct(name)))
    }

    fn serialize_unit_variant(
        mut self,
        name: &'static str,
        index: u32,
        variant: &'static str,
    ) -> Result<()> {
        let at = self.at();
        let fits = |width: u8, signed: bool| {
            let bits = u32::from(width) * 8 - u32::from(signed);
            bits >= 32 || index < (1u32 << bits)
        };
        match self.op() {
            Op::Unicode { .. } | Op::Bytes { .. } => self.put_str(variant, "an enum variant"),
            Op::UInt { width, big } if fits(width, false) => {
                put_int(self.ctx.buf, at, u64::from(index), width, big);
                Ok(())
            }
            Op::Int { width, big } if fits(width, true) => {
                put_int(self.ctx.buf, at, u64::from(index), width, big);
                Ok(())
            }
            _ => Err(self.mismatch(&format!("the enum variant `{name}::{variant}`"))),
        }
    }

    #[inline(always)]
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        mut self,
        name: &'static str,
        value: &T,
    ) -> Result<()> {
        // Reserved names start with `$` (or are half's `f16`); other newtypes are transparent.
        if !(name.starts_with('$') || name == HALF_F16) {
            value.serialize(self)
        } else if name == HALF_F16 {
            self.half(value)
        } else if name == COMPLEX {
            self.complex(value)
        } else if name.starts_with(DATETIME_PREFIX) {
            self.time(name, value, false)
        } else if name.starts_with(TIMEDELTA_PREFIX) {
            self.time(name, value, true)
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
        Err(self.locate(unsupported::data_variant(name, variant)))
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq> {
        Err(self.locate(unsupported::seq()))
    }

    #[inline(always)]
    fn serialize_tuple(self, len: usize) -> Result<TupleEncoder<'c, 'p, 'b>> {
        let step = self.step();
        match step.op {
            Op::SubArray { len: n, elem_size } => {
                if len != n {
                    return Err(self.mismatch(&format!("a tuple of {len} elements")));
                }
                let Some(elem) = self.ctx.steps.get(self.index + 1) else {
                    return Err(self.mismatch("a subarray without an element type"));
                };
                Ok(TupleEncoder::Array {
                    step: self.index,
                    elem,
                    base: self.base + step.offset,
                    ctx: self.ctx,
                    len: n,
                    elem_size,
                    count: 0,
                })
            }
            Op::Bytes { len: n } | Op::Void { len: n } => {
                if len > n {
                    return Err(self.locate(too_long(len, "bytes", step.op)));
                }
                let at = self.base + step.offset;
                let plan = self.ctx.plan;
                let index = self.index;
                let Some(field) = self.ctx.buf.get_mut(at..at + n) else {
                    return Err(mismatch_at(plan, index, "a field outside the row"));
                };
                Ok(TupleEncoder::Bytes {
                    field,
                    plan,
                    step: index,
                    count: 0,
                })
            }
            Op::Record { fields } => {
                if len != fields {
                    return Err(self.mismatch(&format!("a tuple of {len} elements")));
                }
                Ok(TupleEncoder::Record(RecordEncoder::new(self, step)))
            }
            _ => Err(self.mismatch(&format!("a tuple of {len} elements"))),
        }
    }

    #[inline(always)]
    fn serialize_tuple_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<TupleEncoder<'c, 'p, 'b>> {
        match self.op() {
            Op::Record { .. } | Op::SubArray { .. } => self.serialize_tuple(len),
            _ => Err(self.mismatch(&format!("the tuple struct `{name}`"))),
        }
    }

    fn serialize_tuple_variant(
        self,
        name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Err(self.locate(unsupported::data_variant(name, variant)))
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap> {
        Err(self.locate(unsupported::map()))
    }

    #[inline(always)]
    fn serialize_struct(
        self,
        name: &'static str,
        _len: usize,
    ) -> Result<RecordEncoder<'c, 'p, 'b>> {
        let step = self.step();
        match step.op {
            Op::Record { .. } => Ok(RecordEncoder::new(self, step)),
            _ => Err(self.mismatch(&format!("the struct `{name}`"))),
        }
    }

    fn serialize_struct_variant(
        self,
        name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Err(self.locate(unsupported::data_variant(name, variant)))
    }
}

/// Writes the fields of a record, each into the next field step.
pub(crate) struct RecordEncoder<'c, 'p, 'b> {
    ctx: &'c mut Ctx<'p, 'b>,
    /// The record's own step.
    step: usize,
    /// Where the record starts in the row.
    base: usize,
    /// The next field's step.
    next: usize,
    /// The step after the record's last field.
    end: usize,
}

impl<'c, 'p, 'b> RecordEncoder<'c, 'p, 'b> {
    #[inline(always)]
    fn new(slot: Slot<'c, 'p, 'b>, step: &Step) -> Self {
        RecordEncoder {
            ctx: slot.ctx,
            step: slot.index,
            base: slot.base + step.offset,
            next: slot.index + 1,
            end: step.end,
        }
    }

    #[inline(always)]
    fn field<T: Serialize + ?Sized>(&mut self, key: Option<&'static str>, value: &T) -> Result<()> {
        // The error paths take copies, never `self`: a reference to `self` escaping into an
        // out-of-line call would keep `next` in memory instead of a register.
        let next = self.next;
        if next >= self.end {
            return Err(extra_field(self.ctx.plan, self.step, key));
        }
        let step = &self.ctx.steps[next];
        if let Some(key) = key {
            let same_key = step.traced_key.is_some_and(|k| std::ptr::eq(k, key));
            if !same_key && *step.name != *key {
                return Err(wrong_name(self.ctx.plan, next, key));
            }
        }
        value.serialize(Slot {
            ctx: &mut *self.ctx,
            step,
            index: next,
            base: self.base,
        })?;
        self.next = step.end;
        Ok(())
    }

    #[inline(always)]
    fn finish(self) -> Result<()> {
        if self.next != self.end {
            return Err(missing_field(self.ctx.plan, self.next));
        }
        Ok(())
    }
}

#[cold]
fn extra_field(plan: &Plan, record: usize, key: Option<&str>) -> Error {
    let msg = match key {
        Some(key) => format!("the row has a field `{key}` that the dtype lacks"),
        None => "the row has more fields than the dtype".to_owned(),
    };
    locate(plan, record, Error::new(ErrorKind::TypeMismatch, msg))
}

#[cold]
fn wrong_name(plan: &Plan, index: usize, key: &str) -> Error {
    let expected = plan.steps.get(index).map_or("", |s| &*s.name);
    locate(
        plan,
        index,
        Error::new(
            ErrorKind::TypeMismatch,
            format!(
                "found field `{key}` where the dtype expects `{expected}` (fields are written in \
                 the order of the first row)"
            ),
        ),
    )
}

#[cold]
fn missing_field(plan: &Plan, index: usize) -> Error {
    let name = plan.steps.get(index).map_or("", |s| &*s.name);
    let msg = if name.is_empty() {
        "the row has fewer fields than the dtype".to_owned()
    } else {
        format!("the row did not write the field `{name}`")
    };
    locate(plan, index, Error::new(ErrorKind::TypeMismatch, msg))
}

impl ser::SerializeStruct for RecordEncoder<'_, '_, '_> {
    type Ok = ();
    type Error = Error;

    #[inline(always)]
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<()> {
        self.field(Some(key), value)
    }

    fn skip_field(&mut self, key: &'static str) -> Result<()> {
        let index = if self.next < self.end {
            self.next
        } else {
            self.step
        };
        Err(locate(
            self.ctx.plan,
            index,
            unsupported::skipped_field(key),
        ))
    }

    #[inline(always)]
    fn end(self) -> Result<()> {
        self.finish()
    }
}

/// Writes a tuple or tuple struct: into a subarray, a byte string, or a record's fields.
pub(crate) enum TupleEncoder<'c, 'p, 'b> {
    /// Elements of a subarray: each one matches `elem`, the step after the subarray's.
    Array {
        ctx: &'c mut Ctx<'p, 'b>,
        step: usize,
        elem: &'p Step,
        base: usize,
        len: usize,
        elem_size: usize,
        count: usize,
    },
    /// `u8` elements into an `S` / `V` field.
    Bytes {
        field: &'c mut [u8],
        plan: &'p Plan,
        step: usize,
        count: usize,
    },
    /// Elements into the fields of a record.
    Record(RecordEncoder<'c, 'p, 'b>),
}

/// A type mismatch at step `index`.
#[cold]
fn mismatch_at(plan: &Plan, index: usize, found: &str) -> Error {
    let expected = plan
        .steps
        .get(index)
        .map(|s| s.op.describe())
        .unwrap_or_default();
    locate(
        plan,
        index,
        Error::new(
            ErrorKind::TypeMismatch,
            format!("found {found} where the dtype has {expected}"),
        ),
    )
}

impl TupleEncoder<'_, '_, '_> {
    #[inline(always)]
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        match self {
            TupleEncoder::Array {
                ctx,
                step,
                elem,
                base,
                len,
                elem_size,
                count,
            } => {
                if *count >= *len {
                    return Err(mismatch_at(
                        ctx.plan,
                        *step,
                        "a tuple with more elements than announced",
                    ));
                }
                value.serialize(Slot {
                    ctx,
                    step: elem,
                    index: *step + 1,
                    base: *base + *count * *elem_size,
                })?;
                *count += 1;
                Ok(())
            }
            TupleEncoder::Bytes {
                field,
                plan,
                step,
                count,
            } => {
                match value.serialize(LeafProbe) {
                    Ok(Leaf::U8(b)) => match field.get_mut(*count) {
                        Some(slot) => *slot = b,
                        None => {
                            let op = plan.steps[*step].op;
                            return Err(locate(plan, *step, too_long(*count + 1, "bytes", op)));
                        }
                    },
                    Ok(other) => {
                        return Err(mismatch_at(
                            plan,
                            *step,
                            &format!("an array of {}", other.describe()),
                        ))
                    }
                    Err(e) => return Err(locate(plan, *step, e)),
                }
                *count += 1;
                Ok(())
            }
            TupleEncoder::Record(record) => record.field(None, value),
        }
    }

    #[inline(always)]
    fn finish(self) -> Result<()> {
        match self {
            TupleEncoder::Array {
                ctx,
                step,
                len,
                count,
                ..
            } => {
                if count != len {
                    return Err(mismatch_at(
                        ctx.plan,
                        step,
                        &format!("a tuple of {count} elements"),
                    ));
                }
                Ok(())
            }
            TupleEncoder::Bytes { field, count, .. } => {
                if let Some(rest) = field.get_mut(count..).filter(|rest| !rest.is_empty()) {
                    rest.fill(0);
                }
                Ok(())
            }
            TupleEncoder::Record(record) => record.finish(),
        }
    }
}

impl ser::SerializeTuple for TupleEncoder<'_, '_, '_> {
    type Ok = ();
    type Error = Error;

    #[inline(always)]
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.element(value)
    }

    #[inline(always)]
    fn end(self) -> Result<()> {
        self.finish()
    }
}

impl ser::SerializeTupleStruct for TupleEncoder<'_, '_, '_> {
    type Ok = ();
    type Error = Error;

    #[inline(always)]
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.element(value)
    }

    #[inline(always)]
    fn end(self) -> Result<()> {
        self.finish()
    }
}
