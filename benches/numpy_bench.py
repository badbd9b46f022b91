"""NumPy's side of the npy-core benchmarks: makes the input files and times NumPy on them.

Usage: python benches/numpy_bench.py DATA_DIR OUT_JSON
The Rust side (benches/benches/core_io.rs) reads the same files in the same run; see BENCHMARKS.md.
Sizes follow NPY_BENCH_BYTES (default 1 GiB).
"""
import json
import os
import statistics
import sys
import time

import numpy as np


def median_seconds(fn, repeat, number=1):
    fn()  # warm the page cache and allocator
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        samples.append((time.perf_counter() - start) / number)
    return statistics.median(samples)


def main():
    data_dir, out_json = sys.argv[1], sys.argv[2]
    nbytes = int(os.environ.get("NPY_BENCH_BYTES", str(1 << 30)))
    n = nbytes // 8
    os.makedirs(data_dir, exist_ok=True)
    big = os.path.join(data_dir, "f8_le.npy")
    big_be = os.path.join(data_dir, "f8_be.npy")
    small = os.path.join(data_dir, "small3.npy")
    out = os.path.join(data_dir, "numpy_out.npy")

    arr = np.arange(n, dtype="<f8")
    np.save(big, arr)
    np.save(big_be, arr.astype(">f8"))
    np.save(small, np.arange(3, dtype="<i8"))

    results = {
        "numpy_version": np.__version__,
        "bytes": nbytes,
        "read_f8": median_seconds(lambda: np.load(big), 10),
        "write_f8": median_seconds(lambda: np.save(out, arr), 10),
        "read_f8_be_to_native": median_seconds(lambda: np.load(big_be).astype("<f8"), 10),
        "mmap_open": median_seconds(lambda: np.load(big, mmap_mode="r"), 20, number=100),
        "mmap_sum": median_seconds(lambda: np.load(big, mmap_mode="r").sum(), 10),
        "load_small": median_seconds(lambda: np.load(small), 20, number=2000),
    }
    os.remove(out)
    with open(out_json, "w") as f:
        json.dump(results, f, indent=2)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
