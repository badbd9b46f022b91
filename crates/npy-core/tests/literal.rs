//! Tests for `npy_core::literal`: the `.npy` header literal parser and Python's `str` repr.
//!
//! Every expected value in the `#[case]` tables comes from real Python, not from reading the
//! spec: the tables between the `BEGIN GENERATED` / `END GENERATED` markers were printed by the
//! script at the end of this file, run with Python 3.11.7 and NumPy 2.4.6:
//!
//! ```text
//! sed -nE 's#^//py ?##p' crates/npy-core/tests/literal.rs | /tmp/venv/bin/python - > tables.txt
//! # (then rustfmt, which wraps a few long #[case] lines)
//! ```
//!
//! The script also asserts, for each rejected text, that Python (`ast.literal_eval`, with
//! NumPy's `_filter_header` retry where the long-suffix option is on) rejects it too, and for
//! the "by design" tables that Python accepts or rejects it, so each divergence is deliberate.

use npy_core::literal::{parse, write_repr_str, ParseOptions, Value};
use npy_core::ErrorKind;
use proptest::prelude::*;
use rstest::rstest;

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

fn s(x: &str) -> Value {
    Value::Str(x.to_owned())
}

fn i(x: i128) -> Value {
    Value::Int(x)
}

fn b(x: bool) -> Value {
    Value::Bool(x)
}

fn none() -> Value {
    Value::None
}

fn t(items: Vec<Value>) -> Value {
    Value::Tuple(items)
}

fn l(items: Vec<Value>) -> Value {
    Value::List(items)
}

fn d(entries: Vec<(Value, Value)>) -> Value {
    Value::Dict(entries)
}

fn opts(allow_long_suffix: bool) -> ParseOptions {
    ParseOptions {
        allow_long_suffix,
        ..ParseOptions::default()
    }
}

fn repr(x: &str) -> String {
    let mut out = String::new();
    write_repr_str(&mut out, x);
    out
}

/// Applies Python dict semantics (a later duplicate key replaces the value but keeps the first
/// position) so a parsed value can be compared with what `ast.literal_eval` printed.
fn python_dict_semantics(v: &Value) -> Value {
    match v {
        Value::Tuple(items) => Value::Tuple(items.iter().map(python_dict_semantics).collect()),
        Value::List(items) => Value::List(items.iter().map(python_dict_semantics).collect()),
        Value::Dict(entries) => {
            let mut out: Vec<(Value, Value)> = Vec::new();
            for (k, x) in entries {
                let (k, x) = (python_dict_semantics(k), python_dict_semantics(x));
                match out.iter_mut().find(|(seen, _)| *seen == k) {
                    Some(slot) => slot.1 = x,
                    None => out.push((k, x)),
                }
            }
            Value::Dict(out)
        }
        other => other.clone(),
    }
}

#[track_caller]
fn assert_rejected(text: &str, options: &ParseOptions, kind: ErrorKind) {
    match parse(text, options) {
        Ok(v) => panic!("{text:?} was accepted as {v:?}"),
        Err(e) => {
            assert_eq!(e.kind(), kind, "{text:?}: {e}");
            let offset = e.offset().expect("errors carry an offset");
            assert!(offset as usize <= text.len(), "{text:?}: offset {offset}");
            assert!(!e.message().is_empty());
        }
    }
}

// ---------------------------------------------------------------------------------------
// repr
// ---------------------------------------------------------------------------------------

// BEGIN GENERATED (repr table: input, Python 3.11 repr(input))
#[rstest]
#[case::empty("", "''")]
#[case::plain("abc", "'abc'")]
#[case::space(" ", "' '")]
#[case::single_quote("it's", "\"it's\"")]
#[case::double_quote("say \"hi\"", "'say \"hi\"'")]
#[case::both_quotes("it's \"x\"", "'it\\'s \"x\"'")]
#[case::only_single("'", "\"'\"")]
#[case::only_double("\"", "'\"'")]
#[case::backslash("a\\b", "'a\\\\b'")]
#[case::backslash_and_quote("\\'", "\"\\\\'\"")]
#[case::tab_nl_cr("\t\n\r", "'\\t\\n\\r'")]
#[case::nul("\u{0}", "'\\x00'")]
#[case::controls(
    "\u{1}\u{7}\u{8}\u{b}\u{c}\u{1b}\u{1f}",
    "'\\x01\\x07\\x08\\x0b\\x0c\\x1b\\x1f'"
)]
#[case::del("\u{7f}", "'\\x7f'")]
#[case::c1_controls("\u{80}\u{85}\u{9f}", "'\\x80\\x85\\x9f'")]
#[case::nbsp("\u{a0}", "'\\xa0'")]
#[case::soft_hyphen("\u{ad}", "'\\xad'")]
#[case::latin1_printable("caf\u{e9} \u{ff} \u{a1}", "'caf\u{e9} \u{ff} \u{a1}'")]
#[case::cjk("\u{6574}\u{6570}", "'\u{6574}\u{6570}'")]
#[case::emoji("\u{1f600}", "'\u{1f600}'")]
#[case::line_sep("\u{2028}\u{2029}", "'\\u2028\\u2029'")]
#[case::zwsp_bom("\u{200b}\u{feff}", "'\\u200b\\ufeff'")]
#[case::ideographic_space("\u{3000}", "'\\u3000'")]
#[case::private_use("\u{e000}\u{f0000}", "'\\ue000\\U000f0000'")]
#[case::unassigned_bmp("\u{378}", "'\\u0378'")]
#[case::unassigned_astral("\u{e0080}", "'\\U000e0080'")]
#[case::noncharacter("\u{ffff}\u{10ffff}", "'\\uffff\\U0010ffff'")]
#[case::combining("e\u{301}", "'e\u{301}'")]
#[case::rtl_mark("\u{200f}", "'\\u200f'")]
#[case::en_space("\u{2002}", "'\\u2002'")]
#[case::field_name("xxx'y'", "\"xxx'y'\"")]
#[case::descr_like("<i8", "'<i8'")]
#[case::mixed(
    "a'b\"c\\d\te\u{e9}\u{2028}f\u{1f600}",
    "'a\\'b\"c\\\\d\\te\u{e9}\\u2028f\u{1f600}'"
)]
#[case::quote_heavy("''\"\"", "'\\'\\'\"\"'")]
#[case::only_backslashes("\\\\", "'\\\\\\\\'")]
#[case::format_char_astral("\u{e0001}", "'\\U000e0001'")]
#[case::tag_space("\u{e0020}", "'\\U000e0020'")]
#[case::mongolian_vs("\u{180e}", "'\\u180e'")]
#[case::arabic_number_sign("\u{600}", "'\\u0600'")]
#[case::ogham_space("\u{1680}", "'\\u1680'")]
#[case::narrow_nbsp("\u{202f}", "'\\u202f'")]
#[case::high_latin1_controls("\u{9b}\u{9c}", "'\\x9b\\x9c'")]
// END GENERATED
fn repr_matches_python(#[case] input: &str, #[case] expected: &str) {
    assert_eq!(repr(input), expected);
}

#[test]
fn repr_appends() {
    let mut out = String::from("{'descr': ");
    write_repr_str(&mut out, "<i8");
    assert_eq!(out, "{'descr': '<i8'");
}

// ---------------------------------------------------------------------------------------
// parse: accepted
// ---------------------------------------------------------------------------------------

