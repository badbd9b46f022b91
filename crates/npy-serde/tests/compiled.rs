//! Compiled rows (`#[derive(npy_serde::Record, npy_serde::RecordWrite)]`, `npy_serde::compiled`):
//! on record arrays NumPy writes, the values are NumPy's; what compiled writers write is
//! `np.save`'s bytes; and every outcome (rows or bytes, or the error with its kind, row, field and
//! message) is the one the serde path gives for the same input.

mod common;

use std::fmt::Debug;
use std::io::Write;

use common::{np_load_json, np_save};
use npy_serde::{compiled, units, Datetime64, ErrorKind, Options, Record, RecordWrite, StringMode};
use rstest::rstest;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// Reads `bytes` as `T` both ways (slice, reader and file; serde and compiled) and checks the
/// six outcomes agree; returns the rows, or the error.
fn both<T>(bytes: &[u8]) -> Result<Vec<T>, npy_serde::Error>
where
    T: Record + DeserializeOwned + Send + Debug,
{
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(bytes).unwrap();
    file.flush().unwrap();
    let outcomes = [
        npy_serde::from_slice::<T>(bytes),
        compiled::from_slice::<T>(bytes),
        npy_serde::from_reader::<_, T>(bytes),
        compiled::from_reader::<_, T>(bytes),
        npy_serde::from_path::<T>(file.path()),
        compiled::from_path::<T>(file.path()),
    ];
    let [serde_slice, rest @ ..] = outcomes;
    let names = [
        "compiled slice",
        "serde reader",
        "compiled reader",
        "serde path",
        "compiled path",
    ];
    for (other, name) in rest.into_iter().zip(names) {
        match (&serde_slice, &other) {
            // Debug text, so NaN fields compare equal (the property test compares bits).
            (Ok(a), Ok(b)) => assert_eq!(format!("{a:?}"), format!("{b:?}"), "{name}"),
            (Err(a), Err(b)) => {
                assert_eq!(a.kind(), b.kind(), "{name}: {a} vs {b}");
                assert_eq!(a.row(), b.row(), "{name}: {a} vs {b}");
                assert_eq!(a.field(), b.field(), "{name}: {a} vs {b}");
                assert_eq!(a.message(), b.message(), "{name}: {a} vs {b}");
            }
            (a, b) => panic!("{name}: serde gave {a:?}, this gave {b:?}"),
        }
    }
    serde_slice
}

/// NumPy's values of `bytes`, one JSON array per row.
fn numpy_rows(bytes: &[u8]) -> Vec<Value> {
    match np_load_json(bytes)["values"].clone() {
        Value::Array(rows) => rows,
        other => panic!("not a 1-d array: {other}"),
    }
}

fn hex(bytes: &[u8]) -> Value {
    json!({ "bytes_hex": bytes.iter().map(|b| format!("{b:02x}")).collect::<String>() })
}

/// Every type with a direct read, in both byte orders.
#[derive(Debug, PartialEq, Deserialize, Record)]
struct Direct {
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
    s: [u8; 4],
    v: [u8; 3],
    text: String,
}

