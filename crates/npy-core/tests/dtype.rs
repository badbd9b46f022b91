//! The dtype model against NumPy: descr text, structure, parsing, byte swapping.
//!
//! Expected values come from real NumPy: `tests/gen/gen_dtype_cases.py` (run with NumPy 2.4.6 on
//! Linux x86-64) writes `tests/gen/dtype_cases.tsv`, whose sections are described in the script.
//! Hand-written tables below cover constructors and error paths; proptest checks the round trip
//! `from_descr(parse(descr(d))) == d` and the swap against a naive reference.

use npy_core::dtype::{MAX_ITEMSIZE, MAX_NESTING_DEPTH, MAX_SUBARRAY_NDIM};
use npy_core::literal::{self, write_repr_str, ParseOptions, Value};
use npy_core::{
    ByteOrder, DType, DateTimeUnit, ErrorKind, Field, Record, Scalar, ScalarKind, SubArray,
    TimeUnit,
};
use proptest::prelude::*;
use rstest::rstest;

const CASES: &str = include_str!("gen/dtype_cases.tsv");
const INVALID: &str = "descr is not a valid dtype descriptor: ";

/// The generated lines of one section, split on tabs (section column dropped).
fn section(tag: &str) -> Vec<Vec<&'static str>> {
    let rows: Vec<Vec<&str>> = CASES
        .lines()
        .filter(|line| !line.starts_with('#'))
        .map(|line| line.split('\t').collect::<Vec<_>>())
        .filter(|cols| cols[0] == tag)
        .map(|cols| cols[1..].to_vec())
        .collect();
    assert!(!rows.is_empty(), "no {tag} rows in dtype_cases.tsv");
    rows
}

fn parse_value(text: &str) -> Value {
    literal::parse(text, &ParseOptions::default())
        .unwrap_or_else(|e| panic!("literal::parse({text}) failed: {e}"))
}

fn from_text(text: &str) -> npy_core::Result<DType> {
    DType::from_descr(&parse_value(text))
}

fn repr(s: &str) -> String {
    let mut out = String::new();
    write_repr_str(&mut out, s);
    out
}

/// The generator's `structure(dt)`: a canonical text of the layout.
fn structure(dtype: &DType) -> String {
    match dtype {
        DType::Scalar(s) => s.to_string(),
        DType::SubArray(sub) => {
            let dims: Vec<String> = sub.shape.iter().map(u64::to_string).collect();
            format!("A({};{})", structure(&sub.base), dims.join("x"))
        }
        DType::Record(r) => {
            let fields: Vec<String> = r
                .fields()
                .iter()
                .map(|f| {
                    let title = f.title.as_deref().map(|t| format!("/{}", repr(t)));
                    format!(
                        "{}{}@{}:{}",
                        repr(&f.name),
                        title.unwrap_or_default(),
                        f.offset,
                        structure(&f.dtype)
                    )
                })
                .collect();
            format!("R{}{{{}}}", r.itemsize(), fields.join(","))
        }
    }
}

