//! Serialization errors: every serde type without a NumPy dtype, every mismatch between a row
//! and its dtype, and every value that does not fit, with the kind, row, field path and message
//! the error carries. Nothing here needs NumPy.

use std::collections::{BTreeMap, HashMap};
use std::io::Cursor;

use npy_core::{ByteOrder, DType, Record, Scalar, ScalarKind, Version};
use npy_serde::units::{Ns, S};
use npy_serde::{
    to_path_with, to_vec, to_vec_with, Datetime64, Error, ErrorKind, Options, RecordWriter,
    StringMode,
};
use rstest::rstest;
use serde::{Serialize, Serializer};

#[track_caller]
fn error_of<T: Serialize>(rows: &[T], options: &Options) -> Error {
    match to_vec_with(rows, options) {
        Ok(bytes) => panic!("expected an error, wrote {} bytes", bytes.len()),
        Err(e) => e,
    }
}

#[track_caller]
fn check(err: &Error, kind: ErrorKind, row: Option<u64>, field: Option<&str>, message: &str) {
    assert_eq!(err.kind(), kind, "{err}");
    assert_eq!(err.row(), row, "{err}");
    assert_eq!(err.field(), field, "{err}");
    assert!(
        err.message().contains(message),
        "message {:?} lacks {message:?}",
        err.message()
    );
}

fn scalar(kind: ScalarKind) -> DType {
    DType::Scalar(Scalar::new(kind, ByteOrder::Little).unwrap())
}

fn record(fields: &[(&str, DType)]) -> DType {
    DType::Record(
        Record::packed(
            fields
                .iter()
                .map(|(name, dtype)| ((*name).to_owned(), dtype.clone()))
                .collect(),
        )
        .unwrap(),
    )
}

// ---- serde types without a dtype -------------------------------------------------------------------

#[derive(Serialize)]
struct WithOption {
    id: u32,
    maybe: Option<f64>,
}

#[rstest]
#[case(Some(2.0))]
#[case(None)]
fn option_is_unsupported_with_a_hint(#[case] maybe: Option<f64>) {
    let err = error_of(&[WithOption { id: 1, maybe }], &Options::new());
    check(
        &err,
        ErrorKind::Unsupported,
        Some(0),
        Some("maybe"),
        "Option<T> has no NumPy dtype: use a sentinel value (NaN, -1, an empty string) or #[serde(skip)] the field",
    );
    assert_eq!(
        err.to_string(),
        "row 0, field `maybe`: Option<T> has no NumPy dtype: use a sentinel value (NaN, -1, an \
         empty string) or #[serde(skip)] the field"
    );
}

#[derive(Serialize)]
struct WithVec {
    values: Vec<i32>,
}

#[test]
fn vec_is_unsupported_with_a_hint() {
    let err = error_of(&[WithVec { values: vec![1, 2] }], &Options::new());
    check(
        &err,
        ErrorKind::Unsupported,
        Some(0),
        Some("values"),
        "a variable-length sequence (Vec, slice, set) has no NumPy dtype: use a fixed-size array [T; N]",
    );
}

#[derive(Serialize)]
struct WithMaps {
    ordered: BTreeMap<String, i32>,
    hashed: HashMap<String, i32>,
}

#[test]
fn maps_are_unsupported_with_a_hint() {
    let err = error_of(
        &[WithMaps {
            ordered: BTreeMap::new(),
            hashed: HashMap::new(),
        }],
        &Options::new(),
    );
    check(
        &err,
        ErrorKind::Unsupported,
        Some(0),
        Some("ordered"),
        "a map (also what #[serde(flatten)] serializes as) has no NumPy dtype",
    );
}

#[derive(Serialize)]
struct Extra {
    a: i32,
}

#[derive(Serialize)]
struct Flattened {
    id: u32,
    #[serde(flatten)]
    extra: Extra,
}

#[test]
fn flatten_is_unsupported_at_the_row() {
    let err = error_of(
        &[Flattened {
            id: 1,
            extra: Extra { a: 2 },
        }],
        &Options::new(),
    );
    check(
        &err,
        ErrorKind::Unsupported,
        Some(0),
        None,
        "#[serde(flatten)]",
    );
    assert!(err.to_string().starts_with("row 0: a map"), "{err}");
}

