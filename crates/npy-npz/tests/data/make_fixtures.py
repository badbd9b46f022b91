"""Writes the small .npz fixtures the npy-npz tests read, with real NumPy.

Run from anywhere with NumPy 2.4.6 (the repository's .venv):

    python crates/npy-npz/tests/data/make_fixtures.py          # (re)write the fixtures
    python crates/npy-npz/tests/data/make_fixtures.py --check  # exit 1 if any file would change

Every archive is written by np.savez / np.savez_compressed, except where a case needs what they
cannot make: a member that is not .npy data, a member literally named `dup` beside `dup.npy`, and
duplicate names are added with Python's zipfile (fixed 1980 timestamps, so the output is
deterministic); the broken archives are patched or cut copies of NumPy-written ones.

The arrays are the ones the Rust tests build themselves (tests/golden.rs), so that the stored
archives our writer makes can be compared with these byte for byte.
"""

import io
import os
import sys
import tempfile
import warnings
import zipfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = HERE


def path(name):
    return os.path.join(OUT, name)


def npy_bytes(array):
    buf = io.BytesIO()
    np.save(buf, array)
    return buf.getvalue()


def add_member(archive, name, data):
    """Appends a stored member with a fixed timestamp, as savez would date it."""
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.external_attr = 0o600 << 16
    with zipfile.ZipFile(archive, "a") as z:
        z.writestr(info, data)


class Unseekable(io.RawIOBase):
    """A write-only stream without seek or tell, like a pipe."""

    def __init__(self):
        self.chunks = []

    def writable(self):
        return True

    def write(self, b):
        self.chunks.append(bytes(b))
        return len(b)

    def value(self):
        return b"".join(self.chunks)


def mixed_arrays():
    """Keyword arrays (in this order) and positional ones, as tests/golden.rs builds them."""
    named = {
        "b": np.array([True, False, True]),
        "a": np.arange(4, dtype="<u2"),
        "weights": np.arange(6, dtype="<f8").reshape(2, 3) / 4,
    }
    positional = [
        np.array([1, -2, 3], dtype="<i4"),
        np.arange(6, dtype=">i8").reshape(3, 2),
        np.asfortranarray(np.arange(6, dtype="<f4").reshape(2, 3)),
    ]
    return named, positional


def write_all():
    named, positional = mixed_arrays()
    np.savez(path("mixed.npz"), *positional, **named)
    np.savez_compressed(path("mixed_compressed.npz"), *positional, **named)

    # One compressible member of 1 MiB: savez_compressed's deflate bytes (zlib level 6).
    ints = np.arange(1 << 17, dtype="<i8") % 1000
    np.savez_compressed(path("ints_compressed.npz"), ints=ints)

    # Names: a slash makes a folder on extract; `c.npy` is stored as `c.npy.npy`; non-ASCII
    # names set the UTF-8 flag.
    np.savez(path("names.npz"), **{"a/b": np.arange(2, dtype="<i2"), "c.npy": np.zeros(1),
                                    "\u00e9t\u00e9": np.ones(2, dtype="<f4")})

    # Records, strings, a 0-d and an empty array, datetimes.
    rec = np.array([(1, 2.5, b"ab"), (-3, 0.0, b"")],
                   dtype=[("id", "<i8"), ("x", "<f4"), ("tag", "S3")])
    np.savez(path("dtypes.npz"), rec=rec, scalar=np.array(7, dtype="<i4"),
             empty=np.zeros((0, 3), dtype="<f8"), text=np.array(["hi", "there"]),
             when=np.array(["2024-01-02", "NaT"], dtype="datetime64[D]"))

    # `dup` literal member beside `dup.npy`: 'dup' must resolve to the literal one.
    np.savez(path("dup.npz"), dup=np.arange(3, dtype="<i8"))
    add_member(path("dup.npz"), "dup", npy_bytes(np.array([9.5])))

    # The same zip name twice: the last one wins.
    np.savez(path("same_name.npz"), x=np.array([1], dtype="<i4"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns "Duplicate name"
        add_member(path("same_name.npz"), "x.npy", npy_bytes(np.array([2], dtype="<i4")))

    # A member that is not .npy data: np.load returns its bytes.
    np.savez(path("non_npy.npz"), values=np.arange(3, dtype="<u1"))
    add_member(path("non_npy.npz"), "meta.txt", b"hello")

    # Written to a stream that cannot seek: data descriptors after each member.
    stream = Unseekable()
    np.savez(stream, *positional, **named)
    with open(path("nonseekable.npz"), "wb") as f:
        f.write(stream.value())
    stream = Unseekable()
    np.savez_compressed(stream, ints=ints)
    with open(path("nonseekable_compressed.npz"), "wb") as f:
        f.write(stream.value())

    # An empty savez: only the end-of-central-directory record.
    np.savez(path("empty.npz"))

    # A flipped data byte: CRC mismatch on access (stored and deflated).
    arr = np.arange(16, dtype="<i4")
    for name, fn in [("corrupt_crc_stored.npz", np.savez),
                     ("corrupt_crc_deflated.npz", np.savez_compressed)]:
        buf = io.BytesIO()
        fn(buf, x=arr)
        data = bytearray(buf.getvalue())
        info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("x.npy")
        # Local header (30) + name + zip64 extra (20), then the member; flip a byte near its end.
        at = info.header_offset + 30 + len("x.npy") + 20 + info.compress_size - 5
        data[at] ^= 0x01
        with open(path(name), "wb") as f:
            f.write(bytes(data))

    # Cut short: the central directory and end record are gone.
    buf = io.BytesIO()
    np.savez(buf, x=arr)
    with open(path("truncated.npz"), "wb") as f:
        f.write(buf.getvalue()[:100])


def main():
    global OUT
    if sys.argv[1:] == ["--check"]:
        with tempfile.TemporaryDirectory() as tmp:
            OUT = tmp
            write_all()
            fresh = sorted(n for n in os.listdir(tmp) if n.endswith(".npz"))
            kept = sorted(n for n in os.listdir(HERE) if n.endswith(".npz"))
            stale = [n for n in fresh if n not in kept or open(os.path.join(tmp, n), "rb").read()
                     != open(os.path.join(HERE, n), "rb").read()]
            stale += [n for n in kept if n not in fresh]
        if stale:
            print("out of date (run make_fixtures.py): " + ", ".join(stale), file=sys.stderr)
            sys.exit(1)
        print(f"{len(fresh)} npz fixtures up to date")
    elif sys.argv[1:]:
        sys.exit("usage: make_fixtures.py [--check]")
    else:
        write_all()


if __name__ == "__main__":
    main()
