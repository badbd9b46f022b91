"""Writes the small .npy fixtures the `npy` CLI tests read, and prints what NumPy says about them.

Run from anywhere with a NumPy 2.x interpreter:

    python crates/npy-cli/tests/data/make_fixtures.py          # write the files, print the values
    python crates/npy-cli/tests/data/make_fixtures.py --check  # exit 1 if any file would change

The output is deterministic (the long double is built from bytes, so its padding is zero).

Every file is written by real NumPy (np.save, or np.lib.format.write_array for an explicit
version), except the deliberately broken ones at the end, which are cut or patched copies of
NumPy-written files. The values printed after each file name are what the tests in
crates/npy-cli/tests/ compare against: `str()` of each element as NumPy prints it, `repr()` for
Python complex numbers.
"""

import os
import sys
import tempfile
import warnings

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = HERE
QUIET = False


def path(name):
    return os.path.join(OUT, name)


def save(name, array):
    np.save(path(name), array)
    return array


def show(name, values):
    if not QUIET:
        print(f"{name}: {values}")


def write_all():
    # Floats: shortest round-trip text, signed zero, non-finite, exponent thresholds.
    a = save("f8.npy", np.array([0.0, -0.0, 1.5, 0.1, 1e16, 1e-05, 0.0001, 123456789.125,
                                  np.nan, np.inf, -np.inf, 1e300], dtype="<f8"))
    show("f8.npy", [str(x) for x in a])

    # The same values big-endian: must decode identically.
    a = save("f8_be.npy", np.array([0.0, -0.0, 1.5, 0.1, 1e16, 1e-05, 0.0001, 123456789.125,
                                     np.nan, np.inf, -np.inf, 1e300], dtype=">f8"))
    show("f8_be.npy", [str(x) for x in a])

    a = save("f4.npy", np.array([0.1, 1 / 3, 16777216.0, -2.5e-8], dtype="<f4"))
    show("f4.npy", [str(x) for x in a])

    a = save("f2.npy", np.array([0.1, 65504.0, -0.0, 6e-8, np.nan], dtype="<f2"))
    show("f2.npy", [str(x) for x in a])

    # Integers at their limits, bools.
    a = save("i8.npy", np.array([np.iinfo(np.int64).min, -1, 0, np.iinfo(np.int64).max], dtype="<i8"))
    show("i8.npy", [str(x) for x in a])
    a = save("u8_be.npy", np.array([0, 1, np.iinfo(np.uint64).max], dtype=">u8"))
    show("u8_be.npy", [str(x) for x in a])
    a = save("bool.npy", np.array([True, False, True]))
    show("bool.npy", [str(x) for x in a])

    # A 2-D C-order array and the same values in Fortran order.
    a = save("i4_2d.npy", np.arange(6, dtype="<i4").reshape(2, 3))
    show("i4_2d.npy", a.tolist())
    a = save("i4_2d_fortran.npy", np.asfortranarray(np.arange(6, dtype="<i4").reshape(2, 3)))
    show("i4_2d_fortran.npy", a.tolist())
    a = save("u1_3d_fortran.npy", np.asfortranarray(np.arange(24, dtype="u1").reshape(2, 3, 4)))
    show("u1_3d_fortran.npy (C order)", a.ravel(order="C").tolist())

    # Complex: Python's repr rules (bare imaginary when the real part is +0).
    a = save("c16.npy", np.array([1 + 2j, 1.5 - 0.5j, 1j, -0.0 + 1j, complex(np.nan, np.inf)], dtype="<c16"))
    show("c16.npy", [repr(complex(x)) for x in a])
    a = save("c8_be.npy", np.array([0.1 + 0.2j], dtype=">c8"))
    show("c8_be.npy", [str(x) for x in a])

    # Strings and void.
    a = save("bytes.npy", np.array([b"abc", b"a\x00b", b"\x01\xff", b""], dtype="S4"))
    show("bytes.npy", [repr(x) for x in a])
    a = save("unicode_be.npy", np.array(["h\u00e9llo", "", "\u6574\u5f62"], dtype=">U5"))
    show("unicode_be.npy", [str(x) for x in a])
    a = save("void.npy", np.array([b"\x01\x02\xab"], dtype="V3"))
    show("void.npy", [bytes(x).hex() for x in a])

    # Datetimes and timedeltas.
    a = save("m8ns.npy", np.array(["2024-01-02T03:04:05.123456789", "NaT", "1969-12-31T23:59:59.999999999"],
                                  dtype="<M8[ns]"))
    show("m8ns.npy", [str(x) for x in a])
    a = save("m8d.npy", np.array(["2024-02-29", "1970-01-01", "-0001-03-01", "12345-06-07"], dtype="<M8[D]"))
    show("m8d.npy", [str(x) for x in a])
    a = save("m8y_be.npy", np.array(["2024", "1969"], dtype=">M8[Y]"))
    show("m8y_be.npy", [str(x) for x in a])
    a = save("m8_25s.npy", np.array([3, 0], dtype="<M8[25s]"))
    show("m8_25s.npy", [str(x) for x in a])
    a = save("td_s.npy", np.array([5, -3, "NaT"], dtype="<m8[s]"))
    show("td_s.npy", [str(x) for x in a])

    # x86 long double 1.0: raw bytes (built from bytes, as its 6 padding bytes are uninitialised
    # memory in an array NumPy computes).
    a = save("f16.npy", np.frombuffer(bytes.fromhex("0000000000000080ff3f000000000000"), dtype="<f16"))
    show("f16.npy", [a.tobytes().hex()])

    # 0-d and empty arrays.
    a = save("scalar0d.npy", np.array(7.25))
    show("scalar0d.npy", str(a[()]))
    save("empty.npy", np.zeros((0,), dtype="<f8"))

    # A record with nested fields, a subarray field, strings and a bool.
    dt = np.dtype([("id", "<i8"), ("pos", [("x", "<f4"), ("y", "<f4")]), ("tag", "S4"),
                   ("name", "<U5"), ("v", "<i2", (3,)), ("ok", "?")])
    a = save("record_nested.npy", np.array([
        (1, (0.5, -1.25), b"ab", "x\u00e9", [1, 2, 3], True),
        (2, (1e-7, 3.0), b"", "", [-1, 0, 32767], False),
    ], dtype=dt))
    show("record_nested.npy", a.tolist())

    # A big-endian record with padding (aligned) and a 2-D subarray.
    dt = np.dtype([("a", ">i2"), ("b", ">f8"), ("m", ">u2", (2, 2))], align=True)
    # From zeros: np.array(..., align=True) leaves padding bytes uninitialised.
    a = np.zeros(1, dtype=dt)
    a[0] = (-2, 2.5, [[1, 2], [3, 4]])
    a = save("record_be_aligned.npy", a)
    show("record_be_aligned.npy descr", np.lib.format.dtype_to_descr(dt))
    show("record_be_aligned.npy", a.tolist())

    # A small table, as a Rust program logging rows would write it (the README's example).
    a = save("records.npy", np.array([(1, 0.5, "alpha"), (2, -1.25, "beta"), (3, 1e-3, "gamma")],
                                     dtype=[("id", "<i8"), ("x", "<f8"), ("label", "<U8")]))
    show("records.npy", a.tolist())

    # Explicit versions 2.0 and 3.0 (3.0: a non-latin-1 field name).
    with open(path("v2.npy"), "wb") as f:
        np.lib.format.write_array(f, np.array([1, 2, 3], dtype="<i2"), version=(2, 0))
    with warnings.catch_warnings():  # "Stored array in format 3.0": that is the point
        warnings.simplefilter("ignore", UserWarning)
        save("v3_unicode_field.npy", np.array([(1,)], dtype=[("\u6574\u5f62", "<i4")]))

    # Object array: the data is a pickle.
    np.save(path("object.npy"), np.array([1, "a"], dtype=object), allow_pickle=True)

    # Broken files, made from the NumPy-written ones.
    with open(path("f8.npy"), "rb") as f:
        good = f.read()
    with open(path("truncated.npy"), "wb") as f:
        f.write(good[:-5])
    with open(path("bad_magic.npy"), "wb") as f:
        f.write(b"\x93NUMPX" + good[6:])
    with open(path("bad_header.npy"), "wb") as f:
        f.write(good.replace(b"'fortran_order': False", b"'fortran_order': Maybe"))
    with open(path("header_only.npy"), "wb") as f:
        f.write(good[:20])

    # Check every good file loads in NumPy again (sanity).
    for name in sorted(os.listdir(OUT)):
        if name.endswith(".npy") and name not in {"truncated.npy", "bad_magic.npy", "bad_header.npy",
                                                  "header_only.npy", "object.npy"}:
            np.load(path(name))


def main():
    global OUT, QUIET
    if sys.argv[1:] == ["--check"]:
        QUIET = True
        with tempfile.TemporaryDirectory() as tmp:
            OUT = tmp
            write_all()
            fresh = sorted(n for n in os.listdir(tmp) if n.endswith(".npy"))
            kept = sorted(n for n in os.listdir(HERE) if n.endswith(".npy"))
            stale = [n for n in fresh if n not in kept or open(os.path.join(tmp, n), "rb").read()
                     != open(os.path.join(HERE, n), "rb").read()]
            stale += [n for n in kept if n not in fresh]
        if stale:
            print("out of date (run make_fixtures.py): " + ", ".join(stale), file=sys.stderr)
            sys.exit(1)
        print(f"{len(fresh)} fixtures up to date")
    elif sys.argv[1:]:
        sys.exit("usage: make_fixtures.py [--check]")
    else:
        write_all()


if __name__ == "__main__":
    main()
