#!/usr/bin/env python3
"""seamless_desktop.py: vman's seamless mode on a real desktop, end to end.

  seamless_desktop.py --case NAME --build BUILD --source SOURCE [--renderer pixman|gl]

A private headless Weston 10 (1024x768, no panel, no animations, a plain background,
--debug for weston-screenshooter) loads mvm-seamless.so with its test seat; the vman
service shows on it (--display wayland); host_window (a host application of ours) and
SEAMDEMO.COM (guestdrv/dos/seamdemo.c, run by mvm on the IST through the service) run
side by side; seamless_input clicks and types through the test seat; the desktop is read
back with weston-screenshooter. Cases:

  desktop   the desktop equals tests/desktop/desktop.png: both guest windows at their
            guest positions, the host window above them where they overlap. With --renderer
            gl it is compared with a small tolerance instead.
  interact  a click on a guest window draws there (the guest saw it, and its int 33h
            mouse driver has the pointer in the cell under it); key M moves the
            window on the desktop; key C closes the other; Alt+Home then G: the guest
            enters mode 13h and fills the output, aspect kept: 1024x640 at (0,64).
  restart   Weston restarts: vman finds it again and the guest's windows come back.
  vman-dies the vman service is killed: its guest windows leave the desktop, Weston and
            the host window go on.

MVM_UPDATE_SCREENSHOTS=1 rewrites desktop.png from this run (review it). Exit 0 pass,
1 fail, 77 skip ("SKIP <what>: <why>").
"""

import argparse
import glob
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from pngio import read_png, write_png  # noqa: E402
from run_mvm import SKIP, Failure, Skip  # noqa: E402

WIDTH, HEIGHT = 1024, 768
BACKGROUND = (0x20, 0x40, 0x60)
RED, TITLE_BAR, YELLOW = (0xC0, 0x40, 0x40), (0x20, 0x20, 0x80), (0xFF, 0xFF, 0x00)
WINDOW_A = (64, 96, 256, 160)   # x, y, width, height: seamdemo.c's
WINDOW_B = (300, 440, 192, 128)
KEY_ESC, KEY_M, KEY_C, KEY_G, KEY_LEFTALT, KEY_HOME = 1, 50, 46, 34, 56, 102

WESTON_HEADLESS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                               "weston_headless.sh")


def weston_headless(function, *args):
    """The output of one of tests/weston_headless.sh's functions (the weston.ini every
    private Weston starts from, a module's environment), shared with the shell tests."""
    result = subprocess.run(["sh", "-c", '. "$0"; "$@"', WESTON_HEADLESS, function, *args],
                            capture_output=True, text=True, check=True)
    return result.stdout


