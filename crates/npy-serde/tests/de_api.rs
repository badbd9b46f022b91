//! The reading API: `from_slice`, `from_reader`, `from_path`, the streaming `RecordReader` and
//! the random-access `RecordSlice`, over slices, files, readers and memory maps.

mod common;

use std::io::{Cursor, Read};

use common::np_save;
use npy_core::MmapArray;
use npy_serde::{from_path, from_reader, from_slice, ErrorKind, RecordReader, RecordSlice};
use serde::Deserialize;

#[derive(Debug, Deserialize, PartialEq, Clone)]
struct Row {
    id: i64,
    x: f64,
    y: f32,
    flag: bool,
    label: String,
}

/// `n` rows, big enough to span several 1 MiB chunks when `n` is large.
fn rows_expr(n: usize) -> String {
    format!(
        "np.rec.fromarrays([np.arange({n}), np.arange({n}) * 0.5, np.arange({n}, dtype='f4'), \
         np.arange({n}) % 3 == 0, np.char.add(b'r', np.arange({n}).astype('S15'))], \
         dtype=[('id', '<i8'), ('x', '<f8'), ('y', '<f4'), ('flag', '?'), ('label', 'S16')])\
         .view(np.ndarray)"
    )
}

fn expected_row(i: i64) -> Row {
    Row {
        id: i,
        x: i as f64 * 0.5,
        y: i as f32,
        flag: i % 3 == 0,
        label: format!("r{i}"),
    }
}

#[test]
fn all_entry_points_agree_across_chunks() {
    let n = 100_000; // 3.7 MB of data: several chunks
    let bytes = np_save(&rows_expr(n));
    let from_bytes: Vec<Row> = from_slice(&bytes).unwrap();
    assert_eq!(from_bytes.len(), n);
    for i in [0, 1, 28_339, 28_340, 99_999] {
        assert_eq!(from_bytes[i], expected_row(i as i64));
    }
    let from_read: Vec<Row> = from_reader(Cursor::new(&bytes)).unwrap();
    assert_eq!(from_read, from_bytes);

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rows.npy");
    std::fs::write(&path, &bytes).unwrap();
    let from_file: Vec<Row> = from_path(&path).unwrap();
    assert_eq!(from_file, from_bytes);

    let streamed: Vec<Row> = RecordReader::open(&path)
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(streamed, from_bytes);

    let map = MmapArray::open(&path).unwrap();
    let slice = RecordSlice::<Row>::from_mmap(&map).unwrap();
    assert_eq!(slice.len(), n);
    assert_eq!(slice.get(77_777).unwrap(), expected_row(77_777));
    assert_eq!(slice.iter().count(), n);
}

/// A reader that hands out at most 7 bytes per call.
struct Trickle<R>(R);

impl<R: Read> Read for Trickle<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = buf.len().min(7);
        self.0.read(&mut buf[..n])
    }
}

#[test]
fn short_reads_are_fine() {
    let bytes = np_save(&rows_expr(1000));
    let rows: Vec<Row> = from_reader(Trickle(&bytes[..])).unwrap();
    assert_eq!(rows.len(), 1000);
    assert_eq!(rows[999], expected_row(999));
}

#[test]
fn several_arrays_in_one_stream() {
    let mut stream = np_save("np.arange(3, dtype='<i4')");
    stream.extend(np_save(
        "np.array([(1.5, 2)], dtype=[('x', '<f8'), ('n', '<u2')])",
    ));
    stream.extend(np_save("np.array(7.25)"));
    let mut input = &stream[..];
    let mut first = RecordReader::<_, i64>::new(&mut input).unwrap();
    assert_eq!(
        first.by_ref().collect::<Result<Vec<_>, _>>().unwrap(),
        [0, 1, 2]
    );
    drop(first);
    #[derive(Debug, Deserialize, PartialEq)]
    struct Second {
        n: u32,
        x: f64,
    }
    let second: Vec<Second> = RecordReader::new(&mut input)
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(second, [Second { n: 2, x: 1.5 }]);
    // A 0-d array is one row.
    let third: Vec<f64> = from_reader(&mut input).unwrap();
    assert_eq!(third, [7.25]);
    assert!(input.is_empty());
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
fn headers_claiming_more_than_the_input_holds_do_not_allocate_it() {
    // 2**40 rows of 37 bytes claimed, one row present.
    let one = np_save(&rows_expr(1));
    let data_offset = npy_core::ArrayView::new(&one).unwrap().data_offset() as usize;
    let mut bytes = npy_header(
        "{'descr': [('id', '<i8'), ('x', '<f8'), ('y', '<f4'), ('flag', '|b1'), \
         ('label', '|S16')], 'fortran_order': False, 'shape': (1099511627776,), }",
    );
    bytes.extend_from_slice(&one[data_offset..]);

    let err = from_reader::<_, Row>(&bytes[..]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnexpectedEof);
    let reader = RecordReader::<_, Row>::new(&bytes[..]).unwrap();
    assert_eq!(reader.len(), 1 << 40);
    let results: Vec<_> = reader.take(3).collect();
    assert!(results[0].is_ok(), "{results:?}");
    assert_eq!(
        results[1].as_ref().unwrap_err().kind(),
        ErrorKind::UnexpectedEof
    );
    assert_eq!(results.len(), 2);

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("forged.npy");
    std::fs::write(&path, &bytes).unwrap();
    assert_eq!(
        from_path::<Row>(&path).unwrap_err().kind(),
        ErrorKind::UnexpectedEof
    );
    assert_eq!(
        RecordSlice::<Row>::new(&bytes).unwrap_err().kind(),
        ErrorKind::UnexpectedEof
    );
}

#[test]
fn zero_size_rows_and_empty_arrays() {
    #[derive(Debug, Deserialize, PartialEq)]
    struct Empty {
        s: String,
    }
    let bytes = np_save("np.zeros(5, dtype=[('s', 'S0')])");
    let rows: Vec<Empty> = from_slice(&bytes).unwrap();
    assert_eq!(rows.len(), 5);
    assert_eq!(rows[0].s, "");
    let rows: Vec<Empty> = from_reader(&bytes[..]).unwrap();
    assert_eq!(rows.len(), 5);

    let bytes = np_save("np.zeros((0, 3), dtype='<f8')");
    let rows: Vec<[f64; 3]> = from_slice(&bytes).unwrap();
    assert!(rows.is_empty());
    let rows: Vec<Row> = from_reader(&np_save(&rows_expr(0))[..]).unwrap();
    assert!(rows.is_empty());
}

#[test]
fn record_slice_random_access() {
    let bytes = np_save(&rows_expr(50));
    let slice = RecordSlice::<Row>::new(&bytes).unwrap();
    assert_eq!(slice.len(), 50);
    assert!(!slice.is_empty());
    assert_eq!(slice.header().shape, vec![50]);
    assert_eq!(slice.get(49).unwrap(), expected_row(49));
    assert_eq!(slice.get(3).unwrap(), expected_row(3));
    let err = slice.get(50).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    // Borrowing rows from the slice.
    #[derive(Debug, Deserialize)]
    struct Label<'a> {
        label: &'a str,
    }
    let labels = RecordSlice::<Label>::new(&bytes).unwrap();
    assert_eq!(labels.get(10).unwrap().label, "r10");
    let all: Vec<&str> = labels.iter().map(|r| r.unwrap().label).collect();
    assert_eq!(all.len(), 50);
}

