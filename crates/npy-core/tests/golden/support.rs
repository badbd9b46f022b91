//! Shared by `tests/golden.rs` and `tests/malformed.rs`: loading `golden/manifest.json` (written
//! by `golden/generate.py` from real NumPy) and comparing what npy-core reads against it.
//!
//! Checks collect every mismatch instead of stopping at the first, so one run reports all the
//! files that disagree with NumPy.

#![allow(dead_code)]

use std::fmt::Write as _;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use half::f16;
use npy_core::{read_slice, Element, NpyArray, Version};
use num_complex::Complex;
use serde_json::Value;

/// The folder holding `manifest.json` and the `valid/`, `decode_only/`, `malformed/` files.
pub fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("golden")
}

/// The parsed manifest.
pub fn manifest() -> &'static Value {
    static MANIFEST: OnceLock<Value> = OnceLock::new();
    MANIFEST.get_or_init(|| {
        let path = golden_dir().join("manifest.json");
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("parsing {}: {e}", path.display()))
    })
}

/// One file of the manifest.
#[derive(Clone, Copy)]
pub struct Entry(pub &'static Value);

impl Entry {
    pub fn path(&self) -> &'static str {
        self.str("path")
    }

    pub fn category(&self) -> &'static str {
        self.str("category")
    }

    pub fn get(&self, key: &str) -> Option<&'static Value> {
        self.0.get(key).filter(|v| !v.is_null())
    }

    pub fn str(&self, key: &str) -> &'static str {
        self.0[key]
            .as_str()
            .unwrap_or_else(|| panic!("{}: manifest field {key} is not a string", self.0["path"]))
    }

    pub fn u64(&self, key: &str) -> u64 {
        self.0[key]
            .as_u64()
            .unwrap_or_else(|| panic!("{}: manifest field {key} is not a u64", self.0["path"]))
    }

    pub fn bool(&self, key: &str) -> bool {
        self.0[key]
            .as_bool()
            .unwrap_or_else(|| panic!("{}: manifest field {key} is not a bool", self.0["path"]))
    }

    /// The file's bytes.
    pub fn bytes(&self) -> Vec<u8> {
        let path = self.file();
        std::fs::read(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
    }

    /// The file's path on disk.
    pub fn file(&self) -> PathBuf {
        golden_dir().join(self.path())
    }

    /// `shape` as a list of u64.
    pub fn shape(&self) -> Vec<u64> {
        shape_of(&self.0["shape"])
    }

    /// `version` (`[major, minor]`) as a [`Version`].
    pub fn version(&self) -> Version {
        version_of(&self.0["version"])
    }

    /// A hex field decoded.
    pub fn hex(&self, key: &str) -> Option<Vec<u8>> {
        self.get(key)
            .map(|v| unhex(v.as_str().expect("hex fields are strings")))
    }

    /// Whether NumPy's default `np.load` refused the file only for its header size.
    pub fn numpy_refuses_header_size(&self) -> bool {
        let verdict = self
            .get("numpy_default_load")
            .or_else(|| self.get("numpy_error"));
        verdict
            .and_then(|v| v.get("message"))
            .and_then(Value::as_str)
            .is_some_and(|m| m.starts_with("Header info length"))
    }
}

/// All manifest entries of one category (`valid`, `decode_only`, `malformed`).
pub fn entries(category: &str) -> Vec<Entry> {
    manifest()["files"]
        .as_array()
        .expect("manifest files is a list")
        .iter()
        .map(Entry)
        .filter(|e| e.category() == category)
        .collect()
}

pub fn shape_of(value: &Value) -> Vec<u64> {
    value
        .as_array()
        .expect("shape is a list")
        .iter()
        .map(|d| d.as_u64().expect("shape dims are u64"))
        .collect()
}

pub fn version_of(value: &Value) -> Version {
    let pair: Vec<u64> = value
        .as_array()
        .expect("version is a list")
        .iter()
        .map(|v| v.as_u64().expect("version numbers"))
        .collect();
    match pair.as_slice() {
        [1, 0] => Version::V1,
        [2, 0] => Version::V2,
        [3, 0] => Version::V3,
        other => panic!("unexpected version {other:?} in the manifest"),
    }
}