fn py_bool(b: bool) -> &'static str {
    if b {
        "True"
    } else {
        "False"
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

fn scalar(kind: ScalarKind, order: ByteOrder) -> DType {
    DType::scalar(kind, order).unwrap()
}

// ---------------------------------------------------------------------------------------------
// NumPy-generated tables
// ---------------------------------------------------------------------------------------------

/// Every dtype NumPy built: descr text, itemsize, layout, hasobject, isnative, newbyteorder.
#[test]
fn numpy_dtypes_match() {
    let mut failures = Vec::new();
    for row in section("D") {
        let [id, descr, itemsize, layout, has_object, is_native, big, little] = row[..] else {
            panic!("bad D row {row:?}");
        };
        let dtype = match from_text(descr) {
            Ok(d) => d,
            Err(e) => {
                failures.push(format!("{id}: from_descr({descr}) failed: {e}"));
                continue;
            }
        };
        let checks = [
            ("descr", dtype.descr(), descr.to_owned()),
            ("Display", dtype.to_string(), descr.to_owned()),
            (
                "itemsize",
                dtype.itemsize().to_string(),
                itemsize.to_owned(),
            ),
            ("structure", structure(&dtype), layout.to_owned()),
            (
                "has_object",
                py_bool(dtype.has_object()).to_owned(),
                has_object.to_owned(),
            ),
            (
                "is_native",
                py_bool(dtype.is_native()).to_owned(),
                is_native.to_owned(),
            ),
            (
                "big",
                dtype.with_byte_order(ByteOrder::Big).descr(),
                big.to_owned(),
            ),
            (
                "little",
                dtype.with_byte_order(ByteOrder::Little).descr(),
                little.to_owned(),
            ),
        ];
        for (what, got, want) in checks {
            if got != want {
                failures.push(format!("{id}: {what}: got {got}, NumPy {want}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// `descr_to_dtype` on inputs NumPy accepts or rejects: same layout, or an InvalidDescr error.
#[test]
fn numpy_descr_parsing_matches() {
    let mut failures = Vec::new();
    for row in section("P") {
        let [input, want] = row[..] else {
            panic!("bad P row {row:?}");
        };
        match (from_text(input), want) {
            (Err(e), "ERR") => {
                let prefix = format!("{INVALID}{input}");
                if e.kind() != ErrorKind::InvalidDescr || !e.message().starts_with(&prefix) {
                    failures.push(format!("{input}: wrong error {:?}: {}", e.kind(), e));
                }
            }
            (Err(e), want) => failures.push(format!("{input}: rejected ({e}), NumPy gives {want}")),
            (Ok(d), "ERR") => failures.push(format!("{input}: accepted as {}", structure(&d))),
            (Ok(d), want) => {
                if structure(&d) != want {
                    failures.push(format!("{input}: got {}, NumPy {want}", structure(&d)));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Inputs NumPy accepts but no writer emits, rejected on purpose (documented deviations).
#[test]
fn documented_deviations_are_rejected() {
    for row in section("X") {
        let err = from_text(row[0]).expect_err(row[0]);
        assert_eq!(err.kind(), ErrorKind::InvalidDescr, "{}", row[0]);
    }
}

/// `swap_to` reproduces NumPy's `byteswap` (padding excluded), and swapping back restores the input.
#[test]
fn numpy_byteswap_matches() {
    for row in section("S") {
        let [descr, input, want] = row[..] else {
            panic!("bad S row {row:?}");
        };
        let dtype = from_text(descr).unwrap();
        let target = if descr.contains('>') {
            ByteOrder::Little
        } else {
            ByteOrder::Big
        };
        let mut data = unhex(input);
        let swapped = dtype.swap_to(target, &mut data).unwrap();
        assert_eq!(hex(&data), want, "{descr}");
        assert_eq!(swapped, dtype.with_byte_order(target), "{descr}");
        let back_order = if target == ByteOrder::Big {
            ByteOrder::Little
        } else {
            ByteOrder::Big
        };
        let back = swapped.swap_to(back_order, &mut data).unwrap();
        assert_eq!(hex(&data), input, "{descr}");
        assert_eq!(back, dtype, "{descr}");
    }
}

// ---------------------------------------------------------------------------------------------
// Scalars
// ---------------------------------------------------------------------------------------------

#[rstest]
#[case(ScalarKind::Int(3))]
#[case(ScalarKind::Int(16))]
#[case(ScalarKind::UInt(0))]
#[case(ScalarKind::Float(1))]
#[case(ScalarKind::Float(12))]
#[case(ScalarKind::Complex(4))]
#[case(ScalarKind::Complex(64))]
#[case(ScalarKind::DateTime(DateTimeUnit { unit: TimeUnit::Seconds, multiplier: 1 << 31 }))]
fn scalar_rejects_bad_widths(#[case] kind: ScalarKind) {
    let err = Scalar::new(kind, ByteOrder::Little).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{kind:?}");
}

#[rstest]
#[case(ScalarKind::Bytes(MAX_ITEMSIZE + 1))]
#[case(ScalarKind::Void(usize::MAX))]
#[case(ScalarKind::Unicode(MAX_ITEMSIZE / 4 + 1))]
#[case(ScalarKind::Unicode(usize::MAX))]
fn scalar_rejects_oversized_strings(#[case] kind: ScalarKind) {
    let err = Scalar::new(kind, ByteOrder::Little).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Overflow, "{kind:?}");
}

#[rstest]
#[case(ScalarKind::Bool, ByteOrder::Big, ByteOrder::NotApplicable, 1, "|b1")]
#[case(ScalarKind::Int(1), ByteOrder::Big, ByteOrder::NotApplicable, 1, "|i1")]
#[case(
    ScalarKind::UInt(1),
    ByteOrder::Little,
    ByteOrder::NotApplicable,
    1,
    "|u1"
)]
#[case(
    ScalarKind::Bytes(5),
    ByteOrder::Big,
    ByteOrder::NotApplicable,
    5,
    "|S5"
)]
#[case(
    ScalarKind::Void(0),
    ByteOrder::Little,
    ByteOrder::NotApplicable,
    0,
    "|V0"
)]
#[case(ScalarKind::Object, ByteOrder::Big, ByteOrder::NotApplicable, 8, "|O")]
#[case(
    ScalarKind::Int(4),
    ByteOrder::NotApplicable,
    ByteOrder::native(),
    4,
    "<i4"
)]
#[case(ScalarKind::Unicode(3), ByteOrder::Big, ByteOrder::Big, 12, ">U3")]
#[case(ScalarKind::Unicode(0), ByteOrder::Little, ByteOrder::Little, 0, "<U0")]
#[case(ScalarKind::Float(16), ByteOrder::Big, ByteOrder::Big, 16, ">f16")]
#[case(
    ScalarKind::Complex(32),
    ByteOrder::Little,
    ByteOrder::Little,
    32,
    "<c32"
)]
#[case(
    ScalarKind::DateTime(DateTimeUnit::GENERIC),
    ByteOrder::Little,
    ByteOrder::Little,
    8,
    "<M8"
)]
#[case(
    ScalarKind::DateTime(DateTimeUnit { unit: TimeUnit::Generic, multiplier: 7 }),
    ByteOrder::Little, ByteOrder::Little, 8, "<M8"
)]
#[case(
    ScalarKind::TimeDelta(DateTimeUnit { unit: TimeUnit::Seconds, multiplier: 25 }),
    ByteOrder::Big, ByteOrder::Big, 8, ">m8[25s]"
)]
#[case(
    ScalarKind::TimeDelta(DateTimeUnit::plain(TimeUnit::Microseconds)),
    ByteOrder::Little,
    ByteOrder::Little,
    8,
    "<m8[us]"
)]
fn scalar_normalises_order(
    #[case] kind: ScalarKind,
    #[case] order: ByteOrder,
    #[case] want_order: ByteOrder,
    #[case] itemsize: usize,
    #[case] text: &str,
) {
    let s = Scalar::new(kind, order).unwrap();
    assert_eq!(s.order(), want_order);
    assert_eq!(s.itemsize(), itemsize);
    assert_eq!(s.to_string(), text);
    assert_eq!(DType::from(s).descr(), format!("'{text}'"));
    assert_eq!(text.parse::<Scalar>().unwrap(), s);
}

