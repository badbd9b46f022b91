//! Streaming writers: `RecordWriter` and `RecordFileWriter` produce the bytes of the whole-slice
//! writers, hold back only their sample rows, reject later rows that do not fit without losing
//! the writer, and leave nothing half-written behind.

use std::io::{Cursor, Seek, SeekFrom, Write};

use npy_serde::{
    to_vec, to_vec_with, ErrorKind, Options, RecordFileWriter, RecordWriter, StringMode,
};
use proptest::prelude::*;
use serde::Serialize;

#[derive(Serialize, Clone, Debug)]
struct Row {
    id: i64,
    x: f64,
    label: String,
    tag: [u8; 2],
}

fn row(i: usize, label: &str) -> Row {
    Row {
        id: i as i64 - 3,
        x: i as f64 / 4.0,
        label: label.to_owned(),
        tag: [i as u8, 7],
    }
}

fn stream(rows: &[Row], options: Options) -> (Vec<u8>, Vec<npy_serde::Error>) {
    let mut writer = RecordWriter::with_options(Cursor::new(Vec::new()), options);
    let mut errors = Vec::new();
    for r in rows {
        if let Err(e) = writer.serialize(r) {
            errors.push(e);
        }
    }
    (writer.finish().unwrap().into_inner(), errors)
}

#[test]
fn many_rows_cross_chunk_boundaries_and_equal_the_whole() {
    // 5 MB of rows: several 1 MiB chunks, none aligned to a chunk boundary.
    let rows: Vec<Row> = (0..100_003)
        .map(|i| row(i, &format!("r{}", i % 977)))
        .collect();
    let options = Options::new()
        .strings(StringMode::Bytes)
        .string_width("label", 4);
    let (streamed, errors) = stream(&rows, options.clone());
    assert!(errors.is_empty());
    assert_eq!(streamed, to_vec_with(&rows, &options).unwrap());
}

#[test]
fn widths_come_from_the_samples_and_a_later_longer_string_is_refused() {
    let rows = vec![
        row(0, "ab"),
        row(1, "abc"),
        row(2, "a"),
        row(3, "abcd"),
        row(4, "xyz"),
    ];
    let (streamed, errors) = stream(&rows, Options::new().sample_rows(3));
    assert_eq!(errors.len(), 1);
    let err = &errors[0];
    assert_eq!(err.kind(), ErrorKind::InvalidData);
    assert_eq!(err.row(), Some(3));
    assert_eq!(err.field(), Some("label"));
    assert!(
        err.message()
            .contains("a value of 4 characters does not fit the field's 3 (dtype <U3)")
            && err.message().contains("raise Options::sample_rows"),
        "{err}"
    );
    // The refused row is simply not there; the others are, with the sampled width.
    let kept = [&rows[0], &rows[1], &rows[2], &rows[4]];
    let expected = to_vec_with(&kept, &Options::new().string_width("label", 3)).unwrap();
    assert_eq!(streamed, expected);
}

#[test]
fn a_row_that_fails_while_sampling_is_not_counted() {
    #[derive(Serialize)]
    struct MaybeRow {
        id: u32,
        v: Option<u8>,
    }
    #[derive(Serialize)]
    struct Plain {
        id: u32,
        v: u8,
    }
    // Option is refused, but a struct with a u8 in its place is the same shape afterwards:
    // the writer goes on with the rows that fit.
    let mut writer = RecordWriter::new(Cursor::new(Vec::new()));
    writer.serialize(&Plain { id: 1, v: 2 }).unwrap();
    let err = writer.serialize(&MaybeRow { id: 2, v: None }).unwrap_err();
    assert_eq!((err.kind(), err.row()), (ErrorKind::Unsupported, Some(1)));
    assert_eq!(writer.rows(), 1);
    writer.serialize(&Plain { id: 3, v: 4 }).unwrap();
    let bytes = writer.finish().unwrap().into_inner();
    assert_eq!(
        bytes,
        to_vec(&[Plain { id: 1, v: 2 }, Plain { id: 3, v: 4 }]).unwrap()
    );
}

#[test]
fn rows_are_held_back_only_while_a_width_is_open() {
    let mut writer =
        RecordWriter::with_options(Cursor::new(Vec::new()), Options::new().sample_rows(2));
    writer.serialize(&row(0, "a")).unwrap();
    assert!(writer.dtype().is_none(), "still sampling");
    writer.serialize(&row(1, "bc")).unwrap();
    assert_eq!(
        writer.dtype().unwrap().descr(),
        "[('id', '<i8'), ('x', '<f8'), ('label', '<U2'), ('tag', '|S2')]"
    );
    assert_eq!(writer.rows(), 2);

    // With the width given, the dtype is fixed by the first row.
    let mut writer = RecordWriter::with_options(
        Cursor::new(Vec::new()),
        Options::new().string_width("label", 5),
    );
    writer.serialize(&row(0, "a")).unwrap();
    assert!(writer.dtype().is_some());

    // Without strings, too.
    let mut writer = RecordWriter::new(Cursor::new(Vec::new()));
    writer.serialize(&[1.0f32, 2.0]).unwrap();
    assert_eq!(writer.dtype().unwrap().descr(), "('<f4', (2,))");
}

