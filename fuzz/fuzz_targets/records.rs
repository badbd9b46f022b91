//! The record deserializer on arbitrary bytes, for rows with nested structs, strings, borrowed
//! strings, fixed-size arrays, options, vectors and datetimes, both whole-file and streamed.
#![no_main]

use std::collections::BTreeMap;

use libfuzzer_sys::fuzz_target;
use npy_serde::{from_slice, units, Datetime64, RecordReader, RecordSlice, Timedelta64};
use serde::Deserialize;

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
struct Point {
    x: f32,
    y: f32,
}

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
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

fuzz_target!(|data: &[u8]| {
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