#[test]
fn scalar_accessors_and_native() {
    let s = Scalar::native(ScalarKind::Float(8)).unwrap();
    assert_eq!(s.kind(), ScalarKind::Float(8));
    assert_eq!(s.order(), ByteOrder::native());
    assert!(s.is_native());
    assert_eq!(
        DType::native(ScalarKind::Float(8)).unwrap(),
        DType::Scalar(s)
    );
    assert!(DType::native(ScalarKind::Int(3)).is_err());
    assert_eq!(
        DateTimeUnit::new(TimeUnit::Generic, 9).unwrap(),
        DateTimeUnit::GENERIC
    );
    assert!(DateTimeUnit::new(TimeUnit::Days, 1 << 40).is_err());
    for unit in TimeUnit::ALL {
        assert_eq!(TimeUnit::from_name(unit.as_str()), Some(unit));
    }
    assert_eq!(TimeUnit::from_name("μs"), Some(TimeUnit::Microseconds));
    assert_eq!(
        TimeUnit::from_name("µs"),
        None,
        "MICRO SIGN is not accepted by NumPy"
    );
}

#[rstest]
#[case("f12", "data type 'f12' not understood")]
#[case("<i16", "data type '<i16' not understood")]
#[case("Z8", "data type 'Z8' not understood")]
fn scalar_from_str_errors(#[case] text: &str, #[case] detail: &str) {
    let err = text.parse::<Scalar>().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidDescr);
    assert_eq!(err.message(), format!("{INVALID}'{text}' ({detail})"));
}

