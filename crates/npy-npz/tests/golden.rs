//! Our writer against NumPy's bytes: for the same arrays, the archives np.savez and
//! np.savez_compressed wrote (tests/data, by make_fixtures.py) are what we write, byte for byte.

mod common;

use std::io::Cursor;

use common::{fixture, ints, mixed_arrays};
use npy_core::NpyArray;
use npy_npz::{savez_to, Compression, NpzReader, NpzWriter};
use rstest::rstest;

fn write_mixed(compression: Compression) -> Vec<u8> {
    let (named, unnamed) = mixed_arrays();
    let named: Vec<(&str, &NpyArray)> = named.iter().map(|(n, a)| (*n, a)).collect();
    let unnamed: Vec<&NpyArray> = unnamed.iter().collect();
    savez_to(Cursor::new(Vec::new()), compression, &named, &unnamed)
        .unwrap()
        .into_inner()
}

#[test]
fn savez_is_byte_identical() {
    assert_eq!(write_mixed(Compression::Stored), fixture("mixed.npz"));
}

/// Deflate is zlib at level 6 as in NumPy, so even compressed archives match.
#[test]
fn savez_compressed_is_byte_identical() {
    assert_eq!(
        write_mixed(Compression::deflated()),
        fixture("mixed_compressed.npz")
    );
    let out = savez_to(
        Cursor::new(Vec::new()),
        Compression::deflated(),
        &[("ints", &ints())],
        &[],
    )
    .unwrap()
    .into_inner();
    assert_eq!(out, fixture("ints_compressed.npz"));
}

/// Writing to a stream that cannot seek gives np.savez's data-descriptor layout.
#[rstest]
#[case::stored(Compression::Stored, "nonseekable.npz")]
#[case::deflated(Compression::deflated(), "nonseekable_compressed.npz")]
fn streaming_output_is_byte_identical(#[case] compression: Compression, #[case] name: &str) {
    let mut writer = NpzWriter::new_streaming(Vec::new()).with_compression(compression);
    if name == "nonseekable.npz" {
        let (named, unnamed) = mixed_arrays();
        for (key, array) in &named {
            writer.add_array(key, array).unwrap();
        }
        for array in &unnamed {
            writer.add_unnamed_array(array).unwrap();
        }
    } else {
        writer.add_array("ints", &ints()).unwrap();
    }
    assert_eq!(writer.finish().unwrap(), fixture(name));
}

