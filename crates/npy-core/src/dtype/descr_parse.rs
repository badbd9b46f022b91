//! Reading a header's `descr` value into a [`DType`], as NumPy's `descr_to_dtype` does. The
//! accepted forms are documented on [`DType::from_descr`].

use super::limits::{MAX_DIM, MAX_ITEMSIZE, MAX_NESTING_DEPTH};
use super::type_str::parse_type_str;
use super::value_repr::write_repr;
#[cfg(doc)]
use super::SubArray;
use super::{DType, Field, Record, Scalar, ScalarKind};
use crate::error::{Error, ErrorKind, Result};
use crate::literal::Value;

/// Why a descr was refused; becomes the parenthesised detail of the error message.
type Detail = String;

impl DType {
    /// Converts a parsed `descr` value into a dtype, as NumPy's `descr_to_dtype`.
    ///
    /// Sizes are checked (no dtype over [`MAX_ITEMSIZE`] bytes, as NumPy requires) and nesting is
    /// bounded by [`MAX_NESTING_DEPTH`], so hostile input yields an error, never a panic or
    /// unbounded recursion.
    ///
    /// # Accepted forms
    ///
    /// * A string is a type string, one of those `np.dtype(str)` accepts that real writers emit
    ///   (listed below; also [`Scalar`]'s `FromStr`).
    /// * A tuple `(descr, shape)` is `dtype((descr, shape))`: a [`SubArray`], the
    ///   plain dtype for an empty shape, and for a zero-size `S`/`U`/`V` with an integer "shape" the
    ///   sized type (`('S0', 5)` is `|S5`, NumPy's legacy "generic type tuple").
    /// * A list is a record: `(name, descr)` or `(name, descr, shape)` entries (tuples or lists),
    ///   `name` a string or a `(title, name)` pair (title `None` meaning none). Offsets advance by
    ///   every entry's itemsize; padding entries (name `''` and a void or subarray dtype, NumPy's
    ///   `is_pad`) are dropped. Names and titles must be unique.
    ///
    /// A dict anywhere is rejected: NumPy ≤ 2.0 leaked field metadata into descrs as
    /// `('|S3', {'some': 'stuff'})`, which NumPy itself cannot read back.
    ///
    /// Not accepted although NumPy accepts them (no writer produces them): a top-level tuple with
    /// more than two items (NumPy ignores the extras), a field entry that is a bare string
    /// (NumPy unpacks `'ab'` as name `'a'`, type `'b'`), non-string titles, and a zero-size subarray
    /// given an integer "shape" (NumPy turns it into a plain void).
    ///
    /// # Type strings
    ///
    /// An optional byte-order prefix (`<` little, `>` big, `=` native, `|` "not applicable", which
    /// NumPy reads as native for kinds that have an order) followed by one of:
    ///
    /// | text | dtype |
    /// |---|---|
    /// | `b1`, `?` | bool |
    /// | `i1` `i2` `i4` `i8`, `u1` `u2` `u4` `u8` | integers |
    /// | `f2` `f4` `f8` `f16`, `c8` `c16` `c32` | floats and complexes (`f16`/`c32`: x86 long double) |
    /// | `S<n>`, `a<n>` (deprecated alias), `U<n>`, `V<n>`; `<n>` may be omitted (0) | strings, void |
    /// | `M8`, `m8`, `M`, `m`, each optionally followed by `[unit]` / `[<n>unit]` (only after `8`) | datetime, timedelta |
    /// | `O`, `O4`, `O8` | object |
    /// | `b` `B` `h` `H` `i` `I` `l` `L` `q` `Q` `p` `P` `n` `N` | `i1` `u1` `i2` `u2` `i4` `u4` `i8` `u8` `i8` `u8` `i8` `u8` `i8` `u8` |
    /// | `e` `f` `d` `g`, `F` `D` `G`, `c` | `f2` `f4` `f8` `f16`, `c8` `c16` `c32`, `S1` |
    ///
    /// Sizes are decimal digits, leading zeros allowed (`'S05'` is `|S5`). Units: `Y M W D h m s ms us
    /// μs ns ps fs as generic`, with an optional decimal multiplier up to `i32::MAX`.
    ///
    /// Without a prefix, these NumPy type names are also accepted: `bool bool_ int8 int16 int32 int64
    /// uint8 uint16 uint32 uint64 float16 float32 float64 float128 longdouble complex64 complex128
    /// complex256 clongdouble int float complex double single half csingle cdouble intp uintp int_
    /// uint short ushort intc uintc long ulong longlong ulonglong byte ubyte str str_ unicode bytes
    /// bytes_ void object object_`, and `datetime64` / `timedelta64` with an optional `[unit]`.
    ///
    /// The platform-dependent codes and names (`l`, `L`, `long`, `ulong`, `int`, `int_`, `uint`, `p`,
    /// `P`, `n`, `N`, `intp`, `uintp`, `g`, `G`, `longdouble`, `clongdouble`, `float128`,
    /// `complex256`) take their **Linux x86-64** meanings, as NumPy 2.x there reads them: `l` is
    /// `i8` (it is `i4` on Windows) and `g` is the 16-byte x86 extended double.
    ///
    /// Everything else is rejected, including strings NumPy accepts but no writer puts in a header:
    /// comma-separated record strings (`'i4,f8'`), prefixed type names (`'<datetime64[ns]'`), signed or
    /// space-padded multipliers (`'M8[+2s]'`) and divisor units (`'M8[s/2]'`).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidDescr`], with NumPy's message `descr is not a valid dtype descriptor:
    /// <repr of descr>` followed by the reason in parentheses.
    pub fn from_descr(descr: &Value) -> Result<DType> {
        parse(descr, 1).map_err(|detail| invalid_descr(descr, &detail))
    }
}