#[test]
fn sample_rows_zero_means_the_first_row() {
    let rows = vec![row(0, "abc"), row(1, "abcd")];
    let (streamed, errors) = stream(&rows, Options::new().sample_rows(0));
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].row(), Some(1));
    assert_eq!(streamed, to_vec(&rows[..1]).unwrap());
}

#[test]
fn a_sampled_row_longer_than_an_explicit_width_is_refused_at_once() {
    #[derive(Serialize)]
    struct Two {
        a: String,
        b: String,
    }
    let mut writer =
        RecordWriter::with_options(Cursor::new(Vec::new()), Options::new().string_width("a", 2));
    writer
        .serialize(&Two {
            a: "xy".into(),
            b: "1".into(),
        })
        .unwrap();
    let err = writer
        .serialize(&Two {
            a: "xyz".into(),
            b: "2".into(),
        })
        .unwrap_err();
    assert_eq!(
        (err.kind(), err.row(), err.field()),
        (ErrorKind::InvalidData, Some(1), Some("a"))
    );
    writer
        .serialize(&Two {
            a: "z".into(),
            b: "333".into(),
        })
        .unwrap();
    let bytes = writer.finish().unwrap().into_inner();
    let expected = to_vec_with(
        &[
            Two {
                a: "xy".into(),
                b: "1".into(),
            },
            Two {
                a: "z".into(),
                b: "333".into(),
            },
        ],
        &Options::new().string_width("a", 2),
    )
    .unwrap();
    assert_eq!(bytes, expected);
}

#[test]
fn explicit_dtype_with_no_rows_writes_an_empty_array() {
    let dtype = npy_serde::trace_dtype(&[row(0, "abc")], &Options::new()).unwrap();
    let options = Options::new().dtype(dtype);
    let writer = RecordWriter::with_options(Cursor::new(Vec::new()), options.clone());
    let bytes = writer.finish().unwrap().into_inner();
    let none: [Row; 0] = [];
    assert_eq!(bytes, to_vec_with(&none, &options).unwrap());
}

#[test]
fn explicit_dtype_mismatch_on_the_first_row_leaves_the_writer_usable() {
    #[derive(Serialize)]
    struct A {
        v: f64,
    }
    #[derive(Serialize)]
    struct B {
        v: i16,
    }
    let dtype = npy_serde::trace_dtype(&[B { v: 0 }], &Options::new()).unwrap();
    let mut writer =
        RecordWriter::with_options(Cursor::new(Vec::new()), Options::new().dtype(dtype.clone()));
    let err = writer.serialize(&A { v: 1.5 }).unwrap_err();
    assert_eq!((err.kind(), err.row()), (ErrorKind::TypeMismatch, Some(0)));
    assert_eq!(writer.rows(), 0);
    writer.serialize(&B { v: 7 }).unwrap();
    let bytes = writer.finish().unwrap().into_inner();
    assert_eq!(bytes, to_vec(&[B { v: 7 }]).unwrap());
}

#[test]
fn the_array_starts_at_the_writer_position() {
    let mut file = tempfile::tempfile().unwrap();
    file.write_all(b"prefix").unwrap();
    let mut writer = RecordWriter::new(file);
    for i in 0..10 {
        writer.serialize(&row(i, "lbl")).unwrap();
    }
    let mut file = writer.finish().unwrap();
    file.seek(SeekFrom::Start(0)).unwrap();
    let mut all = Vec::new();
    std::io::Read::read_to_end(&mut file, &mut all).unwrap();
    let rows: Vec<Row> = (0..10).map(|i| row(i, "lbl")).collect();
    assert_eq!(&all[..6], b"prefix");
    assert_eq!(&all[6..], &to_vec(&rows).unwrap()[..]);
}

#[test]
fn an_abandoned_stream_is_not_a_valid_npy_file() {
    let mut buffer = Cursor::new(Vec::new());
    {
        let mut writer = RecordWriter::with_options(&mut buffer, Options::new().sample_rows(1));
        writer.serialize(&row(0, "a")).unwrap();
        writer.serialize(&row(1, "b")).unwrap();
    }
    let bytes = buffer.into_inner();
    assert!(bytes.starts_with(b"\0NUMPY"), "{:?}", &bytes[..8]);
}

#[test]
fn top_level_array_rows_stream_into_extra_dimensions() {
    let rows = [[1.0f32, 2.0, 3.0], [4.0, 5.0, 6.0]];
    let mut writer = RecordWriter::new(Cursor::new(Vec::new()));
    for r in &rows {
        writer.serialize(r).unwrap();
    }
    assert_eq!(
        writer.finish().unwrap().into_inner(),
        to_vec(&rows).unwrap()
    );
}

