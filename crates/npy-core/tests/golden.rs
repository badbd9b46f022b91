//! npy-core against files written by real NumPy (`tests/golden/`, made by `golden/generate.py`).
//!
//! * `valid/`: headers parse to what NumPy reads, re-rendering the header gives the file byte
//!   for byte, the data (in C order, and converted to either byte order) equals NumPy's, and typed
//!   reads give NumPy's values.
//! * `decode_only/`: legacy and hand-written layouts NumPy loads; header and data must match
//!   NumPy, byte identity is not required.
//!
//! Malformed files are checked in `tests/malformed.rs`.

#[path = "golden/support.rs"]
mod support;

use std::collections::BTreeSet;

use npy_core::header::parse_header;
use npy_core::{
    read_path_dynamic, ArrayView, ByteOrder, ErrorKind, NpyArray, NpyReader, ReadOptions, Version,
};
use support::{
    entries, expect_bytes, expect_eq, manifest, manifest_values, show_text, text_matches,
    typed_read_for_descr, Entry, Failures,
};

/// Header fields: descr (via Display), itemsize, shape, fortran_order, version, data offset.
fn check_header(entry: Entry, bytes: &[u8]) -> Result<npy_core::header::ParsedHeader, String> {
    let parsed =
        parse_header(bytes, &ReadOptions::default()).map_err(|e| format!("parse_header: {e:?}"))?;
    let descr = parsed.header.dtype.to_string();
    if !text_matches(&entry.0["descr"], &descr) {
        return Err(format!(
            "descr: NumPy reads {}, npy-core displays {descr:?}",
            show_text(&entry.0["descr"])
        ));
    }
    expect_eq(
        "itemsize",
        entry.u64("itemsize"),
        parsed.header.dtype.itemsize() as u64,
    )?;
    expect_eq("shape", entry.shape(), parsed.header.shape.clone())?;
    expect_eq(
        "fortran_order",
        entry.bool("fortran_order"),
        parsed.header.fortran_order,
    )?;
    expect_eq("version", entry.version(), parsed.version)?;
    expect_eq("data_offset", entry.u64("data_offset"), parsed.data_offset)?;
    Ok(parsed)
}

/// Reads the array three ways (stream over a slice, file path, zero-copy view), checks they
/// agree with the file layout, and returns the stream read.
fn read_all_ways(entry: Entry, bytes: &[u8]) -> Result<NpyArray, String> {
    let array = NpyReader::new(bytes)
        .and_then(NpyReader::read_array)
        .map_err(|e| format!("NpyReader::read_array: {e:?}"))?;
    let offset = entry.u64("data_offset") as usize;
    let nbytes = entry.u64("nbytes") as usize;
    let raw = bytes
        .get(offset..offset + nbytes)
        .ok_or("the file is shorter than data_offset + nbytes")?;
    expect_bytes("raw data bytes (file order)", raw, array.data())?;
    let from_path =
        read_path_dynamic(entry.file()).map_err(|e| format!("read_path_dynamic: {e:?}"))?;
    if from_path != array {
        return Err("read_path_dynamic and NpyReader disagree".to_owned());
    }
    let view = ArrayView::new(bytes).map_err(|e| format!("ArrayView::new: {e:?}"))?;
    expect_bytes("ArrayView::data", raw, view.data())?;
    expect_eq("ArrayView header", array.header(), view.header())?;
    Ok(array)
}

/// C-order data bytes, and the same converted to little and big endian.
fn check_data(entry: Entry, array: &NpyArray) -> Result<(), String> {
    let Some(expected) = entry.hex("data_hex") else {
        return Ok(());
    };
    let c_order = array.clone().to_c_order();
    if c_order.header().fortran_order {
        return Err("to_c_order left fortran_order set".to_owned());
    }
    expect_bytes(
        "C-order data (np.ascontiguousarray(a).tobytes())",
        &expected,
        c_order.data(),
    )?;
    for (order, key) in [(ByteOrder::Little, "little"), (ByteOrder::Big, "big")] {
        let want_descr = entry
            .get(&format!("descr_{key}"))
            .unwrap_or(&entry.0["descr"]);
        let want_data = entry
            .hex(&format!("data_hex_{key}"))
            .unwrap_or_else(|| expected.clone());
        let swapped = c_order
            .clone()
            .to_byte_order(order)
            .map_err(|e| format!("to_byte_order({order:?}): {e:?}"))?;
        let descr = swapped.header().dtype.to_string();
        if !text_matches(want_descr, &descr) {
            return Err(format!(
                "to_byte_order({order:?}) descr: NumPy's newbyteorder gives {}, npy-core {descr:?}",
                show_text(want_descr)
            ));
        }
        expect_bytes(
            &format!("to_byte_order({order:?}) data"),
            &want_data,
            swapped.data(),
        )?;
    }
    Ok(())
}

