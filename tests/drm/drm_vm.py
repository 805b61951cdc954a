#!/usr/bin/env python3
"""drm_vm.py: vman's DRM presenter on a real KMS driver, in a QEMU VM, checked by screendump.

  drm_vm.py --case bochs|virtio|bochs-gbm --build BUILD --source SOURCE

Boots Debian's kernel (linux-image-amd64 and busybox-static, fetched with apt-get download
into BUILD/tests/drm/cache, nothing installed) under TCG with an initramfs made here: busybox,
init.sh, the kernel's DRM modules, the build's vman and drm_feed with their shared libraries,
and recorded guest frames (the VVGA's text, mode 13h and mode 12h screens of
tests/screenshots/refs). Then, in the VM, `vman --display drm` runs on /dev/dri/card0 with
/dev/tty1 as its VT and drm_feed, a stand-in VM, sends it the frames; QMP screendumps show
what the card scans out, compared with the picture the mode rule gives (drm_modes.h: the
smallest mode that holds the frame, the frame centred, black around it):

  bochs   -vga std, bochs-drm driven with legacy SetCrtc and PageFlip (MVM_DRM_ATOMIC=0:
          bochs-drm is an atomic driver in Linux 6.1; the kernel's legacy entry points
          are what is tested)
  virtio  -device virtio-gpu-pci, driven with atomic commits
  bochs-gbm  -vga std again, drawn with GLES 2 into a GBM surface (Mesa's kms_swrast, its
          libraries in the initramfs), atomic commits
The first two draw into dumb buffers with pixman (MVM_DRM_DUMB=1).

Each case, in order:
  1. the frames text -> 13h -> 12h -> text: each screen equals its expected picture, and
     screendumps taken back to back during each switch show only the old or the new
     picture, or the display off during a modeset (the driver's; never during a flip):
     no torn or foreign frame in between that a screendump catches
  2. vman's CPU time over 5 s of a static screen (it must sleep): at most 2 clock ticks
  3. a VT switch: chvt 2 shows the console (vman let the display go), chvt 1 the guest's
     picture again without a new frame
  4. a hot-unplug: the connector forced off (sysfs status) and the uevent the kernel's
     poll worker sends on real hardware: the CRTC goes off, vman lives; forced back on:
     the picture is back
  5. vman stopped (SIGTERM): the console's mode and framebuffer are put back; no sanitizer
     report in vman's log
  6. vman --fullscreen: mode 13h's 640x400 frame fills the preferred mode (1280x800 for
     both devices: scale 2, exact)
Exit status 0 pass, 1 fail, 77 skip.
"""

import argparse
import os
import shutil
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, ".."))
import debian_kernel  # noqa: E402
import vm as vmlib  # noqa: E402
from initramfs import Initramfs  # noqa: E402
from pngio import read_png, write_png  # noqa: E402

SKIP = 77
FRAMES = ("text", "mode13h", "mode12h")
BOCHS = {"modules": ["bochs"], "display": ["-vga", "std"]}
VIRTIO = {"modules": ["virtio_pci", "virtio-gpu"], "display": ["-device", "virtio-gpu-pci"]}
CASES = {
    "bochs": dict(BOCHS, environment="MVM_DRM_DUMB=1 MVM_DRM_ATOMIC=0", commits="legacy commits",
                  scanout="dumb buffers"),
    "virtio": dict(VIRTIO, environment="MVM_DRM_DUMB=1", commits="atomic commits",
                   scanout="dumb buffers"),
    # Mesa has no driver of its own for bochs-drm: GBM takes kms_swrast (llvmpipe drawing
    # into dumb buffers), so the GBM + EGL path runs with all of Mesa's libraries aboard.
    "bochs-gbm": dict(BOCHS, environment="LSAN_OPTIONS=suppressions=/etc/lsan-mesa.supp",
                      commits="atomic commits", scanout="a GBM surface", mesa=True,
                      memory_mib=1536),
}
MESA = ("/usr/lib/x86_64-linux-gnu/libEGL_mesa.so.0",
        "/usr/lib/x86_64-linux-gnu/dri/kms_swrast_dri.so")