#[rstest]
#[case::little('<')]
#[case::big('>')]
fn direct_reads_give_numpys_values(#[case] order: char) {
    let o = order;
    let bytes = np_save(&format!(
        "np.array([(True, -128, -300, 70000, -2**63, 255, 65535, 2**32-1, 2**64-1, 1.5, -0.0, \
                    b'ab', b'\\x00\\x01\\x02', b'caf\\xc3\\xa9'), \
                   (False, 127, 300, -70000, 2**63-1, 0, 1, 0, 0, float('nan'), 1e300, \
                    b'abcd', b'xyz', b'')], \
         dtype=[('b', '?'), ('i1', 'i1'), ('i2', '{o}i2'), ('i4', '{o}i4'), ('i8', '{o}i8'), \
                ('u1', 'u1'), ('u2', '{o}u2'), ('u4', '{o}u4'), ('u8', '{o}u8'), \
                ('f4', '{o}f4'), ('f8', '{o}f8'), ('s', 'S4'), ('v', 'V3'), ('text', 'S6')])"
    ));
    let rows: Vec<Direct> = both(&bytes).unwrap();
    let numpy = numpy_rows(&bytes);
    assert_eq!(rows.len(), 2);
    for (row, np) in rows.iter().zip(&numpy) {
        assert_eq!(json!(row.b), np[0]);
        let ints = [
            json!(row.i1),
            json!(row.i2),
            json!(row.i4),
            json!(row.i8),
            json!(row.u1),
            json!(row.u2),
            json!(row.u4),
            json!(row.u8),
        ];
        assert_eq!(&ints[..], &np.as_array().unwrap()[1..9]);
        // NumPy shows S values without trailing NULs; `[u8; 4]` keeps all four bytes.
        let end = row.s.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1);
        assert_eq!(hex(&row.s[..end]), np[11]);
        assert_eq!(hex(&row.v), np[12]);
    }
    assert_eq!(rows[0].f4, 1.5);
    assert!(rows[1].f4.is_nan());
    assert!(rows[0].f8 == 0.0 && rows[0].f8.is_sign_negative());
    assert_eq!(rows[1].f8, 1e300);
    assert_eq!(rows[0].s, *b"ab\0\0");
    assert_eq!(rows[0].text, "café");
    assert_eq!(rows[1].text, "");
}

/// Conversions the direct reads leave to serde: the same values as `from_slice`.
#[rstest]
#[case::widened_ints("np.array([(-5, 7, 200)], dtype=[('a', '<i2'), ('b', '>u4'), ('c', 'u1')])")]
#[case::widened_floats(
    "np.array([(0.5, 2.25, 1.0)], dtype=[('a', '<f2'), ('b', '>f4'), ('c', '<f8')])"
)]
fn conversions_through_serde(#[case] expr: &str) {
    #[derive(Debug, PartialEq, Deserialize, Record)]
    struct Ints {
        a: i64,
        b: i64,
        c: i32,
    }
    #[derive(Debug, PartialEq, Deserialize, Record)]
    struct Floats {
        a: f64,
        b: f64,
        c: f64,
    }
    let bytes = np_save(expr);
    if expr.contains("f2") {
        let rows: Vec<Floats> = both(&bytes).unwrap();
        assert_eq!(
            rows[0],
            Floats {
                a: 0.5,
                b: 2.25,
                c: 1.0
            }
        );
    } else {
        let rows: Vec<Ints> = both(&bytes).unwrap();
        assert_eq!(
            rows[0],
            Ints {
                a: -5,
                b: 7,
                c: 200
            }
        );
    }
}

#[test]
fn strings_datetimes_and_nested_records_go_through_serde() {
    #[derive(Debug, PartialEq, Deserialize)]
    struct Point {
        x: f32,
        y: f32,
    }
    #[derive(Debug, PartialEq, Deserialize, Record)]
    struct Row {
        name: String,
        when: Datetime64<units::S>,
        at: Point,
        v: [i16; 3],
        raw: Vec<u8>,
    }
    let bytes = np_save(
        "np.array([('héllo', np.datetime64(86400, 's'), (1.5, -2.0), [1, 2, 3], b'ab\\x00'), \
                   ('', np.datetime64('NaT'), (0.0, 0.0), [-1, 0, 1], b'')], \
         dtype=[('name', '<U6'), ('when', '<M8[s]'), ('at', [('x', '>f4'), ('y', '<f4')]), \
                ('v', '<i2', (3,)), ('raw', 'S3')])",
    );
    let rows: Vec<Row> = both(&bytes).unwrap();
    assert_eq!(rows[0].name, "héllo");
    assert_eq!(rows[0].when.ticks(), 86400);
    assert_eq!(rows[0].at, Point { x: 1.5, y: -2.0 });
    assert_eq!(rows[1].v, [-1, 0, 1]);
    assert_eq!(rows[0].raw, b"ab");
}

