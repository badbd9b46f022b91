#!/usr/bin/env python3
"""Generate the .npy/.npz conformance corpus (see corpus/README.md) with real NumPy.

    python conformance/generator/generate.py OUT_DIR

OUT_DIR receives manifest.json, valid/ and invalid/; what an earlier run put there is replaced
and nothing else is touched (corpus/README.md stays). The output is deterministic: the same
NumPy and Python give identical bytes. `cargo xtask corpus` runs this with NumPy 2.4.6.

Every verdict, error message, value document and canonical flag is NumPy's: each file is loaded
with np.load(path, allow_pickle=False) after it is written.
"""

import argparse
import os
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import numpy as np  # noqa: E402

PINNED_NUMPY = "2.4.6"


def main():
    if os.environ.get("PYTHONHASHSEED") != "0":
        # NumPy's messages can show sets, whose order follows per-process string hashing:
        # pin it so every run gives the same bytes.
        os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, "PYTHONHASHSEED": "0"})
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", help="output folder (created if missing)")
    parser.add_argument("--any-numpy", action="store_true",
                        help=f"run with a NumPy other than {PINNED_NUMPY} (the output will differ)")
    args = parser.parse_args()
    if np.__version__ != PINNED_NUMPY and not args.any_numpy:
        sys.exit(f"the corpus is pinned to NumPy {PINNED_NUMPY}, this is {np.__version__} "
                 "(--any-numpy to run anyway)")

    import corpus as corpus_mod
    import golden_cases
    import invalid_cases
    import npy_cases
    import npz_cases
    import samples

    golden = corpus_mod.load_golden()
    namespace = dict(golden.ns())
    namespace.update(samples.exported())
    namespace["NonSeekable"] = corpus_mod.NonSeekable
    namespace["zipfile"] = zipfile

    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)
    corpus = corpus_mod.Corpus(out, namespace)
    corpus.reset()
    golden_cases.add_all(corpus, golden)
    npy_cases.add_all(corpus)
    invalid_cases.add_all(corpus)
    npz_cases.add_all(corpus)
    corpus.finish(np.__version__)

    cases = corpus.cases
    valid = sum(c["verdict"] == "valid" for c in cases)
    canonical = sum(bool(c.get("canonical")) for c in cases)
    total = 0
    for root, _, files in os.walk(out):
        total += sum(os.path.getsize(os.path.join(root, name)) for name in files
                     if name != "README.md")
    print(f"{len(cases)} cases: {valid} valid ({canonical} canonical), {len(cases) - valid} "
          f"invalid; {total} bytes")


if __name__ == "__main__":
    main()
