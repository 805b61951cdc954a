#!/usr/bin/env python3
"""screenshot_test.py: a guest program's screen compared with a reference PNG.

  screenshot_test.py run --mvm MVM --build-dir BUILD --case NAME [--cases FILE] [--update]
      Runs case NAME of cases.ini (README.md describes the format): `mvm run` with the
      case's program and arguments, which writes the screen as PNG when the VM stops,
      and compares that picture with refs/NAME.png.
  screenshot_test.py compare --actual PNG --reference PNG [--mask PNG]
                             [--max-channel-diff N] [--max-diff-pixels N] [--update]
      The comparison alone, for two PNG files.
  screenshot_test.py make-mask --like PNG --rect X,Y,W,H [--rect ...] OUT.png
      A mask the size of PNG, white in the rectangles (ignored), black elsewhere.

The comparison: both pictures must have the same size; a pixel differs when one of its
channels differs by more than --max-channel-diff, and a mask's non-black pixels never
differ; more than --max-diff-pixels differing pixels fail. On a failure REF.actual.png
(what the program drew) and REF.diff.png (the reference in dim grey, differing pixels
red, differences within the tolerance yellow, masked pixels dark blue) are written
beside the reference REF.png, and a summary says how many pixels differ, by how much
at most and where. On a pass, old .actual/.diff files of the reference are removed.

--update, or MVM_UPDATE_SCREENSHOTS=1 in the environment: the actual picture becomes
the reference (when its pixels changed), to be looked at and committed.

Exit status 0 pass (or updated), 1 fail, 77 skip (meson's convention).
"""

import argparse
import configparser
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from run_mvm import SKIP, Failure, Skip  # noqa: E402
from pngio import PngError, read_png, write_png  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = os.path.join(HERE, "cases.ini")
REFS = os.path.join(HERE, "refs")
UPDATE_ENV = "MVM_UPDATE_SCREENSHOTS"
SCREENSHOT_FIELD = "{screenshot}"
HOST_TIMEOUT = 120
# diff picture colours
RED, YELLOW, MASKED_TINT = (255, 0, 0), (255, 255, 0), (0, 0, 96)


def sibling(reference, kind):
    """refs/NAME.png -> refs/NAME.KIND.png"""
    root, ext = os.path.splitext(reference)
    return f"{root}.{kind}{ext}"


class Comparison:
    """What differs between two equal-sized RGB pictures, outside a mask."""

    def __init__(self, actual, reference, mask, max_channel_diff):
        self.width, self.height = reference[:2]
        a, r = actual[2], reference[2]
        m = mask[2] if mask else None
        w = self.width
        stride = w * 3
        self.beyond = []        # (x, y, largest channel difference) over the tolerance
        self.within = []        # (x, y) differing within the tolerance
        self.masked = 0         # differing pixels the mask hides
        self.largest = 0        # largest channel difference outside the mask
        for y in range(self.height):
            row = slice(y * stride, (y + 1) * stride)
            if a[row] == r[row]:
                continue
            for x in range(w):
                i = y * stride + x * 3
                if a[i:i + 3] == r[i:i + 3]:
                    continue
                if m and m[i:i + 3] != b"\0\0\0":
                    self.masked += 1
                    continue
                d = max(abs(a[i] - r[i]), abs(a[i + 1] - r[i + 1]), abs(a[i + 2] - r[i + 2]))
                self.largest = max(self.largest, d)
                if d > max_channel_diff:
                    self.beyond.append((x, y, d))
                else:
                    self.within.append((x, y))

    def diff_picture(self, reference, mask):
        """The reference dimmed to grey, the differences painted over it."""
        r = reference[2]
        out = bytearray(len(r))
        for i in range(0, len(r), 3):
            grey = 32 + (r[i] * 77 + r[i + 1] * 150 + r[i + 2] * 29) // 1024
            out[i:i + 3] = bytes((grey, grey, grey))
        if mask:
            m = mask[2]
            for i in range(0, len(m), 3):
                if m[i:i + 3] != b"\0\0\0":
                    out[i] //= 2
                    out[i + 1] //= 2
                    out[i + 2] = out[i + 2] // 2 + MASKED_TINT[2]
        for x, y in self.within:
            i = (y * self.width + x) * 3
            out[i:i + 3] = bytes(YELLOW)
        for x, y, _ in self.beyond:
            i = (y * self.width + x) * 3
            out[i:i + 3] = bytes(RED)
        return bytes(out)


def pixel(picture, x, y):
    i = (y * picture[0] + x) * 3
    return tuple(picture[2][i:i + 3])


def load(path, what):
    try:
        return read_png(path)
    except OSError as e:
        raise Failure(f"cannot read the {what} {path}: {e.strerror}") from None
    except PngError as e:
        raise Failure(f"the {what} {path}: {e}") from None


def remove_stale(reference):
    for kind in ("actual", "diff"):
        try:
            os.unlink(sibling(reference, kind))
        except FileNotFoundError:
            pass