#[rstest]
#[case::little('<')]
#[case::big('>')]
fn unicode_text_both_ways(#[case] order: char) {
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Record, RecordWrite)]
    struct Row {
        name: String,
    }
    let rows: Vec<Row> = ["héllo€", "", "a\u{10FFFF}"]
        .into_iter()
        .map(|name| Row { name: name.into() })
        .collect();
    let expr =
        format!("np.array([('héllo€',), ('',), ('a\\U0010ffff',)], dtype=[('name', '{order}U6')])");
    let numpy = np_save(&expr);
    assert_eq!(both::<Row>(&numpy).unwrap(), rows);
    let byte_order = if order == '<' {
        npy_core::ByteOrder::Little
    } else {
        npy_core::ByteOrder::Big
    };
    let options = Options::new()
        .byte_order(byte_order)
        .string_width("name", 6);
    assert!(
        write_both(&rows, &options).unwrap() == numpy,
        "differs from np.save"
    );

    // A unit that is not a Unicode scalar value (a lone surrogate) in the second row.
    let mut bad = numpy.clone();
    let at = bad.len() - 3 * 24 + 24;
    let unit = if order == '<' {
        0xd800u32.to_le_bytes()
    } else {
        0xd800u32.to_be_bytes()
    };
    bad[at..at + 4].copy_from_slice(&unit);
    let err = both::<Row>(&bad).unwrap_err();
    assert_eq!((err.row(), err.field()), (Some(1), Some("name")), "{err}");
    // Longer than its field: serde's error, the same from the compiled writer.
    let long = vec![Row {
        name: "seven ch".into(),
    }];
    let err = write_both(&long, &options).unwrap_err();
    assert_eq!((err.row(), err.field()), (Some(0), Some("name")), "{err}");
}

#[test]
fn fields_by_name_in_any_order_titles_padding_and_offsets() {
    #[derive(Debug, PartialEq, Deserialize, Record)]
    struct Aligned {
        f2: i8,
        f1: i32,
        f0: i8,
    }
    let bytes =
        np_save("np.array([(1, -2, 3), (4, 5, -6)], dtype=np.dtype('i1,i4,i1', align=True))");
    let rows: Vec<Aligned> = both(&bytes).unwrap();
    assert_eq!(
        rows[1],
        Aligned {
            f0: 4,
            f1: 5,
            f2: -6
        }
    );

    #[derive(Debug, PartialEq, Deserialize, Record)]
    struct ByTitle {
        bb: i32,
        aa: i32,
    }
    let bytes = np_save(
        "np.array([(1, 2), (3, 4)], dtype={'names': ['a', 'b'], 'formats': ['<i4', '>i4'], \
         'titles': ['aa', 'bb'], 'offsets': [1, 6], 'itemsize': 12})",
    );
    let rows: Vec<ByTitle> = both(&bytes).unwrap();
    assert_eq!(rows[1], ByTitle { aa: 3, bb: 4 });
}

#[test]
fn fortran_order_and_multidimensional_records_in_c_order() {
    #[derive(Debug, PartialEq, Deserialize, Record)]
    struct Row {
        a: i32,
        b: u8,
    }
    let bytes = np_save(
        "np.asfortranarray(np.array([[(0, 1), (1, 2), (2, 3)], [(3, 4), (4, 5), (5, 6)]], \
         dtype=[('a', '<i4'), ('b', 'u1')]))",
    );
    assert_eq!(np_load_json(&bytes)["fortran_order"], json!(true));
    let rows: Vec<Row> = both(&bytes).unwrap();
    assert_eq!(
        rows.iter().map(|r| r.a).collect::<Vec<_>>(),
        [0, 1, 2, 3, 4, 5]
    );

    #[derive(Debug, PartialEq, Deserialize, Record)]
    struct V {
        v: i64,
    }
    let bytes = np_save("np.arange(24).reshape(2, 3, 4).astype([('v', '>i8')])");
    let rows: Vec<V> = both(&bytes).unwrap();
    assert_eq!(
        rows.iter().map(|r| r.v).collect::<Vec<_>>(),
        (0..24).collect::<Vec<_>>()
    );
}

