"""Sample-building helpers used inside recipe strings (so provenance stays short and exact).

These add to the golden generator's helpers (int_samples, float_samples, rec, assemble, ...),
which recipes use directly.
"""

import io
import struct
import warnings
import zipfile

import numpy as np


def bits(descr, patterns):
    """An array of dtype `descr` (a float or complex type) holding exactly these bit patterns:
    integers of the same width, reinterpreted (complex: real and imaginary interleaved)."""
    dt = np.dtype(descr)
    width = dt.itemsize if dt.kind == "f" else dt.itemsize // 2
    order = dt.byteorder if dt.byteorder in "<>" else "="
    return np.array(patterns, dtype=f"{order}u{width}").view(dt)


def x87(order, words):
    """x86-64 long doubles ('<f16' or '>f16') from (sign_exponent, mantissa, pad) triples: the
    10 significant bytes and 6 padding bytes as stored, padding included."""
    raw = b"".join(struct.pack("<QH", mantissa, sign_exp) + pad.to_bytes(6, "little")
                   for sign_exp, mantissa, pad in words)
    if order == ">":
        raw = b"".join(raw[i:i + 16][::-1] for i in range(0, len(raw), 16))
    return np.frombuffer(raw, dtype=f"{order}f16").copy()


def ticks(descr, count=None):
    """A datetime64/timedelta64 array of `descr` holding edge counts: 0, +-1, a typical date,
    int64's extremes next to NaT, and NaT itself."""
    vals = [0, 1, -1, 19782, 1234567890123, 2**63 - 1, -2**63 + 1, -2**63]
    if count is not None:
        vals = vals[:count]
    dt = np.dtype(descr)
    order = dt.byteorder if dt.byteorder in "<>" else "="
    return np.array(vals, dtype=f"{order}i8").view(dt)


def columns(dtype, **cols):
    """A record array from np.zeros with whole columns assigned: an array-to-array copy keeps
    each column's bytes (long double padding included), which assigning Python values would not."""
    n = len(next(iter(cols.values())))
    out = np.zeros(n, dtype)
    for name, col in cols.items():
        out[name] = col
    return out


def fortran(a):
    """np.asfortranarray(a), copying opaque void items so record padding keeps its bytes (a
    record copy made field by field leaves padding uninitialised)."""
    return np.asfortranarray(a.view(f"V{a.dtype.itemsize}")).view(a.dtype)


def patch(data, offset, value):
    """`data` with the bytes at `offset` replaced by `value` (negative offsets from the end)."""
    if offset < 0:
        offset += len(data)
    return data[:offset] + value + data[offset + len(value):]


def flip(data, offset, mask=0x01):
    """`data` with one byte XOR-ed (negative offsets from the end)."""
    if offset < 0:
        offset += len(data)
    return data[:offset] + bytes([data[offset] ^ mask]) + data[offset + 1:]


def saved(array, **kw):
    """The bytes np.save writes for `array`."""
    buf = io.BytesIO()
    np.save(buf, array, **kw)
    return buf.getvalue()


def write_array_bytes(array, version):
    """The bytes np.lib.format.write_array writes for `array` with an explicit version."""
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        np.lib.format.write_array(buf, array, version=version)
    return buf.getvalue()


def savez_bytes(*args, compressed=False, **kw):
    """The bytes np.savez (or np.savez_compressed) writes for these arrays."""
    buf = io.BytesIO()
    (np.savez_compressed if compressed else np.savez)(buf, *args, **kw)
    return buf.getvalue()


def member_data_offset(archive, name):
    """Where member `name`'s data starts in a zip archive (after its local header)."""
    info = zipfile.ZipFile(io.BytesIO(archive)).getinfo(name)
    name_len, extra_len = struct.unpack("<HH", archive[info.header_offset + 26:info.header_offset + 30])
    return info.header_offset + 30 + name_len + extra_len


def zip_with(members, compression=zipfile.ZIP_STORED):
    """A zip archive of (name, bytes) members written by Python's zipfile with the fixed 1980
    timestamp savez uses, for layouts np.savez cannot make."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=compression) as z:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = compression
            info.external_attr = 0o600 << 16
            z.writestr(info, data)
    return buf.getvalue()


def with_zip64_eocd(archive):
    """`archive` (no comment) with its end record replaced by a zip64 end-of-central-directory
    record, a zip64 locator and an end record whose counts, size and offset are all 0xFF..:
    the form a zip64 writer uses when the values overflow, which readers must follow."""
    eocd = archive[-22:]
    assert eocd[:4] == b"PK\x05\x06"
    _, _, _, entries, cd_size, cd_offset, _ = struct.unpack("<4H2LH", eocd[4:])
    body = archive[:-22]
    zip64_offset = len(body)
    record = struct.pack("<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, entries, entries,
                         cd_size, cd_offset)
    locator = struct.pack("<4sLQL", b"PK\x06\x07", 0, zip64_offset, 1)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    return body + record + locator + end


def exported():
    return {name: obj for name, obj in globals().items()
            if callable(obj) and not name.startswith("_") and obj.__module__ == __name__}