#[derive(Serialize)]
#[serde(untagged)]
enum Untagged {
    Nothing,
    Number(i32),
}

#[derive(Serialize)]
struct WithUntagged {
    u: Untagged,
}

#[test]
fn untagged_unit_variants_are_unit_and_newtype_variants_their_content() {
    let err = error_of(
        &[WithUntagged {
            u: Untagged::Nothing,
        }],
        &Options::new(),
    );
    check(
        &err,
        ErrorKind::Unsupported,
        Some(0),
        Some("u"),
        "() (also what untagged enums write for unit variants) has no NumPy dtype",
    );
    let bytes = to_vec(&[WithUntagged {
        u: Untagged::Number(3),
    }])
    .unwrap();
    assert!(bytes[10..].starts_with(b"{'descr': [('u', '<i4')]"));
}

#[derive(Serialize)]
enum Shape {
    Circle(f64),
    Pair(i32, i32),
    Rect { w: f64 },
}

#[derive(Serialize)]
struct WithShape {
    id: u8,
    shape: Shape,
}

#[rstest]
#[case(Shape::Circle(1.0), "Circle")]
#[case(Shape::Pair(1, 2), "Pair")]
#[case(Shape::Rect { w: 1.0 }, "Rect")]
fn enum_variants_with_data_are_unsupported(#[case] shape: Shape, #[case] variant: &str) {
    let err = error_of(&[WithShape { id: 1, shape }], &Options::new());
    check(
        &err,
        ErrorKind::Unsupported,
        Some(0),
        Some("shape"),
        &format!("the enum variant `Shape::{variant}` with data has no NumPy dtype: only unit-only enums map"),
    );
}

#[derive(Serialize)]
struct Wide {
    small: i64,
    big: i128,
    ubig: u128,
}

#[test]
fn i128_is_unsupported_with_a_hint() {
    let err = error_of(
        &[Wide {
            small: 1,
            big: 2,
            ubig: 3,
        }],
        &Options::new(),
    );
    check(
        &err,
        ErrorKind::Unsupported,
        Some(0),
        Some("big"),
        "i128 has no NumPy dtype: NumPy integers have at most 64 bits",
    );
}

#[derive(Serialize)]
struct Marker;

#[derive(Serialize)]
struct WithUnits {
    id: u8,
    unit: (),
    marker: Marker,
}

#[test]
fn unit_and_unit_structs_are_unsupported() {
    let err = error_of(
        &[WithUnits {
            id: 1,
            unit: (),
            marker: Marker,
        }],
        &Options::new(),
    );
    check(&err, ErrorKind::Unsupported, Some(0), Some("unit"), "() ");

    #[derive(Serialize)]
    struct OnlyMarker {
        marker: Marker,
    }
    let err = error_of(&[OnlyMarker { marker: Marker }], &Options::new());
    check(
        &err,
        ErrorKind::Unsupported,
        Some(0),
        Some("marker"),
        "the unit struct `Marker` has no NumPy dtype: #[serde(skip)] the field",
    );
}

#[derive(Serialize)]
struct EmptyArray {
    nothing: [f64; 0],
}

#[test]
fn empty_arrays_are_unsupported() {
    let err = error_of(&[EmptyArray { nothing: [] }], &Options::new());
    check(
        &err,
        ErrorKind::Unsupported,
        Some(0),
        Some("nothing"),
        "an empty tuple or [T; 0] has no NumPy dtype",
    );
}

// ---- field paths -----------------------------------------------------------------------------------

#[derive(Serialize)]
struct Deeper {
    ok: f32,
    v: Vec<i32>,
}

#[derive(Serialize)]
struct Middle {
    deep: Deeper,
}

#[derive(Serialize)]
struct Top {
    id: u8,
    inner: Middle,
}