pub fn unhex(text: &str) -> Vec<u8> {
    assert!(text.len() % 2 == 0, "odd-length hex string");
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("valid hex"))
        .collect()
}

/// Short hex for messages.
pub fn show_bytes(bytes: &[u8]) -> String {
    let mut out = String::new();
    for b in bytes.iter().take(48) {
        let _ = write!(out, "{b:02x}");
    }
    if bytes.len() > 48 {
        let _ = write!(out, "... ({} bytes)", bytes.len());
    }
    out
}

/// Whether `actual` is the text the manifest describes: the text itself, or for long texts
/// `{len, head, tail}` (lengths in Unicode code points, as Python counts them).
pub fn text_matches(expected: &Value, actual: &str) -> bool {
    match expected {
        Value::String(s) => s == actual,
        Value::Object(o) => {
            let len = o["len"].as_u64().expect("len") as usize;
            let head = o["head"].as_str().expect("head");
            let tail = o["tail"].as_str().expect("tail");
            actual.chars().count() == len && actual.starts_with(head) && actual.ends_with(tail)
        }
        _ => panic!("unexpected text field {expected}"),
    }
}

/// A short form of a manifest text field for messages.
pub fn show_text(expected: &Value) -> String {
    match expected {
        Value::String(s) => format!("{s:?}"),
        other => other.to_string(),
    }
}

/// Collects failures of many files and reports them all at the end.
#[derive(Default)]
pub struct Failures {
    messages: Vec<String>,
    checked: usize,
}

impl Failures {
    pub fn new() -> Self {
        Self::default()
    }

    /// Runs `check` for one file; an `Err` or a panic inside it is recorded as a failure.
    pub fn check(&mut self, path: &str, check: impl FnOnce() -> Result<(), String>) {
        self.checked += 1;
        match catch_unwind(AssertUnwindSafe(check)) {
            Ok(Ok(())) => {}
            Ok(Err(message)) => self.messages.push(format!("{path}: {message}")),
            Err(panic) => {
                let text = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                    .unwrap_or_else(|| "non-string panic".to_owned());
                self.messages.push(format!("{path}: PANIC: {text}"));
            }
        }
    }

    /// Panics with every recorded failure; also fails when nothing was checked.
    pub fn finish(self, what: &str) {
        assert!(
            self.checked > 0,
            "{what}: no files were checked (manifest empty?)"
        );
        if !self.messages.is_empty() {
            panic!(
                "{what}: {} of {} files disagree with the NumPy golden data:\n  {}",
                self.messages.len(),
                self.checked,
                self.messages.join("\n  ")
            );
        }
    }
}

/// Fails with a message when `expected != actual`.
pub fn expect_eq<T: PartialEq + std::fmt::Debug>(
    what: &str,
    expected: T,
    actual: T,
) -> Result<(), String> {
    if expected == actual {
        Ok(())
    } else {
        Err(format!("{what}: expected {expected:?}, got {actual:?}"))
    }
}

/// Fails with a message when two byte strings differ, naming the first differing offset.
pub fn expect_bytes(what: &str, expected: &[u8], actual: &[u8]) -> Result<(), String> {
    if expected == actual {
        return Ok(());
    }
    let first = expected
        .iter()
        .zip(actual)
        .position(|(a, b)| a != b)
        .unwrap_or(expected.len().min(actual.len()));
    let from = first.saturating_sub(8);
    Err(format!(
        "{what}: {} bytes expected, {} produced, first difference at byte {first}: expected {} got {}",
        expected.len(),
        actual.len(),
        show_bytes(&expected[from.min(expected.len())..]),
        show_bytes(&actual[from.min(actual.len())..]),
    ))
}

// ---------------------------------------------------------------------------------------------
// Typed values
// ---------------------------------------------------------------------------------------------

/// An element type whose values can be written the way generate.py writes `values`.
pub trait Canon: Element {
    fn canon(&self) -> String;
}