fn seven() -> i32 {
    7
}

/// A default function named like the derive's own parameters (`row`, `plan`).
fn row() -> u8 {
    3
}

#[test]
fn serde_attributes_rename_alias_default_and_skip() {
    #[derive(Debug, PartialEq, Deserialize, Record)]
    #[serde(rename_all = "camelCase")]
    struct Row {
        row_id: i64,
        #[serde(rename = "X")]
        x: f64,
        #[serde(alias = "lbl")]
        label_text: [u8; 2],
        #[serde(default)]
        extra: u32,
        #[serde(default = "seven")]
        seven_val: i32,
        #[serde(skip)]
        cache: Vec<u8>,
        #[serde(default = "row")]
        three: u8,
    }
    let bytes = np_save(
        "np.array([(1, 0.5, b'ab', 9)], \
         dtype=[('rowId', '<i8'), ('X', '<f8'), ('lbl', 'S2'), ('cache', '<i8')])",
    );
    let rows: Vec<Row> = both(&bytes).unwrap();
    assert_eq!(
        rows,
        [Row {
            row_id: 1,
            x: 0.5,
            label_text: *b"ab",
            extra: 0,
            seven_val: 7,
            cache: Vec::new(),
            three: 3,
        }]
    );
}

#[test]
fn errors_are_the_serde_paths() {
    #[derive(Debug, PartialEq, Deserialize, Record)]
    struct Flag {
        id: i64,
        flag: bool,
    }
    // A bool byte of 2 in the third row.
    let mut bytes =
        np_save("np.array([(1, 0), (2, 1), (3, 2)], dtype=[('id', '<i8'), ('flag', 'u1')])");
    let descr_at = bytes.windows(4).position(|w| w == b"'|u1").unwrap();
    bytes[descr_at..descr_at + 4].copy_from_slice(b"'|b1");
    let err = both::<Flag>(&bytes).unwrap_err();
    assert_eq!(err.row(), Some(2));
    assert_eq!(err.field(), Some("flag"));

    #[derive(Debug, PartialEq, Deserialize, Record)]
    struct Text {
        s: String,
    }
    let err = both::<Text>(&np_save(
        "np.array([(b'ok',), (b'\\xff',)], dtype=[('s', 'S2')])",
    ))
    .unwrap_err();
    assert_eq!((err.row(), err.field()), (Some(1), Some("s")));
    assert!(err.message().contains("UTF-8"), "{err}");

    #[derive(Debug, PartialEq, Deserialize, Record)]
    struct Narrow {
        x: f32,
        small: i8,
    }
    let err = both::<Narrow>(&np_save(
        "np.array([(0.5, 1)], dtype=[('x', '<f8'), ('small', 'i1')])",
    ))
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TypeMismatch, "{err}");
    let err = both::<Narrow>(&np_save(
        "np.array([(0.5, 1), (1.5, 200)], dtype=[('x', '<f4'), ('small', 'u1')])",
    ))
    .unwrap_err();
    assert_eq!((err.row(), err.field()), (Some(1), Some("small")), "{err}");

    // A struct field the file lacks: an error at the first row, none without rows.
    #[derive(Debug, PartialEq, Deserialize, Record)]
    struct Missing {
        id: i64,
        absent: u8,
    }
    let err = both::<Missing>(&np_save("np.array([(1,)], dtype=[('id', '<i8')])")).unwrap_err();
    assert_eq!(err.row(), Some(0));
    assert!(err.message().contains("missing field `absent`"), "{err}");
    let rows = both::<Missing>(&np_save("np.zeros(0, dtype=[('id', '<i8')])")).unwrap();
    assert!(rows.is_empty());

    // A missing field and a bad value in one row: serde reports the value first (it checks
    // for missing fields once the row's columns are read), and so do compiled rows.
    #[derive(Debug, PartialEq, Deserialize, Record)]
    struct MissingAndBad {
        absent: bool,
        s: String,
    }
    let err = both::<MissingAndBad>(&np_save("np.array([(b'\\xff',)], dtype=[('s', 'S2')])"))
        .unwrap_err();
    assert_eq!((err.row(), err.field()), (Some(0), Some("s")), "{err}");

    // A file with both a field's name and its alias: serde's "duplicate field".
    #[derive(Debug, PartialEq, Deserialize, Record)]
    struct Aliased {
        #[serde(alias = "b")]
        a: u8,
        c: u8,
    }
    let bytes = np_save("np.array([(1, 2, 3)], dtype=[('a', 'u1'), ('b', 'u1'), ('c', 'u1')])");
    let err = both::<Aliased>(&bytes).unwrap_err();
    assert!(err.message().contains("duplicate field `a`"), "{err}");
    let bytes = np_save("np.array([(2, 3)], dtype=[('b', 'u1'), ('c', 'u1')])");
    assert_eq!(both::<Aliased>(&bytes).unwrap(), [Aliased { a: 2, c: 3 }]);

    // An `Option` the file lacks is `None`, as serde's derive makes a missing key.
    #[derive(Debug, PartialEq, Deserialize, Record)]
    struct Maybe {
        id: i64,
        maybe: Option<u8>,
    }
    let rows = both::<Maybe>(&np_save("np.array([(1,), (2,)], dtype=[('id', '<i8')])")).unwrap();
    assert_eq!(rows[1], Maybe { id: 2, maybe: None });
}