#[test]
fn nested_field_paths_are_dotted() {
    let err = error_of(
        &[Top {
            id: 1,
            inner: Middle {
                deep: Deeper { ok: 1.0, v: vec![] },
            },
        }],
        &Options::new(),
    );
    check(
        &err,
        ErrorKind::Unsupported,
        Some(0),
        Some("inner.deep.v"),
        "variable-length sequence",
    );
    assert!(err.to_string().starts_with("row 0, field `inner.deep.v`: "));
}

#[derive(Serialize)]
struct InArray {
    vals: [Option<i32>; 2],
    pair: (i32, Option<u8>),
}

#[test]
fn element_paths_have_indices() {
    let err = error_of(
        &[InArray {
            vals: [Some(1), None],
            pair: (1, None),
        }],
        &Options::new(),
    );
    check(
        &err,
        ErrorKind::Unsupported,
        Some(0),
        Some("vals[0]"),
        "Option<T>",
    );

    #[derive(Serialize)]
    struct OnlyPair {
        pair: (i32, Option<u8>),
    }
    let err = error_of(&[OnlyPair { pair: (1, Some(2)) }], &Options::new());
    check(
        &err,
        ErrorKind::Unsupported,
        Some(0),
        Some("pair[1]"),
        "Option<T>",
    );
}

#[derive(Serialize)]
struct TupleStruct(i32, Vec<u8>);

#[test]
fn tuple_struct_paths_use_numpy_field_names() {
    let err = error_of(&[TupleStruct(1, vec![])], &Options::new());
    check(
        &err,
        ErrorKind::Unsupported,
        Some(0),
        Some("f1"),
        "sequence",
    );
}

#[derive(Serialize)]
struct Skipping {
    id: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

#[test]
fn skip_serializing_if_is_refused() {
    let err = error_of(&[Skipping { id: 1, note: None }], &Options::new());
    check(
        &err,
        ErrorKind::Unsupported,
        Some(0),
        Some("note"),
        "field `note` was left out by #[serde(skip_serializing_if)], but every row of a record array has every field",
    );
}

// ---- rows that differ ---------------------------------------------------------------------------

/// A row whose Serialize impl writes a different type on odd rows.
struct Shifty(u32);

impl Serialize for Shifty {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Shifty", 2)?;
        st.serialize_field("label", "x")?;
        if self.0 % 2 == 0 {
            st.serialize_field("value", &self.0)?;
        } else {
            st.serialize_field("value", "odd")?;
        }
        st.end()
    }
}

#[test]
fn a_row_of_another_shape_is_an_error_naming_it() {
    // Tracing the string widths meets it first.
    let err = error_of(&[Shifty(0), Shifty(2), Shifty(3)], &Options::new());
    check(
        &err,
        ErrorKind::TypeMismatch,
        Some(2),
        Some("value"),
        "found a string where the first row has u32",
    );
    // With every width fixed, the encoder meets it.
    let err = error_of(
        &[Shifty(0), Shifty(1)],
        &Options::new().string_width("label", 1),
    );
    check(
        &err,
        ErrorKind::TypeMismatch,
        Some(1),
        Some("value"),
        "found a string where the dtype has <u4",
    );
}

/// Writes its two fields in the other order on odd rows.
struct Swapped(u32);

impl Serialize for Swapped {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Swapped", 2)?;
        if self.0 % 2 == 0 {
            st.serialize_field("a", &1.0f64)?;
            st.serialize_field("b", &2.0f64)?;
        } else {
            st.serialize_field("b", &2.0f64)?;
            st.serialize_field("a", &1.0f64)?;
        }
        st.end()
    }
}

#[test]
fn fields_in_another_order_are_an_error_not_swapped_data() {
    let err = error_of(&[Swapped(0), Swapped(1)], &Options::new());
    check(
        &err,
        ErrorKind::TypeMismatch,
        Some(1),
        Some("a"),
        "found field `b` where the dtype expects `a`",
    );
}

// ---- values that do not fit ---------------------------------------------------------------------

#[derive(Serialize)]
struct Labelled {
    id: u32,
    label: String,
}

fn labelled(labels: &[&str]) -> Vec<Labelled> {
    labels
        .iter()
        .zip(0..)
        .map(|(label, id)| Labelled {
            id,
            label: (*label).to_owned(),
        })
        .collect()
}

