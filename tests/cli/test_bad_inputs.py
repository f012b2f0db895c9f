#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The bad-input catalog through the command line: every case of tests/data/bad/MANIFEST.json.

    python3 tests/cli/test_bad_inputs.py build/native/healthscore [CASE-SUBSTRING...]

A case that must fail (exit 2) passes when the tool exits 2 with exactly one line on stderr that
starts with `healthscore: `, names the file (or the model file), holds every `stderr_contains`
text and nothing a user should never see (a sanitizer report, a C++ exception tag, a crash).
A case that must load (exit 0) passes when the output holds `stdout_contains` and, for `--json`,
the fields in `json`. Every run has a timeout (a hang fails) and a memory cap (a blow-up fails
instead of taking the machine down). Big files are generated into a temp folder, never committed.
Ends with `N passed, N failed`; exit status 1 when any case failed.
"""
import json
import os
import pathlib
import resource
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
BAD = ROOT / "tests" / "data" / "bad"
sys.path.insert(0, str(BAD))
import make_bad_files  # noqa: E402

MEMORY_CAP = 4 << 30  # bytes of address space for a Release build
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


def run(binary, argv, timeout, asan):
    env = dict(os.environ)
    if asan:
        # ASan reserves terabytes of address space, so cap resident memory instead.
        env["ASAN_OPTIONS"] = "hard_rss_limit_mb=4096:detect_leaks=1:" + env.get("ASAN_OPTIONS", "")
        env["UBSAN_OPTIONS"] = "print_stacktrace=1:" + env.get("UBSAN_OPTIONS", "")
    start = time.monotonic()
    try:
        p = subprocess.run([binary] + argv, capture_output=True, timeout=timeout, env=env,
                           preexec_fn=None if asan else limit_memory)
    except subprocess.TimeoutExpired:
        return None, b"", b"", time.monotonic() - start
    return p.returncode, p.stdout, p.stderr, time.monotonic() - start


def check_json(doc, want):
    problems = []
    cols = {c["name"]: c for c in doc.get("columns", [])}
    for key, value in want.items():
        if key == "names":
            got = [c["name"] for c in doc.get("columns", [])]
            if got != value:
                problems.append(f"column names {got}, want {value}")
        elif key == "columns":
            for name, fields in value.items():
                if name not in cols:
                    problems.append(f"no column {name!r}")
                    continue
                for f, v in fields.items():
                    if cols[name].get(f) != v:
                        problems.append(f"column {name!r} {f} = {cols[name].get(f)!r}, want {v!r}")
        elif doc.get(key) != value:
            problems.append(f"{key} = {doc.get(key)!r}, want {value!r}")
    return problems


def check_case(binary, case, folder, generated, asan):
    def path(name):
        p = BAD / name
        return p if p.exists() else generated / name

    file = path(case["file"])
    cmd = case["command"]
    argv = ["model", "init", str(file)] if cmd == "model-init" else [cmd, str(file)]
    argv += case.get("args", [])
    named = [case["file"]]
    if "model" in case:
        argv += ["--model", str(path(case["model"]))]
        named.append(case["model"])
    timeout = case.get("timeout", 30) * (4 if asan else 1)
    rc, out, err, seconds = run(binary, argv, timeout, asan)
    problems = []
    if rc is None:
        return [f"no answer within {timeout} s (a hang)"], seconds
    text = err.decode("utf-8", "replace")
    lines = [l for l in text.splitlines() if l.strip()]
    if rc < 0:
        problems.append(f"killed by signal {-rc}")
    elif rc != case["exit"]:
        problems.append(f"exit {rc}, want {case['exit']}")
    for bad in NEVER:
        if bad in text:
            problems.append(f"stderr shows {bad!r}")
    if case["exit"] == 2:
        if len(lines) != 1:
            problems.append(f"{len(lines)} lines on stderr, want exactly 1")
        if lines and not lines[0].startswith("healthscore: "):
            problems.append("the message does not start with 'healthscore: '")
        if not any(n in text for n in named):
            problems.append(f"the message does not name {' or '.join(named)}")
    else:
        if lines and not all(l.startswith("healthscore: warning:") for l in lines):
            problems.append("unexpected stderr")
    for s in case.get("stderr_contains", []):
        if s not in text:
            problems.append(f"stderr lacks {s!r}")
    stdout = out.decode("utf-8", "replace")
    for s in case.get("stdout_contains", []):
        if s not in stdout:
            problems.append(f"stdout lacks {s!r}")
    if "json" in case and rc == 0:
        try:
            problems += check_json(json.loads(stdout), case["json"])
        except ValueError as e:
            problems.append(f"stdout is not JSON: {e}")
    if problems and lines:
        problems.append("stderr: " + lines[0][:300])
    return problems, seconds


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    binary = str(pathlib.Path(sys.argv[1]).resolve())
    only = sys.argv[2:]
    asan = sanitized(binary)
    cases = json.loads((BAD / "MANIFEST.json").read_text(encoding="utf-8"))
    if only:
        cases = [c for c in cases if any(o in c["file"] or o in c.get("model", "") for o in only)]
    # The committed files must be what the generator writes (a stale or hand-edited file fails here).
    stale = [n for n, data in make_bad_files.small_files().items()
             if not (BAD / n).is_file() or (BAD / n).read_bytes() != data]
    passed = failed = 0
    if stale:
        print(f"FAIL  committed files differ from make_bad_files.py: {', '.join(stale)}")
        failed += 1
    with tempfile.TemporaryDirectory(prefix="healthscore-bad-") as tmp:
        generated = pathlib.Path(tmp)
        if any(c.get("generated") for c in cases):
            make_bad_files.big_files(generated)
        for i, case in enumerate(cases, 1):
            label = case["file"] + (f" --model {case['model']}" if "model" in case else "") + \
                (" " + " ".join(case["args"]) if case.get("args") else "")
            problems, seconds = check_case(binary, case, BAD, generated, asan)
            if problems:
                failed += 1
                print(f"FAIL  {case['command']} {label} ({seconds:.1f} s): {case['why']}")
                for p in problems:
                    print(f"        {p}")
            else:
                passed += 1
                print(f"ok    {case['command']} {label} ({seconds:.1f} s)")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