// ---------------------------------------------------------------------------------------------
// Records and subarrays
// ---------------------------------------------------------------------------------------------

fn i4() -> DType {
    scalar(ScalarKind::Int(4), ByteOrder::Little)
}

#[test]
fn record_accessors() {
    let r = Record::new(
        vec![
            Field::new("a", i4(), 1),
            Field::new("b", i4(), 6).with_title("bb"),
        ],
        12,
    )
    .unwrap();
    assert_eq!(r.itemsize(), 12);
    assert_eq!(r.fields().len(), 2);
    assert_eq!(r.field("b").unwrap().offset, 6);
    assert_eq!(r.field("bb"), None, "titles are not looked up");
    let d = DType::from(r.clone());
    assert_eq!(
        d.descr(),
        "[('', '|V1'), ('a', '<i4'), ('', '|V1'), (('bb', 'b'), '<i4'), ('', '|V2')]"
    );
    assert_eq!(from_text(&d.descr()).unwrap(), d);
    assert_eq!(r.into_fields()[0].name, "a");

    let packed = Record::packed(vec![
        ("x".into(), i4()),
        ("y".into(), DType::native(ScalarKind::Bool).unwrap()),
    ])
    .unwrap();
    assert_eq!(packed.itemsize(), 5);
    assert_eq!(packed.fields()[1].offset, 4);
}

#[rstest]
#[case::overlap(vec![Field::new("a", i4(), 0), Field::new("b", i4(), 2)], 8, ErrorKind::InvalidArgument)]
#[case::out_of_order(vec![Field::new("a", i4(), 4), Field::new("b", i4(), 0)], 8, ErrorKind::InvalidArgument)]
#[case::past_end(vec![Field::new("a", i4(), 6)], 8, ErrorKind::InvalidArgument)]
#[case::offset_overflow(vec![Field::new("a", i4(), usize::MAX)], 8, ErrorKind::InvalidArgument)]
#[case::duplicate_name(vec![Field::new("a", i4(), 0), Field::new("a", i4(), 4)], 8, ErrorKind::InvalidArgument)]
#[case::title_is_own_name(vec![Field::new("a", i4(), 0).with_title("a")], 4, ErrorKind::InvalidArgument)]
#[case::title_is_other_name(vec![Field::new("a", i4(), 0).with_title("b"), Field::new("b", i4(), 4)], 8, ErrorKind::InvalidArgument)]
#[case::duplicate_title(vec![Field::new("a", i4(), 0).with_title("t"), Field::new("b", i4(), 4).with_title("t")], 8, ErrorKind::InvalidArgument)]
#[case::too_big(vec![], MAX_ITEMSIZE + 1, ErrorKind::Overflow)]
#[case::bad_hand_built_subarray(
    vec![Field::new("a", DType::SubArray(SubArray { base: Box::new(i4()), shape: vec![u64::MAX, 4] }), 0)],
    8, ErrorKind::InvalidArgument
)]
fn record_rejects(#[case] fields: Vec<Field>, #[case] itemsize: usize, #[case] kind: ErrorKind) {
    assert_eq!(Record::new(fields, itemsize).unwrap_err().kind(), kind);
}

#[test]
fn record_allows_zero_size_fields_at_one_offset_and_empty_names() {
    let v0 = scalar(ScalarKind::Void(0), ByteOrder::NotApplicable);
    let r = Record::new(
        vec![
            Field::new("a", v0, 0),
            Field::new("", i4(), 0).with_title(""),
        ],
        4,
    );
    // A title equal to the name '' is refused, like NumPy's "title already used".
    assert!(r.is_err());
    let r = Record::new(
        vec![
            Field::new(
                "a",
                scalar(ScalarKind::Void(0), ByteOrder::NotApplicable),
                0,
            ),
            Field::new("", i4(), 0),
        ],
        4,
    )
    .unwrap();
    assert_eq!(DType::from(r).descr(), "[('a', '|V0'), ('', '<i4')]");
}

