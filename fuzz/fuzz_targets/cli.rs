//! The `npy` CLI's file path. The CLI is a binary only, so this target compiles the CLI's own
//! modules (everything but `main.rs`) into the fuzzer and calls the same `run` functions
//! `main` dispatches to: info, validate, dump (text, JSON, CSV), decode, encode (the input read
//! as a value document), convert, ls and extract, on
//! the input saved as a `.npy` file, as a `.npz` archive and as an `ARCHIVE.npz:NAME` member.
#![no_main]

use std::io;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

macro_rules! cli_modules {
    ($($name:ident => $path:literal),* $(,)?) => {$(
        #[allow(dead_code, unused_imports, clippy::all)]
        #[path = $path]
        mod $name;
    )*};
}

cli_modules! {
    convert => "../../crates/npy-cli/src/convert.rs",
    datetime => "../../crates/npy-cli/src/datetime.rs",
    decode => "../../crates/npy-cli/src/decode.rs",
    document => "../../crates/npy-cli/src/document.rs",
    dump => "../../crates/npy-cli/src/dump/mod.rs",
    encode => "../../crates/npy-cli/src/encode.rs",
    error => "../../crates/npy-cli/src/error.rs",
    extract => "../../crates/npy-cli/src/extract.rs",
    format => "../../crates/npy-cli/src/format.rs",
    info => "../../crates/npy-cli/src/info.rs",
    json => "../../crates/npy-cli/src/json.rs",
    load => "../../crates/npy-cli/src/load.rs",
    ls => "../../crates/npy-cli/src/ls.rs",
    member => "../../crates/npy-cli/src/member.rs",
    open => "../../crates/npy-cli/src/open.rs",
    validate => "../../crates/npy-cli/src/validate.rs",
    value => "../../crates/npy-cli/src/value.rs",
}

/// One scratch folder per fuzzing process, removed when it exits normally.
fn scratch() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().expect("a scratch folder"))
        .path()
}

/// Elements printed by `dump`, so that a small file claiming a huge array stays quick.
const LIMIT: Option<u64> = Some(256);

fuzz_target!(|data: &[u8]| {
    let dir = scratch();
    let npy = dir.join("in.npy");
    let npz = dir.join("in.npz");
    std::fs::write(&npy, data).expect("write the input");
    std::fs::write(&npz, data).expect("write the input");
    let out = &mut io::sink();

    // A .npy file.
    let _ = info::run(&npy, false, out);
    let _ = info::run(&npy, true, out);
    for format in [dump::Format::Text, dump::Format::Json, dump::Format::Csv] {
        let _ = dump::run(&npy, format, LIMIT, out);
    }
    let _ = decode::run(&npy, out);
    // The same bytes as a value document for `encode` (its JSON parser and checks).
    let _ = encode::run(&npy, &dir.join("encoded.npy"));
    let converted = dir.join("out.npy");
    let _ = convert::run(&npy, &converted, convert::Options::default());
    let swapped = convert::Options {
        endian: Some(convert::Endian::Big),
        order: Some(convert::Order::F),
        version: Some(convert::FormatVersion::V3),
    };
    let _ = convert::run(&npy, &converted, swapped);

    // A .npz archive, and its members named ARCHIVE.npz:NAME.
    let _ = ls::run(&npz, false, out);
    let _ = ls::run(&npz, true, out);
    let _ = validate::run(&[npy.clone(), npz.clone()], true, out);
    let member = PathBuf::from(format!("{}:x", npz.display()));
    let _ = info::run(&member, true, out);
    let _ = dump::run(&member, dump::Format::Json, LIMIT, out);
    let _ = decode::run(&npz, out);
    let extracted = dir.join("extracted");
    let _ = extract::run(&npz, None, &extracted, out);
    let _ = std::fs::remove_dir_all(&extracted);
});
