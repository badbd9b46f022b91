#![allow(missing_docs)] // criterion's macros generate undocumented items
//! npy-core against NumPy on the same files: see BENCHMARKS.md and benches/run.sh.
//!
//! The input files are made by `benches/numpy_bench.py` in `NPY_BENCH_DIR`
//! (default `target/bench-data`); run that first (run.sh does).

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use npy_core::{read_path, Array, MmapArray};

fn data_dir() -> PathBuf {
    std::env::var_os("NPY_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../target/bench-data"))
        })
}

/// A sum the compiler can vectorise (independent accumulators), as NumPy's pairwise sum is.
fn sum(values: &[f64]) -> f64 {
    let mut lanes = [0.0f64; 8];
    let chunks = values.chunks_exact(8);
    let tail: f64 = chunks.remainder().iter().sum();
    for chunk in chunks {
        for (lane, v) in lanes.iter_mut().zip(chunk) {
            *lane += v;
        }
    }
    lanes.iter().sum::<f64>() + tail
}

fn core_io(c: &mut Criterion) {
    let dir = data_dir();
    let big = dir.join("f8_le.npy");
    let big_be = dir.join("f8_be.npy");
    let small = dir.join("small3.npy");
    let out = dir.join("rust_out.npy");
    assert!(
        big.exists(),
        "{} is missing: run benches/run.sh (or numpy_bench.py) first",
        big.display()
    );

    let mut group = c.benchmark_group("core");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.bench_function("read_f8", |b| {
        b.iter(|| black_box(read_path::<f64>(&big).unwrap()))
    });
    group.bench_function("read_f8_be_to_native", |b| {
        b.iter(|| black_box(read_path::<f64>(&big_be).unwrap()))
    });
    let array: Array<f64> = read_path(&big).unwrap();
    // `save` is atomic: a temporary file beside the target (preallocated, as NumPy does),
    // renamed into place.
    group.bench_function("write_f8", |b| b.iter(|| array.save(&out).unwrap()));
    drop(array);
    group.bench_function("mmap_sum", |b| {
        b.iter(|| {
            let map = MmapArray::open(&big).unwrap();
            black_box(sum(map.view().as_slice::<f64>().unwrap()))
        })
    });
    group.finish();

    let mut group = c.benchmark_group("core");
    group.bench_function("mmap_open", |b| {
        b.iter(|| black_box(MmapArray::open(&big).unwrap()))
    });
    group.bench_function("load_small", |b| {
        b.iter(|| black_box(read_path::<i64>(&small).unwrap()))
    });
    group.finish();
    let _ = std::fs::remove_file(&out);
}

criterion_group!(benches, core_io);
criterion_main!(benches);