#[test]
fn packed_overflow_is_an_error() {
    let big = scalar(ScalarKind::Bytes(MAX_ITEMSIZE), ByteOrder::NotApplicable);
    let err = Record::packed(vec![("a".into(), big.clone()), ("b".into(), big)]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Overflow);
}

#[rstest]
#[case::empty_shape(i4(), vec![], ErrorKind::InvalidArgument)]
#[case::too_many_dims(i4(), vec![1; MAX_SUBARRAY_NDIM + 1], ErrorKind::InvalidArgument)]
#[case::dim_too_big(i4(), vec![1 << 31], ErrorKind::InvalidArgument)]
#[case::size_too_big(i4(), vec![1 << 29], ErrorKind::Overflow)]
#[case::product_overflow(i4(), vec![(1 << 31) - 1; 4], ErrorKind::Overflow)]
#[case::unsized_bytes(scalar(ScalarKind::Bytes(0), ByteOrder::NotApplicable), vec![2], ErrorKind::InvalidArgument)]
#[case::unsized_unicode(scalar(ScalarKind::Unicode(0), ByteOrder::Little), vec![2], ErrorKind::InvalidArgument)]
#[case::unsized_subarray(DType::subarray(i4(), vec![0]).unwrap(), vec![3], ErrorKind::InvalidArgument)]
fn subarray_rejects(#[case] base: DType, #[case] shape: Vec<u64>, #[case] kind: ErrorKind) {
    assert_eq!(SubArray::new(base, shape).unwrap_err().kind(), kind);
}

#[test]
fn subarray_rules() {
    // Empty shape: the base itself, as dtype(('<i4', ())).
    assert_eq!(DType::subarray(i4(), vec![]).unwrap(), i4());
    // A zero dimension makes the size 0 whatever the other dimensions are.
    let zero = SubArray::new(i4(), vec![(1 << 31) - 1, (1 << 31) - 1, 0]).unwrap();
    assert_eq!(zero.itemsize(), 0);
    assert_eq!(zero.element_count(), 0);
    // Subarray of a zero-size record is allowed; nested subarrays are kept nested.
    let empty = DType::from(Record::new(vec![], 0).unwrap());
    assert_eq!(SubArray::new(empty, vec![2]).unwrap().itemsize(), 0);
    let inner = DType::subarray(i4(), vec![5]).unwrap();
    let outer = DType::subarray(inner.clone(), vec![2, 3]).unwrap();
    assert_eq!(outer.itemsize(), 120);
    assert_eq!(outer.descr(), "(('<i4', (5,)), (2, 3))");
    assert_eq!(from_text(&outer.descr()).unwrap(), outer);
    let DType::SubArray(sub) = &outer else {
        panic!()
    };
    assert_eq!(*sub.base, inner);
    // Hand-built subarrays saturate instead of overflowing, and fail validation.
    let hand = DType::SubArray(SubArray {
        base: Box::new(i4()),
        shape: vec![u64::MAX, u64::MAX],
    });
    assert_eq!(hand.itemsize(), usize::MAX);
    assert!(hand.validate().is_err());
    assert!(hand.swap_to(ByteOrder::Big, &mut []).is_err());
}

