#!/usr/bin/env python3
"""screen_oracle.py: mvm's screen against QEMU's VGA, pixel for pixel.

  screen_oracle.py test --mvm MVM --cpu ist|kvm --bin TEST.bin --name NAME
      Boots TEST.bin (a screen test from tests/screen/*.asm, padded to a
      1.44 MB floppy) on mvm and on QEMU with the same SeaBIOS and VGA BIOS.
      The test draws, writes MVM-SCREEN-DONE to port 402h and halts with
      interrupts off: mvm stops and writes its last frame (--screenshot); the
      harness takes QEMU's screendump once the marker reached QEMU's debug
      port. The two frames must be equal in size and in every pixel.
  screen_oracle.py freedos --mvm MVM --cpu ist --image IMG [--keys TEXT --expect TEXT]
      Boots a FreeDOS floppy on both until its prompt (A:\\>) and compares the
      screens; with --keys, types the keys on both and expects TEXT on the
      screen. The text cell under the cursor is left out of the comparison:
      QEMU blinks the cursor by the host's clock, mvm by the virtual one.

  screen_oracle.py test --disk [--expect-debug TEXT] ...
      The same with TEST.bin as the MBR of a 16 MiB hard disk (--hda on mvm,
      IDE on QEMU, each writing its own copy), sectors 100 and 2000 marked
      for tests/screen/disk.asm, which must leave its marks in sectors 3000
      and 4000 of both copies (and, given --expect-debug DISK-OK, report
      success on port 402h).
  screen_oracle.py repeat --mvm MVM --cpu ist|kvm --bin TEST.bin --name NAME
                          [--arg=MVM-ARG]... [--expect-debug TEXT]
      Boots TEST.bin twice on mvm, with the same options, and requires the
      two frames to be equal in every pixel: virtual time makes a run repeat
      (tests/screen/clock.asm shows the tick count, the RTC and the PIT);
      with --expect-debug, TEXT must be in what the guest wrote to port 402h.

QEMU: qemu-system-i386 -M isapc -vga std (an ISA VGA running vgabios-isavga.bin,
as mvm's), -bios /usr/share/seabios/bios.bin. On a mismatch the frames and a
difference picture (PPM) are kept and their directory printed.

Exit status 0 pass, 1 fail, 77 skip (meson's convention).
"""

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

# The KVM check the other mvm tests make; the PNG and PPM readers they share.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from run_mvm import SKIP, Failure, Skip, kvm_unusable_reason  # noqa: E402
from pngio import PngError, PpmError, read_png, read_ppm, write_ppm  # noqa: E402

BIOS = "/usr/share/seabios/bios.bin"
VGABIOS = "/usr/share/seabios/vgabios-isavga.bin"
FLOPPY_SIZE = 1474560
DISK_SIZE = 16 << 20
SECTOR = 512
# disk.asm reads these marks and writes the others
DISK_READ_MARKS = {100: b"MVM-SECTOR-00100", 2000: b"MVM-SECTOR-02000"}
DISK_WRITE_MARKS = {3000: b"MVM-WROTE-LBA-30", 4000: b"MVM-WROTE-CHS-40"}
DONE_MARKER = b"MVM-SCREEN-DONE"
LOAD_FAILED = b"MVM-SCREEN-LOAD-FAILED"
QEMU_TIMEOUT = 60
TEXT_BASE = 0xB8000
TEXT_COLS, TEXT_ROWS = 80, 25
CELL_W, CELL_H = 9, 16  # 80x25 text: 720x400


