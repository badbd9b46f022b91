//! NumPy as the test oracle, embedded through pyo3 (a dev-dependency only).
//!
//! ```ignore
//! mod common;
//! use common::{np_eval, np_load_json, np_save};
//!
//! let bytes = np_save("np.array([(1, 2.5)], dtype=[('id', '<i8'), ('x', '<f8')])");
//! let loaded = np_load_json(&bytes);
//! assert_eq!(loaded["values"], serde_json::json!([[1, 2.5]]));
//! assert_eq!(np_eval("result = np.dtype('<f8').itemsize"), serde_json::json!(8));
//! ```
//!
//! * [`np_save`]: evaluates a Python expression (with `np` imported) and returns the bytes
//!   `np.save` writes for it.
//! * [`np_load_json`]: NumPy loads `.npy` bytes and returns `{"descr", "shape", "fortran_order",
//!   "values"}` as JSON.
//! * [`np_eval`]: runs Python statements with `np` in scope and returns the JSON of `result`.
//! * [`with_numpy`]: runs Rust code holding the GIL once NumPy is importable, for callers that
//!   load their own Python code and pass objects (bytes, nested tuples) rather than text;
//!   [`py_error_text`] formats a Python exception for their panic messages.
//!
//! Values are made JSON-safe the same way everywhere (see [`PY_SOURCE`]): `bytes` become
//! `{"bytes_hex": "..."}`, non-finite floats the strings `"nan"`, `"inf"`, `"-inf"`, complex
//! numbers `[re, im]`, datetime64 / timedelta64 their int64 tick counts (NaT is
//! `-9223372036854775808`), records (`np.void`) and tuples lists, other NumPy scalars and arrays
//! their `.tolist()`. Finite floats are written with Python's shortest round-trip repr, so they
//! parse back to the same `f64` (float16/float32 values widen exactly).
//!
//! Any Python exception panics with its traceback. Calls take the GIL (`Python::attach`), so tests
//! may call these from parallel threads; they run one at a time.
//!
//! Which Python: the interpreter is the shared libpython pyo3 was built against (the one `python3`
//! on `PATH`, or `PYO3_PYTHON`, names at build time; on this project's machines pyenv's 3.11.7).
//! The `npy-test-python` dev-dependency (`tests/common/python-link`) makes `cargo test` load that
//! library. NumPy comes from a virtual environment: the Python named by `NPY_PYTHON`, else
//! `<repository>/.venv/bin/python`; its site-packages directory is put first on `sys.path` before
//! `numpy` is imported. Without either, or when the two Pythons disagree, the first call panics
//! and says what to do. Nothing is ever skipped.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyString};

use npy_test_support::SETUP_HINT;

/// The Python half of the oracle, loaded once as the module `npy_serde_oracle`.
///
/// Each entry point returns `(True, result)` or `(False, traceback text)`, so the Rust side
/// reports Python's own traceback.
pub const PY_SOURCE: &str = r#"
import io
import json
import math
import traceback
import warnings

import numpy as np

# np.save warns each time it needs a version 3.0 header; the oracle's callers know.
warnings.filterwarnings("ignore", message="Stored array in format 3.0")


def _int_view_dtype(dt):
    """dt with every datetime64/timedelta64 replaced by an int64 of the same byte order, or None
    when dt holds none."""
    if dt.fields is not None:
        changed = False
        names, formats, offsets, titles = [], [], [], []
        for name in dt.names:
            field = dt.fields[name]
            sub = _int_view_dtype(field[0])
            changed |= sub is not None
            names.append(name)
            formats.append(field[0] if sub is None else sub)
            offsets.append(field[1])
            titles.append(field[2] if len(field) > 2 else None)
        if not changed:
            return None
        return np.dtype({"names": names, "formats": formats, "offsets": offsets,
                         "titles": titles, "itemsize": dt.itemsize})
    if dt.subdtype is not None:
        base, shape = dt.subdtype
        sub = _int_view_dtype(base)
        return None if sub is None else np.dtype((sub, shape))
    if dt.kind in "mM":
        return np.dtype(dt.str[0] + "i8")
    return None


