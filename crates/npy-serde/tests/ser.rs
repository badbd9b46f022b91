//! Serialization against NumPy: for each mapping rule, the bytes npy-serde writes for some rows
//! equal, byte for byte, what `np.save` writes for the matching NumPy array (through the pyo3
//! oracle in `tests/common`). Every case is written four ways (`to_vec`, `to_writer`,
//! `RecordWriter`, `to_path`), which must all agree.

mod common;

use std::io::Cursor;

use common::{np_eval, np_load_json, np_save};
use half::f16;
use npy_core::{ByteOrder, DType, Field, Record, Scalar, ScalarKind, SubArray, Version};
use npy_serde::units::{Ns, Us, D, S};
use npy_serde::{
    to_path_with, to_vec, to_vec_with, to_writer_with, Datetime64, EnumMode, Options, RecordWriter,
    StringMode, Timedelta64,
};
use num_complex::Complex;
use rstest::rstest;
use serde::Serialize;
use serde_json::json;

/// The header text (dict and padding) of `.npy` bytes, for readable failures.
fn header_text(bytes: &[u8]) -> String {
    let (len, start) = match bytes.get(6) {
        Some(1) => (usize::from(u16::from_le_bytes([bytes[8], bytes[9]])), 10),
        _ => (
            u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]) as usize,
            12,
        ),
    };
    String::from_utf8_lossy(&bytes[start..(start + len).min(bytes.len())])
        .trim_end()
        .to_owned()
}

#[track_caller]
fn assert_npy_eq(ours: &[u8], numpy: &[u8], what: &str) {
    if ours != numpy {
        let at = ours.iter().zip(numpy).position(|(a, b)| a != b);
        panic!(
            "{what}: bytes differ (first difference at {at:?}, lengths {} and {})\n  ours:  {}\n  numpy: {}",
            ours.len(),
            numpy.len(),
            header_text(ours),
            header_text(numpy)
        );
    }
}

/// Writes `rows` with `options` in every way and checks each against `np.save(<expr>)`.
#[track_caller]
fn same_with<T: Serialize + Sync>(rows: &[T], options: &Options, expr: &str) {
    let numpy = np_save(expr);
    let ours = to_vec_with(rows, options).unwrap();
    assert_npy_eq(&ours, &numpy, "to_vec");

    let mut written = Vec::new();
    to_writer_with(&mut written, rows, options).unwrap();
    assert_npy_eq(&written, &numpy, "to_writer");

    let streaming = options
        .clone()
        .sample_rows(rows.len().max(options.sample_rows));
    let mut writer = RecordWriter::with_options(Cursor::new(Vec::new()), streaming);
    for row in rows {
        writer.serialize(row).unwrap();
    }
    let streamed = writer.finish().unwrap().into_inner();
    assert_npy_eq(&streamed, &numpy, "RecordWriter");

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rows.npy");
    to_path_with(&path, rows, options).unwrap();
    assert_npy_eq(&std::fs::read(&path).unwrap(), &numpy, "to_path");
}

#[track_caller]
fn same<T: Serialize + Sync>(rows: &[T], expr: &str) {
    same_with(rows, &Options::new(), expr);
}

// ---- records -------------------------------------------------------------------------------

#[derive(Serialize)]
struct Labelled {
    id: i64,
    x: f64,
    label: [u8; 4],
}

#[test]
fn record_with_fixed_bytes_equals_numpy() {
    same(
        &[Labelled {
            id: 1,
            x: 2.5,
            label: *b"ab\0\0",
        }],
        "np.array([(1, 2.5, b'ab')], dtype=[('id','<i8'),('x','<f8'),('label','S4')])",
    );
}

#[derive(Serialize)]
struct LabelledString {
    id: i64,
    x: f64,
    label: String,
}

#[test]
fn record_with_string_as_bytes_and_explicit_width_equals_numpy() {
    let options = Options::new()
        .strings(StringMode::Bytes)
        .string_width("label", 4);
    same_with(
        &[
            LabelledString {
                id: 1,
                x: 2.5,
                label: "ab".into(),
            },
            LabelledString {
                id: -2,
                x: f64::INFINITY,
                label: "abcd".into(),
            },
        ],
        &options,
        "np.array([(1, 2.5, b'ab'), (-2, np.inf, b'abcd')], \
         dtype=[('id','<i8'),('x','<f8'),('label','S4')])",
    );
}