/// Wrapping stops at the depth limit with an error, and the deepest dtypes allowed still fit,
/// inside a header dict, in the header reader's default bracket limit.
#[rstest]
#[case::records(|d: DType| Record::packed(vec![("a".into(), d)]).map(DType::from))]
#[case::subarrays(|d: DType| DType::subarray(d, vec![1]))]
#[case::subarray_fields(|d: DType| {
    let sub = DType::subarray(d, vec![1])?;
    Record::packed(vec![("a".into(), sub)]).map(DType::from)
})]
fn nesting_depth_is_bounded(#[case] wrap: fn(DType) -> npy_core::Result<DType>) {
    let mut d = i4();
    let mut levels = 0;
    let err = loop {
        match wrap(d.clone()) {
            Ok(next) => d = next,
            Err(e) => break e,
        }
        levels += 1;
        assert!(levels <= MAX_NESTING_DEPTH, "no depth limit");
    };
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    assert!(levels >= MAX_NESTING_DEPTH / 2 - 1, "{levels}");
    let header = format!(
        "{{'descr': {}, 'fortran_order': False, 'shape': (3,), }}",
        d.descr()
    );
    let options = ParseOptions {
        max_depth: npy_core::ReadOptions::default().max_depth,
        ..ParseOptions::default()
    };
    let value = literal::parse(&header, &options).unwrap();
    assert_eq!(DType::from_descr(value.get("descr").unwrap()).unwrap(), d);
}

// ---------------------------------------------------------------------------------------------
// from_descr errors
// ---------------------------------------------------------------------------------------------

#[rstest]
#[case::long_double_12("'<f12'", "data type '<f12' not understood")]
#[case::int_16("'<i16'", "data type '<i16' not understood")]
#[case::unknown_code("'<x4'", "data type '<x4' not understood")]
#[case::negative_size("'S-1'", "data type 'S-1' not understood")]
#[case::negative_dim("('<i4', (-1,))", "dimension smaller than zero")]
#[case::huge_subarray(
    "('<f8', (4611686018427387904, 4611686018427387904))",
    "dimension does not fit into a C int"
)]
#[case::big_subarray("('<f8', (268435456,))", "must fit into a C int")]
#[case::metadata_leak("[('a', '<f8'), ('b', ('|S3', {'some': 'stuff'}))]", "metadata")]
#[case::metadata_field("[('a', '<f8', {'some': 'stuff'})]", "metadata")]
#[case::top_level_dict("{'descr': '<f8'}", "a dict is not a dtype")]
#[case::duplicate_names("[('a', '<i4'), ('a', '<i4')]", "already used as a name or title")]
#[case::title_clash("[(('a', 'a'), '<i4')]", "already used as a name or title")]
#[case::nested_duplicate("[('x', [('a', '<i4'), ('a', '<u1')])]", "already used")]
#[case::non_str_name("[(1, '<i4')]", "field names must be strings")]
#[case::bad_entry("[('a', '<i4', (2,), 1)]", "2 or 3 items")]
#[case::int_descr("5", "int is not a dtype")]
#[case::record_too_big("[('a', 'S1073741824'), ('b', 'S1073741824')]", "C int")]
#[case::unsized_subarray("('S0', (2,))", "invalid itemsize in generic type tuple")]
#[case::tuple_arity("('<i4', (2,), 'x')", "(dtype, shape)")]
fn from_descr_errors(#[case] text: &str, #[case] detail: &str) {
    let err = from_text(text).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidDescr, "{text}");
    let message = err.message();
    assert!(
        message.starts_with(&format!("{INVALID}{text}")),
        "{message}"
    );
    assert!(message.contains(detail), "{text}: {message}");
}

#[test]
fn deep_values_are_rejected_without_recursion_trouble() {
    // Built directly, bypassing the literal parser's own depth limit.
    let mut v = Value::Str("<i4".into());
    for _ in 0..10_000 {
        v = Value::List(vec![Value::Tuple(vec![Value::Str("a".into()), v])]);
    }
    let err = DType::from_descr(&v).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidDescr);
    assert!(err.message().ends_with("levels)"), "{}", err.message());
    assert!(err.message().len() < 2000, "the quoted descr is truncated");
    // Iterative drop to keep the test itself from overflowing the stack.
    while let Value::List(mut items) = v {
        let Value::Tuple(mut pair) = items.pop().unwrap() else {
            unreachable!()
        };
        v = pair.pop().unwrap();
    }
}

// ---------------------------------------------------------------------------------------------
// Byte order and swapping
// ---------------------------------------------------------------------------------------------

