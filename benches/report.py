"""Prints Markdown tables of the criterion medians beside NumPy's, as ratios.

Usage: python benches/report.py NUMPY_JSON CRITERION_DIR [RECORDS_JSON]

NUMPY_JSON is numpy_bench.py's output (npy-core's table); RECORDS_JSON is numpy_records.py's
(npy-serde's record table), by default numpy_records.json beside NUMPY_JSON, with the Rust readers'
peak memory read from records_rust_memory.json in the same directory. A table whose NumPy file is
missing (or given as `-`) is left out.
"""
import json
import os
import sys

# criterion id -> (numpy key, what is measured, target ratio from the issue)
ROWS = [
    ("read_f8", "read_f8", "read 1 GiB `<f8` file into `Vec<f64>` vs `np.load`", "<= 1.0"),
    ("write_f8", "write_f8", "`Array::save` 1 GiB `<f8` (atomic: temp file, rename) vs `np.save`", "<= 1.0"),
    ("read_f8_be_to_native", "read_f8_be_to_native", "1 GiB `>f8` into native `Vec<f64>` vs `np.load(..).astype('<f8')`", "<= 0.8"),
    ("mmap_open", "mmap_open", "memory-map open vs `np.load(mmap_mode='r')`", "constant"),
    ("mmap_sum", "mmap_sum", "map + sum 1 GiB vs NumPy's mmap + `.sum()`", "<= 0.8"),
    ("load_small", "load_small", "load a 3-element file vs `np.load`", "<= 0.1"),
]


def fmt(seconds):
    if seconds >= 1e-1:
        return f"{seconds * 1e3:.0f} ms"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.2f} us"


# criterion id -> (numpy key, what is measured, target ratio from issue 3)
RECORD_ROWS = [
    ("serde_read", "read_records", "read into `Vec<Row>` (`label: String`) vs `np.load`", "<= 1.5"),
    ("serde_read_fixed", "read_records", "read into `Vec<Row>` (16-byte fixed label) vs `np.load`", "<= 1.5"),
    ("compiled_read", "read_records", "`compiled::from_path` (`label: String`) vs `np.load`", "<= 1.5"),
    ("compiled_read_fixed", "read_records", "`compiled::from_path` (16-byte fixed label) vs `np.load`", "<= 1.5"),
    ("npyz_read", "read_records", "npyz derive read (`label: String`) vs `np.load`", "(9.4x before)"),
    ("serde_write", "write_records", "`to_path` from `&[Row]` (`label: String` as `S16`) vs `np.save`", "<= 2.0"),
    ("serde_write_fixed", "write_records", "`to_path` from `&[Row]` (16-byte fixed label) vs `np.save`", "<= 2.0"),
    ("compiled_write", "write_records", "`compiled::to_path_with` (`label: String` as `S16`) vs `np.save`", "<= 2.0"),
    ("compiled_write_fixed", "write_records", "`compiled::to_path` (16-byte fixed label) vs `np.save`", "<= 2.0"),
    ("npyz_write", "write_records", "npyz derive write vs `np.save`", "(10x before)"),
]


def median(crit, group, rid):
    path = os.path.join(crit, group, rid, "new", "estimates.json")
    if not os.path.exists(path):
        return None
    return json.load(open(path))["median"]["point_estimate"] / 1e9


def core_table(numpy, crit):
    print(f"NumPy {numpy['numpy_version']}, {numpy['bytes'] / 2**30:.2f} GiB arrays, medians.\n")
    print("| benchmark | npy-core | NumPy | ratio | target |")
    print("|---|---|---|---|---|")
    for rid, nkey, what, target in ROWS:
        rust = median(crit, "core", rid)
        if rust is None:
            continue
        ref = numpy[nkey]
        print(f"| {what} | {fmt(rust)} | {fmt(ref)} | {rust / ref:.2f}x | {target} |")


def mib(nbytes):
    return f"{nbytes / 2**20:.1f} MiB"


