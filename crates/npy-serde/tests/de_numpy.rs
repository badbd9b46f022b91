//! Record arrays NumPy writes, read into matching structs; values compared with what NumPy
//! itself reports for the same bytes (the embedded oracle in `common`).

mod common;

use common::{np_load_json, np_save};
use npy_serde::{from_slice, units, Datetime64, Timedelta64};
use rstest::rstest;
use serde::Deserialize;
use serde_json::{json, Value};

/// NumPy's values of `bytes`, one JSON array per row.
fn numpy_rows(bytes: &[u8]) -> Vec<Value> {
    match np_load_json(bytes)["values"].clone() {
        Value::Array(rows) => rows,
        other => panic!("not a 1-d array: {other}"),
    }
}

#[derive(Debug, Deserialize, PartialEq)]
struct Simple {
    id: i64,
    x: f64,
    y: f32,
    flag: bool,
    label: String,
}

const SIMPLE: &str = "np.array([(1, 0.5, 1.25, True, b'one'), (-2, -1e300, 3.5, False, b''), \
     (3, float('inf'), -0.0, True, b'sixteen_bytes_xx')], \
     dtype=[('id', '<i8'), ('x', '<f8'), ('y', '<f4'), ('flag', '?'), ('label', 'S16')])";

#[test]
fn plain_record_array_matches_numpy() {
    let bytes = np_save(SIMPLE);
    let rows: Vec<Simple> = from_slice(&bytes).unwrap();
    let numpy = numpy_rows(&bytes);
    assert_eq!(rows.len(), numpy.len());
    for (row, np) in rows.iter().zip(&numpy) {
        assert_eq!(json!(row.id), np[0]);
        match &np[1] {
            Value::String(s) => assert_eq!(s, "inf", "{row:?}"),
            v => assert_eq!(row.x, v.as_f64().unwrap()),
        }
        assert_eq!(f64::from(row.y), np[2].as_f64().unwrap());
        assert_eq!(json!(row.flag), np[3]);
    }
    assert_eq!(rows[0].label, "one");
    assert_eq!(rows[1].label, "");
    assert_eq!(rows[2].label, "sixteen_bytes_xx");
    assert!(rows[2].x.is_infinite());
    assert!(rows[2].y.is_sign_negative());
}

#[test]
fn fields_match_by_name_in_any_order_and_extra_columns_are_ignored() {
    #[derive(Debug, Deserialize, PartialEq)]
    struct Reordered {
        label: String,
        flag: bool,
        id: i64,
    }
    let bytes = np_save(SIMPLE);
    let rows: Vec<Reordered> = from_slice(&bytes).unwrap();
    assert_eq!(
        rows[0],
        Reordered {
            label: "one".into(),
            flag: true,
            id: 1
        }
    );
    assert_eq!(rows[1].id, -2);
}

#[test]
fn big_endian_fields_are_swapped() {
    #[derive(Debug, Deserialize, PartialEq)]
    struct Row {
        a: i32,
        b: f64,
        c: u16,
        d: String,
    }
    let bytes = np_save(
        "np.array([(-5, 2.5, 65000, 'héllo'), (7, -0.125, 1, '')], \
         dtype=[('a', '>i4'), ('b', '>f8'), ('c', '>u2'), ('d', '>U6')])",
    );
    let rows: Vec<Row> = from_slice(&bytes).unwrap();
    let numpy = numpy_rows(&bytes);
    assert_eq!(
        rows[0],
        Row {
            a: -5,
            b: 2.5,
            c: 65000,
            d: "héllo".into()
        }
    );
    assert_eq!(
        json!([rows[1].a, rows[1].b, rows[1].c, rows[1].d]),
        numpy[1]
    );
}