def _plain(a):
    """An array's or scalar's values as Python objects, datetimes as int64 ticks."""
    if isinstance(a, (np.ndarray, np.generic)):
        view = _int_view_dtype(a.dtype)
        if view is not None:
            a = np.asarray(a).view(view)
        return a.tolist()
    return a


def jsonable(x):
    x = _plain(x)
    if x is None or isinstance(x, (bool, int, str)):
        return x
    if isinstance(x, float):
        if math.isnan(x):
            return "nan"
        if math.isinf(x):
            return "inf" if x > 0 else "-inf"
        return x
    if isinstance(x, complex):
        return [jsonable(x.real), jsonable(x.imag)]
    if isinstance(x, (bytes, bytearray, memoryview)):
        return {"bytes_hex": bytes(x).hex()}
    if isinstance(x, (list, tuple)):
        return [jsonable(v) for v in x]
    if isinstance(x, dict):
        return {str(k): jsonable(v) for k, v in x.items()}
    if isinstance(x, np.dtype):
        return repr(np.lib.format.dtype_to_descr(x))
    raise TypeError(f"the oracle cannot turn {type(x).__name__} {x!r} into JSON")


def _dumps(x):
    return json.dumps(jsonable(x), allow_nan=False)


def _guard(fn):
    def wrapped(*args):
        try:
            return (True, fn(*args))
        except BaseException:
            return (False, traceback.format_exc())
    return wrapped


@_guard
def save(expr):
    value = eval(expr, {"np": np})
    buf = io.BytesIO()
    np.save(buf, value, allow_pickle=False)
    return buf.getvalue()


# np.load's default limit (10,000 header bytes) refuses files NumPy itself writes with version 2.0
# headers; the oracle judges the format, so it lifts the limit. np_eval reproduces the default.
_MAX_HEADER = 1 << 62


@_guard
def load_json(data):
    f = io.BytesIO(data)
    version = np.lib.format.read_magic(f)
    if version == (1, 0):
        header = np.lib.format.read_array_header_1_0(f, max_header_size=_MAX_HEADER)
    elif version == (2, 0):
        header = np.lib.format.read_array_header_2_0(f, max_header_size=_MAX_HEADER)
    else:  # 3.0 (UTF-8 header) has no public reader
        from numpy.lib import _format_impl
        header = _format_impl._read_array_header(f, version, max_header_size=_MAX_HEADER)
    shape, fortran_order, _dtype = header
    a = np.load(io.BytesIO(data), allow_pickle=False, max_header_size=_MAX_HEADER)
    return _dumps({
        "descr": repr(np.lib.format.dtype_to_descr(a.dtype)),
        "shape": list(shape),
        "fortran_order": bool(fortran_order),
        "values": a,
    })


@_guard
def eval_code(code):
    namespace = {"np": np}
    exec(code, namespace)
    if "result" not in namespace:
        raise NameError("the code given to np_eval must assign `result`")
    return _dumps(namespace["result"])
"#;

/// Evaluates the Python expression `expr` (with `np` imported) and returns exactly the bytes
/// `np.save` writes for it (`allow_pickle=False`: object arrays are an error, not a pickle).
///
/// ```ignore
/// let bytes = np_save("np.arange(3, dtype='>u2')");
/// ```
pub fn np_save(expr: &str) -> Vec<u8> {
    call(
        "save",
        |py| PyString::new(py, expr).into_any(),
        |bytes| {
            bytes
                .cast::<PyBytes>()
                .expect("np.save wrote bytes")
                .as_bytes()
                .to_vec()
        },
    )
    .unwrap_or_else(|traceback| panic!("np_save({expr:?}) failed in Python:\n{traceback}"))
}