// BEGIN GENERATED (text, allow_long_suffix, value from ast.literal_eval / NumPy's L filter;
// the np_* texts are real headers written by np.save)
#[rstest]
#[case::np_arange3("{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }                                                            \n", false, d(vec![(s("descr"), s("<i8")), (s("fortran_order"), b(false)), (s("shape"), t(vec![i(3)]))]))]
#[case::np_0d("{'descr': '<f8', 'fortran_order': False, 'shape': (), }                                                              \n", false, d(vec![(s("descr"), s("<f8")), (s("fortran_order"), b(false)), (s("shape"), t(vec![]))]))]
#[case::np_fortran("{'descr': '>f4', 'fortran_order': True, 'shape': (2, 3), }                                                           \n", false, d(vec![(s("descr"), s(">f4")), (s("fortran_order"), b(true)), (s("shape"), t(vec![i(2), i(3)]))]))]
#[case::np_big_shape("{'descr': '<c16', 'fortran_order': False, 'shape': (0, 12345678901), }                                               \n", false, d(vec![(s("descr"), s("<c16")), (s("fortran_order"), b(false)), (s("shape"), t(vec![i(0), i(12345678901)]))]))]
#[case::np_fortran_3d("{'descr': '<i2', 'fortran_order': True, 'shape': (2, 3, 4), }                                                        \n", false, d(vec![(s("descr"), s("<i2")), (s("fortran_order"), b(true)), (s("shape"), t(vec![i(2), i(3), i(4)]))]))]
#[case::np_struct("{'descr': [('a', '<i4'), ('b', [('c', '>f8', (2, 3)), ('d', '|S3')]), (('title', 't'), '|u1')], 'fortran_order': False, 'shape': (2,), }                                             \n", false, d(vec![(s("descr"), l(vec![t(vec![s("a"), s("<i4")]), t(vec![s("b"), l(vec![t(vec![s("c"), s(">f8"), t(vec![i(2), i(3)])]), t(vec![s("d"), s("|S3")])])]), t(vec![t(vec![s("title"), s("t")]), s("|u1")])])), (s("fortran_order"), b(false)), (s("shape"), t(vec![i(2)]))]))]
#[case::np_padded_struct("{'descr': [('a', '|u1'), ('', '|V7'), ('b', '<i4'), ('', '|V4')], 'fortran_order': False, 'shape': (1,), }                                                                           \n", false, d(vec![(s("descr"), l(vec![t(vec![s("a"), s("|u1")]), t(vec![s(""), s("|V7")]), t(vec![s("b"), s("<i4")]), t(vec![s(""), s("|V4")])])), (s("fortran_order"), b(false)), (s("shape"), t(vec![i(1)]))]))]
#[case::np_unicode_field_v3("{'descr': [('\u{6574}', '<i2')], 'fortran_order': False, 'shape': (1,), }                                               \n", false, d(vec![(s("descr"), l(vec![t(vec![s("\u{6574}"), s("<i2")])])), (s("fortran_order"), b(false)), (s("shape"), t(vec![i(1)]))]))]
#[case::np_latin1_field("{'descr': [('caf\u{e9}', '<i2')], 'fortran_order': False, 'shape': (1,), }                                                \n", false, d(vec![(s("descr"), l(vec![t(vec![s("caf\u{e9}"), s("<i2")])])), (s("fortran_order"), b(false)), (s("shape"), t(vec![i(1)]))]))]
#[case::np_quote_field("{'descr': [(\"it's\", '<i2'), ('a\"b', '<i2'), ('t\\tab', '<i2')], 'fortran_order': False, 'shape': (1,), }                                                                              \n", false, d(vec![(s("descr"), l(vec![t(vec![s("it's"), s("<i2")]), t(vec![s("a\"b"), s("<i2")]), t(vec![s("t\tab"), s("<i2")])])), (s("fortran_order"), b(false)), (s("shape"), t(vec![i(1)]))]))]
#[case::np_str_dtype("{'descr': '<U7', 'fortran_order': False, 'shape': (3,), }                                                            \n", false, d(vec![(s("descr"), s("<U7")), (s("fortran_order"), b(false)), (s("shape"), t(vec![i(3)]))]))]
#[case::np_datetime("{'descr': '<M8[ns]', 'fortran_order': False, 'shape': (3,), }                                                        \n", false, d(vec![(s("descr"), s("<M8[ns]")), (s("fortran_order"), b(false)), (s("shape"), t(vec![i(3)]))]))]
#[case::canonical("{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }", false, d(vec![(s("descr"), s("<i8")), (s("fortran_order"), b(false)), (s("shape"), t(vec![i(3)]))]))]
#[case::pprint_multiline("{'descr': '<f8',\n 'fortran_order': False,\n 'shape': (3, 4)}\n", false, d(vec![(s("descr"), s("<f8")), (s("fortran_order"), b(false)), (s("shape"), t(vec![i(3), i(4)]))]))]
#[case::pprint_struct("{'descr': [('x', '<i4'),\n           ('y', '<f8')],\n 'fortran_order': True,\n 'shape': (10,)}", false, d(vec![(s("descr"), l(vec![t(vec![s("x"), s("<i4")]), t(vec![s("y"), s("<f8")])])), (s("fortran_order"), b(true)), (s("shape"), t(vec![i(10)]))]))]
#[case::npyrs_style("{'descr': [('a', '<i4'), ('b', '<f4'), ], 'fortran_order': False, 'shape': (5,), }", false, d(vec![(s("descr"), l(vec![t(vec![s("a"), s("<i4")]), t(vec![s("b"), s("<f4")])])), (s("fortran_order"), b(false)), (s("shape"), t(vec![i(5)]))]))]
#[case::no_trailing_comma("{'descr': '<i8', 'fortran_order': False, 'shape': (3,)}", false, d(vec![(s("descr"), s("<i8")), (s("fortran_order"), b(false)), (s("shape"), t(vec![i(3)]))]))]
#[case::aligned16("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }        \n", false, d(vec![(s("descr"), s("<f8")), (s("fortran_order"), b(false)), (s("shape"), t(vec![i(2)]))]))]
#[case::any_key_order("{'shape': (2, 3), 'fortran_order': True, 'descr': '|u1'}", false, d(vec![(s("shape"), t(vec![i(2), i(3)])), (s("fortran_order"), b(true)), (s("descr"), s("|u1"))]))]
#[case::double_quotes("{\"descr\": \"<i8\", \"fortran_order\": False, \"shape\": (3,)}", false, d(vec![(s("descr"), s("<i8")), (s("fortran_order"), b(false)), (s("shape"), t(vec![i(3)]))]))]
#[case::u_prefix("{u'descr': u'<i8', U'shape': ()}", false, d(vec![(s("descr"), s("<i8")), (s("shape"), t(vec![]))]))]
#[case::r_prefix("(r'\\d', R'\\'', r\"a\\\"b\")", false, t(vec![s("\\d"), s("\\'"), s("a\\\"b")]))]
#[case::triple_single("'''a'b\nc'''", false, s("a'b\nc"))]
#[case::triple_double("\"\"\"x\"\"y\"\r\nz\"\"\"", false, s("x\"\"y\"\nz"))]
#[case::triple_then_empty("'''a'''''", false, s("a"))]
#[case::concat("'<' 'i4'", false, s("<i4"))]
#[case::concat_in_dict("{'descr': '<' \"f\" u'8', }", false, d(vec![(s("descr"), s("<f8"))]))]
#[case::concat_multiline_comment("('<'  # byte order\n 'i4'  # kind\n)", false, s("<i4"))]
#[case::concat_continuation("'a' \\\n'b'", false, s("ab"))]
#[case::escapes_simple(
    "'\\\\ \\' \\\" \\a \\b \\f \\n \\r \\t \\v'",
    false,
    s("\\ ' \" \u{7} \u{8} \u{c} \n \r \t \u{b}")
)]
#[case::escapes_numeric(
    "'\\x41\\101\\0\\7\\400\\777\\u00e9\\U0001F600\\uFFFF'",
    false,
    s("AA\u{0}\u{7}\u{100}\u{1ff}\u{e9}\u{1f600}\u{ffff}")
)]
#[case::escape_unknown_kept("'\\d\\q\\8\\9\\z'", false, s("\\d\\q\\8\\9\\z"))]
#[case::escape_line_continuation("'ab\\\ncd'", false, s("abcd"))]
#[case::escape_crlf_continuation("'ab\\\r\ncd'", false, s("abcd"))]
#[case::raw_backslash_newline("r'a\\\nb'", false, s("a\\\nb"))]
#[case::non_ascii_literal("('\u{e9}', '\u{6574}', '\u{1f600}', 'caf\u{c3}\u{a9}')", false, t(vec![s("\u{e9}"), s("\u{6574}"), s("\u{1f600}"), s("caf\u{c3}\u{a9}")]))]
#[case::hex("(0x1F, 0X1f, 0xdead_BEEF)", false, t(vec![i(31), i(31), i(3735928559)]))]
#[case::octal_binary("(0o17, 0O17, 0b101, 0B1_0_1)", false, t(vec![i(15), i(15), i(5), i(5)]))]
#[case::underscores("(1_000, 0x_ff, 0_0, 00)", false, t(vec![i(1000), i(255), i(0), i(0)]))]
#[case::signs("(+3, -3, - 3, -(3), +(((7))), -0, -0x10)", false, t(vec![i(3), i(-3), i(-3), i(-3), i(7), i(0), i(-16)]))]
#[case::paren_group("((3),)", false, t(vec![i(3)]))]
#[case::paren_group_deep("(((3)))", false, i(3))]
#[case::paren_group_str("(('a'))", false, s("a"))]
#[case::i128_max(
    "170141183460469231731687303715884105727",
    false,
    i(170141183460469231731687303715884105727)
)]
#[case::i128_min("-170141183460469231731687303715884105728", false, i(-170141183460469231731687303715884105728))]
#[case::i128_min_hex("-0x8000_0000_0000_0000_0000_0000_0000_0000", false, i(-170141183460469231731687303715884105728))]
#[case::empty_tuple("()", false, t(vec![]))]
#[case::one_tuple("(1,)", false, t(vec![i(1)]))]
#[case::tuple_trailing("(1, 2,)", false, t(vec![i(1), i(2)]))]
#[case::tuple_spaced("( 1 , )", false, t(vec![i(1)]))]
#[case::bare_tuple("1, 2", false, t(vec![i(1), i(2)]))]
#[case::bare_one_tuple("1,", false, t(vec![i(1)]))]
#[case::bare_tuple_newline("'a', (1,),\n", false, t(vec![s("a"), t(vec![i(1)])]))]
#[case::nested_tuples("((), ((),), (1, (2, (3,))))", false, t(vec![t(vec![]), t(vec![t(vec![])]), t(vec![i(1), t(vec![i(2), t(vec![i(3)])])])]))]
#[case::lists("([], [1], [1,], [[], [()]])", false, t(vec![l(vec![]), l(vec![i(1)]), l(vec![i(1)]), l(vec![l(vec![]), l(vec![t(vec![])])])]))]
#[case::dicts("({}, {1: 2,}, {(1, 'a'): None, None: True, False: [1]})", false, t(vec![d(vec![]), d(vec![(i(1), i(2))]), d(vec![(t(vec![i(1), s("a")]), none()), (none(), b(true)), (b(false), l(vec![i(1)]))])]))]
#[case::nested_dict("{'a': {'b': {'c': []}}}", false, d(vec![(s("a"), d(vec![(s("b"), d(vec![(s("c"), l(vec![]))]))]))]))]
#[case::constants("[True, False, None]", false, l(vec![b(true), b(false), none()]))]
#[case::tabs_ff("\t{\t'shape'\u{c}:\t(1,),\u{c}}\u{c}", false, d(vec![(s("shape"), t(vec![i(1)]))]))]
#[case::crlf("{'descr': '<i8',\r\n 'fortran_order': False,\r\n 'shape': (3,)}\r\n", false, d(vec![(s("descr"), s("<i8")), (s("fortran_order"), b(false)), (s("shape"), t(vec![i(3)]))]))]
#[case::lone_cr("{'descr': '<i8',\r 'shape': (3,)}\r", false, d(vec![(s("descr"), s("<i8")), (s("shape"), t(vec![i(3)]))]))]
#[case::leading_spaces("   \t  {}", false, d(vec![]))]
#[case::leading_blank_lines("\n\n{}", false, d(vec![]))]
#[case::trailing_blank_lines("{}\n\n   \n\t\n", false, d(vec![]))]
#[case::comments("# header\n{ # open\n'shape': (1,), # shape\n} # done", false, d(vec![(s("shape"), t(vec![i(1)]))]))]
#[case::comment_trailing_newline("{}#x\n", false, d(vec![]))]
#[case::continuation_top("\\\n{} \\\n\n", false, d(vec![]))]
#[case::continuation_inside("(1 \\\n, 2)", false, t(vec![i(1), i(2)]))]
#[case::newlines_everywhere("{\n'a'\n:\n(\n1\n,\n)\n,\n}", false, d(vec![(s("a"), t(vec![i(1)]))]))]
#[case::duplicate_keys("{'a': 1, 'b': 2, 'a': 3}", false, d(vec![(s("a"), i(3)), (s("b"), i(2))]))]
#[case::long_shape("(2L,)", true, t(vec![i(2)]))]
#[case::long_header("{'descr': '<i8', 'fortran_order': False, 'shape': (10L, 3L), }", true, d(vec![(s("descr"), s("<i8")), (s("fortran_order"), b(false)), (s("shape"), t(vec![i(10), i(3)]))]))]
#[case::long_hex_neg("(0x10L, -2L, 0L, 0b1L)", true, t(vec![i(16), i(-2), i(0), i(1)]))]
#[case::long_not_needed("(2,)", true, t(vec![i(2)]))]
#[case::long_str_untouched("('L', '2L')", true, t(vec![s("L"), s("2L")]))]
// END GENERATED
fn parse_accepts(#[case] text: &str, #[case] allow_long: bool, #[case] expected: Value) {
    let value = parse(text, &opts(allow_long)).unwrap_or_else(|e| panic!("{text:?}: {e:?}"));
    assert_eq!(python_dict_semantics(&value), expected, "{text:?}");
}

