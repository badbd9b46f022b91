//! Reading archives NumPy wrote: np.load's lookup rules, members of every kind, and the errors
//! np.load raises for broken archives.

mod common;

use std::io::{Cursor, Read};

use common::{data, fixture, ints, mixed_arrays};
use npy_core::{Array, ErrorKind};
use npy_npz::{Method, NpzMmap, NpzReader, Value};
use rstest::rstest;

fn open(name: &str) -> NpzReader<std::fs::File> {
    NpzReader::open(data(name)).unwrap()
}

#[rstest]
#[case("mixed.npz", &["b", "a", "weights", "arr_0", "arr_1", "arr_2"])]
#[case("nonseekable.npz", &["b", "a", "weights", "arr_0", "arr_1", "arr_2"])]
#[case("names.npz", &["a/b", "c.npy", "été"])]
#[case("dup.npz", &["dup", "dup"])]
#[case("same_name.npz", &["x", "x"])]
#[case("non_npy.npz", &["values", "meta.txt"])]
#[case("empty.npz", &[])]
fn files_lists_what_np_load_lists(#[case] name: &str, #[case] files: &[&str]) {
    let archive = open(name);
    assert_eq!(archive.files().collect::<Vec<_>>(), files);
    assert_eq!(archive.len(), files.len());
}

/// Stored, deflated and data-descriptor archives hold the arrays make_fixtures.py saved.
#[rstest]
#[case("mixed.npz")]
#[case("mixed_compressed.npz")]
#[case("nonseekable.npz")]
fn members_read_as_numpy_saved_them(#[case] name: &str) {
    let (named, unnamed) = mixed_arrays();
    let mut archive = open(name);
    for (key, expected) in &named {
        assert_eq!(&archive.read_array(key).unwrap(), expected, "{key}");
        assert_eq!(
            &archive.read_array(&format!("{key}.npy")).unwrap(),
            expected
        );
    }
    for (i, expected) in unnamed.iter().enumerate() {
        assert_eq!(&archive.read_array(&format!("arr_{i}")).unwrap(), expected);
    }
    // Typed reads convert big-endian data and keep Fortran order.
    let be: Array<i64> = archive.read_typed("arr_1").unwrap();
    assert_eq!(be.data(), &[0, 1, 2, 3, 4, 5]);
    let f: Array<f32> = archive.read_typed("arr_2").unwrap();
    assert!(f.is_fortran_order());
    assert_eq!(f.to_c_order().data(), &[0.0, 1.0, 2.0, 3.0, 4.0, 5.0]);
}

#[test]
fn deflated_and_descriptor_members_report_how_they_are_stored() {
    let archive = open("nonseekable_compressed.npz");
    let entry = archive.entry("ints").unwrap();
    assert_eq!(entry.method(), Method::Deflated);
    assert!(entry.has_data_descriptor());
    assert_eq!(entry.size(), 128 + 8 * (1 << 17));
    let mut archive = archive;
    assert_eq!(archive.read_array("ints").unwrap(), ints());
}

#[test]
fn literal_name_beats_stripped_name() {
    let mut archive = open("dup.npz");
    let literal: Array<f64> = archive.read_typed("dup").unwrap();
    assert_eq!(literal.data(), &[9.5]);
    let suffixed: Array<i64> = archive.read_typed("dup.npy").unwrap();
    assert_eq!(suffixed.data(), &[0, 1, 2]);
}

#[test]
fn last_duplicate_wins() {
    let mut archive = open("same_name.npz");
    let x: Array<i32> = archive.read_typed("x").unwrap();
    assert_eq!(x.data(), &[2]);
    // Both members stay reachable by position.
    let first: Array<i32> = archive.by_index(0).unwrap().read_typed().unwrap();
    assert_eq!(first.data(), &[1]);
}

