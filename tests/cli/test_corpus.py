#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Every file of the real-world corpus (tests/corpus/MANIFEST.json) through `healthscore inspect`.

    python3 tests/cli/test_corpus.py build/native/healthscore [FILE-SUBSTRING...]

A file passes when it is byte for byte the copy the manifest describes (sha256), the tool answers
within the timeout and the memory cap without a crash or a sanitizer report, and the answer is the
pinned one: it opens with the same rows x columns from the same sheet, or it is refused with the
same message code (core/messages/*.json; `inspect --json` writes the refusal's code to stdout) in
one `healthscore: ` line on stderr. A refusal of a file that both independent readers of `others` opened with data fails
unless the manifest gives its reason (`refusal_ok`). Ends with `N passed, N failed`.
"""
import hashlib
import json
import os
import pathlib
import resource
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
CORPUS = ROOT / "tests" / "corpus"
MEMORY_CAP = 4 << 30
NEVER = ["AddressSanitizer", "LeakSanitizer", "runtime error:", "json.exception", "terminate called",
         "Segmentation fault", "std::", "what():"]


def sanitized(binary):
    try:
        data = pathlib.Path(binary).read_bytes()
    except OSError:
        return False
    return b"__asan_init" in data or b"__ubsan_handle" in data


def limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def inspect(binary, path, asan):
    env = dict(os.environ)
    if asan:
        env["ASAN_OPTIONS"] = "hard_rss_limit_mb=4096:detect_leaks=1:" + env.get("ASAN_OPTIONS", "")
    timeout = 120 if asan else 30
    try:
        p = subprocess.run([binary, "inspect", "--json", str(path)], capture_output=True, timeout=timeout, env=env,
                           preexec_fn=None if asan else limit_memory)
    except subprocess.TimeoutExpired:
        return None, f"no answer within {timeout} s (a hang)"
    err = p.stderr.decode("utf-8", "replace")
    for bad in NEVER:
        if bad in err:
            return None, f"stderr shows {bad!r}: {err.strip()[:300]}"
    if p.returncode == 0:
        doc = json.loads(p.stdout)
        return {"opens": [doc["rows"], len(doc["columns"])], "sheet": doc.get("sheet", "")}, None
    if p.returncode != 2:
        return None, f"exit {p.returncode}: {err.strip()[:300]}"
    lines = [l for l in err.splitlines() if l.strip()]
    if len(lines) != 1 or not lines[0].startswith("healthscore: "):
        return None, f"the refusal is not one 'healthscore: ' line: {err.strip()[:300]}"
    try:
        code = json.loads(p.stdout)["error"]["code"]
    except (ValueError, KeyError, TypeError):
        return None, f"the refusal has no message code on stdout: {p.stdout[:300]!r}"
    return {"refuses": code, "exit": 2}, None


def opened_with_data(answer):
    return "opens" in answer and answer["opens"][0] > 0 and answer["opens"][1] > 0


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    binary = str(pathlib.Path(sys.argv[1]).resolve())
    only = sys.argv[2:]
    asan = sanitized(binary)
    manifest = json.loads((CORPUS / "MANIFEST.json").read_text(encoding="utf-8"))
    passed = failed = 0
    for entry in manifest["files"]:
        if only and not any(o in entry["file"] for o in only):
            continue
        path = CORPUS / entry["file"]
        problems = []
        data = path.read_bytes() if path.is_file() else None
        if data is None:
            problems.append("missing")
        elif hashlib.sha256(data).hexdigest() != entry["sha256"]:
            problems.append("differs from the copy the manifest describes (sha256)")
        else:
            got, trouble = inspect(binary, path, asan)
            if trouble:
                problems.append(trouble)
            elif got != entry["expect"]:
                problems.append(f"got {json.dumps(got)[:300]}, pinned {json.dumps(entry['expect'])[:300]}")
            others = entry.get("others", {})
            if got and "refuses" in got and len(others) >= 2 and all(opened_with_data(o) for o in others.values()) \
                    and not entry.get("refusal_ok"):
                problems.append(f"refused although {' and '.join(others)} open it with data, and no reason is given")
        if problems:
            failed += 1
            print(f"FAIL  {entry['file']}")
            for p in problems:
                print(f"        {p}")
        else:
            passed += 1
            print(f"ok    {entry['file']} {json.dumps(entry['expect'])[:120]}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
