//! Large arrays (8 MiB of data or more) are decoded on several threads: rows must come out in
//! order with NumPy's values, and the error reported must be the first bad row's, whichever
//! thread meets it.

mod common;

use std::collections::HashSet;
use std::sync::Mutex;
use std::thread::ThreadId;

use common::np_save;
use npy_serde::{from_path, from_slice, ErrorKind, RecordReader, RecordSlice};
use serde::{Deserialize, Deserializer};

/// 400,000 rows of 37 bytes (14.8 MB): above the parallel threshold.
const ROWS: usize = 400_000;
const ROW_SIZE: usize = 37;

/// Rows whose every field is a function of the row index, so each decoded row can be checked.
fn numpy_rows() -> Vec<u8> {
    np_save(&format!(
        "np.rec.fromarrays([np.arange({ROWS}) * 3 - 7, np.arange({ROWS}) * 0.5, \
         np.arange({ROWS}, dtype='f4') * 0.25, np.arange({ROWS}) % 3 == 0, \
         np.char.encode(np.char.add('r', np.arange({ROWS}).astype('U')), 'ascii')], \
         dtype=[('id', '<i8'), ('x', '<f8'), ('y', '<f4'), ('flag', '?'), ('label', 'S16')])\
         .view(np.ndarray)"
    ))
}

/// Where the data starts (NumPy pads the header to 64 bytes: 128 here).
fn data_offset(bytes: &[u8]) -> usize {
    let offset = bytes.len() - ROWS * ROW_SIZE;
    assert_eq!(offset % 64, 0, "header length");
    offset
}

/// The thread that decoded each row's `x`.
static DECODING_THREADS: Mutex<Option<HashSet<ThreadId>>> = Mutex::new(None);

fn note_thread<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    let id = std::thread::current().id();
    DECODING_THREADS
        .lock()
        .unwrap()
        .get_or_insert_with(HashSet::new)
        .insert(id);
    f64::deserialize(d)
}

#[derive(Debug, Deserialize, PartialEq)]
struct Row {
    id: i64,
    x: f64,
    y: f32,
    flag: bool,
    label: String,
}

#[derive(Debug, Deserialize, PartialEq)]
struct FixedRow {
    label: [u8; 16],
    #[serde(deserialize_with = "note_thread")]
    x: f64,
    id: i64,
}

fn check(rows: &[Row]) {
    assert_eq!(rows.len(), ROWS);
    for (i, row) in rows.iter().enumerate() {
        let want = Row {
            id: i as i64 * 3 - 7,
            x: i as f64 * 0.5,
            y: i as f32 * 0.25,
            flag: i % 3 == 0,
            label: format!("r{i}"),
        };
        assert_eq!(row, &want, "row {i}");
    }
}

#[test]
fn rows_come_out_in_order_with_numpys_values() {
    let bytes = numpy_rows();
    check(&from_slice::<Row>(&bytes).unwrap());
    check(&RecordSlice::<Row>::new(&bytes).unwrap().to_vec().unwrap());
    // The one-thread streaming reader agrees.
    let streamed: Vec<Row> = RecordReader::new(&bytes[..])
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    check(&streamed);

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rows.npy");
    std::fs::write(&path, &bytes).unwrap();
    check(&from_path::<Row>(&path).unwrap());
}

#[test]
fn every_core_takes_part() {
    let bytes = numpy_rows();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rows.npy");
    std::fs::write(&path, &bytes).unwrap();
    *DECODING_THREADS.lock().unwrap() = None;
    let rows: Vec<FixedRow> = from_path(&path).unwrap();
    assert_eq!(rows.len(), ROWS);
    let last = &rows[ROWS - 1];
    assert_eq!(&last.label[..7], format!("r{}", ROWS - 1).as_bytes());
    assert_eq!(last.id, (ROWS as i64 - 1) * 3 - 7);
    let threads = DECODING_THREADS.lock().unwrap().take().unwrap().len();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    assert_eq!(
        threads,
        cores.min(3),
        "threads that decoded rows (14.8 MB: at most 3)"
    );
}

/// Sets row `row`'s `flag` byte to 2, which a Rust `bool` refuses.
fn spoil_flag(bytes: &mut [u8], row: usize) {
    let at = data_offset(bytes) + row * ROW_SIZE + 20;
    assert!(bytes[at] <= 1);
    bytes[at] = 2;
}

#[test]
fn the_error_is_the_first_bad_rows_whichever_thread_meets_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.npy");
    for bad_rows in [
        vec![390_000],
        vec![5, 390_000],
        vec![199_999, 200_000],
        vec![0],
    ] {
        let mut bytes = numpy_rows();
        for &row in &bad_rows {
            spoil_flag(&mut bytes, row);
        }
        std::fs::write(&path, &bytes).unwrap();
        let first = bad_rows[0] as u64;
        for err in [
            from_slice::<Row>(&bytes).unwrap_err(),
            from_path::<Row>(&path).unwrap_err(),
        ] {
            assert_eq!(err.kind(), ErrorKind::InvalidData, "{err}");
            assert_eq!(err.row(), Some(first), "{err}");
            assert_eq!(err.field(), Some("flag"), "{err}");
        }
    }
}

#[test]
fn a_value_too_big_for_the_rust_type_late_in_the_file_names_its_row() {
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Narrow {
        id: i16,
    }
    let bytes = numpy_rows();
    // id = 3 i - 7 passes i16::MAX at row 10925.
    let err = from_slice::<Narrow>(&bytes).unwrap_err();
    assert_eq!(err.row(), Some(10_925), "{err}");
    assert_eq!(err.field(), Some("id"), "{err}");
}
