# SPDX-License-Identifier: MIT
"""What the command-line test files share: the binary under test, `run` and the runner that ends
with `N passed, N failed`. The binary is argv[1], else build/native/healthscore."""
import os
import subprocess
import sys
import traceback

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "native", "healthscore")


def run(*args, ok=True):
    p = subprocess.run([BIN, *args], capture_output=True)
    if ok and p.returncode != 0:
        raise AssertionError(f"healthscore {' '.join(args)} exited {p.returncode}: {p.stderr.decode()}")
    return p


def run_tests(namespace):
    """Runs every `test_*` function of a module's globals, in order; 1 when any failed."""
    tests = [(n, f) for n, f in namespace.items() if n.startswith("test_") and callable(f)]
    passed = failed = 0
    for name, fn in tests:
        try:
            fn()
            passed += 1
            print(f"ok   {name}")
        except Exception:
            failed += 1
            print(f"FAIL {name}")
            traceback.print_exc()
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0
