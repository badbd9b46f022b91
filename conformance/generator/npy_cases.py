""".npy cases written by NumPy (np.save, or write_array with an explicit version), beyond the
golden set: edge bit patterns, every datetime unit in both byte orders, strings, shapes, memory
orders, records, versions, header padding and the header size limit.
"""


ORDERS = (("<", "little"), (">", "big"))

# IEEE binary16/32/64: (total bits, exponent bits)
FLOAT_FORMATS = {"f2": (16, 5), "f4": (32, 8), "f8": (64, 11)}

DATETIME_UNITS = {"Y": "years", "M": "months", "W": "weeks", "D": "days", "h": "hours",
                  "m": "minutes", "s": "s", "ms": "ms", "us": "us", "ns": "ns", "ps": "ps",
                  "fs": "fs", "as": "as"}


def special_floats(code):
    """(NaN payload patterns, subnormal and boundary patterns) for an IEEE float code."""
    total, exp_bits = FLOAT_FORMATS[code]
    mant_bits = total - 1 - exp_bits
    sign = 1 << (total - 1)
    exp = ((1 << exp_bits) - 1) << mant_bits
    quiet = 1 << (mant_bits - 1)
    nans = [exp | quiet, exp | quiet | 1, exp | 1, exp | (quiet - 1), sign | exp | quiet,
            sign | exp | 1, (1 << total) - 1]
    subnormals = [1, quiet, (1 << mant_bits) - 1, sign | 1, sign | ((1 << mant_bits) - 1),
                  1 << mant_bits, sign]
    return nans, subnormals


def hexlist(patterns):
    return "[" + ", ".join(f"0x{p:x}" for p in patterns) + "]"


# x87 extended precision as (sign_exponent, mantissa, padding) words; see samples.x87
X87_EDGES = [
    (0x7FFE, 0xFFFFFFFFFFFFFFFF, 0), (0xFFFE, 0xFFFFFFFFFFFFFFFF, 0),  # +-max
    (0x0001, 0x8000000000000000, 0), (0x0000, 0x0000000000000001, 0),  # min normal, min subnormal
    (0x0000, 0x7FFFFFFFFFFFFFFF, 0), (0x8000, 0x0000000000000000, 0),  # max subnormal, -0
    (0x7FFF, 0x8000000000000000, 0), (0xFFFF, 0x8000000000000000, 0),  # +-inf
    (0x7FFF, 0xC000000000000000, 0), (0x7FFF, 0x8000000000000001, 0),  # quiet NaN, signalling NaN
    (0xFFFF, 0xC000000000000123, 0), (0x0000, 0x8000000000000001, 0),  # NaN payload, pseudo-denormal
    (0x4000, 0x0000000000000001, 0), (0x3FFF, 0x8000000000000000, 0),  # unnormal, 1.0
]


def x87_recipe(order, words, view=None):
    text = ", ".join(f"(0x{s:04x}, 0x{m:016x}, 0x{p:x})" for s, m, p in words)
    recipe = f"x87('{order}', [{text}])"
    return recipe + (f".view('{order}{view}')" if view else "")


def scalars(c):
    for order, word in ORDERS:
        for code in FLOAT_FORMATS:
            nans, subnormals = special_floats(code)
            c.save("scalars", f"{code}-nan-payloads-{word}", f"bits('{order}{code}', {hexlist(nans)})",
                   expect="valid", note="quiet and signalling NaNs with payloads, both signs")
            c.save("scalars", f"{code}-subnormals-{word}",
                   f"bits('{order}{code}', {hexlist(subnormals)})", expect="valid",
                   note="smallest, middle and largest subnormals, both signs, the smallest "
                        "normal and -0.0")
        for code, half in (("c8", "f4"), ("c16", "f8")):
            nans, subnormals = special_floats(half)
            pairs = [nans[0], subnormals[0], subnormals[3], nans[2], nans[4], nans[6]]
            c.save("scalars", f"{code}-nan-payloads-{word}", f"bits('{order}{code}', {hexlist(pairs)})",
                   expect="valid", note="NaN payloads and subnormals in either component")
        c.save("scalars", f"f16-edges-{word}", x87_recipe(order, X87_EDGES), expect="valid",
               note="x87 extremes, subnormals, NaNs, and the pseudo-denormal and unnormal "
                    "encodings the 80-bit format allows")
        c.save("scalars", f"c32-edges-{word}", x87_recipe(order, X87_EDGES, "c32"), expect="valid")
        c.save("scalars", f"f16-padding-bytes-{word}",
               x87_recipe(order, [(0x3FFF, 0x8000000000000000, 0x0123456789AB),
                                  (0xC000, 0xC000000000000000, 0xFFFFFFFFFFFF)]),
               expect="valid",
               note="the 6 bytes after the 80-bit value are not zero: values keep them as stored")