/// The error for a refused descr: NumPy's text, then the detail in parentheses.
pub(crate) fn invalid_descr(descr: &Value, detail: &str) -> Error {
    let mut message = String::from("descr is not a valid dtype descriptor: ");
    write_repr(&mut message, descr);
    if !detail.is_empty() {
        message.push_str(" (");
        message.push_str(detail);
        message.push(')');
    }
    Error::new(ErrorKind::InvalidDescr, message)
}

/// The dtype at nesting level `depth` (1 for the whole descr).
fn parse(value: &Value, depth: usize) -> Result<DType, Detail> {
    if depth > MAX_NESTING_DEPTH {
        return Err(format!(
            "dtype nests deeper than {MAX_NESTING_DEPTH} levels"
        ));
    }
    match value {
        Value::Str(text) => parse_type_str(text).map(DType::Scalar),
        Value::Tuple(items) => match items.as_slice() {
            [base, shape] => with_shape(parse(base, depth + 1)?, shape),
            _ => Err("a tuple descr must be (dtype, shape)".to_owned()),
        },
        Value::List(entries) => parse_record(entries, depth),
        Value::Dict(_) => Err(metadata_dict()),
        other => Err(format!("{} is not a dtype", type_name(other))),
    }
}

/// The reason given for a dict inside a descr.
fn metadata_dict() -> Detail {
    "a dict is not a dtype: NumPy before 2.1 leaked dtype metadata into descrs, \
     and such files cannot be read by NumPy either (invalid shape in fixed-type tuple)"
        .to_owned()
}

/// Python's type name of a value that cannot be a dtype.
fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Str(_) => "str",
        Value::Int(_) => "int",
        Value::Bool(_) => "bool",
        Value::None => "None",
        Value::Tuple(_) => "tuple",
        Value::List(_) => "list",
        Value::Dict(_) => "dict",
    }
}

/// `dtype((base, shape))`.
fn with_shape(base: DType, shape: &Value) -> Result<DType, Detail> {
    let unsized_base = base.itemsize() == 0 && !matches!(base, DType::Record(_));
    if unsized_base {
        return resize_unsized(base, shape);
    }
    let dims = match shape {
        Value::Int(n) => vec![dimension(*n)?],
        Value::Tuple(items) => dimensions(items)?,
        Value::List(items) if !items.is_empty() => dimensions(items)?,
        Value::Dict(_) => return Err(metadata_dict()),
        _ => return Err("invalid shape in fixed-type tuple".to_owned()),
    };
    DType::subarray(base, dims).map_err(|e| e.message().to_owned())
}