#[derive(Serialize)]
struct Named {
    name: String,
    n: u16,
}

fn named_rows() -> Vec<Named> {
    ["a", "héllo", "😀x", ""]
        .iter()
        .zip(1..)
        .map(|(name, n)| Named {
            name: (*name).to_owned(),
            n,
        })
        .collect()
}

#[test]
fn unicode_strings_are_sized_in_characters_like_numpy() {
    same(
        &named_rows(),
        "np.array([('a',1),('héllo',2),('😀x',3),('',4)], dtype=[('name','<U5'),('n','<u2')])",
    );
}

#[test]
fn byte_strings_are_sized_in_utf8_bytes() {
    same_with(
        &named_rows(),
        &Options::new().strings(StringMode::Bytes),
        "np.array([(b'a',1),('héllo'.encode(),2),('😀x'.encode(),3),(b'',4)], \
         dtype=[('name','S6'),('n','<u2')])",
    );
}

#[derive(Serialize)]
struct OneString {
    s: String,
}

#[test]
fn empty_strings_give_width_one_as_numpy_does() {
    // np.array(['']) is '<U1' and np.array([b'']) is '|S1'.
    let rows = [OneString { s: String::new() }];
    same(
        &rows,
        "np.array([('',)], dtype=[('s', np.array(['']).dtype)])",
    );
    same_with(
        &rows,
        &Options::new().strings(StringMode::Bytes),
        "np.array([(b'',)], dtype=[('s', np.array([b'']).dtype)])",
    );
}

#[derive(Serialize)]
struct Chars {
    c: char,
}

#[test]
fn char_is_u1() {
    same(
        &[Chars { c: 'a' }, Chars { c: 'é' }, Chars { c: '😀' }],
        "np.array([('a',),('é',),('😀',)], dtype=[('c','<U1')])",
    );
}

#[derive(Serialize)]
struct Numbers {
    b: bool,
    i1: i8,
    i2: i16,
    i4: i32,
    i8: i64,
    u1: u8,
    u2: u16,
    u4: u32,
    u8: u64,
    f4: f32,
    f8: f64,
}

#[test]
fn every_number_type_at_its_limits() {
    let rows = [
        Numbers {
            b: true,
            i1: i8::MIN,
            i2: i16::MIN,
            i4: i32::MIN,
            i8: i64::MIN,
            u1: u8::MAX,
            u2: u16::MAX,
            u4: u32::MAX,
            u8: u64::MAX,
            f4: f32::MIN_POSITIVE,
            f8: -0.0,
        },
        Numbers {
            b: false,
            i1: i8::MAX,
            i2: i16::MAX,
            i4: i32::MAX,
            i8: i64::MAX,
            u1: 0,
            u2: 0,
            u4: 0,
            u8: 0,
            f4: f32::MAX,
            f8: f64::NEG_INFINITY,
        },
    ];
    same(
        &rows,
        "np.array([(True, -128, -2**15, -2**31, -2**63, 255, 2**16-1, 2**32-1, 2**64-1, \
                    np.finfo(np.float32).tiny, -0.0), \
                   (False, 127, 2**15-1, 2**31-1, 2**63-1, 0, 0, 0, 0, np.finfo(np.float32).max, -np.inf)], \
         dtype=[('b','?'),('i1','i1'),('i2','<i2'),('i4','<i4'),('i8','<i8'),('u1','u1'), \
                ('u2','<u2'),('u4','<u4'),('u8','<u8'),('f4','<f4'),('f8','<f8')])",
    );
}

#[test]
fn nan_payloads_are_kept_bit_for_bit() {
    #[derive(Serialize)]
    struct F {
        x: f64,
    }
    let bytes = to_vec(&[F {
        x: f64::from_bits(0x7ff8_0000_0000_0001),
    }])
    .unwrap();
    assert_eq!(bytes[128..], 0x7ff8_0000_0000_0001u64.to_le_bytes());
}

#[derive(Serialize)]
struct Point {
    x: f32,
    y: f32,
}

#[derive(Serialize)]
struct Outer {
    id: u16,
    pos: Point,
    flag: bool,
}

#[test]
fn nested_struct_is_a_nested_record() {
    same(
        &[
            Outer {
                id: 1,
                pos: Point { x: 0.5, y: -1.5 },
                flag: true,
            },
            Outer {
                id: 2,
                pos: Point { x: 3.0, y: 4.0 },
                flag: false,
            },
        ],
        "np.array([(1, (0.5, -1.5), True), (2, (3.0, 4.0), False)], \
         dtype=[('id','<u2'),('pos',[('x','<f4'),('y','<f4')]),('flag','?')])",
    );
}