#[test]
fn empty_savez_is_the_end_record_alone() {
    let out = NpzWriter::new(Cursor::new(Vec::new()))
        .finish()
        .unwrap()
        .into_inner();
    assert_eq!(out, fixture("empty.npz"));
    assert_eq!(out, b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0");
}

/// Every stored fixture NumPy wrote with np.savez alone is reproduced from the arrays we read
/// out of it: names with '/', 'c.npy', non-ASCII names (UTF-8 flag), records, strings, 0-d,
/// empty and datetime arrays.
#[rstest]
#[case("mixed.npz")]
#[case("names.npz")]
#[case("dtypes.npz")]
fn rewriting_a_numpy_archive_reproduces_it(#[case] name: &str) {
    let original = fixture(name);
    let mut archive = NpzReader::new(Cursor::new(original.clone())).unwrap();
    let names: Vec<String> = archive.names().map(str::to_owned).collect();
    let mut writer = NpzWriter::new(Cursor::new(Vec::new()));
    for file in &names {
        let array = archive.read_array(file).unwrap();
        writer
            .add_array(file.strip_suffix(".npy").unwrap(), &array)
            .unwrap();
    }
    assert_eq!(writer.finish().unwrap().into_inner(), original);
}

/// A large deflated member streams through the compressor and has its header patched
/// afterwards; the bytes are still NumPy's.
#[test]
fn streamed_member_matches_whole_member() {
    let array = ints();
    let mut writer =
        NpzWriter::new(Cursor::new(Vec::new())).with_compression(Compression::deflated());
    let mut member = writer.start_array("ints", array.header()).unwrap();
    for chunk in array.data().chunks(1000) {
        std::io::Write::write_all(&mut member, chunk).unwrap();
    }
    member.finish().unwrap();
    assert_eq!(
        writer.finish().unwrap().into_inner(),
        fixture("ints_compressed.npz")
    );
}

/// Members over 4 MiB are deflated in independent blocks (in parallel); the bytes do not depend
/// on whether the member was added whole or streamed in odd-sized chunks, nor on the output
/// seeking, and they read back exactly.
#[rstest]
#[case::just_over_a_block((4 << 20) - 127)]
#[case::several_blocks((9 << 20) + 12345)]
fn large_deflated_members_are_deterministic(#[case] elements_bytes: usize) {
    let values: Vec<u32> = (0..elements_bytes as u32 / 4)
        .map(|i| (i / 3) % 5000)
        .collect();
    let array =
        common::dynamic(&npy_core::Array::from_vec(vec![values.len() as u64], values).unwrap());
    let whole = {
        let mut writer =
            NpzWriter::new(Cursor::new(Vec::new())).with_compression(Compression::deflated());
        writer.add_array("big", &array).unwrap();
        writer.finish().unwrap().into_inner()
    };
    let streamed = {
        let mut writer =
            NpzWriter::new(Cursor::new(Vec::new())).with_compression(Compression::deflated());
        let mut member = writer.start_array("big", array.header()).unwrap();
        for chunk in array.data().chunks(777_777) {
            std::io::Write::write_all(&mut member, chunk).unwrap();
        }
        member.finish().unwrap();
        writer.finish().unwrap().into_inner()
    };
    assert_eq!(whole, streamed);
    let mut archive = NpzReader::new(Cursor::new(whole.clone())).unwrap();
    assert_eq!(archive.read_array("big").unwrap(), array);
    // Unseekable output: same compressed bytes, with a data descriptor.
    let mut writer = NpzWriter::new_streaming(Vec::new()).with_compression(Compression::deflated());
    writer.add_array("big", &array).unwrap();
    let descriptor = writer.finish().unwrap();
    let mut archive = NpzReader::new(Cursor::new(descriptor)).unwrap();
    assert_eq!(archive.entry("big").unwrap().compressed_size(), {
        let archive = NpzReader::new(Cursor::new(whole)).unwrap();
        archive.entry("big").unwrap().compressed_size()
    });
    assert_eq!(archive.read_array("big").unwrap(), array);
}

/// The archive does not depend on how many threads compress: small members are one zlib
/// stream each whichever thread runs it, large ones are cut at fixed offsets.
#[test]
fn output_does_not_depend_on_threads() {
    let small: Vec<npy_core::Array<f32>> = (0..300)
        .map(|i| {
            npy_core::Array::from_vec(vec![100], (0..100).map(|j| (i * j) as f32).collect())
                .unwrap()
        })
        .collect();
    let big = npy_core::Array::from_vec(vec![3 << 20], (0..3u32 << 20).map(|i| i % 977).collect())
        .unwrap();
    let write = |threads: usize| {
        let mut writer = NpzWriter::new(Cursor::new(Vec::new()))
            .with_compression(Compression::deflated())
            .with_threads(threads);
        for (i, array) in small.iter().enumerate() {
            writer.add(&format!("s{i}"), array).unwrap();
            if i == 150 {
                writer.add("big", &big).unwrap();
                writer.set_compression(Compression::Deflated(1));
            }
        }
        writer.finish().unwrap().into_inner()
    };
    let one = write(1);
    assert_eq!(one, write(2));
    assert_eq!(one, write(3));
    let mut archive = NpzReader::new(Cursor::new(one)).unwrap();
    assert_eq!(archive.len(), 301);
    assert_eq!(archive.read_typed::<u32>("big").unwrap(), big);
    assert_eq!(archive.read_typed::<f32>("s299").unwrap(), small[299]);
}
