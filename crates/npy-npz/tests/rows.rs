//! Rows of serde structs as record-array members (feature `serde`):
//! `cargo test -p npy-npz --features serde --test rows`.

mod common;

use std::io::Cursor;

use npy_npz::{Compression, NpzReader, NpzWriter};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Row {
    id: i64,
    x: f64,
    label: String,
}

fn rows(n: i64) -> Vec<Row> {
    (0..n)
        .map(|i| Row {
            id: i,
            x: i as f64 / 2.0,
            label: format!("r{i}"),
        })
        .collect()
}

#[test]
fn rows_round_trip_stored_and_deflated() {
    for compression in [Compression::Stored, Compression::deflated()] {
        let mut writer = NpzWriter::new(Cursor::new(Vec::new())).with_compression(compression);
        writer.add_rows("table", &rows(1000)).unwrap();
        let bytes = writer.finish().unwrap().into_inner();
        let mut archive = NpzReader::new(Cursor::new(bytes)).unwrap();
        let back: Vec<Row> = archive.read_rows("table").unwrap();
        assert_eq!(back, rows(1000));
        // The member is an ordinary record array.
        let array = archive.read_array("table").unwrap();
        assert_eq!(array.shape(), &[1000]);
    }
}

#[test]
fn numpy_loads_rows_as_a_record_array() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rows.npz");
    let mut writer = NpzWriter::create(&path).unwrap();
    writer.add_rows("table", &rows(3)).unwrap();
    writer.finish().unwrap();
    let out = common::run_python(
        "import sys, numpy as np\n\
         t = np.load(sys.argv[1])['table']\n\
         print(t.dtype.names, t['id'].tolist(), t['x'].tolist(), t['label'].tolist())",
        &[path.as_os_str()],
    );
    assert_eq!(
        out.trim(),
        "('id', 'x', 'label') [0, 1, 2] [0.0, 0.5, 1.0] ['r0', 'r1', 'r2']"
    );
}

#[test]
fn mismatched_rows_name_the_member() {
    let mut writer = NpzWriter::new(Cursor::new(Vec::new()));
    writer
        .add(
            "plain",
            &npy_core::Array::from_vec(vec![2], vec![1.0f64, 2.0]).unwrap(),
        )
        .unwrap();
    let bytes = writer.finish().unwrap().into_inner();
    let mut archive = NpzReader::new(Cursor::new(bytes)).unwrap();
    let err = archive.read_rows::<Row>("plain").unwrap_err();
    assert!(err.to_string().contains("member 'plain.npy'"), "{err}");
}