def update_reference(actual, reference_path):
    """Writes the actual picture as the reference unless its pixels are the same."""
    if os.path.exists(reference_path):
        old = load(reference_path, "reference")
        if old == actual:
            print(f"UPDATE {reference_path}: unchanged")
            remove_stale(reference_path)
            return
        if old[:2] != actual[:2]:
            how = f"was {old[0]}x{old[1]}"
        else:
            changed = Comparison(actual, old, None, 0)
            how = f"{len(changed.beyond)} pixels changed"
    else:
        how = "new"
    os.makedirs(os.path.dirname(os.path.abspath(reference_path)), exist_ok=True)
    write_png(reference_path, *actual)
    remove_stale(reference_path)
    print(f"UPDATE {reference_path}: written ({how}, {actual[0]}x{actual[1]}); "
          f"look at it before committing it")


def compare(actual, reference_path, mask_path, max_channel_diff, max_diff_pixels,
            update_hint):
    """Raises Failure (after writing .actual and .diff beside the reference) unless
    actual matches the reference within the tolerance; prints the outcome."""
    actual_path = sibling(reference_path, "actual")
    diff_path = sibling(reference_path, "diff")
    if not os.path.exists(reference_path):
        write_png(actual_path, *actual)
        raise Failure(f"no reference {reference_path}\n  actual: {actual_path}\n"
                      f"  to make it the reference: {update_hint}")
    reference = load(reference_path, "reference")
    if actual[:2] != reference[:2]:
        write_png(actual_path, *actual)
        raise Failure(f"size: actual {actual[0]}x{actual[1]}, reference "
                      f"{reference[0]}x{reference[1]}\n  actual: {actual_path}\n"
                      f"  reference: {reference_path}\n"
                      f"  to accept the actual picture: {update_hint}")
    mask = None
    if mask_path:
        mask = load(mask_path, "mask")
        if mask[:2] != reference[:2]:
            raise Failure(f"the mask {mask_path} is {mask[0]}x{mask[1]}, the reference "
                          f"{reference[0]}x{reference[1]}")
    c = Comparison(actual, reference, mask, max_channel_diff)
    total = c.width * c.height
    if len(c.beyond) <= max_diff_pixels:
        remove_stale(reference_path)
        notes = []
        if c.beyond:
            notes.append(f"{len(c.beyond)} beyond the tolerance ({max_diff_pixels} allowed)")
        if c.within:
            notes.append(f"{len(c.within)} within it (largest difference {c.largest})")
        if c.masked:
            notes.append(f"{c.masked} masked")
        print(f"PASS {c.width}x{c.height}, "
              + (f"differing pixels: {', '.join(notes)}" if notes else "every pixel equal"
                 + (" outside the mask" if mask else "")))
        return
    write_png(actual_path, *actual)
    write_png(diff_path, c.width, c.height, c.diff_picture(reference, mask))
    x, y, _ = c.beyond[0]
    lx, ly, ld = max(c.beyond, key=lambda p: p[2])
    raise Failure(
        f"{len(c.beyond)} of {total} pixels differ by more than {max_channel_diff} in a "
        f"channel ({max_diff_pixels} allowed)"
        + (f", {len(c.within)} more within that" if c.within else "")
        + (f", {c.masked} more under the mask" if c.masked else "") + "\n"
        f"  largest difference: {ld}, at ({lx}, {ly}): actual {pixel(actual, lx, ly)}, "
        f"reference {pixel(reference, lx, ly)}\n"
        f"  first difference:   at ({x}, {y}): actual {pixel(actual, x, y)}, "
        f"reference {pixel(reference, x, y)}\n"
        f"  actual:    {actual_path}\n"
        f"  diff:      {diff_path} (red: beyond the tolerance, yellow: within it, "
        f"blue: masked, grey: the reference)\n"
        f"  reference: {reference_path}\n"
        f"  to accept the actual picture: {update_hint}")


def updating(args):
    return args.update or os.environ.get(UPDATE_ENV, "") not in ("", "0")


def read_case(cases_path, name):
    parser = configparser.ConfigParser(interpolation=None)
    try:
        with open(cases_path) as f:
            parser.read_file(f)
    except (OSError, configparser.Error) as e:
        raise Failure(f"cannot read the cases {cases_path}: {e}") from None
    if not parser.has_section(name):
        raise Failure(f"no case [{name}] in {cases_path} (it has: "
                      f"{', '.join(parser.sections())})")
    case = parser[name]
    for key in case:
        if key not in ("program", "mvm", "mvm-args", "max-channel-diff", "max-diff-pixels",
                       "mask", "reference", "skip-when"):
            raise Failure(f"[{name}] in {cases_path}: unknown key '{key}'")
    if "program" not in case:
        raise Failure(f"[{name}] in {cases_path}: no program")
    try:
        for key in ("max-channel-diff", "max-diff-pixels"):
            if case.getint(key, 0) < 0:
                raise ValueError(f"{key} is negative")
    except ValueError as e:
        raise Failure(f"[{name}] in {cases_path}: {e}") from None
    return case