def datetimes(c):
    for kind, word in (("M8", "datetime"), ("m8", "timedelta")):
        for unit, unit_word in DATETIME_UNITS.items():
            for order, oword in ORDERS:
                c.save("datetime", f"{word}-{unit_word}-{oword}", f"ticks('{order}{kind}[{unit}]')",
                       expect="valid")
        for order, oword in ORDERS:
            c.save("datetime", f"{word}-generic-{oword}", f"ticks('{order}{kind}')", expect="valid",
                   note="no unit: the generic form NumPy writes as '<M8' / '<m8'")
    for descr, name in (("<M8[10ms]", "datetime-10ms-little"), (">M8[10ms]", "datetime-10ms-big"),
                        ("<m8[25s]", "timedelta-25s-little"), (">m8[25s]", "timedelta-25s-big"),
                        ("<M8[2D]", "datetime-2-days-little"), ("<m8[3h]", "timedelta-3-hours-little"),
                        (">M8[100ns]", "datetime-100ns-big"), ("<m8[7W]", "timedelta-7-weeks-little"),
                        ("<M8[1000as]", "datetime-1000as-little"),
                        (">m8[60s]", "timedelta-60s-big")):
        c.save("datetime", name, f"ticks('{descr}')", expect="valid",
               note="a unit with a multiplier, kept as written")
    c.save("datetime", "datetime-nat-only", "np.array(['NaT', 'NaT', 'NaT'], dtype='>M8[ns]')",
           expect="valid")
    c.save("datetime", "timedelta-nat-only", "np.array(['NaT'], dtype='<m8[s]')", expect="valid")
    c.save("datetime", "datetime-from-strings",
           "np.array(['2024-02-29T12:34', 'NaT', '1970-01-01T00:00', '1677-09-21T00:13'], "
           "dtype='<M8[m]')", expect="valid")
    c.save("datetime", "datetime-0d", "np.array(np.datetime64('2038-01-19T03:14:08', 's'))",
           expect="valid")


def strings(c):
    c.save("strings", "bytes-s1-every-byte", "np.arange(256, dtype='u1').view('S1')", expect="valid",
           note="b'\\x00' reads back as b'' (trailing NULs are stripped)")
    c.save("strings", "bytes-nul-placement",
           "np.array([b'a\\x00\\x00\\x00', b'\\x00\\x00\\x00a', b'\\x00a\\x00\\x00', b'', b'\\x00'], dtype='S4')",
           expect="valid", note="only trailing NULs are stripped; leading and inner ones stay")
    c.save("strings", "bytes-2d", "np.array([[b'ab', b''], [b'\\xff\\xfe', b'x']], dtype='S2')",
           expect="valid")
    for order, word in ORDERS:
        c.save("strings", f"unicode-planes-{word}",
               f"np.array(['a', '\\xe9', '\\u0100', '\\u6574', '\\U0001F600', '\\U0010FFFF'], dtype='{order}U1')",
               expect="valid", note="one code point from each range: ASCII, latin-1, BMP, astral, the last")
        c.save("strings", f"unicode-latin1-{word}", f"np.array(['caf\\xe9', '\\xff\\xfe\\xa0', 'na\\xefve'], dtype='{order}U5')",
               expect="valid")
    c.save("strings", "unicode-nul-placement", "np.array(['a\\x00b', '\\x00ab', 'ab\\x00', '\\x00'], dtype='<U4')",
           expect="valid", note="only trailing NULs are stripped")
    c.save("strings", "unicode-combining", "np.array(['e\\u0301', '\\u0915\\u094d\\u0937', '\\u05e9\\u05b8\\u05c1'], dtype='<U3')",
           expect="valid", note="combining marks stay separate code points (no normalisation)")
    c.save("strings", "unicode-long", "np.array(['\\u6574' * 150 + 'x', ''], dtype='>U151')",
           expect="valid")
    c.save("strings", "void-every-byte", "np.frombuffer(bytes(range(256)), dtype='V16')",
           expect="valid")
    c.save("strings", "void-v1", "np.frombuffer(b'\\x00\\x7f\\x80\\xff', dtype='V1')", expect="valid")
    c.save("strings", "void-trailing-zeros", "np.frombuffer(b'\\x01\\x00\\x00\\x00' + bytes(4), dtype='V4')",
           expect="valid", note="void keeps every byte, zeros included")