#[test]
fn what_compiled_rows_refuse() {
    #[derive(Debug, PartialEq, Deserialize, Record)]
    struct Row {
        x: f64,
    }
    let plain = np_save("np.arange(3.0)");
    let err = compiled::from_slice::<Row>(&plain).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TypeMismatch);
    assert!(err.message().contains("npy_serde::from_path"), "{err}");

    // An object field (np.save would need allow_pickle; the header is edited instead).
    let mut objects = np_save("np.array([(1.0, 2)], dtype=[('x', '<f8'), ('o', '<i8')])");
    let at = objects.windows(5).position(|w| w == b"'<i8'").unwrap();
    objects[at..at + 5].copy_from_slice(b"'|O' ");
    assert_eq!(
        compiled::from_slice::<Row>(&objects).unwrap_err().kind(),
        ErrorKind::Unsupported
    );

    let full = np_save("np.zeros(4, dtype=[('x', '<f8')])");
    let err = compiled::from_slice::<Row>(&full[..full.len() - 1]).unwrap_err();
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(&full[..full.len() - 1]).unwrap();
    let path_err = compiled::from_path::<Row>(file.path()).unwrap_err();
    for e in [err, path_err] {
        assert_eq!(e.kind(), ErrorKind::UnexpectedEof, "{e}");
    }
}

/// Streams cut at every length: the rows before the cut are decoded (a bad one is reported
/// first), then the end of input, as `from_reader` does.
#[test]
fn truncated_streams() {
    #[derive(Debug, PartialEq, Deserialize, Record)]
    struct Row {
        id: i32,
        flag: bool,
    }
    let bytes =
        np_save("np.array([(i, i % 2) for i in range(6)], dtype=[('id', '<i4'), ('flag', '?')])");
    let mut bad = bytes.clone();
    let data = bad.len() - 6 * 5;
    bad[data + 2 * 5 + 4] = 9; // row 2's flag
    for input in [&bytes, &bad] {
        for cut in (data..input.len()).step_by(2) {
            let serde = npy_serde::from_reader::<_, Row>(&input[..cut]).unwrap_err();
            let compiled = compiled::from_reader::<_, Row>(&input[..cut]).unwrap_err();
            assert_eq!(
                (serde.kind(), serde.row(), serde.field(), serde.message()),
                (
                    compiled.kind(),
                    compiled.row(),
                    compiled.field(),
                    compiled.message()
                ),
                "cut at {cut}"
            );
        }
    }
}