#[test]
fn nested_structs_reached_only_through_option_and_vec() {
    #[derive(Debug, Deserialize, PartialEq)]
    struct P {
        x: i32,
        y: i32,
    }
    #[derive(Debug, Deserialize, PartialEq)]
    struct Row {
        p: Option<P>,
        ps: Vec<P>,
        q: Option<P>,
    }
    let bytes = np_save(
        "np.array([((1, 2), [(3, 4), (5, 6)]), ((7, 8), [(9, 10), (11, 12)])], \
         dtype=[('p', [('x', '<i4'), ('y', '<i4')]), ('ps', [('x', '<i4'), ('y', '<i4')], (2,))])",
    );
    let rows: Vec<Row> = from_slice(&bytes).unwrap();
    assert_eq!(
        rows[1],
        Row {
            p: Some(P { x: 7, y: 8 }),
            ps: vec![P { x: 9, y: 10 }, P { x: 11, y: 12 }],
            q: None,
        }
    );
}

#[test]
fn one_record_read_as_two_struct_types() {
    // The same nested record read into two Rust types in one row: the second type is fed by
    // name through an uncached plan.
    #[derive(Debug, Deserialize, PartialEq)]
    struct A {
        x: i32,
    }
    #[derive(Debug, Deserialize, PartialEq)]
    struct B {
        y: i32,
    }
    #[derive(Debug, Deserialize, PartialEq)]
    struct Row {
        a: [A; 1],
        b: [B; 1],
    }
    let bytes = np_save(
        "np.array([([(1, 2)], [(3, 4)])], dtype=[('a', [('x', '<i4'), ('y', '<i4')], (1,)), \
         ('b', [('x', '<i4'), ('y', '<i4')], (1,))])",
    );
    let rows: Vec<Row> = from_slice(&bytes).unwrap();
    assert_eq!(
        rows[0],
        Row {
            a: [A { x: 1 }],
            b: [B { y: 4 }]
        }
    );
    // Different types at the top level of two readers of the same bytes.
    let a: Vec<A> = from_slice(&np_save(
        "np.array([(1, 2)], dtype=[('x', '<i4'), ('y', '<i4')])",
    ))
    .unwrap();
    assert_eq!(a, [A { x: 1 }]);
}

#[test]
fn big_files_stream_with_bounded_memory() {
    // 40 MB of rows through a RecordReader: the reader's buffer stays at one chunk.
    let n = 1_100_000;
    let bytes = np_save(&rows_expr(n));
    let mut reader = RecordReader::<_, Row>::new(&bytes[..]).unwrap();
    let mut count = 0u64;
    let mut last = None;
    for row in reader.by_ref() {
        let row = row.unwrap();
        count += 1;
        last = Some(row);
    }
    assert_eq!(count, n as u64);
    assert_eq!(last.unwrap(), expected_row(n as i64 - 1));
    assert_eq!(reader.position(), n as u64);
    assert!(format!("{reader:?}").contains("RecordReader"));
}

#[test]
fn big_files_read_by_path_overlap_reading_and_decoding() {
    // 40 MB: from_path reads it on a second thread while decoding.
    let n = 1_100_000;
    let mut bytes = np_save(&rows_expr(n));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.npy");
    std::fs::write(&path, &bytes).unwrap();
    let rows: Vec<Row> = from_path(&path).unwrap();
    assert_eq!(rows.len(), n);
    assert_eq!(rows[n - 1], expected_row(n as i64 - 1));
    assert_eq!(rows[654_321], expected_row(654_321));

    // A bad value deep in the file: the error names its row, and nothing hangs.
    let data_offset = npy_core::ArrayView::new(&bytes).unwrap().data_offset() as usize;
    let flag_at = data_offset + 900_000 * 37 + 20;
    bytes[flag_at] = 2;
    std::fs::write(&path, &bytes).unwrap();
    let err = from_path::<Row>(&path).unwrap_err();
    assert_eq!(err.row(), Some(900_000));
    assert_eq!(err.field(), Some("flag"));
}
