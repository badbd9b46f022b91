"""NumPy's side of the record benchmark (issue 3): makes the record file and times NumPy on it.

Usage: python benches/numpy_records.py DATA_DIR OUT_JSON
The Rust side (benches/benches/records.rs) reads and writes the same file in the same run; see
BENCHMARKS.md. The row count follows NPY_BENCH_ROWS (default 10 million).

The rows are {id: i64, x: f64, y: f32, flag: bool, label: 16 bytes}, dtype
[('id','<i8'),('x','<f8'),('y','<f4'),('flag','|b1'),('label','|S16')] (37 bytes a row, packed).
Every fourth label fills all 16 bytes; the others are 7 to 13 bytes, NUL-padded, so readers meet
both the stripped and the unstripped case.
"""
import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np

DTYPE = np.dtype([("id", "<i8"), ("x", "<f8"), ("y", "<f4"), ("flag", "|b1"), ("label", "|S16")])


def median_seconds(fn, repeat):
    fn()  # warm the page cache and allocator
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def make_rows(n):
    rows = np.empty(n, dtype=DTYPE)
    ids = np.arange(n, dtype=np.int64)
    rows["id"] = ids
    rows["x"] = ids * 0.25 - 1e3
    rows["y"] = (ids % 1000).astype(np.float32) / 8
    rows["flag"] = ids % 3 == 0
    digits = ids.astype("S10")
    full = ids % 4 == 0
    digits[full] = np.strings.zfill(digits[full], 10)
    rows["label"] = np.strings.add(b"label-", digits)
    return rows


# Peak resident memory of np.load in a fresh interpreter: VmHWM after the load minus VmRSS before
# it (numpy imported, nothing else), the same measure records.rs takes of the Rust readers.
PEAK_SCRIPT = """
import sys
import numpy as np

def status(key):
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith(key + ':'):
                return int(line.split()[1]) * 1024

before = status('VmRSS')
a = np.load(sys.argv[1])
print(status('VmHWM') - before, a.nbytes)
"""


def load_peak_bytes(path):
    out = subprocess.run([sys.executable, "-c", PEAK_SCRIPT, path], check=True,
                         capture_output=True, text=True).stdout.split()
    return int(out[0]), int(out[1])


def main():
    data_dir, out_json = sys.argv[1], sys.argv[2]
    n = int(os.environ.get("NPY_BENCH_ROWS", "10000000"))
    os.makedirs(data_dir, exist_ok=True)
    path = os.path.join(data_dir, "records.npy")
    out = os.path.join(data_dir, "records_numpy_out.npy")

    rows = make_rows(n)
    np.save(path, rows)
    peak, nbytes = load_peak_bytes(path)
    results = {
        "numpy_version": np.__version__,
        "rows": n,
        "row_bytes": DTYPE.itemsize,
        "file_bytes": os.path.getsize(path),
        "read_records": median_seconds(lambda: np.load(path), 10),
        "write_records": median_seconds(lambda: np.save(out, rows), 10),
        "read_records_peak_bytes": peak,
        "read_records_array_bytes": nbytes,
    }
    os.remove(out)
    with open(out_json, "w") as f:
        json.dump(results, f, indent=2)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
