//! The .npz reader on arbitrary bytes: open the archive, then read every member every way.
#![no_main]

use std::io::Cursor;

use libfuzzer_sys::fuzz_target;
use npy_npz::{NpzReader, Value};

fuzz_target!(|data: &[u8]| {
    let Ok(mut archive) = NpzReader::new(Cursor::new(data)) else {
        return;
    };
    let names: Vec<String> = archive.files().map(str::to_owned).collect();
    let _ = archive.names().count();
    for (index, name) in names.iter().enumerate() {
        let _ = archive.contains(name);
        if let Ok(Value::Array(array)) = archive.read(name) {
            let _ = array.to_npy_bytes();
        }
        let _ = archive.read_bytes(name);
        let _ = archive.read_typed::<f64>(name);
        if let Ok(mut member) = archive.by_index(index) {
            let _ = member.read_header();
            let _ = member.finish();
        }
        if let Ok(member) = archive.by_index(index) {
            let _ = member.read_array();
        }
    }
    let _ = archive.into_member("x");
});