def run_case(args):
    case = read_case(args.cases, args.case)
    program, *program_args = shlex.split(case["program"])
    program = os.path.join(args.build_dir, program)
    reference = os.path.join(REFS, case.get("reference", args.case + ".png"))
    mask = os.path.join(REFS, case["mask"]) if case.get("mask") else None
    with tempfile.TemporaryDirectory(prefix=f"mvm-shot-{args.case}-") as tmp:
        name = os.path.basename(program)
        try:
            shutil.copy(program, os.path.join(tmp, name))
        except OSError as e:
            raise Failure(f"the program {program}: {e.strerror} (is it built?)") from None
        png = os.path.join(tmp, "screen.png")
        mvm_args = [a.replace(SCREENSHOT_FIELD, png)
                    for a in shlex.split(case.get("mvm", "")) + shlex.split(
                        case.get("mvm-args", ""))]
        if not any(png in a for a in mvm_args):
            raise Failure(f"[{args.case}]: no {SCREENSHOT_FIELD} in the mvm arguments, so "
                          f"no picture")
        argv = [os.path.abspath(args.mvm), "run", *mvm_args, name, *program_args]
        print(f"case {args.case}: {shlex.join(argv)}")
        start = time.monotonic()
        try:
            r = subprocess.run(argv, cwd=tmp, capture_output=True, text=True,
                               timeout=HOST_TIMEOUT)
        except subprocess.TimeoutExpired:
            raise Failure(f"mvm did not end within {HOST_TIMEOUT} s") from None
        print(f"mvm: exit {r.returncode} after {time.monotonic() - start:.2f} s")
        skip_when = case.get("skip-when")
        if r.returncode != 0 and skip_when:
            for line in r.stderr.splitlines():
                if re.search(skip_when, line):
                    raise Skip(f"{args.case}: {line.strip()}")
        if r.returncode != 0:
            raise Failure(f"mvm exited {r.returncode}, not 0\n--- stdout ---\n{r.stdout}"
                          f"--- stderr ---\n{r.stderr}--- end ---")
        if not os.path.exists(png):
            raise Failure(f"mvm wrote no screenshot\n--- stderr ---\n{r.stderr}--- end ---")
        actual = load(png, "screenshot")
    if updating(args):
        update_reference(actual, reference)
        return
    hint = (f"{UPDATE_ENV}=1 meson test -C {os.path.abspath(args.build_dir)} "
            f"screenshots/{args.case}")
    compare(actual, reference, mask, case.getint("max-channel-diff", 0),
            case.getint("max-diff-pixels", 0), hint)


def compare_files(args):
    actual = load(args.actual, "actual picture")
    if updating(args):
        update_reference(actual, args.reference)
        return
    compare(actual, args.reference, args.mask, args.max_channel_diff, args.max_diff_pixels,
            f"{os.path.basename(sys.argv[0])} compare --update ...")


def make_mask(args):
    w, h, _ = load(args.like, "picture")
    out = bytearray(w * h * 3)
    for spec in args.rect:
        try:
            x0, y0, rw, rh = (int(v) for v in spec.split(","))
        except ValueError:
            raise Failure(f"--rect {spec}: not X,Y,W,H") from None
        for y in range(max(0, y0), min(h, y0 + rh)):
            for x in range(max(0, x0), min(w, x0 + rw)):
                out[(y * w + x) * 3:(y * w + x) * 3 + 3] = b"\xff\xff\xff"
    write_png(args.out, w, h, bytes(out))
    print(f"mask {args.out}: {w}x{h}, {len(args.rect)} rectangles ignored")


def non_negative(text):
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text} is negative")
    return value


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="run one case of cases.ini")
    r.add_argument("--mvm", required=True)
    r.add_argument("--build-dir", required=True, help="where the programs were built")
    r.add_argument("--case", required=True)
    r.add_argument("--cases", default=CASES)
    c = sub.add_parser("compare", help="compare two PNG files")
    c.add_argument("--actual", required=True)
    c.add_argument("--reference", required=True)
    c.add_argument("--mask")
    c.add_argument("--max-channel-diff", type=non_negative, default=0)
    c.add_argument("--max-diff-pixels", type=non_negative, default=0)
    for s in (r, c):
        s.add_argument("--update", action="store_true",
                       help=f"make the actual picture the reference (or {UPDATE_ENV}=1)")
    m = sub.add_parser("make-mask", help="write a mask PNG")
    m.add_argument("--like", required=True, help="a picture of the mask's size")
    m.add_argument("--rect", action="append", required=True, help="X,Y,W,H to ignore")
    m.add_argument("out")
    args = p.parse_args()
    try:
        {"run": run_case, "compare": compare_files, "make-mask": make_mask}[args.command](args)
    except Skip as e:
        print(f"SKIP {e}")
        return SKIP
    except Failure as e:
        print(f"FAIL {e}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