#[test]
fn padded_aligned_and_offset_records() {
    #[derive(Debug, Deserialize, PartialEq)]
    struct Row {
        f0: i8,
        f1: i32,
        f2: i8,
    }
    // align=True: ('f0', i1), 3 bytes padding, ('f1', i4), ('f2', i1), 3 bytes padding.
    let bytes =
        np_save("np.array([(1, -2, 3), (4, 5, -6)], dtype=np.dtype('i1,i4,i1', align=True))");
    assert!(np_load_json(&bytes)["descr"]
        .as_str()
        .unwrap()
        .contains("'|V3'"));
    let rows: Vec<Row> = from_slice(&bytes).unwrap();
    assert_eq!(
        rows,
        [
            Row {
                f0: 1,
                f1: -2,
                f2: 3
            },
            Row {
                f0: 4,
                f1: 5,
                f2: -6
            }
        ]
    );

    #[derive(Debug, Deserialize, PartialEq)]
    struct Offsets {
        b: i32,
        a: i32,
    }
    let bytes = np_save(
        "np.array([(1, 2)], dtype={'names': ['a', 'b'], 'formats': ['<i4', '<i4'], \
         'offsets': [1, 6], 'itemsize': 12})",
    );
    let rows: Vec<Offsets> = from_slice(&bytes).unwrap();
    assert_eq!(rows, [Offsets { a: 1, b: 2 }]);
}

#[test]
fn titled_fields_match_by_name_or_title() {
    #[derive(Debug, Deserialize, PartialEq)]
    struct ByName {
        a: i32,
        b: i32,
    }
    #[derive(Debug, Deserialize, PartialEq)]
    struct ByTitle {
        aa: i32,
        bb: i32,
    }
    let bytes = np_save(
        "np.array([(1, 2), (3, 4)], dtype={'names': ['a', 'b'], 'formats': ['<i4', '<i4'], \
         'titles': ['aa', 'bb'], 'offsets': [1, 6], 'itemsize': 10})",
    );
    let by_name: Vec<ByName> = from_slice(&bytes).unwrap();
    assert_eq!(by_name[1], ByName { a: 3, b: 4 });
    let by_title: Vec<ByTitle> = from_slice(&bytes).unwrap();
    assert_eq!(by_title[0], ByTitle { aa: 1, bb: 2 });
}

#[test]
fn nested_records_become_nested_structs() {
    #[derive(Debug, Deserialize, PartialEq)]
    struct Point {
        x: f32,
        y: f32,
    }
    #[derive(Debug, Deserialize, PartialEq)]
    struct Inner {
        b: i32,
        a: i32,
    }
    #[derive(Debug, Deserialize, PartialEq)]
    struct Row {
        id: u32,
        pos: Point,
        d: Inner,
    }
    let bytes = np_save(
        "np.array([(7, (1.5, -2.0), (10, 20)), (8, (0.0, 3.25), (-1, -2))], \
         dtype=[('id', '<u4'), ('pos', [('x', '<f4'), ('y', '<f4')]), \
                ('d', np.dtype({'names': ['a', 'b'], 'formats': ['<i4', '<i4'], \
                                'offsets': [1, 6], 'itemsize': 10}))])",
    );
    let rows: Vec<Row> = from_slice(&bytes).unwrap();
    assert_eq!(
        rows[0],
        Row {
            id: 7,
            pos: Point { x: 1.5, y: -2.0 },
            d: Inner { a: 10, b: 20 }
        }
    );
    let numpy = numpy_rows(&bytes);
    assert_eq!(numpy[1], json!([8, [0.0, 3.25], [-1, -2]]));
    assert_eq!(rows[1].d, Inner { a: -1, b: -2 });
}