macro_rules! canon_int {
    ($($t:ty),*) => {$(
        impl Canon for $t {
            fn canon(&self) -> String {
                self.to_string()
            }
        }
    )*};
}
canon_int!(i8, i16, i32, i64, u8, u16, u32, u64);

impl Canon for bool {
    fn canon(&self) -> String {
        u8::from(*self).to_string()
    }
}

impl Canon for f16 {
    fn canon(&self) -> String {
        format!("0x{:04x}", self.to_bits())
    }
}

impl Canon for f32 {
    fn canon(&self) -> String {
        format!("0x{:08x}", self.to_bits())
    }
}

impl Canon for f64 {
    fn canon(&self) -> String {
        format!("0x{:016x}", self.to_bits())
    }
}

impl Canon for Complex<f32> {
    fn canon(&self) -> String {
        format!("0x{:08x}:0x{:08x}", self.re.to_bits(), self.im.to_bits())
    }
}

impl Canon for Complex<f64> {
    fn canon(&self) -> String {
        format!("0x{:016x}:0x{:016x}", self.re.to_bits(), self.im.to_bits())
    }
}

/// What a typed read produced, in C order, as manifest strings.
pub struct TypedRead {
    pub shape: Vec<u64>,
    pub fortran_order: bool,
    pub values: Vec<String>,
}

/// Reads `bytes` as `T` twice (`read_slice` and `NpyArray::into_typed`), brings both to C order
/// and checks they agree.
pub fn typed_read<T: Canon>(bytes: &[u8], array: &NpyArray) -> Result<TypedRead, String> {
    let typed = read_slice::<T>(bytes).map_err(|e| format!("read_slice: {e:?}"))?;
    let shape = typed.shape().to_vec();
    let fortran_order = typed.is_fortran_order();
    let values: Vec<String> = typed.to_c_order().data().iter().map(Canon::canon).collect();
    let via_array = array
        .clone()
        .into_typed::<T>()
        .map_err(|e| format!("into_typed: {e:?}"))?;
    let other: Vec<String> = via_array
        .to_c_order()
        .data()
        .iter()
        .map(Canon::canon)
        .collect();
    expect_eq(
        "into_typed values versus read_slice values",
        &values,
        &other,
    )?;
    Ok(TypedRead {
        shape,
        fortran_order,
        values,
    })
}

/// The typed read matching a scalar descr such as `'<i4'` or `'>c16'`; `None` for dtypes with
/// no Rust element type (records, strings, datetimes, long doubles).
pub fn typed_read_for_descr(
    descr: &str,
    bytes: &[u8],
    array: &NpyArray,
) -> Option<Result<TypedRead, String>> {
    let inner = descr.strip_prefix('\'')?.strip_suffix('\'')?;
    let code = inner.get(1..)?;
    Some(match code {
        "b1" => typed_read::<bool>(bytes, array),
        "i1" => typed_read::<i8>(bytes, array),
        "i2" => typed_read::<i16>(bytes, array),
        "i4" => typed_read::<i32>(bytes, array),
        "i8" => typed_read::<i64>(bytes, array),
        "u1" => typed_read::<u8>(bytes, array),
        "u2" => typed_read::<u16>(bytes, array),
        "u4" => typed_read::<u32>(bytes, array),
        "u8" => typed_read::<u64>(bytes, array),
        "f2" => typed_read::<f16>(bytes, array),
        "f4" => typed_read::<f32>(bytes, array),
        "f8" => typed_read::<f64>(bytes, array),
        "c8" => typed_read::<Complex<f32>>(bytes, array),
        "c16" => typed_read::<Complex<f64>>(bytes, array),
        _ => return None,
    })
}

/// The manifest's `values` as strings.
pub fn manifest_values(entry: Entry) -> Option<Vec<String>> {
    entry.get("values").map(|v| {
        v.as_array()
            .expect("values is a list")
            .iter()
            .map(|s| s.as_str().expect("values are strings").to_owned())
            .collect()
    })
}
