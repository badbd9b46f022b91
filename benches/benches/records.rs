#![allow(missing_docs)] // criterion's macros generate undocumented items
//! npy-serde's record rows against NumPy and npyz on the same file (issue 3): see BENCHMARKS.md
//! and benches/run.sh.
//!
//! The input, `records.npy` in `NPY_BENCH_DIR` (default `target/bench-data`), is made by
//! `benches/numpy_records.py` (run.sh runs it first): `NPY_BENCH_ROWS` rows (default 10 million)
//! of `[('id','<i8'),('x','<f8'),('y','<f4'),('flag','|b1'),('label','|S16')]`.
//!
//! Timed (criterion group `records`):
//! * `serde_read`: `npy_serde::from_path::<Row>` into `Vec<Row>`, `label: String`;
//! * `serde_read_fixed`: the same with `label: [u8; 16]` (the field's bytes as they are, NULs
//!   included; no allocation per row);
//! * `serde_write`: `npy_serde::to_path_with` of the `String` rows, as `|S16` (options: bytes
//!   strings, width 16); `serde_write_fixed`: `npy_serde::to_path` of the `[u8; 16]` rows, which
//!   map to `|S16` by themselves. Both files are first checked to be byte for byte NumPy's;
//! * `compiled_read`, `compiled_read_fixed`, `compiled_write`, `compiled_write_fixed`: the same
//!   reads and writes through `npy_serde::compiled` (the rows also derive `npy_serde::Record`
//!   and `npy_serde::RecordWrite`, which generate their row decoder and encoder);
//! * `npyz_read`, `npyz_write`: npyz's derive on the same rows (`label: String`).
//!
//! Peak memory: before the timings, each reader runs once more in a child process (this binary,
//! re-run with `NPY_RECORDS_PEAK=<reader>`), which reports `VmHWM` after the read minus `VmRSS`
//! before it, beside the size of the rows in memory. The figures go to stdout and to
//! `records_rust_memory.json` in the data directory, where benches/report.py finds them.

use std::fs::File;
use std::hint::black_box;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use criterion::{criterion_group, Criterion, Throughput};
use serde::{Deserialize, Serialize};

/// A row as most programs would write it: the label as a `String` (one allocation per row).
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, npy_serde::Record, npy_serde::RecordWrite,
)]
struct Row {
    id: i64,
    x: f64,
    y: f32,
    flag: bool,
    label: String,
}

/// The same row with the label as the field's 16 bytes (no allocation per row); npy-serde maps
/// `[u8; N]` to `|S{N}`.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, npy_serde::Record, npy_serde::RecordWrite,
)]
struct FixedRow {
    id: i64,
    x: f64,
    y: f32,
    flag: bool,
    label: [u8; 16],
}

/// The row for npyz's derive, which matches fields by position.
#[derive(Debug, Clone, PartialEq, npyz::Serialize, npyz::Deserialize)]
struct NpyzRow {
    id: i64,
    x: f64,
    y: f32,
    flag: bool,
    label: String,
}

const PEAK_ENV: &str = "NPY_RECORDS_PEAK";
const READERS: [&str; 5] = [
    "serde_read",
    "serde_read_fixed",
    "compiled_read",
    "compiled_read_fixed",
    "npyz_read",
];

fn data_dir() -> PathBuf {
    std::env::var_os("NPY_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../target/bench-data"))
        })
}

fn input() -> PathBuf {
    let path = data_dir().join("records.npy");
    assert!(
        path.exists(),
        "{} is missing: run benches/run.sh (or numpy_records.py) first",
        path.display()
    );
    path
}

fn serde_read(path: &Path) -> Vec<Row> {
    npy_serde::from_path::<Row>(path).expect("npy-serde reads the records")
}

fn serde_read_fixed(path: &Path) -> Vec<FixedRow> {
    npy_serde::from_path::<FixedRow>(path).expect("npy-serde reads the fixed-width records")
}

fn compiled_read(path: &Path) -> Vec<Row> {
    npy_serde::compiled::from_path::<Row>(path).expect("compiled rows read the records")
}

fn compiled_read_fixed(path: &Path) -> Vec<FixedRow> {
    npy_serde::compiled::from_path::<FixedRow>(path)
        .expect("compiled rows read the fixed-width records")
}

/// `String` is stored as `U` by default; NumPy's file has `|S16`.
fn s16() -> npy_serde::Options {
    npy_serde::Options::new()
        .strings(npy_serde::StringMode::Bytes)
        .string_width("label", 16)
}

fn serde_write(path: &Path, rows: &[Row]) {
    npy_serde::to_path_with(path, rows, &s16()).expect("npy-serde writes the records");
}