#[test]
fn subarray_fields_into_arrays_tuples_and_vecs() {
    #[derive(Debug, Deserialize, PartialEq)]
    struct Row {
        v: [f64; 3],
        m: [[i16; 3]; 2],
        t: (u8, u8),
        flat: [i16; 6],
        list: Vec<f64>,
    }
    let bytes = np_save(
        "np.array([([1, 2, 3], [[1, 2, 3], [4, 5, 6]], [9, 8], [[1, 2, 3], [4, 5, 6]], [0.5, 1.5])], \
         dtype=[('v', '<f8', (3,)), ('m', '>i2', (2, 3)), ('t', 'u1', (2,)), \
                ('flat', '<i2', (2, 3)), ('list', '<f8', (2,))])",
    );
    let rows: Vec<Row> = from_slice(&bytes).unwrap();
    assert_eq!(
        rows[0],
        Row {
            v: [1.0, 2.0, 3.0],
            m: [[1, 2, 3], [4, 5, 6]],
            t: (9, 8),
            flat: [1, 2, 3, 4, 5, 6],
            list: vec![0.5, 1.5],
        }
    );
}

#[test]
fn records_with_subarrays_of_records() {
    #[derive(Debug, Deserialize, PartialEq)]
    struct P {
        x: i16,
        y: i16,
    }
    #[derive(Debug, Deserialize, PartialEq)]
    struct Row {
        pts: [P; 2],
        n: u8,
    }
    let bytes = np_save(
        "np.array([([(1, 2), (3, 4)], 5)], \
         dtype=[('pts', [('x', '<i2'), ('y', '<i2')], (2,)), ('n', 'u1')])",
    );
    let rows: Vec<Row> = from_slice(&bytes).unwrap();
    assert_eq!(
        rows,
        [Row {
            pts: [P { x: 1, y: 2 }, P { x: 3, y: 4 }],
            n: 5
        }]
    );
}

#[test]
fn unicode_field_names_version_3() {
    #[derive(Debug, Deserialize, PartialEq)]
    struct Row {
        #[serde(rename = "整形")]
        int: i64,
        #[serde(rename = "café")]
        cafe: f32,
    }
    let bytes = np_save("np.array([(1, 2.5), (3, 4.5)], dtype=[('整形', '<i8'), ('café', '<f4')])");
    assert_eq!(&bytes[6..8], &[3, 0], "NumPy writes version 3.0");
    let rows: Vec<Row> = from_slice(&bytes).unwrap();
    assert_eq!(rows[1], Row { int: 3, cafe: 4.5 });
}

#[test]
fn fortran_order_records_come_out_in_c_order() {
    #[derive(Debug, Deserialize, PartialEq)]
    struct Row {
        a: i32,
        b: u8,
    }
    let expr = "np.asfortranarray(np.array([[(0, 1), (1, 2), (2, 3)], [(3, 4), (4, 5), (5, 6)]], \
                dtype=[('a', '<i4'), ('b', 'u1')]))";
    let bytes = np_save(expr);
    assert_eq!(np_load_json(&bytes)["fortran_order"], json!(true));
    let rows: Vec<Row> = from_slice(&bytes).unwrap();
    let a: Vec<i32> = rows.iter().map(|r| r.a).collect();
    assert_eq!(a, [0, 1, 2, 3, 4, 5]);
    let mut reader = npy_serde::RecordReader::<_, Row>::new(&bytes[..]).unwrap();
    assert_eq!(reader.len(), 6);
    assert_eq!(reader.nth(4).unwrap().unwrap(), Row { a: 4, b: 5 });
}

#[test]
fn multidimensional_records_are_rows_in_c_order() {
    #[derive(Debug, Deserialize)]
    struct Row {
        v: i64,
    }
    let bytes = np_save("np.arange(24).reshape(2, 3, 4).astype([('v', '<i8')])");
    let rows: Vec<Row> = from_slice(&bytes).unwrap();
    assert_eq!(
        rows.iter().map(|r| r.v).collect::<Vec<_>>(),
        (0..24).collect::<Vec<_>>()
    );
    let bytes = np_save("np.asfortranarray(np.arange(24).reshape(2, 3, 4).astype([('v', '<i8')]))");
    let rows: Vec<Row> = from_slice(&bytes).unwrap();
    assert_eq!(
        rows.iter().map(|r| r.v).collect::<Vec<_>>(),
        (0..24).collect::<Vec<_>>()
    );
}

