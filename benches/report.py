"""Prints a Markdown table of npy-core's criterion medians beside NumPy's, as ratios.

Usage: python benches/report.py NUMPY_JSON CRITERION_DIR
"""
import json
import os
import sys

# criterion id -> (numpy key, what is measured, target ratio from the issue)
ROWS = [
    ("read_f8", "read_f8", "read 1 GiB `<f8` file into `Vec<f64>` vs `np.load`", "<= 1.0"),
    ("write_f8", "write_f8", "`Array::save` 1 GiB `<f8` (atomic: temp, fsync, rename) vs `np.save`", "<= 1.0"),
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


def main():
    numpy = json.load(open(sys.argv[1]))
    crit = sys.argv[2]
    print(f"NumPy {numpy['numpy_version']}, {numpy['bytes'] / 2**30:.2f} GiB arrays, medians.\n")
    print("| benchmark | npy-core | NumPy | ratio | target |")
    print("|---|---|---|---|---|")
    for rid, nkey, what, target in ROWS:
        path = os.path.join(crit, "core", rid, "new", "estimates.json")
        if not os.path.exists(path):
            continue
        rust = json.load(open(path))["median"]["point_estimate"] / 1e9
        ref = numpy[nkey]
        print(f"| {what} | {fmt(rust)} | {fmt(ref)} | {rust / ref:.2f}x | {target} |")


if __name__ == "__main__":
    main()
