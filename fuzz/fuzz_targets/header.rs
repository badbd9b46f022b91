//! The header parser on arbitrary bytes, and the Python-literal parser on arbitrary text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use npy_core::header::{parse_header, ReadOptions};
use npy_core::literal::{self, ParseOptions};

fuzz_target!(|data: &[u8]| {
    let _ = parse_header(data, &ReadOptions::default());

    if let Ok(text) = std::str::from_utf8(data) {
        let _ = literal::parse(text, &ParseOptions::default());
        let long = ParseOptions {
            allow_long_suffix: true,
            ..ParseOptions::default()
        };
        let _ = literal::parse(text, &long);
    }
    // The dictionary alone, as it sits in a header after the length field.
    let text = String::from_utf8_lossy(data);
    let _ = literal::parse(&text, &ParseOptions::default());
});