MESA_EGL_VENDOR = "/usr/share/glvnd/egl_vendor.d/50_mesa.json"
SHOW_SECONDS = 10.0   # for a picture to reach the screen under TCG
STATIC_SECONDS = 5
STATIC_TICKS_MAX = 2  # clock ticks (10 ms each) of CPU in STATIC_SECONDS
SANITIZER_REPORTS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:")


class Failure(Exception):
    pass


def log(text):
    print(text, flush=True)


def expected_picture(frame, modes, fill=False):
    """What the card should scan out for frame (w, h, rgb) on a connector with these modes
    (the kernel's list, best first): (mode w, mode h, rgb)."""
    fw, fh, rgb = frame
    if fill:
        # The preferred mode (the kernel lists it first), filled with the aspect kept; this
        # test shows only frames that fill it at an integer scale.
        mw, mh = modes[0]
        scale = min(mw // fw, mh // fh)
        if min(mw * fh, mh * fw) != fw * fh * scale:
            raise Failure(f"a {fw}x{fh} frame does not fill {mw}x{mh} at an integer scale")
    else:
        holding = [m for m in modes if m[0] >= fw and m[1] >= fh]
        if not holding:
            raise Failure(f"no mode holds a {fw}x{fh} frame: {modes}")
        mw, mh = min(holding, key=lambda m: m[0] * m[1])
        scale = min(mw // fw, mh // fh)
    x0, y0 = (mw - fw * scale) // 2, (mh - fh * scale) // 2
    out = bytearray(mw * mh * 3)
    for y in range(fh * scale):
        row = rgb[(y // scale) * fw * 3:(y // scale + 1) * fw * 3]
        if scale > 1:
            row = b"".join(row[i:i + 3] * scale for i in range(0, len(row), 3))
        start = ((y0 + y) * mw + x0) * 3
        out[start:start + len(row)] = row
    return mw, mh, bytes(out)


def display_off(picture):
    """QEMU's screen for a CRTC switched off: all black (bochs), or black but for QEMU's one
    line "Display output is not active." across the middle (virtio-gpu's placeholder)."""
    w, h, rgb = picture
    stride = w * 3
    middle = range((h // 2 - 16) * stride, (h // 2 + 16) * stride)
    return not any(rgb[:middle.start]) and not any(rgb[middle.stop:])


def differing(a, b):
    """How many pixels of two pictures differ (all when their sizes do)."""
    if a[:2] != b[:2]:
        return a[0] * a[1]
    return sum(1 for i in range(0, len(a[2]), 3) if a[2][i:i + 3] != b[2][i:i + 3])


def save_failure(workdir, name, picture):
    path = os.path.join(workdir, name + ".png")
    write_png(path, *picture)
    return path


class Case:
    def __init__(self, args, workdir):
        self.args = args
        self.case = args.case
        self.config = CASES[args.case]
        self.workdir = workdir
        self.frames = {}
        self.vm = None
        self.modes = []
        self.runs = 0
        self.modesets = []  # ms each modeset took, drawing included (vman's log)

    # -- set-up -----------------------------------------------------------------------
    def build_initramfs(self, kernel):
        build = self.args.build
        vman = os.path.join(build, "vman", "service", "vman")
        feed = os.path.join(build, "tests", "drm", "drm_feed")
        ramfs = Initramfs()
        ramfs.file("bin/busybox", kernel["busybox"], 0o755)
        ramfs.file("init", os.path.join(HERE, "init.sh"), 0o755)
        names = []
        for module in kernel["modules"]:
            names.append(os.path.basename(module))
            ramfs.file("lib/modules/" + names[-1], module, 0o644)
        ramfs.data("etc/modules.load", ("\n".join(names) + "\n").encode())
        ramfs.program("bin/vman", vman)
        ramfs.program("bin/drm_feed", feed)
        if self.config.get("mesa"):
            for library in MESA:
                ramfs.shared_object(os.path.realpath(library))
                if os.path.realpath(library) != library:
                    ramfs.symlink(library, os.path.realpath(library))
            ramfs.file(MESA_EGL_VENDOR, MESA_EGL_VENDOR)
            ramfs.file("etc/lsan-mesa.supp", os.path.join(HERE, "lsan-mesa.supp"))
        for name in FRAMES:
            w, h, rgb = read_png(os.path.join(self.args.source, "tests", "screenshots", "refs",
                                              name + ".png"))[:3]
            self.frames[name] = (w, h, rgb)
            ramfs.data(f"frames/{name}.ppm", f"P6\n{w} {h}\n255\n".encode() + rgb)
        path = os.path.join(self.workdir, "initrd.cpio")
        ramfs.write(path)
        return path

    def boot(self):
        cache = os.path.join(self.args.build, "tests", "drm", "cache")
        started = time.monotonic()
        try:
            kernel = debian_kernel.fetch(cache, self.config["modules"])
        except (debian_kernel.FetchError, OSError) as e:
            raise SkipCase(f"cannot fetch Debian's kernel: {e}") from None
        initrd = self.build_initramfs(kernel)
        log(f"kernel {kernel['version']}, modules {[os.path.basename(m) for m in kernel['modules']]}"
            f", initramfs {os.path.getsize(initrd) // 1024} KiB, ready in "
            f"{time.monotonic() - started:.1f} s")
        self.vm = vmlib.Vm(self.workdir, kernel["kernel"], initrd, self.config["display"],
                           memory_mib=self.config.get("memory_mib", 512), log=self.console_line)
        uptime = self.vm.wait_ready()
        log(f"VM booted: the guest kernel was up {uptime:.1f} s at init's end, "
            f"{time.monotonic() - started:.1f} s since the start")
        connector = self.vm.sh("ls -d /sys/class/drm/card0-*")[0]
        self.modes = [tuple(int(v) for v in line.split("x"))
                      for line in self.vm.sh(f"cat {connector}/modes")]
        self.connector = connector
        log(f"{os.path.basename(connector)}: modes {self.modes}")

    def console_line(self, line):
        if self.args.verbose:
            log("  vm| " + line)

    # -- vman -----------------------------------------------------------------------
    def start_vman(self, extra=""):
        self.runs += 1
        self.log_path = f"/run/vman-{self.runs}.log"
        self.vm.sh(f"{self.config['environment']} vman --display drm --socket /run/vman.sock {extra}"
                   f" </dev/tty1 >{self.log_path} 2>&1 &")
        self.wait_log("listening at /run/vman.sock")
        self.vm.sh("drm_feed /run/vman.sock </dev/ttyS1 >/dev/ttyS1 2>/run/feed.log &")
        self.vm.feed_sock = None  # a new drm_feed answers
        self.pid = self.vm.sh("pidof vman")[0].strip()

    def vman_log(self):
        return self.vm.sh(f"cat {self.log_path}")

    def wait_log(self, text, seconds=SHOW_SECONDS):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            lines = self.vman_log()
            if any(text in line for line in lines):
                return lines
            time.sleep(0.2)
        raise Failure(f"vman did not log '{text}': " + " | ".join(self.vman_log()[-10:]))

    def stop_vman(self):
        self.vm.sh(f"kill -TERM {self.pid}; while kill -0 {self.pid} 2>/dev/null; do "
                   "sleep 0.1; done; killall drm_feed")
        lines = self.vman_log()
        log(f"vman's log ({self.log_path}):\n  " + "\n  ".join(lines))
        self.modesets += [float(line.rsplit(" in ", 1)[1].split()[0]) for line in lines
                          if "drawn and set in" in line]
        reports = [line for line in lines if any(r in line for r in SANITIZER_REPORTS)]
        if reports or not any("stopping" in line for line in lines):
            raise Failure("vman did not stop cleanly: " + " | ".join(lines[-15:]))

    # -- pictures ---------------------------------------------------------------------
    def wait_picture(self, want, name, seconds=SHOW_SECONDS):
        """Screendumps until the screen equals want; fails with the last one saved."""
        deadline = time.monotonic() + seconds
        while True:
            got = self.vm.screendump()
            if got == want:
                return
            if time.monotonic() > deadline:
                saved = save_failure(self.workdir, name + "-got", got)
                save_failure(self.workdir, name + "-want", want)
                raise Failure(f"{name}: the screen ({got[0]}x{got[1]}) is not the expected "
                              f"{want[0]}x{want[1]} picture: {differing(got, want)} pixels "
                              f"differ (saved {saved})")
            time.sleep(0.1)

    def wait_gone(self, shown, when):
        """Screendumps until the screen is no longer shown: the screen then."""
        deadline = time.monotonic() + SHOW_SECONDS
        while True:
            got = self.vm.screendump()
            if got != shown:
                return got
            if time.monotonic() > deadline:
                raise Failure(f"{when} the guest's picture is still on screen")
            time.sleep(0.1)

    def switch(self, old, name):
        """Shows frame name after old (a picture or None) while screendumps are taken back
        to back. Each must be the old picture, the new one or, only where the mode changes,
        the display switched off at the old or the new size: the driver's modeset (the
        kernel's atomic helpers switch the CRTC off, set the mode, then point it at vman's
        buffer; QEMU shows the moments between as black, or on virtio-gpu as its "Display
        output is not active." screen). That lasts no longer than the modeset call, which
        vman logs.
        vman itself never commits a buffer without the frame: it draws the new frame
        before the modeset that shows it."""
        want = expected_picture(self.frames[name], self.modes)
        counts = {"old": 0, "off": 0, "new": 0}
        foreign, stop, new_seen = [], threading.Event(), threading.Event()
        modeset = old is not None and old[:2] != want[:2]

        def sample():
            while not stop.is_set():
                got = self.vm.screendump()
                if got == want:
                    counts["new"] += 1
                    new_seen.set()
                    return
                if got == old:
                    counts["old"] += 1
                elif modeset and got[:2] in (old[:2], want[:2]) and display_off(got):
                    counts["off"] += 1
                elif not foreign:
                    foreign.append(got)

        sampler = threading.Thread(target=sample) if old is not None else None
        if sampler:
            sampler.start()
        self.vm.feed(f"frame /frames/{name}.ppm")
        if sampler:
            new_seen.wait(SHOW_SECONDS)
            stop.set()
            sampler.join()
            if foreign:
                saved = save_failure(self.workdir, f"between-{name}", foreign[0])
                raise Failure(f"switching to {name}: a screendump between the pictures was "
                              f"neither ({foreign[0][0]}x{foreign[0][1]}, saved {saved})")
        self.wait_picture(want, name)
        log(f"{name}: {want[0]}x{want[1]} equals the expected picture"
            + (f"; during the {'modeset' if modeset else 'flip'}, screendumps back to back "
               f"showed the old picture {counts['old']} times, the display off (the driver's "
               f"modeset) {counts['off']}, then the new" if sampler else ""))
        return want

    # -- steps ------------------------------------------------------------------------
    def run(self):
        self.boot()
        self.start_vman()
        lines = self.wait_log("commits")
        want = (self.config["commits"], self.config["scanout"])
        if not any(all(w in line for w in want) for line in lines):
            raise Failure(f"vman does not use {' and '.join(want)}: " + " | ".join(lines))
        log(next(line for line in lines if "commits" in line))

        shown = None
        for name in ("text", "mode13h", "mode12h", "text"):
            shown = self.switch(shown, name)

        self.static_cpu()
        self.vt_switch(shown)
        self.hotplug(shown)

        console = self.stop_and_console()
        self.fullscreen(console)
        log(f"modesets: {len(self.modesets)}, each drawn and set in at most "
            f"{max(self.modesets):.1f} ms (median {sorted(self.modesets)[len(self.modesets) // 2]:.1f})")

    def cpu_ticks(self):
        """vman's CPU time so far, in clock ticks (10 ms): utime + stime of /proc/PID/stat."""
        fields = self.vm.sh(f"cat /proc/{self.pid}/stat")[0].rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # fields 14 and 15, counted from pid's 1

    def static_cpu(self):
        before = self.cpu_ticks()
        time.sleep(STATIC_SECONDS)
        used = self.cpu_ticks() - before
        log(f"static screen: vman used {used} clock ticks ({used * 10} ms) of CPU in "
            f"{STATIC_SECONDS} s")
        if used > STATIC_TICKS_MAX:
            raise Failure(f"vman does not sleep on a static screen: {used} ticks in "
                          f"{STATIC_SECONDS} s")

    def vt_switch(self, shown):
        self.vm.sh("chvt 2")
        self.wait_log("switched away")
        console = self.wait_gone(shown, "after chvt 2")
        log(f"chvt 2: the console shows ({console[0]}x{console[1]})")
        self.vm.sh("chvt 1")
        self.wait_log("shown again")
        self.wait_picture(shown, "after-vt-switch")
        log("chvt 1: the guest's picture is back, no frame sent")

    def hotplug(self, shown):
        status = self.connector + "/status"
        card = "/sys/class/drm/card0/uevent"
        self.vm.sh(f"echo off > {status}; echo change > {card}")
        self.wait_log("is disconnected")
        self.wait_gone(shown, "after the unplug")
        self.vm.sh(f"kill -0 {self.pid}")
        log("unplugged: vman switched the CRTC off and runs on")
        self.vm.sh(f"echo detect > {status}; echo change > {card}")
        self.wait_log("is connected")
        self.wait_picture(shown, "after-replug")
        log("plugged in again: the guest's picture is back")

    def stop_and_console(self):
        self.stop_vman()
        console = self.vm.screendump()
        if console[:2] != self.modes[0]:
            raise Failure(f"after vman stopped the screen is {console[0]}x{console[1]}, not "
                          f"the console's {self.modes[0]}")
        log(f"vman stopped cleanly, the console's {console[0]}x{console[1]} mode is back")
        return console

    def fullscreen(self, console):
        self.start_vman("--fullscreen")
        want = expected_picture(self.frames["mode13h"], self.modes, fill=True)
        self.vm.feed("frame /frames/mode13h.ppm")
        self.wait_picture(want, "fullscreen-13h")
        log(f"--fullscreen: 13h fills {want[0]}x{want[1]} at scale 2, equal to the expected "
            "picture")
        self.stop_vman()


class SkipCase(Exception):
    pass


def missing_tools(case):
    """What the case needs on the host and is not there: programs, and Mesa's files for the
    GBM case."""
    missing = [p for p in ("qemu-system-x86_64", "apt-get", "apt-cache", "dpkg-deb")
               if not shutil.which(p)]
    if CASES[case].get("mesa"):
        missing += [p for p in MESA + (MESA_EGL_VENDOR,) if not os.path.exists(p)]
    return missing


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--case", choices=sorted(CASES), required=True)
    parser.add_argument("--build", required=True)
    parser.add_argument("--source", required=True)
    parser.add_argument("--verbose", action="store_true", help="show the VM's console")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    args = parser.parse_args()
    args.build, args.source = os.path.abspath(args.build), os.path.abspath(args.source)

    missing = missing_tools(args.case)
    if missing:
        print(f"SKIP drm/{args.case}: {', '.join(missing)} not installed")
        return SKIP
    workdir = tempfile.mkdtemp(prefix=f"mvm-drm-{args.case}-")
    case = Case(args, workdir)
    started = time.monotonic()
    status = 1
    try:
        case.run()
        status = 0
    except SkipCase as e:
        print(f"SKIP drm/{args.case}: {e}")
        status = SKIP
    except (Failure, vmlib.VmError) as e:
        print(f"FAIL drm/{args.case}: {e}")
        if case.vm and case.runs:
            try:
                print("vman's log:\n  " + "\n  ".join(case.vman_log()))
            except (vmlib.VmError, OSError):
                pass
    finally:
        if case.vm:
            case.vm.stop()
        print(f"drm/{args.case}: {time.monotonic() - started:.1f} s")
        if status == 0 and not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f"work directory kept: {workdir}")
    return status


if __name__ == "__main__":
    sys.exit(main())
