//! No hang: the most expensive headers the default limits let through (about 1 MiB of text)
//! are parsed, judged and read within a time bound. A parser or dtype check that is quadratic
//! in the header's size (a duplicate-name scan, string concatenation, big-integer parsing)
//! would take minutes on these, not milliseconds.
//!
//! This is a bound against hangs, not a benchmark: the limit is generous for a debug build on
//! a loaded machine and far below what quadratic work on these inputs costs.

use std::time::{Duration, Instant};

use npy_core::{ArrayView, NpyReader, ReadOptions};

/// Wall-clock bound for reading one file three ways (about 1 s in a debug build; quadratic work
/// on these inputs would take minutes).
const TIME_LIMIT: Duration = Duration::from_secs(10);

/// A version 2.0 file: magic, version, 4-byte length, the header text padded to 64 bytes, and
/// `data`.
fn v2_file(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut text = dict.as_bytes().to_vec();
    let unpadded = 12 + text.len() + 1;
    text.resize(text.len() + (64 - unpadded % 64) % 64, b' ');
    text.push(b'\n');
    let mut out = b"\x93NUMPY\x02\x00".to_vec();
    out.extend_from_slice(&(text.len() as u32).to_le_bytes());
    out.extend_from_slice(&text);
    out.extend_from_slice(data);
    out
}

/// Reads `bytes` through every entry point, checking each finishes within the bound; returns
/// whether the header was accepted.
fn read_every_way(what: &str, bytes: &[u8]) -> bool {
    let start = Instant::now();
    let accepted = NpyReader::new(bytes).and_then(|r| r.read_array()).is_ok();
    let _ = ArrayView::new(bytes);
    let _ = NpyReader::with_options(bytes, &ReadOptions::default());
    let elapsed = start.elapsed();
    eprintln!("{what}: {} bytes, {elapsed:?}", bytes.len());
    assert!(
        elapsed < TIME_LIMIT,
        "{what}: {} bytes took {elapsed:?}",
        bytes.len()
    );
    accepted
}

/// Just under the default 1 MiB header limit.
const BUDGET: usize = (1 << 20) - 200;

#[test]
fn a_record_with_fifty_thousand_fields() {
    let mut dict = String::from("{'descr': [");
    let mut n = 0;
    while dict.len() < BUDGET - 100 {
        dict.push_str(&format!("('f{n}', '<u1'), "));
        n += 1;
    }
    dict.push_str("], 'fortran_order': False, 'shape': (1,), }");
    let file = v2_file(&dict, &vec![7u8; n]);
    assert!(
        read_every_way("record fields", &file),
        "{n} distinct fields are a valid dtype"
    );
    let view = ArrayView::new(&file).unwrap();
    assert_eq!(view.header().dtype.itemsize(), n);

    // The same with one duplicated name at the very end: refused, still quickly.
    let dup = dict.replacen("], 'fortran", "('f0', '<u1'), ], 'fortran", 1);
    assert!(!read_every_way(
        "duplicate field",
        &v2_file(&dup, &vec![0u8; n + 1])
    ));
}

#[test]
fn a_one_megabyte_string_with_escapes() {
    let name: String = "\\x41\\n\\'".repeat(BUDGET / 10);
    let dict = format!("{{'descr': [('{name}', '<i4')], 'fortran_order': False, 'shape': (1,), }}");
    read_every_way("escaped name", &v2_file(&dict, &[0; 4]));
    // Implicit concatenation of many short literals.
    let parts = "'ab' ".repeat(BUDGET / 6);
    let dict = format!("{{'descr': [({parts}, '<i4')], 'fortran_order': False, 'shape': (1,), }}");
    read_every_way("concatenated name", &v2_file(&dict, &[0; 4]));
}

#[test]
fn an_integer_with_a_million_digits() {
    let digits = "9".repeat(BUDGET - 80);
    let dict = format!("{{'descr': '<i4', 'fortran_order': False, 'shape': ({digits},), }}");
    assert!(!read_every_way("huge dimension", &v2_file(&dict, &[])));
    let zeros = format!("{}1", "0".repeat(BUDGET - 80));
    let dict = format!("{{'descr': '<i4', 'fortran_order': False, 'shape': (0x{zeros},), }}");
    read_every_way("leading zeros", &v2_file(&dict, &[0; 4]));
}

#[test]
fn nesting_at_the_depth_limit_repeated() {
    // 63 levels of tuples, over and over, in one shape tuple: the deepest nesting the default
    // depth allows, as many times as the header holds.
    let deep = format!("{}1{}", "(".repeat(60), ")".repeat(60));
    let mut items = String::new();
    while items.len() < BUDGET - 200 {
        items.push_str(&deep);
        items.push_str(", ");
    }
    let dict = format!("{{'descr': '<i4', 'fortran_order': False, 'shape': ({items}), }}");
    // (Parentheses around a single value make no tuple: this is a shape of many 1s.)
    read_every_way("deep parentheses", &v2_file(&dict, &[]));
    // Nested records, each level one field, down to the depth limit.
    let mut descr = String::from("'<i4'");
    for level in 0..30 {
        descr = format!("[('l{level}', {descr})]");
    }
    let dict = format!("{{'descr': {descr}, 'fortran_order': False, 'shape': (2,), }}");
    assert!(read_every_way("nested records", &v2_file(&dict, &[0; 8])));
}

#[test]
fn a_megabyte_of_whitespace_and_comments() {
    let filler = " \t\\\n # a comment\n".repeat(BUDGET / 20);
    let dict = format!("{{'descr': '<i4',{filler} 'fortran_order': False, 'shape': (1,), }}");
    read_every_way("whitespace", &v2_file(&dict, &[0; 4]));
}
