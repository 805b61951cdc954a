#!/usr/bin/env python3
"""vvmi_demo.py: a guestdrv/dos demo run by mvm with the VVMI VDD, checked on VMAN's output.

  vvmi_demo.py --mvm MVM --cpu ist|kvm --program DEMO.COM --expect X,Y,RRGGBB [...]

Runs DEMO.COM (mvm run, C: a fresh directory), which must exit 0 (it waits for VMAN's
PRESENTED event; 1 means no VVMI, 2 an error event), writes VMAN's composed
output as PNG (--screenshot), and checks the pixel at each X,Y. Exit 0 pass, 1 fail, 77 skip.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from run_mvm import SKIP, kvm_unusable_reason  # noqa: E402
from pngio import read_png  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--mvm", required=True)
    p.add_argument("--cpu", required=True)
    p.add_argument("--program", required=True)
    p.add_argument("--expect", action="append", default=[])
    args = p.parse_args()
    if args.cpu == "kvm":
        reason = kvm_unusable_reason()
        if reason:
            print(f"SKIP kvm: {reason}")
            return SKIP
    with tempfile.TemporaryDirectory(prefix="mvm-vvmi-") as tmp:
        name = os.path.basename(args.program)
        shutil.copy(args.program, os.path.join(tmp, name))
        png = os.path.join(tmp, "out.png")
        argv = [os.path.abspath(args.mvm), "run", "--cpu", args.cpu, "--timeout", "60",
                "--vdd", "vvmi", "--screenshot", png, name]
        r = subprocess.run(argv, cwd=tmp, capture_output=True, text=True, timeout=120)
        if r.returncode != 0:
            print(f"FAIL: {' '.join(argv)} exited {r.returncode}:\n{r.stdout}{r.stderr}")
            return 1
        width, height, rgb = read_png(png)
        print(f"{name}: exit 0, VMAN output {width}x{height}")
        failed = False
        for spec in args.expect:
            x, y, colour = spec.split(",")
            x, y = int(x), int(y)
            at = (y * width + x) * 3
            got = rgb[at:at + 3].hex().upper()
            ok = got == colour.upper()
            failed |= not ok
            print(f"  ({x},{y}): {got} {'ok' if ok else 'expected ' + colour.upper()}")
        if failed:
            kept = os.path.join(tempfile.gettempdir(), f"vvmi-{name}.png")
            shutil.copy(png, kept)
            print(f"FAIL: pixels differ; the output is kept in {kept}")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
