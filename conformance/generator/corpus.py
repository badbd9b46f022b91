"""The corpus being built: judging files with NumPy, value documents, tags, the manifest.

Every case goes through `Corpus.add`: its bytes are written to a scratch file, `np.load` decides
the verdict, and the file lands in `valid/<topic>/` or `invalid/<topic>/` accordingly. Nothing about
a case's verdict, values or canonical flag is written down by hand.
"""

import hashlib
import importlib.util
import io
import json
import os
import re
import shutil
import warnings
import zipfile

import numpy as np
import numpy.lib._format_impl as FI
from numpy.lib import format as F

import values

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GOLDEN_GENERATOR = os.path.join(REPO, "crates", "npy-core", "tests", "golden", "generate.py")

CORPUS_VERSION = 1
# The README asks for small files: a checkout stays light and a runner stays fast.
MAX_FILE_BYTES = 256 * 1024
NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def load_golden():
    """crates/npy-core/tests/golden/generate.py as a module: its sample helpers, header assembly
    and recipes are shared rather than copied. Importing it writes nothing."""
    spec = importlib.util.spec_from_file_location("golden_generate", GOLDEN_GENERATOR)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class NonSeekable(io.RawIOBase):
    """A write-only stream without seek or tell (a pipe, a socket): zipfile then writes data
    descriptors after each member instead of patching the local headers."""

    def __init__(self):
        super().__init__()
        self._chunks = []

    def writable(self):
        return True

    def write(self, b):
        self._chunks.append(bytes(b))
        return len(b)

    def getvalue(self):
        return b"".join(self._chunks)


def error_text(e):
    # Object addresses ("<ast.Call object at 0x7f...>") would make the output unstable.
    message = re.sub(r" at 0x[0-9a-f]+>", " at 0x...>", str(e))
    return f"{type(e).__name__}: {message}"


def read_header(data):
    """(version, fortran_order) of .npy bytes NumPy loads."""
    f = io.BytesIO(data)
    version = F.read_magic(f)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, fortran_order, _ = FI._read_array_header(f, version, max_header_size=2**62)
    return version, fortran_order


def npy_save_bytes(array):
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        np.save(buf, array, allow_pickle=False)
    return buf.getvalue()


# ---------------------------------------------------------------------------------------------
# Tags computed from what NumPy loaded
# ---------------------------------------------------------------------------------------------


def dtype_tags(dt, tags):
    """Adds the dtype:, unit:, byteorder: and records: tags of `dt` (recursively) to `tags`."""
    if dt.subdtype is not None:
        tags.add("records:subarray")
        dtype_tags(dt.subdtype[0], tags)
        return
    if dt.names is not None:
        tags.add("records")
        for name in dt.names:
            field = dt.fields[name]
            if len(field) == 3:
                tags.add("records:titles")
            if field[0].names is not None:
                tags.add("records:nested")
            dtype_tags(field[0], tags)
        if any(not name for name in dt.names):
            tags.add("records:empty-name")
        if any(not _latin1(name) for name in dt.names):
            tags.add("records:non-latin1-names")
        return
    kind, size = dt.kind, dt.itemsize
    if kind in "SUV":
        tags.add(f"dtype:{kind}")
        if size == 0:
            tags.add("zero-itemsize")
    elif kind in "Mm":
        tags.add(f"dtype:{kind}8")
        unit, count = np.datetime_data(dt)
        tags.add(f"unit:{unit}" if count == 1 else f"unit:{count}{unit}")
    else:
        tags.add(f"dtype:{kind}{size}")
    if dt.byteorder == ">" or (dt.byteorder == "=" and values.NATIVE == ">"):
        tags.add("byteorder:big")
    elif dt.byteorder == "<" or (dt.byteorder == "=" and size > 1 and kind not in "SV"):
        tags.add("byteorder:little")


def _latin1(name):
    try:
        name.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


def array_tags(a, version, fortran_order):
    """The tags of a loaded array and its header."""
    tags = set()
    dtype_tags(a.dtype, tags)
    descr = values.descr_to_json(F.dtype_to_descr(a.dtype))
    if isinstance(descr, list) and _has_padding(descr):
        tags.add("records:padding")
    tags.add(f"version:{version[0]}.{version[1]}")
    tags.add(f"ndim:{a.ndim}")
    if a.size == 0:
        tags.add("empty")
    if fortran_order:
        tags.add("order:fortran")
    return tags


def _has_padding(fields):
    for entry in fields:
        if entry[0] == "" and isinstance(entry[1], str) and entry[1].startswith("|V"):
            return True
        if isinstance(entry[1], list) and not values.is_subarray(entry[1]) and _has_padding(entry[1]):
            return True
    return False


# ---------------------------------------------------------------------------------------------
# The corpus
# ---------------------------------------------------------------------------------------------