#[test]
fn file_writer_is_atomic() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rows.npy");
    let rows: Vec<Row> = (0..1000).map(|i| row(i, &"x".repeat(i % 7))).collect();

    let mut writer = RecordFileWriter::create(&path).unwrap();
    for r in &rows {
        writer.serialize(r).unwrap();
    }
    assert!(!path.exists(), "nothing appears before finish");
    writer.finish().unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), to_vec(&rows).unwrap());

    // An abandoned writer leaves the previous file and no temporary file behind.
    let mut writer = RecordFileWriter::create_with(&path, Options::new().sample_rows(1)).unwrap();
    for i in 0..10 {
        writer.serialize(&row(i, "x")).unwrap();
    }
    drop(writer);
    assert_eq!(std::fs::read(&path).unwrap(), to_vec(&rows).unwrap());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Whatever the sample size, the stream holds exactly the rows that fit the sampled widths,
    /// and its bytes are those of the whole-slice writer for those rows at those widths.
    #[test]
    fn streaming_equals_whole_for_the_rows_that_fit(
        labels in proptest::collection::vec("[a-zé😀]{0,6}", 0..40),
        sample in 0usize..45,
    ) {
        let rows: Vec<Row> = labels.iter().enumerate().map(|(i, l)| row(i, l)).collect();
        let width = rows
            .iter()
            .take(sample.max(1))
            .map(|r| r.label.chars().count())
            .max()
            .unwrap_or(0)
            .max(1);
        let kept: Vec<&Row> = rows
            .iter()
            .enumerate()
            .filter(|(i, r)| *i < sample.max(1) || r.label.chars().count() <= width)
            .map(|(_, r)| r)
            .collect();
        if rows.is_empty() {
            let writer = RecordWriter::with_options(Cursor::new(Vec::new()), Options::new());
            prop_assert_eq!(writer.finish().unwrap_err().kind(), ErrorKind::InvalidArgument);
            return Ok(());
        }
        let (streamed, errors) = stream(&rows, Options::new().sample_rows(sample));
        prop_assert_eq!(errors.len(), rows.len() - kept.len());
        for e in &errors {
            prop_assert_eq!(e.kind(), ErrorKind::InvalidData);
            prop_assert_eq!(e.field(), Some("label"));
        }
        let expected = to_vec_with(&kept, &Options::new().string_width("label", width)).unwrap();
        prop_assert_eq!(streamed, expected);
    }
}

/// A row that is refused from a given index on (an `Option` appears).
#[derive(Serialize)]
struct Breaks {
    id: u64,
    x: f64,
    #[serde(serialize_with = "fails_late")]
    pad: [u8; 24],
}

const BREAK_AT: u64 = 250_001;

fn fails_late<S: serde::Serializer>(pad: &[u8; 24], s: S) -> Result<S::Ok, S::Error> {
    if pad[0] == 1 {
        s.serialize_none()
    } else {
        pad.serialize(s)
    }
}

fn breaks(n: u64, break_at: Option<u64>) -> Vec<Breaks> {
    (0..n)
        .map(|id| Breaks {
            id,
            x: id as f64,
            pad: [
                u8::from(Some(id) == break_at),
                2,
                3,
                4,
                5,
                6,
                7,
                8,
                9,
                10,
                11,
                12,
                13,
                14,
                15,
                16,
                17,
                18,
                19,
                20,
                21,
                22,
                23,
                24,
            ],
        })
        .collect()
}

#[test]
fn large_to_path_writes_through_the_pipeline_and_equals_to_vec() {
    // 300,000 rows of 40 bytes: past the size where to_path encodes on one thread while another
    // writes.
    let rows = breaks(300_000, None);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.npy");
    npy_serde::to_path(&path, &rows).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), to_vec(&rows).unwrap());
}

#[test]
fn large_to_path_that_fails_midway_leaves_nothing() {
    let rows = breaks(300_000, Some(BREAK_AT));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.npy");
    let err = npy_serde::to_path(&path, &rows).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unsupported);
    assert_eq!((err.row(), err.field()), (Some(BREAK_AT), Some("pad")));
    assert!(!path.exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn large_to_path_reports_the_first_bad_row_whichever_encoder_meets_it() {
    // Chunks of 26,215 rows go to the encoder threads in turn: rows 30,000 (chunk 1) and
    // 60,000 / 200,000 (chunks 2 and 7) are met by different threads on a 2-core machine.
    for (bad, first) in [
        (&[60_000u64, 30_000][..], 30_000),
        (&[200_000, 60_000][..], 60_000),
        (&[299_999][..], 299_999),
    ] {
        let mut rows = breaks(300_000, None);
        for &row in bad {
            rows[row as usize].pad[0] = 1;
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.npy");
        let err = npy_serde::to_path(&path, &rows).unwrap_err();
        assert_eq!(
            (err.row(), err.field()),
            (Some(first), Some("pad")),
            "{err}"
        );
        assert!(!path.exists());
    }
}
