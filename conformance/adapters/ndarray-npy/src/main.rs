//! Conformance-corpus adapter for the `ndarray-npy` crate.
//!
//! `ndarray-npy-adapter decode FILE`, `encode JSON OUT`, `validate FILE`; see corpus/README.md
//! for the contract and README.md beside this crate for how dtypes are determined and what is
//! reported as unsupported.
//!
//! ndarray-npy reads an array only into a Rust element type named by the caller and has no
//! "what dtype is this" query. So decode first reads with a probe element type that hands back
//! the descriptor ndarray-npy parsed, asks each supported element type's reader in turn whether
//! it accepts that descriptor, and then reads the array with the first one that does. Any error
//! from ndarray-npy along the way is the library rejecting the file.

use std::fs::{self, File};
use std::io;
use std::process::ExitCode;

use ndarray::{ArrayD, IxDyn, ShapeBuilder};
use ndarray_npy::npy::header::Header;
use ndarray_npy::{
    NpzReader, ReadDataError, ReadNpyError, ReadNpyExt, ReadNpzError, ReadableElement,
    WritableElement, WriteNpyExt,
};
use num_complex::Complex;
use py_literal::Value as PyValue;
use serde_json::{json, Value};

/// Why a mode did not succeed; decides the exit code.
#[derive(Debug)]
enum Failure {
    /// ndarray-npy rejected the file (or, for encode, the input or the write failed).
    Invalid(String),
    /// ndarray-npy has no element type for this dtype, or cannot write it.
    Unsupported(String),
}

type Result<T> = std::result::Result<T, Failure>;

fn invalid(e: impl std::fmt::Display) -> Failure {
    Failure::Invalid(e.to_string())
}

fn unsupported(e: impl std::fmt::Display) -> Failure {
    Failure::Unsupported(e.to_string())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["decode", file] => decode_path(file).map(|doc| println!("{doc}")),
        ["validate", file] => decode_path(file).map(|_| ()),
        ["encode", json, out] => encode(json, out),
        _ => {
            eprintln!("usage: ndarray-npy-adapter decode FILE | validate FILE | encode JSON OUT");
            return ExitCode::from(1);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Invalid(msg)) => {
            eprintln!("ndarray-npy: {msg}");
            ExitCode::from(1)
        }
        Err(Failure::Unsupported(msg)) => {
            eprintln!("unsupported by ndarray-npy: {msg}");
            ExitCode::from(2)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// element types

/// An element type ndarray-npy reads and writes, plus its value-document encoding.
trait Elem: ReadableElement + WritableElement + Clone {
    fn to_doc(&self) -> Value;
    fn from_doc(v: &Value) -> Option<Self>;
}

impl Elem for bool {
    fn to_doc(&self) -> Value {
        Value::Bool(*self)
    }
    fn from_doc(v: &Value) -> Option<Self> {
        v.as_bool()
    }
}

macro_rules! int_elem {
    ($($t:ty)*) => {$(
        impl Elem for $t {
            fn to_doc(&self) -> Value {
                Value::String(self.to_string())
            }
            fn from_doc(v: &Value) -> Option<Self> {
                v.as_str()?.parse().ok()
            }
        }
    )*};
}
int_elem!(i8 i16 i32 i64 u8 u16 u32 u64);

fn bits_doc(bits: u64, width: usize) -> Value {
    Value::String(format!("0x{bits:0w$x}", w = width * 2))
}

fn bits_from_doc(v: &Value, width: usize) -> Option<u64> {
    let digits = v.as_str()?.strip_prefix("0x")?;
    if digits.len() != width * 2 {
        return None;
    }
    u64::from_str_radix(digits, 16).ok()
}

macro_rules! float_elem {
    ($($t:ty, $bits:ty, $width:expr;)*) => {$(
        impl Elem for $t {
            fn to_doc(&self) -> Value {
                bits_doc(self.to_bits().into(), $width)
            }
            fn from_doc(v: &Value) -> Option<Self> {
                Some(<$t>::from_bits(<$bits>::try_from(bits_from_doc(v, $width)?).ok()?))
            }
        }

        impl Elem for Complex<$t> {
            fn to_doc(&self) -> Value {
                json!([self.re.to_doc(), self.im.to_doc()])
            }
            fn from_doc(v: &Value) -> Option<Self> {
                match v.as_array()?.as_slice() {
                    [re, im] => Some(Complex::new(<$t>::from_doc(re)?, <$t>::from_doc(im)?)),
                    _ => None,
                }
            }
        }
    )*};
}
float_elem! {
    f32, u32, 4;
    f64, u64, 8;
}

/// The descriptor string ndarray-npy writes for `T` (native byte order).
fn written_descr<T: Elem>() -> Option<String> {
    match T::type_descriptor() {
        PyValue::String(s) => Some(s),
        _ => None,
    }
}

/// Runs `$body` with `$T` bound to each supported element type in turn.
macro_rules! for_each_elem {
    ($T:ident => $body:block) => {{
        {
            type $T = bool;
            $body
        }
        {
            type $T = i8;
            $body
        }
        {
            type $T = u8;
            $body
        }
        {
            type $T = i16;
            $body
        }
        {
            type $T = u16;
            $body
        }
        {
            type $T = i32;
            $body
        }
        {
            type $T = u32;
            $body
        }
        {
            type $T = i64;
            $body
        }
        {
            type $T = u64;
            $body
        }
        {
            type $T = f32;
            $body
        }
        {
            type $T = f64;
            $body
        }
        {
            type $T = Complex<f32>;
            $body
        }
        {
            type $T = Complex<f64>;
            $body
        }
    }};
}

// ---------------------------------------------------------------------------------------------
// decode / validate

/// One array as read by ndarray-npy.
struct Decoded {
    dtype: String,
    shape: Vec<usize>,
    values: Value,
    /// Whether ndarray-npy built the array in C (standard) layout.
    standard_layout: bool,
}

/// What ndarray-npy's `read_npy` returned.
type ReadOutcome<T> = std::result::Result<ArrayD<T>, ReadNpyError>;

/// Where an array comes from: ndarray-npy's reader runs once with [`Probe`], then once with
/// the element type chosen.
trait Source {
    /// `Ok(Err(e))` is an ndarray-npy read error; `Err` is anything else (e.g. the zip).
    fn read<T: ReadableElement>(&mut self) -> Result<ReadOutcome<T>>;
}

struct NpySource<'a>(&'a [u8]);

impl Source for NpySource<'_> {
    fn read<T: ReadableElement>(&mut self) -> Result<ReadOutcome<T>> {
        Ok(ArrayD::<T>::read_npy(self.0))
    }
}

