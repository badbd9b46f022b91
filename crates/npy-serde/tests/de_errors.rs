//! What reading refuses, and what its errors say: lossy conversions, bad bytes, missing fields,
//! truncated files. Every error names the row and the field path.

mod common;

use std::collections::HashMap;

use common::np_save;
use npy_serde::{from_reader, from_slice, units, Datetime64, ErrorKind, RecordReader};
use rstest::rstest;
use serde::Deserialize;

/// The error of reading `bytes` as rows of `T`, as text, with its kind.
fn error_of<T: for<'de> Deserialize<'de> + std::fmt::Debug + Send>(
    bytes: &[u8],
) -> (ErrorKind, String) {
    let err = from_slice::<T>(bytes).expect_err("reading should fail");
    (err.kind(), err.to_string())
}

fn assert_contains(text: &str, parts: &[&str]) {
    for part in parts {
        assert!(text.contains(part), "{text:?} does not contain {part:?}");
    }
}

#[test]
fn missing_fields_are_errors_unless_defaulted_or_optional() {
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Strict {
        id: i64,
        missing: f64,
    }
    #[derive(Debug, Deserialize, PartialEq)]
    struct Lenient {
        id: i64,
        #[serde(default)]
        missing: f64,
        maybe: Option<i32>,
        present: Option<i32>,
    }
    let bytes = np_save("np.array([(1, 5), (2, 6)], dtype=[('id', '<i8'), ('present', '<i4')])");
    let (kind, text) = error_of::<Strict>(&bytes);
    assert_eq!(kind, ErrorKind::InvalidData);
    assert_contains(&text, &["row 0", "missing field `missing`"]);
    let rows: Vec<Lenient> = from_slice(&bytes).unwrap();
    assert_eq!(
        rows[1],
        Lenient {
            id: 2,
            missing: 0.0,
            maybe: None,
            present: Some(6)
        }
    );
}

#[test]
fn defaults_in_the_middle_and_at_the_end() {
    #[derive(Debug, Deserialize, PartialEq)]
    struct Row {
        a: i32,
        #[serde(default = "seven")]
        b: i32,
        c: i32,
        #[serde(default)]
        d: String,
    }
    fn seven() -> i32 {
        7
    }
    let bytes = np_save("np.array([(1, 3)], dtype=[('c', '<i4'), ('a', '<i4')])");
    let rows: Vec<Row> = from_slice(&bytes).unwrap();
    assert_eq!(
        rows,
        [Row {
            a: 3,
            b: 7,
            c: 1,
            d: String::new()
        }]
    );
}

#[rstest]
#[case::i4_to_i64("<i4", "-5")]
#[case::u2_to_u32(">u2", "65535")]
#[case::u4_to_i64("<u4", "4000000000")]
#[case::i1_to_i16("i1", "-128")]
#[case::b1_to_u8("?", "True")]
fn lossless_integer_widening(#[case] descr: &str, #[case] value: &str) {
    #[derive(Debug, Deserialize)]
    struct Row {
        v: i64,
    }
    let bytes = np_save(&format!("np.array([({value},)], dtype=[('v', '{descr}')])"));
    let rows: Vec<Row> = from_slice(&bytes).unwrap();
    let expected: i64 = match value {
        "True" => 1,
        v => v.parse().unwrap(),
    };
    assert_eq!(rows[0].v, expected);
}

#[test]
fn float_widening() {
    #[derive(Debug, Deserialize, PartialEq)]
    struct Row {
        a: f64,
        b: f32,
        c: f64,
    }
    let bytes =
        np_save("np.array([(0.1, 0.5, 65504)], dtype=[('a', '<f4'), ('b', '<f2'), ('c', '>f2')])");
    let rows: Vec<Row> = from_slice(&bytes).unwrap();
    assert_eq!(
        rows[0],
        Row {
            a: f64::from(0.1f32),
            b: 0.5,
            c: 65504.0
        }
    );
}

#[rstest]
#[case::f8_to_f32("'<f8'", "1.5", "f32", "could lose precision")]
#[case::i4_to_f64("'<i4'", "1", "f64", "integers are not converted to floats")]
fn lossy_float_conversions_name_row_field_dtype_and_type(
    #[case] descr: &str,
    #[case] value: &str,
    #[case] rust: &str,
    #[case] why: &str,
) {
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct F32 {
        id: i32,
        v: f32,
    }
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct F64 {
        id: i32,
        v: f64,
    }
    let bytes = np_save(&format!(
        "np.array([(0, 0), (1, {value})], dtype=[('id', '<i4'), ('v', {descr})])"
    ));
    let (kind, text) = if rust == "f32" {
        error_of::<F32>(&bytes)
    } else {
        error_of::<F64>(&bytes)
    };
    assert_eq!(kind, ErrorKind::TypeMismatch);
    // Row 0: the type is refused whatever the value.
    assert_contains(&text, &["row 0", "field `v`", descr, rust, why]);
}