class Corpus:
    """Collects cases under `out` and writes manifest.json at the end."""

    def __init__(self, out, namespace):
        self.out = out
        self.ns = namespace
        self.cases = []
        self.names = set()
        self.scratch = os.path.join(out, ".scratch")

    # --- output folder ---

    def reset(self):
        """Remove what an earlier run generated (never README.md or anything else)."""
        for sub in ("valid", "invalid", ".scratch"):
            path = os.path.join(self.out, sub)
            if os.path.isdir(path):
                shutil.rmtree(path)
        manifest = os.path.join(self.out, "manifest.json")
        if os.path.exists(manifest):
            os.remove(manifest)
        os.makedirs(self.scratch)

    # --- building bytes from recipes ---

    def run(self, recipe):
        """Bytes from a recipe: an expression giving bytes, or code that writes to `f` (a
        BytesIO, unless the code binds `f` to another stream with a getvalue method)."""
        scope = dict(self.ns)
        scope["f"] = io.BytesIO()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                code = compile(recipe, "<recipe>", "eval")
            except SyntaxError:
                exec(recipe, scope)  # noqa: S102 -- recipes are literal strings of this generator
                data = None
            else:
                data = eval(code, scope)  # noqa: S307
        if data is None:
            data = scope["f"].getvalue()
        if not isinstance(data, bytes):
            raise TypeError(f"recipe did not give bytes: {recipe}")
        return data

    def save(self, topic, name, expr, tags=(), note=None, version=None, expect=None):
        """np.save(f, expr), or write_array with an explicit version."""
        if version is None:
            recipe = f"np.save(f, {expr}, allow_pickle=False)"
            tags = [*tags, "writer:np.save"]
        else:
            recipe = f"np.lib.format.write_array(f, {expr}, version={version!r}, allow_pickle=False)"
            tags = [*tags, "writer:write_array"]
        return self.add(topic, name, self.run(recipe), recipe, tags=tags, note=note, expect=expect)

    def raw(self, topic, name, recipe, tags=(), note=None, fmt="npy", expect=None, writer=None):
        """Bytes from a recipe string (hand assembly, a patched NumPy file, an archive)."""
        data = self.run(recipe)
        return self.add(topic, name, data, recipe, tags=tags, note=note, fmt=fmt, expect=expect,
                        writer=writer)

    # --- judging and recording ---

    def add(self, topic, name, data, provenance, tags=(), note=None, fmt="npy", expect=None,
            writer=None):
        """Judge `data` with NumPy and record the case. `expect` ('valid'/'invalid') guards
        against a recipe that silently stopped testing what it was written for. `writer` (npz)
        says how to rebuild the archive from its documents for the canonical check."""
        if not NAME.match(name) or not NAME.match(topic):
            raise ValueError(f"case names are kebab-case: {topic}/{name}")
        if (topic, name) in self.names:
            raise ValueError(f"duplicate case {topic}/{name}")
        self.names.add((topic, name))
        if len(data) > MAX_FILE_BYTES:
            raise ValueError(f"{topic}/{name}: {len(data)} bytes is over the per-file limit")
        scratch = os.path.join(self.scratch, f"case.{fmt}")
        with open(scratch, "wb") as f:
            f.write(data)
        outcome, loaded, caught = judge(scratch)
        verdict = "valid" if outcome == "ok" else "invalid"
        if expect is not None and verdict != expect:
            raise RuntimeError(f"{topic}/{name}: expected {expect}, NumPy says {verdict}: {loaded}")
        case_id = f"{verdict}/{topic}/{name}"
        rel = f"{case_id}.{fmt}"
        os.makedirs(os.path.join(self.out, verdict, topic), exist_ok=True)
        os.replace(scratch, os.path.join(self.out, rel))
        entry = {"id": case_id, "file": rel, "format": fmt, "verdict": verdict}
        all_tags = {topic} | set(tags)
        if verdict == "valid":
            describe = self._describe_npy if fmt == "npy" else self._describe_npz
            try:
                doc, canonical, auto_tags, canonical_note = describe(data, loaded, writer)
            except Exception as e:
                raise RuntimeError(f"{case_id}: {error_text(e)}") from e
            all_tags |= auto_tags
            entry["canonical"] = canonical
            if canonical_note:
                note = f"{note}; {canonical_note}" if note else canonical_note
            limit_note = header_limit_note(os.path.join(self.out, rel))
            if limit_note:
                all_tags.add("header-limit")
                note = f"{note}; {limit_note}" if note else limit_note
        entry["sha256"] = hashlib.sha256(data).hexdigest()
        entry["tags"] = sorted(all_tags)
        entry["provenance"] = provenance
        if verdict == "valid":
            entry["expected"] = f"{case_id}.json"
            with open(os.path.join(self.out, entry["expected"]), "w", encoding="utf-8") as f:
                f.write(json.dumps(doc, ensure_ascii=False) + "\n")
        else:
            if self.scratch in loaded or self.out in loaded:
                raise RuntimeError(f"{case_id}: NumPy's message names a temporary path: {loaded}")
            entry["numpy_error"] = loaded
        if caught:
            entry["numpy_warnings"] = caught
        if note:
            entry["note"] = note
        self.cases.append(entry)
        return entry

    def _describe_npy(self, data, a, _writer):
        version, fortran_order = read_header(data)
        doc = values.document(a, fortran_order)
        rebuilt = values.array_from_document(doc)
        if values.document(rebuilt, fortran_order) != doc:
            raise RuntimeError("the value document does not round-trip")
        from_loaded = npy_save_bytes(a) == data
        from_doc = npy_save_bytes(rebuilt) == data
        note = None
        if from_loaded != from_doc:
            note = ("np.save of the loaded array gives these bytes, but the value document "
                    "does not hold all of them (padding or bool bytes), so not canonical")
        return doc, from_loaded and from_doc, array_tags(a, version, fortran_order), note

    def _describe_npz(self, data, members, writer):
        docs, tags = [], {"npz"}
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
            raw = {info.filename: z.read(info) for info in infos}
        for name, a in members:
            # np.load's name drops one ".npy"; a member stored without it keeps its name
            member = name if name in raw else name + ".npy"
            version, fortran_order = read_header(raw[member])
            doc = values.document(a, fortran_order)
            if values.document(values.array_from_document(doc), fortran_order) != doc:
                raise RuntimeError(f"the value document of member {name!r} does not round-trip")
            docs.append([name, doc])
            tags |= array_tags(a, version, fortran_order)
        tags = {t for t in tags if not t.startswith("ndim:")}
        if not infos:
            tags.add("npz:empty")
        if len(infos) > 1:
            tags.add("npz:multiple")
        for info in infos:
            tags.add("npz:deflated" if info.compress_type == zipfile.ZIP_DEFLATED else "npz:stored")
            if info.flag_bits & 0x08:
                tags.add("npz:data-descriptor")
        if b"PK\x06\x06" in data[-200:]:
            tags.add("npz:zip64-eocd")
        doc = {"npz": docs}
        canonical = False
        if writer is not None:
            rebuilt = {name: values.array_from_document(d) for name, d in docs}
            stream = NonSeekable() if writer.endswith("nonseekable") else io.BytesIO()
            save = np.savez_compressed if writer.startswith("savez_compressed") else np.savez
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                save(stream, **rebuilt)
            canonical = stream.getvalue() == data
        return doc, canonical, tags, None

    # --- output ---

    def finish(self, numpy_version):
        shutil.rmtree(self.scratch)
        self.cases.sort(key=lambda e: e["id"])
        # One case per line: compact, and a diff shows exactly which cases changed.
        head = json.dumps({"corpus_version": CORPUS_VERSION, "numpy_version": numpy_version})
        lines = [json.dumps(case, ensure_ascii=False) for case in self.cases]
        with open(os.path.join(self.out, "manifest.json"), "w", encoding="utf-8") as f:
            f.write(head[:-1] + ', "cases": [\n' + ",\n".join(lines) + "\n]}\n")