/// Typed reads of numeric dtypes give NumPy's values (in native byte order, C order).
fn check_values(entry: Entry, bytes: &[u8], array: &NpyArray) -> Result<(), String> {
    let descr = array.header().dtype.to_string();
    let Some(read) = typed_read_for_descr(&descr, bytes, array) else {
        if entry.get("values").is_some() {
            return Err(format!(
                "manifest has values for {descr}, but no typed read was tried"
            ));
        }
        return Ok(());
    };
    if let Some(kind) = entry.get("typed_read_error") {
        return match read {
            Ok(_) => Err(format!("typed read succeeded; expected {kind}")),
            Err(message) if message.contains(kind.as_str().unwrap_or("?")) => Ok(()),
            Err(message) => Err(format!("typed read failed with {message}; expected {kind}")),
        };
    }
    let read = read?;
    expect_eq("typed shape", entry.shape(), read.shape)?;
    expect_eq(
        "typed is_fortran_order",
        entry.bool("fortran_order"),
        read.fortran_order,
    )?;
    match manifest_values(entry) {
        Some(values) => expect_eq("typed values (C order)", values, read.values),
        None if entry.get("data_hex").is_some() => {
            Err("manifest lacks values for a numeric dtype".to_owned())
        }
        None => Ok(()),
    }
}

#[test]
fn manifest_lists_every_golden_file() {
    let m = manifest();
    let version = m["numpy_version"].as_str().expect("numpy_version");
    let major: u32 = version.split('.').next().unwrap().parse().unwrap();
    assert!(
        major >= 2,
        "golden files must come from NumPy >= 2, manifest says {version}"
    );
    let listed: BTreeSet<String> = m["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let entry = Entry(e);
            assert!(
                entry.path().starts_with(&format!("{}/", entry.category())),
                "{} is not in its category folder",
                entry.path()
            );
            assert_eq!(entry.str("numpy_version"), version, "{}", entry.path());
            entry.path().to_owned()
        })
        .collect();
    let mut on_disk = BTreeSet::new();
    for category in ["valid", "decode_only", "malformed"] {
        let dir = support::golden_dir().join(category);
        for item in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let name = item.unwrap().file_name().into_string().unwrap();
            on_disk.insert(format!("{category}/{name}"));
        }
    }
    assert_eq!(
        listed, on_disk,
        "manifest.json and the golden folders list different files"
    );
    for category in ["valid", "decode_only", "malformed"] {
        assert!(!entries(category).is_empty(), "no {category} files");
    }
}

#[test]
fn valid_headers_match_numpy() {
    let mut failures = Failures::new();
    for entry in entries("valid") {
        failures.check(entry.path(), || {
            let bytes = entry.bytes();
            let parsed = check_header(entry, &bytes)?;
            let header = &parsed.header;
            if let Some(text) = entry.get("dict_text") {
                let ours = header.dict_text();
                if !text_matches(text, &ours) {
                    return Err(format!(
                        "dict_text: NumPy renders {}, npy-core {ours:?}",
                        show_text(text)
                    ));
                }
            }
            let np_save_version = support::version_of(&entry.0["np_save_version"]);
            expect_eq(
                "canonical_version (what np.save picks)",
                np_save_version,
                header.canonical_version(),
            )
        });
    }
    failures.finish("valid headers");
}

