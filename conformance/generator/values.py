"""The value document of corpus/README.md: array -> JSON document, and back.

`document` reads an array NumPy loaded. `array_from_document` rebuilds an array from a document
without looking at any file; the generator uses it to decide `canonical` (np.save of the rebuilt
array must give the file's bytes) and to check that every document it writes round-trips.
"""

import math
import sys

import numpy as np
from numpy.lib import format as F

NATIVE = "<" if sys.byteorder == "little" else ">"


# ---------------------------------------------------------------------------------------------
# descr <-> JSON
# ---------------------------------------------------------------------------------------------


def descr_to_json(descr):
    """np.lib.format.dtype_to_descr output with every tuple turned into a list."""
    if isinstance(descr, (tuple, list)):
        return [descr_to_json(d) for d in descr]
    return descr


def json_to_descr(value):
    """The inverse of descr_to_json, in the shapes np.lib.format.descr_to_dtype expects."""
    if isinstance(value, str):
        return value
    if is_subarray(value):
        return (json_to_descr(value[0]), tuple(value[1]))
    fields = []
    for entry in value:
        name = tuple(entry[0]) if isinstance(entry[0], list) else entry[0]
        field = [name, json_to_descr(entry[1])]
        if len(entry) == 3:
            field.append(tuple(entry[2]))
        fields.append(tuple(field))
    return fields


def is_subarray(value):
    """[dtype, [dims]]: a (dtype, shape) pair. A field list never has a list of ints second,
    because every field entry starts with a name (a string or a [title, name] pair)."""
    return (len(value) == 2 and isinstance(value[1], list)
            and all(isinstance(d, int) for d in value[1])
            and (isinstance(value[0], str) or _looks_like_fields(value[0])))


def _looks_like_fields(value):
    return isinstance(value, list) and all(isinstance(e, list) and len(e) in (2, 3) for e in value)


# ---------------------------------------------------------------------------------------------
# array -> document
# ---------------------------------------------------------------------------------------------


def document(a, fortran_order):
    """The value document of `a` (as np.load returned it) and the header's fortran_order."""
    return {
        "dtype": descr_to_json(F.dtype_to_descr(a.dtype)),
        "shape": [int(d) for d in a.shape],
        "fortran_order": bool(fortran_order),
        "values": nest(flat_values(a), a.shape),
    }


def byte_order(dt):
    """'<' or '>' for a dtype whose byte order matters; native for '=' and '|'."""
    return dt.byteorder if dt.byteorder in "<>" else NATIVE


def flat_values(a):
    """The JSON elements of `a` in C order, as a flat list."""
    dt = a.dtype
    flat = np.ascontiguousarray(a).reshape(-1)
    n = flat.shape[0]
    if dt.names is not None:
        columns = []
        for name in dt.names:
            field = flat[name]  # shape (n,) + the field's subarray shape
            sub = field.shape[1:]
            per = math.prod(sub)
            inner = flat_values(field)
            columns.append((name, [nest(inner[i * per:(i + 1) * per], sub) for i in range(n)]))
        return [{name: column[i] for name, column in columns} for i in range(n)]
    kind, size, order = dt.kind, dt.itemsize, byte_order(dt)
    if kind == "b":
        return [bool(b) for b in flat.view(np.uint8).tolist()]
    if kind in "iu":
        return [str(v) for v in flat.tolist()]
    if kind == "f" and size in (2, 4, 8):
        return [f"0x{b:0{2 * size}x}" for b in flat.view(f"{order}u{size}").tolist()]
    if kind == "c" and size in (8, 16):
        half = size // 2
        bits = flat.view(f"{order}u{half}").reshape(-1, 2).tolist()
        return [[f"0x{r:0{size}x}", f"0x{i:0{size}x}"] for r, i in bits]
    if kind in "fc" or kind == "V":
        # long double (any size) and void: the element's bytes exactly as stored
        return raw_items(flat)
    if kind in "Mm":
        return [str(v) for v in flat.view(f"{order}i8").tolist()]
    if kind == "S":
        return [b.hex() for b in flat.tolist()]
    if kind == "U":
        return list(flat.tolist())
    raise ValueError(f"no value encoding for dtype {dt}")


def raw_items(flat):
    size = flat.dtype.itemsize
    if size == 0:
        return [""] * flat.shape[0]
    raw = flat.view(np.uint8).reshape(-1, size)
    return [bytes(row).hex() for row in raw]


