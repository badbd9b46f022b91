#!/usr/bin/env bash
# Runs NumPy's timings and the criterion benchmarks on the same files, then prints the ratio tables.
# Usage: benches/run.sh [python-with-numpy]
#   NPY_BENCHES   which to run, default "core_io records"
#   NPY_BENCH_BYTES scales core_io's arrays (default 1 GiB); NPY_BENCH_ROWS the records (default 10M)
set -euo pipefail
cd "$(dirname "$0")/.."
python=${1:-${NPY_PYTHON:-.venv/bin/python}}
benches=${NPY_BENCHES:-core_io records}
export NPY_BENCH_DIR=${NPY_BENCH_DIR:-$PWD/target/bench-data}
mkdir -p "$NPY_BENCH_DIR"
core_json=- records_json=-  # the report leaves out a table whose benchmark did not run
for bench in $benches; do
  case $bench in
    core_io) core_json=$NPY_BENCH_DIR/numpy.json
      "$python" benches/numpy_bench.py "$NPY_BENCH_DIR" "$core_json" ;;
    records) records_json=$NPY_BENCH_DIR/numpy_records.json
      "$python" benches/numpy_records.py "$NPY_BENCH_DIR" "$records_json" ;;
    *) echo "unknown benchmark $bench (core_io, records)" >&2; exit 2 ;;
  esac
  cargo bench -p npy-benches --bench "$bench"
done
"$python" benches/report.py "$core_json" target/criterion "$records_json"
# npz (npy-npz's archives beside np.savez / np.load), after the others: on by default,
# NPY_BENCH_NPZ=0 skips it; NPY_BENCH_NPZ_MEMBERS (default 10000) and NPY_BENCH_NPZ_BYTES
# (default 256 MiB) scale it.
if [ "${NPY_BENCH_NPZ:-1}" != 0 ]; then
  "$python" benches/numpy_npz.py "$NPY_BENCH_DIR" "$NPY_BENCH_DIR/numpy_npz.json"
  cargo bench -p npy-benches --bench npz
  "$python" benches/report.py - target/criterion - "$NPY_BENCH_DIR/numpy_npz.json"
fi
