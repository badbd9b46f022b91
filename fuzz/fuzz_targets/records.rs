//! The record deserializer on arbitrary bytes, for rows with nested structs, strings, borrowed
//! strings, fixed-size arrays, options, vectors and datetimes, both whole-file and streamed;
//! and compiled rows (`#[derive(npy_serde::Record)]`), whose outcome must be the serde path's.
#![no_main]

use std::collections::BTreeMap;

use libfuzzer_sys::fuzz_target;
use npy_serde::{compiled, from_slice, units, Datetime64, RecordReader, RecordSlice, Timedelta64};
use serde::Deserialize;

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
struct Point {
    x: f32,
    y: f32,
}

#[allow(dead_code)]
#[derive(Debug, Deserialize, npy_serde::Record)]
struct Row {
    id: i64,
    label: String,
    pos: Point,
    v: [f64; 3],
    flag: bool,
}

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
struct Inner {
    m: [[i16; 2]; 2],
    name: Vec<u8>,
}

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
struct Nested<'a> {
    a: u8,
    text: &'a str,
    inner: Inner,
    many: Vec<Point>,
    maybe: Option<Point>,
    when: Datetime64<units::S>,
    took: Timedelta64<units::Ms>,
}

/// Every type with a direct read, plus an aliased, an optional and a defaulted field.
#[derive(Debug, PartialEq, Deserialize, npy_serde::Record)]
struct Flat {
    #[serde(alias = "x")]
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
    text: String,
    maybe: Option<u16>,
    #[serde(default)]
    extra: u32,
}

/// The compiled reader's outcome must be the serde path's (rows by their debug text, so NaNs
/// compare equal; errors by kind, row, field and message).
fn same_as_serde<T>(data: &[u8])
where
    T: npy_serde::Record + serde::de::DeserializeOwned + Send + std::fmt::Debug,
{
    let serde = npy_serde::from_reader::<_, T>(data);
    let streamed = compiled::from_reader::<_, T>(data);
    match (&serde, &streamed) {
        (Ok(a), Ok(b)) => assert_eq!(format!("{a:?}"), format!("{b:?}")),
        (Err(a), Err(b)) => assert_eq!(
            (a.kind(), a.row(), a.field(), a.message()),
            (b.kind(), b.row(), b.field(), b.message())
        ),
        (Ok(_), Err(b)) if b.kind() == npy_serde::ErrorKind::TypeMismatch => {}
        (a, b) => panic!("serde reader gave {a:?}, compiled {b:?}"),
    }
    match (from_slice::<T>(data), compiled::from_slice::<T>(data)) {
        (Ok(a), Ok(b)) => assert_eq!(format!("{a:?}"), format!("{b:?}")),
        (Err(a), Err(b)) => {
            assert_eq!(
                (a.kind(), a.row(), a.field(), a.message()),
                (b.kind(), b.row(), b.field(), b.message())
            );
        }
        // A non-record array: only the compiled reader refuses it.
        (Ok(_), Err(b)) if b.kind() == npy_serde::ErrorKind::TypeMismatch => {}
        (a, b) => panic!("serde gave {a:?}, compiled {b:?}"),
    }
}

fuzz_target!(|data: &[u8]| {
    same_as_serde::<Flat>(data);
    same_as_serde::<Row>(data);
    let _ = from_slice::<Row>(data);
    let _ = from_slice::<Nested>(data);
    let _ = from_slice::<(i32, f64)>(data);
    let _ = from_slice::<BTreeMap<String, f64>>(data);
    let _ = from_slice::<String>(data);

    if let Ok(rows) = RecordReader::<_, Row>::new(data) {
        for row in rows.take(1 << 16) {
            if row.is_err() {
                break;
            }
        }
    }
    if let Ok(rows) = RecordReader::<_, Inner>::new(data) {
        let _ = rows.read_all();
    }
    if let Ok(rows) = RecordSlice::<Nested>::new(data) {
        for row in rows.iter().take(1 << 16) {
            if row.is_err() {
                break;
            }
        }
    }
});
