#![allow(missing_docs)] // criterion's macros generate undocumented items
//! npy-npz against NumPy on the same archives: see BENCHMARKS.md and benches/run.sh.
//!
//! The inputs are made by `benches/numpy_npz.py` in `NPY_BENCH_DIR` (default
//! `target/bench-data`); run that first (run.sh does). The size of our deflated 256 MiB archive
//! is written to `npz_rust_sizes.json` there, for the report.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use npy_core::{read_path, Array};
use npy_npz::{Compression, NpzReader, NpzWriter};

fn data_dir() -> PathBuf {
    std::env::var_os("NPY_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../target/bench-data"))
        })
}

/// np.savez(path, **arrays) with the same names and order.
fn write_all(path: &Path, arrays: &[(String, Array<f32>)], compression: Compression) {
    let mut writer = NpzWriter::create(path)
        .unwrap()
        .with_compression(compression);
    for (name, array) in arrays {
        writer.add(name, array).unwrap();
    }
    writer.finish().unwrap();
}

/// `[z[k] for k in z.files]`: every member, looked up by name, read whole.
fn read_all(path: &Path) -> usize {
    let mut archive = NpzReader::open(path).unwrap();
    let keys: Vec<String> = archive.files().map(str::to_owned).collect();
    let mut total = 0;
    for key in &keys {
        total += archive.read_array(key).unwrap().data().len();
    }
    total
}

fn npz(c: &mut Criterion) {
    let dir = data_dir();
    let many_stored = dir.join("npz_many.npz");
    let many_deflated = dir.join("npz_many_deflated.npz");
    let big_npy = dir.join("npz_big.npy");
    let big_deflated = dir.join("npz_big_deflated.npz");
    let out = dir.join("npz_rust_out.npz");
    assert!(
        many_stored.exists() && big_npy.exists(),
        "inputs missing in {}: run benches/run.sh (or numpy_npz.py) first",
        dir.display()
    );
    let members: usize = NpzReader::open(&many_stored).unwrap().len();
    let arrays: Vec<(String, Array<f32>)> = (0..members)
        .map(|i| {
            let values = (0..100).map(|j| (j + i) as f32).collect();
            (format!("a{i}"), Array::from_vec(vec![100], values).unwrap())
        })
        .collect();

    let mut group = c.benchmark_group("npz");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    group.bench_function("write_many_stored", |b| {
        b.iter(|| write_all(&out, &arrays, Compression::Stored))
    });
    group.bench_function("write_many_deflated", |b| {
        b.iter(|| write_all(&out, &arrays, Compression::deflated()))
    });
    group.bench_function("read_many_stored", |b| {
        b.iter(|| black_box(read_all(&many_stored)))
    });
    group.bench_function("read_many_deflated", |b| {
        b.iter(|| black_box(read_all(&many_deflated)))
    });

    let big: Array<i64> = read_path(&big_npy).unwrap();
    group.measurement_time(Duration::from_secs(30));
    group.bench_function("write_big_deflated", |b| {
        b.iter(|| {
            let mut writer = NpzWriter::create(&out)
                .unwrap()
                .with_compression(Compression::deflated());
            writer.add("big", &big).unwrap();
            writer.finish().unwrap();
        })
    });
    let size = std::fs::metadata(&out).unwrap().len();
    std::fs::write(
        dir.join("npz_rust_sizes.json"),
        format!("{{\"write_big_deflated_size\": {size}}}\n"),
    )
    .unwrap();
    group.bench_function("read_big_deflated", |b| {
        b.iter(|| black_box(read_all(&big_deflated)))
    });
    group.finish();
    let _ = std::fs::remove_file(&out);
}

criterion_group!(benches, npz);
criterion_main!(benches);