#[test]
fn datetimes_and_timedeltas_with_their_units() {
    #[derive(Debug, Deserialize, PartialEq)]
    struct Row {
        t: Datetime64<units::Ns>,
        d: Datetime64<units::D>,
        dt: Timedelta64<units::S>,
        raw: i64,
    }
    let bytes = np_save(
        "np.array([(np.datetime64('2024-01-02T03:04:05.000000006'), np.datetime64('1969-12-31'), \
                    np.timedelta64(-90, 's'), np.datetime64('NaT')), \
                   (np.datetime64('NaT'), np.datetime64('2000-01-01'), np.timedelta64(1, 's'), \
                    np.datetime64('1970-01-01T00:00:01'))], \
         dtype=[('t', '<M8[ns]'), ('d', '>M8[D]'), ('dt', '<m8[s]'), ('raw', '<M8[s]')])",
    );
    let rows: Vec<Row> = from_slice(&bytes).unwrap();
    let numpy = numpy_rows(&bytes);
    assert_eq!(json!(rows[0].t.ticks()), numpy[0][0]);
    assert_eq!(rows[0].d.ticks(), -1);
    assert_eq!(rows[0].dt.ticks(), -90);
    assert_eq!(rows[0].raw, i64::MIN);
    assert!(rows[1].t.is_nat());
    assert_eq!(json!(rows[1].d.ticks()), numpy[1][1]);
    assert_eq!(rows[1].raw, 1);
}

#[test]
fn byte_and_unicode_strings_lose_trailing_nuls_like_numpy() {
    #[derive(Debug, Deserialize, PartialEq)]
    struct Row {
        s: String,
        u: String,
        c: char,
        raw: [u8; 6],
        #[serde(with = "serde_bytes_like")]
        bytes: Vec<u8>,
    }
    /// `Vec<u8>` through `deserialize_bytes`, as serde_bytes does.
    mod serde_bytes_like {
        pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
            struct V;
            impl serde::de::Visitor<'_> for V {
                type Value = Vec<u8>;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("bytes")
                }
                fn visit_bytes<E>(self, v: &[u8]) -> Result<Vec<u8>, E> {
                    Ok(v.to_vec())
                }
            }
            d.deserialize_bytes(V)
        }
    }
    let bytes = np_save(
        "np.array([('na\\u00efve'.encode(), 'ça\\x00va\\U0001F600', 'é', b'ab\\x00c', b'x\\x00y\\x00\\x00'), \
                   (b'', '', '', b'', b'')], \
         dtype=[('s', 'S8'), ('u', '<U8'), ('c', '<U1'), ('raw', 'S6'), ('bytes', 'S5')])",
    );
    let rows: Vec<Row> = from_slice(&bytes).unwrap();
    assert_eq!(rows[0].s, "naïve");
    assert_eq!(rows[0].u, "ça\0va😀");
    assert_eq!(rows[0].c, 'é');
    assert_eq!(rows[0].raw, *b"ab\0c\0\0");
    assert_eq!(rows[0].bytes, b"x\0y");
    assert_eq!(rows[1].c, '\0');
    assert_eq!(rows[1].u, "");
    let numpy = numpy_rows(&bytes);
    assert_eq!(numpy[0][1], json!("ça\u{0}va😀"));
}

#[test]
fn borrowing_str_and_bytes_from_s_fields() {
    #[derive(Debug, Deserialize, PartialEq)]
    struct Row<'a> {
        id: i64,
        label: &'a str,
        #[serde(borrow)]
        raw: &'a [u8],
    }
    let bytes = np_save(
        "np.array([(1, b'one', b'\\x01'), (2, b'', b''), (3, b'sixteen_bytes_xx', b'\\xff')], \
         dtype=[('id', '<i8'), ('label', 'S16'), ('raw', 'V1')])",
    );
    let rows: Vec<Row> = from_slice(&bytes).unwrap();
    assert_eq!(rows[0].label, "one");
    assert_eq!(rows[2].label, "sixteen_bytes_xx");
    // The &str points into the input.
    let range = bytes.as_ptr_range();
    assert!(range.contains(&rows[0].label.as_ptr()));
    assert_eq!(rows[0].raw, &[1]);
}