#[test]
fn floats_are_not_read_as_integers() {
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Row {
        v: i64,
    }
    let bytes = np_save("np.array([(1.0,)], dtype=[('v', '<f8')])");
    let (kind, text) = error_of::<Row>(&bytes);
    assert_eq!(kind, ErrorKind::TypeMismatch);
    assert_contains(
        &text,
        &[
            "row 0",
            "field `v`",
            "'<f8'",
            "i64",
            "floats are not converted",
        ],
    );
}

#[test]
fn out_of_range_integers_name_the_value() {
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Row {
        small: u8,
    }
    let bytes = np_save("np.array([(1,), (255,), (300,)], dtype=[('small', '<i8')])");
    let (_, text) = error_of::<Row>(&bytes);
    assert_contains(&text, &["row 2", "field `small`", "'<i8'", "u8", "300"]);
    let bytes = np_save("np.array([(1,), (-1,)], dtype=[('small', '<i2')])");
    let (_, text) = error_of::<Row>(&bytes);
    assert_contains(&text, &["row 1", "field `small`", "'<i2'", "-1"]);
}

#[test]
fn bool_bytes_other_than_0_and_1_are_errors() {
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Row {
        id: i32,
        flag: bool,
    }
    let bytes = np_save(
        "np.array([(0, 1), (1, 2)], dtype=[('id', '<i4'), ('flag', 'u1')])\
         .view([('id', '<i4'), ('flag', '?')])",
    );
    let (kind, text) = error_of::<Row>(&bytes);
    assert_eq!(kind, ErrorKind::InvalidData);
    assert_contains(&text, &["row 1", "field `flag`", "invalid bool byte 2"]);
    // And bool is read only from b1.
    let bytes = np_save("np.array([(0, 1)], dtype=[('id', '<i4'), ('flag', 'u1')])");
    let (kind, text) = error_of::<Row>(&bytes);
    assert_eq!(kind, ErrorKind::TypeMismatch);
    assert_contains(&text, &["field `flag`", "'|u1'", "bool"]);
}

#[test]
fn invalid_utf8_in_s_fields() {
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct AsString {
        name: String,
    }
    #[derive(Debug, Deserialize)]
    struct AsBytes {
        name: [u8; 3],
    }
    let bytes = np_save("np.array([(b'ok',), (b'\\xff\\xfe',)], dtype=[('name', 'S3')])");
    let (kind, text) = error_of::<AsString>(&bytes);
    assert_eq!(kind, ErrorKind::InvalidData);
    assert_contains(&text, &["row 1", "field `name`", "not valid UTF-8"]);
    let rows: Vec<AsBytes> = from_slice(&bytes).unwrap();
    assert_eq!(rows[1].name, [0xff, 0xfe, 0]);
}

#[test]
fn unicode_fields_cannot_be_borrowed() {
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Row<'a> {
        name: &'a str,
    }
    let bytes = np_save("np.array([('abc',)], dtype=[('name', '<U3')])");
    let err = from_slice::<Row>(&bytes).unwrap_err();
    assert_contains(
        &err.to_string(),
        &["row 0", "field `name`", "cannot be borrowed", "String"],
    );
}

#[test]
fn datetime_units_must_match() {
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Row {
        t: Datetime64<units::Ns>,
    }
    let bytes = np_save("np.array([(0,)], dtype=[('t', '<M8[us]')])");
    let (kind, text) = error_of::<Row>(&bytes);
    assert_eq!(kind, ErrorKind::TypeMismatch);
    assert_contains(
        &text,
        &["field `t`", "'<M8[us]'", "Datetime64<ns>", "units differ"],
    );
    let bytes = np_save("np.array([(0,)], dtype=[('t', '<m8[ns]')])");
    let (_, text) = error_of::<Row>(&bytes);
    assert_contains(&text, &["'<m8[ns]'", "Datetime64<ns>"]);
    let bytes = np_save("np.array([(0,)], dtype=[('t', '<i8')])");
    let (_, text) = error_of::<Row>(&bytes);
    assert_contains(&text, &["'<i8'", "Datetime64<ns>"]);
}