#[test]
fn non_npy_members_are_bytes() {
    let mut archive = open("non_npy.npz");
    assert_eq!(
        archive.read("meta.txt").unwrap(),
        Value::Bytes(b"hello".to_vec())
    );
    assert!(matches!(archive.read("values").unwrap(), Value::Array(_)));
    assert!(archive
        .by_name("meta.txt")
        .unwrap()
        .read_header()
        .unwrap()
        .is_none());
    let err = archive.read_array("meta.txt").unwrap_err();
    // "hello" is shorter than the 8-byte magic, so npy-core reports the EOF NumPy would.
    assert_eq!(err.kind(), ErrorKind::UnexpectedEof);
    assert!(err.to_string().contains("member 'meta.txt'"), "{err}");
}

#[test]
fn missing_key_has_np_load_text() {
    let mut archive = open("mixed.npz");
    let err = archive.read_array("nope").unwrap_err();
    assert_eq!(err.message(), "nope is not a file in the archive");
    assert!(!archive.contains("nope"));
    assert!(archive.contains("weights") && archive.contains("weights.npy"));
}

#[rstest]
#[case("corrupt_crc_stored.npz")]
#[case("corrupt_crc_deflated.npz")]
fn crc_mismatch_names_the_member(#[case] name: &str) {
    let mut archive = open(name);
    let err = archive.read_array("x").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidData, "{err}");
    assert_eq!(err.message(), "Bad CRC-32 for file 'x.npy'");
    let err = archive.read_bytes("x").unwrap_err();
    assert_eq!(err.message(), "Bad CRC-32 for file 'x.npy'");
    // Reading through `Read` fails the same way.
    let mut member = archive.by_name("x").unwrap();
    let mut sink = Vec::new();
    let io = member.read_to_end(&mut sink).unwrap_err();
    assert!(io.to_string().contains("Bad CRC-32"), "{io}");
    assert_eq!(member.take_error().unwrap().kind(), ErrorKind::InvalidData);
}

#[test]
fn mmap_checks_crc_unless_asked_not_to() {
    let archive = NpzMmap::open(data("corrupt_crc_stored.npz")).unwrap();
    assert_eq!(
        archive.view("x").unwrap_err().message(),
        "Bad CRC-32 for file 'x.npy'"
    );
    let view = archive.view_unchecked_crc("x").unwrap();
    assert_eq!(view.header().shape, [16]);
}

#[test]
fn truncated_archive_is_not_a_zip() {
    let err = NpzReader::open(data("truncated.npz")).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidData);
    assert!(err.message().contains("File is not a zip file"), "{err}");
}

#[test]
fn mmap_views_stored_members_in_place() {
    let archive = NpzMmap::open(data("mixed.npz")).unwrap();
    let (named, _) = mixed_arrays();
    for (key, expected) in &named {
        let view = archive.view(key).unwrap();
        assert_eq!(view.header(), expected.header());
        assert_eq!(view.data(), expected.data());
        // The view borrows the map: no copy.
        let map = archive.as_bytes().as_ptr_range();
        assert!(map.contains(&view.data().as_ptr()) || view.data().is_empty());
    }
    let deflated = NpzMmap::open(data("mixed_compressed.npz")).unwrap();
    assert_eq!(
        deflated.view("a").unwrap_err().kind(),
        ErrorKind::Unsupported
    );
}

#[test]
fn owned_member_reads_like_a_borrowed_one() {
    let archive = NpzReader::new(Cursor::new(fixture("mixed_compressed.npz"))).unwrap();
    let member = archive.into_member("weights").unwrap();
    assert_eq!(member.name(), "weights.npy");
    let weights: Array<f64> = member.read_typed().unwrap();
    assert_eq!(weights.data(), &[0.0, 0.25, 0.5, 0.75, 1.0, 1.25]);
}

/// Members read in any order, re-read, and interleaved with partial reads, give the same data:
/// the shared stream's position is tracked, not assumed.
#[test]
fn random_access_and_rereads() {
    let mut archive = open("mixed_compressed.npz");
    let mut partial = archive.by_name("weights").unwrap();
    let mut first = [0u8; 10];
    partial.read_exact(&mut first).unwrap();
    let a1 = archive.read_array("a").unwrap();
    let b = archive.read_array("b").unwrap();
    let a2 = archive.read_array("a.npy").unwrap();
    assert_eq!(a1, a2);
    assert_eq!(b.shape(), &[3]);
}
