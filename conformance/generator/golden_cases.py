"""The cases of crates/npy-core/tests/golden/generate.py, re-judged and re-filed for the corpus.

The golden generator hands each recipe to a callback (`valid_cases(save_valid=...)` and so on);
here the callbacks only collect the recipes, and the corpus writes, judges and files them. The
folder a case lands in follows NumPy's verdict, not the golden category: the golden malformed
set includes files NumPy loads (npy-core refuses them on purpose), and the golden valid set
includes np.save output whose header NumPy refuses to load by default (over 10000 characters).
"""

import re

# Golden valid/ prefixes -> corpus topic. time_* is left out: datetime_cases covers every unit
# in both byte orders.
VALID_TOPICS = (
    ("scalar_", "scalars"), ("longdouble_", "scalars"),
    ("bytes_", "strings"), ("unicode_", "strings"), ("void_", "strings"),
    ("shape_big_dim_", "padding"), ("fortran_growth_", "padding"),
    ("shape_", "shapes"), ("noncontig_", "shapes"),
    ("fortran_", "order"),
    ("record_", "records"), ("descr_nesting_", "records"),
    ("boundary_", "versions"), ("explicit_", "versions"),
    ("time_", None),
)
# Prefixes dropped from the name because the topic folder already says it.
DROPPED_PREFIXES = ("scalar_", "longdouble_", "record_", "shape_")

# Golden decode_only/ cases that reproduce layouts of other or older writers; the rest show how
# lenient NumPy's header parsing is (topic `header`).
LEGACY = re.compile(r"^(legacy16|pprint|py2|v2_misaligned|mojibake|record_trailing_comma_list"
                    r"|descr_lt_i1_matlab|descr_lt_u1_matlab|descr_M8_micro_sign)")

# Golden malformed/ cases -> (topic, extra tags), first match wins.
MALFORMED_TOPICS = (
    (r"^(empty_file|bad_magic_)", "magic", ["magic"]),
    (r"^version_", "magic", ["version"]),
    (r"^truncated_magic", "truncated", ["truncated:magic"]),
    (r"^truncated_length", "truncated", ["truncated:length"]),
    (r"^truncated_header", "truncated", ["truncated:header"]),
    (r"^truncated_data", "truncated", ["truncated:data"]),
    (r"^header_len_", "header", ["header-limit"]),
    (r"^(missing_key|extra_key|key_not_string|not_a_dict)", "header", ["header:keys"]),
    (r"^(empty_header_text|unclosed_brace|non_literal|nul_padding|py2_long_v3|invalid_utf8)",
     "header", ["header:syntax"]),
    (r"^shape_", "shape", ["shape"]),
    (r"^fortran_order_", "header", ["header:fortran-order"]),
    (r"^descr_nesting", "records", []),
    (r"^descr_comma_string", "header", ["descr"]),
    (r"^(descr_|top_level_subarray)", "descr", ["descr"]),
    (r"^object_", "object", ["object"]),
)


def kebab(name):
    """golden_name_le -> golden-name-little."""
    words = name.lower().split("_")
    words = ["little" if w == "le" else "big" if w == "be" else w for w in words]
    return "-".join(words)


# Golden cases left out. fortran_aligned_record: npy_cases has the same case (an aligned record
# array in Fortran order, padding zeroed) under its own name.
SKIPPED = {"fortran_aligned_record"}


def valid_topic(name):
    for prefix, topic in VALID_TOPICS:
        if name.startswith(prefix):
            short = name[len(prefix):] if prefix in DROPPED_PREFIXES else name
            return topic, kebab(short)
    raise ValueError(f"no corpus topic for golden case {name}")


def corpus_note(note):
    """The golden notes, minus those about npy-core's own behaviour (this corpus is for any
    implementation)."""
    if note and ("npy-core" in note or "1 MiB" in note):
        return None
    return note


def add_all(corpus, golden):
    def save_valid(name, recipe, version=None, note=None):
        topic, short = valid_topic(name)
        if topic is None or name in SKIPPED:
            return
        corpus.save(topic, short, recipe, note=corpus_note(note), version=version)

    def decode_only(name, recipe, note=None, **_extra):
        topic = "legacy" if LEGACY.match(name) else "header"
        tags = ["hand-made", "legacy"] if topic == "legacy" else ["hand-made"]
        corpus.raw(topic, kebab(name), recipe, tags=tags, note=corpus_note(note))

    def malformed(name, recipe, _kind, _stage, divergence=None, note=None, from_np_save=None,
                  **_extra):
        for pattern, topic, tags in MALFORMED_TOPICS:
            if re.match(pattern, name):
                break
        else:
            raise ValueError(f"no corpus topic for golden case {name}")
        if from_np_save is not None:
            # np.save with allow_pickle=True (object arrays need it), then maybe a cut
            saved = f"np.save(f, {from_np_save}, allow_pickle=True)"
            tags = tags + ["writer:np.save"]
            if recipe:
                recipe = f"{saved}; f = io.BytesIO({recipe.replace('saved', 'f.getvalue()')})"
            else:
                recipe = saved
        else:
            tags = tags + ["hand-made"]
        # npy-core's reasons for diverging from NumPy are not this corpus's business, but why
        # the case exists is
        corpus.raw(topic, kebab(name), recipe, tags=tags, note=corpus_note(note))

    golden.valid_cases(save_valid=save_valid)
    golden.decode_only_cases(decode_only=decode_only)
    golden.malformed_cases(malformed=malformed)