fn serde_write_fixed(path: &Path, rows: &[FixedRow]) {
    npy_serde::to_path(path, rows).expect("npy-serde writes the fixed-width records");
}

fn compiled_write(path: &Path, rows: &[Row]) {
    npy_serde::compiled::to_path_with(path, rows, &s16()).expect("compiled rows are written");
}

fn compiled_write_fixed(path: &Path, rows: &[FixedRow]) {
    npy_serde::compiled::to_path(path, rows).expect("compiled fixed-width rows are written");
}

fn npyz_dtype() -> npyz::DType {
    let plain = |s: &str| npyz::DType::Plain(s.parse().expect("type string"));
    let field = |name: &str, ty: &str| npyz::Field {
        name: name.to_owned(),
        dtype: plain(ty),
    };
    npyz::DType::Record(vec![
        field("id", "<i8"),
        field("x", "<f8"),
        field("y", "<f4"),
        field("flag", "|b1"),
        field("label", "|S16"),
    ])
}

fn npyz_read(path: &Path) -> Vec<NpyzRow> {
    let file = std::io::BufReader::new(File::open(path).unwrap());
    npyz::NpyFile::new(file)
        .unwrap()
        .into_vec::<NpyzRow>()
        .expect("npyz reads the records")
}

fn npyz_write(path: &Path, rows: &[NpyzRow]) {
    use npyz::WriterBuilder;
    let file = BufWriter::new(File::create(path).unwrap());
    let mut writer = npyz::WriteOptions::new()
        .dtype(npyz_dtype())
        .shape(&[rows.len() as u64])
        .writer(file)
        .begin_nd()
        .unwrap();
    for row in rows {
        writer.push(row).unwrap();
    }
    writer.finish().unwrap();
}

/// A `/proc/self/status` figure, in bytes.
fn status_bytes(key: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|line| line.strip_prefix(key)?.strip_prefix(':'))
        .and_then(|rest| rest.trim().strip_suffix("kB"))
        .and_then(|kb| kb.trim().parse::<u64>().ok())
        .map(|kb| kb * 1024)
        .unwrap_or_else(|| panic!("no {key} in /proc/self/status"))
}

/// The child's side of the peak-memory measurement: reads once with `reader` and prints
/// `peak resident rows_bytes` (see [`measure_peaks`]) while the rows are still alive.
fn peak_child(reader: &str) {
    let path = input();
    let before = status_bytes("VmRSS");
    let print = |rows_bytes: usize| {
        let peak = status_bytes("VmHWM") - before;
        let resident = status_bytes("VmRSS") - before;
        println!("{peak} {resident} {rows_bytes}");
    };
    match reader {
        "serde_read" => {
            let rows = black_box(serde_read(&path));
            let labels: usize = rows.iter().map(|r| r.label.capacity()).sum();
            print(rows.capacity() * size_of::<Row>() + labels);
        }
        "serde_read_fixed" => {
            let rows = black_box(serde_read_fixed(&path));
            print(rows.capacity() * size_of::<FixedRow>());
        }
        "compiled_read" => {
            let rows = black_box(compiled_read(&path));
            let labels: usize = rows.iter().map(|r| r.label.capacity()).sum();
            print(rows.capacity() * size_of::<Row>() + labels);
        }
        "compiled_read_fixed" => {
            let rows = black_box(compiled_read_fixed(&path));
            print(rows.capacity() * size_of::<FixedRow>());
        }
        "npyz_read" => {
            let rows = black_box(npyz_read(&path));
            let labels: usize = rows.iter().map(|r| r.label.capacity()).sum();
            print(rows.capacity() * size_of::<NpyzRow>() + labels);
        }
        other => panic!("unknown reader {other}"),
    }
}

/// Runs each reader once in a fresh child process and records its peak memory beside the size
/// of the rows it returned: `rows_bytes` counts the `Vec` and the label strings' heap bytes,
/// `resident` is what the process holds after the read (allocator overhead included), `peak`
/// the high-water mark during it. Written to `records_rust_memory.json` in the data directory.
fn measure_peaks() {
    let exe = std::env::current_exe().expect("this benchmark's path");
    let mut entries = Vec::new();
    for reader in READERS {
        let output = Command::new(&exe)
            .env(PEAK_ENV, reader)
            .output()
            .expect("re-run this benchmark");
        assert!(
            output.status.success(),
            "peak-memory child for {reader} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let stdout = String::from_utf8_lossy(&output.stdout);
        let figures: Vec<u64> = stdout
            .split_whitespace()
            .map(|n| n.parse().expect("a number"))
            .collect();
        let [peak, resident, rows_bytes] = figures[..] else {
            panic!("peak-memory child for {reader} printed {stdout:?}");
        };
        println!(
            "records/{reader}: peak {:.1} MiB, rows {:.1} MiB, held after the read {:.1} MiB, peak/rows {:.2}x",
            mib(peak),
            mib(rows_bytes),
            mib(resident),
            peak as f64 / rows_bytes as f64
        );
        entries.push(format!(
            "  \"{reader}\": {{\"peak_bytes\": {peak}, \"resident_bytes\": {resident}, \"rows_bytes\": {rows_bytes}}}"
        ));
    }
    let json = format!("{{\n{}\n}}\n", entries.join(",\n"));
    std::fs::write(data_dir().join("records_rust_memory.json"), json)
        .expect("write records_rust_memory.json");
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1u64 << 20) as f64
}