#[test]
fn duplicate_dict_keys_are_kept_in_order_and_last_wins() {
    let v = parse("{'a': 1, 'b': 2, 'a': 3}", &ParseOptions::default()).unwrap();
    assert_eq!(v, d(vec![(s("a"), i(1)), (s("b"), i(2)), (s("a"), i(3))]));
    assert_eq!(v.get("a"), Some(&i(3)));
    assert_eq!(v.get("b"), Some(&i(2)));
    assert_eq!(v.get("c"), None);
}

#[test]
fn default_options() {
    let o = ParseOptions::default();
    assert_eq!(o.max_depth, 64);
    assert!(!o.allow_long_suffix);
}

// ---------------------------------------------------------------------------------------
// parse: rejected
// ---------------------------------------------------------------------------------------

// BEGIN GENERATED (text, allow_long_suffix; Python rejects these too)
#[rstest]
#[case::unclosed_brace("{'descr': '<i8'", false)]
#[case::unclosed_paren("(1, 2", false)]
#[case::unclosed_bracket("[1, 2", false)]
#[case::unclosed_nested("{'a': [(1,", false)]
#[case::mismatched("(1, 2]", false)]
#[case::extra_close("{'a': 1}}", false)]
#[case::import_call("__import__('os')", false)]
#[case::import_in_header("{'descr': __import__('os').system('x'), 'shape': ()}", false)]
#[case::not_false("not False", false)]
#[case::np_call("np.int64(3)", false)]
#[case::name("x", false)]
#[case::call("True()", false)]
#[case::attribute("None.x", false)]
#[case::subscript("[1][0]", false)]
#[case::lambda("lambda: 1", false)]
#[case::binop("3 + 4", false)]
#[case::invert("~1", false)]
#[case::ifexp("1 if True else 2", false)]
#[case::trailing_garbage("{} x", false)]
#[case::trailing_value("{'a': 1} 2", false)]
#[case::two_lines("'a'\n'b'", false)]
#[case::bare_tuple_two_lines("1, 2\n3", false)]
#[case::sign_newline("-\n3", false)]
#[case::empty("", false)]
#[case::whitespace_only("  \n\t\n", false)]
#[case::comment_only("# nothing", false)]
#[case::unterminated_str("'abc", false)]
#[case::unterminated_escape("'\\'", false)]
#[case::unterminated_triple("'''abc''", false)]
#[case::newline_in_str("'a\nb'", false)]
#[case::truncated_x("'\\x4'", false)]
#[case::truncated_u("'\\u12'", false)]
#[case::truncated_big_u("'\\U0001F60'", false)]
#[case::illegal_big_u("'\\U00110000'", false)]
#[case::raw_unterminated("r'\\'", false)]
#[case::double_sign("--3", false)]
#[case::sign_sign("+-3", false)]
#[case::signed_bool("-True", false)]
#[case::signed_tuple("-(1,)", false)]
#[case::signed_str("-'a'", false)]
#[case::signed_signed_group("-(-3)", false)]
#[case::missing_colon("{'a' 1}", false)]
#[case::missing_value("{'a': }", false)]
#[case::double_comma_list("[1,,2]", false)]
#[case::comma_only_tuple("(,)", false)]
#[case::comma_only_list("[,]", false)]
#[case::comma_only_dict("{,}", false)]
#[case::leading_zeros("012", false)]
#[case::double_underscore("1__0", false)]
#[case::trailing_underscore("1_", false)]
#[case::hex_no_digits("0x", false)]
#[case::bad_binary("0b2", false)]
#[case::bad_octal("0o8", false)]
#[case::digits_then_name("0x1for", false)]
#[case::long_without_option("(2L,)", false)]
#[case::long_header_v3(
    "{'descr': '<i8', 'fortran_order': False, 'shape': (10L, 3L), }",
    false
)]
#[case::long_lowercase_numpy("(2L, 3LL)", true)]
#[case::long_alone("(L,)", true)]
#[case::unhashable_key("{[1]: 2}", false)]
#[case::unhashable_nested_key("{(1, {}): 2}", false)]
#[case::dict_unpack("{**{}}", false)]
#[case::star("[*()]", false)]
#[case::mixed_bytes_concat("'a' b'c'", false)]
#[case::ur_prefix("ur'x'", false)]
#[case::f_string("f'x'", false)]
#[case::nul_padding(
    "{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }\u{0}\u{0}\u{0}\n",
    false
)]
#[case::nul_in_str("'a\u{0}'", false)]
#[case::vertical_tab("\u{b}{}", false)]
#[case::nbsp("{\u{a0}}", false)]
#[case::bom("\u{feff}{}", false)]
#[case::line_separator("\u{2028}{}", false)]
#[case::continuation_eof("{}\\\n", false)]
#[case::continuation_garbage("{} \\ ", false)]
#[case::lone_backslash("\\", false)]
#[case::semicolon("{};", false)]
// END GENERATED
fn parse_rejects(#[case] text: &str, #[case] allow_long: bool) {
    assert_rejected(text, &opts(allow_long), ErrorKind::HeaderSyntax);
}