def compare(mvm, qemu, keep_dir, skip_box=None):
    """Raises Failure unless the frames are equal (outside skip_box: x0, y0, x1, y1)."""
    if mvm[:2] != qemu[:2]:
        raise Failure(f"frame size: mvm {mvm[0]}x{mvm[1]}, QEMU {qemu[0]}x{qemu[1]} "
                      f"(frames in {keep_dir})")
    w, h = mvm[:2]
    a, b = mvm[2], qemu[2]
    diff = bytearray(len(a))
    count, first = 0, None
    for i in range(0, len(a), 3):
        if a[i:i + 3] == b[i:i + 3]:
            continue
        x, y = (i // 3) % w, (i // 3) // w
        if skip_box and skip_box[0] <= x < skip_box[2] and skip_box[1] <= y < skip_box[3]:
            continue
        count += 1
        diff[i:i + 3] = b"\xff\x00\xff"
        if first is None:
            first = (x, y, tuple(a[i:i + 3]), tuple(b[i:i + 3]))
    if count:
        write_ppm(os.path.join(keep_dir, "diff.ppm"), w, h, diff)
        x, y, pa, pb = first
        raise Failure(f"{count} of {w * h} pixels differ; first at ({x}, {y}): mvm {pa}, "
                      f"QEMU {pb} (frames and diff.ppm in {keep_dir})")


def image_from(bin_path, tmp, name="test.img", disk=False):
    """A floppy (or with disk, a marked hard disk) whose first sectors are bin_path."""
    with open(bin_path, "rb") as f:
        code = f.read()
    size = DISK_SIZE if disk else FLOPPY_SIZE
    if len(code) > size:
        raise Failure(f"{bin_path} is larger than the image")
    image = bytearray(code + bytes(size - len(code)))
    if disk:
        for sector, mark in DISK_READ_MARKS.items():
            image[sector * SECTOR:sector * SECTOR + len(mark)] = mark
    path = os.path.join(tmp, name)
    with open(path, "wb") as f:
        f.write(image)
    return path


def check_disk_writes(path, who):
    with open(path, "rb") as f:
        image = f.read()
    for sector, mark in DISK_WRITE_MARKS.items():
        got = image[sector * SECTOR:sector * SECTOR + len(mark)]
        if got != mark:
            raise Failure(f"{who}: sector {sector} of the image holds {got!r}, not {mark!r}")


def require(args, qemu=True):
    for path in (BIOS, VGABIOS):
        if not os.path.exists(path):
            raise Skip(f"seabios: {path} absent (Debian package seabios)")
    if qemu and not shutil.which("qemu-system-i386"):
        raise Skip("qemu: qemu-system-i386 not installed (Debian package qemu-system-x86)")
    if args.cpu == "kvm":
        reason = kvm_unusable_reason()
        if reason:
            raise Skip(f"kvm: {reason}")


def run_mvm(args, tmp, image, timeout, keys=None, extra=(), png_name="mvm.png", disk=False):
    png = os.path.join(tmp, png_name)
    drive = ["--hda", image] if disk else ["--floppy", image, "--readonly"]
    argv = [args.mvm, "boot", "--cpu", args.cpu, "--no-pacing", *drive,
            "--screenshot", png, "--timeout", str(timeout),
            "--debugcon", os.path.join(tmp, "mvm-debug.txt"), *extra]
    if keys:
        argv += ["--keys", keys]
    start = time.monotonic()
    r = subprocess.run(argv, capture_output=True, text=True, timeout=args.host_timeout)
    print(f"mvm: exit {r.returncode} after {time.monotonic() - start:.1f} s: "
          f"{r.stderr.strip()}")
    if not os.path.exists(png):
        raise Failure(f"mvm wrote no screenshot (exit {r.returncode}): {r.stderr.strip()}")
    try:
        return r, read_png(png)
    except PngError as e:
        raise Failure(str(e)) from None


class Qemu:
    """QEMU with a monitor socket and the firmware's debug port in a file."""

    def __init__(self, tmp, image, disk=False):
        self.tmp = tmp
        self.sock_path = os.path.join(tmp, "monitor.sock")
        self.debug_path = os.path.join(tmp, "qemu-debug.txt")
        argv = ["qemu-system-i386", "-M", "isapc", "-vga", "std", "-display", "none",
                "-bios", BIOS, "-no-reboot", "-m", "16",
                *(["-drive", f"if=ide,index=0,format=raw,file={image}", "-boot", "c"]
                  if disk else
                  ["-drive", f"if=floppy,index=0,format=raw,readonly=on,file={image}",
                   "-boot", "a"]),
                "-chardev", f"file,id=dbg,path={self.debug_path}",
                "-device", "isa-debugcon,iobase=0x402,chardev=dbg",
                "-monitor", f"unix:{self.sock_path},server,nowait"]
        self.proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.sock = None
        deadline = time.monotonic() + 10
        while self.sock is None:
            try:
                s = socket.socket(socket.AF_UNIX)
                s.connect(self.sock_path)
                self.sock = s
            except OSError:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    raise Failure("QEMU did not start: " + self.proc.stderr.read().decode())
                time.sleep(0.05)
        self.command("")

    def command(self, text):
        self.sock.sendall(text.encode() + b"\n")
        out, deadline = b"", time.monotonic() + 10
        while not out.endswith(b"(qemu) "):
            if time.monotonic() > deadline:
                raise Failure(f"QEMU monitor did not answer '{text}'")
            chunk = self.sock.recv(65536)
            if not chunk:
                break
            out += chunk
        return out.decode(errors="replace")

    def debug_output(self):
        try:
            with open(self.debug_path, "rb") as f:
                return f.read()
        except OSError:
            return b""

    def screendump(self, name):
        path = os.path.join(self.tmp, name)
        self.command(f"screendump {path}")
        deadline = time.monotonic() + 5
        while not os.path.exists(path) or os.path.getsize(path) == 0:
            if time.monotonic() > deadline:
                raise Failure("QEMU wrote no screendump")
            time.sleep(0.05)
        try:
            return read_ppm(path)
        except PpmError as e:
            raise Failure(str(e)) from None

    def text_screen(self):
        """The 80x25 text buffer as (lines, cursor row, cursor column)."""
        out = self.command(f"xp /{TEXT_COLS * TEXT_ROWS}hx {TEXT_BASE:#x}")
        words = [int(w, 16) for w in re.findall(r"0x([0-9a-f]{4})\b",
                                                out.split("\n", 1)[-1])]
        chars = "".join(chr(w & 0xFF) if 32 <= (w & 0xFF) < 127 else " " for w in words)
        lines = [chars[i:i + TEXT_COLS] for i in range(0, len(chars), TEXT_COLS)]
        # The BIOS keeps the cursor of page 0 at 0040:0050 (column, row).
        cur = re.findall(r"0x([0-9a-f]{4})\b",
                         self.command("xp /1hx 0x450").split("\n", 1)[-1])
        pos = int(cur[0], 16) if cur else 0
        return lines, pos >> 8, pos & 0xFF

    def sendkeys(self, keys):
        names = {" ": "spc", "\n": "ret", ".": "dot", ":": "shift-semicolon",
                 "\\": "backslash", "-": "minus", "/": "slash"}
        for ch in keys:
            name = names.get(ch, ch.lower() if ch.isalnum() else None)
            if ch.isupper():
                name = "shift-" + ch.lower()
            if name is None:
                raise Failure(f"no QEMU key name for {ch!r}")
            self.command(f"sendkey {name}")
            time.sleep(0.1)

    def close(self):
        try:
            self.command("quit")
        except (Failure, OSError):
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def keep_dir_for(name):
    return tempfile.mkdtemp(prefix=f"mvm-screen-{name}-")


def run_mvm_to_done(args, tmp, image, extra=(), png_name="mvm.png", disk=False):
    r, frame = run_mvm(args, tmp, image, args.timeout, extra=extra, png_name=png_name,
                       disk=disk)
    if r.returncode != 3 or "guest is dead" not in r.stderr:
        raise Failure(f"mvm did not stop at the test's final HLT (exit {r.returncode}); "
                      f"directory {tmp}")
    return frame


def expect_mvm_debug(tmp, text):
    """Raises Failure unless the guest wrote text to port 402h on mvm."""
    with open(os.path.join(tmp, "mvm-debug.txt"), "rb") as f:
        debug = f.read().decode(errors="replace")
    if text not in debug:
        raise Failure(f"'{text}' not in the guest's debug output on mvm (directory {tmp}):\n"
                      f"{debug}")


def cmd_test(args):
    require(args)
    tmp = keep_dir_for(args.name)
    image = image_from(args.bin, tmp, "mvm.img", args.disk)
    qemu_image = image_from(args.bin, tmp, "qemu.img", args.disk)
    mvm_frame = run_mvm_to_done(args, tmp, image, disk=args.disk)
    if args.expect_debug:
        expect_mvm_debug(tmp, args.expect_debug)
    if args.disk:
        check_disk_writes(image, "mvm")
    qemu = Qemu(tmp, qemu_image, args.disk)
    try:
        deadline = time.monotonic() + QEMU_TIMEOUT
        while DONE_MARKER not in qemu.debug_output():
            if LOAD_FAILED in qemu.debug_output():
                raise Failure("the test could not load its sectors on QEMU")
            if time.monotonic() > deadline:
                raise Failure(f"QEMU did not finish the test in {QEMU_TIMEOUT} s")
            time.sleep(0.1)
        qemu_frame = qemu.screendump("qemu.ppm")
    finally:
        qemu.close()
    if args.disk:
        check_disk_writes(qemu_image, "QEMU")
    compare(mvm_frame, qemu_frame, tmp)
    print(f"{args.name}: {mvm_frame[0]}x{mvm_frame[1]}, every pixel equal to QEMU's"
          + (", the writes in both images" if args.disk else ""))
    shutil.rmtree(tmp)


def cmd_repeat(args):
    require(args, qemu=False)
    tmp = keep_dir_for(args.name)
    floppy = image_from(args.bin, tmp)
    first = run_mvm_to_done(args, tmp, floppy, args.arg, "first.png")
    second = run_mvm_to_done(args, tmp, floppy, args.arg, "second.png")
    if first[:2] != second[:2] or first[2] != second[2]:
        raise Failure(f"two runs gave different frames (first.png, second.png in {tmp})")
    if args.expect_debug:
        expect_mvm_debug(tmp, args.expect_debug)
    print(f"{args.name}: two runs on {args.cpu}, the same {first[0]}x{first[1]} frame")
    shutil.rmtree(tmp)


def cmd_freedos(args):
    require(args)
    if not os.path.exists(args.image):
        raise Skip(f"freedos: {args.image} absent (../shared/guests)")
    tmp = keep_dir_for("freedos")
    r, mvm_frame = run_mvm(args, tmp, args.image, args.timeout, args.keys)
    if r.returncode != 124:
        raise Failure(f"mvm ended before --timeout (exit {r.returncode}): {r.stderr.strip()}")
    qemu = Qemu(tmp, args.image)
    try:
        deadline = time.monotonic() + QEMU_TIMEOUT
        while True:
            lines, row, col = qemu.text_screen()
            if any(l.rstrip().endswith("A:\\>") for l in lines):
                break
            if time.monotonic() > deadline:
                raise Failure(f"FreeDOS did not reach A:\\> on QEMU in {QEMU_TIMEOUT} s")
            time.sleep(0.5)
        if args.keys:
            qemu.sendkeys(args.keys_plain)
            deadline = time.monotonic() + QEMU_TIMEOUT
            while not any(args.expect in l for l in qemu.text_screen()[0]):
                if time.monotonic() > deadline:
                    raise Failure(f"'{args.expect}' not on QEMU's screen after the keys")
                time.sleep(0.5)
            time.sleep(1)
        lines, row, col = qemu.text_screen()
        qemu_frame = qemu.screendump("qemu.ppm")
    finally:
        qemu.close()
    print("QEMU's screen:\n" + "\n".join(l.rstrip() for l in lines if l.strip()))
    cursor = (col * CELL_W, row * CELL_H, (col + 1) * CELL_W, (row + 1) * CELL_H)
    compare(mvm_frame, qemu_frame, tmp, skip_box=cursor)
    print(f"freedos: the screen at the prompt{' after the keys' if args.keys else ''} equals "
          f"QEMU's ({mvm_frame[0]}x{mvm_frame[1]}, the cursor cell left out)")
    shutil.rmtree(tmp)


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    t = sub.add_parser("test")
    t.add_argument("--disk", action="store_true", help="boot TEST.bin as a hard disk's MBR")
    r = sub.add_parser("repeat")
    r.add_argument("--arg", action="append", default=[], help="an mvm argument for both runs")
    for s in (t, r):
        s.add_argument("--bin", required=True)
        s.add_argument("--name", required=True)
        s.add_argument("--timeout", type=float, default=30, help="mvm's --timeout (virtual s)")
        s.add_argument("--expect-debug", help="text the guest must write to port 402h on mvm")
    f = sub.add_parser("freedos")
    f.add_argument("--image", required=True)
    f.add_argument("--keys", help="mvm's --keys; QEMU gets the same text")
    f.add_argument("--expect", help="text that must then be on the screen")
    f.add_argument("--timeout", type=float, default=60, help="mvm's --timeout (virtual s)")
    for s in (t, r, f):
        s.add_argument("--mvm", required=True)
        s.add_argument("--cpu", default="ist")
        s.add_argument("--host-timeout", type=float, default=600)
    args = p.parse_args()
    if args.command == "freedos" and args.keys:
        args.keys_plain = args.keys.replace("{enter}", "\n")
    try:
        {"test": cmd_test, "repeat": cmd_repeat, "freedos": cmd_freedos}[args.command](args)
    except Skip as e:
        print(f"SKIP {e}")
        return SKIP
    except Failure as e:
        print(f"FAIL: {e}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