#[test]
fn too_long_unicode_string_names_row_and_field() {
    let err = error_of(
        &labelled(&["abc", "abcd"]),
        &Options::new().string_width("label", 3),
    );
    check(
        &err,
        ErrorKind::InvalidData,
        Some(1),
        Some("label"),
        "a value of 4 characters does not fit the field's 3 (dtype <U3); NumPy would truncate it, npy-serde refuses",
    );
}

#[test]
fn too_long_byte_string_counts_utf8_bytes() {
    let err = error_of(
        &labelled(&["hello", "héllo"]),
        &Options::new()
            .strings(StringMode::Bytes)
            .string_width("label", 5),
    );
    check(
        &err,
        ErrorKind::InvalidData,
        Some(1),
        Some("label"),
        "a value of 6 bytes does not fit the field's 5 (dtype |S5)",
    );
}

#[test]
fn too_long_string_in_an_explicit_dtype() {
    let dtype = record(&[
        ("id", scalar(ScalarKind::UInt(4))),
        ("label", scalar(ScalarKind::Unicode(2))),
    ]);
    let err = error_of(
        &labelled(&["ab", "é", "😀😀😀"]),
        &Options::new().dtype(dtype),
    );
    check(
        &err,
        ErrorKind::InvalidData,
        Some(2),
        Some("label"),
        "a value of 3 characters does not fit the field's 2 (dtype <U2)",
    );
}

#[derive(Serialize)]
struct Bytes4 {
    b: [u8; 4],
}

#[test]
fn too_long_byte_array_in_an_explicit_dtype() {
    let dtype = record(&[("b", scalar(ScalarKind::Bytes(3)))]);
    let err = error_of(&[Bytes4 { b: *b"abcd" }], &Options::new().dtype(dtype));
    check(
        &err,
        ErrorKind::InvalidData,
        Some(0),
        Some("b"),
        "a value of 4 bytes does not fit the field's 3 (dtype |S3)",
    );
}

// ---- explicit dtypes that do not match ----------------------------------------------------------

#[derive(Serialize)]
struct Mixed {
    a: f64,
    b: i64,
    c: u64,
    d: i32,
}

#[rstest]
#[case("a", ScalarKind::Int(4), "found f64 where the dtype has <i4")]
#[case("a", ScalarKind::Float(4), "found f64 where the dtype has <f4")]
#[case("b", ScalarKind::Int(4), "found i64 where the dtype has <i4")]
#[case("b", ScalarKind::Float(8), "found i64 where the dtype has <f8")]
#[case("c", ScalarKind::Int(8), "found u64 where the dtype has <i8")]
#[case("d", ScalarKind::Float(4), "found i32 where the dtype has <f4")]
#[case("d", ScalarKind::UInt(8), "found i32 where the dtype has <u8")]
#[case("d", ScalarKind::Bool, "found i32 where the dtype has |b1")]
fn lossy_conversions_are_refused(#[case] field: &str, #[case] kind: ScalarKind, #[case] msg: &str) {
    let mut fields = vec![
        ("a", scalar(ScalarKind::Float(8))),
        ("b", scalar(ScalarKind::Int(8))),
        ("c", scalar(ScalarKind::UInt(8))),
        ("d", scalar(ScalarKind::Int(4))),
    ];
    for f in &mut fields {
        if f.0 == field {
            f.1 = scalar(kind);
        }
    }
    let err = error_of(
        &[Mixed {
            a: 1.0,
            b: 2,
            c: 3,
            d: 4,
        }],
        &Options::new().dtype(record(&fields)),
    );
    check(&err, ErrorKind::TypeMismatch, Some(0), Some(field), msg);
}

