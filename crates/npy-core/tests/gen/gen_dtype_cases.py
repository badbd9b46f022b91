#!/usr/bin/env python3
"""Generates dtype_cases.tsv, the NumPy-derived expectations of tests/dtype.rs.

Run from anywhere with NumPy 2.x on a little-endian Linux x86-64 host:

    /tmp/venv/bin/python crates/npy-core/tests/gen/gen_dtype_cases.py

It overwrites dtype_cases.tsv next to this script. Every line is tab-separated; no field contains a
tab or newline (reprs escape them). Sections, by first column:

D  id  descr  itemsize  summary  hasobject  isnative  descr_big  descr_little
   A dtype built with NumPy (id is the Python expression). descr is
   repr(numpy.lib.format.dtype_to_descr(dt)); summary is structure() below; descr_big/_little are
   the descrs of dt.newbyteorder('>') / ('<'). isnative is computed recursively through subarrays
   (NumPy's own dt.isnative says True for a subarray of a big-endian type).
P  input  result
   repr(input) given to numpy.lib.format.descr_to_dtype; result is structure(dtype) or ERR.
X  input  numpy_result
   Inputs NumPy accepts that npy-core deliberately rejects (documented deviations).
S  descr  input_hex  output_hex
   Three elements of bytes (i*37+11)%256 swapped by NumPy's ndarray.byteswap(inplace=True), with
   record padding bytes restored from the input (NumPy leaves them undefined).
"""
import os
import sys
import warnings

import numpy as np
from numpy.lib.format import descr_to_dtype, dtype_to_descr

assert sys.byteorder == "little"
warnings.simplefilter("ignore", DeprecationWarning)


def structure(dt):
    """A canonical text of the dtype's layout, computed the same way by the Rust test."""
    if dt.names is not None:
        parts = []
        for name in dt.names:
            f = dt.fields[name]
            title = f[2] if len(f) > 2 else None
            t = "" if title is None else "/" + repr(title)
            parts.append(f"{name!r}{t}@{f[1]}:{structure(f[0])}")
        return f"R{dt.itemsize}{{{','.join(parts)}}}"
    if dt.subdtype is not None:
        base, shape = dt.subdtype
        return f"A({structure(base)};{'x'.join(map(str, shape))})"
    return dt.str


def isnative(dt):
    if dt.names is not None:
        return all(isnative(dt.fields[n][0]) for n in dt.names)
    if dt.subdtype is not None:
        return isnative(dt.subdtype[0])
    return dt.isnative


def padding_mask(dt):
    """True for each byte of one element that belongs to some field (not padding)."""
    mask = [False] * dt.itemsize

    def mark(d, off):
        if d.names is not None:
            for n in d.names:
                fd, fo = d.fields[n][:2]
                mark(fd, off + fo)
        else:
            for i in range(d.itemsize):
                mask[off + i] = True

    mark(dt, 0)
    return mask


SCALARS = ["b1", "i1", "u1", "i2", "u2", "i4", "u4", "i8", "u8", "f2", "f4", "f8", "f16",
           "c8", "c16", "c32", "S0", "S1", "S5", "U0", "U1", "U3", "V0", "V4", "O"]
UNITS = ["Y", "M", "W", "D", "h", "m", "s", "ms", "us", "ns", "ps", "fs", "as"]

D_CASES = []
for code in SCALARS:
    for order in "<>":
        D_CASES.append(f"np.dtype({order + code!r})")
for kind in "Mm":
    for order in "<>":
        D_CASES.append(f"np.dtype({order + kind + '8'!r})")
        for unit in UNITS:
            D_CASES.append(f"np.dtype({order + kind + '8[' + unit + ']'!r})")
        for mult in ["25s", "2D", "7us", "0s", "1000ns", "2147483647as"]:
            D_CASES.append(f"np.dtype({order + kind + '8[' + mult + ']'!r})")