// BEGIN GENERATED (text, allow_long_suffix; Python/NumPy ACCEPT these, this crate rejects
// them on purpose: floats, complex, bytes, sets, Ellipsis, `\N{...}`, lone surrogates, ints
// outside i128, and NumPy's `2 L` with a space)
#[rstest]
#[case::float("1.5", false)]
#[case::float_exp("1e3", false)]
#[case::float_dot("1.", false)]
#[case::float_leading_dot(".5", false)]
#[case::float_in_shape("{'shape': (3.0,)}", false)]
#[case::complex("1j", false)]
#[case::complex_sum("1+2j", false)]
#[case::bytes("b'x'", false)]
#[case::bytes_raw("Rb'x'", false)]
#[case::set("{1, 2}", false)]
#[case::set_one("{1}", false)]
#[case::set_call("set()", false)]
#[case::ellipsis("...", false)]
#[case::named_escape("'\\N{BULLET}'", false)]
#[case::lone_surrogate("'\\ud800'", false)]
#[case::surrogate_pair_escapes("'\\ud83d\\ude00'", false)]
#[case::surrogate_big_u("'\\U0000dfff'", false)]
#[case::int_2_127("170141183460469231731687303715884105728", false)]
#[case::int_2_128("340282366920938463463374607431768211456", false)]
#[case::int_below_min("-170141183460469231731687303715884105729", false)]
#[case::int_huge_shape("(99999999999999999999999999999999999999999L,)", true)]
#[case::long_with_space_numpy("(2 L,)", true)]
// END GENERATED
fn parse_rejects_by_design(#[case] text: &str, #[case] allow_long: bool) {
    assert_rejected(text, &opts(allow_long), ErrorKind::HeaderSyntax);
}

// BEGIN GENERATED (text, allow_long_suffix, value; Python/NumPy REJECT these, this crate
// accepts them on purpose: indentation around the expression, and the lower-case `2l`)
#[rstest]
#[case::indented_after_blank_line("\n  {}", false, d(vec![]))]
#[case::indented_after_blank_line_tab("\t\n\t(1,)", false, t(vec![i(1)]))]
#[case::trailing_indent_without_newline("{}\n  ", false, d(vec![]))]
#[case::trailing_comment_then_indent("{}\n  # c\n   ", false, d(vec![]))]
#[case::long_lowercase("(2l,)", true, t(vec![i(2)]))]
// END GENERATED
fn parse_accepts_by_design(#[case] text: &str, #[case] allow_long: bool, #[case] expected: Value) {
    assert_eq!(
        parse(text, &opts(allow_long)).unwrap(),
        expected,
        "{text:?}"
    );
}

#[rstest]
#[case::trailing_garbage("{'a': 1} x", 9)]
#[case::unclosed_paren("(1, 2", 5)]
#[case::unterminated_string("('abc", 1)]
#[case::float_in_shape("{'shape': (3.5,)}", 11)]
#[case::nul_padding("{}  \0\0", 4)]
#[case::name("{'a': foo}", 6)]
#[case::bad_escape("'ab\\x4'", 3)]
#[case::surrogate("'\\ud800'", 1)]
#[case::set("{1, 2}", 2)]
#[case::long_suffix_off("(2L,)", 1)]
#[case::too_big("(170141183460469231731687303715884105728,)", 1)]
#[case::offsets_are_bytes("('\u{e9}\u{6574}', x)", 10)]
fn error_offsets(#[case] text: &str, #[case] offset: u64) {
    let err = parse(text, &ParseOptions::default()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::HeaderSyntax);
    assert_eq!(err.offset(), Some(offset), "{text:?}: {err}");
}