struct NpzMember<'a> {
    npz: &'a mut NpzReader<File>,
    index: usize,
}

impl Source for NpzMember<'_> {
    fn read<T: ReadableElement>(&mut self) -> Result<ReadOutcome<T>> {
        match self
            .npz
            .by_index::<ndarray::OwnedRepr<T>, IxDyn>(self.index)
        {
            Ok(a) => Ok(Ok(a)),
            Err(ReadNpzError::Npy(e)) => Ok(Err(e)),
            Err(e) => Err(invalid(e)),
        }
    }
}

/// An element type that reads nothing: ndarray-npy passes it the header's descriptor after
/// parsing the header, and it hands the descriptor back as `WrongDescriptor`. This asks the
/// library for the dtype without allocating for the shape (ndarray-npy's multi-byte readers
/// allocate the whole array before they look at the descriptor).
struct Probe;

impl ReadableElement for Probe {
    fn read_to_end_exact_vec<R: io::Read>(
        _reader: R,
        type_desc: &PyValue,
        _len: usize,
    ) -> std::result::Result<Vec<Self>, ReadDataError> {
        Err(ReadDataError::WrongDescriptor(type_desc.clone()))
    }
}

/// Whether ndarray-npy's reader for `T` accepts the descriptor (asked with zero elements).
fn accepts<T: Elem>(descr: &PyValue) -> bool {
    !matches!(
        T::read_to_end_exact_vec(io::empty(), descr, 0),
        Err(ReadDataError::WrongDescriptor(_))
    )
}

fn read_any<S: Source>(src: &mut S) -> Result<Decoded> {
    let descr = match src.read::<Probe>()? {
        Err(ReadNpyError::WrongDescriptor(d)) => d,
        Err(e) => return Err(invalid(e)),
        Ok(_) => return Err(invalid("the probe element type read data")),
    };
    for_each_elem!(T => {
        if accepts::<T>(&descr) {
            return match src.read::<T>()? {
                Ok(arr) => Ok(decoded(arr, &descr)),
                Err(e) => Err(invalid(e)),
            };
        }
    });
    Err(unsupported(format!(
        "no ndarray-npy element type reads descriptor {descr}"
    )))
}

fn decoded<T: Elem>(arr: ArrayD<T>, descr: &PyValue) -> Decoded {
    // ndarray-npy accepts exactly "<xN" / ">xN" for multi-byte types and a few aliases for
    // one-byte ones; NumPy's spelling is the big-endian string as read, else what ndarray-npy
    // itself writes for the type.
    let dtype = match descr {
        PyValue::String(s) if s.starts_with('>') => s.clone(),
        _ => written_descr::<T>().unwrap_or_default(),
    };
    let shape = arr.shape().to_vec();
    // iter() walks in logical (C) order whatever the memory layout.
    let flat: Vec<Value> = arr.iter().map(Elem::to_doc).collect();
    // The document writes an array without elements as [] whatever its shape.
    let values = if shape.contains(&0) {
        Value::Array(Vec::new())
    } else {
        nest(&mut flat.into_iter(), &shape)
    };
    Decoded {
        dtype,
        shape,
        values,
        standard_layout: arr.is_standard_layout(),
    }
}

fn nest(flat: &mut impl Iterator<Item = Value>, shape: &[usize]) -> Value {
    match shape.split_first() {
        None => flat.next().unwrap_or(Value::Null),
        Some((&len, rest)) => Value::Array((0..len).map(|_| nest(flat, rest)).collect()),
    }
}