#[test]
fn with_byte_order_and_is_native() {
    let d = from_text("[('a', '>i4'), ('b', '|S3'), ('c', '<f8', (2,)), ('d', [('e', '>U1')])]")
        .unwrap();
    assert!(!d.is_native());
    let little = d.with_byte_order(ByteOrder::Little);
    assert_eq!(
        little.descr(),
        "[('a', '<i4'), ('b', '|S3'), ('c', '<f8', (2,)), ('d', [('e', '<U1')])]"
    );
    assert!(little.is_native());
    assert_eq!(d.with_byte_order(ByteOrder::NotApplicable), d);
    assert!(!from_text("('>i4', (2,))").unwrap().is_native());
}

#[rstest]
#[case::not_applicable_target("'<i4'", ByteOrder::NotApplicable, 8)]
#[case::partial_element("'<i4'", ByteOrder::Big, 6)]
#[case::zero_itemsize_nonempty("'|V0'", ByteOrder::Big, 1)]
fn swap_rejects(#[case] descr: &str, #[case] target: ByteOrder, #[case] len: usize) {
    let d = from_text(descr).unwrap();
    let err = d.swap_to(target, &mut vec![0; len]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
}

#[test]
fn swap_zero_itemsize_and_same_order_are_no_ops() {
    let d = from_text("'|V0'").unwrap();
    assert_eq!(d.swap_to(ByteOrder::Big, &mut []).unwrap(), d);
    let d = from_text("'<i4'").unwrap();
    let mut data = [1, 2, 3, 4];
    assert_eq!(d.swap_to(ByteOrder::Little, &mut data).unwrap(), d);
    assert_eq!(data, [1, 2, 3, 4]);
}

/// Large subarrays of records exceed the swap plan and take the per-element path; the bytes
/// must match swapping the same records as a flat array.
#[test]
fn swap_large_subarray_of_records() {
    let rec = from_text("[('x', '<i2'), ('p', '|u1'), ('y', '<u4')]").unwrap();
    let n = 5000;
    let nested = from_text(&format!("[('a', {}, ({n},)), ('z', '<f8')]", rec.descr())).unwrap();
    let data: Vec<u8> = (0..nested.itemsize() * 2)
        .map(|i| (i * 7 + 3) as u8)
        .collect();

    let mut got = data.clone();
    nested.swap_to(ByteOrder::Big, &mut got).unwrap();

    let mut want = data.clone();
    for element in want.chunks_exact_mut(nested.itemsize()) {
        let (records, z) = element.split_at_mut(rec.itemsize() * n);
        rec.swap_to(ByteOrder::Big, records).unwrap();
        z.reverse();
    }
    assert_eq!(got, want);
}

// ---------------------------------------------------------------------------------------------
// Property tests
// ---------------------------------------------------------------------------------------------

fn arb_kind() -> impl Strategy<Value = ScalarKind> {
    let unit = (
        prop::sample::select(TimeUnit::ALL.to_vec()),
        prop_oneof![Just(1u64), 0u64..100, Just((1 << 31) - 1)],
    )
        .prop_map(|(unit, multiplier)| DateTimeUnit { unit, multiplier });
    prop_oneof![
        Just(ScalarKind::Bool),
        prop::sample::select(vec![1u8, 2, 4, 8]).prop_map(ScalarKind::Int),
        prop::sample::select(vec![1u8, 2, 4, 8]).prop_map(ScalarKind::UInt),
        prop::sample::select(vec![2u8, 4, 8, 16]).prop_map(ScalarKind::Float),
        prop::sample::select(vec![8u8, 16, 32]).prop_map(ScalarKind::Complex),
        (0usize..12).prop_map(ScalarKind::Bytes),
        (0usize..4).prop_map(ScalarKind::Unicode),
        (0usize..9).prop_map(ScalarKind::Void),
        unit.clone().prop_map(ScalarKind::DateTime),
        unit.prop_map(ScalarKind::TimeDelta),
        Just(ScalarKind::Object),
    ]
}

fn arb_order() -> impl Strategy<Value = ByteOrder> {
    prop::sample::select(vec![
        ByteOrder::Little,
        ByteOrder::Big,
        ByteOrder::NotApplicable,
    ])
}

fn arb_dtype() -> impl Strategy<Value = DType> {
    let leaf = (arb_kind(), arb_order()).prop_map(|(k, o)| DType::scalar(k, o).unwrap());
    leaf.prop_recursive(4, 32, 4, |inner| {
        let field = (
            "[a-z'\"\\\\ é整\n\t\u{0}\u{7f}]{0,4}",
            prop::option::of("[A-Z'\"]{0,3}"),
            inner.clone(),
            0usize..4,
        );
        let record = (prop::collection::vec(field, 0..4), 0usize..4).prop_map(|(fields, tail)| {
            let mut offset = 0;
            let fields: Vec<Field> = fields
                .into_iter()
                .enumerate()
                .map(|(i, (name, title, dtype, gap))| {
                    offset += gap;
                    // Unique, non-empty names; titles in a disjoint namespace.
                    let mut f = Field::new(format!("{name}#{i}"), dtype, offset);
                    if let Some(t) = title {
                        f = f.with_title(format!("{t}@{i}"));
                    }
                    offset += f.dtype.itemsize();
                    f
                })
                .collect();
            DType::from(Record::new(fields, offset + tail).unwrap())
        });
        let subarray = (inner, prop::collection::vec(0u64..4, 1..3))
            .prop_filter_map("zero-size base", |(base, shape)| {
                DType::subarray(base, shape).ok()
            });
        prop_oneof![record, subarray]
    })
}

/// Naive reference: reverse each scalar that has a different byte order, walking the dtype.
fn reference_swap(dtype: &DType, target: ByteOrder, bytes: &mut [u8]) {
    match dtype {
        DType::Scalar(s) => {
            if s.order() == ByteOrder::NotApplicable || s.order() == target {
                return;
            }
            let unit = match s.kind() {
                ScalarKind::Complex(w) => usize::from(w / 2),
                ScalarKind::Unicode(_) => 4,
                _ => s.itemsize(),
            };
            for value in bytes.chunks_mut(unit) {
                value.reverse();
            }
        }
        DType::Record(r) => {
            for f in r.fields() {
                let size = f.dtype.itemsize();
                reference_swap(&f.dtype, target, &mut bytes[f.offset..f.offset + size]);
            }
        }
        DType::SubArray(sub) => {
            let step = sub.base.itemsize();
            if step > 0 {
                for item in bytes.chunks_mut(step) {
                    reference_swap(&sub.base, target, item);
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn descr_round_trips(d in arb_dtype()) {
        let text = d.descr();
        let back = DType::from_descr(&parse_value(&text)).unwrap();
        prop_assert_eq!(&back, &d, "{}", text);
        prop_assert_eq!(back.descr(), text);
        prop_assert_eq!(d.to_string(), d.descr());
    }

    #[test]
    fn swap_matches_reference_and_round_trips(d in arb_dtype(), seed in any::<u64>(), n in 0usize..4) {
        prop_assume!(d.itemsize() <= 4096);
        let len = d.itemsize() * n;
        let data: Vec<u8> = (0..len).map(|i| (seed.wrapping_mul(i as u64 + 1) >> 7) as u8).collect();
        for target in [ByteOrder::Little, ByteOrder::Big] {
            let mut got = data.clone();
            let swapped = d.swap_to(target, &mut got).unwrap();
            prop_assert_eq!(&swapped, &d.with_byte_order(target));
            let mut want = data.clone();
            if d.itemsize() > 0 {
                for element in want.chunks_mut(d.itemsize()) {
                    reference_swap(&d, target, element);
                }
            }
            prop_assert_eq!(&got, &want);
            // Swapping a uniform-order dtype to the other order and back is the identity.
            let other = if target == ByteOrder::Big { ByteOrder::Little } else { ByteOrder::Big };
            let there = swapped.swap_to(other, &mut got).unwrap();
            let back = there.swap_to(target, &mut got).unwrap();
            prop_assert_eq!(&back, &swapped);
            prop_assert_eq!(&got, &want);
        }
    }

    #[test]
    fn from_descr_never_panics_on_strings(s in "[<>|=]?[a-zA-Z?]{0,2}[0-9]{0,12}(\\[[0-9]{0,11}[a-zμ]{0,3}\\])?") {
        let _ = DType::from_descr(&Value::Str(s));
    }
}
