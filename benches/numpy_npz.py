"""NumPy's side of the npy-npz benchmarks: makes the input files and times NumPy on them.

Usage: python benches/numpy_npz.py DATA_DIR OUT_JSON
The Rust side (benches/benches/npz.rs) reads the same files in the same run; see BENCHMARKS.md.

* many small arrays: NPY_BENCH_NPZ_MEMBERS arrays (default 10,000) of 100 float32, written with
  np.savez / np.savez_compressed and read back whole (every member, as `z[k] for k in z.files`);
* one big compressible array: NPY_BENCH_NPZ_BYTES (default 256 MiB) of `arange % 1000` as int64
  (deflate ratio about 0.009), saved with np.savez_compressed (time and size) and loaded back.
"""
import json
import os
import statistics
import sys
import time

import numpy as np


def median_seconds(fn, repeat):
    fn()  # warm the page cache and allocator
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def read_all(path):
    with np.load(path) as z:
        return [z[k] for k in z.files]


def main():
    data_dir, out_json = sys.argv[1], sys.argv[2]
    members = int(os.environ.get("NPY_BENCH_NPZ_MEMBERS", "10000"))
    nbytes = int(os.environ.get("NPY_BENCH_NPZ_BYTES", str(256 << 20)))
    os.makedirs(data_dir, exist_ok=True)
    many = {f"a{i}": np.arange(100, dtype="<f4") + i for i in range(members)}
    many_stored = os.path.join(data_dir, "npz_many.npz")
    many_deflated = os.path.join(data_dir, "npz_many_deflated.npz")
    big = np.arange(nbytes // 8, dtype="<i8") % 1000
    big_npy = os.path.join(data_dir, "npz_big.npy")
    big_deflated = os.path.join(data_dir, "npz_big_deflated.npz")
    out = os.path.join(data_dir, "npz_numpy_out.npz")

    np.savez(many_stored, **many)
    np.savez_compressed(many_deflated, **many)
    np.save(big_npy, big)
    np.savez_compressed(big_deflated, big=big)

    results = {
        "numpy_version": np.__version__,
        "members": members,
        "big_bytes": big.nbytes,
        "write_many_stored": median_seconds(lambda: np.savez(out, **many), 5),
        "write_many_deflated": median_seconds(lambda: np.savez_compressed(out, **many), 5),
        "read_many_stored": median_seconds(lambda: read_all(many_stored), 5),
        "read_many_deflated": median_seconds(lambda: read_all(many_deflated), 5),
        "write_big_deflated": median_seconds(lambda: np.savez_compressed(out, big=big), 3),
        "write_big_deflated_size": os.path.getsize(big_deflated),
        "read_big_deflated": median_seconds(lambda: read_all(big_deflated), 3),
    }
    os.remove(out)
    with open(out_json, "w") as f:
        json.dump(results, f, indent=2)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
