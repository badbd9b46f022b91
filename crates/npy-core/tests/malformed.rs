//! Hostile and broken input: the `malformed/` golden files (with NumPy's recorded verdict and the
//! ErrorKind npy-core must report), every truncation of every golden file, and random byte flips.
//! Nothing here may panic.

#[path = "golden/support.rs"]
mod support;

use npy_core::header::parse_header;
use npy_core::{
    read_path_dynamic, ArrayView, ByteOrder, Error, ErrorKind, NpyArray, NpyReader, ReadOptions,
};
use std::sync::OnceLock;

use proptest::prelude::*;
use support::{entries, expect_bytes, expect_eq, show_text, text_matches, Entry, Failures};

fn kind_named(name: &str) -> ErrorKind {
    match name {
        "Io" => ErrorKind::Io,
        "UnexpectedEof" => ErrorKind::UnexpectedEof,
        "BadMagic" => ErrorKind::BadMagic,
        "UnsupportedVersion" => ErrorKind::UnsupportedVersion,
        "HeaderTooLarge" => ErrorKind::HeaderTooLarge,
        "HeaderSyntax" => ErrorKind::HeaderSyntax,
        "InvalidHeader" => ErrorKind::InvalidHeader,
        "InvalidDescr" => ErrorKind::InvalidDescr,
        "Unsupported" => ErrorKind::Unsupported,
        "Overflow" => ErrorKind::Overflow,
        "TypeMismatch" => ErrorKind::TypeMismatch,
        "InvalidData" => ErrorKind::InvalidData,
        "InvalidArgument" => ErrorKind::InvalidArgument,
        other => panic!("unknown ErrorKind {other} in the manifest"),
    }
}

fn read_whole(bytes: &[u8]) -> Result<NpyArray, Error> {
    NpyReader::new(bytes)?.read_array()
}

fn expect_error(
    what: &str,
    result: Result<impl Sized, Error>,
    kind: ErrorKind,
    message: Option<&str>,
) -> Result<(), String> {
    match result {
        Ok(_) => Err(format!(
            "{what}: accepted; expected an error of kind {kind:?}"
        )),
        Err(e) if e.kind() != kind => Err(format!(
            "{what}: error kind {:?} ({e}); expected {kind:?}",
            e.kind()
        )),
        Err(e) => match message {
            Some(m) if !e.message().contains(m) => Err(format!(
                "{what}: message {:?} does not contain NumPy's {m:?}",
                e.message()
            )),
            _ => Ok(()),
        },
    }
}

/// A malformed file npy-core must refuse: the expected kind, at the expected stage.
fn check_refused(entry: Entry, bytes: &[u8]) -> Result<(), String> {
    let expected = &entry.0["expected"];
    let kind = kind_named(expected["kind"].as_str().expect("expected.kind"));
    let message = expected.get("message_contains").and_then(|m| m.as_str());
    match expected["stage"].as_str().expect("expected.stage") {
        "header" => {
            expect_error(
                "parse_header",
                parse_header(bytes, &ReadOptions::default()),
                kind,
                message,
            )?;
            expect_error("ArrayView::new", ArrayView::new(bytes), kind, None)?;
        }
        "data" => {
            parse_header(bytes, &ReadOptions::default()).map_err(|e| {
                format!("parse_header should accept the header (only the data is bad): {e:?}")
            })?;
        }
        other => panic!("unknown stage {other}"),
    }
    expect_error("NpyReader::read_array", read_whole(bytes), kind, message)?;
    expect_error(
        "read_path_dynamic",
        read_path_dynamic(entry.file()),
        kind,
        None,
    )
}

/// A file NumPy refuses but npy-core reads on purpose (a documented divergence).
fn check_accepted(entry: Entry, bytes: &[u8]) -> Result<(), String> {
    let array = read_whole(bytes).map_err(|e| format!("refused: {e:?}"))?;
    let expected = entry.get("ours_expected").map_or(entry, Entry);
    let descr = array.header().dtype.to_string();
    if !text_matches(&expected.0["descr"], &descr) {
        return Err(format!(
            "descr: expected {}, got {descr:?}",
            show_text(&expected.0["descr"])
        ));
    }
    expect_eq("shape", expected.shape(), array.header().shape.clone())?;
    expect_eq(
        "fortran_order",
        expected.bool("fortran_order"),
        array.header().fortran_order,
    )?;
    let data = expected.hex("data_hex").expect("data_hex");
    expect_bytes("C-order data", &data, array.to_c_order().data())
}

#[test]
fn malformed_files_get_the_expected_verdict() {
    let mut failures = Failures::new();
    for entry in entries("malformed") {
        failures.check(entry.path(), || {
            // The manifest itself: every disagreement with NumPy must be explained.
            let ours_ok = entry.0["expected"]["result"] == "ok";
            let numpy_ok = entry.bool("numpy_accepts");
            if ours_ok && numpy_ok {
                return Err(
                    "in malformed/ but NumPy and npy-core are both expected to accept it"
                        .to_owned(),
                );
            }
            if numpy_ok && entry.get("divergence").is_none() {
                return Err(
                    "NumPy accepts this file; the manifest must give the divergence reason"
                        .to_owned(),
                );
            }
            if ours_ok && entry.get("divergence").is_none() {
                return Err(
                    "NumPy refuses this file; the manifest must give the divergence reason"
                        .to_owned(),
                );
            }
            let bytes = entry.bytes();
            if ours_ok {
                check_accepted(entry, &bytes)
            } else {
                check_refused(entry, &bytes)
            }
        });
    }
    failures.finish("malformed files");
}

