#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Builds the real-world corpus (tests/corpus/) and its MANIFEST.json. Run at authoring time only.

    python3 -m venv build/venv && build/venv/bin/pip install openpyxl python-calamine odfpy pandas
    build/venv/bin/python tests/corpus/make_manifest.py build/native/healthscore MIRROR_ROOT

MIRROR_ROOT holds bare git copies of the source repositories (owner+name/repo, as the search tool's
fetch leaves them). For every selected file it records where it came from (repository, path,
commit, blob, licence, sha256), what two independent readers make of it (openpyxl and calamine for
XLSX, odfpy and calamine for ODS, Python's csv module and pandas for CSV), and what healthscore's
`inspect` gives, which tests/cli/test_corpus.py then pins. A refusal of a file both other readers
open with data needs a `refusal_ok` reason written by hand in REFUSAL_OK below.
"""
import csv
import hashlib
import io
import json
import pathlib
import subprocess
import sys
import warnings

HERE = pathlib.Path(__file__).resolve().parent

SOURCES = [
    # name, repository, commit, folder in the repository, licence, how the licence was checked
    ("calamine", "tafia/calamine", "263762c8e98ef25da8511d9c5ea1783493e3bf6d", "tests/",
     "MIT", "LICENSE-MIT.md and Cargo.toml `license = \"MIT\"`"),
    ("sheetjs", "SheetJS/test_files", "fb4bdf0158ba308c182f82663b61607bb79cd4b5", "",
     "Apache-2.0", "README.md: \"All files contained in root directory are covered under the Apache 2.0 "
     "license\"; only root files without a source prefix (originals, not derivatives) are taken"),
    ("poi", "apache/poi", "a528d43590b3f71aa94310de881a35af887fdd0f", "test-data/spreadsheet/",
     "Apache-2.0", "the repository's legal/LICENSE (Apache License 2.0) and legal/NOTICE; test-data/ is part of the ASF repository"),
]
EXTENSIONS = (".xlsx", ".xlsm", ".ods", ".csv", ".tsv")
MAX_BYTES = 300_000
SHEETJS_PREFIXES = ("apachepoi_", "xlrd_", "openpyxl_", "roo_", "spout_", "libreoffice_", "jxls", "pyExcelerator_",
                    "excel-reader-xlsx_", "spreadsheet-parsexlsx_", "oo34xml_", "ootest_")

# Files healthscore refuses although both other readers open them, each with the reason.
REFUSAL_OK = {
    "poi/poc-shared-strings.xlsx":
        "POI's own shared-string amplification test: a few long shared strings referenced by many cells, "
        "refused at the per-sheet text limit (issue 14); openpyxl keeps one Python string per shared string",
}


def empty_default_sheet_named(ours, others):
    """The reason to accept a refusal when it is the empty-default-sheet message and it names the sheet
    each other reader found the data in."""
    msg = ours.get("text", "")
    if ours.get("refuses") != "sheet.empty":
        return None
    if all(f'"{o.get("sheet")}"' in msg.split("is empty", 1)[1] for o in others.values()):
        return "the default (first visible) sheet is empty; the message names the sheet the other readers found data in"
    return None


def git(mirror, *args):
    return subprocess.run(["git", "--git-dir", str(mirror)] + list(args), capture_output=True, check=True).stdout


def selected(mirror, commit, folder, name):
    out = []
    for line in git(mirror, "ls-tree", "-l", commit, *([folder] if folder else [])).decode().splitlines():
        meta, path = line.split("\t", 1)
        _, kind, blob, size = meta.split()
        base = path[len(folder):]
        if kind != "blob" or "/" in base or not size.isdigit():  # "BAD": absent from the snapshot
            continue
        if not base.lower().endswith(EXTENSIONS) or int(size) > MAX_BYTES:
            continue
        if name == "sheetjs" and (base.startswith(SHEETJS_PREFIXES) or base.count(".") > 1):
            continue  # derivatives of other projects' files, and SheetJS's own CSV outputs of them
        out.append((path, base, blob))
    return out


def shape(rows):
    """(rows, columns) of a grid once trailing empty rows and columns are left out."""
    def empty(v):
        return v is None or (isinstance(v, str) and v.strip() == "")
    rows = [list(r) for r in rows]
    while rows and all(empty(v) for v in rows[-1]):
        rows.pop()
    width = max((max((i + 1 for i, v in enumerate(r) if not empty(v)), default=0) for r in rows), default=0)
    return len(rows), width


def first_with_data(sheets):
    for name, rows in sheets:
        r, c = shape(rows)
        if r and c:
            return {"opens": [r, c], "sheet": name}
    return {"empty": True}


def try_reader(fn, path):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return fn(path)
    except Exception as e:  # noqa: BLE001 - any failure is the reader's answer
        return {"error": f"{type(e).__name__}: {str(e)[:160]}"}


def limit_memory():
    import resource
    resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))


class Timeout(Exception):
    pass


def run_reader(reader, path):
    """One reader on one file, in this process, with 60 s at most (the process's memory is capped)."""
    import signal

    def expire(*_):
        raise Timeout()
    signal.signal(signal.SIGALRM, expire)
    signal.alarm(60)
    try:
        return try_reader(dict(READERS[path.suffix.lower()])[reader], path)
    except Timeout:
        return {"error": "no answer within 60 s"}
    finally:
        signal.alarm(0)


def read_openpyxl(path):
    import openpyxl
    # Not read_only: that mode trusts <dimension>, and A1:XFD1048576 makes it walk 17 billion cells.
    wb = openpyxl.load_workbook(path, data_only=True)
    return first_with_data([(ws.title, ws.iter_rows(values_only=True)) for ws in wb.worksheets])


def read_calamine(path):
    from python_calamine import CalamineWorkbook
    wb = CalamineWorkbook.from_path(str(path))
    return first_with_data([(n, wb.get_sheet_by_name(n).to_python()) for n in wb.sheet_names])


def read_odfpy(path):
    import pandas
    frames = pandas.read_excel(path, engine="odf", sheet_name=None, header=None)
    return first_with_data([(n, df.astype(object).where(df.notna(), None).values.tolist()) for n, df in frames.items()])


def read_pycsv(path):
    data = pathlib.Path(path).read_bytes()
    text = data.decode("utf-8-sig") if not data.startswith((b"\xff\xfe", b"\xfe\xff")) else data.decode("utf-16")
    first = text.splitlines()[0] if text else ""
    delim = max(",;\t|", key=lambda d: (first.count(d), -",;\t|".index(d)))
    return first_with_data([("", csv.reader(io.StringIO(text, newline=""), delimiter=delim))])


def read_pandas_csv(path):
    import pandas
    df = pandas.read_csv(path, sep=None, engine="python", header=None, dtype=str, keep_default_na=False)
    return first_with_data([("", df.values.tolist())])


READERS = {
    ".xlsx": [("openpyxl", read_openpyxl), ("calamine", read_calamine)],
    ".xlsm": [("openpyxl", read_openpyxl), ("calamine", read_calamine)],
    ".ods": [("odfpy", read_odfpy), ("calamine", read_calamine)],
    ".csv": [("python-csv", read_pycsv), ("pandas", read_pandas_csv)],
    ".tsv": [("python-csv", read_pycsv), ("pandas", read_pandas_csv)],
}


def ours(binary, path):
    try:
        p = subprocess.run([binary, "inspect", "--json", str(path)], capture_output=True, timeout=60)
    except subprocess.TimeoutExpired:
        return {"hang": True}
    if p.returncode == 0:
        doc = json.loads(p.stdout)
        return {"opens": [doc["rows"], len(doc["columns"])], "sheet": doc.get("sheet", "")}
    # A refusal is pinned by its message code (`inspect --json` writes it to stdout); the English text
    # is kept beside it only for the refusal reasons below.
    err = p.stderr.decode("utf-8", "replace").strip()
    try:
        code = json.loads(p.stdout)["error"]["code"]
    except (ValueError, KeyError, TypeError):
        code = err
    return {"refuses": code, "exit": p.returncode, "text": err.removeprefix("healthscore: ")}


def main():
    import resource
    resource.setrlimit(resource.RLIMIT_AS, (8 << 30, 8 << 30))
    binary, mirrors = sys.argv[1], pathlib.Path(sys.argv[2])
    entries = []
    for name, repo, commit, folder, licence, licence_check in SOURCES:
        mirror = mirrors / repo.replace("/", "+") / "repo"
        (HERE / name).mkdir(exist_ok=True)
        for path, base, blob in selected(mirror, commit, folder, name):
            data = git(mirror, "cat-file", "blob", blob)
            target = HERE / name / base
            target.write_bytes(data)
            ext = target.suffix.lower()
            others = {reader: run_reader(reader, target) for reader, _ in READERS[ext]}
            entry = {
                "file": f"{name}/{base}", "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest(),
                "repository": repo, "path": path, "commit": commit, "blob": blob, "licence": licence,
                "others": others, "expect": ours(binary, target),
            }
            reason = REFUSAL_OK.get(entry["file"]) or empty_default_sheet_named(entry["expect"], others)
            if reason and "refuses" in entry["expect"]:
                entry["refusal_ok"] = reason
            entry["expect"].pop("text", None)
            entries.append(entry)
            print(entry["file"], json.dumps(entry["expect"])[:100], flush=True)
    doc = {
        "about": "Real files from other readers' test suites, each pinned to what `healthscore inspect` makes "
                 "of it (tests/cli/test_corpus.py). Built by make_manifest.py; `others` is what two "
                 "independent readers made of the file when it was added.",
        "sources": [{"name": n, "repository": r, "commit": c, "folder": f, "licence": l, "licence_checked": lc}
                    for n, r, c, f, l, lc in SOURCES],
        "files": entries,
    }
    (HERE / "MANIFEST.json").write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(entries)} files, {sum(e['bytes'] for e in entries)} bytes")


if __name__ == "__main__":
    main()
