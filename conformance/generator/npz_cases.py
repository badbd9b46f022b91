""".npz archives: np.savez / np.savez_compressed output, archives written to a non-seekable
stream, a few layouts only other writers produce, and archives NumPy refuses.

`writer` names the call that rebuilds an archive from its value documents for the canonical
check ('savez', 'savez_compressed', with '-nonseekable' for a stream that cannot seek); None for
hand-made archives.
"""


def valid(c):
    def savez(name, recipe, writer="savez", note=None, tags=()):
        c.raw("npz", name, recipe, fmt="npz", writer=writer, expect="valid", note=note,
              tags=[*tags, f"writer:np.{writer.split('-')[0]}"])

    savez("savez-single", "np.savez(f, x=np.arange(5, dtype='<i8'))")
    savez("savez-keywords", "np.savez(f, b=np.array([True, False, True]), a=np.arange(4, dtype='<u2'), "
          "weights=np.arange(6, dtype='<f8').reshape(2, 3) / 4)",
          note="members in keyword order, not sorted")
    savez("savez-positional", "np.savez(f, np.array([1, -2, 3], dtype='<i4'), "
          "np.arange(6, dtype='>i8').reshape(3, 2), np.array(0.5, dtype='<f2'))",
          note="positional arrays become arr_0, arr_1, ...")
    savez("savez-mixed", "np.savez(f, np.array([1.5]), np.array([b'x']), y=np.array([2], dtype='<i2'))",
          note="keyword arrays first, then arr_0, arr_1")
    savez("savez-empty", "np.savez(f)", note="no members: only the end-of-central-directory record")
    savez("savez-compressed-single", "np.savez_compressed(f, x=np.arange(5, dtype='<i8'))",
          writer="savez_compressed")
    savez("savez-compressed-mixed", "np.savez_compressed(f, np.arange(6, dtype='<f4').reshape(2, 3), "
          "flags=np.array([True, False]), text=np.array(['\\u6574', 'ab'], dtype='>U2'))",
          writer="savez_compressed")
    savez("savez-compressed-repetitive", "np.savez_compressed(f, ints=np.arange(2048, dtype='<i8') % 10)",
          writer="savez_compressed", note="compresses well: the member is far smaller than its data")
    savez("name-with-slash", "np.savez(f, **{'a/b': np.arange(2, dtype='<i2')})",
          note="a slash in a member name (a folder when extracted)")
    savez("name-with-npy-suffix", "np.savez(f, **{'c.npy': np.zeros(1)})",
          note="stored as c.npy.npy; np.load calls it c.npy")
    savez("name-non-ascii", "np.savez(f, **{'\\xe9t\\xe9': np.ones(2, dtype='<f4'), '\\u6574\\u5f62': np.arange(2, dtype='u1')})",
          note="non-ASCII member names set the zip UTF-8 flag")
    savez("name-with-spaces-and-dots", "np.savez(f, **{'my array.v2 ': np.array([1, 2], dtype='>u4')})")
    savez("member-record", "np.savez(f, rec=rec([('id', '<i8'), ('x', '<f4'), ('tag', 'S3')], [(1, 2.5, b'ab'), (-3, 0.0, b'')]))")
    savez("member-fortran", "np.savez(f, m=np.asfortranarray(np.arange(6, dtype='<f4').reshape(2, 3)))")
    savez("member-0d-and-empty", "np.savez(f, scalar=np.array(7, dtype='<i4'), empty=np.zeros((0, 3), dtype='<f8'))")
    savez("member-datetime", "np.savez(f, when=np.array(['2024-01-02', 'NaT'], dtype='datetime64[D]'))")
    savez("member-v3-header", "np.savez(f, r=rec([('\\u6574', '<i2')], [(5,)]))",
          note="a member whose header NumPy writes as version 3.0")
    savez("nonseekable-stored", "f = NonSeekable(); np.savez(f, a=np.arange(3, dtype='<i4'), b=np.array([1.5, -2.0]))",
          writer="savez-nonseekable",
          note="written to a stream that cannot seek: each member is followed by a data descriptor")
    savez("nonseekable-deflated", "f = NonSeekable(); np.savez_compressed(f, ints=np.arange(64, dtype='<i8') % 7)",
          writer="savez_compressed-nonseekable", note="as nonseekable-stored, deflated")

    def hand(name, recipe, note, tags=()):
        c.raw("npz", name, recipe, fmt="npz", expect="valid", note=note, tags=["hand-made", *tags])

    hand("member-header-over-default-limit",
         "zip_with([('x.npy', saved(rec([('x' * 10000, 'u1')], [(1,)])))])",
         "a member whose header np.load refuses with its default max_header_size", ["npz:member"])
    hand("zip64-end-records", "with_zip64_eocd(savez_bytes(x=np.arange(3, dtype='<i4'), y=np.array([True])))",
         note="zip64 end-of-central-directory record and locator, with the classic end record's "
              "fields all 0xFF..: a reader must follow the zip64 record")
    hand("member-without-npy-suffix", "zip_with([('raw', saved(np.arange(3, dtype='<i2')))])",
         note="a member named without .npy that holds .npy data loads under its own name")
    hand("zipfile-no-zip64-extra", "zip_with([('x.npy', saved(np.arange(4, dtype='<u2')))])",
         note="a stored member without the zip64 extra field np.savez always adds (older writers)",
         tags=["legacy"])
    hand("zipfile-deflated",
         "zip_with([('x.npy', saved(np.arange(100, dtype='<i4') % 3))], compression=zipfile.ZIP_DEFLATED)",
         note="a deflated member written by Python's zipfile directly")


