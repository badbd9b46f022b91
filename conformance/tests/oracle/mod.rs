//! The NumPy side of `numpy_oracle.rs`: a generated [`Case`] is rebuilt as an ndarray by NumPy
//! itself, which then saves it, loads our bytes, or reports what it wrote.
//!
//! The dtype reaches NumPy as a structural spec ([`py_spec`]: type strings for scalars, the dict
//! form `{names, formats, offsets, titles, itemsize}` for records, `(base, shape)` for
//! subarrays), not as npy-core's descr text, so a wrong descr from npy-core cannot shape the
//! array it is judged against.
//!
//! Interpreter setup (venv discovery, `sys.path`, the libpython check) is the shared oracle's,
//! `crates/npy-serde/tests/common/mod.rs`; this module only adds its own Python functions.

pub mod strategies;

use std::fmt;

use npy_core::{ByteOrder, DType, ScalarKind, TimeUnit, Version};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyList, PyTuple};

use crate::common::{py_error_text, with_numpy};

/// One generated array: its dtype, shape and memory order, and its elements as C-order bytes.
#[derive(Clone)]
pub struct Case {
    /// The element type.
    pub dtype: DType,
    /// The array shape (empty for 0-d).
    pub shape: Vec<u64>,
    /// Whether the array is stored in Fortran order.
    pub fortran: bool,
    /// The elements in C order, `product(shape) * itemsize` bytes.
    pub data: Vec<u8>,
    /// For NumPy-writes cases: the format version forced through `write_array(version=)`, or
    /// `None` for plain `np.save`.
    pub version: Option<Version>,
}

/// Compact and reproducible: the descr, shape, order and version, then the data in hex, which is
/// everything needed to rebuild the array in NumPy.
impl fmt::Debug for Case {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Case {{ descr: {}, shape: {:?}, order: {}, version: {}, data ({} bytes, C order): {} }}",
            self.dtype.descr(),
            self.shape,
            if self.fortran { "F" } else { "C" },
            self.version
                .map_or_else(|| "np.save".to_owned(), |v| v.to_string()),
            self.data.len(),
            hex(&self.data),
        )
    }
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What NumPy reports about an array: `repr(dtype_to_descr(dtype))`, `repr(dtype.descr)`, the
/// shape, its order (for an array built in NumPy, the `fortran_order` `np.save` writes for it;
/// for a loaded one, its file's), and its bytes in C order with record padding zeroed.
#[derive(Clone, PartialEq, Eq)]
pub struct NumpyView {
    pub descr: String,
    pub dtype_descr: String,
    pub shape: Vec<u64>,
    pub fortran: bool,
    pub c_bytes: Vec<u8>,
}

impl fmt::Debug for NumpyView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{{ descr: {}, dtype.descr: {}, shape: {:?}, fortran: {}, C-order bytes: {} }}",
            self.descr,
            self.dtype_descr,
            self.shape,
            self.fortran,
            hex(&self.c_bytes)
        )
    }
}

/// NumPy's verdict on bytes npy-core wrote for a case.
pub struct Judgement {
    /// What `np.save` writes for the case's array built in NumPy.
    pub np_save: Vec<u8>,
    /// That array, as NumPy sees it.
    pub built: NumpyView,
    /// Our bytes after `np.load`.
    pub loaded_ours: NumpyView,
}

/// A file NumPy wrote for a case, and what NumPy's own header reader says about it.
pub struct NumpyFile {
    pub bytes: Vec<u8>,
    /// The major version in the file (1, 2 or 3).
    pub version: u8,
    pub shape: Vec<u64>,
    pub fortran: bool,
    /// `repr(dtype_to_descr(...))` of the dtype NumPy read from the header.
    pub descr: String,
    /// The array's bytes in C order.
    pub c_bytes: Vec<u8>,
}

const PY_SOURCE: &str = r#"
import io
import traceback
import warnings

import numpy as np
from numpy.lib import _format_impl

