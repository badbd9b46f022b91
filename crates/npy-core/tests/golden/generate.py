#!/usr/bin/env python3
"""Generate the golden .npy files and manifest.json used by tests/golden.rs and tests/malformed.rs.

Run from anywhere with a Python that has NumPy >= 2.0 (on x86-64 Linux: the longdouble cases
assume the 16-byte x87 extended double):

    python crates/npy-core/tests/golden/generate.py

The output is deterministic: running it twice with the same NumPy gives identical files.

Three categories of files, each in its own folder:

* ``valid/``        written by NumPy itself (``np.save`` or ``np.lib.format.write_array`` with an
                    explicit version). A conforming writer reproduces these byte for byte.
* ``decode_only/``  assembled by hand in the layouts older NumPy and other writers produced
                    (16-byte alignment, pprint dicts, Python 2 longs, ``u''`` strings, ...).
                    NumPy loads every one of them; a reader must too, but a writer would not
                    produce these bytes.
* ``malformed/``    files a reader must refuse, each with NumPy's actual verdict (exception type
                    and message) and the ErrorKind npy-core is expected to report. Where NumPy and
                    npy-core deliberately disagree, the entry says so in ``divergence``.

Every expectation about a loadable file (descr, shape, fortran_order, version, data offset, the
C-order data bytes, typed values) is read back from NumPy, never written down by hand.

manifest.json fields (per file; absent when not applicable):

  path, category, numpy_version, recipe   the file, its folder, the NumPy that made or judged it,
                                          and the Python expression that built it
  note                                    why the case exists
  writer                                  valid/ only: "np.save" or "write_array" (explicit version)
  np_save_version                         valid/ only: the [major, minor] np.save picks for the array
  dict_text                               valid/ only: the header text NumPy rendered before padding
                                          (the dict plus the growth-axis spaces)
  numpy_default_load                      "ok", or {type, message} when np.load with default options
                                          refuses (the 10000-character header limit)
  descr                                   repr(np.lib.format.dtype_to_descr(a.dtype)) of the array
                                          NumPy loaded: the descr text of a canonical header
  shape, fortran_order, version           as NumPy's read_array_header reads them
  header_len, data_offset                 the length field's value, and where the data starts
  itemsize, nbytes                        a.dtype.itemsize, and the number of data bytes
  data_hex                                the data in C order (np.ascontiguousarray(a).tobytes(),
                                          record padding kept as in the file)
  descr_little/big, data_hex_little/big   the same after converting every field to that byte order
                                          (only when it differs from descr / data_hex)
  value_encoding, values                  numeric dtypes: C-order values as strings; "int" decimal,
                                          "bool" 0/1, "float_bits" IEEE bits in hex, "complex_bits"
                                          "re_bits:im_bits"
  numpy_warnings, writer_warnings         warnings NumPy emitted while loading / writing
  typed_read_error                        decode_only/: the ErrorKind a typed read must report
  numpy_accepts, numpy_error              malformed/: np.load(path, allow_pickle=False)'s verdict
  numpy_read_array_stream                 malformed/: np.lib.format.read_array on a BytesIO
  expected                                malformed/: {"result": "ok"} or {"result": "error", "kind":
                                          ErrorKind, "stage": "header" | "data", "message_contains"}
  divergence                              malformed/: why npy-core and NumPy deliberately disagree
  ours_expected                           malformed/ read by npy-core on purpose: what it must read
"""

import io
import json
import os
import platform
import re
import shutil
import struct
import sys
import warnings

import numpy as np

if tuple(int(p) for p in np.__version__.split(".")[:2]) < (2, 0):
    sys.exit(f"generate.py needs NumPy >= 2.0, found {np.__version__}")

import numpy.lib._format_impl as FI  # noqa: E402  (after the version check on purpose)
from numpy.lib import format as F  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
# Where files are written: HERE, or a scratch folder with --check.
OUT = HERE
NUMPY_VERSION = np.__version__
CATEGORIES = ("valid", "decode_only", "malformed")
# Manifest strings longer than this are stored as {len, head, tail} instead of in full.
LONG_TEXT = 4096
# Data bytes beyond this are not copied into the manifest as hex.
MAX_DATA_HEX = 4096

if np.dtype(np.longdouble).itemsize != 16 or np.finfo(np.longdouble).nmant != 63:
    sys.exit("the longdouble cases assume x86-64's 80-bit extended double stored in 16 bytes")

# ---------------------------------------------------------------------------------------------
# Capturing the dict text NumPy renders (before padding) by wrapping its _wrap_header.
# ---------------------------------------------------------------------------------------------

_captured = []
_orig_wrap_header = FI._wrap_header


def _capturing_wrap_header(header, version):
    _captured.append(header)
    return _orig_wrap_header(header, version)


FI._wrap_header = _capturing_wrap_header


# ---------------------------------------------------------------------------------------------
# Sample data helpers (used inside recipe expressions, so recipes stay short and exact).
# ---------------------------------------------------------------------------------------------