#[test]
fn fields_missing_on_either_side_are_errors() {
    let only_a = record(&[("a", scalar(ScalarKind::Float(8)))]);
    let err = error_of(
        &[Mixed {
            a: 1.0,
            b: 2,
            c: 3,
            d: 4,
        }],
        &Options::new().dtype(only_a),
    );
    check(
        &err,
        ErrorKind::TypeMismatch,
        None,
        None,
        "the row has a field `b` that the dtype lacks",
    );

    let with_e = record(&[
        ("a", scalar(ScalarKind::Float(8))),
        ("b", scalar(ScalarKind::Int(8))),
        ("c", scalar(ScalarKind::UInt(8))),
        ("d", scalar(ScalarKind::Int(4))),
        ("e", scalar(ScalarKind::Int(4))),
    ]);
    let err = error_of(
        &[Mixed {
            a: 1.0,
            b: 2,
            c: 3,
            d: 4,
        }],
        &Options::new().dtype(with_e),
    );
    check(
        &err,
        ErrorKind::TypeMismatch,
        None,
        None,
        "the dtype has a field `e` that the row lacks",
    );
}

#[derive(Serialize)]
struct Stamp {
    t: Datetime64<S>,
}

#[test]
fn datetime_units_must_match() {
    let ns = npy_core::DateTimeUnit::new(npy_core::TimeUnit::Nanoseconds, 1).unwrap();
    let dtype = record(&[("t", scalar(ScalarKind::DateTime(ns)))]);
    let err = error_of(
        &[Stamp {
            t: Datetime64::new(1),
        }],
        &Options::new().dtype(dtype),
    );
    check(
        &err,
        ErrorKind::TypeMismatch,
        Some(0),
        Some("t"),
        "found Datetime64<s> where the dtype has <M8[ns]",
    );
    // The right unit works.
    let dtype = record(&[("t", scalar(ScalarKind::DateTime(ns)))]);
    #[derive(Serialize)]
    struct NsStamp {
        t: Datetime64<Ns>,
    }
    to_vec_with(
        &[NsStamp {
            t: Datetime64::new(1),
        }],
        &Options::new().dtype(dtype),
    )
    .unwrap();
}

#[test]
fn long_double_cannot_be_written() {
    let dtype = record(&[("x", scalar(ScalarKind::Float(16)))]);
    #[derive(Serialize)]
    struct X {
        x: f64,
    }
    let err = error_of(&[X { x: 1.0 }], &Options::new().dtype(dtype));
    check(
        &err,
        ErrorKind::Unsupported,
        None,
        Some("x"),
        "long double (<f16) has no Rust type to write it from",
    );
}

// ---- no rows, versions --------------------------------------------------------------------------

#[test]
fn no_rows_without_a_dtype_is_an_error() {
    let none: [Labelled; 0] = [];
    let err = error_of(&none, &Options::new());
    check(
        &err,
        ErrorKind::InvalidArgument,
        None,
        None,
        "no rows to trace a dtype from: serde cannot describe a type without a value, so pass the dtype of an empty array with Options::dtype",
    );
    let writer = RecordWriter::new(Cursor::new(Vec::new()));
    let err = writer.finish().unwrap_err();
    check(
        &err,
        ErrorKind::InvalidArgument,
        None,
        None,
        "Options::dtype",
    );
}

#[derive(Serialize)]
struct Unicode {
    #[serde(rename = "整形")]
    value: i32,
}

#[test]
fn a_version_that_cannot_hold_the_header_is_refused() {
    let err = error_of(
        &[Unicode { value: 1 }],
        &Options::new().version(Version::V1),
    );
    assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{err}");
    assert!(err.message().contains("latin-1"), "{err}");
}

#[test]
fn to_path_refuses_a_version_numpy_would_not_pick() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.npy");
    let err = to_path_with(&path, &[1u8], &Options::new().version(Version::V2)).unwrap_err();
    check(
        &err,
        ErrorKind::Unsupported,
        None,
        None,
        "format version 2.0 is not the one np.save picks for this header (1.0)",
    );
    assert!(!path.exists());
    // The version np.save picks anyway is fine.
    to_path_with(&path, &[1u8], &Options::new().version(Version::V1)).unwrap();
}

#[test]
fn to_path_leaves_an_existing_file_alone_on_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.npy");
    std::fs::write(&path, b"old").unwrap();
    let err = to_path_with(&path, &[WithVec { values: vec![] }], &Options::new());
    assert!(err.is_err());
    assert_eq!(std::fs::read(&path).unwrap(), b"old");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}