def invalid(c):
    def bad(name, recipe, tags, note=None):
        c.raw("npz", name, recipe, fmt="npz", expect="invalid", note=note, tags=["hand-made", *tags])

    arr = "np.arange(16, dtype='<i4')"
    bad("crc-stored", f"flip(savez_bytes(x={arr}), member_data_offset(savez_bytes(x={arr}), 'x.npy') + 130)",
        ["npz:crc"], note="one data byte flipped: the CRC-32 no longer matches")
    bad("crc-deflated", f"flip(savez_bytes(x={arr}, compressed=True), "
        f"member_data_offset(savez_bytes(x={arr}, compressed=True), 'x.npy') + 40, 0x10)",
        ["npz:crc"], note="one byte of the deflate stream flipped")
    bad("truncated-no-central-directory", f"savez_bytes(x={arr})[:100]", ["npz:truncated"])
    bad("truncated-end-record", f"savez_bytes(x={arr})[:-5]", ["npz:truncated"])
    bad("member-truncated-npy", "zip_with([('x.npy', saved(np.arange(4, dtype='<i8'))[:-3])])",
        ["npz:member"], note="the archive is sound; the member's .npy data is short")
    bad("member-bad-header", "zip_with([('x.npy', assemble(\"{'descr': '<i4', 'shape': (3,), }\", i4(1, 2, 3)))])",
        ["npz:member"])
    bad("member-object", "np.savez(f, x=np.array([1, None], dtype=object))", ["npz:member", "object"],
        note="np.savez pickles object arrays by default; np.load refuses them without allow_pickle")
    bad("second-member-bad", "zip_with([('a.npy', saved(np.arange(2, dtype='<i2'))), "
        "('b.npy', saved(np.arange(2, dtype='<i2'))[:100])])", ["npz:member"],
        note="the first member is fine; every member is read")
    bad("local-name-mismatch", f"patch(savez_bytes(x={arr}), 30, b'y')", ["npz:structure"],
        note="the local header names y.npy, the central directory x.npy")
    bad("central-directory-offset-wrong", f"patch(savez_bytes(x={arr}), -6, b'\\x01\\x00\\x00\\x00')",
        ["npz:structure"], note="the end record puts the central directory at offset 1")
    bad("not-a-zip", "b'PK\\x03\\x04' + bytes(60)", ["npz:structure"],
        note="a local file header signature and nothing else")


def add_all(c):
    valid(c)
    invalid(c)