D_CASES += [
    "np.dtype('i1,i4,i1', align=True)",
    "np.dtype([('a', 'u1'), ('b', '<f8')], align=True)",
    "np.dtype({'names': ['a', 'b'], 'formats': ['<i4', '<i4'], 'offsets': [1, 6]})",
    "np.dtype({'names': ['a', 'b'], 'formats': ['<i4', '<i4'], 'offsets': [1, 6], 'titles': ['aa', 'bb']})",
    "np.dtype({'names': ['a'], 'formats': ['<i4'], 'itemsize': 16})",
    "np.dtype([('c', '<i4'), ('d', np.dtype({'names': ['a', 'b'], 'formats': ['<i4', '<i4'], 'offsets': [1, 6]}))])",
    "np.dtype({'names': ['a', '', 'b'], 'formats': ['<i4', '<i4', '<i4']})",
    "np.dtype([('a', '<f8', (2,))])",
    "np.dtype([('a', '>f4', (2, 3)), ('b', '|S3', (1,))])",
    "np.dtype([('c', np.dtype(('<f8', (5,))), (2,))])",
    "np.dtype([('a', [('x', '<i2'), ('y', '>u4')], (3,))])",
    "np.dtype([('a', [('b', [('c', '>i8', (2,))])])])",
    "np.dtype([(\"it's\", '<i8'), ('a\"b', '<i2')])",
    "np.dtype([('整形', '<f4'), ('tab\\there', 'u1'), ('back\\\\slash', '>u2'), ('nl\\n', 'b1')])",
    "np.dtype([(('title with \\'quote\\'', 'a'), '<i4'), (('ünïcode', 'b'), '>f8')])",
    "np.dtype({'names': [], 'formats': [], 'itemsize': 8})",
    "np.dtype([])",
    "np.dtype({'names': [''], 'formats': [np.dtype([])]})",
    "np.dtype({'names': ['', 'b'], 'formats': [np.dtype([('x', '>i2')]), '<U1'], 'titles': ['t', None]})",
    "np.dtype([('a', [])])",
    "np.dtype({'names': ['a', 'b'], 'formats': ['<i4', '<u2'], 'offsets': [4, 10], 'itemsize': 16})",
    "np.dtype([('a', '>i4'), ('b', '>f8'), ('c', '|S2'), ('d', '>U2')])",
    "np.dtype([('o', 'O'), ('x', '<i4')])",
    "np.dtype([('o', 'O', (2,))])",
    "np.dtype([('a', '|V0'), ('b', '<i4', (0,)), ('c', '<i4')])",
    "np.dtype([('a', '<M8[ns]'), ('b', '>m8[25s]'), ('c', '<M8')])",
    "np.dtype([('a', '<c32'), ('b', '>f16')])",
    "np.dtype({'names': ['a'], 'formats': [np.dtype([('x', '<i2'), ('y', '<i8')], align=True)], 'offsets': [8], 'itemsize': 40})",
    "np.dtype([('a', '<U0'), ('b', '|S0'), ('c', '|V0')])",
    "np.dtype([('a', '<i4', (1,)), ('b', '<i4', (2, 1, 3))])",
    "np.dtype([('\\x00', '<i4'), ('\\x7f', '<i4'), ('\\u2028', '<i4')])",
]