# np.save warns whenever it falls back to a version 3.0 header; the cases ask for that.
warnings.filterwarnings("ignore", message="Stored array in format 3.0")

# np.load's default 10,000-byte header limit is a safety default, not part of the format.
_MAX_HEADER = 1 << 62


def _guard(fn):
    def wrapped(*args):
        try:
            return (True, fn(*args))
        except BaseException:
            return (False, traceback.format_exc())
    return wrapped


def make_dtype(spec):
    tag = spec[0]
    if tag == "scalar":
        return np.dtype(spec[1])
    if tag == "subarray":
        return np.dtype((make_dtype(spec[1]), tuple(spec[2])))
    if tag == "record":
        _, fields, itemsize = spec
        return np.dtype({
            "names": [f[0] for f in fields],
            "titles": [f[1] for f in fields],
            "formats": [make_dtype(f[2]) for f in fields],
            "offsets": [f[3] for f in fields],
            "itemsize": itemsize,
        })
    raise ValueError(f"unknown spec {spec!r}")


def build(spec, shape, fortran, data):
    """The case's array: its C-order bytes viewed with the dtype, then copied into a Fortran-order
    array when asked. np.asfortranarray would do, except that it turns S0/U0 into S1/U1."""
    a = np.ndarray(tuple(shape), dtype=make_dtype(spec), buffer=bytearray(data))
    if fortran:
        f = np.ndarray(a.shape, dtype=a.dtype, buffer=bytearray(a.nbytes), order="F")
        f[...] = a
        a = f
    return a


def c_bytes(a):
    """a's bytes in C order, with record padding zero. NumPy may copy records field by field,
    leaving padding bytes as the destination held them: np.load and a.tobytes(order="C") leave
    garbage there. Copying into zeroed memory gives zero padding either way (where NumPy copies
    raw instead, it did so in np.load too, keeping the file's zero padding)."""
    c = np.ndarray(a.shape, dtype=a.dtype, buffer=bytearray(a.nbytes))
    c[...] = a
    return c.tobytes()


def saves_as_fortran(a):
    """What np.save writes as fortran_order for a."""
    return bool(a.flags.f_contiguous and not a.flags.c_contiguous)


def header_fields(raw):
    """(major version, shape, fortran_order, dtype) as NumPy's header reader sees them."""
    f = io.BytesIO(raw)
    version = np.lib.format.read_magic(f)
    shape, fortran_order, dtype = _format_impl._read_array_header(
        f, version, max_header_size=_MAX_HEADER)
    return version[0], list(shape), bool(fortran_order), dtype


def view(a, fortran):
    return (
        repr(np.lib.format.dtype_to_descr(a.dtype)),
        repr(a.dtype.descr),
        list(a.shape),
        fortran,
        c_bytes(a),
    )


@_guard
def judge_rust_write(spec, shape, fortran, data, ours):
    a = build(spec, shape, fortran, data)
    buf = io.BytesIO()
    np.save(buf, a, allow_pickle=False)
    loaded = np.load(io.BytesIO(ours), allow_pickle=False, max_header_size=_MAX_HEADER)
    # The loaded array's flags cannot tell its order when the itemsize is 0 (every stride is 0,
    # so it is both C- and F-contiguous): the header says.
    return (buf.getvalue(), view(a, saves_as_fortran(a)),
            view(loaded, header_fields(ours)[2]))


@_guard
def numpy_writes(spec, shape, fortran, data, version):
    a = build(spec, shape, fortran, data)
    buf = io.BytesIO()
    if version is None:
        np.save(buf, a, allow_pickle=False)
    else:
        np.lib.format.write_array(buf, a, version=(version, 0), allow_pickle=False)
    raw = buf.getvalue()
    major, shape, fortran_order, dtype = header_fields(raw)
    return (raw, major, shape, fortran_order, repr(np.lib.format.dtype_to_descr(dtype)),
            c_bytes(a))