#[derive(Serialize)]
struct Arrays {
    v: [f64; 3],
    m: [[i32; 2]; 3],
    names: [String; 2],
    points: [Point; 2],
}

#[test]
fn fixed_arrays_are_subarray_fields() {
    same(
        &[Arrays {
            v: [1.0, 2.0, 3.0],
            m: [[1, 2], [3, 4], [5, 6]],
            names: ["ab".into(), "cde".into()],
            points: [Point { x: 1.0, y: 2.0 }, Point { x: 3.0, y: 4.0 }],
        }],
        "np.array([([1,2,3], [[1,2],[3,4],[5,6]], ['ab','cde'], [(1,2),(3,4)])], \
         dtype=[('v','<f8',(3,)),('m','<i4',(3,2)),('names','<U3',(2,)), \
                ('points',[('x','<f4'),('y','<f4')],(2,))])",
    );
}

#[derive(Serialize)]
struct Tuples {
    pair: (f32, f32),
    mixed: (i32, String),
}

#[test]
fn homogeneous_tuple_fields_are_subarrays_and_mixed_ones_records() {
    same(
        &[Tuples {
            pair: (1.0, 2.0),
            mixed: (7, "abc".into()),
        }],
        "np.array([((1, 2), (7, 'abc'))], \
         dtype=[('pair','<f4',(2,)),('mixed',[('f0','<i4'),('f1','<U3')])])",
    );
}

#[test]
fn top_level_mixed_tuples_are_records_with_numpy_default_names() {
    same(
        &[(1i32, 2.5f64), (-3, 0.25)],
        "np.array([(1, 2.5), (-3, 0.25)], dtype=[('f0','<i4'),('f1','<f8')])",
    );
}

#[test]
fn top_level_homogeneous_tuples_add_a_dimension() {
    same(
        &[(1.0f64, 2.0f64), (3.0, 4.0)],
        "np.array([[1.0, 2.0], [3.0, 4.0]])",
    );
}

#[derive(Serialize)]
struct Pair(i8, u64);

#[test]
fn tuple_structs_are_records_with_numpy_default_names() {
    same(
        &[Pair(-1, 2), Pair(3, 4)],
        "np.array([(-1, 2), (3, 4)], dtype=[('f0','i1'),('f1','<u8')])",
    );
}

// ---- plain arrays ----------------------------------------------------------------------------

#[test]
fn plain_f64_rows() {
    same(&[1.0f64, 2.0], "np.array([1.0, 2.0])");
}

#[test]
fn array_rows_add_a_dimension() {
    same(
        &[[1.0f32, 2.0, 3.0], [4.0, 5.0, 6.0]],
        "np.array([[1,2,3],[4,5,6]], dtype='<f4')",
    );
}

#[test]
fn nested_array_rows_add_dimensions() {
    same(
        &[[[1u16, 2], [3, 4], [5, 6]]],
        "np.arange(1, 7, dtype='<u2').reshape(1, 3, 2)",
    );
}

#[test]
fn plain_string_rows() {
    same(&["a", "bcd", "é"], "np.array(['a', 'bcd', 'é'])");
}

#[test]
fn plain_scalar_rows() {
    same(&[true, false], "np.array([True, False])");
    same(&[1u8, 255], "np.array([1, 255], dtype='u1')");
    same(&[-1i64, 1 << 40], "np.array([-1, 2**40])");
}

#[test]
fn byte_array_rows_are_s() {
    same(
        &[*b"abcd", *b"ef\0\0"],
        "np.array([b'abcd', b'ef'], dtype='S4')",
    );
}

// ---- enums -----------------------------------------------------------------------------------

#[derive(Serialize, Clone, Copy)]
enum Side {
    Buy,
    Sell,
    #[serde(rename = "HOLD")]
    Hold,
}

#[derive(Serialize)]
struct Order {
    side: Side,
    qty: u32,
}

fn orders() -> Vec<Order> {
    [Side::Buy, Side::Sell, Side::Hold]
        .into_iter()
        .zip(1..)
        .map(|(side, qty)| Order { side, qty })
        .collect()
}

