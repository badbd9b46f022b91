//! Properties: whatever we write reads back the same through our reader and through an
//! independent zip implementation (the `zip` crate), and we read what that crate writes,
//! including data descriptors.

mod common;

use std::io::{Cursor, Read, Write};

use common::dynamic;
use npy_core::{Array, NpyArray};
use npy_npz::{Compression, NpzMmap, NpzReader, NpzWriter, Value};
use proptest::prelude::*;

fn any_array() -> impl Strategy<Value = NpyArray> {
    let shape = prop::collection::vec(0u64..5, 0..3);
    prop_oneof![
        shape.clone().prop_flat_map(|s| {
            let n = s.iter().product::<u64>() as usize;
            prop::collection::vec(any::<f64>(), n)
                .prop_map(move |v| dynamic(&Array::from_vec(s.clone(), v).unwrap()))
        }),
        shape.clone().prop_flat_map(|s| {
            let n = s.iter().product::<u64>() as usize;
            prop::collection::vec(any::<i16>(), n)
                .prop_map(move |v| dynamic(&Array::from_vec(s.clone(), v).unwrap()))
        }),
        // Compressible data, long enough for deflate to matter.
        (1usize..5000).prop_map(|n| {
            dynamic(
                &Array::from_vec(vec![n as u64], (0..n as u32).map(|i| i % 7).collect()).unwrap(),
            )
        }),
    ]
}

fn any_name() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z][a-z0-9_]{0,8}",
        "[a-z]{1,4}/[a-z]{1,4}",
        "[a-zé€]{1,5}",
    ]
}

fn members() -> impl Strategy<Value = Vec<(String, NpyArray)>> {
    prop::collection::vec((any_name(), any_array()), 0..6).prop_map(|mut v| {
        let mut seen = std::collections::HashSet::new();
        v.retain(|(name, _)| seen.insert(name.clone()));
        v
    })
}

fn compression() -> impl Strategy<Value = Compression> {
    prop_oneof![
        Just(Compression::Stored),
        (0u32..=9).prop_map(Compression::Deflated)
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn written_archives_read_back(
        members in members(),
        compression in compression(),
        streaming in any::<bool>(),
        aligned in any::<bool>(),
    ) {
        let bytes = if streaming {
            let mut writer = NpzWriter::new_streaming(Vec::new()).with_compression(compression);
            if aligned { writer = writer.with_alignment(64).unwrap(); }
            for (name, array) in &members { writer.add_array(name, array).unwrap(); }
            writer.finish().unwrap()
        } else {
            let mut writer = NpzWriter::new(Cursor::new(Vec::new())).with_compression(compression);
            if aligned { writer = writer.with_alignment(64).unwrap(); }
            for (name, array) in &members { writer.add_array(name, array).unwrap(); }
            writer.finish().unwrap().into_inner()
        };

        let mut ours = NpzReader::new(Cursor::new(bytes.clone())).unwrap();
        let files: Vec<String> = ours.files().map(str::to_owned).collect();
        let names: Vec<&str> = members.iter().map(|(n, _)| n.as_str()).collect();
        prop_assert_eq!(files, names);
        for (name, array) in &members {
            prop_assert_eq!(&ours.read_array(name).unwrap(), array);
        }

        let mut theirs = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        prop_assert_eq!(theirs.len(), members.len());
        for (name, array) in &members {
            let mut member = theirs.by_name(&format!("{name}.npy")).unwrap();
            let mut content = Vec::new();
            member.read_to_end(&mut content).unwrap();
            prop_assert_eq!(content, array.to_npy_bytes().unwrap());
        }
    }

    #[test]
    fn archives_the_zip_crate_writes_read_back(
        members in members(),
        deflate in any::<bool>(),
        streaming in any::<bool>(),
    ) {
        let method = if deflate { zip::CompressionMethod::Deflated } else { zip::CompressionMethod::Stored };
        let options = zip::write::SimpleFileOptions::default().compression_method(method);
        let bytes = if streaming {
            let mut writer = zip::ZipWriter::new_stream(Vec::new());
            for (name, array) in &members {
                writer.start_file(format!("{name}.npy"), options).unwrap();
                writer.write_all(&array.to_npy_bytes().unwrap()).unwrap();
            }
            writer.finish().unwrap().into_inner()
        } else {
            let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
            for (name, array) in &members {
                writer.start_file(format!("{name}.npy"), options).unwrap();
                writer.write_all(&array.to_npy_bytes().unwrap()).unwrap();
            }
            writer.finish().unwrap().into_inner()
        };
        let mut ours = NpzReader::new(Cursor::new(bytes)).unwrap();
        for (name, array) in &members {
            prop_assert_eq!(&ours.read(name).unwrap(), &Value::Array(array.clone()));
        }
    }
}

/// With `with_alignment(64)` every array's data starts 64-byte aligned in the file, so the
/// memory map views it as a typed slice without copying.
#[test]
fn aligned_archives_give_typed_views() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("aligned.npz");
    let mut writer = NpzWriter::create(&path)
        .unwrap()
        .with_alignment(64)
        .unwrap();
    for i in 0..5u32 {
        let values: Vec<f64> = (0..(i * 7 + 1)).map(f64::from).collect();
        writer
            .add(
                &format!("v{i}{}", "x".repeat(i as usize)),
                &Array::from_vec(vec![values.len() as u64], values).unwrap(),
            )
            .unwrap();
    }
    writer.finish().unwrap();
    let archive = NpzMmap::open(&path).unwrap();
    for i in 0..5u32 {
        let view = archive
            .view(&format!("v{i}{}", "x".repeat(i as usize)))
            .unwrap();
        assert_eq!(view.data().as_ptr() as usize % 64, 0);
        let values: &[f64] = view.as_slice().unwrap();
        assert_eq!(values.len(), (i * 7 + 1) as usize);
        assert_eq!(values.last(), Some(&f64::from(i * 7)));
    }
}

