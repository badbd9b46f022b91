//! Conformance-corpus adapter for the `npyz` crate.
//!
//! `npyz-adapter decode FILE`, `encode JSON OUT`, `validate FILE`; see corpus/README.md for the
//! contract and README.md beside this crate for what is measured and what is reported as
//! unsupported.

mod json;
mod node;

use std::fs;
use std::io;
use std::process::ExitCode;

use npyz::{DType, Field, NpyFile, Order, TypeChar, TypeStr, WriterBuilder};
use serde_json::Value;

use json::{hex, unhex, Out};
use node::{is_padding, FieldValue, Node};

/// Why a mode did not succeed; decides the exit code.
#[derive(Debug)]
enum Failure {
    /// npyz rejected the file (or, for encode, the input or the write failed).
    Invalid(String),
    /// npyz cannot represent this dtype or feature.
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
        ["decode", file] => decode_path(file).map(|doc| println!("{}", doc.to_json())),
        ["validate", file] => decode_path(file).map(|_| ()),
        ["encode", json, out] => encode(json, out),
        _ => {
            eprintln!("usage: npyz-adapter decode FILE | validate FILE | encode JSON OUT");
            return ExitCode::from(1);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Invalid(msg)) => {
            eprintln!("npyz: {msg}");
            ExitCode::from(1)
        }
        Err(Failure::Unsupported(msg)) => {
            eprintln!("unsupported by npyz: {msg}");
            ExitCode::from(2)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// decode / validate

fn decode_path(path: &str) -> Result<Out> {
    if path.ends_with(".npz") {
        decode_npz(path)
    } else {
        let bytes = fs::read(path).map_err(invalid)?;
        decode_npy(NpyFile::new(&bytes[..]).map_err(invalid)?)
    }
}

fn decode_npz(path: &str) -> Result<Out> {
    let mut npz = npyz::npz::NpzArchive::open(path).map_err(invalid)?;
    // NpzArchive::array_names() comes from a hash map; the document wants archive order, so the
    // names are listed through the archive npyz exposes and each array is opened by npyz.
    let count = npz.zip_archive().len();
    let mut members = Vec::new();
    for index in 0..count {
        let file_name = npz
            .zip_archive()
            .by_index_raw(index)
            .map_err(invalid)?
            .name()
            .to_owned();
        // The same filter array_names() applies: npyz sees only `*.npy` members.
        let Some(name) = npyz::npz::array_name_from_file_name(&file_name) else {
            continue;
        };
        let npy = npz
            .by_name(name)
            .map_err(invalid)?
            .ok_or_else(|| invalid(format!("npyz could not find member {file_name:?} by name")))?;
        let doc = decode_npy(npy)?;
        members.push(Out::List(vec![Out::str(name), doc]));
    }
    Ok(Out::Obj(vec![("npz".to_owned(), Out::List(members))]))
}

fn decode_npy<R: io::Read>(npy: NpyFile<R>) -> Result<Out> {
    let dtype = npy.dtype();
    let shape = npy.shape().to_vec();
    let strides = npy.strides().to_vec();
    let fortran = npy.order() == Order::Fortran;
    let dtype_doc = dtype_to_doc(&dtype)?;

    // A DTypeError means npyz has no Rust type for this dtype (or refuses pickles).
    let reader = npy.data::<Node>().map_err(unsupported)?;
    let mut items = Vec::new();
    for item in reader {
        items.push(Some(node_to_doc(item.map_err(invalid)?)));
    }
    // The document writes an array without elements as [] whatever its shape.
    let values = if shape.contains(&0) {
        Out::List(Vec::new())
    } else {
        nest(&mut items, &shape, &strides, 0, 0)?
    };

    Ok(Out::Obj(vec![
        ("dtype".to_owned(), dtype_doc),
        (
            "shape".to_owned(),
            Out::List(shape.iter().map(|&d| Out::Num(d)).collect()),
        ),
        ("fortran_order".to_owned(), Out::Bool(fortran)),
        ("values".to_owned(), values),
    ]))
}

/// Nested lists in logical C order from the elements in file order, using npyz's strides.
fn nest(
    items: &mut [Option<Out>],
    shape: &[u64],
    strides: &[u64],
    axis: usize,
    offset: u64,
) -> Result<Out> {
    let (Some(&len), Some(&stride)) = (shape.get(axis), strides.get(axis)) else {
        return usize::try_from(offset)
            .ok()
            .and_then(|i| items.get_mut(i))
            .and_then(Option::take)
            .ok_or_else(|| invalid("npyz returned fewer elements than the shape holds"));
    };
    let mut out = Vec::new();
    for i in 0..len {
        let at = i
            .checked_mul(stride)
            .and_then(|d| d.checked_add(offset))
            .ok_or_else(|| invalid("shape overflows"))?;
        out.push(nest(items, shape, strides, axis + 1, at)?);
    }
    Ok(Out::List(out))
}

/// The descr NumPy would print for the dtype npyz parsed.
fn dtype_to_doc(dtype: &DType) -> Result<Out> {
    match dtype {
        DType::Plain(ts) => Ok(Out::str(&canonical_type_str(ts))),
        DType::Record(fields) => {
            let mut out = Vec::new();
            for Field { name, dtype } in fields {
                let mut shape = Vec::new();
                let mut inner = dtype;
                while let DType::Array(n, elem) = inner {
                    shape.push(Out::Num(*n));
                    inner = elem;
                }
                let mut entry = vec![Out::str(name), dtype_to_doc(inner)?];
                if !shape.is_empty() {
                    entry.push(Out::List(shape));
                }
                out.push(Out::List(entry));
            }
            Ok(Out::List(out))
        }
        DType::Array(..) => Err(unsupported("top-level subarray dtype")),
    }
}

/// npyz keeps the byte-order character the header had; NumPy normalises it to `|` where byte
/// order is meaningless (one-byte numbers, `S`, `V`), which is the spelling the document uses.
fn canonical_type_str(ts: &TypeStr) -> String {
    let no_order = match ts.type_char() {
        TypeChar::Bool | TypeChar::Int | TypeChar::Uint => ts.size_field() == 1,
        TypeChar::ByteStr | TypeChar::RawData | TypeChar::Object => true,
        _ => false,
    };
    let order = if no_order {
        "|"
    } else {
        ts.endianness().to_str()
    };
    let text = ts.to_string();
    // Display is order char + the rest ("S" for the 'a' alias), so swap the first character.
    format!("{order}{}", text.get(1..).unwrap_or(""))
}

fn bits(bits: u64, width: usize) -> Out {
    Out::str(&format!("0x{bits:0w$x}", w = width * 2))
}

fn is_empty_array(node: &Node) -> bool {
    matches!(node, Node::Array(items) if items.iter().all(is_empty_array))
}

fn node_to_doc(node: Node) -> Out {
    match node {
        Node::Bool(b) => Out::Bool(b),
        Node::Int(v) => Out::str(&v.to_string()),
        Node::UInt(v) => Out::str(&v.to_string()),
        Node::Float(b, w) => bits(b, w),
        Node::Complex(re, im, w) => Out::List(vec![bits(re, w), bits(im, w)]),
        Node::Bytes(b) => Out::str(&hex(&b)),
        Node::Text(cps) => Out::Text(cps),
        Node::Record(fields) => Out::Obj(
            fields
                .into_iter()
                .filter(|f| !f.padding)
                .map(|f| (f.name, node_to_doc(f.value)))
                .collect(),
        ),
        // A subarray field without elements is [] whatever its shape.
        Node::Array(items) if items.iter().all(is_empty_array) => Out::List(Vec::new()),
        Node::Array(items) => Out::List(items.into_iter().map(node_to_doc).collect()),
    }
}

// ---------------------------------------------------------------------------------------------
// encode

fn encode(json_path: &str, out_path: &str) -> Result<()> {
    let text = fs::read_to_string(json_path).map_err(invalid)?;
    let doc: Value = serde_json::from_str(&text).map_err(|e| {
        // serde_json refuses lone surrogates ("\udc80"), which a NumPy `U` string may hold.
        if has_surrogate_escape(&text) {
            unsupported(format!(
                "this adapter's JSON parser cannot read lone surrogates: {e}"
            ))
        } else {
            invalid(e)
        }
    })?;
    if doc.get("npz").is_some() {
        return Err(unsupported("encode writes .npy only"));
    }
    let dtype = dtype_from_doc(doc.get("dtype").ok_or_else(|| invalid("no dtype"))?)?;
    if let DType::Array(..) = dtype {
        return Err(invalid("top-level subarray dtype"));
    }
    let shape: Vec<u64> = doc
        .get("shape")
        .and_then(Value::as_array)
        .ok_or_else(|| invalid("no shape"))?
        .iter()
        .map(|d| d.as_u64().ok_or_else(|| invalid("bad shape entry")))
        .collect::<Result<_>>()?;
    let fortran = doc
        .get("fortran_order")
        .and_then(Value::as_bool)
        .ok_or_else(|| invalid("no fortran_order"))?;
    let values = doc.get("values").ok_or_else(|| invalid("no values"))?;

    // Ask npyz up front whether it can write every scalar in the dtype.
    <Node as npyz::Serialize>::writer(&dtype).map_err(unsupported)?;

    let mut flat = Vec::new();
    flatten(values, &shape, &mut flat)?;
    let nodes = flat
        .into_iter()
        .map(|v| node_from_doc(&dtype, v))
        .collect::<Result<Vec<_>>>()?;
    let nodes = if fortran {
        to_fortran_order(nodes, &shape)?
    } else {
        nodes
    };

    let mut buf = Vec::new();
    let order = if fortran { Order::Fortran } else { Order::C };
    let mut writer = npyz::WriteOptions::<Node>::new()
        .dtype(dtype)
        .shape(&shape)
        .order(order)
        .writer(&mut buf)
        .begin_nd()
        .map_err(invalid)?;
    for node in &nodes {
        writer.push(node).map_err(invalid)?;
    }
    writer.finish().map_err(invalid)?;
    fs::write(out_path, buf).map_err(invalid)
}

fn has_surrogate_escape(text: &str) -> bool {
    text.to_ascii_lowercase()
        .split("\\u")
        .skip(1)
        .any(|rest| rest.get(..2).is_some_and(|p| ("d8".."e0").contains(&p)))
}

fn dtype_from_doc(v: &Value) -> Result<DType> {
    match v {
        Value::String(s) => s
            .parse::<TypeStr>()
            .map(DType::Plain)
            .map_err(|e| unsupported(format!("npyz cannot parse type string {s:?}: {e}"))),
        Value::Array(fields) => fields
            .iter()
            .map(|f| {
                let parts = f.as_array().ok_or_else(|| invalid("bad field"))?;
                let name = match parts.first() {
                    Some(Value::String(s)) => s.clone(),
                    Some(Value::Array(_)) => return Err(unsupported("field titles")),
                    _ => return Err(invalid("bad field name")),
                };
                let mut dtype = dtype_from_doc(parts.get(1).ok_or_else(|| invalid("bad field"))?)?;
                if let Some(shape) = parts.get(2) {
                    let dims = shape.as_array().ok_or_else(|| invalid("bad field shape"))?;
                    for d in dims.iter().rev() {
                        let n = d.as_u64().ok_or_else(|| invalid("bad field shape"))?;
                        dtype = DType::Array(n, Box::new(dtype));
                    }
                }
                Ok(Field { name, dtype })
            })
            .collect::<Result<_>>()
            .map(DType::Record),
        _ => Err(invalid("bad dtype")),
    }
}

/// The elements of a nested list in C order, checked against the shape.
fn flatten<'a>(v: &'a Value, shape: &[u64], out: &mut Vec<&'a Value>) -> Result<()> {
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
    let items = v
        .as_array()
        .ok_or_else(|| invalid("values do not match shape"))?;
    if u64::try_from(items.len()).ok() != Some(len) {
        return Err(invalid("values do not match shape"));
    }
    items.iter().try_for_each(|item| flatten(item, rest, out))
}

/// Reorders C-ordered elements into Fortran (first axis fastest) file order.
fn to_fortran_order(nodes: Vec<Node>, shape: &[u64]) -> Result<Vec<Node>> {
    let dims: Vec<usize> = shape
        .iter()
        .map(|&d| usize::try_from(d).map_err(invalid))
        .collect::<Result<_>>()?;
    let mut slots: Vec<Option<Node>> = nodes.into_iter().map(Some).collect();
    let mut out = Vec::with_capacity(slots.len());
    let mut index = vec![0usize; dims.len()];
    for _ in 0..slots.len() {
        let mut c = 0usize;
        for (i, d) in index.iter().zip(&dims) {
            c = c * d + i;
        }
        out.push(
            slots
                .get_mut(c)
                .and_then(Option::take)
                .ok_or_else(|| invalid("bad index"))?,
        );
        // Advance the multi-index with the first axis varying fastest.
        for (i, d) in index.iter_mut().zip(&dims) {
            *i += 1;
            if *i < *d {
                break;
            }
            *i = 0;
        }
    }
    Ok(out)
}

fn parse_bits(v: &Value, width: usize) -> Result<u64> {
    let s = v
        .as_str()
        .ok_or_else(|| invalid("float must be a bit-pattern string"))?;
    let digits = s
        .strip_prefix("0x")
        .filter(|d| d.len() == width * 2)
        .ok_or_else(|| invalid(format!("bad bit pattern {s:?}")))?;
    u64::from_str_radix(digits, 16).map_err(invalid)
}

fn parse_dec<T: std::str::FromStr>(v: &Value) -> Result<T>
where
    T::Err: std::fmt::Display,
{
    v.as_str()
        .ok_or_else(|| invalid("integer must be a decimal string"))?
        .parse::<T>()
        .map_err(invalid)
}

/// One element of the value document as a `Node` of the dtype.
fn node_from_doc(dtype: &DType, v: &Value) -> Result<Node> {
    match dtype {
        DType::Plain(ts) => {
            let size = ts.size_field();
            let width = usize::try_from(size).map_err(invalid)?;
            match ts.type_char() {
                TypeChar::Bool => v
                    .as_bool()
                    .map(Node::Bool)
                    .ok_or_else(|| invalid("bad bool")),
                TypeChar::Int | TypeChar::DateTime | TypeChar::TimeDelta => {
                    let n = match size {
                        1 => parse_dec::<i8>(v)?.into(),
                        2 => parse_dec::<i16>(v)?.into(),
                        4 => parse_dec::<i32>(v)?.into(),
                        _ => parse_dec::<i64>(v)?,
                    };
                    Ok(Node::Int(n))
                }
                TypeChar::Uint => {
                    let n = match size {
                        1 => parse_dec::<u8>(v)?.into(),
                        2 => parse_dec::<u16>(v)?.into(),
                        4 => parse_dec::<u32>(v)?.into(),
                        _ => parse_dec::<u64>(v)?,
                    };
                    Ok(Node::UInt(n))
                }
                TypeChar::Float if width <= 8 => Ok(Node::Float(parse_bits(v, width)?, width)),
                TypeChar::Complex if width <= 16 => {
                    let parts = v.as_array().filter(|p| p.len() == 2);
                    let [re, im] = parts.map(Vec::as_slice).unwrap_or(&[]) else {
                        return Err(invalid("complex must be [re, im]"));
                    };
                    let w = width / 2;
                    Ok(Node::Complex(parse_bits(re, w)?, parse_bits(im, w)?, w))
                }
                TypeChar::ByteStr | TypeChar::RawData => v
                    .as_str()
                    .and_then(unhex)
                    .map(Node::Bytes)
                    .ok_or_else(|| invalid("bad hex bytes")),
                TypeChar::UnicodeStr => v
                    .as_str()
                    .map(|s| Node::Text(s.chars().map(u32::from).collect()))
                    .ok_or_else(|| invalid("bad string")),
                _ => Err(unsupported(format!("no value encoding for '{ts}'"))),
            }
        }
        DType::Record(fields) => {
            let obj = v
                .as_object()
                .ok_or_else(|| invalid("record must be an object"))?;
            let mut out = Vec::with_capacity(fields.len());
            for Field { name, dtype } in fields {
                let padding = is_padding(name, dtype);
                let value = if padding {
                    // The document omits padding; write zero bytes.
                    zero_padding(dtype)?
                } else {
                    let fv = obj
                        .get(name)
                        .ok_or_else(|| invalid(format!("missing field {name:?}")))?;
                    node_from_doc(dtype, fv)?
                };
                out.push(FieldValue {
                    name: name.clone(),
                    padding,
                    value,
                });
            }
            Ok(Node::Record(out))
        }
        DType::Array(n, inner) => {
            let items = v
                .as_array()
                .ok_or_else(|| invalid("subarray must be a list"))?;
            // A subarray without elements is [] whatever its shape.
            if items.is_empty() && holds_no_elements(dtype) {
                return Ok(Node::Array(Vec::new()));
            }
            if u64::try_from(items.len()).ok() != Some(*n) {
                return Err(invalid("subarray length differs from its shape"));
            }
            items
                .iter()
                .map(|item| node_from_doc(inner, item))
                .collect::<Result<_>>()
                .map(Node::Array)
        }
    }
}

fn holds_no_elements(dtype: &DType) -> bool {
    match dtype {
        DType::Array(0, _) => true,
        DType::Array(_, inner) => holds_no_elements(inner),
        _ => false,
    }
}

/// Zero bytes for a padding field (`|Vn`, or a subarray of it).
fn zero_padding(dtype: &DType) -> Result<Node> {
    match dtype {
        DType::Plain(ts) => {
            let size = usize::try_from(ts.size_field()).map_err(invalid)?;
            let mut bytes = Vec::new();
            bytes.try_reserve_exact(size).map_err(invalid)?;
            bytes.resize(size, 0);
            Ok(Node::Bytes(bytes))
        }
        DType::Array(_, _) if holds_no_elements(dtype) => Ok(Node::Array(Vec::new())),
        DType::Array(n, inner) => {
            let n = usize::try_from(*n).map_err(invalid)?;
            let mut items = Vec::new();
            items.try_reserve_exact(n).map_err(invalid)?;
            for _ in 0..n {
                items.push(zero_padding(inner)?);
            }
            Ok(Node::Array(items))
        }
        DType::Record(_) => Err(invalid("record-typed padding")),
    }
}