P_INPUTS = [
    "i4", "=i4", "|i4", "<i4", ">i4", "<b1", ">b1", ">S5", "|S5", "S05", "i04", "O", "|O8", "O4", "<O8",
    "O2", "O16", "b", "b1", "b2", "?", "?1", "B", "h", "H", "i", "I", "l", "L", "q", "Q", "p", "P",
    "n", "N", "e", "f", "d", "g", "F", "D", "G", "c", "c1", "c8", "S", "a", "a5", "<a5", "U", "V",
    "M", "m", "M8", "<M8", ">m8", "M4", "M16", "M[ns]", "M8[generic]", "<M8[generic]", "M8[2generic]",
    "M8[μs]", "M8[µs]", "M8[25s]", "M8[0s]", "M8[01us]", "M8[1us]", "M8[2147483647s]",
    "M8[2147483648s]", "M8[3000000000s]", "M8[-2s]", "M8[]", "M8[B]", "M8[ns]x", "M8[2 s]", "|M8",
    "|U3", ">U3", "|m8[D]", "f12", "<f12", "i16", "<i16", "u16", "f1", "c4", "c64", "f16", "c32",
    "i0", "S-1", "u", "<u", "<i", "<c", "<S", "<V", "<M", "<O", "<b", "<?", "=b1", "|f8", "><i4",
    "<<i4", "!i4", "Y", "", "0", " i4", "i4 ", "i8\x00", "S2147483647", "S2147483648",
    "S99999999999999999999999", "U536870911", "U536870912", "V2147483648", "<i8[ns]", "c16[s]",
    "float64", "<float64", "int", "float", "complex", "bool", "bool_", "object", "object_", "str",
    "str_", "unicode", "bytes", "bytes_", "void", "datetime64", "datetime64[ns]", "timedelta64",
    "timedelta64[25s]", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
    "float16", "float32", "float128", "longdouble", "complex64", "complex128", "complex256",
    "clongdouble", "double", "single", "half", "csingle", "cdouble", "intp", "uintp", "int_", "uint",
    "short", "ushort", "intc", "uintc", "long", "ulong", "longlong", "ulonglong", "byte", "ubyte",
    "string", "float96", "Bool", "int0", "longfloat", "cfloat", "string_", "float_",
    ("<i4", (2,)), ("<i4", ()), ("<i4", 1), ("<i4", 2), ("<i4", [2]), ("<i4", (2, 3)),
    ("<i4", (0,)), ("<i4", 0), ("<i4", (-1,)), ("<i4", -1), ("<i4", True), ("<i4", (True,)),
    ("<i4", []), ("<i4", "x"), ("<i4", None), (("<f8", (5,)), (2,)),
    ("<f8", (2**62, 2**62)), ("<f8", (2**28,)), ("<f8", (2**28 - 1,)), ("<f8", (1,) * 64),
    ("<f8", (1,) * 65), ("<f8", (2**31 - 1, 2**31 - 1, 0)), ("<f8", (0, 2**31)),
    ("<i4",), ("<i4", {"a": 1}), ("S0", (2,)), ("V0", (2,)), ("U0", (2,)), ([], (2,)),
    (([], (2,)), (3,)), ("S0", ()), ("S0", 1), ("S0", 0), ("U0", 3), (">U", 3), ("V0", 2),
    ("S", 5), ("S5", 2), ("S0", 2**31), ("U0", 2**29), ("S0", -1), ("S0", True), ("S0", [3]),
    ("M8", (2,)), ("O", (2,)),
    [("a", "<f8"), ("b", ("|S3", {"some": "stuff"}))],
    [("a", "<f8", {"some": "stuff"})],
    [("a", "<i4"), ("", "<i4"), ("b", "<i4")],
    [("", "|V4"), ("a", "<i4")],
    [("", "|V4", (2,)), ("a", "<i4")],
    [("", "<i4", (2,)), ("a", "<i4")],
    [("", [("x", "<i4")], (2,)), ("a", "<i4")],
    [("", [("x", "<i4")]), ("a", "<i4")],
    [("", ("|V4", (2,))), ("a", "<i4")],
    [("", ("<i4", ())), ("a", "<i4")],
    [("", []), ("a", "<i4")],
    [("", "|V0", 4), ("b", "<i4")],
    [("a", "S0", 5)],
    [("a", "S0", (2,))],
    [("a", [], (2,))],
    [("a", ("<i4", (0,)), (2,))],
    [], [("", [])], [("", "|V0")], [("a", "|V0"), ("", "|V3")],
    [(("t", "a"), "<i4")], [(("t", "a"), "|V4")], [((None, "a"), "<i4")], [(("a", "a"), "<i4")],
    [(("b", "a"), "<i4"), ("b", "<i4")], [(("t", "a"), "<i4"), (("t", "b"), "<i4")],
    [(("", "a"), "|V4")], [(("a", ""), "|V4")], [(("t", "a", "x"), "<i4")], [(("t",), "<i4")],
    [(1, "<i4")], [(None, "<i4")], [("a", "<i4"), ("a", "<i4")], [("a", "<i4", "x")],
    [("a", "<i4", (2,), 1)], [("a",)], [()], [["a", "<i4"]], [["a", "<i4", [2]]],
    [("a", ("<i4", (2,)), (3,))], [("c", ("<f8", (5,)), (2,))], [("a", "<i4", ())],
    [("a", "<i4", 1)], [("a", "<i4", 2)], [("a", [("b", [("c", "<i4")])])],
    [("a", "S2147483647"), ("b", "S1")], [("a", "S1073741823"), ("b", "S1073741824")],
    [("a", "S1073741824"), ("b", "S1073741824")], [("a", "<f8", (2**27,)), ("b", "<f8", (2**27,))],
    5, None, True, {"a": 1}, [("a", 5)], [("a", None)], [("a", "<i4"), 5], [("a", "<f12")],
    [("a", [("b", "<i16")])], [("a", "<i4", (-1,))], [("a", "<i4", (2**31,))],
    [("a", "<i4"), ("b", [("a", "<i4"), ("a", "<i4")])],
]