#[test]
fn unit_enums_are_their_variant_names_by_default() {
    same(
        &orders(),
        "np.array([('Buy',1),('Sell',2),('HOLD',3)], dtype=[('side','<U4'),('qty','<u4')])",
    );
    same_with(
        &orders(),
        &Options::new().strings(StringMode::Bytes),
        "np.array([(b'Buy',1),(b'Sell',2),(b'HOLD',3)], dtype=[('side','S4'),('qty','<u4')])",
    );
}

#[test]
fn unit_enums_can_be_their_variant_index() {
    same_with(
        &orders(),
        &Options::new().enums(EnumMode::Index),
        "np.array([(0,1),(1,2),(2,3)], dtype=[('side','<u4'),('qty','<u4')])",
    );
    same_with(
        &[Side::Sell, Side::Buy],
        &Options::new().enums(EnumMode::Index),
        "np.array([1, 0], dtype='<u4')",
    );
}

// ---- NumPy-specific types ----------------------------------------------------------------------

#[derive(Serialize)]
struct Half {
    h: f16,
}

#[test]
fn half_f16_is_f2() {
    same(
        &[
            Half {
                h: f16::from_f32(1.5),
            },
            Half { h: f16::MAX },
            Half {
                h: f16::NEG_INFINITY,
            },
        ],
        "np.array([(1.5,),(65504.0,),(-np.inf,)], dtype=[('h','<f2')])",
    );
}

#[derive(Serialize)]
struct Complexes {
    #[serde(with = "npy_serde::complex")]
    a: Complex<f32>,
    #[serde(with = "npy_serde::complex")]
    b: Complex<f64>,
    plain: Complex<f64>,
}

#[test]
fn complex_with_the_module_is_c8_c16_and_without_it_a_pair() {
    same(
        &[Complexes {
            a: Complex::new(1.0, 2.0),
            b: Complex::new(3.0, -4.0),
            plain: Complex::new(5.0, 6.0),
        }],
        "np.array([(1+2j, 3-4j, [5, 6])], \
         dtype=[('a','<c8'),('b','<c16'),('plain','<f8',(2,))])",
    );
}

#[derive(Serialize)]
struct Times {
    t: Datetime64<Ns>,
    d: Timedelta64<S>,
    day: Datetime64<D>,
    nat: Datetime64<Us>,
}

#[test]
fn datetime_and_timedelta_wrappers_carry_their_unit() {
    same(
        &[Times {
            t: Datetime64::new(5),
            d: Timedelta64::new(-3),
            day: Datetime64::new(19724),
            nat: Datetime64::nat(),
        }],
        "np.array([(np.datetime64(5,'ns'), np.timedelta64(-3,'s'), np.datetime64('2024-01-02'), \
                    np.datetime64('NaT'))], \
         dtype=[('t','<M8[ns]'),('d','<m8[s]'),('day','<M8[D]'),('nat','<M8[us]')])",
    );
}

// ---- options -----------------------------------------------------------------------------------

#[derive(Serialize)]
struct Everything {
    id: i64,
    x: f64,
    name: String,
    flag: bool,
    small: i8,
    h: f16,
    #[serde(with = "npy_serde::complex")]
    z: Complex<f64>,
    t: Datetime64<S>,
    v: [u16; 2],
}

#[test]
fn big_endian_option_writes_every_field_big_endian() {
    same_with(
        &[Everything {
            id: 1,
            x: 2.5,
            name: "héé".into(),
            flag: true,
            small: -2,
            h: f16::from_f32(0.5),
            z: Complex::new(1.0, -1.0),
            t: Datetime64::new(60),
            v: [1, 513],
        }],
        &Options::new().byte_order(ByteOrder::Big),
        "np.array([(1, 2.5, 'héé', True, -2, 0.5, 1-1j, np.datetime64(60,'s'), [1, 513])], \
         dtype=[('id','>i8'),('x','>f8'),('name','>U3'),('flag','?'),('small','i1'),('h','>f2'), \
                ('z','>c16'),('t','>M8[s]'),('v','>u2',(2,))])",
    );
}

#[derive(Serialize)]
struct Widening {
    a: i32,
    b: f32,
    s: String,
}