class Desktop:
    """Weston, vman, the host window and the guest, and how to look at them."""

    def __init__(self, build, renderer):
        self.build = build
        self.renderer = renderer
        self.module = os.path.join(build, "compositor-plugin", "mvm-seamless.so")
        self.vman = os.path.realpath(os.path.join(build, "vman", "service", "vman"))
        self.mvm = os.path.join(build, "vmm", "mvm")
        self.demo = os.path.join(build, "guestdrv", "dos", "SEAMDEMO.COM")
        self.input = os.path.join(build, "tests", "desktop", "seamless_input")
        self.host_window = os.path.join(build, "tests", "desktop", "host_window")
        for tool in ("weston", "weston-screenshooter"):
            if not shutil.which(tool):
                raise Skip(f"{tool}: not installed")
        for path in (self.module, self.demo):
            if not os.path.exists(path):
                raise Skip(f"{os.path.basename(path)}: not built here")
        self.dir = tempfile.mkdtemp(prefix="mvm-seamless.")
        self.runtime = os.path.join(self.dir, "runtime")
        self.shots = os.path.join(self.dir, "shots")
        os.mkdir(self.runtime, 0o700)
        os.mkdir(self.shots)
        with open(os.path.join(self.dir, "weston.ini"), "w") as f:
            f.write(weston_headless("weston_ini") + f"\n[mvm-seamless]\nvman={self.vman}\n")
        self.env = dict(os.environ, XDG_RUNTIME_DIR=self.runtime,
                        WAYLAND_DISPLAY=f"mvm-seamless-{os.getpid()}",
                        MVM_VMAN_SOCKET=os.path.join(self.dir, "vman.sock"))
        self.procs = {}

    def log(self, name):
        return open(os.path.join(self.dir, name + ".log"), "ab")

    def start(self, name, argv, env=None, **kw):
        self.procs[name] = subprocess.Popen(argv, env=env or self.env, stdout=self.log(name),
                                            stderr=subprocess.STDOUT, **kw)
        return self.procs[name]

    def stop(self, name, sig=signal.SIGTERM):
        proc = self.procs.pop(name, None)
        if proc and proc.poll() is None:
            proc.send_signal(sig)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def alive(self, name):
        return name in self.procs and self.procs[name].poll() is None

    def start_weston(self):
        env = dict(self.env, MVM_SEAMLESS_TEST_INPUT="1")
        for word in weston_headless("weston_module_env", self.module).split():
            name, _, value = word.partition("=")
            env[name] = value
        socket = os.path.join(self.runtime, self.env["WAYLAND_DISPLAY"])
        self.start("weston", ["weston", "--backend=headless-backend.so",
                              f"--use-{self.renderer}", f"--socket={self.env['WAYLAND_DISPLAY']}",
                              "--idle-time=0", f"--width={WIDTH}", f"--height={HEIGHT}",
                              "--debug", f"--config={self.dir}/weston.ini",
                              f"--modules={self.module}"], env=env)
        for _ in range(100):
            if os.path.exists(socket):
                return
            if not self.alive("weston"):
                break
            time.sleep(0.1)
        text = self.read_log("weston")
        if self.renderer == "gl" and ("EGL" in text or "gl-renderer" in text.lower()):
            raise Skip("weston: its GL renderer cannot start here")
        raise Failure("weston did not start:\n" + text[-2000:])

    def read_log(self, name):
        path = os.path.join(self.dir, name + ".log")
        if not os.path.exists(path):
            return ""
        with open(path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def start_all(self, host=True):
        self.start_weston()
        self.start("vman", [self.vman, "--display", "wayland",
                            "--socket", self.env["MVM_VMAN_SOCKET"]])
        for _ in range(100):
            if os.path.exists(self.env["MVM_VMAN_SOCKET"]) or not self.alive("vman"):
                break
            time.sleep(0.05)
        if not self.alive("vman"):
            raise Failure("vman did not start:\n" + self.read_log("vman"))
        if host:
            self.start("host", [self.host_window])
            self.wait_for(lambda: "shown" in self.read_log("host"), "the host window shown")
        self.start("mvm", [self.mvm, "run", "--cpu", "ist", "--vdd", "vvmi", "--display", "vman",
                           "--timeout", "300", os.path.basename(self.demo)],
                   cwd=os.path.dirname(self.demo))

    def shot(self):
        """The output as Weston shows it: (width, height, rgb rows)."""
        for old in glob.glob(os.path.join(self.shots, "*.png")):
            os.remove(old)
        result = subprocess.run(["weston-screenshooter"], cwd=self.shots, env=self.env,
                                capture_output=True, timeout=20)
        files = glob.glob(os.path.join(self.shots, "*.png"))
        if result.returncode != 0 or not files:
            raise Failure(f"weston-screenshooter failed: {result.stderr.decode()[-500:]}")
        return read_png(files[0])

    def wait_for(self, predicate, what, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return
            for name in ("weston", "vman", "mvm"):
                if name in self.procs and not self.alive(name):
                    raise Failure(f"{name} ended while waiting for {what}:\n"
                                  + self.read_log(name)[-2000:])
            time.sleep(0.1)
        raise Failure(f"timed out waiting for {what}\n{self.logs()}")

    def wait_shot(self, predicate, what, timeout=30):
        """The first screenshot for which predicate(shot) holds."""
        found = []

        def check():
            shot = self.shot()
            if predicate(shot):
                found.append(shot)
                return True
            return False
        self.wait_for(check, what, timeout)
        return found[0]

    def send(self, *steps):
        result = subprocess.run([self.input] + [str(s) for s in steps], env=self.env,
                                capture_output=True, text=True, timeout=20)
        if result.returncode != 0:
            raise Failure(f"seamless_input {' '.join(map(str, steps))}: {result.stderr}")

    def logs(self):
        return "\n".join(f"--- {name}.log\n{self.read_log(name)[-1500:]}"
                         for name in ("vman", "mvm", "host"))

    def close(self):
        for name in ("mvm", "host", "vman", "weston"):
            self.stop(name)
        shutil.rmtree(self.dir, ignore_errors=True)


def pixel(shot, x, y):
    width, _, rgb = shot
    i = (y * width + x) * 3
    return tuple(rgb[i:i + 3])


def window_at(shot, window, colour=RED):
    """The window's body shows at its place, with the background just outside it."""
    x, y, w, h = window
    return (pixel(shot, x + w // 2, y + h - 4) == colour
            and pixel(shot, x + w - 2, y + h - 2) == colour
            and pixel(shot, x + w + 1, y + h // 2) in (BACKGROUND, (0, 0, 0), (0xFF, 0xFF, 0xFF),
                                                       (0xFF, 0xFF, 0), (0xFF, 0, 0xFF), (0, 0xFF, 0xFF))
            and pixel(shot, x + w // 2, y + h + 1) != colour)


def green_at(shot, window):
    """Guest B's checker shows in its right part (the host window may cover its left)."""
    x, y, w, h = window
    colours = {pixel(shot, x + i, y + j) for i in range(w // 2, w, 4) for j in range(0, h, 4)}
    return colours == {(0x40, 0xA0, 0x40), (0x20, 0x60, 0x20)}


def guests_shown(shot):
    return window_at(shot, WINDOW_A) and green_at(shot, WINDOW_B)


def host_frame(shot):
    """The host window's top-left corner (its black frame around a white quadrant)."""
    width, height, _ = shot
    for y in range(height - 240):
        for x in range(width - 320):
            if (pixel(shot, x, y) == (0, 0, 0) and pixel(shot, x + 1, y + 1) == (255, 255, 255)
                    and pixel(shot, x + 319, y + 239) == (0, 0, 0)
                    and pixel(shot, x + 318, y + 238) == (0, 0xFF, 0xFF)):
                return x, y
    return None


def compare(shot, reference, tolerance):
    """(differing pixels, largest channel difference) beyond tolerance."""
    width, height, rgb = shot
    ref_width, ref_height, ref = reference
    if (width, height) != (ref_width, ref_height):
        raise Failure(f"screenshot is {width}x{height}, the reference {ref_width}x{ref_height}")
    count, largest = 0, 0
    for a, b in zip(rgb, ref):
        d = abs(a - b)
        if d > tolerance:
            count += 1
        largest = max(largest, d)
    return count, largest


def case_desktop(d, args):
    d.start_all()
    shot = d.wait_shot(lambda s: guests_shown(s) and host_frame(s), "the guest windows and the host window")
    hx, hy = host_frame(shot)
    bx, by, bw, bh = WINDOW_B
    under = [(x, y) for x in range(bx, bx + bw) for y in range(by, by + bh)
             if hx <= x < hx + 320 and hy <= y < hy + 240]
    if not under:
        raise Failure(f"the host window at ({hx},{hy}) does not overlap Guest B")
    if any(pixel(shot, x, y) in ((0x40, 0xA0, 0x40), (0x20, 0x60, 0x20)) for x, y in under):
        raise Failure("Guest B shows through the host window: guest windows are not under it")
    print(f"{len(under)} pixels of Guest B lie under the host window, which covers them")
    reference_path = os.path.join(args.source, "tests", "desktop", "desktop.png")
    if os.environ.get("MVM_UPDATE_SCREENSHOTS") == "1":
        write_png(reference_path, *shot)
        print(f"wrote {reference_path}")
        return
    tolerance = 0 if args.renderer == "pixman" else 3
    count, largest = compare(shot, read_png(reference_path), tolerance)
    print(f"host window at {host_frame(shot)}; {count} channel values differ from "
          f"desktop.png by more than {tolerance} (largest {largest})")
    if count:
        write_png(os.path.join(args.source, "tests", "desktop", "desktop.actual.png"), *shot)
        raise Failure("the desktop differs from desktop.png (desktop.actual.png written)")


def case_interact(d, args):
    d.start_all(host=False)
    d.wait_shot(guests_shown, "the guest windows")
    # The click: the guest draws a 6x6 yellow square centred on it.
    d.send("click", 100, 150)
    shot = d.wait_shot(lambda s: pixel(s, 100, 150) == YELLOW, "the guest's mark of the click")
    marked = [(x, y) for x in range(90, 111) for y in range(148, 161) if pixel(shot, x, y) == YELLOW]
    if (min(marked), max(marked)) != ((97, 148), (102, 152)):
        raise Failure(f"the mark covers {min(marked)}-{max(marked)}, not (97,148)-(102,152) "
                      "(its top row is under int 33h's mark)")
    # Its mouse driver (vmouse's int 33h) put the pointer in text cell (11,9): the
    # cyan mark at that cell's corner, (99,144)-(102,147).
    cyan = [(x, y) for x in range(90, 111) for y in range(135, 161)
            if pixel(shot, x, y) == (0, 0xFF, 0xFF)]
    if not cyan or (min(cyan), max(cyan)) != ((99, 144), (102, 147)):
        raise Failure(f"int 33h's mark covers {cyan and (min(cyan), max(cyan))}, "
                      "not (99,144)-(102,147)")
    print("click at (100,150) on Guest A: the guest marked (97,147)-(102,152); its int 33h "
          "driver had the pointer in text cell (11,9)")
    # M: the guest moves Guest A by (+96,+32); the desktop follows.
    d.send("key", KEY_M)
    moved = (64 + 96, 96 + 32, 256, 160)
    shot = d.wait_shot(lambda s: window_at(s, moved) and pixel(s, 70, 200) == BACKGROUND,
                       "Guest A at (160,128)")
    if pixel(shot, 100 + 96, 150 + 32) != YELLOW:
        raise Failure("the moved window lost its contents")
    print("key M: Guest A moved to (160,128) with its contents")
    # C: the guest closes Guest B.
    d.send("key", KEY_C)
    d.wait_shot(lambda s: pixel(s, 300 + 150, 440 + 64) == BACKGROUND, "Guest B gone")
    print("key C: Guest B left the desktop")
    # Alt+Home (vman's), then G: mode 13h fullscreen, 3x at (32,84).
    d.send("keydown", KEY_LEFTALT, "key", KEY_HOME, "keyup", KEY_LEFTALT)
    d.wait_shot(lambda s: pixel(s, 0, 0) == (0, 0, 0) and pixel(s, WIDTH - 1, HEIGHT - 1) == (0, 0, 0),
                "the fullscreen guest screen")
    d.send("key", KEY_G)  # the fullscreen window took the keyboard
    shot = d.wait_shot(lambda s: pixel(s, 0, 64) == (0xFF, 0xFF, 0xFF)
                       and pixel(s, 32, 384) != (0, 0, 0), "mode 13h fullscreen")
    check_mode13(shot)
    print("Alt+Home, G: mode 13h fills the output, 1024x640 at (0,64), aspect kept")


def check_mode13(shot):
    """Mode 13h (the VGA's 640x400 frame) fills 1024x768 with its aspect kept: 1024x640
    at (0,64), black above and below; 16 bars 64 pixels wide inside a white frame."""
    for x, y in ((0, 0), (500, 63), (500, 704), (1023, 767)):
        if pixel(shot, x, y) != (0, 0, 0):
            raise Failure(f"({x},{y}) is {pixel(shot, x, y)}, not the black border")
    for x, y in ((0, 64), (1, 65), (1023, 703), (1022, 702), (500, 64), (0, 400)):
        if pixel(shot, x, y) != (0xFF, 0xFF, 0xFF):
            raise Failure(f"({x},{y}) is {pixel(shot, x, y)}, not the white frame")
    bars = []
    for i in range(16):
        colours = {pixel(shot, 64 * i + dx, 384) for dx in range(6, 58)}
        if len(colours) != 1:
            raise Failure(f"bar {i} (x {64 * i + 6}-{64 * i + 57}) is not one colour: {colours}")
        bars.append(colours.pop())
    if len(set(bars)) != 16:
        raise Failure(f"the 16 bars are not 16 colours: {bars}")


def case_restart(d, args):
    d.start_all(host=False)
    d.wait_shot(guests_shown, "the guest windows")
    d.stop("weston")
    time.sleep(0.5)
    d.start_weston()
    d.wait_shot(guests_shown, "the guest windows on the new Weston")
    print("Weston restarted: the guest windows are back at their places")
    if "found the Wayland compositor again" not in d.read_log("vman"):
        raise Failure("vman did not say it reconnected:\n" + d.read_log("vman"))


def case_vman_dies(d, args):
    d.start_all()
    d.wait_shot(lambda s: guests_shown(s) and host_frame(s), "the guest windows and the host window")
    d.stop("vman", signal.SIGKILL)
    shot = d.wait_shot(lambda s: pixel(s, WINDOW_A[0] + 4, WINDOW_A[1] + 100) in (BACKGROUND,)
                       or False, "Guest A gone", timeout=15)
    if green_at(shot, WINDOW_B) or not host_frame(shot):
        raise Failure("after vman died the desktop is not the background and the host window")
    if not d.alive("weston") or not d.alive("host"):
        raise Failure("weston or the host window did not survive vman's death")
    print("vman killed: its windows left; Weston and the host window run on")


CASES = {"desktop": case_desktop, "interact": case_interact, "restart": case_restart,
         "vman-dies": case_vman_dies}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", required=True, choices=sorted(CASES))
    parser.add_argument("--build", required=True)
    parser.add_argument("--source", required=True)
    parser.add_argument("--renderer", choices=("pixman", "gl"), default="pixman")
    args = parser.parse_args()
    desktop = None
    try:
        desktop = Desktop(args.build, args.renderer)
        CASES[args.case](desktop, args)
    except Skip as s:
        print(f"SKIP {s}")
        return SKIP
    except Failure as f:
        print(f"FAIL: {f}")
        return 1
    finally:
        if desktop:
            desktop.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
