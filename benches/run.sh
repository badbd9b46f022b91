#!/usr/bin/env bash
# Runs NumPy's timings and the criterion benchmarks on the same files, then prints the ratio table.
# Usage: benches/run.sh [python-with-numpy]   (NPY_BENCH_BYTES scales the arrays; default 1 GiB)
set -euo pipefail
cd "$(dirname "$0")/.."
python=${1:-${NPY_PYTHON:-.venv/bin/python}}
export NPY_BENCH_DIR=${NPY_BENCH_DIR:-$PWD/target/bench-data}
mkdir -p "$NPY_BENCH_DIR"
"$python" benches/numpy_bench.py "$NPY_BENCH_DIR" "$NPY_BENCH_DIR/numpy.json"
cargo bench -p npy-benches --bench core_io
"$python" benches/report.py "$NPY_BENCH_DIR/numpy.json" target/criterion
