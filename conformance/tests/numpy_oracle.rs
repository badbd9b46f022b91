//! NumPy as the oracle for npy-core, embedded through pyo3 (test-only).
//!
//! proptest generates dtypes (every scalar kind in both byte orders, `S`/`U`/`V` of any width
//! including 0, datetimes with any unit and multiplier, records with padding, titles, odd names,
//! nesting and subarrays), shapes (0-d, empty, up to 4 dimensions), memory order and element
//! bytes. Then:
//!
//! 1. npy-core writes the array, and its bytes must be exactly what `np.save` writes for the same
//!    array built in NumPy; `np.load` of them must give that array's dtype, shape and bytes.
//! 2. NumPy writes the array (`np.save`, or `write_array` with version 1.0, 2.0 or 3.0), and
//!    npy-core must read the dtype, shape, order, version and bytes NumPy reports.
//!
//! A failure names the case (descr, shape, order, version, data in hex); the Python setup is that
//! of `crates/npy-serde/tests/common/mod.rs` (a venv with NumPy at `<repo>/.venv` or
//! `NPY_PYTHON`).

#[path = "../../crates/npy-serde/tests/common/mod.rs"]
mod common;
mod oracle;

use npy_core::{write_array, Header, NpyArray, NpyReader};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

use oracle::strategies::{numpy_writes_case, rust_writes_case};
use oracle::{hex, judge_rust_write, numpy_writes, Case};

/// Cases per property unless `PROPTEST_CASES` says otherwise (for a longer hunt). Each case
/// costs well under a millisecond of Python in a debug build; shrinking a failure costs more.
const CASES: u32 = 512;

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(CASES);
    ProptestConfig {
        cases,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn npy_core_writes_what_np_save_writes(case in rust_writes_case()) {
        rust_writes_numpy_judges(&case)?;
    }

    #[test]
    fn npy_core_reads_what_numpy_writes(case in numpy_writes_case()) {
        numpy_writes_rust_reads(&case)?;
    }
}

/// Property 1: npy-core writes the case; the bytes must be `np.save`'s, and `np.load` must see
/// the array.
fn rust_writes_numpy_judges(case: &Case) -> Result<(), TestCaseError> {
    let header = Header::new(case.dtype.clone(), case.shape.clone());
    let mut array = NpyArray::new(header, case.data.clone())
        .map_err(|e| TestCaseError::fail(format!("NpyArray::new: {e}\n{case:?}")))?;
    if case.fortran {
        array = array.to_fortran_order();
    }
    let mut ours = Vec::new();
    write_array(&mut ours, array.header(), array.data())
        .map_err(|e| TestCaseError::fail(format!("write_array: {e}\n{case:?}")))?;
    // The in-memory path must agree with the streaming one.
    let in_memory = array
        .to_npy_bytes()
        .map_err(|e| TestCaseError::fail(format!("to_npy_bytes: {e}\n{case:?}")))?;
    prop_assert!(
        in_memory == ours,
        "to_npy_bytes differs from write_array\n{case:?}"
    );

    let verdict = judge_rust_write(case, &ours);
    // The oracle itself: NumPy's array holds exactly the case's elements.
    prop_assert!(
        verdict.built.c_bytes == case.data,
        "NumPy built another array than the case describes:\n{:?}\n{case:?}",
        verdict.built
    );
    prop_assert!(
        ours == verdict.np_save,
        "npy-core's bytes differ from np.save's\n{case:?}\n{}",
        byte_diff(&ours, &verdict.np_save)
    );
    prop_assert!(
        verdict.loaded_ours == verdict.built,
        "np.load of npy-core's bytes differs from the array\n{case:?}\n  loaded: {:?}\n  array:  {:?}",
        verdict.loaded_ours,
        verdict.built
    );
    Ok(())
}

/// Property 2: NumPy writes the case; npy-core must read what NumPy's own reader reports.
fn numpy_writes_rust_reads(case: &Case) -> Result<(), TestCaseError> {
    let file = numpy_writes(case);
    prop_assert!(
        file.c_bytes == case.data,
        "NumPy built another array than the case describes: {}\n{case:?}",
        hex(&file.c_bytes)
    );
    let fail = |what: &str, e: npy_core::Error| {
        TestCaseError::fail(format!(
            "{what}: {e}\n{case:?}\nNumPy wrote {}",
            show_npy(&file.bytes)
        ))
    };
    let reader = NpyReader::new(&file.bytes[..]).map_err(|e| fail("reading the header", e))?;
    prop_assert_eq!(reader.version().bytes()[0], file.version, "{:?}", case);
    if let Some(asked) = case.version {
        prop_assert_eq!(
            reader.version(),
            asked,
            "NumPy ignored the version; {:?}",
            case
        );
    }
    let array = reader
        .read_array()
        .map_err(|e| fail("reading the data", e))?;
    let header = array.header().clone();
    prop_assert_eq!(&header.dtype.descr(), &file.descr, "{:?}", case);
    prop_assert_eq!(&header.shape, &file.shape, "{:?}", case);
    prop_assert_eq!(header.fortran_order, file.fortran, "{:?}", case);
    // Every generated dtype survives NumPy's round trip, so the one read must be the one made.
    prop_assert_eq!(&header.dtype, &case.dtype, "{:?}", case);
    let c_order = array.to_c_order();
    prop_assert!(
        c_order.data() == file.c_bytes,
        "npy-core read other data (C order): {}\n{case:?}",
        hex(c_order.data())
    );
    Ok(())
}

/// Where two `.npy` byte strings first differ, and both shown in full.
fn byte_diff(ours: &[u8], theirs: &[u8]) -> String {
    let first = ours
        .iter()
        .zip(theirs)
        .position(|(a, b)| a != b)
        .unwrap_or(ours.len().min(theirs.len()));
    format!(
        "first difference at byte {first} (lengths {} and {})\n  npy-core: {}\n  np.save:  {}",
        ours.len(),
        theirs.len(),
        show_npy(ours),
        show_npy(theirs)
    )
}

/// A `.npy` file as text: the prelude with bytes outside printable ASCII as `\xNN` (the header
/// is latin-1 or UTF-8), the data in hex.
fn show_npy(bytes: &[u8]) -> String {
    let header_end = bytes
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |i| i + 1);
    let prelude: String = bytes[..header_end]
        .iter()
        .map(|&b| match b {
            b' '..=b'~' if b != b'\\' => char::from(b).to_string(),
            _ => format!("\\x{b:02x}"),
        })
        .collect();
    format!("{prelude} + data {}", hex(&bytes[header_end..]))
}