#[test]
fn error_messages_name_the_problem() {
    let msg = |text: &str| {
        parse(text, &ParseOptions::default())
            .unwrap_err()
            .message()
            .to_owned()
    };
    assert!(msg("b'x'").contains("bytes"));
    assert!(msg("'\\N{BULLET}'").contains("\\N{"));
    assert!(msg("'\\udc00'").contains("surrogate"));
    assert!(msg("1.5").contains("floating-point"));
    assert!(msg("__import__('os')").contains("__import__"));
    assert!(msg("'a\0'").contains("NUL"));
}

// ---------------------------------------------------------------------------------------
// parse: nesting limit and size
// ---------------------------------------------------------------------------------------

#[rstest]
#[case::parens("(")]
#[case::brackets("[")]
#[case::braces("{")]
#[case::dict_values("{0: ")]
#[case::signed_groups("-(")]
#[case::mixed("([{1: ")]
fn deep_nesting_is_too_large_not_a_stack_overflow(#[case] unit: &str) {
    let text = unit.repeat(100_000);
    assert_rejected(&text, &ParseOptions::default(), ErrorKind::HeaderTooLarge);
    let unlimited = ParseOptions {
        max_depth: usize::MAX,
        allow_long_suffix: true,
    };
    // With no depth limit the explicit stack still copes, and the text is merely unclosed.
    assert_rejected(&text, &unlimited, ErrorKind::HeaderSyntax);
}

#[test]
fn depth_limit_is_exact() {
    let nested = |n: usize| format!("{}1{}", "[".repeat(n), "]".repeat(n));
    let o = ParseOptions::default();
    assert!(parse(&nested(64), &o).is_ok());
    let err = parse(&nested(65), &o).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::HeaderTooLarge);
    assert_eq!(err.offset(), Some(64));
    let small = ParseOptions {
        max_depth: 2,
        allow_long_suffix: false,
    };
    assert!(parse("{'shape': (1,)}", &small).is_ok());
    // Grouping parentheses count too.
    assert_rejected("{'shape': ((1),)}", &small, ErrorKind::HeaderTooLarge);
    let zero = ParseOptions {
        max_depth: 0,
        allow_long_suffix: false,
    };
    assert!(parse("'scalar'", &zero).is_ok());
    assert_rejected("()", &zero, ErrorKind::HeaderTooLarge);
}

#[test]
fn deep_but_allowed_nesting_with_huge_limit() {
    let n = 50_000;
    let text = format!("{}1{}", "(".repeat(n), ",)".repeat(n));
    let o = ParseOptions {
        max_depth: n,
        allow_long_suffix: false,
    };
    let mut v = parse(&text, &o).unwrap();
    // Unwrap iteratively and dismantle the value without deep recursive drops.
    let mut levels = 0;
    while let Value::Tuple(mut items) = v {
        levels += 1;
        v = items.pop().unwrap_or(Value::None);
    }
    assert_eq!(levels, n);
}

#[test]
fn large_inputs_parse() {
    let n = 200_000;
    let tuple = format!("({})", "7, ".repeat(n));
    match parse(&tuple, &ParseOptions::default()).unwrap() {
        Value::Tuple(items) => assert_eq!(items.len(), n),
        other => panic!("{other:?}"),
    }
    let long_string = format!("'{}'", "ab\\x41".repeat(n));
    assert_eq!(
        parse(&long_string, &ParseOptions::default()).unwrap(),
        s(&"abA".repeat(n))
    );
    let concatenated = "'x' ".repeat(n);
    assert_eq!(
        parse(&concatenated, &ParseOptions::default()).unwrap(),
        s(&"x".repeat(n))
    );
}

// ---------------------------------------------------------------------------------------
// Property tests
// ---------------------------------------------------------------------------------------

/// Renders a value as Python source, varying layout, quoting and integer bases from `seed`.
/// Nesting in the strategies below is shallow, so recursion here is fine.
struct Renderer {
    seed: u64,
    out: String,
}

impl Renderer {
    fn pick(&mut self, n: u64) -> u64 {
        self.seed = self
            .seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.seed >> 33) % n
    }

    fn space(&mut self, inside: bool) {
        let choices: &[&str] = if inside {
            &["", " ", "\n", "\t", " # c\n ", "\r\n", "\x0c", "\\\n"]
        } else {
            &["", " ", "\t", "\\\n"]
        };
        let k = self.pick(choices.len() as u64) as usize;
        self.out.push_str(choices[k]);
    }

    fn string(&mut self, x: &str) {
        match self.pick(4) {
            0 => write_repr_str(&mut self.out, x),
            1 => {
                self.out.push('u');
                write_repr_str(&mut self.out, x);
            }
            _ => {
                // Implicit concatenation of two pieces split on a char boundary.
                let cut = x
                    .char_indices()
                    .map(|(k, _)| k)
                    .nth(self.pick(x.chars().count() as u64 + 1) as usize)
                    .unwrap_or(x.len());
                write_repr_str(&mut self.out, &x[..cut]);
                self.out.push(' ');
                write_repr_str(&mut self.out, &x[cut..]);
            }
        }
    }

    fn int(&mut self, x: i128) {
        let sign = if x < 0 {
            "-"
        } else {
            ["", "+"][self.pick(2) as usize]
        };
        self.out.push_str(sign);
        let m = x.unsigned_abs();
        let body = match self.pick(4) {
            0 => format!("{m:#x}"),
            1 => format!("{m:#o}"),
            2 => format!("{m:#b}"),
            _ => m.to_string(),
        };
        self.out.push_str(&body);
    }

    fn seq(&mut self, open: &str, close: &str, items: &[Value], one_needs_comma: bool) {
        self.out.push_str(open);
        for (k, item) in items.iter().enumerate() {
            self.space(true);
            self.value(item);
            self.space(true);
            let last = k + 1 == items.len();
            if !last || (one_needs_comma && items.len() == 1) || self.pick(2) == 0 {
                self.out.push(',');
            }
        }
        self.space(true);
        self.out.push_str(close);
    }

    fn value(&mut self, v: &Value) {
        match v {
            Value::Str(x) => self.string(x),
            Value::Int(x) => self.int(*x),
            Value::Bool(x) => self.out.push_str(if *x { "True" } else { "False" }),
            Value::None => self.out.push_str("None"),
            Value::Tuple(items) => self.seq("(", ")", items, true),
            Value::List(items) => self.seq("[", "]", items, false),
            Value::Dict(entries) => {
                self.out.push('{');
                for (k, x) in entries {
                    self.space(true);
                    self.value(k);
                    self.space(true);
                    self.out.push(':');
                    self.space(true);
                    self.value(x);
                    self.out.push(',');
                }
                self.space(true);
                self.out.push('}');
            }
        }
    }
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<String>().prop_map(Value::Str),
        "[a-z<>|0-9]{0,6}".prop_map(Value::Str),
        any::<i128>().prop_map(Value::Int),
        (-1000i128..1000).prop_map(Value::Int),
        any::<bool>().prop_map(Value::Bool),
        Just(Value::None),
    ]
}

fn value_tree() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(4, 48, 6, |inner| {
        let key = prop_oneof![
            "[a-z_]{0,8}".prop_map(Value::Str),
            any::<i64>().prop_map(|x| Value::Int(x.into())),
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Tuple),
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::List),
            prop::collection::vec((key, inner), 0..6).prop_map(Value::Dict),
        ]
    })
}

/// Texts built from the characters that matter to the lexer, so the fuzzing reaches deep.
fn header_ish() -> impl Strategy<Value = String> {
    const PIECES: &[&str] = &[
        "(",
        ")",
        "[",
        "]",
        "{",
        "}",
        ",",
        ":",
        "'",
        "\"",
        "'''",
        "\\",
        " ",
        "\n",
        "\r",
        "\t",
        "#",
        "0",
        "7",
        "x",
        "L",
        "_",
        "u",
        "r",
        "b",
        "-",
        "+",
        ".",
        "True",
        "None",
        "\\x",
        "\\u",
        "\\U0010",
        "\\N",
        "\u{e9}",
        "\u{1f600}",
        "\0",
        "'<i8'",
        "(3,)",
    ];
    prop::collection::vec(prop::sample::select(PIECES), 0..40).prop_map(|parts| parts.concat())
}