/// NumPy loads `npy` (`np.load(..., allow_pickle=False)`, without the 10,000-byte header limit)
/// and returns
/// `{"descr": repr(dtype_to_descr(dtype)), "shape": [...], "fortran_order": bool, "values": ...}`,
/// with `shape` and `fortran_order` as the header says and `values` as `a.tolist()` made JSON-safe
/// (see the module documentation).
///
/// ```ignore
/// let j = np_load_json(&bytes);
/// assert_eq!(j["descr"], "[('id', '<i8'), ('x', '<f8')]");
/// assert_eq!(j["values"], serde_json::json!([[1, 2.5]]));
/// ```
pub fn np_load_json(npy: &[u8]) -> serde_json::Value {
    call("load_json", |py| PyBytes::new(py, npy).into_any(), json)
        .unwrap_or_else(|traceback| panic!("NumPy could not load the bytes:\n{traceback}"))
}

/// Runs the Python statements `code` with `np` in scope and returns the JSON of the variable
/// `result` afterwards (JSON-safe as described in the module documentation).
///
/// ```ignore
/// let v = np_eval("a = np.load(path)\nresult = a.dtype.names");
/// ```
pub fn np_eval(code: &str) -> serde_json::Value {
    call("eval_code", |py| PyString::new(py, code).into_any(), json)
        .unwrap_or_else(|traceback| panic!("np_eval failed in Python:\n{traceback}\ncode:\n{code}"))
}

/// Runs `f` with the GIL held after the oracle has started: the venv's site-packages is on
/// `sys.path`, the embedded Python was checked, and `import numpy` works (and the "Stored array in
/// format 3.0" warning is silenced). For callers that compile their own Python module and pass it
/// objects other than text; they report exceptions with [`py_error_text`].
///
/// ```ignore
/// let n: usize = with_numpy(|py| py.eval(c"__import__('numpy').dtype('<f8').itemsize", None, None)
///     .and_then(|v| v.extract())
///     .unwrap_or_else(|e| panic!("{}", py_error_text(py, &e))));
/// ```
pub fn with_numpy<R>(f: impl for<'py> FnOnce(Python<'py>) -> R) -> R {
    let venv = venv_python_info();
    Python::attach(|py| {
        oracle_module(py, venv);
        f(py)
    })
}

/// A Python exception with its traceback, as text.
pub fn py_error_text(py: Python<'_>, err: &PyErr) -> String {
    describe(py, err)
}

/// Calls `npy_serde_oracle.<function>(arg)` with the GIL held: `Ok(finish(result))`, or
/// `Err(traceback)` when the Python function raised.
fn call<R>(
    function: &str,
    arg: impl for<'py> FnOnce(Python<'py>) -> Bound<'py, PyAny>,
    finish: impl for<'py> FnOnce(Bound<'py, PyAny>) -> R,
) -> Result<R, String> {
    let venv = venv_python_info();
    Python::attach(|py| {
        let module = oracle_module(py, venv);
        let returned = module
            .getattr(function)
            .and_then(|f| f.call1((arg(py),)))
            .unwrap_or_else(|e| panic!("calling the oracle's {function}: {}", describe(py, &e)));
        let (ok, payload): (bool, Bound<'_, PyAny>) = returned
            .extract()
            .expect("the oracle returns (ok, payload)");
        if ok {
            Ok(finish(payload))
        } else {
            Err(payload.extract::<String>().expect("traceback text"))
        }
    })
}

/// Parses the JSON text a Python function returned.
fn json(text: Bound<'_, PyAny>) -> serde_json::Value {
    let text: String = text.extract().expect("JSON text");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("oracle JSON {text:?}: {e}"))
}

/// A Python exception with its traceback, as text.
fn describe(py: Python<'_>, err: &PyErr) -> String {
    let traceback = err
        .traceback(py)
        .and_then(|tb| tb.format().ok())
        .unwrap_or_default();
    format!("{traceback}{err}")
}

