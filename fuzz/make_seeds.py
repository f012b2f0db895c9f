#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes the seed corpus of every fuzz target into OUT/<target>/ from ../shared/corpus, tests/data,
web/sample, tests/data/bad and tests/regression. Deterministic; standard library only.

    python3 fuzz/make_seeds.py build/fuzz/seeds
"""
import hashlib
import pathlib
import re
import sys
import zipfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus"
SEP = b"\n====\n"  # checks.hpp: part_separator
MAX_SEED = 200_000


def put(out, target, data, hint):
    if len(data) > MAX_SEED:
        data = data[:MAX_SEED]
    d = out / target
    d.mkdir(parents=True, exist_ok=True)
    name = hint.replace("/", "_")[:60] + "-" + hashlib.sha1(data).hexdigest()[:10]
    (d / name).write_bytes(data)


def files(folder, *patterns):
    folder = pathlib.Path(folder)
    if not folder.is_dir():
        return []
    found = set()
    for p in patterns:
        found.update(x for x in folder.rglob(p) if x.is_file())
    return sorted(found)


def head_lines(data, n):
    return b"\n".join(data.split(b"\n")[:n]) + b"\n"


def xlsx_seeds(out, path):
    try:
        z = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return
    names = z.namelist()

    def get(name):
        try:
            return z.read(name) if name in names else b"-"
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
            return b"-"  # a deliberately broken file of the catalog

    rels = get("xl/_rels/workbook.xml.rels")
    if rels != b"-":
        rels = re.sub(rb'Target="(/?xl/)?worksheets/[^"]*"', b'Target="worksheets/sheet1.xml"', rels)
    for sheet in sorted(n for n in names if re.match(r"xl/worksheets/[^/]+\.xml$", n)):
        parts = [get("xl/workbook.xml"), get(sheet), get("xl/sharedStrings.xml"), get("xl/styles.xml"), rels]
        put(out, "xlsx_parts", SEP.join(parts), path.stem + "-" + pathlib.Path(sheet).stem)


def ods_seeds(out, path):
    try:
        z = zipfile.ZipFile(path)
        put(out, "ods", z.read("content.xml"), path.stem)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, NotImplementedError):
        pass


def main():
    out = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "build/fuzz/seeds")
    bad = ROOT / "tests" / "data" / "bad"
    regression = ROOT / "tests" / "regression"

    csvs = files(SHARED / "csv-spectrum" / "csvs", "*.csv") + files(ROOT / "tests" / "data", "*.csv", "*.tsv")
    csvs += files(ROOT / "web" / "sample", "*.csv") + files(SHARED / "telco-churn", "*.csv")
    for p in csvs:
        data = p.read_bytes()
        put(out, "csv", head_lines(data, 40) if len(data) > 20_000 else data, p.stem)
    for p in files(bad, "*.csv", "*.tsv", "*.txt"):
        put(out, "csv", p.read_bytes()[:20_000], "bad-" + p.stem)

    books = files(SHARED / "xlsx", "*.xlsx") + files(bad, "*.xlsx")
    odss = files(SHARED / "ods", "*.ods") + files(bad, "*.ods")
    for p in books:
        xlsx_seeds(out, p)
    for p in odss:
        ods_seeds(out, p)
    for p in books + odss + files(bad, "*.zip"):
        put(out, "zip", p.read_bytes(), p.stem)

    models = files(ROOT / "tests" / "data", "*.json") + files(ROOT / "web" / "sample", "*.json")
    models += files(bad, "*model*.json")
    for p in models:
        put(out, "model", p.read_bytes()[:100_000], p.stem)

    pairs = [
        (ROOT / "tests/data/es_model.json", ROOT / "tests/data/es_accounts.csv"),
        (ROOT / "tests/data/telco_model.json", SHARED / "telco-churn/Telco-Customer-Churn.csv"),
        (ROOT / "web/sample/model.json", ROOT / "web/sample/accounts.csv"),
    ]
    for m, c in pairs:
        if m.is_file() and c.is_file():
            put(out, "score", m.read_bytes() + SEP + head_lines(c.read_bytes(), 30), m.stem)

    # Kept crashing inputs seed their own target again.
    for target in ("csv", "xlsx_parts", "zip", "ods", "model", "score"):
        for p in files(regression / target, "*"):
            put(out, target, p.read_bytes(), "regression-" + p.name)
    for d in sorted(out.iterdir()):
        print(f"{d.name}: {sum(1 for _ in d.iterdir())} seeds")


if __name__ == "__main__":
    main()