def nest(items, shape):
    """A flat C-order list as nested lists over `shape`; the bare element for shape ().

    An array without elements is [] whatever its shape: nesting (12345678901, 0) would make
    12 billion empty lists, and the shape already says everything."""
    if len(shape) > 0 and math.prod(shape) == 0:
        assert not items
        return []
    if len(shape) == 0:
        assert len(items) == 1
        return items[0]
    if len(shape) == 1:
        assert len(items) == shape[0]
        return list(items)
    step = math.prod(shape[1:])
    return [nest(items[i * step:(i + 1) * step], shape[1:]) for i in range(shape[0])]


# ---------------------------------------------------------------------------------------------
# document -> array
# ---------------------------------------------------------------------------------------------


def flatten(nested, shape):
    """The inverse of nest: exactly len(shape) levels of lists, checked against the shape."""
    if len(shape) == 0:
        return [nested]
    if math.prod(shape) == 0:
        if nested != []:
            raise ValueError("an array without elements has values []")
        return []
    if not isinstance(nested, list) or len(nested) != shape[0]:
        raise ValueError(f"values do not match shape {shape}")
    out = []
    for v in nested:
        out.extend(flatten(v, shape[1:]))
    return out


def element_bytes(dt, v):
    """The bytes of one element of dtype `dt` whose JSON value is `v` (padding zero)."""
    if dt.names is not None:
        if not isinstance(v, dict) or set(v) != set(dt.names):
            raise ValueError(f"record value {v!r} does not have the fields {dt.names}")
        buf = bytearray(dt.itemsize)
        for name in dt.names:
            fdt, offset = dt.fields[name][:2]
            if fdt.subdtype is not None:
                base, sub = split_subarray(fdt)
                data = b"".join(element_bytes(base, x) for x in flatten(v[name], sub))
            else:
                data = element_bytes(fdt, v[name])
            buf[offset:offset + len(data)] = data
        return bytes(buf)
    kind, size = dt.kind, dt.itemsize
    endian = "big" if byte_order(dt) == ">" else "little"
    if kind == "b":
        if not isinstance(v, bool):
            raise ValueError(f"bool expected, got {v!r}")
        return b"\x01" if v else b"\x00"
    if kind in "iu":
        return int(v).to_bytes(size, endian, signed=kind == "i")
    if kind == "f" and size in (2, 4, 8):
        return _bits(v, size, endian)
    if kind == "c" and size in (8, 16):
        return _bits(v[0], size // 2, endian) + _bits(v[1], size // 2, endian)
    if kind in "fcV":
        data = bytes.fromhex(v)
        if len(data) != size:
            raise ValueError(f"{size} bytes expected, got {v!r}")
        return data
    if kind in "Mm":
        return int(v).to_bytes(8, endian, signed=True)
    if kind == "S":
        data = bytes.fromhex(v)
        if len(data) > size:
            raise ValueError(f"{v!r} does not fit {dt}")
        return data.ljust(size, b"\x00")
    if kind == "U":
        data = v.encode("utf-32-be" if endian == "big" else "utf-32-le")
        if len(data) > size:
            raise ValueError(f"{v!r} does not fit {dt}")
        return data.ljust(size, b"\x00")
    raise ValueError(f"no value encoding for dtype {dt}")


def split_subarray(dt):
    """(element dtype, full shape) of a subarray dtype; a subarray of a subarray, such as
    (('<f8', (5,)), (2,)), has shape (2, 5) as NumPy indexes it."""
    shape = ()
    while dt.subdtype is not None:
        dt, sub = dt.subdtype
        shape += sub
    return dt, shape


def _bits(text, size, endian):
    if not (text.startswith("0x") and len(text) == 2 + 2 * size and text == text.lower()):
        raise ValueError(f"a {2 * size}-digit lowercase 0x bit pattern expected, got {text!r}")
    return int(text, 16).to_bytes(size, endian)


def array_from_document(doc):
    """The array a writer would save for `doc`: C order, or Fortran order when the flag says so
    (np.save then writes fortran_order=True exactly when NumPy would for that array)."""
    dt = F.descr_to_dtype(json_to_descr(doc["dtype"]))
    shape = tuple(doc["shape"])
    items = flatten(doc["values"], shape)
    if dt.itemsize == 0:
        # np.zeros widens S0/U0/V0 to one character; as a field they keep their width
        a = np.zeros(shape, [("x", dt)])["x"]
        return np.asarray(a, order="F") if doc["fortran_order"] else a
    data = bytearray(b"".join(element_bytes(dt, v) for v in items))
    # Copies go through opaque void items: copying a record array field by field would leave
    # its padding bytes uninitialised (and the file's bytes unpredictable).
    raw = np.frombuffer(data, dtype=f"V{dt.itemsize}").reshape(shape)
    if doc["fortran_order"]:
        raw = np.asarray(raw, order="F")  # np.asfortranarray would make a 0-d array 1-d
    return raw.view(dt)