#[test]
fn savez_writes_atomically_and_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.npz");
    let x = dynamic(&Array::from_vec(vec![3], vec![1u8, 2, 3]).unwrap());
    let y = dynamic(&Array::from_vec(vec![2], vec![-1i64, 1]).unwrap());
    npy_npz::savez_compressed(&path, &[("x", &x)], &[&y]).unwrap();
    let mut archive = NpzReader::open(&path).unwrap();
    assert_eq!(archive.files().collect::<Vec<_>>(), ["x", "arr_0"]);
    assert_eq!(archive.read_array("arr_0").unwrap(), y);
    // Nothing else was left in the folder.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    let err = npy_npz::savez(&path, &[("arr_0", &x)], &[&y]).unwrap_err();
    assert_eq!(
        err.message(),
        "Cannot use un-named variables and keyword arr_0"
    );
}

#[test]
fn writer_refuses_what_savez_cannot_express() {
    let x = dynamic(&Array::from_vec(vec![1], vec![1u8]).unwrap());
    let mut writer = NpzWriter::new(Cursor::new(Vec::new()));
    writer.add_array("arr_0", &x).unwrap();
    let err = writer.add_unnamed_array(&x).unwrap_err();
    assert_eq!(
        err.message(),
        "Cannot use un-named variables and keyword arr_0"
    );
    let err = writer.add_array("arr_0", &x).unwrap_err();
    assert!(
        err.message()
            .contains("already has a member named 'arr_0.npy'"),
        "{err}"
    );
    assert!(writer.add_array("a\0b", &x).is_err());
    // A member writer given too few bytes cannot finish, and the archive says why.
    let mut member = writer.start_array("short", x.header()).unwrap();
    assert!(member.write_all(&[1, 2]).is_err()); // one byte too many
    let err = member.finish().unwrap_err();
    assert!(err.message().contains("got 128 of its 129 bytes"), "{err}");
    let err = writer.finish().unwrap_err();
    assert!(
        err.message()
            .contains("member 'short.npy' was not finished"),
        "{err}"
    );
}