/// 400,000 rows (14.8 MB): decoded on several threads, in order, with the first bad row's
/// error whichever thread meets it.
#[test]
fn large_arrays_on_every_core() {
    #[derive(Debug, PartialEq, Deserialize, Record)]
    struct Row {
        id: i64,
        x: f64,
        y: f32,
        flag: bool,
        label: [u8; 16],
    }
    const ROWS: usize = 400_000;
    let mut bytes = np_save(&format!(
        "np.rec.fromarrays([np.arange({ROWS}) * 3 - 7, np.arange({ROWS}) * 0.5, \
         np.arange({ROWS}, dtype='f4') * 0.25, np.arange({ROWS}) % 3 == 0, \
         np.char.encode(np.char.add('r', np.arange({ROWS}).astype('U')), 'ascii')], \
         dtype=[('id', '>i8'), ('x', '<f8'), ('y', '<f4'), ('flag', '?'), ('label', 'S16')])\
         .view(np.ndarray)"
    ));
    let rows: Vec<Row> = both(&bytes).unwrap();
    assert_eq!(rows.len(), ROWS);
    for (i, row) in rows.iter().enumerate() {
        let mut label = [0u8; 16];
        let text = format!("r{i}");
        label[..text.len()].copy_from_slice(text.as_bytes());
        let want = Row {
            id: i as i64 * 3 - 7,
            x: i as f64 * 0.5,
            y: i as f32 * 0.25,
            flag: i % 3 == 0,
            label,
        };
        assert_eq!(row, &want, "row {i}");
    }
    // Bad bool bytes in rows 390,000 and 250,000 (different threads): row 250,000 is reported.
    let data = bytes.len() - ROWS * 37;
    for bad in [390_000, 250_000] {
        bytes[data + bad * 37 + 20] = 7;
    }
    let err = both::<Row>(&bytes).unwrap_err();
    assert_eq!((err.row(), err.field()), (Some(250_000), Some("flag")));
}

/// Writes `rows` both ways (bytes and file, serde and compiled) and checks the outcomes agree;
/// returns the bytes, or the error.
fn write_both<T>(rows: &[T], options: &Options) -> Result<Vec<u8>, npy_serde::Error>
where
    T: RecordWrite + Serialize + Sync,
{
    let dir = tempfile::tempdir().unwrap();
    let (serde_path, compiled_path) = (dir.path().join("s.npy"), dir.path().join("c.npy"));
    let serde = npy_serde::to_vec_with(rows, options);
    let compiled = compiled::to_vec_with(rows, options);
    let mut streamed = Vec::new();
    let streamed_result = compiled::to_writer_with(&mut streamed, rows, options);
    let saved = (
        npy_serde::to_path_with(&serde_path, rows, options),
        compiled::to_path_with(&compiled_path, rows, options),
    );
    match (&serde, &compiled, &saved) {
        (Ok(a), Ok(b), (Ok(()), Ok(()))) => {
            assert!(a == b, "compiled bytes differ from serde's");
            assert!(
                streamed_result.is_ok() && streamed == *a,
                "compiled stream differs"
            );
            assert!(std::fs::read(&serde_path).unwrap() == *a);
            assert!(std::fs::read(&compiled_path).unwrap() == *a);
        }
        (Err(a), Err(b), (Err(c), Err(d))) => {
            let e = streamed_result.as_ref().unwrap_err();
            for other in [b, c, d, e] {
                assert_eq!(a.kind(), other.kind(), "{a} vs {other}");
                assert_eq!(a.row(), other.row(), "{a} vs {other}");
                assert_eq!(a.field(), other.field(), "{a} vs {other}");
                assert_eq!(a.message(), other.message(), "{a} vs {other}");
            }
            assert!(!compiled_path.exists(), "a failed save leaves no file");
        }
        _ => panic!("outcomes differ: {serde:?} {compiled:?} {saved:?}"),
    }
    serde
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Record, RecordWrite)]
struct Written {
    id: i64,
    small: i16,
    flag: bool,
    x: f64,
    y: f32,
    label: [u8; 4],
    name: String,
}