def int_samples(dt):
    """min, max and a few values in between, for an integer or bool dtype string."""
    dt = np.dtype(dt)
    if dt.kind == "b":
        return np.array([False, True, True, False, True], dtype=dt)
    info = np.iinfo(dt)
    vals = [0, 1, info.max, info.min, info.max // 3, 0x5A]
    if info.min < 0:
        vals += [-1, info.min + 1, -(info.max // 7)]
    return np.array(vals, dtype=dt)


def float_samples(dt):
    """Zeros of both signs, infinities, NaNs, the extremes and some inexact values."""
    dt = np.dtype(dt)
    fi = np.finfo(dt)
    with np.errstate(all="ignore"):
        vals = [0.0, -0.0, 1.0, -2.5, 1 / 3, -1 / 7, np.inf, -np.inf, np.nan, -np.nan]
        arr = np.array(vals, dtype=np.float64).astype(dt)
        extra = np.array([fi.max, -fi.max, fi.tiny, fi.smallest_subnormal, fi.eps], dtype=dt)
    return np.concatenate([arr, extra])


def complex_samples(dt):
    dt = np.dtype(dt)
    inf, nan = np.inf, np.nan
    with np.errstate(all="ignore"):
        vals = [0j, complex(-0.0, 0.0), 1 + 2j, -2.5 - 0.5j, complex(1 / 3, -1 / 7),
                complex(inf, -inf), complex(nan, 1.0), complex(0.0, nan), 1e30 + 1e-30j]
        return np.array(vals, dtype=np.complex128).astype(dt)


def long_double_samples(dt):
    """x87 long doubles with the 6 padding bytes zeroed so the file bytes are deterministic."""
    dt = np.dtype(dt)
    base = np.array([0.0, -0.0, 1.0, -2.5, np.inf, -np.inf, np.nan], dtype=np.longdouble)
    base = np.concatenate([base, np.array([1, 3], dtype=np.longdouble) / np.longdouble(3)])
    if dt.kind == "c":
        base = base[: len(base) // 2 * 2]
        raw = base.view(np.uint8).reshape(-1, 16).copy()
        raw[:, 10:] = 0
        pairs = raw.reshape(-1).view(np.longdouble)
        arr = pairs.view(np.clongdouble)
    else:
        raw = base.view(np.uint8).reshape(-1, 16).copy()
        raw[:, 10:] = 0
        arr = raw.reshape(-1).view(np.longdouble)
    return arr.astype(dt)


def rec(dtype, rows):
    """A record array built from np.zeros, so padding bytes are zero."""
    dtype = np.dtype(dtype)
    out = np.zeros(len(rows), dtype=dtype)
    for i, row in enumerate(rows):
        out[i] = row
    return out


def fortran(a):
    """An F-ordered copy of `a` whose record padding is zero: np.asfortranarray copies records
    field by field into uninitialised memory, leaving garbage (and nondeterministic files)."""
    out = np.zeros(a.shape, dtype=a.dtype, order="F")
    out[...] = a
    return out


def zero_width(code, n=3):
    """An array of n zero-width items ('S0', 'U0', 'V0'); np.zeros would widen them to 1."""
    return np.zeros(n, [("a", code)])["a"]


def nested_dtype(levels):
    """A record nested `levels` deep: [('a', [('a', ... '<i4')])]."""
    dt = np.dtype("<i4")
    for _ in range(levels):
        dt = np.dtype([("a", dt)])
    return dt


def offsets_dtype():
    return np.dtype({"names": ["a", "b"], "formats": ["<i4", "<i4"], "offsets": [1, 6],
                     "itemsize": 10})


def titles_dtype():
    return np.dtype({"names": ["a", "b"], "formats": ["<i4", "<i4"], "offsets": [1, 6],
                     "titles": ["aa", "bb"], "itemsize": 10})


def ns():
    return {name: obj for name, obj in globals().items() if not name.startswith("__")}


# ---------------------------------------------------------------------------------------------
# Manifest helpers
# ---------------------------------------------------------------------------------------------


def text_field(s):
    """A string for the manifest; long strings become {len, head, tail}."""
    if len(s) <= LONG_TEXT:
        return s
    return {"len": len(s), "head": s[:64], "tail": s[-64:]}


def exc_info(e):
    # Object addresses in messages ("<ast.Call object at 0x7f...>") would make output unstable.
    message = re.sub(r" at 0x[0-9a-f]+>", " at 0x...>", str(e))
    return {"type": type(e).__name__, "message": message}


def value_strings(a):
    """(encoding, values) for numeric dtypes that have a Rust element type, else (None, None)."""
    dt = a.dtype
    if dt.names is not None or dt.subdtype is not None:
        return None, None
    flat = np.ascontiguousarray(a).reshape(-1)
    kind, size = dt.kind, dt.itemsize
    if kind == "b":
        return "bool", [str(int(b)) for b in flat.view(np.uint8)]
    if kind in "iu":
        return "int", [str(int(v)) for v in flat]
    if kind == "f" and size in (2, 4, 8):
        bits = flat.astype(dt.newbyteorder("=")).view(f"=u{size}")
        return "float_bits", [f"0x{int(b):0{2 * size}x}" for b in bits]
    if kind == "c" and size in (8, 16):
        half = size // 2
        bits = flat.astype(dt.newbyteorder("=")).view(f"=u{half}").reshape(-1, 2)
        return "complex_bits", [f"0x{int(r):0{size}x}:0x{int(i):0{size}x}" for r, i in bits]
    return None, None


def read_file_header(path):
    """version, shape, fortran_order, dtype, header_len, data_offset -- as NumPy reads them."""
    with open(path, "rb") as f:
        major, minor = F.read_magic(f)
        length_size = 2 if (major, minor) == (1, 0) else 4
        (header_len,) = struct.unpack("<H" if length_size == 2 else "<I", f.read(length_size))
        f.seek(8)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            shape, fortran_order, dtype = FI._read_array_header(
                f, (major, minor), max_header_size=2**40)
        data_offset = f.tell()
    return (major, minor), shape, fortran_order, dtype, header_len, data_offset


def np_load(path, **kw):
    """np.load(path) -> ('ok', array, warnings) or ('error', exc_info, warnings)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            a = np.load(path, allow_pickle=False, **kw)
        except Exception as e:  # noqa: BLE001 -- recording NumPy's verdict is the point
            return "error", exc_info(e), [str(w.message) for w in caught]
    return "ok", a, [str(w.message) for w in caught]


def np_read_array_stream(data):
    """np.lib.format.read_array on a BytesIO (the non-file code path)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            a = F.read_array(io.BytesIO(data), allow_pickle=False)
        except Exception as e:  # noqa: BLE001
            return exc_info(e)
    return {"ok": True, "shape": list(a.shape), "descr": repr(F.dtype_to_descr(a.dtype))}


def c_order_bytes(a):
    """np.ascontiguousarray(a).tobytes(), except that record padding keeps the bytes it had in
    `a` (a copy of a structured array leaves padding uninitialised, so it is copied as void)."""
    if a.dtype.itemsize == 0 or a.size == 0:
        return b""
    raw = a.view(np.dtype((np.void, a.dtype.itemsize)))
    data = np.ascontiguousarray(raw).tobytes()
    if a.dtype.names is None:
        assert data == np.ascontiguousarray(a).tobytes()
    return data


def swapped_bytes(a, swapped_dtype):
    """C-order bytes of `a` converted to `swapped_dtype` value by value; padding bytes (which a
    conversion does not touch) keep their original content."""
    data = c_order_bytes(a)
    if not data:
        return b""
    target = np.frombuffer(bytearray(data), dtype=swapped_dtype).reshape(a.shape)
    target[...] = a
    return target.tobytes()


def describe_loadable(rel, array=None):
    """Manifest fields of a file NumPy loads (possibly only with a raised max_header_size)."""
    path = os.path.join(OUT, rel)
    version, shape, fortran_order, dtype, header_len, data_offset = read_file_header(path)
    status, result, caught = np_load(path)
    entry = {"numpy_default_load": "ok" if status == "ok" else result}
    if status == "ok":
        a = result
    else:
        status, a, caught = np_load(path, max_header_size=2**40)
        if status != "ok":
            raise RuntimeError(f"{rel}: NumPy does not load it even with a raised limit: {a}")
    if array is not None and not (array.dtype == a.dtype and array.shape == a.shape):
        raise RuntimeError(f"{rel}: loaded {a.dtype} {a.shape}, saved {array.dtype} {array.shape}")
    descr = repr(F.dtype_to_descr(a.dtype))
    if descr != repr(F.dtype_to_descr(dtype)) or tuple(shape) != a.shape:
        raise RuntimeError(f"{rel}: header and loaded array disagree")
    data = c_order_bytes(a)
    entry.update({
        "descr": text_field(descr),
        "shape": [int(d) for d in shape],
        "fortran_order": bool(fortran_order),
        "version": list(version),
        "header_len": header_len,
        "data_offset": data_offset,
        "itemsize": a.dtype.itemsize,
        "nbytes": len(data),
    })
    if caught:
        entry["numpy_warnings"] = caught
    if len(data) <= MAX_DATA_HEX:
        entry["data_hex"] = data.hex()
        for order, key in (("<", "little"), (">", "big")):
            swapped_dtype = a.dtype.newbyteorder(order)
            swapped = swapped_bytes(a, swapped_dtype)
            swapped_descr = repr(F.dtype_to_descr(swapped_dtype))
            if swapped_descr != descr or swapped != data:
                entry[f"descr_{key}"] = text_field(swapped_descr)
                entry[f"data_hex_{key}"] = swapped.hex()
    encoding, values = value_strings(a)
    if encoding is not None and len(data) <= MAX_DATA_HEX:
        entry["value_encoding"] = encoding
        entry["values"] = values
    return entry


def reset_output():
    for cat in CATEGORIES:
        d = os.path.join(OUT, cat)
        if os.path.isdir(d):
            shutil.rmtree(d)
        os.makedirs(d)


ENTRIES = []


def add(entry):
    if any(e["path"] == entry["path"] for e in ENTRIES):
        raise RuntimeError(f"duplicate file {entry['path']}")
    ENTRIES.append(entry)


# ---------------------------------------------------------------------------------------------
# valid/: files NumPy writes
# ---------------------------------------------------------------------------------------------


def save_valid(name, recipe, version=None, note=None):
    """Evaluate the recipe, np.save it (or write_array with an explicit version), describe it."""
    array = eval(recipe, ns())  # noqa: S307 -- recipes are the literal strings in this file
    rel = f"valid/{name}.npy"
    path = os.path.join(OUT, rel)
    _captured.clear()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if version is None:
            np.save(path, array, allow_pickle=False)
            shown = f"np.save(f, {recipe})"
        else:
            with open(path, "wb") as f:
                F.write_array(f, array, version=version, allow_pickle=False)
            shown = f"np.lib.format.write_array(f, {recipe}, version={version!r})"
    dict_text = _captured[-1]
    # The version np.save itself would pick for this array (equal to the file's for np.save).
    _captured.clear()
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        np.save(buf, array, allow_pickle=False)
    np_save_version = list(buf.getvalue()[6:8])
    entry = {
        "path": rel,
        "category": "valid",
        "numpy_version": NUMPY_VERSION,
        "recipe": shown,
        "writer": "np.save" if version is None else "write_array",
        "np_save_version": np_save_version,
        "dict_text": text_field(dict_text),
    }
    if caught:
        entry["writer_warnings"] = [str(w.message) for w in caught]
    if note:
        entry["note"] = note
    entry.update(describe_loadable(rel, array))
    if version is None and entry["version"] != np_save_version:
        raise RuntimeError(f"{rel}: version mismatch")
    add(entry)


def valid_cases(save_valid=save_valid):
    """Every valid/ case, through `save_valid` (conformance/generator passes a collector)."""
    # --- every scalar dtype, both byte orders ---
    for code in ("b1", "i1", "u1"):
        save_valid(f"scalar_{code}", f"int_samples('|{code}')")
    save_valid("scalar_i1_from_big", "int_samples('>i1')", note="one-byte types are written '|'")
    for code in ("i2", "i4", "i8", "u2", "u4", "u8"):
        for order, tag in (("<", "le"), (">", "be")):
            save_valid(f"scalar_{code}_{tag}", f"int_samples('{order}{code}')")
    for code in ("f2", "f4", "f8"):
        for order, tag in (("<", "le"), (">", "be")):
            save_valid(f"scalar_{code}_{tag}", f"float_samples('{order}{code}')")
    for code in ("c8", "c16"):
        for order, tag in (("<", "le"), (">", "be")):
            save_valid(f"scalar_{code}_{tag}", f"complex_samples('{order}{code}')")
    for code in ("f16", "c32"):
        for order, tag in (("<", "le"), (">", "be")):
            save_valid(f"longdouble_{code}_{tag}", f"long_double_samples('{order}{code}')",
                       note="x86-64 80-bit extended precision padded to 16 bytes; not portable")

    # --- strings, unicode, void ---
    save_valid("bytes_S5", "np.array([b'', b'a', b'abcde', b'a\\x00b', b'\\xff\\x00\\x01'], dtype='|S5')")
    save_valid("bytes_S1000", "np.array([bytes(range(256)) * 3 + b'end'], dtype='|S1000')")
    save_valid("bytes_S0", "zero_width('S0')")
    save_valid("unicode_U5_le", "np.array(['', 'a', 'h\\xe9llo', '\\U0001F600x', '\\u6574\\u5f62'], dtype='<U5')")
    save_valid("unicode_U5_be", "np.array(['', 'a', 'h\\xe9llo', '\\U0001F600x', '\\u6574\\u5f62'], dtype='>U5')")
    save_valid("unicode_U0", "zero_width('U0')")
    save_valid("void_V4", "np.frombuffer(bytes(range(12)), dtype='|V4')")
    save_valid("void_V0", "zero_width('V0')")

    # --- datetime64 / timedelta64 ---
    for descr in ("<M8[ns]", ">M8[ns]", "<M8[D]", "<M8[s]", "<M8[Y]", "<M8[M]", "<M8[W]",
                  "<M8[h]", "<M8[m]", "<M8[ms]", "<M8[us]", "<M8[ps]", "<M8[fs]", "<M8[as]",
                  "<M8[2D]", "<M8", "<m8[us]", ">m8[us]", "<m8[25s]", "<m8[h]", "<m8[3ms]",
                  "<m8"):
        tag = (descr.replace("<", "le_").replace(">", "be_").replace("M8", "dt")
               .replace("m8", "td").replace("[", "_").replace("]", ""))
        save_valid(f"time_{tag}", f"np.array([0, 1, -1, 19782, 1234567890123, -2**63], "
                                  f"dtype='{descr[0]}i8').view('{descr}')")

    # --- shapes and memory orders ---
    save_valid("shape_0d_f8", "np.array(3.5, dtype='<f8')")
    save_valid("shape_0d_be_i2", "np.array(-2, dtype='>i2')")
    save_valid("shape_empty_1d", "np.zeros((0,), dtype='<f8')")
    save_valid("shape_0x5", "np.zeros((0, 5), dtype='<i4')")
    save_valid("shape_5x0", "np.zeros((5, 0), dtype='<i4')")
    save_valid("shape_1d_300", "np.arange(300, dtype='<u2') * 211")
    save_valid("shape_2d", "np.arange(12, dtype='<i8').reshape(3, 4)")
    save_valid("shape_3d", "np.arange(24, dtype='<f4').reshape(2, 3, 4) / 8")
    save_valid("shape_ndim_32", "np.arange(2, dtype='<i2').reshape((1,) * 31 + (2,))")
    save_valid("shape_big_dim_trailing", "np.zeros((0, 12345678901), dtype='|i1')",
               note="zero elements; an 11-digit dimension after a zero one")
    save_valid("shape_big_dim_leading", "np.zeros((12345678901, 0), dtype='<f8')",
               note="zero elements; the growth axis has 11 digits, so 10 spare spaces")
    save_valid("shape_max_intp_dim", "np.zeros((0, 2**63 - 1), dtype='|u1')",
               note="zero elements; the largest dimension NumPy can represent")
    save_valid("fortran_2d", "np.asfortranarray(np.arange(6, dtype='<i4').reshape(2, 3))")
    save_valid("fortran_transposed", "np.arange(6, dtype='<i8').reshape(2, 3).T")
    save_valid("fortran_3d_be_f8", "np.asfortranarray(np.arange(24, dtype='>f8').reshape(2, 3, 4) - 7.25)")
    save_valid("fortran_3d_be_u2", "np.asfortranarray(np.arange(60, dtype='>u2').reshape(3, 4, 5) * 1000)")
    save_valid("fortran_growth_last_axis", "np.asfortranarray(np.arange(48, dtype='|u1').reshape(4, 12))",
               note="fortran_order=True: the spare spaces follow shape[-1] (12), not shape[0]")
    save_valid("fortran_c64", "np.asfortranarray(complex_samples('<c8')[:6].reshape(2, 3))")
    save_valid("fortran_unicode", "np.asfortranarray(np.array([['a', 'bc', ''], ['d', 'ef', 'g']], dtype='<U2'))")
    save_valid("fortran_record", "np.asfortranarray(rec([('a', '<i2'), ('b', '>f4')], [(1, 1.5), (2, 2.5), (3, 3.5), (4, 4.5)]).reshape(2, 2))")
    save_valid("fortran_false_1x3", "np.asfortranarray(np.arange(3, dtype='<i4').reshape(1, 3))",
               note="both C- and F-contiguous, so fortran_order=False")
    save_valid("fortran_false_3x1", "np.asfortranarray(np.arange(3, dtype='<i4').reshape(3, 1))")
    save_valid("fortran_false_0x5", "np.asfortranarray(np.zeros((0, 5), dtype='<f8'))")
    save_valid("fortran_false_1d", "np.asfortranarray(np.arange(4, dtype='<i4'))")
    save_valid("noncontig_strided", "np.arange(10, dtype='<i4')[::2]")
    save_valid("noncontig_reversed", "np.arange(6, dtype='>i4').reshape(2, 3)[::-1, ::-1]")
    save_valid("noncontig_broadcast", "np.broadcast_to(np.arange(3, dtype='<u4'), (2, 3))")
    save_valid("noncontig_2d_slice", "np.asfortranarray(np.arange(30, dtype='<f8').reshape(5, 6))[1:4, ::2]")

    # --- records ---
    save_valid("record_simple", "rec([('a', '<i4'), ('b', '<f8')], [(1, 2.5), (-3, np.inf)])")
    save_valid("record_mixed_endian", "rec([('a', '>i4'), ('b', '<f8'), ('c', '|S3'), ('d', '>U2'), ('e', '|b1')], [(1, -0.5, b'xy', 'z\\xe9', True), (-2, 1e300, b'abc', '', False)])")
    save_valid("record_all_scalars", "rec([('b', '?'), ('i1', 'i1'), ('u2', '>u2'), ('f2', '<f2'), ('c8', '>c8'), ('c16', '<c16'), ('u8', '<u8'), ('t', '<M8[ms]'), ('d', '>m8[25s]')], [(True, -1, 513, 0.5, 1 - 2j, 3 + 4j, 2**64 - 1, 86400000, 3)])")
    save_valid("record_nested", "rec([('x', '<i2'), ('inner', [('p', '<f4'), ('q', '|u1')]), ('y', '>i8')], [(1, (0.25, 7), -9), (-1, (-0.5, 255), 2**40)])")
    save_valid("record_subarray", "rec([('v', '<f8', (3,)), ('m', '>i2', (2, 3)), ('s', '|S2', (2,))], [([1, 2, 3], [[1, 2, 3], [4, 5, 6]], [b'ab', b'c'])])")
    save_valid("record_subarray_of_subarray", "rec([('c', ('<f8', (5,)), (2,))], [(np.arange(10).reshape(2, 5),)])")
    save_valid("record_subarray_of_records", "rec([('pts', [('x', '<f4'), ('y', '<f4')], (2,)), ('id', '<u4')], [([(1, 2), (3, 4)], 7)])")
    save_valid("record_subarray_zero_len", "rec([('a', '<i4'), ('e', '<f4', (0,))], [(5, [])])")
    save_valid("record_aligned", "rec(np.dtype('i1,i4,i1', align=True), [(1, 2, 3), (-1, -2, -3)])")
    save_valid("record_aligned_nested", "rec(np.dtype([('a', 'u1'), ('b', [('c', '<f8'), ('d', 'u1')])], align=True), [(1, (2.0, 3))])")
    save_valid("record_offsets", "rec(offsets_dtype(), [(1, 2), (-1, -2)])")
    save_valid("record_titles", "rec(titles_dtype(), [(1, 2)])")
    save_valid("record_titles_no_gap", "rec([(('Title A', 'a'), '<i4'), (('tb', 'b'), '|u1')], [(1, 2)])")
    save_valid("record_trailing_gap", "rec({'names': ['a'], 'formats': ['<i4'], 'itemsize': 16}, [(1,), (2,)])")
    save_valid("record_leading_gap", "rec({'names': ['a'], 'formats': ['<i4'], 'offsets': [4], 'itemsize': 8}, [(9,)])")
    save_valid("record_nested_offsets", "rec([('c', '<i4'), ('d', offsets_dtype())], [(1, (2, 3))])")
    save_valid("record_empty_itemsize", "np.zeros(2, dtype=np.dtype({'names': [], 'formats': [], 'itemsize': 8}))",
               note="no fields: written as [('', '|V8')], read back as an empty record of itemsize 8")
    save_valid("record_only_S0", "np.zeros(3, dtype=[('a', '|S0')])", note="zero itemsize: no data bytes")
    save_valid("record_nested_31_levels", "np.arange(2, dtype='<i4').view(nested_dtype(31))",
               note="31 record levels: 62 brackets in the descr, 63 with the dict")
    save_valid("record_quotes_in_names", "rec([(\"it's\", '<i8'), ('a\"b', '<i2'), ('both\\'\"', '|u1')], [(1, 2, 3)])")
    save_valid("record_escaped_names", "rec([('tab\\t', '|u1'), ('nl\\n', '|u1'), ('back\\\\slash', '|u1'), ('del\\x7f', '|u1'), ('nel\\x85', '|u1'), ('nbsp\\xa0', '|u1'), ('ls\\u2028', '|u1')], [(1, 2, 3, 4, 5, 6, 7)])",
               note="repr escapes \\t \\n \\\\ \\x7f \\x85 \\xa0 \\u2028; the escaped text is ASCII, so version 1.0")
    save_valid("record_escaped_unicode_names_v1", "rec([('zw\\u200b', '|u1'), ('soft\\xad', '|u1'), ('bom\\ufeff', '|u1'), ('ps\\u2029', '|u1'), ('isp\\u3000', '|u1'), ('pua\\ue000', '|u1'), ('tag\\U000e0001', '|u1'), ('nonchar\\U0010fffe', '|u1')], [(1, 2, 3, 4, 5, 6, 7, 8)])",
               note="non-printable characters (Cf, Zl/Zp/Zs, Co, Cn) are escaped by repr, so the header is ASCII: version 1.0")
    save_valid("record_printable_unicode_names_v3", "rec([('e\\u0301', '<i2'), ('\\u03a9', '<i2'), ('\\u2115\\t', '<i2'), ('x\\u200b\\U0001F600', '<i2'), (('t\\u00e9\\u6574', 'titled'), '|u1')], [(1, 2, 3, 4, 5)])",
               note="printable non-latin-1 characters stay literal (version 3.0), next to escaped ones")
    save_valid("record_latin1_name_v1", "rec([('caf\\xe9', '<i4'), ('\\xfc', '|u1')], [(1, 2)])",
               note="latin-1 encodable: version 1.0 with raw bytes 0xE9 and 0xFC in the header")
    save_valid("record_non_latin1_name_v3", "rec([('\\u6574\\u5f62', '<i4')], [(42,)])",
               note="not latin-1 encodable: version 3.0 (UTF-8) although the header is tiny")
    save_valid("record_emoji_name_v3", "rec([('\\U0001F600', '<f4'), ('b', '|u1')], [(1.5, 2)])")
    save_valid("record_0d", "rec([('a', '<i4'), ('b', '|S2')], [(7, b'hi')])[0:1].reshape(())")
    save_valid("record_unicode_fields", "rec([('s', '>U3'), ('t', '<U2'), ('u', '>U2', (2,))], [('abc', 'de', ['f', 'gh']), ('\\u6574', '', ['\\U0001F600', ''])])")
    save_valid("record_datetime_subarray", "rec([('t', '>M8[s]', (2,)), ('g', '<m8'), ('n', '<M8[3h]')], [([0, 86400], 5, 7)])")
    save_valid("fortran_aligned_record", "fortran(rec(np.dtype([('a', 'u1'), ('b', '>f8'), ('c', '<i2', (2,))], align=True), [(i, i / 4, [i, -i]) for i in range(6)]).reshape(2, 3))")

    save_valid("descr_nesting_99_records", "np.arange(2, dtype='<i4').view(nested_dtype(99))",
               note="the deepest record NumPy reads: 99 levels around a scalar, 199 brackets in the "
                    "header")

    # --- the version 1.0 / 2.0 boundary (A2 step 5) ---
    save_valid("boundary_last_v1", "rec([('x' * 65439, '|u1')], [(1,)])",
               note="largest v1 header: HEADER_LEN 65526, data at 65536")
    save_valid("boundary_first_v2", "rec([('x' * 65440, '|u1')], [(2,)])",
               note="one more name character: version 2.0, data at 65600")

    # --- explicit versions through write_array ---
    save_valid("explicit_v1_i8", "np.arange(3, dtype='<i8')", version=(1, 0))
    save_valid("explicit_v2_i8", "np.arange(3, dtype='<i8')", version=(2, 0))
    save_valid("explicit_v3_i8", "np.arange(3, dtype='<i8')", version=(3, 0))
    save_valid("explicit_v2_fortran_record", "np.asfortranarray(rec([('a', '<i2'), ('b', '|S1')], [(1, b'a'), (2, b'b'), (3, b'c'), (4, b'd')]).reshape(2, 2))", version=(2, 0))
    save_valid("explicit_v3_latin1_name", "rec([('caf\\xe9', '>f8')], [(1.25,)])", version=(3, 0),
               note="version 3.0 by request: the header is UTF-8, so caf\\xe9 is 2 bytes there")
    save_valid("explicit_v2_0d", "np.array(True)", version=(2, 0))


# ---------------------------------------------------------------------------------------------
# Hand assembly of headers
# ---------------------------------------------------------------------------------------------


def assemble(text, data=b"", version=(1, 0), align=64, length_field=None, terminator=b"\n",
             pad_byte=b" ", encoding=None):
    """magic + version + length + text + padding + terminator + data.

    align: pad so the data offset is a multiple of it (None: no padding). length_field: the size
    of the length field the padding is computed for (<= 1.13 used 2 for version 2.0 too).
    """
    if encoding is None:
        encoding = "utf-8" if version == (3, 0) else "latin-1"
    body = text.encode(encoding)
    lsize = 2 if version == (1, 0) else 4
    if align:
        assumed = lsize if length_field is None else length_field
        used = 6 + 2 + assumed + len(body) + len(terminator)
        body += pad_byte * ((align - used % align) % align)
    body += terminator
    length = struct.pack("<H" if lsize == 2 else "<I", len(body))
    return b"\x93NUMPY" + bytes(version) + length + body + data


def legacy16(text, data=b""):
    """The NumPy <= 1.13 layout: 16-byte alignment (1..16 spaces), no growth-axis spaces."""
    body = text
    topad = 16 - ((6 + 2 + 2 + len(body) + 1) % 16)
    body = body + " " * topad + "\n"
    encoded = body.encode("latin-1")
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(encoded)) + encoded + data


def exact_header_len(n, text, data):
    """A version 1.0 file whose HEADER_LEN is exactly n: the text, spaces, and the newline."""
    return assemble(text + " " * (n - 1 - len(text)), data, align=None)


def i4(*vals):
    return np.array(vals, dtype="<i4").tobytes()


def write_raw(rel, data):
    with open(os.path.join(OUT, rel), "wb") as f:
        f.write(data)


def decode_only(name, recipe, note=None, **extra):
    data = eval(recipe, ns())  # noqa: S307
    rel = f"decode_only/{name}.npy"
    write_raw(rel, data)
    entry = {
        "path": rel,
        "category": "decode_only",
        "numpy_version": NUMPY_VERSION,
        "recipe": recipe,
    }
    if note:
        entry["note"] = note
    entry.update(extra)
    status, result, _ = np_load(os.path.join(OUT, rel), max_header_size=2**40)
    if status != "ok":
        raise RuntimeError(f"{rel}: NumPy refuses it ({result}); it belongs in malformed/")
    entry.update(describe_loadable(rel))
    add(entry)


def decode_only_cases(decode_only=decode_only):
    """Every decode_only/ case, through `decode_only` (conformance/generator passes a collector)."""
    std = "{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }"
    decode_only("legacy16_i4", f"legacy16({std!r}, i4(1, 2, 3))",
                note="NumPy <= 1.13: 16-byte alignment, no growth-axis spaces (data at 80)")
    decode_only("legacy16_fortran_f8",
                "legacy16(\"{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }\", "
                "np.arange(6, dtype='<f8').tobytes())")
    decode_only("legacy16_padded_record",
                "legacy16(\"{'descr': [('a', '|u1'), ('', '|V3'), ('b', '<i4')], 'fortran_order': False, 'shape': (2,), }\", "
                "bytes([1, 0, 0, 0]) + i4(-1) + bytes([2, 9, 9, 9]) + i4(7))",
                note="a padding entry is dropped, but its bytes still occupy the item")
    decode_only("pprint_2008",
                "legacy16(\"{'descr': '<f8',\\n 'fortran_order': False,\\n 'shape': (2, 2)}\", "
                "np.arange(4, dtype='<f8').tobytes())",
                note="NumPy <= 1.1 wrote the dict with pprint.pformat: multi-line, no trailing comma")
    decode_only("pprint_unsorted_keys",
                "legacy16(\"{'shape': (2, 2),\\n 'fortran_order': True,\\n 'descr': '>i2'}\", "
                "np.arange(4, dtype='>i2').tobytes())")
    decode_only("py2_long_v1",
                "legacy16(\"{'descr': '<i8', 'fortran_order': False, 'shape': (2L, 3L), }\", "
                "np.arange(6, dtype='<i8').tobytes())",
                note="Python 2 longs: NumPy strips the L (with a warning) for versions 1.0 and 2.0")
    decode_only("py2_long_v2",
                "assemble(\"{'descr': '|u1', 'fortran_order': False, 'shape': (4L,), }\", bytes([1, 2, 3, 4]), version=(2, 0))")
    decode_only("py2_u_strings",
                "legacy16(\"{u'descr': u'<i4', u'fortran_order': False, u'shape': (3L,)}\", i4(7, 8, 9))")
    decode_only("py2_long_record",
                "legacy16(\"{'descr': [('a', '<i4'), ('b', '|S2')], 'fortran_order': False, 'shape': (1L,)}\", i4(5) + b'hi')")
    decode_only("double_quotes",
                "assemble('{\"descr\": \"<u2\", \"fortran_order\": False, \"shape\": (4,)}', "
                "np.array([1, 2, 65535, 0], dtype='<u2').tobytes())")
    decode_only("no_trailing_comma",
                "assemble(\"{'descr': '<i4', 'fortran_order': False, 'shape': (3,)}\", i4(1, -2, 3))")
    decode_only("tuple_trailing_comma",
                "assemble(\"{'descr': '<i2', 'fortran_order': False, 'shape': (2, 3,), }\", "
                "np.arange(6, dtype='<i2').tobytes())")
    decode_only("record_trailing_comma_list",
                "assemble(\"{'descr': [('a', '<i4'), ('b', '<f4'), ], 'fortran_order': False, 'shape': (1,), }\", "
                "i4(3) + np.array([0.5], dtype='<f4').tobytes())",
                note="npy-rs writes a trailing comma inside the descr list")
    decode_only("no_padding_no_newline",
                "assemble(\"{'descr': '<i2', 'fortran_order': False, 'shape': (2,)}\", "
                "np.array([-1, 2], dtype='<i2').tobytes(), align=None, terminator=b'')",
                note="neither padding nor the newline is checked on read")
    decode_only("v2_misaligned_np113",
                "assemble(\"{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }\", "
                "np.array([1.5, -2, 3], dtype='<f8').tobytes(), version=(2, 0), align=16, length_field=2)",
                note="NumPy 1.9-1.13 padded version 2.0 headers as if the length field were 2 bytes")
    decode_only("v1_latin1_name_in_v2",
                "assemble(\"{'descr': [('caf\\xe9', '<i2')], 'fortran_order': False, 'shape': (1,), }\", "
                "np.array([300], dtype='<i2').tobytes(), version=(2, 0))")
    decode_only("v3_ascii_unpadded",
                "assemble(\"{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }\", i4(1, 2), "
                "version=(3, 0), align=None)")
    for tag, descr, payload in (
        ("eq_i4", "=i4", "i4(1, 2, 3)"),
        ("pipe_i4", "|i4", "i4(1, 2, 3)"),
        ("bare_i4", "i4", "i4(1, 2, 3)"),
        ("lt_b1", "<b1", "bytes([0, 1, 1])"),
        ("gt_S5", ">S5", "b'abcdeXY\\x00\\x00\\x00' + b'z' * 5"),
        ("gt_i1", ">i1", "bytes([1, 255, 128])"),
        ("lt_i1_matlab", "<i1", "bytes([1, 255, 128])"),
        ("lt_u1_matlab", "<u1", "bytes([1, 255, 128])"),
        ("char_d", "d", "np.array([1.0, -0.0, 2.5], dtype='<f8').tobytes()"),
        ("name_float64", "float64", "np.array([1.0, -0.0, 2.5], dtype='<f8').tobytes()"),
        ("char_l", "l", "np.array([1, -1, 2**62], dtype='<i8').tobytes()"),
        ("alias_a5", "a5", "b'abcde' + b'fg\\x00\\x00\\x00' + b'\\x00' * 5"),
        ("U3_no_order", "U3", "'ab\\xe9'.encode('utf-32-le') + bytes(24)"),
        ("M8_generic_unit", "<M8[generic]", "np.array([0, 1, -2**63], dtype='<i8').tobytes()"),
    ):
        decode_only(f"descr_{tag}",
                    f"assemble(\"{{'descr': '{descr}', 'fortran_order': False, 'shape': (3,), }}\", {payload})",
                    note=f"np.dtype({descr!r}) as NumPy reads it")
    decode_only("descr_M8_micro_sign_v3",
                "assemble(\"{'descr': '<M8[\\u03bcs]', 'fortran_order': False, 'shape': (2,), }\", "
                "np.array([1, -1], dtype='<i8').tobytes(), version=(3, 0))",
                note="'\\u03bcs' (Greek mu) is read as 'us'")
    decode_only("mojibake_utf8_in_v1",
                "assemble(\"{'descr': [('caf\\xc3\\xa9', '<i4')], 'fortran_order': False, 'shape': (1,), }\", i4(1))",
                note="UTF-8 bytes in a version 1.0 header decode as latin-1: the name is 'caf\\xc3\\xa9'")
    decode_only("empty_name_field",
                "assemble(\"{'descr': [('a', '<i4'), ('', '<i4'), ('b', '<i4')], 'fortran_order': False, 'shape': (1,), }\", i4(1, 2, 3))",
                note="an ''-named field that is not void is data, not padding")
    decode_only("descr_empty_list",
                "assemble(\"{'descr': [], 'fortran_order': False, 'shape': (3,), }\")",
                note="an empty record of itemsize 0: no data")
    decode_only("top_level_subarray_of_record_field",
                "assemble(\"{'descr': [('a', ('<i2', (2,)))], 'fortran_order': False, 'shape': (2,), }\", "
                "np.array([1, 2, 3, 4], dtype='<i2').tobytes())",
                note="a field given as (dtype, shape) tuple without a third element")
    decode_only("bool_byte_2",
                "assemble(\"{'descr': '|b1', 'fortran_order': False, 'shape': (4,), }\", bytes([0, 1, 2, 255]))",
                note="NumPy keeps any byte in a bool array; npy-core's raw read keeps it too, but a "
                     "typed read as Rust bool refuses bytes other than 0 and 1",
                typed_read_error="InvalidData")
    decode_only("trailing_data",
                f"assemble({std!r}, i4(4, 5, 6) + b'trailing bytes are ignored')",
                note="bytes after the data are not part of the array (several arrays per stream)")
    decode_only("duplicate_key",
                "assemble(\"{'descr': '<i2', 'fortran_order': False, 'shape': (3,), 'descr': '<i4'}\", i4(1, 2, 3))",
                note="a repeated key: the last one wins, as in a Python dict literal")
    decode_only("fortran_true_1d",
                "assemble(\"{'descr': '<i4', 'fortran_order': True, 'shape': (3,), }\", i4(1, 2, 3))")
    decode_only("fortran_true_0d",
                "assemble(\"{'descr': '<i4', 'fortran_order': True, 'shape': (), }\", i4(77))")
    decode_only("literal_implicit_concat_hex_comment",
                "assemble(\"{'descr': '<' 'i4', # a comment\\n 'fortran_order': False,\\t'shape': (0x3,),}\", i4(1, 2, 3))")
    decode_only("literal_crlf_continuation",
                "assemble(\"{'descr': r'<i4',\\r\\n 'fortran_order': \\\\\\r\\nFalse, 'shape': (+3,)}\", i4(1, 2, 3))")
    decode_only("literal_triple_quotes_underscore",
                "assemble(\"{'''descr''': \\\"\\\"\\\"<i2\\\"\\\"\\\", 'fortran_order': False, 'shape': (1_0,)}\", "
                "np.arange(10, dtype='<i2').tobytes())")
    decode_only("literal_nested_parens",
                "assemble(\"{'descr': ('<i4'), 'fortran_order': (False), 'shape': ((3),), }\", i4(1, 2, 3))")
    decode_only("header_len_10000",
                "exact_header_len(10000, \"{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }\", i4(1, 2, 3))",
                note="HEADER_LEN exactly 10000: the largest NumPy loads by default")


# ---------------------------------------------------------------------------------------------
# malformed/
# ---------------------------------------------------------------------------------------------


def malformed(name, recipe, kind, stage, divergence=None, message=None, ours_ok=False,
              note=None, from_np_save=None, after=None):
    """A file to refuse (or, with ours_ok, one NumPy refuses and npy-core reads: a divergence).

    stage: 'header' when parse_header must already fail, 'data' when only reading the array fails.
    after: called with the entry once the file is written, to add case-specific fields.
    """
    rel = f"malformed/{name}.npy"
    path = os.path.join(OUT, rel)
    if from_np_save is not None:
        array = eval(from_np_save, ns())  # noqa: S307
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            np.save(path, array, allow_pickle=True)
        with open(path, "rb") as f:
            data = f.read()
        if recipe:
            data = eval(recipe, dict(ns(), saved=data))  # noqa: S307
        shown = f"np.save(f, {from_np_save}, allow_pickle=True)" + (f"; then {recipe}" if recipe else "")
    else:
        data = eval(recipe, ns())  # noqa: S307
        shown = recipe
    write_raw(rel, data)
    status, result, caught = np_load(path)
    entry = {
        "path": rel,
        "category": "malformed",
        "numpy_version": NUMPY_VERSION,
        "recipe": shown,
        "numpy_accepts": status == "ok",
        "numpy_error": None if status == "ok" else result,
        "numpy_read_array_stream": np_read_array_stream(data),
    }
    if caught:
        entry["numpy_warnings"] = caught
    if ours_ok:
        entry["expected"] = {"result": "ok"}
    else:
        entry["expected"] = {"result": "error", "kind": kind, "stage": stage}
        if message:
            entry["expected"]["message_contains"] = message
    if note:
        entry["note"] = note
    if divergence:
        entry["divergence"] = divergence
    if status == "ok" and not divergence:
        raise RuntimeError(f"{rel}: NumPy accepts it; say why we refuse (divergence) or move it")
    if ours_ok and status == "ok":
        raise RuntimeError(f"{rel}: NumPy accepts it too; it belongs in decode_only/")
    if ours_ok and not divergence:
        raise RuntimeError(f"{rel}: accepted by us but refused by NumPy needs a divergence reason")
    if after is not None:
        after(entry)
    add(entry)


def add_ours_expected(entry, descr, shape, data):
    entry["ours_expected"] = {"descr": descr, "shape": shape, "fortran_order": False,
                              "data_hex": data.hex()}


def add_loaded_with_raised_limit(entry):
    """For a header NumPy refuses only for its size: what NumPy reads with the limit raised."""
    loaded = describe_loadable(entry["path"])
    assert loaded["header_len"] == 10001 and loaded["numpy_default_load"] != "ok"
    entry.update({k: v for k, v in loaded.items() if k != "numpy_default_load"})
    entry["ours_expected_from_numpy_with_max_header_size"] = True


def malformed_cases(malformed=malformed):
    """Every malformed/ case, through `malformed` (conformance/generator passes a collector)."""
    good = "{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }"
    ok_file = f"assemble({good!r}, i4(1, 2, 3))"
    ver_msg = "we only support format version (1,0), (2,0), and (3,0)"

    # --- magic and version ---
    malformed("empty_file", "b''", "UnexpectedEof", "header", message="EOF: reading magic string")
    malformed("bad_magic_first_byte", f"b'\\x92' + {ok_file}[1:]", "BadMagic", "header",
              message="the magic string is not correct")
    malformed("bad_magic_lowercase", f"b'\\x93numpy' + {ok_file}[6:]", "BadMagic", "header",
              message="the magic string is not correct")
    malformed("bad_magic_zip", "b'PK\\x03\\x04' + bytes(60)", "BadMagic", "header",
              note="np.load dispatches this to the npz reader; a .npy reader sees a bad magic")
    malformed("bad_magic_pickle", "b'\\x80\\x04\\x95' + bytes(20)", "BadMagic", "header")
    for major, minor in ((1, 1), (0, 0), (2, 1), (4, 0), (255, 255)):
        malformed(f"version_{major}_{minor}", f"b'\\x93NUMPY\\x{major:02x}\\x{minor:02x}' + {ok_file}[8:]",
                  "UnsupportedVersion", "header", message=f"{ver_msg}, not ({major}, {minor})")

    # --- truncation ---
    malformed("truncated_magic_4", f"{ok_file}[:4]", "UnexpectedEof", "header",
              message="EOF: reading magic string, expected 8 bytes got 4")
    malformed("truncated_magic_7", f"{ok_file}[:7]", "UnexpectedEof", "header",
              message="EOF: reading magic string, expected 8 bytes got 7")
    malformed("truncated_length_v1", f"{ok_file}[:9]", "UnexpectedEof", "header",
              message="EOF: reading array header length, expected 2 bytes got 1")
    malformed("truncated_length_v2", "assemble(%r, i4(1, 2, 3), version=(2, 0))[:11]" % good,
              "UnexpectedEof", "header", message="EOF: reading array header length, expected 4 bytes got 3")
    malformed("truncated_header", f"{ok_file}[:40]", "UnexpectedEof", "header",
              message="EOF: reading array header, expected 118 bytes got 30")
    malformed("truncated_header_claims_65535", "b'\\x93NUMPY\\x01\\x00\\xff\\xff' + " + f"{ok_file}[10:128]",
              "UnexpectedEof", "header", message="EOF: reading array header")
    malformed("truncated_data_one_byte", f"{ok_file}[:-1]", "UnexpectedEof", "data",
              message="EOF: reading array data")
    malformed("truncated_data_all", f"{ok_file}[:128]", "UnexpectedEof", "data")
    malformed("truncated_data_np_save_f8", "saved[:-3]", "UnexpectedEof", "data",
              from_np_save="np.linspace(0, 1, 5)")
    malformed("header_len_u32_max", "b'\\x93NUMPY\\x02\\x00\\xff\\xff\\xff\\xff' + b'{' + b' ' * 100",
              "HeaderTooLarge", "header",
              note="length field 4 GiB: refused before reading, by the 1 MiB default limit; NumPy "
                   "runs out of input instead")

    # --- dict structure ---
    malformed("missing_key", "assemble(\"{'descr': '<i4', 'shape': (3,), }\", i4(1, 2, 3))",
              "InvalidHeader", "header", message="Header does not contain the correct keys")
    malformed("extra_key",
              "assemble(\"{'descr': '<i4', 'fortran_order': False, 'shape': (3,), 'extra': 1, }\", i4(1, 2, 3))",
              "InvalidHeader", "header", message="Header does not contain the correct keys")
    malformed("key_not_string",
              "assemble(\"{1: '<i4', 'fortran_order': False, 'shape': (3,), }\", i4(1, 2, 3))",
              "InvalidHeader", "header")
    malformed("not_a_dict", "assemble(\"[('descr', '<i4'), ('fortran_order', False), ('shape', (3,))]\", i4(1, 2, 3))",
              "InvalidHeader", "header", message="Header is not a dictionary")
    malformed("empty_header_text", "assemble('', i4(1, 2, 3), align=None)", "HeaderSyntax", "header")
    malformed("unclosed_brace", "assemble(\"{'descr': '<i4', 'fortran_order': False, 'shape': (3,), \", i4(1, 2, 3))",
              "HeaderSyntax", "header")
    malformed("non_literal_call",
              "assemble(\"{'descr': '<i4', 'fortran_order': False, 'shape': (int(3),), }\", i4(1, 2, 3))",
              "HeaderSyntax", "header")
    malformed("non_literal_arithmetic",
              "assemble(\"{'descr': '<i4', 'fortran_order': False, 'shape': (1 + 2,), }\", i4(1, 2, 3))",
              "HeaderSyntax", "header")
    malformed("nul_padding", f"assemble({good!r}, i4(1, 2, 3), pad_byte=b'\\x00')", "HeaderSyntax", "header")
    malformed("py2_long_v3",
              "assemble(\"{'descr': '<i4', 'fortran_order': False, 'shape': (3L,), }\", i4(1, 2, 3), version=(3, 0))",
              "HeaderSyntax", "header", note="the L filter applies to versions 1.0 and 2.0 only")
    malformed("invalid_utf8_v3",
              "assemble(\"{'descr': [('caf\\xe9', '<i4')], 'fortran_order': False, 'shape': (1,), }\", i4(1), "
              "version=(3, 0), encoding='latin-1')",
              "HeaderSyntax", "header", note="a latin-1 byte 0xE9 is not valid UTF-8")

    # --- shape ---
    malformed("shape_list", "assemble(\"{'descr': '<i4', 'fortran_order': False, 'shape': [3], }\", i4(1, 2, 3))",
              "InvalidHeader", "header", message="shape is not valid")
    malformed("shape_int", "assemble(\"{'descr': '<i4', 'fortran_order': False, 'shape': 3, }\", i4(1, 2, 3))",
              "InvalidHeader", "header", message="shape is not valid")
    malformed("shape_nested_tuple",
              "assemble(\"{'descr': '<i4', 'fortran_order': False, 'shape': ((3,),), }\", i4(1, 2, 3))",
              "InvalidHeader", "header", message="shape is not valid")
    malformed("shape_string", "assemble(\"{'descr': '<i4', 'fortran_order': False, 'shape': ('3',), }\", i4(1, 2, 3))",
              "InvalidHeader", "header", message="shape is not valid")
    malformed("shape_float", "assemble(\"{'descr': '<i4', 'fortran_order': False, 'shape': (3.0,), }\", i4(1, 2, 3))",
              "HeaderSyntax", "header",
              note="NumPy parses the float and then refuses the shape; npy-core's literal subset has "
                   "no floats, so the refusal comes one step earlier, as a syntax error")
    malformed("shape_negative", "assemble(\"{'descr': '<i4', 'fortran_order': False, 'shape': (-1,), }\", i4(1, 2, 3))",
              "InvalidHeader", "header",
              note="NumPy accepts the header and fails reading the data; npy-core refuses the header")
    malformed("shape_true", "assemble(\"{'descr': '<i4', 'fortran_order': False, 'shape': (True, 3), }\", i4(1, 2, 3))",
              "InvalidHeader", "header",
              note="bool passes NumPy's isinstance(int) check, then fails with TypeError")
    malformed("shape_overflow_elements",
              "assemble(\"{'descr': '<i8', 'fortran_order': False, 'shape': (4611686018427387904, 4), }\", bytes(8))",
              "Overflow", "header",
              note="(2**62, 4): the element count is 2**64. NumPy's int64 product wraps to 0 and the "
                   "reshape fails; a checked product must refuse it")
    malformed("shape_overflow_bytes",
              "assemble(\"{'descr': '<i8', 'fortran_order': False, 'shape': (2305843009213693952,), }\", bytes(8))",
              "Overflow", "header", note="2**61 elements of 8 bytes: 2**64 bytes")
    malformed("shape_dim_2pow64",
              "assemble(\"{'descr': '|u1', 'fortran_order': False, 'shape': (0, 18446744073709551616), }\")",
              "Overflow", "header",
              note="a dimension of 2**64 (zero elements in all): NumPy raises OverflowError")
    malformed("shape_dim_2pow63",
              "assemble(\"{'descr': '|u1', 'fortran_order': False, 'shape': (0, 9223372036854775808), }\")",
              "Overflow", "header",
              note="a dimension of 2**63 (zero elements in all) exceeds NumPy's npy_intp: 'Maximum "
                   "allowed dimension exceeded'. No NumPy file can hold it")

    # --- fortran_order ---
    malformed("fortran_order_int", "assemble(\"{'descr': '<i4', 'fortran_order': 0, 'shape': (3,), }\", i4(1, 2, 3))",
              "InvalidHeader", "header", message="fortran_order is not a valid bool")
    malformed("fortran_order_string",
              "assemble(\"{'descr': '<i4', 'fortran_order': 'False', 'shape': (3,), }\", i4(1, 2, 3))",
              "InvalidHeader", "header", message="fortran_order is not a valid bool")
    malformed("fortran_order_none",
              "assemble(\"{'descr': '<i4', 'fortran_order': None, 'shape': (3,), }\", i4(1, 2, 3))",
              "InvalidHeader", "header", message="fortran_order is not a valid bool")

    # --- descr ---
    for tag, descr in (("garbage", "'xyz'"), ("f12", "'<f12'"), ("i16", "'<i16'"), ("u3", "'<u3'"),
                       ("c4", "'<c4'"), ("bad_unit", "'<M8[xs]'"), ("int_value", "5"),
                       ("none_value", "None"), ("empty_string", "''"),
                       ("order_only", "'<'")):
        malformed(f"descr_{tag}",
                  f"assemble(\"{{'descr': {descr}, 'fortran_order': False, 'shape': (3,), }}\", i4(1, 2, 3))",
                  "InvalidDescr", "header")
    malformed("descr_comma_string",
              "assemble(\"{'descr': 'i4,f8', 'fortran_order': False, 'shape': (3,), }\", bytes(36))",
              "InvalidDescr", "header",
              divergence="np.dtype('i4,f8') is a record, so NumPy loads this; no writer puts a "
                         "comma-separated string in a header and npy-core refuses it (dtype/type_str.rs)")
    malformed("descr_metadata_leak",
              "assemble(\"{'descr': [('a', '<f8'), ('b', ('|S3', {'some': 'stuff'}))], 'fortran_order': False, 'shape': (1,), }\", bytes(11))",
              "InvalidDescr", "header",
              note="NumPy 1.13-1.26 leaked field metadata into the descr; even they cannot read it back")
    malformed("descr_record_short_entry",
              "assemble(\"{'descr': [('a',)], 'fortran_order': False, 'shape': (1,), }\", bytes(4))",
              "InvalidDescr", "header")
    malformed("descr_record_duplicate_names",
              "assemble(\"{'descr': [('a', '<i4'), ('a', '<f4')], 'fortran_order': False, 'shape': (1,), }\", bytes(8))",
              "InvalidDescr", "header")
    malformed("descr_record_negative_subarray",
              "assemble(\"{'descr': [('a', '<i4', (-1,))], 'fortran_order': False, 'shape': (1,), }\", bytes(8))",
              "InvalidDescr", "header")
    malformed("descr_record_name_int",
              "assemble(\"{'descr': [(1, '<i4')], 'fortran_order': False, 'shape': (1,), }\", bytes(4))",
              "InvalidDescr", "header")
    malformed("descr_record_title_equals_name",
              "assemble(\"{'descr': [(('a', 'a'), '<i4')], 'fortran_order': False, 'shape': (1,), }\", bytes(4))",
              "InvalidDescr", "header")

    # --- object dtypes: valid NumPy, refused by npy-core ---
    malformed("object_array", None, "Unsupported", "data",
              from_np_save="np.array([1, 'a', None], dtype=object)",
              note="the data is a pickle; NumPy refuses it too without allow_pickle")
    malformed("object_record_field", None, "Unsupported", "data",
              from_np_save="np.array([(1, 'x')], dtype=[('a', '<i4'), ('b', 'O')])")
    malformed("object_O8_py2",
              "legacy16(\"{'descr': '|O8', 'fortran_order': False, 'shape': (2L,)}\", b'\\x80\\x02]q\\x00.')",
              "Unsupported", "data", note="Python 2 NumPy wrote object arrays as '|O8'")

    # --- documented divergences: NumPy and npy-core disagree on purpose ---
    malformed("header_len_10001",
              "exact_header_len(10001, \"{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }\", i4(1, 2, 3))",
              None, None, ours_ok=True,
              divergence="NumPy refuses headers over 10000 characters unless max_header_size is "
                         "raised; npy-core's default limit is 1 MiB (ReadOptions::max_header_len), "
                         "and max_header_len(10000) reproduces NumPy's verdict",
              after=add_loaded_with_raised_limit)
    malformed("top_level_subarray_descr",
              "assemble(\"{'descr': ('<i4', (2,)), 'fortran_order': False, 'shape': (3,), }\", i4(1, 2, 3, 4, 5, 6))",
              None, None, ours_ok=True,
              divergence="NumPy never writes a top-level (dtype, shape) descr and since 2.3 fails to "
                         "load it ('Failed to read all data'); older NumPy absorbed the subarray into "
                         "the shape, and so does npy-core: '<i4' with shape (3, 2)",
              after=lambda e: add_ours_expected(e, "'<i4'", [3, 2], i4(1, 2, 3, 4, 5, 6)))
    malformed("descr_nesting_100_records", None, "HeaderTooLarge", "header",
              from_np_save="np.arange(2, dtype='<i4').view(nested_dtype(100))",
              note="np.save writes it, but Python's parser gives up at 200 nested brackets: one "
                   "level past the deepest record NumPy reads (ReadOptions::max_depth is 200 too)")


# ---------------------------------------------------------------------------------------------


def check_against_committed():
    """--check: regenerate into a scratch folder and fail if anything differs from HERE."""
    import filecmp
    import tempfile

    global OUT
    with tempfile.TemporaryDirectory() as scratch:
        OUT = scratch
        generate()
        differences = []
        for cat in CATEGORIES:
            fresh = sorted(os.listdir(os.path.join(scratch, cat)))
            committed = sorted(os.listdir(os.path.join(HERE, cat)))
            if fresh != committed:
                differences.append(f"{cat}/: file lists differ: {sorted(set(fresh) ^ set(committed))}")
                continue
            _, mismatch, errors = filecmp.cmpfiles(
                os.path.join(scratch, cat), os.path.join(HERE, cat), fresh, shallow=False)
            differences += [f"{cat}/{name}" for name in mismatch + errors]
        with open(os.path.join(scratch, "manifest.json"), encoding="utf-8") as f:
            fresh_manifest = json.load(f)
        with open(os.path.join(HERE, "manifest.json"), encoding="utf-8") as f:
            committed_manifest = json.load(f)
        for m in (fresh_manifest, committed_manifest):
            m.pop("python_version", None)
        if fresh_manifest != committed_manifest:
            differences.append("manifest.json")
    if differences:
        print("golden files differ from what NumPy writes now:")
        for d in differences:
            print("  " + d)
        print("regenerate with: python crates/npy-core/tests/golden/generate.py")
        sys.exit(1)
    print("golden files match NumPy", NUMPY_VERSION)


def main():
    print(f"numpy {NUMPY_VERSION}, python {platform.python_version()}, {platform.machine()}")
    if "--check" in sys.argv[1:]:
        check_against_committed()
    else:
        generate()


def generate():
    ENTRIES.clear()
    reset_output()
    valid_cases()
    decode_only_cases()
    malformed_cases()
    ENTRIES.sort(key=lambda e: e["path"])
    manifest = {
        "comment": "Generated by generate.py; do not edit. See that script for the meaning of each field.",
        "numpy_version": NUMPY_VERSION,
        "python_version": platform.python_version(),
        "machine": platform.machine(),
        "files": ENTRIES,
    }
    with open(os.path.join(OUT, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1, ensure_ascii=True, sort_keys=False)
        f.write("\n")
    counts = {c: sum(e["category"] == c for e in ENTRIES) for c in CATEGORIES}
    total = sum(os.path.getsize(os.path.join(OUT, e["path"])) for e in ENTRIES)
    print(f"wrote {len(ENTRIES)} files ({counts}), {total} bytes of .npy, manifest.json")


if __name__ == "__main__":
    main()