fn records(c: &mut Criterion) {
    let path = input();
    let file_bytes = std::fs::metadata(&path).unwrap().len();
    let dir = data_dir();
    let out = dir.join("records_rust_out.npy");

    // The readers agree with each other, and the writers reproduce NumPy's file.
    let rows = serde_read(&path);
    let fixed = serde_read_fixed(&path);
    let npyz_rows = npyz_read(&path);
    assert!(
        compiled_read(&path) == rows,
        "compiled rows differ from serde's"
    );
    assert!(
        compiled_read_fixed(&path) == fixed,
        "compiled fixed rows differ from serde's"
    );
    assert_eq!(rows.len(), npyz_rows.len());
    for ((row, fixed), theirs) in rows.iter().zip(&fixed).zip(&npyz_rows) {
        assert_eq!(
            (row.id, row.x, row.y, row.flag, row.label.as_str()),
            (
                theirs.id,
                theirs.x,
                theirs.y,
                theirs.flag,
                theirs.label.as_str()
            )
        );
        assert_eq!(
            (fixed.id, fixed.x, fixed.y, fixed.flag),
            (row.id, row.x, row.y, row.flag)
        );
        let end = fixed
            .label
            .iter()
            .rposition(|&b| b != 0)
            .map_or(0, |i| i + 1);
        assert_eq!(&fixed.label[..end], row.label.as_bytes());
    }
    let numpy_bytes = std::fs::read(&path).unwrap();
    serde_write(&out, &rows);
    assert!(
        std::fs::read(&out).unwrap() == numpy_bytes,
        "npy-serde's String rows as S16 differ from np.save's bytes"
    );
    serde_write_fixed(&out, &fixed);
    assert!(
        std::fs::read(&out).unwrap() == numpy_bytes,
        "npy-serde's [u8; 16] rows differ from np.save's bytes"
    );
    compiled_write(&out, &rows);
    assert!(
        std::fs::read(&out).unwrap() == numpy_bytes,
        "compiled String rows as S16 differ from np.save's bytes"
    );
    compiled_write_fixed(&out, &fixed);
    assert!(
        std::fs::read(&out).unwrap() == numpy_bytes,
        "compiled [u8; 16] rows differ from np.save's bytes"
    );
    drop(numpy_bytes);
    // npyz's header text differs from NumPy's (a trailing ", " in the descr); check the data.
    npyz_write(&out, &npyz_rows);
    assert_eq!(npyz_read(&out), npyz_rows);

    let mut group = c.benchmark_group("records");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20))
        .throughput(Throughput::Bytes(file_bytes));
    group.bench_function("serde_read", |b| b.iter(|| black_box(serde_read(&path))));
    group.bench_function("serde_read_fixed", |b| {
        b.iter(|| black_box(serde_read_fixed(&path)))
    });
    group.bench_function("compiled_read", |b| {
        b.iter(|| black_box(compiled_read(&path)))
    });
    group.bench_function("compiled_read_fixed", |b| {
        b.iter(|| black_box(compiled_read_fixed(&path)))
    });
    group.bench_function("npyz_read", |b| b.iter(|| black_box(npyz_read(&path))));
    group.bench_function("serde_write", |b| b.iter(|| serde_write(&out, &rows)));
    group.bench_function("serde_write_fixed", |b| {
        b.iter(|| serde_write_fixed(&out, &fixed))
    });
    group.bench_function("compiled_write", |b| b.iter(|| compiled_write(&out, &rows)));
    group.bench_function("compiled_write_fixed", |b| {
        b.iter(|| compiled_write_fixed(&out, &fixed))
    });
    group.bench_function("npyz_write", |b| b.iter(|| npyz_write(&out, &npyz_rows)));
    group.finish();
    let _ = std::fs::remove_file(&out);
}

criterion_group!(benches, records);

fn main() {
    if let Some(reader) = std::env::var_os(PEAK_ENV) {
        peak_child(&reader.to_string_lossy());
        return;
    }
    let listing = std::env::args().any(|a| a == "--list");
    if !listing {
        measure_peaks();
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