def shapes(c):
    c.save("shapes", "0x3-f8", "np.zeros((0, 3), dtype='<f8')", expect="valid")
    c.save("shapes", "3x0-f8", "np.zeros((3, 0), dtype='>f8')", expect="valid")
    c.save("shapes", "2x0x3-i2", "np.zeros((2, 0, 3), dtype='<i2')", expect="valid")
    c.save("shapes", "empty-unicode", "np.zeros(0, dtype='<U3')", expect="valid")
    c.save("shapes", "empty-bytes", "np.zeros(0, dtype='S2')", expect="valid")
    c.save("shapes", "empty-bool", "np.zeros(0, dtype='?')", expect="valid")
    c.save("shapes", "empty-record", "np.zeros(0, dtype=[('a', '<i4'), ('b', 'S2')])", expect="valid")
    c.save("shapes", "4d", "np.arange(120, dtype='<i2').reshape(2, 3, 4, 5)", expect="valid")
    c.save("shapes", "5d-big", "np.arange(72, dtype='>f4').reshape(2, 3, 1, 4, 3) / 4", expect="valid")
    c.save("shapes", "1x1x1", "np.array([[[7]]], dtype='<u8')", expect="valid")
    c.save("shapes", "0d-bool", "np.array(True)", expect="valid")
    c.save("shapes", "0d-u8-big", "np.array(2**64 - 1, dtype='>u8')", expect="valid")
    c.save("shapes", "0d-c16", "np.array(1 - 2j, dtype='<c16')", expect="valid")
    c.save("shapes", "0d-bytes", "np.array(b'ab\\x00c')", expect="valid")
    c.save("shapes", "0d-unicode-big", "np.array('\\u6574x', dtype='>U2')", expect="valid")
    c.save("shapes", "0d-void", "np.array(np.void(b'\\x01\\x02\\x00'))", expect="valid")
    c.save("shapes", "0d-timedelta", "np.array(np.timedelta64(-5, 'ms'))", expect="valid")
    c.save("shapes", "0d-longdouble", x87_recipe("<", [(0x3FFF, 0x8000000000000000, 0)]) + ".reshape(())",
           expect="valid")
    c.save("shapes", "0d-f2-nan", "bits('<f2', [0x7e01]).reshape(())", expect="valid")