#[rstest]
#[case::i1("i1", -7.0)]
#[case::u2("<u2", 65535.0)]
#[case::i4_big(">i4", -123456.0)]
#[case::u4("<u4", 4e9)]
#[case::i8("<i8", -9e15)]
#[case::f2("<f2", 0.333251953125)]
#[case::f4(">f4", 1.5)]
fn plain_arrays_widen_to_i64_and_f64(#[case] descr: &str, #[case] value: f64) {
    let bytes = np_save(&format!("np.array([{value}, 0], dtype='{descr}')"));
    if descr.contains('f') {
        let got: Vec<f64> = from_slice(&bytes).unwrap();
        assert_eq!(got, [value, 0.0]);
    } else {
        let got: Vec<i64> = from_slice(&bytes).unwrap();
        assert_eq!(got, [value as i64, 0]);
    }
}

#[test]
fn two_dimensional_plain_arrays_as_rows_of_arrays() {
    let bytes = np_save("np.arange(12, dtype='<f4').reshape(4, 3)");
    let rows: Vec<[f32; 3]> = from_slice(&bytes).unwrap();
    assert_eq!(rows[3], [9.0, 10.0, 11.0]);
    let rows: Vec<Vec<f32>> = from_slice(&bytes).unwrap();
    assert_eq!(rows[1], [3.0, 4.0, 5.0]);
    let elements: Vec<f32> = from_slice(&bytes).unwrap();
    assert_eq!(elements.len(), 12);
    // Fortran order: rows are still the C-order rows.
    let bytes = np_save("np.asfortranarray(np.arange(12, dtype='>i2').reshape(4, 3))");
    let rows: Vec<(i16, i16, i16)> = from_slice(&bytes).unwrap();
    assert_eq!(rows[1], (3, 4, 5));
    let elements: Vec<i16> = from_slice(&bytes).unwrap();
    assert_eq!(elements, (0..12).collect::<Vec<_>>());
    // Three dimensions: rows of 2-d blocks.
    let bytes = np_save("np.arange(12, dtype='<i8').reshape(2, 3, 2)");
    let rows: Vec<[[i64; 2]; 3]> = from_slice(&bytes).unwrap();
    assert_eq!(rows[1], [[6, 7], [8, 9], [10, 11]]);
}

#[test]
fn complex_and_half_values() {
    use half::f16;
    use num_complex::Complex;
    #[derive(Debug, Deserialize, PartialEq)]
    struct Row {
        #[serde(with = "npy_serde::complex")]
        z: Complex<f64>,
        w: Complex<f64>,
        h: f16,
        hw: f64,
    }
    let bytes = np_save(
        "np.array([(1-2j, 3+0.5j, 1.5, 0.25)], \
         dtype=[('z', '<c16'), ('w', '>c8'), ('h', '<f2'), ('hw', '>f2')])",
    );
    let rows: Vec<Row> = from_slice(&bytes).unwrap();
    assert_eq!(
        rows[0],
        Row {
            z: Complex::new(1.0, -2.0),
            w: Complex::new(3.0, 0.5),
            h: f16::from_f32(1.5),
            hw: 0.25
        }
    );
}