def records_table(numpy, crit, memory):
    print(f"NumPy {numpy['numpy_version']}, {numpy['rows']:,} rows of {numpy['row_bytes']} bytes "
          f"({numpy['file_bytes'] / 2**20:.0f} MiB file), medians.\n")
    print("| benchmark | Rust | NumPy | ratio | target |")
    print("|---|---|---|---|---|")
    for rid, nkey, what, target in RECORD_ROWS:
        rust = median(crit, "records", rid)
        if rust is None:
            continue
        ref = numpy[nkey]
        print(f"| {what} | {fmt(rust)} | {fmt(ref)} | {rust / ref:.2f}x | {target} |")
    print()
    print("Peak memory of one read in a fresh process (VmHWM after it minus VmRSS before it), beside")
    print("the rows in memory (the `Vec` plus each label's heap bytes) and what the process held")
    print("after the read (allocator overhead included):\n")
    print("| reader | peak | rows in memory | held after | peak / rows | target |")
    print("|---|---|---|---|---|---|")
    if "read_records_peak_bytes" in numpy:
        peak, rows = numpy["read_records_peak_bytes"], numpy["read_records_array_bytes"]
        print(f"| `np.load` | {mib(peak)} | {mib(rows)} | | {peak / rows:.2f}x | |")
    for reader, entry in (memory or {}).items():
        peak, rows, held = entry["peak_bytes"], entry["rows_bytes"], entry["resident_bytes"]
        target = "(reference)" if reader.startswith("npyz") else "<= 1.2"
        print(f"| {reader} | {mib(peak)} | {mib(rows)} | {mib(held)} | {peak / rows:.2f}x | {target} |")


def load(path):
    return json.load(open(path)) if path and os.path.exists(path) else None


def main():
    numpy_json, crit = sys.argv[1], sys.argv[2]
    data_dir = os.path.dirname(os.path.abspath(numpy_json))
    records_json = sys.argv[3] if len(sys.argv) > 3 else os.path.join(data_dir, "numpy_records.json")
    numpy, records = load(numpy_json), load(records_json)
    if numpy:
        core_table(numpy, crit)
    if records:
        if numpy:
            print()
        memory = load(os.path.join(os.path.dirname(os.path.abspath(records_json)),
                                   "records_rust_memory.json"))
        records_table(records, crit, memory)
    npz = load(sys.argv[4]) if len(sys.argv) > 4 else None
    if npz:
        if numpy or records:
            print()
        npz_table(npz, crit)


# npy-npz: criterion id -> (numpy key, what is measured, target ratio from issue 4)
NPZ_ROWS = [
    ("write_many_stored", "write_many_stored", "write {members:,} arrays of 100 `f32`, stored, vs `np.savez`", "<= 0.3"),
    ("write_many_deflated", "write_many_deflated", "write {members:,} arrays of 100 `f32`, deflated, vs `np.savez_compressed`", "<= 0.3"),
    ("read_many_stored", "read_many_stored", "read all {members:,} members (stored) vs `np.load` + `z[k]`", "<= 0.3"),
    ("read_many_deflated", "read_many_deflated", "read all {members:,} members (deflated) vs `np.load` + `z[k]`", "<= 0.3"),
    ("write_big_deflated", "write_big_deflated", "`savez_compressed` of {big} compressible `i8` (time)", "<= 1.0"),
    ("read_big_deflated", "read_big_deflated", "read that {big} deflated member back", ""),
]


def npz_table(numpy, crit):
    big = mib(numpy["big_bytes"])
    print(f"NumPy {numpy['numpy_version']}, npz archives, medians.\n")
    print("| benchmark | npy-npz | NumPy | ratio | target |")
    print("|---|---|---|---|---|")
    for rid, nkey, what, target in NPZ_ROWS:
        rust = median(crit, "npz", rid)
        if rust is None:
            continue
        ref = numpy[nkey]
        what = what.format(members=numpy["members"], big=big)
        print(f"| {what} | {fmt(rust)} | {fmt(ref)} | {rust / ref:.2f}x | {target} |")
    sizes = load(os.path.join(os.environ.get("NPY_BENCH_DIR", "target/bench-data"),
                              "npz_rust_sizes.json"))
    if sizes:
        ours, theirs = sizes["write_big_deflated_size"], numpy["write_big_deflated_size"]
        print(f"| `savez_compressed` of {big} (size) | {ours:,} B | {theirs:,} B | "
              f"{ours / theirs:.3f}x | <= 1.02 |")


if __name__ == "__main__":
    main()