def orders(c):
    c.save("order", "fortran-bytes",
           "np.asfortranarray(np.array([[b'a', b'bc', b''], [b'\\x00d', b'e', b'fgh']], dtype='S3'))",
           expect="valid")
    c.save("order", "fortran-void", "np.asfortranarray(np.frombuffer(bytes(range(24)), dtype='V4').reshape(2, 3))",
           expect="valid")
    c.save("order", "fortran-datetime", "np.asfortranarray(ticks('>M8[s]', 6).reshape(2, 3))",
           expect="valid")
    c.save("order", "fortran-bool", "np.asfortranarray(np.array([[True, False, True], [False, False, True]]))",
           expect="valid")
    c.save("order", "fortran-4d", "np.asfortranarray(np.arange(120, dtype='<i4').reshape(2, 3, 4, 5))",
           expect="valid")
    c.save("order", "fortran-5d-transposed-big", "np.arange(48, dtype='>i8').reshape(2, 2, 3, 2, 2).T",
           expect="valid")
    c.save("order", "fortran-2x1x3", "np.asfortranarray(np.arange(6, dtype='<u2').reshape(2, 1, 3))",
           expect="valid", note="a length-1 axis in the middle: F-contiguous, not C-contiguous")
    c.save("order", "fortran-longdouble", "np.asfortranarray(long_double_samples('<f16')[:6].reshape(2, 3))",
           expect="valid")
    c.save("order", "fortran-nested-record",
           "np.asfortranarray(rec([('x', '<i2'), ('inner', [('p', '<f4'), ('q', 'S2')])], "
           "[(i, (i / 2, b'ab'[:i % 3])) for i in range(6)]).reshape(3, 2))", expect="valid")
    c.save("order", "fortran-subarray-record",
           "np.asfortranarray(rec([('v', '<f8', (2,)), ('s', '<U2')], "
           "[([i, -i], 'a\\xe9'[:i % 3]) for i in range(6)]).reshape(2, 3))", expect="valid")
    c.save("order", "fortran-aligned-record",
           "fortran(rec(np.dtype([('a', 'u1'), ('b', '>f8'), ('c', '<i2', (2,))], align=True), "
           "[(i, i / 4, [i, -i]) for i in range(6)]).reshape(2, 3))", expect="valid",
           note="an aligned record (zero padding) in Fortran order")
    c.save("order", "fortran-unicode-big",
           "np.asfortranarray(np.array([['\\u6574', 'ab'], ['', '\\U0001F600'], ['x', 'yz']], dtype='>U2'))",
           expect="valid")


def records(c):
    c.save("records", "longdouble-fields",
           "columns([('x', '<f16'), ('z', '>c32')], x=long_double_samples('<f16')[:2], "
           "z=long_double_samples('>c32')[:2])", expect="valid")
    c.save("records", "non-latin1-values",
           "rec([('name', '<U4'), ('tag', 'S2')], [('\\u6574\\u5f62', b'\\xff'), ('', b'')])",
           expect="valid", note="non-latin-1 text in values does not change the header: version 1.0")
    c.save("records", "aligned-subarray",
           "rec(np.dtype([('a', 'u1'), ('b', '<f8', (2,)), ('c', '<i2')], align=True), [(1, [2, 3], 4)])",
           expect="valid")
    c.save("records", "aligned-titles",
           "rec(np.dtype({'names': ['a', 'b'], 'formats': ['u1', '<i4'], 'titles': ['A', 'B']}, align=True), [(1, 2)])",
           expect="valid")
    c.save("records", "latin1-title", "rec([(('caf\\xe9 title', 'x'), '<i2')], [(5,)])", expect="valid")
    c.save("records", "empty-name-field",
           "rec({'names': ['a', '', 'b'], 'formats': ['<i4', '<i2', 'u1']}, [(1, 2, 3)])",
           expect="valid", note="a field named '' that is not void padding is data")
    c.save("records", "nested-3-levels",
           "rec([('a', [('b', [('c', '<i2'), ('d', '>f4')]), ('e', 'u1')])], [(((1, 2.5), 3),), (((-1, -0.0), 255),)])",
           expect="valid")
    c.save("records", "subarray-3d-field", "rec([('m', '<u2', (2, 2, 2))], [(np.arange(8).reshape(2, 2, 2),)])",
           expect="valid")
    c.save("records", "2d-array", "rec([('a', '>i4'), ('b', 'S1')], [(i, b'abcdef'[i:i + 1]) for i in range(6)]).reshape(2, 3)",
           expect="valid")


def versions(c):
    c.save("versions", "explicit-v2-f8-big-2d", "np.arange(6, dtype='>f8').reshape(2, 3) / 8",
           version=(2, 0), expect="valid")
    c.save("versions", "explicit-v3-c16", "complex_samples('<c16')", version=(3, 0), expect="valid")
    c.save("versions", "explicit-v3-empty", "np.zeros((0,), dtype='<u4')", version=(3, 0), expect="valid")
    c.save("versions", "explicit-v2-bytes-0d", "np.array(b'v2')", version=(2, 0), expect="valid")
    c.save("versions", "explicit-v3-non-latin1-name", "rec([('\\u6574', '<i2')], [(7,)])", version=(3, 0),
           expect="valid", note="what np.save picks for this array anyway")
    c.save("versions", "np-save-v3-for-title", "rec([(('\\u6574', 'a'), '<i4')], [(1,)])", expect="valid",
           note="a non-latin-1 title forces version 3.0 as a field name does")


