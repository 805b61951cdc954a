#!/usr/bin/env python3
"""test_compare.py: screenshot_test.py's comparison catches what it must and no more.

  test_compare.py SCREENSHOT_TEST.py

Runs `screenshot_test.py compare` on pictures made here: a reference with one pixel
changed must fail (exit 1) with the count, the largest difference and its place in the
summary, and leave REF.actual.png and REF.diff.png (that pixel red); the same change
within --max-channel-diff, within --max-diff-pixels or under a mask passes and removes
them; a size change fails; --update writes the reference. Exit 0 pass, 1 fail.
"""

import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from pngio import read_png, write_png  # noqa: E402

W, H = 64, 48
SPOT = (17, 9)          # the changed pixel
DELTA = 40              # by how much its green channel changes


def picture(changed=False, width=W, height=H):
    """A gradient with a few hard edges; optionally with the pixel at SPOT changed."""
    rgb = bytearray()
    for y in range(height):
        for x in range(width):
            rgb += bytes((x * 4 % 256, 100 + (y // 8) * 20, 255 if (x // 8 + y // 8) % 2 else 0))
    if changed:
        i = (SPOT[1] * width + SPOT[0]) * 3
        rgb[i + 1] += DELTA
    return width, height, bytes(rgb)


class Checker:
    def __init__(self, tool, tmp):
        self.tool, self.tmp = tool, tmp
        self.failures = 0

    def path(self, name):
        return os.path.join(self.tmp, name)

    def compare(self, actual, reference, *extra):
        # Not in update mode, even while the references are being rewritten.
        env = {k: v for k, v in os.environ.items() if k != "MVM_UPDATE_SCREENSHOTS"}
        r = subprocess.run([sys.executable, self.tool, "compare", "--actual", self.path(actual),
                            "--reference", self.path(reference), *extra],
                           env=env, capture_output=True, text=True, timeout=60)
        return r.returncode, r.stdout + r.stderr

    def expect(self, what, ok, detail=""):
        print(f"{'ok  ' if ok else 'FAIL'} {what}")
        if not ok:
            self.failures += 1
            if detail:
                print("  " + detail.replace("\n", "\n  "))


def main():
    tool = sys.argv[1]
    with tempfile.TemporaryDirectory(prefix="mvm-shot-compare-") as tmp:
        c = Checker(tool, tmp)
        write_png(c.path("ref.png"), *picture())
        write_png(c.path("same.png"), *picture())
        write_png(c.path("one.png"), *picture(changed=True))
        write_png(c.path("wide.png"), *picture(width=W + 1))
        actual, diff = c.path("ref.actual.png"), c.path("ref.diff.png")

        status, out = c.compare("same.png", "ref.png")
        c.expect("equal pictures pass", status == 0 and "every pixel equal" in out, out)

        status, out = c.compare("one.png", "ref.png")
        c.expect("one changed pixel fails (exit 1)", status == 1, out)
        c.expect("the summary counts it", f"1 of {W * H} pixels differ by more than 0" in out,
                 out)
        c.expect("the summary gives the largest difference and where",
                 f"largest difference: {DELTA}, at {SPOT}" in out, out)
        c.expect("the summary gives the first difference",
                 f"first difference:   at {SPOT}" in out, out)
        c.expect("the summary names the actual and diff pictures",
                 actual in out and diff in out, out)
        c.expect("the actual picture is written", os.path.exists(actual)
                 and read_png(actual) == picture(changed=True))
        if os.path.exists(diff):
            w, h, rgb = read_png(diff)
            i = (SPOT[1] * w + SPOT[0]) * 3
            reds = sum(1 for j in range(0, len(rgb), 3) if rgb[j:j + 3] == b"\xff\0\0")
            c.expect("the diff picture shows that pixel, and only it, red",
                     (w, h) == (W, H) and rgb[i:i + 3] == b"\xff\0\0" and reds == 1)
        else:
            c.expect("the diff picture is written", False)

        status, out = c.compare("one.png", "ref.png", "--max-channel-diff", str(DELTA - 1))
        c.expect("a tolerance just under the difference still fails", status == 1, out)
        status, out = c.compare("one.png", "ref.png", "--max-channel-diff", str(DELTA))
        c.expect("--max-channel-diff at the difference passes", status == 0, out)
        c.expect("a pass removes the old actual and diff pictures",
                 not os.path.exists(actual) and not os.path.exists(diff))
        status, out = c.compare("one.png", "ref.png", "--max-diff-pixels", "1")
        c.expect("--max-diff-pixels 1 passes one differing pixel",
                 status == 0 and "1 beyond the tolerance (1 allowed)" in out, out)

        mask = bytearray(W * H * 3)
        i = (SPOT[1] * W + SPOT[0]) * 3
        mask[i:i + 3] = b"\x80\x80\x80"
        write_png(c.path("mask.png"), W, H, bytes(mask))
        status, out = c.compare("one.png", "ref.png", "--mask", c.path("mask.png"))
        c.expect("a mask over the pixel passes", status == 0 and "1 masked" in out, out)
        write_png(c.path("offmask.png"), W, H, bytes(W * H * 3))
        status, out = c.compare("one.png", "ref.png", "--mask", c.path("offmask.png"))
        c.expect("an all-black mask hides nothing", status == 1, out)

        status, out = c.compare("wide.png", "ref.png", "--max-diff-pixels", "100000")
        c.expect("a size change fails whatever the tolerance",
                 status == 1 and f"size: actual {W + 1}x{H}, reference {W}x{H}" in out, out)

        status, out = c.compare("one.png", "ref.png", "--update")
        c.expect("--update writes the actual picture as the reference",
                 status == 0 and "UPDATE" in out
                 and read_png(c.path("ref.png")) == picture(changed=True), out)
        env = dict(os.environ, MVM_UPDATE_SCREENSHOTS="1")
        r = subprocess.run([sys.executable, tool, "compare", "--actual", c.path("same.png"),
                            "--reference", c.path("new.png")], env=env,
                           capture_output=True, text=True, timeout=60)
        c.expect("MVM_UPDATE_SCREENSHOTS=1 makes a missing reference",
                 r.returncode == 0 and read_png(c.path("new.png")) == picture(), r.stdout)
    if c.failures:
        print(f"FAIL {c.failures} checks failed")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
