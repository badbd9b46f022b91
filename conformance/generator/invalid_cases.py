"""Malformed .npy files beyond the golden set, and a few more legacy layouts NumPy still reads.

Each invalid recipe breaks one thing in an otherwise good file; NumPy's refusal is recorded by
the corpus, never written here. `expect` only guards against a recipe that stopped breaking.
"""

GOOD = "{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }"


def header(text):
    """A hand-assembled version 1.0 file with header `text` and three <i4 values."""
    return f"assemble({text!r}, i4(1, 2, 3))"


def truncated(c):
    def cut(name, recipe, what, note=None):
        c.raw("truncated", name, recipe, tags=[f"truncated:{what}"], expect="invalid", note=note)

    cut("magic-6-bytes", "b'\\x93NUMPY'", "magic",
        note="the 6-byte prefix passes np.load's sniffing; the version bytes are missing")
    cut("length-v3", "write_array_bytes(np.arange(3, dtype='<i8'), (3, 0))[:10]", "length")
    cut("header-v2", "write_array_bytes(np.arange(3, dtype='<i8'), (2, 0))[:50]", "header")
    cut("header-v3", "write_array_bytes(rec([('\\u6574', '<i2')], [(1,)]), (3, 0))[:100]", "header")
    cut("header-before-newline", "saved(np.arange(3, dtype='<i8'))[:127]", "header",
        note="everything but the header's final newline")
    cut("data-missing-0d", "saved(np.array(1.5))[:128]", "data", note="a 0-d array still has one element")
    cut("data-fortran", "saved(np.asfortranarray(np.arange(6, dtype='<i4').reshape(2, 3)))[:-5]", "data")
    cut("data-record", "saved(rec([('a', '<i4'), ('b', '<f8')], [(1, 2.5), (3, 4.5)]))[:-1]", "data")
    cut("data-mid-longdouble", "saved(long_double_samples('<f16'))[:-8]", "data")
    cut("data-unicode", "saved(np.array(['ab', 'c'], dtype='<U2'))[:-2]", "data")
    cut("data-v3", "write_array_bytes(np.arange(4, dtype='>u2'), (3, 0))[:-1]", "data")
    cut("data-2d-whole-row", "saved(np.arange(12, dtype='>i8').reshape(3, 4))[:-32]", "data")


def headers(c):
    def bad(name, recipe, tags, note=None, topic="header"):
        c.raw(topic, name, recipe, tags=[*tags, "hand-made"], expect="invalid", note=note)

    bad("header-len-zero", "b'\\x93NUMPY\\x01\\x00\\x00\\x00' + i4(1, 2, 3)", ["header:syntax"],
        note="HEADER_LEN 0: an empty header")
    bad("only-newline", header(""), ["header:syntax"], note="spaces and a newline, no dict")
    bad("missing-descr", header("{'fortran_order': False, 'shape': (3,), }"), ["header:keys"])
    bad("missing-shape", header("{'descr': '<i4', 'fortran_order': False, }"), ["header:keys"])
    bad("key-capitalised", header("{'Descr': '<i4', 'fortran_order': False, 'shape': (3,), }"),
        ["header:keys"])
    # one element: the repr of a larger set depends on string hashing, which varies per process
    bad("header-is-set", header("{'descr'}"), ["header:keys"])
    bad("header-is-tuple", header("('<i4', False, (3,))"), ["header:keys"])
    bad("fortran-order-lowercase", header("{'descr': '<i4', 'fortran_order': false, 'shape': (3,), }"),
        ["header:syntax"], note="a bare name is not a Python literal")
    bad("fortran-order-one", header("{'descr': '<i4', 'fortran_order': 1, 'shape': (3,), }"),
        ["header:fortran-order"])
    bad("shape-none", header("{'descr': '<i4', 'fortran_order': False, 'shape': None, }"), ["shape"],
        topic="shape")
    bad("shape-too-few-elements", header("{'descr': '<i4', 'fortran_order': False, 'shape': (4,), }"),
        ["shape", "truncated:data"], topic="shape",
        note="the shape asks for one element more than the data holds")
    bad("shape-mixed-types", header("{'descr': '<i4', 'fortran_order': False, 'shape': (3, 'a'), }"),
        ["shape"], topic="shape")
    bad("descr-object-hand-made", "assemble(\"{'descr': '|O', 'fortran_order': False, 'shape': (1,), }\", b'garbage')",
        ["object"], topic="object", note="refused before the (not even pickled) data is looked at")
    bad("descr-bad-byteorder", header("{'descr': '!i4', 'fortran_order': False, 'shape': (3,), }"),
        ["descr"], topic="descr")
    bad("descr-negative-multiplier", header("{'descr': '<M8[-1s]', 'fortran_order': False, 'shape': (3,), }"),
        ["descr"], topic="descr")
    bad("descr-record-shape-not-tuple", "assemble(\"{'descr': [('a', '<i4'), ('b', '<i4', 'x')], "
        "'fortran_order': False, 'shape': (1,), }\", i4(1, 2))", ["descr"], topic="descr")
    bad("descr-dict", "assemble(\"{'descr': {'names': ['a'], 'formats': ['<i4']}, 'fortran_order': False, "
        "'shape': (1,), }\", i4(1))", ["descr"], topic="descr",
        note="np.dtype accepts a dict, but a descr is a string, tuple or list")
    # Corpus.save passes allow_pickle=False, which refuses object arrays: these are spelled out
    c.raw("object", "object-0d", "np.save(f, np.array(None, dtype=object), allow_pickle=True)",
          tags=["object", "writer:np.save"], expect="invalid")
    c.raw("object", "object-nested-record-field",
          "np.save(f, np.zeros(2, dtype=[('a', [('b', 'O')])]), allow_pickle=True)",
          tags=["object", "writer:np.save"], expect="invalid")


def legacy(c):
    def old(name, recipe, note=None):
        c.raw("legacy", name, recipe, tags=["hand-made", "legacy"], expect="valid", note=note)

    old("extra-spaces",
        header("{ 'descr' :  '<i4' ,  'fortran_order' : False ,\t'shape' : ( 3 , ) , }"),
        note="spaces and a tab around every token")
    old("legacy16-0d", "legacy16(\"{'descr': '<f8', 'fortran_order': False, 'shape': (), }\", "
        "np.array(2.5).tobytes())")
    old("legacy16-unicode-big", "legacy16(\"{'descr': '>U2', 'fortran_order': False, 'shape': (2,), }\", "
        "np.array(['ab', '\\xe9'], dtype='>U2').tobytes())")
    old("legacy16-empty", "legacy16(\"{'descr': '<f4', 'fortran_order': False, 'shape': (0,), }\")")
    old("py2-long-0d-record", "legacy16(\"{'descr': [('x', '<i8'), ('y', '|S1')], 'fortran_order': False, "
        "'shape': (2L, 1L)}\", np.arange(2, dtype='<i8')[:1].tobytes() + b'a' + "
        "np.arange(2, dtype='<i8')[1:].tobytes() + b'b')",
        note="Python 2 longs in a two-dimensional shape of records")
    old("pprint-record", "legacy16(\"{'descr': [('a', '<i2'), ('b', '<f4')],\\n 'fortran_order': False,\\n "
        "'shape': (1,)}\", np.array([3], dtype='<i2').tobytes() + np.array([0.5], dtype='<f4').tobytes())",
        note="a pprint-era header with a record descr")


def add_all(c):
    truncated(c)
    headers(c)
    legacy(c)