"#;

/// The Python half above, compiled once per process.
fn module(py: Python<'_>) -> Bound<'_, PyModule> {
    static MODULE: PyOnceLock<Py<PyModule>> = PyOnceLock::new();
    MODULE
        .get_or_try_init(py, || {
            let source = std::ffi::CString::new(PY_SOURCE).expect("no NUL in the source");
            PyModule::from_code(py, &source, c"npy_numpy_oracle.py", c"npy_numpy_oracle")
                .map(Bound::unbind)
        })
        .unwrap_or_else(|e| panic!("loading the oracle module: {}", py_error_text(py, &e)))
        .bind(py)
        .clone()
}

/// Calls `npy_numpy_oracle.<function>(*args)`; panics with the Python traceback and the case when
/// it raised (proptest then shrinks and reports the case).
fn call<R>(
    case: &Case,
    function: &str,
    extra: impl for<'py> FnOnce(Python<'py>) -> Bound<'py, PyAny>,
    finish: impl for<'py> FnOnce(Bound<'py, PyAny>) -> PyResult<R>,
) -> R {
    with_numpy(|py| {
        let result = (|| {
            let args = PyTuple::new(
                py,
                [
                    py_spec(py, &case.dtype)?,
                    PyTuple::new(py, &case.shape)?.into_any(),
                    case.fortran.into_pyobject(py)?.to_owned().into_any(),
                    PyBytes::new(py, &case.data).into_any(),
                    extra(py),
                ],
            )?;
            let (ok, payload): (bool, Bound<'_, PyAny>) =
                module(py).getattr(function)?.call1(args)?.extract()?;
            if ok {
                finish(payload).map(Ok)
            } else {
                Ok(Err(payload.extract::<String>()?))
            }
        })();
        match result {
            Ok(Ok(value)) => value,
            Ok(Err(traceback)) => panic!("NumPy failed on {case:?}:\n{traceback}"),
            Err(e) => panic!(
                "calling the oracle's {function} for {case:?}: {}",
                py_error_text(py, &e)
            ),
        }
    })
}

/// Builds the case's array in NumPy, `np.save`s it, and `np.load`s `ours`.
pub fn judge_rust_write(case: &Case, ours: &[u8]) -> Judgement {
    call(
        case,
        "judge_rust_write",
        |py| PyBytes::new(py, ours).into_any(),
        |payload| {
            let (np_save, built, loaded): (Bound<'_, PyBytes>, Bound<'_, PyAny>, Bound<'_, PyAny>) =
                payload.extract()?;
            Ok(Judgement {
                np_save: np_save.as_bytes().to_vec(),
                built: numpy_view(&built)?,
                loaded_ours: numpy_view(&loaded)?,
            })
        },
    )
}

/// Builds the case's array in NumPy and saves it: with `np.save`, or with
/// `np.lib.format.write_array(..., version=)` when the case names a version.
pub fn numpy_writes(case: &Case) -> NumpyFile {
    call(
        case,
        "numpy_writes",
        |py| match case.version {
            None => py.None().into_bound(py),
            Some(v) => v.bytes()[0].into_pyobject(py).expect("an int").into_any(),
        },
        |payload| {
            #[allow(clippy::type_complexity)]
            let (bytes, version, shape, fortran, descr, c_bytes): (
                Bound<'_, PyBytes>,
                u8,
                Vec<u64>,
                bool,
                String,
                Bound<'_, PyBytes>,
            ) = payload.extract()?;
            Ok(NumpyFile {
                bytes: bytes.as_bytes().to_vec(),
                version,
                shape,
                fortran,
                descr,
                c_bytes: c_bytes.as_bytes().to_vec(),
            })
        },
    )
}

fn numpy_view(view: &Bound<'_, PyAny>) -> PyResult<NumpyView> {
    let (descr, dtype_descr, shape, fortran, c_bytes): (
        String,
        String,
        Vec<u64>,
        bool,
        Bound<'_, PyBytes>,
    ) = view.extract()?;
    Ok(NumpyView {
        descr,
        dtype_descr,
        shape,
        fortran,
        c_bytes: c_bytes.as_bytes().to_vec(),
    })
}

/// The dtype as the Python side's `make_dtype` takes it: `("scalar", "<i4")`,
/// `("subarray", spec, shape)`, `("record", [(name, title, spec, offset), ...], itemsize)`.
fn py_spec<'py>(py: Python<'py>, dtype: &DType) -> PyResult<Bound<'py, PyAny>> {
    let spec = match dtype {
        DType::Scalar(scalar) => PyTuple::new(
            py,
            [
                "scalar".into_pyobject(py)?.into_any(),
                type_str(scalar.kind(), scalar.order())
                    .into_pyobject(py)?
                    .into_any(),
            ],
        )?,
        DType::SubArray(sub) => PyTuple::new(
            py,
            [
                "subarray".into_pyobject(py)?.into_any(),
                py_spec(py, &sub.base)?,
                PyTuple::new(py, &sub.shape)?.into_any(),
            ],
        )?,
        DType::Record(record) => {
            let fields = record
                .fields()
                .iter()
                .map(|field| {
                    PyTuple::new(
                        py,
                        [
                            field.name.as_str().into_pyobject(py)?.into_any(),
                            field.title.as_deref().into_pyobject(py)?.into_any(),
                            py_spec(py, &field.dtype)?,
                            field.offset.into_pyobject(py)?.into_any(),
                        ],
                    )
                })
                .collect::<PyResult<Vec<_>>>()?;
            PyTuple::new(
                py,
                [
                    "record".into_pyobject(py)?.into_any(),
                    PyList::new(py, fields)?.into_any(),
                    record.itemsize().into_pyobject(py)?.into_any(),
                ],
            )?
        }
    };
    Ok(spec.into_any())
}