fn check_no_panic(text: &str) {
    for options in [
        ParseOptions::default(),
        ParseOptions {
            max_depth: 3,
            allow_long_suffix: true,
        },
    ] {
        if let Err(e) = parse(text, &options) {
            assert!(matches!(
                e.kind(),
                ErrorKind::HeaderSyntax | ErrorKind::HeaderTooLarge
            ));
            let offset = e.offset().expect("errors carry an offset");
            assert!(offset as usize <= text.len());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn parse_of_repr_round_trips(x in any::<String>()) {
        prop_assert_eq!(parse(&repr(&x), &ParseOptions::default()).unwrap(), Value::Str(x));
    }

    #[test]
    fn parse_of_repr_round_trips_quote_heavy(x in "['\"\\\\ \t\n\r\u{0}\u{7f}\u{85}\u{a0}\u{2028}a-c]{0,24}") {
        prop_assert_eq!(parse(&repr(&x), &ParseOptions::default()).unwrap(), Value::Str(x));
    }

    #[test]
    fn rendered_values_round_trip(v in value_tree(), seed in any::<u64>(), lead in "[ \t\n]{0,3}", trail in "[ \t\n]{0,3}") {
        let mut r = Renderer { seed, out: lead };
        r.value(&v);
        r.out.push_str(&trail);
        let parsed = parse(&r.out, &ParseOptions::default());
        prop_assert!(parsed.is_ok(), "{:?}: {:?}", r.out, parsed);
        prop_assert_eq!(parsed.unwrap(), v);
    }

    #[test]
    fn never_panics_on_arbitrary_strings(text in any::<String>()) {
        check_no_panic(&text);
    }

    #[test]
    fn never_panics_on_latin1_bytes(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let text: String = bytes.iter().map(|&b| char::from(b)).collect();
        check_no_panic(&text);
    }

    #[test]
    fn never_panics_on_header_ish_text(text in header_ish()) {
        check_no_panic(&text);
    }

    #[test]
    fn never_panics_on_truncated_headers(cut in 0usize..120) {
        let header = "{'descr': [('a\\x41', '<i4'), (u'\\u00e9', '>f8', (2, 3))], 'fortran_order': False, 'shape': (0x10L, 3,), }  \n";
        let cut = cut.min(header.len());
        check_no_panic(&header[..cut]);
    }
}

// ---------------------------------------------------------------------------------------
// Table generator (see the module comment for how to run it)
// ---------------------------------------------------------------------------------------

//py # Prints the generated rstest tables of crates/npy-core/tests/literal.rs.
//py # Needs Python 3.11 with NumPy (expected values come from ast.literal_eval, repr and np.save).
//py import ast, io, pprint, sys, warnings
//py import numpy as np
//py from numpy.lib._format_impl import _filter_header
//py
//py warnings.simplefilter("ignore")
//py
//py
//py def rs_str(s):
//py     out = ['"']
//py     for c in s:
//py         o = ord(c)
//py         if c == "\\":
//py             out.append("\\\\")
//py         elif c == '"':
//py             out.append('\\"')
//py         elif c == "\n":
//py             out.append("\\n")
//py         elif c == "\t":
//py             out.append("\\t")
//py         elif c == "\r":
//py             out.append("\\r")
//py         elif 0x20 <= o < 0x7F:
//py             out.append(c)
//py         else:
//py             out.append("\\u{%x}" % o)
//py     return "".join(out) + '"'
//py
//py
//py def rs_val(v):
//py     if isinstance(v, bool):
//py         return "b(%s)" % str(v).lower()
//py     if v is None:
//py         return "none()"
//py     if isinstance(v, int):
//py         return "i(%d)" % v
//py     if isinstance(v, str):
//py         return "s(%s)" % rs_str(v)
//py     if isinstance(v, tuple):
//py         return "t(vec![%s])" % ", ".join(map(rs_val, v))
//py     if isinstance(v, list):
//py         return "l(vec![%s])" % ", ".join(map(rs_val, v))
//py     if isinstance(v, dict):
//py         return "d(vec![%s])" % ", ".join("(%s, %s)" % (rs_val(k), rs_val(x)) for k, x in v.items())
//py     raise TypeError(v)
//py
//py
//py def npy_header(arr):
//py     f = io.BytesIO()
//py     np.save(f, arr)
//py     raw = f.getvalue()
//py     major = raw[6]
//py     n, start = (int.from_bytes(raw[8:10], "little"), 10) if major == 1 else (int.from_bytes(raw[8:12], "little"), 12)
//py     return raw[start:start + n].decode("latin-1" if major < 3 else "utf-8")
//py
//py
//py def numpy_eval(text, long):
//py     """What np.load does with the header text: literal_eval, then (v1/v2) the L filter."""
//py     try:
//py         return ast.literal_eval(text)
//py     except SyntaxError:
//py         if not long:
//py             raise
//py         return ast.literal_eval(_filter_header(text))
//py
//py
//py def rejects(text, long):
//py     try:
//py         numpy_eval(text, long)
//py     except Exception:
//py         return True
//py     return False
//py
//py
//py REPR = [
//py     ("empty", ""), ("plain", "abc"), ("space", " "), ("single_quote", "it's"), ("double_quote", 'say "hi"'),
//py     ("both_quotes", "it's \"x\""), ("only_single", "'"), ("only_double", '"'), ("backslash", "a\\b"),
//py     ("backslash_and_quote", "\\'"), ("tab_nl_cr", "\t\n\r"), ("nul", "\x00"), ("controls", "\x01\x07\x08\x0b\x0c\x1b\x1f"),
//py     ("del", "\x7f"), ("c1_controls", "\x80\x85\x9f"), ("nbsp", "\xa0"), ("soft_hyphen", "\xad"),
//py     ("latin1_printable", "caf\xe9 \xff \xa1"), ("cjk", "\u6574\u6570"), ("emoji", "\U0001F600"),
//py     ("line_sep", "\u2028\u2029"), ("zwsp_bom", "\u200b\ufeff"), ("ideographic_space", "\u3000"),
//py     ("private_use", "\ue000\U000F0000"), ("unassigned_bmp", "\u0378"), ("unassigned_astral", "\U000E0080"),
//py     ("noncharacter", "\uffff\U0010FFFF"), ("combining", "e\u0301"), ("rtl_mark", "\u200f"), ("en_space", "\u2002"),
//py     ("field_name", "x" * 3 + "'y'"), ("descr_like", "<i8"), ("mixed", "a'b\"c\\d\te\u00e9\u2028f\U0001F600"),
//py     ("quote_heavy", "''\"\""), ("only_backslashes", "\\\\"), ("format_char_astral", "\U000E0001"),
//py     ("tag_space", "\U000E0020"), ("mongolian_vs", "\u180e"), ("arabic_number_sign", "\u0600"),
//py     ("ogham_space", "\u1680"), ("narrow_nbsp", "\u202f"), ("high_latin1_controls", "\x9b\x9c"),
//py ]
//py
//py
//py def arr_struct():
//py     return np.zeros(2, dtype=[("a", "<i4"), ("b", [("c", ">f8", (2, 3)), ("d", "S3")]), (("title", "t"), "u1")])
//py
//py
//py def arr_padded():
//py     return np.zeros(1, dtype=np.dtype({"names": ["a", "b"], "formats": ["u1", "<i4"], "offsets": [0, 8], "itemsize": 16}))
//py
//py
//py ACCEPT = [
//py     ("np_arange3", npy_header(np.arange(3, dtype="<i8")), False),
//py     ("np_0d", npy_header(np.array(1.5)), False),
//py     ("np_fortran", npy_header(np.asfortranarray(np.zeros((2, 3), dtype=">f4"))), False),
//py     ("np_big_shape", npy_header(np.empty((0, 12345678901), dtype="<c16")), False),
//py     ("np_fortran_3d", npy_header(np.asfortranarray(np.zeros((2, 3, 4), dtype="<i2"))), False),
//py     ("np_struct", npy_header(arr_struct()), False),
//py     ("np_padded_struct", npy_header(arr_padded()), False),
//py     ("np_unicode_field_v3", npy_header(np.zeros(1, dtype=[("\u6574", "<i2")])), False),
//py     ("np_latin1_field", npy_header(np.zeros(1, dtype=[("caf\xe9", "<i2")])), False),
//py     ("np_quote_field", npy_header(np.zeros(1, dtype=[("it's", "<i2"), ('a"b', "<i2"), ("t\tab", "<i2")])), False),
//py     ("np_str_dtype", npy_header(np.zeros(3, dtype="<U7")), False),
//py     ("np_datetime", npy_header(np.zeros(3, dtype="<M8[ns]")), False),
//py     ("canonical", "{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }", False),
//py     ("pprint_multiline", pprint.pformat({"descr": "<f8", "fortran_order": False, "shape": (3, 4)}, width=20) + "\n", False),
//py     ("pprint_struct", pprint.pformat({"descr": [("x", "<i4"), ("y", "<f8")], "fortran_order": True, "shape": (10,)}, width=30), False),
//py     ("npyrs_style", "{'descr': [('a', '<i4'), ('b', '<f4'), ], 'fortran_order': False, 'shape': (5,), }", False),
//py     ("no_trailing_comma", "{'descr': '<i8', 'fortran_order': False, 'shape': (3,)}", False),
//py     ("aligned16", "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }        \n", False),
//py     ("any_key_order", "{'shape': (2, 3), 'fortran_order': True, 'descr': '|u1'}", False),
//py     ("double_quotes", '{"descr": "<i8", "fortran_order": False, "shape": (3,)}', False),
//py     ("u_prefix", "{u'descr': u'<i8', U'shape': ()}", False),
//py     ("r_prefix", "(r'\\d', R'\\'', r\"a\\\"b\")", False),
//py     ("triple_single", "'''a'b\nc'''", False),
//py     ("triple_double", '"""x""y"\r\nz"""', False),
//py     ("triple_then_empty", "'''a'''''", False),
//py     ("concat", "'<' 'i4'", False),
//py     ("concat_in_dict", "{'descr': '<' \"f\" u'8', }", False),
//py     ("concat_multiline_comment", "('<'  # byte order\n 'i4'  # kind\n)", False),
//py     ("concat_continuation", "'a' \\\n'b'", False),
//py     ("escapes_simple", "'\\\\ \\' \\\" \\a \\b \\f \\n \\r \\t \\v'", False),
//py     ("escapes_numeric", "'\\x41\\101\\0\\7\\400\\777\\u00e9\\U0001F600\\uFFFF'", False),
//py     ("escape_unknown_kept", "'\\d\\q\\8\\9\\z'", False),
//py     ("escape_line_continuation", "'ab\\\ncd'", False),
//py     ("escape_crlf_continuation", "'ab\\\r\ncd'", False),
//py     ("raw_backslash_newline", "r'a\\\nb'", False),
//py     ("non_ascii_literal", "('\u00e9', '\u6574', '\U0001F600', 'caf\xc3\xa9')", False),
//py     ("hex", "(0x1F, 0X1f, 0xdead_BEEF)", False),
//py     ("octal_binary", "(0o17, 0O17, 0b101, 0B1_0_1)", False),
//py     ("underscores", "(1_000, 0x_ff, 0_0, 00)", False),
//py     ("signs", "(+3, -3, - 3, -(3), +(((7))), -0, -0x10)", False),
//py     ("paren_group", "((3),)", False),
//py     ("paren_group_deep", "(((3)))", False),
//py     ("paren_group_str", "(('a'))", False),
//py     ("i128_max", "170141183460469231731687303715884105727", False),
//py     ("i128_min", "-170141183460469231731687303715884105728", False),
//py     ("i128_min_hex", "-0x8000_0000_0000_0000_0000_0000_0000_0000", False),
//py     ("empty_tuple", "()", False),
//py     ("one_tuple", "(1,)", False),
//py     ("tuple_trailing", "(1, 2,)", False),
//py     ("tuple_spaced", "( 1 , )", False),
//py     ("bare_tuple", "1, 2", False),
//py     ("bare_one_tuple", "1,", False),
//py     ("bare_tuple_newline", "'a', (1,),\n", False),
//py     ("nested_tuples", "((), ((),), (1, (2, (3,))))", False),
//py     ("lists", "([], [1], [1,], [[], [()]])", False),
//py     ("dicts", "({}, {1: 2,}, {(1, 'a'): None, None: True, False: [1]})", False),
//py     ("nested_dict", "{'a': {'b': {'c': []}}}", False),
//py     ("constants", "[True, False, None]", False),
//py     ("tabs_ff", "\t{\t'shape'\x0c:\t(1,),\x0c}\x0c", False),
//py     ("crlf", "{'descr': '<i8',\r\n 'fortran_order': False,\r\n 'shape': (3,)}\r\n", False),
//py     ("lone_cr", "{'descr': '<i8',\r 'shape': (3,)}\r", False),
//py     ("leading_spaces", "   \t  {}", False),
//py     ("leading_blank_lines", "\n\n{}", False),
//py     ("trailing_blank_lines", "{}\n\n   \n\t\n", False),
//py     ("comments", "# header\n{ # open\n'shape': (1,), # shape\n} # done", False),
//py     ("comment_trailing_newline", "{}#x\n", False),
//py     ("continuation_top", "\\\n{} \\\n\n", False),
//py     ("continuation_inside", "(1 \\\n, 2)", False),
//py     ("newlines_everywhere", "{\n'a'\n:\n(\n1\n,\n)\n,\n}", False),
//py     ("duplicate_keys", "{'a': 1, 'b': 2, 'a': 3}", False),
//py     ("long_shape", "(2L,)", True),
//py     ("long_header", "{'descr': '<i8', 'fortran_order': False, 'shape': (10L, 3L), }", True),
//py     ("long_hex_neg", "(0x10L, -2L, 0L, 0b1L)", True),
//py     ("long_not_needed", "(2,)", True),
//py     ("long_str_untouched", "('L', '2L')", True),
//py ]
//py
//py # Python (and so NumPy) rejects these too.
//py REJECT = [
//py     ("unclosed_brace", "{'descr': '<i8'", False),
//py     ("unclosed_paren", "(1, 2", False),
//py     ("unclosed_bracket", "[1, 2", False),
//py     ("unclosed_nested", "{'a': [(1,", False),
//py     ("mismatched", "(1, 2]", False),
//py     ("extra_close", "{'a': 1}}", False),
//py     ("import_call", "__import__('os')", False),
//py     ("import_in_header", "{'descr': __import__('os').system('x'), 'shape': ()}", False),
//py     ("not_false", "not False", False),
//py     ("np_call", "np.int64(3)", False),
//py     ("name", "x", False),
//py     ("call", "True()", False),
//py     ("attribute", "None.x", False),
//py     ("subscript", "[1][0]", False),
//py     ("lambda", "lambda: 1", False),
//py     ("binop", "3 + 4", False),
//py     ("invert", "~1", False),
//py     ("ifexp", "1 if True else 2", False),
//py     ("trailing_garbage", "{} x", False),
//py     ("trailing_value", "{'a': 1} 2", False),
//py     ("two_lines", "'a'\n'b'", False),
//py     ("bare_tuple_two_lines", "1, 2\n3", False),
//py     ("sign_newline", "-\n3", False),
//py     ("empty", "", False),
//py     ("whitespace_only", "  \n\t\n", False),
//py     ("comment_only", "# nothing", False),
//py     ("unterminated_str", "'abc", False),
//py     ("unterminated_escape", "'\\'", False),
//py     ("unterminated_triple", "'''abc''", False),
//py     ("newline_in_str", "'a\nb'", False),
//py     ("truncated_x", "'\\x4'", False),
//py     ("truncated_u", "'\\u12'", False),
//py     ("truncated_big_u", "'\\U0001F60'", False),
//py     ("illegal_big_u", "'\\U00110000'", False),
//py     ("raw_unterminated", "r'\\'", False),
//py     ("double_sign", "--3", False),
//py     ("sign_sign", "+-3", False),
//py     ("signed_bool", "-True", False),
//py     ("signed_tuple", "-(1,)", False),
//py     ("signed_str", "-'a'", False),
//py     ("signed_signed_group", "-(-3)", False),
//py     ("missing_colon", "{'a' 1}", False),
//py     ("missing_value", "{'a': }", False),
//py     ("double_comma_list", "[1,,2]", False),
//py     ("comma_only_tuple", "(,)", False),
//py     ("comma_only_list", "[,]", False),
//py     ("comma_only_dict", "{,}", False),
//py     ("leading_zeros", "012", False),
//py     ("double_underscore", "1__0", False),
//py     ("trailing_underscore", "1_", False),
//py     ("hex_no_digits", "0x", False),
//py     ("bad_binary", "0b2", False),
//py     ("bad_octal", "0o8", False),
//py     ("digits_then_name", "0x1for", False),
//py     ("long_without_option", "(2L,)", False),
//py     ("long_header_v3", "{'descr': '<i8', 'fortran_order': False, 'shape': (10L, 3L), }", False),
//py     ("long_lowercase_numpy", "(2L, 3LL)", True),
//py     ("long_alone", "(L,)", True),
//py     ("unhashable_key", "{[1]: 2}", False),
//py     ("unhashable_nested_key", "{(1, {}): 2}", False),
//py     ("dict_unpack", "{**{}}", False),
//py     ("star", "[*()]", False),
//py     ("mixed_bytes_concat", "'a' b'c'", False),
//py     ("ur_prefix", "ur'x'", False),
//py     ("f_string", "f'x'", False),
//py     ("nul_padding", "{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }\x00\x00\x00\n", False),
//py     ("nul_in_str", "'a\x00'", False),
//py     ("vertical_tab", "\x0b{}", False),
//py     ("nbsp", "{\xa0}", False),
//py     ("bom", "\ufeff{}", False),
//py     ("line_separator", "\u2028{}", False),
//py     ("continuation_eof", "{}\\\n", False),
//py     ("continuation_garbage", "{} \\ ", False),
//py     ("lone_backslash", "\\", False),
//py     ("semicolon", "{};", False),
//py ]
//py
//py # Python accepts these, but they are outside the supported subset (or a Rust String cannot
//py # hold the result), so this crate rejects them on purpose.
//py REJECT_BY_DESIGN = [
//py     ("float", "1.5", False),
//py     ("float_exp", "1e3", False),
//py     ("float_dot", "1.", False),
//py     ("float_leading_dot", ".5", False),
//py     ("float_in_shape", "{'shape': (3.0,)}", False),
//py     ("complex", "1j", False),
//py     ("complex_sum", "1+2j", False),
//py     ("bytes", "b'x'", False),
//py     ("bytes_raw", "Rb'x'", False),
//py     ("set", "{1, 2}", False),
//py     ("set_one", "{1}", False),
//py     ("set_call", "set()", False),
//py     ("ellipsis", "...", False),
//py     ("named_escape", "'\\N{BULLET}'", False),
//py     ("lone_surrogate", "'\\ud800'", False),
//py     ("surrogate_pair_escapes", "'\\ud83d\\ude00'", False),
//py     ("surrogate_big_u", "'\\U0000dfff'", False),
//py     ("int_2_127", "170141183460469231731687303715884105728", False),
//py     ("int_2_128", "340282366920938463463374607431768211456", False),
//py     ("int_below_min", "-170141183460469231731687303715884105729", False),
//py     ("int_huge_shape", "(99999999999999999999999999999999999999999L,)", True),
//py     ("long_with_space_numpy", "(2 L,)", True),
//py ]
//py
//py # Python rejects these; this crate accepts them on purpose (whitespace leniency; the
//py # lower-case long suffix the contract asks for).
//py ACCEPT_BY_DESIGN = [
//py     ("indented_after_blank_line", "\n  {}", False, "{}"),
//py     ("indented_after_blank_line_tab", "\t\n\t(1,)", False, "(1,)"),
//py     ("trailing_indent_without_newline", "{}\n  ", False, "{}"),
//py     ("trailing_comment_then_indent", "{}\n  # c\n   ", False, "{}"),
//py     ("long_lowercase", "(2l,)", True, "(2,)"),
//py ]
//py
//py
//py def case(name, *parts):
//py     return "#[case::%s(%s)]" % (name, ", ".join(parts))
//py
//py
//py print("// --- repr table")
//py for name, s in REPR:
//py     print(case(name, rs_str(s), rs_str(repr(s))))
//py print("// --- accepted")
//py for name, text, long in ACCEPT:
//py     v = numpy_eval(text, long)
//py     print(case(name, rs_str(text), str(long).lower(), rs_val(v)))
//py print("// --- rejected")
//py for name, text, long in REJECT:
//py     assert rejects(text, long), name
//py     print(case(name, rs_str(text), str(long).lower()))
//py print("// --- rejected by design")
//py for name, text, long in REJECT_BY_DESIGN:
//py     assert not rejects(text, long), name
//py     print(case(name, rs_str(text), str(long).lower()))
//py print("// --- accepted by design")
//py for name, text, long, same_as in ACCEPT_BY_DESIGN:
//py     assert rejects(text, long), name
//py     print(case(name, rs_str(text), str(long).lower(), rs_val(ast.literal_eval(same_as))))

/// Expected texts printed by Python 3.11: `print(repr(b))` for each input.
#[rstest]
#[case(b"it's", r#"b"it's""#)]
#[case(b"a\"b", r#"b'a"b'"#)]
#[case(b"both'\"", r#"b'both\'"'"#)]
#[case(b"\x93NUMPY", r"b'\x93NUMPY'")]
#[case(b"\\\t\n\r\x00\x7f ~", r"b'\\\t\n\r\x00\x7f ~'")]
fn bytes_repr_matches_python(#[case] bytes: &[u8], #[case] expected: &str) {
    let mut out = String::new();
    npy_core::literal::write_repr_bytes(&mut out, bytes);
    assert_eq!(out, expected);
}

#[rstest]
#[case(&[], "()")]
#[case(&[3], "(3,)")]
#[case(&[2, 3, 18446744073709551615], "(2, 3, 18446744073709551615)")]
fn shape_repr_matches_python(#[case] shape: &[u64], #[case] expected: &str) {
    let mut out = String::new();
    npy_core::literal::write_repr_shape(&mut out, shape);
    assert_eq!(out, expected);
}