/// End of the array's bytes (trailing bytes after it are allowed and ignored).
fn data_end(entry: Entry) -> usize {
    (entry.u64("data_offset") + entry.u64("nbytes")) as usize
}

/// Every cut of every loadable golden file before the end of its data fails with
/// UnexpectedEof (magic, length field, header or data) and never panics. Large files are
/// sampled: every position near both ends, a stride in between.
#[test]
fn every_truncation_is_unexpected_eof() {
    let mut failures = Failures::new();
    for entry in entries("valid").into_iter().chain(entries("decode_only")) {
        failures.check(entry.path(), || {
            let bytes = entry.bytes();
            let end = data_end(entry);
            let cuts: Vec<usize> = if end <= 8192 {
                (0..end).collect()
            } else {
                (0..512)
                    .chain((512..end - 512).step_by(61))
                    .chain(end - 512..end)
                    .collect()
            };
            for cut in cuts {
                let truncated = &bytes[..cut];
                match read_whole(truncated) {
                    Ok(_) => return Err(format!("cut at {cut} of {end}: accepted")),
                    Err(e) if e.kind() != ErrorKind::UnexpectedEof => {
                        return Err(format!(
                            "cut at {cut} of {end}: {e:?}; expected UnexpectedEof"
                        ));
                    }
                    Err(_) => {}
                }
                if let Ok(view) = ArrayView::new(truncated) {
                    return Err(format!(
                        "cut at {cut}: ArrayView accepted {} data bytes",
                        view.data().len()
                    ));
                }
            }
            Ok(())
        });
    }
    failures.finish("truncations");
}

/// Small golden files (the proptests mutate them).
fn small_files() -> &'static [Vec<u8>] {
    static FILES: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    FILES.get_or_init(|| {
        entries("valid")
            .into_iter()
            .chain(entries("decode_only"))
            .map(|e| e.bytes())
            .filter(|b| b.len() <= 4096)
            .collect()
    })
}

/// Everything a caller might do with a successfully read array; none of it may panic.
fn exercise(bytes: &[u8]) {
    let _ = parse_header(bytes, &ReadOptions::default().max_depth(8));
    if let Ok(view) = ArrayView::new(bytes) {
        let _ = view.as_slice::<u8>();
        let _ = view.to_typed::<f64>();
    }
    if let Ok(array) = read_whole(bytes) {
        let header = array.header().clone();
        let _ = header.dict_text();
        let _ = header.canonical_version();
        let _ = header.to_bytes();
        let _ = array.to_npy_bytes();
        let c = array.clone().to_c_order();
        let _ = c.clone().to_byte_order(ByteOrder::Little);
        let _ = c.to_byte_order(ByteOrder::Big);
        let _ = array.clone().to_fortran_order();
        let _ = array.clone().into_typed::<i32>();
        let _ = array.into_typed::<bool>();
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Overwriting a few random bytes of a real file never panics.
    #[test]
    fn random_byte_flips_never_panic(
        file in any::<prop::sample::Index>(),
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6),
    ) {
        let files = small_files();
        let mut bytes = files[file.index(files.len())].clone();
        for (at, value) in flips {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        exercise(&bytes);
    }

    /// Flips confined to the header text (where the parser works hardest) never panic.
    #[test]
    fn header_byte_flips_never_panic(
        file in any::<prop::sample::Index>(),
        flips in prop::collection::vec((any::<prop::sample::Index>(), prop::sample::select(
            b"{}()[],:'\"\\ \n\r\t#0123456789-+LuUbrxe_<>|=TrueFalseNone\x00\x80\xc3\xff".to_vec()
        )), 1..8),
    ) {
        let files = small_files();
        let mut bytes = files[file.index(files.len())].clone();
        let Ok(parsed) = parse_header(&bytes, &ReadOptions::default()) else { return Ok(()); };
        let start = if bytes[6] == 1 { 10 } else { 12 };
        let end = parsed.data_offset as usize;
        prop_assume!(end > start);
        for (at, value) in flips {
            let i = start + at.index(end - start);
            bytes[i] = value;
        }
        exercise(&bytes);
    }

    /// Random bytes after a valid magic and version never panic.
    #[test]
    fn random_headers_never_panic(
        version in prop::sample::select(vec![1u8, 2, 3]),
        body in prop::collection::vec(any::<u8>(), 0..300),
    ) {
        let mut bytes = b"\x93NUMPY".to_vec();
        bytes.push(version);
        bytes.push(0);
        let len = body.len() as u32;
        if version == 1 {
            bytes.extend_from_slice(&(len as u16).to_le_bytes());
        } else {
            bytes.extend_from_slice(&len.to_le_bytes());
        }
        bytes.extend_from_slice(&body);
        exercise(&bytes);
    }
}
