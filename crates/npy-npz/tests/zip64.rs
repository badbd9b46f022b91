//! An archive with a member over 4 GiB, then a member whose header lies past 4 GiB: zip64
//! sizes in the local header, zip64 sizes and offset in the central directory, and a zip64 end
//! record, all written without being asked for and read back.
//!
//! Ignored by default: it writes and reads about 4 GiB on disk (plus a CRC pass), which takes
//! tens of seconds. Run it with
//!
//! ```text
//! cargo test --release -p npy-npz --test zip64 -- --ignored --nocapture
//! ```
//!
//! It needs ~4.1 GiB free in the temporary folder (`TMPDIR`) and little memory: the big member
//! is written in chunks and read back through `Read` and a memory map.

use std::io::{Read, Write};
use std::time::Instant;

use npy_core::{Array, Element, Header};
use npy_npz::{NpzMmap, NpzReader, NpzWriter};

const LEN: u64 = (4 << 30) + 4096 + 7;

fn byte(i: u64) -> u8 {
    (i % 251) as u8
}

#[test]
#[ignore = "writes a 4 GiB archive; run with --ignored (see the file's doc comment)"]
fn member_over_4_gib_round_trips() {
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.npz");
    let mut writer = NpzWriter::create(&path).unwrap();
    let mut member = writer
        .start_array("big", &Header::new(u8::dtype(), vec![LEN]))
        .unwrap();
    let mut chunk = vec![0u8; 8 << 20];
    let mut at = 0u64;
    while at < LEN {
        let n = chunk.len().min((LEN - at) as usize);
        for (j, b) in chunk[..n].iter_mut().enumerate() {
            *b = byte(at + j as u64);
        }
        member.write_all(&chunk[..n]).unwrap();
        at += n as u64;
    }
    member.finish().unwrap();
    writer
        .add(
            "after",
            &Array::from_vec(vec![2], vec![1.5f64, -2.5]).unwrap(),
        )
        .unwrap();
    writer.finish().unwrap();
    eprintln!(
        "wrote {} bytes in {:?}",
        std::fs::metadata(&path).unwrap().len(),
        started.elapsed()
    );

    let read_started = Instant::now();
    let mut archive = NpzReader::open(&path).unwrap();
    assert_eq!(archive.files().collect::<Vec<_>>(), ["big", "after"]);
    let entry = archive.entry("big").unwrap().clone();
    assert!(entry.size() > 1 << 32 && entry.compressed_size() == entry.size());
    assert!(archive.entry("after").unwrap().header_offset() > 1 << 32);
    let after: Array<f64> = archive.read_typed("after").unwrap();
    assert_eq!(after.data(), &[1.5, -2.5]);

    // Stream the big member back, checking every byte; reading to the end checks the CRC.
    let mut member = archive.by_name("big").unwrap();
    let header = member.read_header().unwrap().unwrap();
    assert_eq!(header.header.shape, [LEN]);
    let mut at = 0u64;
    loop {
        let n = member.read(&mut chunk).unwrap();
        if n == 0 {
            break;
        }
        assert!(
            chunk[..n]
                .iter()
                .enumerate()
                .all(|(j, &b)| b == byte(at + j as u64)),
            "at {at}"
        );
        at += n as u64;
    }
    assert_eq!(at, LEN);
    eprintln!("read back with CRC check in {:?}", read_started.elapsed());

    // And in place, through a memory map.
    let map = NpzMmap::open(&path).unwrap();
    let view = map.view_unchecked_crc("big").unwrap();
    assert_eq!(view.data().len() as u64, LEN);
    assert_eq!(view.data()[(LEN - 1) as usize], byte(LEN - 1));
    eprintln!("total {:?}", started.elapsed());
}