def header_limit_note(path):
    """For a file NumPy reads but refuses with its default max_header_size (10000 characters),
    a note saying so; None otherwise."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            result = np.load(path, allow_pickle=False)
            if isinstance(result, np.lib.npyio.NpzFile):
                with result:
                    for name in result.files:
                        result[name]
        except ValueError as e:
            match = re.search(r"Header info length \((\d+)\) is large", str(e))
            if match:
                return (f"np.load's default max_header_size=10000 refuses it (header "
                        f"{match.group(1)} characters); the format allows it")
            raise
    return None


# The verdict is the format's, not NumPy's default safety limit on header size (10000
# characters, which np.save's own version 2.0 files exceed): judge with the limit lifted and
# tag the files the default refuses.
FORMAT_HEADER_LIMIT = 2**40


def judge(path):
    """np.load(path, allow_pickle=False), reading every member of an archive.

    ('ok', array or [(name, array)], warnings) or ('error', "Type: message", warnings).
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = np.load(path, allow_pickle=False, max_header_size=FORMAT_HEADER_LIMIT)
            if isinstance(result, np.lib.npyio.NpzFile):
                with result:
                    result = [(name, result[name]) for name in result.files]
        except Exception as e:  # noqa: BLE001 -- NumPy's refusal is the verdict being recorded
            return "error", error_text(e), [str(w.message) for w in caught]
    if isinstance(result, list) and not all(isinstance(a, np.ndarray) for _, a in result):
        # np.load gives the raw bytes of a member that is not .npy data: no value document
        raise RuntimeError(f"{path}: an archive member is not .npy data")
    return "ok", result, [str(w.message) for w in caught]