#[test]
fn nested_paths_in_errors() {
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Point {
        x: f32,
        y: f32,
    }
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Row {
        pos: Point,
        v: [u8; 3],
    }
    let bytes = np_save(
        "np.array([((1, 2), [1, 2, 3])], dtype=[('pos', [('x', '<f8'), ('y', '<f4')]), ('v', '<i2', (3,))])",
    );
    let err = from_slice::<Row>(&bytes).unwrap_err();
    assert_eq!(err.field(), Some("pos.x"));
    assert_eq!(err.row(), Some(0));
    let bytes = np_save(
        "np.array([((1, 2), [1, 2, 300])], dtype=[('pos', [('x', '<f4'), ('y', '<f4')]), ('v', '<i2', (3,))])",
    );
    let err = from_slice::<Row>(&bytes).unwrap_err();
    assert_eq!(err.field(), Some("v[2]"));
    assert!(err.to_string().contains("300"), "{err}");
}

#[test]
fn shape_and_kind_mismatches() {
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Row {
        v: [f64; 4],
        s: f64,
    }
    let bytes = np_save("np.array([([1, 2, 3], 1)], dtype=[('v', '<f8', (3,)), ('s', '<f8')])");
    let (kind, text) = error_of::<Row>(&bytes);
    assert_eq!(kind, ErrorKind::TypeMismatch);
    assert_contains(&text, &["field `v`", "(3,)", "4"]);
    // A struct from a plain array.
    let bytes = np_save("np.arange(3.0)");
    let (_, text) = error_of::<Row>(&bytes);
    assert_contains(&text, &["'<f8'", "struct Row", "record"]);
    // A scalar from a record field.
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Flat {
        p: f64,
    }
    let bytes = np_save("np.array([((1, 2),)], dtype=[('p', [('x', '<f8'), ('y', '<f8')])])");
    let (_, text) = error_of::<Flat>(&bytes);
    assert_contains(&text, &["field `p`", "record", "f64"]);
}

#[test]
fn enums_reject_unknown_names_and_indices() {
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    enum Side {
        Buy,
        Sell,
    }
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Row {
        side: Side,
    }
    let bytes = np_save("np.array([('Buy',), ('Hold',)], dtype=[('side', '<U4')])");
    let (_, text) = error_of::<Row>(&bytes);
    assert_contains(&text, &["row 1", "field `side`", "Hold"]);
    let bytes = np_save("np.array([(1,), (2,)], dtype=[('side', '<i4')])");
    let (_, text) = error_of::<Row>(&bytes);
    assert_contains(&text, &["row 1", "field `side`", "2"]);
    let bytes = np_save("np.array([(-1,)], dtype=[('side', '<i4')])");
    let (_, text) = error_of::<Row>(&bytes);
    assert_contains(&text, &["row 0", "-1 is not a variant index"]);
}

#[test]
fn data_carrying_variants_are_refused() {
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    enum Shape {
        Circle(f64),
    }
    let bytes = np_save("np.array(['Circle'], dtype='<U6')");
    let err = from_slice::<Shape>(&bytes).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unsupported);
    assert!(err.to_string().contains("only unit variants"), "{err}");
}

/// A `.npy` prelude for `dict` (NumPy's layout: padded to 64 bytes).
fn npy_header(dict: &str) -> Vec<u8> {
    let mut text = dict.as_bytes().to_vec();
    while (10 + text.len() + 1) % 64 != 0 {
        text.push(b' ');
    }
    text.push(b'\n');
    let mut out = b"\x93NUMPY\x01\x00".to_vec();
    out.extend_from_slice(&(text.len() as u16).to_le_bytes());
    out.extend_from_slice(&text);
    out
}

#[test]
fn object_arrays_are_refused() {
    let mut bytes = npy_header("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }");
    bytes.extend_from_slice(b"\x80\x04pickle...");
    let err = from_slice::<i64>(&bytes).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unsupported);
    let err = from_reader::<_, i64>(&bytes[..]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unsupported);
}