def trailing_spaces(data):
    """Spaces before the header's newline (growth-axis spaces + alignment padding)."""
    end = data.index(b"\n", 8)
    return end - len(data[:end].rstrip(b" "))


def name_length_for(c, padding, version):
    """The shortest field name length k (from 1) for which a one-field record of shape (1,)
    gets exactly `padding` alignment spaces (after the 20 growth-axis spaces)."""
    for k in range(1, 200):
        expr = f"rec([('x' * {k}, 'u1')], [(1,)])"
        recipe = (f"np.save(f, {expr})" if version is None
                  else f"np.lib.format.write_array(f, {expr}, version={version!r})")
        if trailing_spaces(c.run(recipe)) - 20 == padding:
            return k
    raise RuntimeError(f"no name length gives {padding} padding spaces")


def padding(c):
    for pad in (1, 64):
        for version, vword in ((None, "v1"), ((2, 0), "v2"), ((3, 0), "v3")):
            k = name_length_for(c, pad, version)
            c.save("padding", f"align-{pad}-spaces-{vword}", f"rec([('x' * {k}, 'u1')], [(1,)])",
                   version=version, expect="valid",
                   note=f"{pad} alignment space{'s' if pad > 1 else ''} after the growth-axis "
                        f"spaces (NumPy pads 1 to 64, never 0)")
    c.save("padding", "growth-19-digits", "np.zeros((2**63 - 1, 0), dtype='|u1')", expect="valid",
           note="the growth axis has 19 digits, so 2 growth spaces")
    c.save("padding", "growth-0d", "np.array(5, dtype='<i2')", expect="valid",
           note="0-d arrays get no growth-axis spaces")
    c.save("padding", "growth-1-digit-big-header",
           "rec([('name_' + str(i), '<i4') for i in range(12)], [tuple(range(12))])", expect="valid",
           note="a header spanning several 64-byte blocks")


def header_limit(c):
    """np.save output around NumPy's default max_header_size (10000 characters)."""
    best = None
    for k in range(9800, 10000):
        data = c.run(f"np.save(f, rec([('x' * {k}, 'u1')], [(1,)]))")
        header_len = int.from_bytes(data[8:10], "little")
        if header_len <= 10000:
            best = (k, header_len)
        else:
            break
    k, header_len = best
    c.save("header", f"np-save-header-{header_len}", f"rec([('x' * {k}, 'u1')], [(1,)])",
           tags=["header-limit"], expect="valid",
           note=f"the largest header np.save writes that np.load reads by default: HEADER_LEN "
                f"{header_len} of at most 10000")
    c.save("header", f"np-save-header-{header_len + 64}", f"rec([('x' * {k + 1}, 'u1')], [(1,)])",
           tags=["header-limit"], expect="valid",
           note="one more name character: np.save writes it, np.load refuses it by default "
                "(max_header_size=10000)")
    c.raw("header", "v2-header-over-default-limit",
          "assemble(\"{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }\" + ' ' * 10000, "
          "i4(1, 2, 3), version=(2, 0))", tags=["header-limit", "hand-made"], expect="valid",
          note="a version 2.0 header of 10064 bytes, mostly spaces")
    c.raw("header", "v1-over-default-limit-by-padding",
          "assemble(\"{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }\", i4(1, 2, 3), "
          "align=16384)", tags=["header-limit", "hand-made"], expect="valid",
          note="a short dict followed by 16k spaces of padding")
    c.save("header", "v3-limit-counts-characters", "rec([('\\u6574' * 3400, 'u1')], [(1,)])",
           tags=["header-limit"], expect="valid",
           note="over 10000 bytes of UTF-8 but fewer than 10000 characters: NumPy's limit "
                "counts decoded characters")


def add_all(c):
    scalars(c)
    datetimes(c)
    strings(c)
    shapes(c)
    orders(c)
    records(c)
    versions(c)
    padding(c)
    header_limit(c)