#[test]
fn valid_files_rerender_byte_for_byte() {
    let mut failures = Failures::new();
    for entry in entries("valid") {
        failures.check(entry.path(), || {
            let bytes = entry.bytes();
            let parsed = parse_header(&bytes, &ReadOptions::default())
                .map_err(|e| format!("parse_header: {e:?}"))?;
            let offset = parsed.data_offset as usize;
            let by_np_save = entry.str("writer") == "np.save";
            let prelude = if by_np_save {
                parsed.header.to_bytes()
            } else {
                // write_array(..., version=v): the same text, wrapped for the requested version.
                parsed.header.to_bytes_with_version(entry.version())
            }
            .map_err(|e| format!("rendering the header: {e:?}"))?;
            expect_bytes("header prelude", &bytes[..offset], &prelude)?;
            let array = NpyReader::new(&bytes[..])
                .and_then(NpyReader::read_array)
                .map_err(|e| format!("read_array: {e:?}"))?;
            let mut rebuilt = prelude;
            rebuilt.extend_from_slice(array.data());
            expect_bytes("header + data", &bytes, &rebuilt)?;
            if by_np_save {
                let again = array
                    .to_npy_bytes()
                    .map_err(|e| format!("to_npy_bytes: {e:?}"))?;
                expect_bytes("NpyArray::to_npy_bytes", &bytes, &again)?;
            }
            Ok(())
        });
    }
    failures.finish("valid files re-rendered");
}

#[test]
fn valid_data_matches_numpy() {
    let mut failures = Failures::new();
    for entry in entries("valid") {
        failures.check(entry.path(), || {
            let bytes = entry.bytes();
            let array = read_all_ways(entry, &bytes)?;
            check_data(entry, &array)
        });
    }
    failures.finish("valid data");
}

#[test]
fn valid_typed_values_match_numpy() {
    let mut failures = Failures::new();
    for entry in entries("valid") {
        failures.check(entry.path(), || {
            let bytes = entry.bytes();
            let array = NpyReader::new(&bytes[..])
                .and_then(NpyReader::read_array)
                .map_err(|e| format!("read_array: {e:?}"))?;
            check_values(entry, &bytes, &array)
        });
    }
    failures.finish("valid typed values");
}

#[test]
fn decode_only_files_read_as_numpy_reads_them() {
    let mut failures = Failures::new();
    for entry in entries("decode_only") {
        failures.check(entry.path(), || {
            let bytes = entry.bytes();
            let parsed = check_header(entry, &bytes)?;
            let array = read_all_ways(entry, &bytes)?;
            check_data(entry, &array)?;
            check_values(entry, &bytes, &array)?;
            // Writing it back (canonically) and reading that again keeps header and data.
            let rewritten = array
                .to_npy_bytes()
                .map_err(|e| format!("to_npy_bytes: {e:?}"))?;
            let again = NpyReader::new(&rewritten[..])
                .and_then(NpyReader::read_array)
                .map_err(|e| format!("re-reading the rewritten file: {e:?}"))?;
            expect_eq("header after a rewrite", &parsed.header, again.header())?;
            expect_bytes("data after a rewrite", array.data(), again.data())
        });
    }
    failures.finish("decode_only files");
}

/// NumPy's default `max_header_size` is 10000 characters; npy-core's default is 1 MiB, and
/// `max_header_len(10000)` must reproduce NumPy's verdict on every loadable golden file.
#[test]
fn max_header_len_10000_reproduces_numpys_default() {
    let strict = ReadOptions::default().max_header_len(10_000);
    let mut failures = Failures::new();
    let loadable = entries("valid")
        .into_iter()
        .chain(entries("decode_only"))
        .chain(
            entries("malformed")
                .into_iter()
                .filter(|e| e.0["expected"]["result"] == "ok"),
        );
    let mut refused = 0;
    for entry in loadable {
        let numpy_refuses = entry.numpy_refuses_header_size();
        refused += usize::from(numpy_refuses);
        failures.check(entry.path(), || {
            let bytes = entry.bytes();
            let default = parse_header(&bytes, &ReadOptions::default());
            if let Err(e) = default {
                return Err(format!("refused with the default options: {e:?}"));
            }
            match (parse_header(&bytes, &strict), numpy_refuses) {
                (Ok(_), false) => Ok(()),
                (Err(e), true) if e.kind() == ErrorKind::HeaderTooLarge => Ok(()),
                (Ok(_), true) => Err("NumPy refuses this header size by default; max_header_len(10000) accepted it".to_owned()),
                (Err(e), _) => Err(format!("max_header_len(10000): {e:?}, NumPy's default verdict: refuses={numpy_refuses}")),
            }
        });
    }
    assert!(
        refused >= 3,
        "expected the v2 boundary files and header_len_10001 to exceed NumPy's limit"
    );
    failures.finish("max_header_len parity");
}