/// A scalar's NumPy type string, spelled here rather than by npy-core (whose `Display` is under
/// test): order character, type code, width or `[unit]`.
fn type_str(kind: ScalarKind, order: ByteOrder) -> String {
    let order = match order {
        ByteOrder::Little => '<',
        ByteOrder::Big => '>',
        ByteOrder::NotApplicable => '|',
    };
    let body = match kind {
        ScalarKind::Bool => "b1".to_owned(),
        ScalarKind::Int(w) => format!("i{w}"),
        ScalarKind::UInt(w) => format!("u{w}"),
        ScalarKind::Float(w) => format!("f{w}"),
        ScalarKind::Complex(w) => format!("c{w}"),
        ScalarKind::Bytes(n) => format!("S{n}"),
        ScalarKind::Unicode(n) => format!("U{n}"),
        ScalarKind::Void(n) => format!("V{n}"),
        ScalarKind::DateTime(unit) => format!("M8{}", unit_suffix(unit.unit, unit.multiplier)),
        ScalarKind::TimeDelta(unit) => format!("m8{}", unit_suffix(unit.unit, unit.multiplier)),
        other => unreachable!("the generator makes no {other:?}"),
    };
    format!("{order}{body}")
}

fn unit_suffix(unit: TimeUnit, multiplier: u64) -> String {
    let name = match unit {
        TimeUnit::Generic => return String::new(),
        TimeUnit::Years => "Y",
        TimeUnit::Months => "M",
        TimeUnit::Weeks => "W",
        TimeUnit::Days => "D",
        TimeUnit::Hours => "h",
        TimeUnit::Minutes => "m",
        TimeUnit::Seconds => "s",
        TimeUnit::Milliseconds => "ms",
        TimeUnit::Microseconds => "us",
        TimeUnit::Nanoseconds => "ns",
        TimeUnit::Picoseconds => "ps",
        TimeUnit::Femtoseconds => "fs",
        TimeUnit::Attoseconds => "as",
    };
    format!("[{multiplier}{name}]")
}