#[test]
fn explicit_dtype_matches_fields_by_name_and_widens() {
    let dtype = DType::Record(
        Record::packed(vec![
            (
                "s".into(),
                DType::Scalar(Scalar::new(ScalarKind::Bytes(8), ByteOrder::NotApplicable).unwrap()),
            ),
            (
                "b".into(),
                DType::Scalar(Scalar::new(ScalarKind::Float(8), ByteOrder::Little).unwrap()),
            ),
            (
                "a".into(),
                DType::Scalar(Scalar::new(ScalarKind::Int(8), ByteOrder::Big).unwrap()),
            ),
        ])
        .unwrap(),
    );
    same_with(
        &[Widening {
            a: 7,
            b: 1.5,
            s: "hi".into(),
        }],
        &Options::new().dtype(dtype),
        "np.array([(b'hi', 1.5, 7)], dtype=[('s','S8'),('b','<f8'),('a','>i8')])",
    );
}

#[derive(Serialize)]
struct Padded {
    a: u8,
    b: i32,
}

#[test]
fn explicit_dtype_with_offsets_writes_zeroed_padding() {
    let u1 = DType::Scalar(Scalar::new(ScalarKind::UInt(1), ByteOrder::NotApplicable).unwrap());
    let i4 = DType::Scalar(Scalar::new(ScalarKind::Int(4), ByteOrder::Little).unwrap());
    let aligned = DType::Record(
        Record::new(vec![Field::new("a", u1, 0), Field::new("b", i4, 4)], 8).unwrap(),
    );
    same_with(
        &[Padded { a: 1, b: -2 }, Padded { a: 255, b: 3 }],
        &Options::new().dtype(aligned),
        // np.array(..., align=True) leaves the padding bytes uninitialised; start from zeros so
        // NumPy's reference bytes are deterministic.
        "(lambda a: (a.__setitem__('a', [1, 255]), a.__setitem__('b', [-2, 3]), a)[2])\
         (np.zeros(2, dtype=np.dtype([('a','u1'),('b','<i4')], align=True)))",
    );
}

#[derive(Serialize)]
struct Rgb {
    rgb: [u8; 3],
    raw: [u8; 4],
}

#[test]
fn explicit_dtype_can_store_u8_arrays_as_u1_subarrays_or_void() {
    let u1 = DType::Scalar(Scalar::new(ScalarKind::UInt(1), ByteOrder::NotApplicable).unwrap());
    let v4 = DType::Scalar(Scalar::new(ScalarKind::Void(4), ByteOrder::NotApplicable).unwrap());
    let dtype = DType::Record(
        Record::packed(vec![
            (
                "rgb".into(),
                DType::SubArray(SubArray::new(u1, vec![3]).unwrap()),
            ),
            ("raw".into(), v4),
        ])
        .unwrap(),
    );
    same_with(
        &[Rgb {
            rgb: [1, 2, 3],
            raw: [0xde, 0xad, 0xbe, 0xef],
        }],
        &Options::new().dtype(dtype),
        "np.array([([1,2,3], b'\\xde\\xad\\xbe\\xef')], dtype=[('rgb','u1',(3,)),('raw','V4')])",
    );
}

#[test]
fn explicit_dtype_takes_plain_ticks_for_any_datetime_unit() {
    #[derive(Serialize)]
    struct Ticks {
        t: i64,
    }
    let unit = npy_core::DateTimeUnit::new(npy_core::TimeUnit::Seconds, 25).unwrap();
    let m8 = DType::Scalar(Scalar::new(ScalarKind::DateTime(unit), ByteOrder::Little).unwrap());
    let dtype = DType::Record(Record::packed(vec![("t".into(), m8)]).unwrap());
    same_with(
        &[Ticks { t: 3 }, Ticks { t: i64::MIN }],
        &Options::new().dtype(dtype),
        "np.array([(3,), (-2**63,)], dtype=[('t','<i8')]).view([('t','<M8[25s]')])",
    );
}

#[derive(Serialize)]
struct Inner {
    name: String,
}

#[derive(Serialize)]
struct WithInner {
    label: String,
    inner: Inner,
}

#[test]
fn string_widths_by_field_path() {
    same_with(
        &[WithInner {
            label: "ab".into(),
            inner: Inner { name: "x".into() },
        }],
        &Options::new()
            .string_width("label", 10)
            .string_width("inner.name", 7),
        "np.array([('ab', ('x',))], dtype=[('label','<U10'),('inner',[('name','<U7')])])",
    );
}