# Inputs NumPy accepts that npy-core rejects on purpose (see descr_parse.rs / type_str.rs docs).
X_INPUTS = [
    "i4,f8", "<datetime64[ns]", "M8[s/2]", "M8[ms/10]", "M8[+2s]", "M8[ 2s]",
    ("<i4", (2,), "x"), (("<i4", (0,)), 5), ["ab"], [((1, "a"), "<i4")], {},
]

S_DTYPES = [
    "<i2", "<u4", "<i8", "<f2", "<f4", "<f8", "<f16", "<c8", "<c16", "<c32", "<U3", "<M8[ns]",
    "<m8[25s]", "|S3", "|b1",
    "[('a', '<i4'), ('b', '<u2', (3,)), ('c', '|S3'), ('d', '<c8')]",
    "np.dtype({'names': ['a', 'b'], 'formats': ['<i4', '<u2'], 'offsets': [2, 8], 'itemsize': 12})",
    "[('a', [('b', '<f8'), ('c', '<U2')], (2,)), ('d', '|u1')]",
    "[('c', np.dtype(('<i2', (3,))), (2,))]",
    ">i4", ">c16", ">U2", "[('a', '>u8'), ('b', '>f4', (2,))]",
]


def build(expr):
    if expr.startswith("np."):
        return eval(expr)
    if expr.startswith("["):
        return np.dtype(eval(expr))
    return np.dtype(expr)


def main():
    lines = []
    for expr in D_CASES:
        dt = eval(expr)
        lines.append("\t".join([
            "D", expr, repr(dtype_to_descr(dt)), str(dt.itemsize), structure(dt),
            str(dt.hasobject), str(isnative(dt)),
            repr(dtype_to_descr(dt.newbyteorder(">"))), repr(dtype_to_descr(dt.newbyteorder("<"))),
        ]))
    for x in P_INPUTS:
        try:
            result = structure(descr_to_dtype(x))
        except Exception:
            result = "ERR"
        lines.append("\t".join(["P", repr(x), result]))
    for x in X_INPUTS:
        lines.append("\t".join(["X", repr(x), structure(descr_to_dtype(x))]))
    for expr in S_DTYPES:
        dt = build(expr)
        n = 3 * dt.itemsize
        data = bytes((i * 37 + 11) % 256 for i in range(n))
        arr = np.frombuffer(data, dtype=dt).copy()
        arr.byteswap(inplace=True)
        out = bytearray(arr.tobytes())
        mask = padding_mask(dt)
        for i in range(n):
            if not mask[i % dt.itemsize]:
                out[i] = data[i]
        lines.append("\t".join(["S", repr(dtype_to_descr(dt)), data.hex(), bytes(out).hex()]))
    for line in lines:
        assert "\n" not in line and line.count("\t") >= 2, line
    header = f"# generated by gen_dtype_cases.py with NumPy {np.__version__}; do not edit\n"
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "dtype_cases.tsv")
    with open(path, "w", encoding="utf-8") as f:
        f.write(header + "\n".join(lines) + "\n")
    print(f"wrote {len(lines)} cases to {path}")


main()