fn written_rows() -> Vec<Written> {
    (0..5)
        .map(|i| Written {
            id: i * 1_000_000_007 - 3,
            small: -(i as i16) * 300,
            flag: i % 2 == 0,
            x: i as f64 / 3.0,
            y: 0.5 - i as f32,
            label: [b'a' + i as u8, 0, 1, 2],
            name: "ab".repeat(i as usize),
        })
        .collect()
}

/// What NumPy saves for [`written_rows`] with `label` as `S4` and `name` as `order`-`kind`.
fn numpy_written(order: char, name: &str) -> Vec<u8> {
    np_save(&format!(
        "np.array([(i * 1000000007 - 3, -i * 300, i % 2 == 0, i / 3, 0.5 - i,                     bytes([97 + i, 0, 1, 2]), 'ab' * i) for i in range(5)],          dtype=[('id', '{order}i8'), ('small', '{order}i2'), ('flag', '?'), ('x', '{order}f8'),                 ('y', '{order}f4'), ('label', 'S4'), ('name', '{name}')])"
    ))
}

#[rstest]
#[case::little_unicode('<', StringMode::Unicode, "<U8")]
#[case::big_unicode('>', StringMode::Unicode, ">U8")]
#[case::little_bytes('<', StringMode::Bytes, "S8")]
#[case::big_bytes('>', StringMode::Bytes, "S8")]
fn compiled_writes_are_np_saves_bytes(
    #[case] order: char,
    #[case] strings: StringMode,
    #[case] name: &str,
) {
    let byte_order = if order == '<' {
        npy_core::ByteOrder::Little
    } else {
        npy_core::ByteOrder::Big
    };
    let options = Options::new().byte_order(byte_order).strings(strings);
    let bytes = write_both(&written_rows(), &options).unwrap();
    assert!(bytes == numpy_written(order, name), "differs from np.save");
    assert_eq!(both::<Written>(&bytes).unwrap(), written_rows());
}

#[test]
fn compiled_write_errors_are_the_serde_paths() {
    // A string longer than its fixed width, in the fourth row.
    let options = Options::new()
        .strings(StringMode::Bytes)
        .string_width("name", 4);
    let err = write_both(&written_rows(), &options).unwrap_err();
    assert_eq!((err.row(), err.field()), (Some(3), Some("name")), "{err}");

    // An explicit dtype: `id` narrowed (serde refuses i64 into i4 whatever the value) or
    // `small` widened (serde converts); the compiled encoder leaves both to serde.
    let explicit = |id: &str, small: &str| {
        let file = np_save(&format!(
            "np.zeros(1, dtype=[('id', '{id}'), ('small', '{small}'), ('flag', '?'), \
             ('x', '<f8'), ('y', '<f4'), ('label', 'S4'), ('name', 'S8')])"
        ));
        let dtype = npy_core::ArrayView::new(&file)
            .unwrap()
            .header()
            .dtype
            .clone();
        Options::new().dtype(dtype)
    };
    let err = write_both(&written_rows(), &explicit("<i4", "<i2")).unwrap_err();
    assert_eq!((err.row(), err.field()), (Some(0), Some("id")), "{err}");
    let bytes = write_both(&written_rows(), &explicit("<i8", ">i8")).unwrap();
    assert_eq!(both::<Written>(&bytes).unwrap(), written_rows());
}

#[test]
fn serialize_names_and_skipped_fields() {
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Record, RecordWrite)]
    #[serde(rename_all = "camelCase")]
    struct Row {
        row_id: u32,
        #[serde(rename(serialize = "out", deserialize = "out"))]
        value: f32,
        #[serde(skip)]
        cache: u64,
    }
    let rows = vec![
        Row {
            row_id: 7,
            value: 1.5,
            cache: 99,
        },
        Row {
            row_id: 8,
            value: -2.0,
            cache: 1,
        },
    ];
    let bytes = write_both(&rows, &Options::new()).unwrap();
    assert!(
        bytes
            == np_save("np.array([(7, 1.5), (8, -2.0)], dtype=[('rowId', '<u4'), ('out', '<f4')])")
    );
    let back = both::<Row>(&bytes).unwrap();
    assert_eq!(
        back[1],
        Row {
            row_id: 8,
            value: -2.0,
            cache: 0
        }
    );
}

