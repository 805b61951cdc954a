#!/usr/bin/env python3
"""mouse_dos.py: a DOS program run by mvm while the vmouse VDD's `moves` script drives the pointer.

  mouse_dos.py --mvm MVM --cpu ist|kvm --program PROG.COM --moves SCRIPT --expect EXPECTED.txt

Runs PROG.COM (mvm run, C: a fresh directory, DOS output to stdout) with
--vdd vmouse:moves=SCRIPT and compares its stdout with EXPECTED.txt; the program must exit 0.
Exit 0 pass, 1 fail, 77 skip.
"""
import argparse
import difflib
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from run_mvm import SKIP, kvm_unusable_reason  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--mvm", required=True)
    p.add_argument("--cpu", required=True)
    p.add_argument("--program", required=True)
    p.add_argument("--moves", required=True)
    p.add_argument("--expect", required=True)
    args = p.parse_args()
    if args.cpu == "kvm":
        reason = kvm_unusable_reason()
        if reason:
            print(f"SKIP kvm: {reason}")
            return SKIP
    with open(args.expect, newline="", encoding="latin-1") as f:
        expected = f.read()
    with tempfile.TemporaryDirectory(prefix="mvm-mouse-") as tmp:
        name = os.path.basename(args.program)
        shutil.copy(args.program, os.path.join(tmp, name))
        argv = [os.path.abspath(args.mvm), "run", "--cpu", args.cpu, "--console", "stdio",
                "--timeout", "30", "--vdd", "vmouse:moves=" + args.moves, name]
        r = subprocess.run(argv, cwd=tmp, capture_output=True, timeout=300)
    stdout = r.stdout.decode("latin-1")
    if r.returncode != 0 or stdout != expected:
        print(f"FAIL: {' '.join(argv)} exited {r.returncode}\n{r.stderr.decode('latin-1')}")
        sys.stdout.writelines(difflib.unified_diff(
            expected.splitlines(True), stdout.splitlines(True), "expected", "mvm"))
        return 1
    print(f"{name} on {args.cpu}: exit 0, {len(expected.splitlines())} lines as expected")
    return 0


if __name__ == "__main__":
    sys.exit(main())