/// The `npy_serde_oracle` module, made once per process: `site_packages` goes first on
/// `sys.path`, the embedded interpreter is checked against the one pyo3 was built for and the
/// venv's, and NumPy is imported.
fn oracle_module<'py>(py: Python<'py>, venv: &VenvPython) -> Bound<'py, PyModule> {
    static MODULE: PyOnceLock<Py<PyModule>> = PyOnceLock::new();
    MODULE
        .get_or_try_init(py, || -> Result<Py<PyModule>, String> {
            check_embedded_python(py, venv)?;
            let sys = py.import("sys").map_err(|e| describe(py, &e))?;
            sys.getattr("path")
                .and_then(|path| path.call_method1("insert", (0, &venv.site_packages)))
                .map_err(|e| describe(py, &e))?;
            let source = std::ffi::CString::new(PY_SOURCE).expect("no NUL in the oracle source");
            let module =
                PyModule::from_code(py, &source, c"npy_serde_oracle.py", c"npy_serde_oracle")
                    .map_err(|e| {
                        format!(
                    "importing NumPy from {} (site-packages of {}) failed:\n{}\n{SETUP_HINT}",
                    venv.site_packages,
                    venv.python.display(),
                    describe(py, &e)
                )
                    })?;
            Ok(module.unbind())
        })
        .unwrap_or_else(|message| panic!("the NumPy oracle could not start: {message}"))
        .bind(py)
        .clone()
}

/// Fails when the running libpython is not the one pyo3 linked against (the test binary was run
/// outside cargo, so the loader took another `libpython3.x.so` from its cache) or when its
/// version differs from the venv's (NumPy's compiled modules would not import).
fn check_embedded_python(py: Python<'_>, venv: &VenvPython) -> Result<(), String> {
    let sysconfig = py.import("sysconfig").map_err(|e| describe(py, &e))?;
    let sys = py.import("sys").map_err(|e| describe(py, &e))?;
    let version: (u32, u32) = sys
        .getattr("version_info")
        .and_then(|v| v.get_item(0).and_then(|major| Ok((major, v.get_item(1)?))))
        .and_then(|(major, minor)| Ok((major.extract()?, minor.extract()?)))
        .map_err(|e| describe(py, &e))?;
    if let Some(expected) = npy_test_python::LIB_DIR {
        let running: Option<String> = sysconfig
            .call_method1("get_config_var", ("LIBDIR",))
            .and_then(|v| v.extract())
            .map_err(|e| describe(py, &e))?;
        let same = running
            .as_deref()
            .is_some_and(|running| same_dir(Path::new(running), Path::new(expected)));
        if !same {
            return Err(format!(
                "the test binary loaded the libpython of {running:?}, not the one it was built \
                 against in {expected}. Run it through `cargo test` (which puts the right library \
                 on the loader path), or set LD_LIBRARY_PATH={expected}"
            ));
        }
    }
    if version != venv.version {
        return Err(format!(
            "the embedded Python is {}.{} but {} is {}.{}, whose NumPy cannot be imported here; {SETUP_HINT}",
            version.0,
            version.1,
            venv.python.display(),
            venv.version.0,
            venv.version.1
        ));
    }
    Ok(())
}

fn same_dir(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// The Python that has NumPy, and what it told us about itself.
struct VenvPython {
    python: PathBuf,
    site_packages: String,
    version: (u32, u32),
}

/// Finds the venv's Python and asks it (once per process) for its site-packages and version.
fn venv_python_info() -> &'static VenvPython {
    static VENV: OnceLock<VenvPython> = OnceLock::new();
    VENV.get_or_init(|| {
        let python = npy_test_support::python();
        let output = Command::new(&python)
            .args([
                "-c",
                "import site, sys; print(site.getsitepackages()[0]); \
                 print('%d %d' % sys.version_info[:2])",
            ])
            .output()
            .unwrap_or_else(|e| panic!("running {}: {e}; {SETUP_HINT}", python.display()));
        assert!(
            output.status.success(),
            "{} failed: {}; {SETUP_HINT}",
            python.display(),
            String::from_utf8_lossy(&output.stderr)
        );
        let stdout = String::from_utf8(output.stdout).expect("UTF-8 path");
        let mut lines = stdout.lines();
        let site_packages = lines.next().expect("site-packages line").to_owned();
        let mut version = lines
            .next()
            .expect("version line")
            .split(' ')
            .map(|n| n.parse::<u32>().expect("version number"));
        let version = (version.next().unwrap(), version.next().unwrap());
        VenvPython {
            python,
            site_packages,
            version,
        }
    })
}