#[test]
fn unit_enums_by_name_or_index() {
    #[derive(Debug, Deserialize, PartialEq)]
    enum Side {
        Buy,
        #[serde(rename = "SELL")]
        Sell,
    }
    #[derive(Debug, Deserialize, PartialEq)]
    struct Row {
        by_name: Side,
        by_bytes: Side,
        by_index: Side,
    }
    let bytes = np_save(
        "np.array([('Buy', b'SELL', 1), ('SELL', b'Buy', 0)], \
         dtype=[('by_name', '<U4'), ('by_bytes', 'S4'), ('by_index', '<u4')])",
    );
    let rows: Vec<Row> = from_slice(&bytes).unwrap();
    assert_eq!(
        rows[0],
        Row {
            by_name: Side::Buy,
            by_bytes: Side::Sell,
            by_index: Side::Sell
        }
    );
    assert_eq!(rows[1].by_index, Side::Buy);
}

#[test]
fn tuples_and_tuple_structs_read_f0_f1() {
    #[derive(Debug, Deserialize, PartialEq)]
    struct Pair(i32, f64);
    let bytes = np_save("np.array([(1, 2.5), (3, 4.5)], dtype='<i4,<f8')");
    let pairs: Vec<Pair> = from_slice(&bytes).unwrap();
    assert_eq!(pairs[1], Pair(3, 4.5));
    let tuples: Vec<(i64, f64)> = from_slice(&bytes).unwrap();
    assert_eq!(tuples[0], (1, 2.5));
    // Any record of exactly as many fields reads positionally.
    let bytes = np_save("np.array([(1, 2.5)], dtype=[('a', '<i4'), ('b', '<f8')])");
    let tuples: Vec<(i32, f64)> = from_slice(&bytes).unwrap();
    assert_eq!(tuples[0], (1, 2.5));
}

#[test]
fn rows_as_json_values_and_maps() {
    use std::collections::BTreeMap;
    let bytes = np_save(
        "np.array([(1, 2.5, [1, 2], b'ab')], \
         dtype=[('a', '<i2'), ('b', '>f4'), ('c', '<u1', (2,)), ('d', 'S3')])",
    );
    let rows: Vec<Value> = from_slice(&bytes).unwrap();
    assert_eq!(rows[0], json!({"a": 1, "b": 2.5, "c": [1, 2], "d": "ab"}));
    // S values that are not UTF-8 come as numbers (JSON has no bytes).
    let not_text: Vec<Value> =
        from_slice(&np_save("np.array([b'\\xffa', b'ok'], dtype='S2')")).unwrap();
    assert_eq!(not_text, [json!([255, 97]), json!("ok")]);
    #[derive(Debug, Deserialize, PartialEq)]
    struct Flat {
        a: i64,
        #[serde(flatten)]
        rest: BTreeMap<String, Value>,
    }
    let rows: Vec<Flat> = from_slice(&bytes).unwrap();
    assert_eq!(rows[0].a, 1);
    assert_eq!(rows[0].rest["b"], json!(2.5));
}

#[test]
fn tagged_and_untagged_enum_rows() {
    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(tag = "kind")]
    enum Event {
        Trade { price: f64 },
        Quote { bid: f64, ask: f64 },
    }
    let bytes = np_save(
        "np.array([(b'Trade', 1.5, 0, 0), ('Quote', 0, 1.0, 2.0)], \
         dtype=[('kind', 'S5'), ('price', '<f8'), ('bid', '<f8'), ('ask', '<f8')])",
    );
    let rows: Vec<Event> = from_slice(&bytes).unwrap();
    assert_eq!(
        rows,
        [
            Event::Trade { price: 1.5 },
            Event::Quote { bid: 1.0, ask: 2.0 }
        ]
    );

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(untagged)]
    enum Loose {
        Named { x: f64, y: f64 },
        Other(serde_json::Map<String, Value>),
    }
    let bytes = np_save("np.array([(1.0, 2.0)], dtype=[('x', '<f4'), ('y', '>f8')])");
    let rows: Vec<Loose> = from_slice(&bytes).unwrap();
    assert_eq!(rows, [Loose::Named { x: 1.0, y: 2.0 }]);
}
