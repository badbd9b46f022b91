//! Broken and hostile archives: every failure is an error, never a panic, and nothing is
//! allocated for sizes an archive claims before the bytes are there.

mod common;

use std::io::Cursor;

use common::fixture;
use npy_core::{Array, ErrorKind, Header};
use npy_npz::{NpzReader, NpzWriter};
use proptest::prelude::*;

/// Opens `bytes` and reads every member every way; returns how many members read cleanly.
fn read_everything(bytes: Vec<u8>) -> usize {
    let Ok(mut archive) = NpzReader::new(Cursor::new(bytes)) else {
        return 0;
    };
    let mut ok = 0;
    for i in 0..archive.len() {
        if archive.by_index(i).and_then(|m| m.read_value()).is_ok() {
            ok += 1;
        }
        let _ = archive.by_index(i).and_then(|mut m| m.read_header());
    }
    ok
}

#[test]
fn every_truncation_is_an_error() {
    for name in ["mixed.npz", "mixed_compressed.npz", "nonseekable.npz"] {
        let bytes = fixture(name);
        for len in 0..bytes.len() {
            // Cutting anything loses the end record; it must say so, not panic.
            let err = NpzReader::new(Cursor::new(bytes[..len].to_vec())).unwrap_err();
            assert!(
                matches!(
                    err.kind(),
                    ErrorKind::InvalidData | ErrorKind::UnexpectedEof
                ),
                "{len}: {err}"
            );
        }
    }
}

/// Offsets of the first central directory header's fields in `bytes`.
fn central_start(bytes: &[u8]) -> usize {
    let eocd = bytes.len() - 22;
    u32::from_le_bytes(bytes[eocd + 16..eocd + 20].try_into().unwrap()) as usize
}

#[test]
fn a_member_claiming_more_than_the_archive_holds_is_refused() {
    let mut bytes = fixture("mixed.npz");
    let cd = central_start(&bytes);
    // Stored member 'b.npy': both sizes say 2 GiB - 1.
    bytes[cd + 20..cd + 28].copy_from_slice(&[0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff, 0x7f]);
    let mut archive = NpzReader::new(Cursor::new(bytes)).unwrap();
    let err = archive.read_array("b").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnexpectedEof);
    assert!(
        err.message().contains("claims 2147483647 bytes of data"),
        "{err}"
    );
    // Other members are unaffected.
    assert!(archive.read_array("a").is_ok());
}

#[test]
fn a_deflated_member_claiming_an_impossible_ratio_is_refused() {
    let mut bytes = fixture("mixed_compressed.npz");
    let cd = central_start(&bytes);
    // Uncompressed size 2 GiB - 1 from a few dozen compressed bytes: a zip bomb's claim.
    bytes[cd + 24..cd + 28].copy_from_slice(&[0xff, 0xff, 0xff, 0x7f]);
    let mut archive = NpzReader::new(Cursor::new(bytes)).unwrap();
    let err = archive.read_array("b").unwrap_err();
    assert!(
        err.message().contains("more than deflate can produce"),
        "{err}"
    );
}

/// A member whose `.npy` header promises 8 TiB but holds 16 bytes fails at once, having
/// allocated no more than npy-core's bounded step (never the claimed size).
#[test]
fn an_npy_header_claiming_terabytes_is_an_eof_error() {
    let header = Header::new(<f64 as npy_core::Element>::dtype(), vec![1 << 40]);
    let mut member = header.to_bytes().unwrap();
    member.extend_from_slice(&[0; 16]);
    for compression in [
        npy_npz::Compression::Stored,
        npy_npz::Compression::deflated(),
    ] {
        let mut writer = NpzWriter::new(Cursor::new(Vec::new())).with_compression(compression);
        writer.add_file("huge.npy", &member).unwrap();
        let bytes = writer.finish().unwrap().into_inner();
        let mut archive = NpzReader::new(Cursor::new(bytes)).unwrap();
        let err = archive.read_array("huge").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UnexpectedEof, "{err}");
        assert!(err.message().contains("member 'huge.npy'"), "{err}");
    }
}

#[test]
fn a_member_shorter_than_its_declared_size_is_an_error() {
    // A deflated member whose directory says it inflates to more than it does.
    let mut bytes = fixture("mixed_compressed.npz");
    let cd = central_start(&bytes);
    let size = u32::from_le_bytes(bytes[cd + 24..cd + 28].try_into().unwrap());
    bytes[cd + 24..cd + 28].copy_from_slice(&(size + 10).to_le_bytes());
    let mut archive = NpzReader::new(Cursor::new(bytes)).unwrap();
    let err = archive.read_bytes("b").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnexpectedEof, "{err}");
    assert!(err.message().contains("ends after"), "{err}");
}

#[test]
fn garbage_is_not_a_zip() {
    for bytes in [
        Vec::new(),
        b"PK\x03\x04".to_vec(),
        vec![0u8; 100],
        b"\x93NUMPY\x01\x00".to_vec(),
    ] {
        let err = NpzReader::new(Cursor::new(bytes)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidData);
    }
}

#[test]
fn unknown_methods_and_encryption_are_unsupported() {
    let mut bytes = fixture("mixed.npz");
    let cd = central_start(&bytes);
    bytes[cd + 10] = 12; // bzip2
    let mut archive = NpzReader::new(Cursor::new(bytes.clone())).unwrap();
    let err = archive.read_array("b").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unsupported);
    assert!(err.message().contains("method 12"), "{err}");
    bytes[cd + 10] = 0;
    bytes[cd + 8] |= 1; // encrypted
    let mut archive = NpzReader::new(Cursor::new(bytes)).unwrap();
    assert_eq!(
        archive.read_array("b").unwrap_err().kind(),
        ErrorKind::Unsupported
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Random byte flips anywhere: errors are fine, panics and runaway allocation are not.
    #[test]
    fn corrupted_archives_never_panic(
        name in prop::sample::select(vec!["mixed.npz", "mixed_compressed.npz", "nonseekable.npz", "dtypes.npz"]),
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
    ) {
        let mut bytes = fixture(name);
        for (at, value) in flips {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        read_everything(bytes);
    }
}

#[test]
fn clean_archives_read_completely() {
    assert_eq!(read_everything(fixture("mixed_compressed.npz")), 6);
    let one = Array::from_vec(vec![1], vec![1u8]).unwrap();
    let mut writer = NpzWriter::new(Cursor::new(Vec::new()));
    writer.add("one", &one).unwrap();
    assert_eq!(read_everything(writer.finish().unwrap().into_inner()), 1);
}