#[test]
fn truncated_data_is_an_error_everywhere() {
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Row {
        id: i64,
        x: f64,
    }
    let bytes =
        np_save("np.array([(i, i) for i in range(1000)], dtype=[('id', '<i8'), ('x', '<f8')])");
    for cut in [
        0,
        5,
        9,
        64,
        127,
        128,
        129,
        128 + 16 * 500 + 3,
        bytes.len() - 1,
    ] {
        let short = &bytes[..cut];
        assert!(from_slice::<Row>(short).is_err(), "cut at {cut}");
        let err = from_reader::<_, Row>(short).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UnexpectedEof, "cut at {cut}: {err}");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("short.npy");
        std::fs::write(&path, short).unwrap();
        let err = npy_serde::from_path::<Row>(&path).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UnexpectedEof, "cut at {cut}: {err}");
    }
    // Streaming: rows before the cut arrive, then one error, then nothing.
    let short = &bytes[..128 + 16 * 500 + 3];
    let results: Vec<_> = RecordReader::<_, Row>::new(short).unwrap().collect();
    assert_eq!(results.len(), 501);
    assert!(results[..500].iter().all(Result::is_ok));
    let err = results[500].as_ref().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnexpectedEof);
    assert!(err.to_string().contains("EOF: reading array data"), "{err}");
}

#[test]
fn decode_errors_do_not_stop_a_stream() {
    #[derive(Debug, Deserialize)]
    struct Row {
        v: u8,
    }
    let bytes = np_save("np.array([(1,), (1000,), (3,)], dtype=[('v', '<i4')])");
    let results: Vec<_> = RecordReader::<_, Row>::new(&bytes[..]).unwrap().collect();
    assert_eq!(results.len(), 3);
    assert_eq!(results[0].as_ref().unwrap().v, 1);
    assert_eq!(results[1].as_ref().unwrap_err().row(), Some(1));
    assert_eq!(results[2].as_ref().unwrap().v, 3);
}

#[test]
fn aliases_and_renames_are_honoured() {
    #[derive(Debug, Deserialize, PartialEq)]
    struct Row {
        #[serde(alias = "identifier")]
        id: i64,
        #[serde(rename = "X")]
        x: f64,
        #[serde(alias = "w", alias = "weight")]
        z: f32,
    }
    let bytes = np_save(
        "np.array([(2.5, 1, 0.5)], dtype=[('X', '<f8'), ('identifier', '<i8'), ('weight', '<f4')])",
    );
    let rows: Vec<Row> = from_slice(&bytes).unwrap();
    assert_eq!(
        rows,
        [Row {
            id: 1,
            x: 2.5,
            z: 0.5
        }]
    );
    let bytes =
        np_save("np.array([(1, 2.5, 0.5)], dtype=[('id', '<i8'), ('X', '<f8'), ('z', '<f4')])");
    let rows: Vec<Row> = from_slice(&bytes).unwrap();
    assert_eq!(rows[0].id, 1);
}

#[test]
fn skipped_fields_and_deny_unknown_fields() {
    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Row {
        #[serde(skip)]
        cache: Vec<u8>,
        b: i16,
    }
    let bytes = np_save("np.array([(1, 2)], dtype=[('a', '<i2'), ('b', '<i2')])");
    let rows: Vec<Row> = from_slice(&bytes).unwrap();
    assert_eq!(
        rows,
        [Row {
            cache: Vec::new(),
            b: 2
        }]
    );
}

/// A struct whose `Deserialize` takes only a map (as hand-written impls often do).
#[derive(Debug, PartialEq)]
struct MapOnly {
    a: i32,
    b: String,
}

impl<'de> Deserialize<'de> for MapOnly {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = MapOnly;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<MapOnly, A::Error> {
                let mut fields: HashMap<String, serde_json::Value> = HashMap::new();
                while let Some(key) = map.next_key::<String>()? {
                    let value = map.next_value()?;
                    fields.insert(key, value);
                }
                Ok(MapOnly {
                    a: fields["a"].as_i64().unwrap() as i32,
                    b: fields["b"].as_str().unwrap().to_owned(),
                })
            }
        }
        d.deserialize_struct("MapOnly", &["a", "b"], V)
    }
}

#[test]
fn hand_written_map_only_visitors_work() {
    let bytes = np_save("np.array([('x', 1), ('yz', 2)], dtype=[('b', '<U2'), ('a', '<i4')])");
    let rows: Vec<MapOnly> = from_slice(&bytes).unwrap();
    assert_eq!(
        rows,
        [
            MapOnly {
                a: 1,
                b: "x".into()
            },
            MapOnly {
                a: 2,
                b: "yz".into()
            }
        ]
    );
}

#[test]
fn char_needs_one_character() {
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Row {
        c: char,
    }
    let bytes = np_save("np.array([('ab',)], dtype=[('c', '<U2')])");
    let (_, text) = error_of::<Row>(&bytes);
    assert_contains(&text, &["field `c`", "more than one character"]);
}