/// The version 1.0 / 2.0 boundary of A2 step 5, spelled out.
#[test]
fn v1_v2_boundary_is_where_numpy_puts_it() {
    let find = |name: &str| {
        entries("valid")
            .into_iter()
            .find(|e| e.path() == format!("valid/{name}.npy"))
            .unwrap_or_else(|| panic!("{name} missing from the manifest"))
    };
    let last_v1 = find("boundary_last_v1");
    let first_v2 = find("boundary_first_v2");
    assert_eq!(
        (last_v1.version(), last_v1.u64("data_offset")),
        (Version::V1, 65536)
    );
    assert_eq!(
        (first_v2.version(), first_v2.u64("data_offset")),
        (Version::V2, 65600)
    );
    for entry in [last_v1, first_v2] {
        let bytes = entry.bytes();
        let parsed = parse_header(&bytes, &ReadOptions::default()).unwrap();
        assert_eq!(
            parsed.header.canonical_version(),
            entry.version(),
            "{}",
            entry.path()
        );
        assert_eq!(
            parsed.header.to_bytes().unwrap(),
            bytes[..parsed.data_offset as usize],
            "{}",
            entry.path()
        );
    }
}

/// A reader that hands out at most `step` bytes per call and interrupts every other call, as
/// pipes and sockets may. NumPy's `_read_bytes` tolerates both; so must npy-core.
struct Trickle<'a> {
    data: &'a [u8],
    step: usize,
    interrupt_next: bool,
}

impl std::io::Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.interrupt_next = !self.interrupt_next;
        if !self.interrupt_next {
            return Err(std::io::ErrorKind::Interrupted.into());
        }
        let n = self.step.min(buf.len()).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

#[test]
fn short_and_interrupted_reads_give_the_same_arrays() {
    let mut failures = Failures::new();
    for entry in entries("valid").into_iter().chain(entries("decode_only")) {
        failures.check(entry.path(), || {
            let bytes = entry.bytes();
            let whole = NpyReader::new(&bytes[..])
                .and_then(NpyReader::read_array)
                .map_err(|e| format!("read_array: {e:?}"))?;
            for step in [1, 7, 4096] {
                let trickle = Trickle {
                    data: &bytes,
                    step,
                    interrupt_next: false,
                };
                let array = NpyReader::new(trickle)
                    .and_then(NpyReader::read_array)
                    .map_err(|e| format!("read_array through {step}-byte reads: {e:?}"))?;
                if array != whole {
                    return Err(format!("{step}-byte reads gave a different array"));
                }
            }
            Ok(())
        });
    }
    failures.finish("short reads");
}

/// All valid files written back to back into one stream read back one after another, each
/// consuming exactly its own bytes (NumPy's multiple-arrays-per-file usage).
#[test]
fn concatenated_golden_files_read_one_after_another() {
    let files: Vec<(Entry, Vec<u8>)> = entries("valid")
        .into_iter()
        .map(|e| (e, e.bytes()))
        .filter(|(_, b)| b.len() < 65536)
        .collect();
    let stream: Vec<u8> = files.iter().flat_map(|(_, b)| b.iter().copied()).collect();
    let mut input = &stream[..];
    for (entry, bytes) in &files {
        let expected = NpyReader::new(&bytes[..])
            .and_then(NpyReader::read_array)
            .unwrap();
        let got = NpyReader::new(&mut input)
            .and_then(NpyReader::read_array)
            .unwrap_or_else(|e| {
                panic!(
                    "{}: reading from the concatenated stream: {e:?}",
                    entry.path()
                )
            });
        assert_eq!(got, expected, "{}", entry.path());
    }
    assert!(input.is_empty(), "{} bytes left over", input.len());
    let at_end = NpyReader::new(&mut input).map(|_| ()).unwrap_err();
    assert_eq!(at_end.kind(), ErrorKind::UnexpectedEof);
}