fn doc(d: Decoded, fortran_order: bool) -> Value {
    json!({
        "dtype": d.dtype,
        "shape": d.shape,
        "fortran_order": fortran_order,
        "values": d.values,
    })
}

fn decode_path(path: &str) -> Result<Value> {
    if path.ends_with(".npz") {
        return decode_npz(path);
    }
    let bytes = fs::read(path).map_err(invalid)?;
    let d = read_any(&mut NpySource(&bytes))?;
    // The array's layout cannot tell fortran_order for 1-d or degenerate shapes; the header
    // ndarray-npy parsed (its public `Header`) can.
    let header = Header::from_reader(&mut &bytes[..]).map_err(invalid)?;
    Ok(doc(d, header.layout.is_fortran()))
}

fn decode_npz(path: &str) -> Result<Value> {
    let file = File::open(path).map_err(invalid)?;
    let mut npz = NpzReader::new(file).map_err(invalid)?;
    // names() is in archive order with ".npy" removed, as np.load names them.
    let names = npz.names().map_err(invalid)?;
    let mut members = Vec::new();
    for (index, name) in names.into_iter().enumerate() {
        let d = read_any(&mut NpzMember {
            npz: &mut npz,
            index,
        })?;
        // NpzReader gives no header, so the flag comes from the array's layout: right for
        // everything np.savez writes, false for a hand-made 1-d/degenerate Fortran member.
        let fortran = !d.standard_layout;
        members.push(json!([name, doc(d, fortran)]));
    }
    Ok(json!({ "npz": members }))
}

// ---------------------------------------------------------------------------------------------
// encode

fn encode(json_path: &str, out_path: &str) -> Result<()> {
    let text = fs::read_to_string(json_path).map_err(invalid)?;
    let doc: Value = serde_json::from_str(&text).map_err(invalid)?;
    if doc.get("npz").is_some() {
        return Err(unsupported("encode writes .npy only"));
    }
    let dtype = match doc.get("dtype") {
        Some(Value::String(s)) => s.as_str(),
        Some(Value::Array(_)) => return Err(unsupported("record dtypes")),
        _ => return Err(invalid("no dtype")),
    };
    let shape: Vec<usize> = doc
        .get("shape")
        .and_then(Value::as_array)
        .ok_or_else(|| invalid("no shape"))?
        .iter()
        .map(|d| {
            d.as_u64()
                .and_then(|d| usize::try_from(d).ok())
                .ok_or_else(|| invalid("bad shape entry"))
        })
        .collect::<Result<_>>()?;
    let fortran = doc
        .get("fortran_order")
        .and_then(Value::as_bool)
        .ok_or_else(|| invalid("no fortran_order"))?;
    let values = doc.get("values").ok_or_else(|| invalid("no values"))?;

    // The element type whose written descriptor is the requested one; ndarray-npy writes
    // native byte order only, so e.g. ">f8" has none.
    for_each_elem!(T => {
        if written_descr::<T>().as_deref() == Some(dtype) {
            let bytes = write_array::<T>(values, &shape, fortran)?;
            return fs::write(out_path, bytes).map_err(invalid);
        }
    });
    Err(unsupported(format!(
        "ndarray-npy has no element type that writes {dtype:?}"
    )))
}

fn write_array<T: Elem>(values: &Value, shape: &[usize], fortran: bool) -> Result<Vec<u8>> {
    let mut flat = Vec::new();
    flatten(values, shape, &mut flat)?;
    let elems = flat
        .into_iter()
        .map(|v| T::from_doc(v).ok_or_else(|| invalid(format!("bad element {v}"))))
        .collect::<Result<Vec<T>>>()?;
    let c = ArrayD::from_shape_vec(IxDyn(shape), elems).map_err(invalid)?;
    let arr = if fortran {
        // A Fortran-layout copy; ndarray-npy picks the header flag from the layout.
        let f: ArrayD<T> =
            ArrayD::from_shape_vec(IxDyn(shape).f(), c.t().iter().cloned().collect::<Vec<T>>())
                .map_err(invalid)?;
        f
    } else {
        c
    };
    let mut buf = Vec::new();
    arr.write_npy(&mut buf).map_err(invalid)?;
    Ok(buf)
}

/// The elements of a nested list in C order, checked against the shape.
fn flatten<'a>(v: &'a Value, shape: &[usize], out: &mut Vec<&'a Value>) -> Result<()> {
    // An array without elements is [] whatever its shape.
    if shape.contains(&0) {
        return match v.as_array() {
            Some(items) if items.is_empty() => Ok(()),
            _ => Err(invalid("an array without elements must be []")),
        };
    }
    let Some((&len, rest)) = shape.split_first() else {
        out.push(v);
        return Ok(());
    };
    match v.as_array() {
        Some(items) if items.len() == len => {
            items.iter().try_for_each(|item| flatten(item, rest, out))
        }
        _ => Err(invalid("values do not match shape")),
    }
}