/// 300,000 rows (over 8 MiB): encoded on every core while the file is written.
#[test]
fn large_compiled_writes() {
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Record, RecordWrite)]
    struct Row {
        id: i64,
        x: f64,
        y: f32,
        flag: bool,
        label: String,
    }
    let mut rows: Vec<Row> = (0..300_000)
        .map(|i| Row {
            id: i * 3 - 7,
            x: i as f64 * 0.5,
            y: i as f32 * 0.25,
            flag: i % 3 == 0,
            label: format!("r{i}"),
        })
        .collect();
    let options = Options::new()
        .strings(StringMode::Bytes)
        .string_width("label", 16);
    let bytes = write_both(&rows, &options).unwrap();
    let numpy = np_save(
        "np.rec.fromarrays([np.arange(300000) * 3 - 7, np.arange(300000) * 0.5,          np.arange(300000, dtype='f4') * 0.25, np.arange(300000) % 3 == 0,          np.char.encode(np.char.add('r', np.arange(300000).astype('U')), 'ascii')],          dtype=[('id', '<i8'), ('x', '<f8'), ('y', '<f4'), ('flag', '?'), ('label', 'S16')])\
         .view(np.ndarray)",
    );
    assert!(bytes == numpy, "differs from np.save");
    // Too long labels in rows 290,000 and 200,000: row 200,000 is reported, no file is left.
    rows[290_000].label = "x".repeat(17);
    rows[200_000].label = "y".repeat(20);
    let err = write_both(&rows, &options).unwrap_err();
    assert_eq!((err.row(), err.field()), (Some(200_000), Some("label")));
}

mod props {
    use super::*;
    use proptest::prelude::*;

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Record, RecordWrite)]
    struct Row {
        a: i64,
        b: u16,
        c: f32,
        d: bool,
        e: [u8; 5],
        f: String,
        g: f64,
    }

    fn row() -> impl Strategy<Value = Row> {
        (
            any::<i64>(),
            any::<u16>(),
            any::<f32>(),
            any::<bool>(),
            any::<[u8; 5]>(),
            "[a-z]{0,6}",
            any::<f64>(),
        )
            .prop_map(|(a, b, c, d, e, f, g)| Row {
                a,
                b,
                c,
                d,
                e,
                f,
                g,
            })
    }

    proptest! {
        /// Rows written in either byte order come back identical (bit for bit: NaNs compare
        /// by their bits) from the compiled and the serde readers.
        #[test]
        fn compiled_reads_what_was_written(rows in proptest::collection::vec(row(), 1..40), big in any::<bool>()) {
            let order = if big { npy_core::ByteOrder::Big } else { npy_core::ByteOrder::Little };
            let options = npy_serde::Options::new()
                .byte_order(order)
                .strings(npy_serde::StringMode::Bytes)
                .string_width("f", 6);
            let bytes = npy_serde::to_vec_with(&rows, &options).unwrap();
            let written = compiled::to_vec_with(&rows, &options).unwrap();
            prop_assert!(written == bytes, "compiled writer's bytes differ");
            let compiled: Vec<Row> = compiled::from_slice(&bytes).unwrap();
            let serde: Vec<Row> = npy_serde::from_slice(&bytes).unwrap();
            let bits = |rows: &[Row]| rows.iter().map(|r| (r.a, r.b, r.c.to_bits(), r.d, r.e, r.f.clone(), r.g.to_bits())).collect::<Vec<_>>();
            prop_assert_eq!(bits(&compiled), bits(&rows));
            prop_assert_eq!(bits(&serde), bits(&rows));
        }
    }
}