/// `dtype((unsized, n))`: NumPy's legacy way of sizing a zero-size `S`, `U` or `V`.
fn resize_unsized(base: DType, size: &Value) -> Result<DType, Detail> {
    let invalid = || "invalid itemsize in generic type tuple".to_owned();
    let (DType::Scalar(scalar), Value::Int(n)) = (&base, size) else {
        return Err(invalid());
    };
    let n = usize::try_from(*n).map_err(|_| invalid())?;
    let kind = match scalar.kind() {
        ScalarKind::Bytes(_) => ScalarKind::Bytes(n),
        ScalarKind::Unicode(_) => ScalarKind::Unicode(n),
        ScalarKind::Void(_) => ScalarKind::Void(n),
        _ => return Err(invalid()),
    };
    Scalar::new(kind, scalar.order())
        .map(DType::Scalar)
        .map_err(|_| invalid())
}

/// The items of a shape tuple or list.
fn dimensions(items: &[Value]) -> Result<Vec<u64>, Detail> {
    items
        .iter()
        .map(|item| match item {
            Value::Int(n) => dimension(*n),
            _ => Err("invalid shape in fixed-type tuple".to_owned()),
        })
        .collect()
}

/// One shape dimension: `0..=i32::MAX`.
fn dimension(n: i128) -> Result<u64, Detail> {
    if n < 0 {
        return Err("invalid shape in fixed-type tuple: dimension smaller than zero".to_owned());
    }
    u64::try_from(n)
        .ok()
        .filter(|&d| d <= MAX_DIM)
        .ok_or_else(|| {
            "invalid shape in fixed-type tuple: dimension does not fit into a C int".to_owned()
        })
}

/// A list descr: the record NumPy builds from `names`, `formats`, `titles`, `offsets`, `itemsize`.
fn parse_record(entries: &[Value], depth: usize) -> Result<DType, Detail> {
    let mut fields = Vec::with_capacity(entries.len());
    let mut offset = 0usize;
    for entry in entries {
        let (Value::Tuple(items) | Value::List(items)) = entry else {
            return Err(format!(
                "a record field must be a (name, dtype) or (name, dtype, shape) tuple, not {}",
                type_name(entry)
            ));
        };
        let (name_value, dtype) = match items.as_slice() {
            [name, format] => (name, parse(format, depth + 1)?),
            [name, format, shape] => (name, with_shape(parse(format, depth + 2)?, shape)?),
            _ => {
                return Err(format!(
                    "a record field must have 2 or 3 items, not {}",
                    items.len()
                ))
            }
        };
        let (title, name) = field_name(name_value)?;
        let size = dtype.itemsize();
        if !is_padding(name_value, &dtype) {
            fields.push(Field {
                name: name.to_owned(),
                title: title.map(str::to_owned),
                dtype,
                offset,
            });
        }
        offset = offset
            .checked_add(size)
            .filter(|&end| end <= MAX_ITEMSIZE)
            .ok_or_else(|| {
                format!(
                    "record is larger than {MAX_ITEMSIZE} bytes (integer won't fit into a C int)"
                )
            })?;
    }
    Record::new(fields, offset)
        .map(DType::Record)
        .map_err(|e| e.message().to_owned())
}

/// Splits a field's name item into `(title, name)`.
fn field_name(value: &Value) -> Result<(Option<&str>, &str), Detail> {
    match value {
        Value::Str(name) => Ok((None, name)),
        Value::Tuple(pair) => match pair.as_slice() {
            [Value::Str(title), Value::Str(name)] => Ok((Some(title), name)),
            [Value::None, Value::Str(name)] => Ok((None, name)),
            _ => Err("a field's (title, name) must be two strings".to_owned()),
        },
        _ => Err("field names must be strings".to_owned()),
    }
}

/// NumPy's `is_pad`: the name is `''` and the dtype is void-typed without fields (a plain void or
/// any subarray, whose NumPy type is `np.void` too).
fn is_padding(name: &Value, dtype: &DType) -> bool {
    let unnamed = matches!(name, Value::Str(s) if s.is_empty());
    let void_like = match dtype {
        DType::Scalar(s) => matches!(s.kind(), ScalarKind::Void(_)),
        DType::SubArray(_) => true,
        DType::Record(_) => false,
    };
    unnamed && void_like
}