#[rstest]
#[case(Version::V1, "1, 0")]
#[case(Version::V2, "2, 0")]
#[case(Version::V3, "3, 0")]
fn explicit_versions_equal_numpy_write_array(#[case] version: Version, #[case] numpy: &str) {
    let ours = to_vec_with(&[1i32, 2], &Options::new().version(version)).unwrap();
    let expected = np_eval(&format!(
        "import io, warnings\nb = io.BytesIO()\nwith warnings.catch_warnings():\n    \
         warnings.simplefilter('ignore')\n    \
         np.lib.format.write_array(b, np.array([1, 2], dtype='<i4'), version=({numpy}))\n\
         result = b.getvalue()"
    ));
    let hex: String = ours.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(json!({ "bytes_hex": hex }), expected);
}

#[derive(Serialize)]
struct Unicode {
    #[serde(rename = "整形")]
    value: i32,
}

#[test]
fn non_latin1_field_names_give_version_3_like_numpy() {
    same(
        &[Unicode { value: 5 }],
        "np.array([(5,)], dtype=[('整形','<i4')])",
    );
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Attributes {
    row_id: u32,
    #[serde(skip)]
    _cache: Vec<u8>,
    #[serde(rename = "VALUE")]
    value: f32,
    meters: Meters,
    wrapped: Transparent,
}

#[derive(Serialize)]
struct Meters(f64);

#[derive(Serialize)]
#[serde(transparent)]
struct Transparent {
    inner: i16,
}

#[test]
fn serde_attributes_and_newtypes() {
    same(
        &[Attributes {
            row_id: 1,
            _cache: vec![1, 2, 3],
            value: 0.5,
            meters: Meters(2.0),
            wrapped: Transparent { inner: -3 },
        }],
        "np.array([(1, 0.5, 2.0, -3)], \
         dtype=[('rowId','<u4'),('VALUE','<f4'),('meters','<f8'),('wrapped','<i2')])",
    );
}

/// A byte string that serializes through `serialize_bytes` (as `serde_bytes` does).
struct Blob(Vec<u8>);

impl Serialize for Blob {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(&self.0)
    }
}

#[derive(Serialize)]
struct Blobs {
    blob: Blob,
}

#[test]
fn serialize_bytes_is_s_of_the_longest_value() {
    same(
        &[
            Blobs {
                blob: Blob(b"".to_vec()),
            },
            Blobs {
                blob: Blob(b"a\0c".to_vec()),
            },
        ],
        "np.array([(b'',), (b'a\\x00c',)], dtype=[('blob','S3')])",
    );
    same(
        &[Blobs {
            blob: Blob(Vec::new()),
        }],
        "np.array([(b'',)], dtype=[('blob','S1')])",
    );
}

#[derive(Serialize)]
struct Empty {}

#[test]
fn empty_struct_is_an_empty_record() {
    let ours = to_vec(&[Empty {}, Empty {}]).unwrap();
    assert_npy_eq(&ours, &np_save("np.zeros(2, dtype=[])"), "to_vec");
}

#[test]
fn empty_slice_with_an_explicit_dtype_equals_numpy() {
    let dtype = npy_serde::trace_dtype(
        &[Labelled {
            id: 0,
            x: 0.0,
            label: [0; 4],
        }],
        &Options::new(),
    )
    .unwrap();
    let none: [Labelled; 0] = [];
    same_with(
        &none,
        &Options::new().dtype(dtype),
        "np.zeros(0, dtype=[('id','<i8'),('x','<f8'),('label','S4')])",
    );
}

// ---- NumPy reads the values back -------------------------------------------------------------------

#[test]
fn numpy_loads_the_values_written() {
    let loaded = np_load_json(&to_vec(&named_rows()).unwrap());
    assert_eq!(
        loaded,
        json!({
            "descr": "[('name', '<U5'), ('n', '<u2')]",
            "shape": [4],
            "fortran_order": false,
            "values": [["a", 1], ["héllo", 2], ["😀x", 3], ["", 4]],
        })
    );
}

#[test]
fn trace_dtype_reports_what_would_be_written() {
    let dtype = npy_serde::trace_dtype(&orders(), &Options::new()).unwrap();
    assert_eq!(dtype.descr(), "[('side', '<U4'), ('qty', '<u4')]");
    let dtype = npy_serde::trace_dtype(&[[1u8, 2]], &Options::new()).unwrap();
    assert_eq!(dtype.descr(), "'|S2'");
    let dtype = npy_serde::trace_dtype(&[[1.0f32, 2.0]], &Options::new()).unwrap();
    assert_eq!(dtype.descr(), "('<f4', (2,))");
}
