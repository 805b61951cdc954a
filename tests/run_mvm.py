#!/usr/bin/env python3
"""run_mvm.py: runs mvm as a user would and checks what it did.

  run_mvm.py guest --mvm MVM --cpu kvm --asm TEST.asm --bin TEST.bin
      Boots TEST.bin with --no-bios and checks the expectations written at
      the top of TEST.asm (see tests/guest/README.md).
  run_mvm.py cli --mvm MVM --case NAME --guest-dir DIR
      Runs one command-line case (CASES below).
  run_mvm.py list-cli
      Prints the names of the command-line cases.

Exit status 0 pass, 1 fail, 77 skip (meson's convention); a skip prints
"SKIP <what>: <why>".
"""

import argparse
import errno
import fcntl
import os
import re
import resource
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

SKIP = 77
KVM_GET_API_VERSION = 0xAE00
KVM_API_VERSION = 12


class Failure(Exception):
    pass


class Skip(Exception):
    pass


def kvm_unusable_reason():
    """Why /dev/kvm cannot be used, or None when it can (mvm's own test)."""
    try:
        fd = os.open("/dev/kvm", os.O_RDWR | os.O_CLOEXEC)
    except OSError as e:
        if e.errno == errno.ENOENT:
            return "/dev/kvm absent"
        return "/dev/kvm not usable: " + e.strerror
    try:
        version = fcntl.ioctl(fd, KVM_GET_API_VERSION)
    except OSError as e:
        version = f"none ({e.strerror})"
    finally:
        os.close(fd)
    if version != KVM_API_VERSION:
        return f"/dev/kvm does not speak the KVM API (version {version})"
    return None


def require_cpu(cpu):
    """The IST runs anywhere; KVM needs a usable /dev/kvm."""
    if cpu == "kvm":
        reason = kvm_unusable_reason()
        if reason:
            raise Skip("kvm: " + reason)


class Run:
    """One finished mvm process."""

    def __init__(self, argv, status, stdout, stderr, cpu_seconds, wall_seconds):
        self.argv, self.status = argv, status
        self.stdout, self.stderr = stdout, stderr
        self.cpu_seconds, self.wall_seconds = cpu_seconds, wall_seconds

    def describe(self):
        return (f"command: {shlex.join(self.argv)}\nexit status: {self.status}\n"
                f"--- stdout ---\n{self.stdout}--- stderr ---\n{self.stderr}--- end ---")


def run(argv, timeout=60, env=None, preexec=None):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    try:
        p = subprocess.run(argv, capture_output=True, text=True, errors="replace",
                           timeout=timeout, env=env, preexec_fn=preexec)
    except subprocess.TimeoutExpired:
        raise Failure(f"no answer within {timeout} s: {shlex.join(argv)}")
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(argv, p.returncode, p.stdout, p.stderr, cpu, wall)


def expect(cond, what, result):
    if not cond:
        raise Failure(f"{what}\n{result.describe()}")


def expect_status(result, status):
    expect(result.status == status, f"expected exit status {status}", result)


def expect_stderr(result, pattern):
    expect(re.search(pattern, result.stderr, re.M),
           f"stderr should match /{pattern}/", result)


# ---- guest programs -------------------------------------------------------

def parse_expectations(asm_path):
    """The '; key: value' lines at the top of a test program."""
    spec = {"args": [], "exit": 0, "debugcon": [], "stderr": [], "stderr_count": [],
            "stderr_empty": False, "max_cpu": None, "timeout": 60, "test": ""}
    with open(asm_path) as f:
        for line in f:
            if not line.startswith(";"):
                break
            m = re.match(r";\s*([a-z-]+)(?::\s?(.*))?$", line.rstrip("\n"))
            if not m:
                continue
            key, value = m.group(1), m.group(2) or ""
            if key == "args":
                spec["args"] += shlex.split(value)
            elif key == "exit":
                spec["exit"] = int(value)
            elif key == "debugcon":
                spec["debugcon"].append(value)
            elif key == "stderr":
                spec["stderr"].append(value)
            elif key == "stderr-count":
                pattern, count = value.rsplit(" ", 1)
                spec["stderr_count"].append((pattern, int(count)))
            elif key == "stderr-empty":
                spec["stderr_empty"] = True
            elif key == "max-cpu":
                spec["max_cpu"] = float(value)
            elif key == "timeout":
                spec["timeout"] = float(value)
            elif key == "test":
                spec["test"] = value
    return spec


def run_guest(args):
    spec = parse_expectations(args.asm)
    require_cpu(args.cpu)
    with tempfile.TemporaryDirectory() as tmp:
        debugcon = os.path.join(tmp, "debugcon.txt")
        argv = [args.mvm, "boot", "--no-bios", "--cpu", args.cpu, "--debugcon", debugcon]
        argv += spec["args"] + [args.bin]
        result = run(argv, timeout=spec["timeout"])
        with open(debugcon, errors="replace") as f:
            output = f.read()
    print(f"test: {spec['test']}")
    print(f"exit {result.status}, {result.wall_seconds:.3f} s wall, "
          f"{result.cpu_seconds:.3f} s CPU")
    expect_status(result, spec["exit"])
    want = "".join(line + "\n" for line in spec["debugcon"])
    expect(output == want, f"debugcon output differs\n--- expected ---\n{want}"
           f"--- got ---\n{output}", result)
    for pattern in spec["stderr"]:
        expect_stderr(result, pattern)
    for pattern, count in spec["stderr_count"]:
        seen = len(re.findall(pattern, result.stderr, re.M))
        expect(seen == count, f"stderr should match /{pattern}/ {count} times, not {seen}",
               result)
    if spec["stderr_empty"]:
        expect(result.stderr == "", "stderr should be empty", result)
    if spec["max_cpu"] is not None:
        expect(result.cpu_seconds <= spec["max_cpu"],
               f"used {result.cpu_seconds:.3f} s of CPU, more than {spec['max_cpu']} s "
               f"(in {result.wall_seconds:.3f} s wall): idle is not idle", result)


# ---- command-line cases ---------------------------------------------------

class Context:
    def __init__(self, args, tmp):
        self.mvm, self.guest_dir, self.tmp = args.mvm, args.guest_dir, tmp

    def image(self, name, data):
        path = os.path.join(self.tmp, name)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def exit_image(self, status=0):
        """mov al, status; hlt; db 2, 0xfd: SVC 2 exit."""
        return self.image(f"exit{status}.bin", bytes([0xB0, status, 0xF4, 0x02, 0xFD]))

    def guest(self, name):
        return os.path.join(self.guest_dir, name + ".bin")

    def mvm_run(self, *argv, **kw):
        return run([self.mvm] + list(argv), **kw)


def require_root_tool(tool):
    if os.geteuid() != 0:
        raise Skip(f"{tool}: needs root to change the test's view of /dev/kvm")
    if not shutil.which(tool):
        raise Skip(f"{tool}: not installed")


CASES = {}


def case(fn):
    CASES[fn.__name__] = fn
    return fn


@case
def help_main(c):
    r = c.mvm_run("--help")
    expect_status(r, 0)
    expect(r.stdout.startswith("Usage: mvm") and "boot" in r.stdout, "main help", r)


@case
def help_boot(c):
    r = c.mvm_run("boot", "--help")
    expect_status(r, 0)
    for word in ("--no-bios", "--debugcon", "--vdd", "--memory", "--floppy", "--hda",
                 "--screenshot", "--keys", "--readonly", "--serial", "Exit status"):
        expect(word in r.stdout, f"boot help mentions {word}", r)


@case
def version(c):
    r = c.mvm_run("--version")
    expect_status(r, 0)
    expect(re.match(r"mvm \d+\.\d+\.\d+ \(VDH API \d+\)", r.stdout), "version line", r)


@case
def no_command(c):
    r = c.mvm_run()
    expect_status(r, 2)
    expect_stderr(r, r"^mvm: no command given\nTry 'mvm --help'")


@case
def unknown_command(c):
    r = c.mvm_run("frobnicate")
    expect_status(r, 2)
    expect_stderr(r, r"unknown command 'frobnicate'")


@case
def unknown_flag(c):
    r = c.mvm_run("boot", "--no-bios", "--frobnicate", c.exit_image())
    expect_status(r, 2)
    expect_stderr(r, r"^mvm: unknown option '--frobnicate'\nTry 'mvm boot --help'")


@case
def flag_without_value(c):
    r = c.mvm_run("boot", "--no-bios", "--memory")
    expect_status(r, 2)
    expect_stderr(r, r"option '--memory' needs a value")


@case
def bad_memory_size(c):
    for value in ("0", "3073", "12x"):
        r = c.mvm_run("boot", "--no-bios", "--memory", value, c.exit_image())
        expect_status(r, 2)
        expect_stderr(r, rf"--memory: '{value}' is not a size in MiB from 1 to 3072")


@case
def bad_cpu(c):
    r = c.mvm_run("boot", "--no-bios", "--cpu", "z80", c.exit_image())
    expect_status(r, 2)
    expect_stderr(r, r"--cpu: 'z80' is not a CPU backend")


@case
def no_image(c):
    r = c.mvm_run("boot", "--no-bios")
    expect_status(r, 2)
    expect_stderr(r, r"no FILE given")
    r = c.mvm_run("boot")
    expect_status(r, 2)
    expect_stderr(r, r"no image given \(IMAGE, --floppy IMAGE or --hda IMAGE\)")


@case
def firmware_bad_images(c):
    """Images a firmware boot refuses before building the VM, with the reason."""
    r = c.mvm_run("boot", "--floppy", c.image("odd.img", bytes(1474561)))
    expect_status(r, 1)
    expect_stderr(r, r"the floppy image '.*odd.img' is 1474561 bytes; a floppy image is 160K")
    r = c.mvm_run("boot", c.image("empty.img", b""))
    expect_status(r, 1)
    expect_stderr(r, r"the image '.*empty.img' is empty")
    r = c.mvm_run("boot", "--hda", c.image("tiny.img", bytes(100)))
    expect_status(r, 1)
    expect_stderr(r, r"is 100 bytes, less than one sector")
    r = c.mvm_run("boot", "--hda", c.tmp)
    expect_status(r, 1)
    expect_stderr(r, r"the image '.*' is a directory, not a file")
    r = c.mvm_run("boot", "--hda", os.path.join(c.tmp, "absent.img"))
    expect_status(r, 1)
    expect_stderr(r, r"cannot open the image '.*absent.img': No such file or directory")
    r = c.mvm_run("boot", "--floppy", c.image("a.img", bytes(368640)), c.image("b.img", bytes(512)))
    expect_status(r, 2)
    expect_stderr(r, r"give IMAGE or --floppy/--hda, not both")


@case
def firmware_bad_bios(c):
    """A missing or malformed BIOS or VGA BIOS is an error naming the file."""
    floppy = c.image("f.img", bytes(368640))
    r = c.mvm_run("boot", "--vgabios", os.path.join(c.tmp, "nope.bin"), floppy)
    expect_status(r, 1)
    expect_stderr(r, r"cannot open the VGA BIOS '.*nope.bin': No such file or directory")
    r = c.mvm_run("boot", "--vgabios", c.image("notrom.bin", bytes(4096)), floppy)
    expect_status(r, 1)
    expect_stderr(r, r"is not an option ROM")
    r = c.mvm_run("boot", "--bios", os.path.join(c.tmp, "nobios.bin"), floppy)
    expect_status(r, 1)
    expect_stderr(r, r"cannot open the BIOS '.*nobios.bin': No such file or directory")
    r = c.mvm_run("boot", "--bios", c.image("small.bin", bytes(65536)), floppy)
    expect_status(r, 1)
    expect_stderr(r, r"is 65536 bytes: a BIOS image is a multiple of 64 KiB from 128 KiB")
    r = c.mvm_run("boot", "--no-bios", "--floppy", floppy, c.exit_image())
    expect_status(r, 2)
    expect_stderr(r, r"--no-bios runs a flat FILE without the PC's devices")


@case
def missing_file(c):
    missing = os.path.join(c.tmp, "nonexistent.bin")
    r = c.mvm_run("boot", "--no-bios", missing)
    expect_status(r, 1)
    expect_stderr(r, rf"^mvm: cannot open '{re.escape(missing)}': No such file or directory$")


@case
def file_too_large(c):
    # 0000:7C00 up to A000:0000 holds 0x98400 = 623616 bytes.
    r = c.mvm_run("boot", "--no-bios", c.image("big.bin", bytes(623617)))
    expect_status(r, 1)
    expect_stderr(r, r"is too large: 623617 bytes; at most 623616 bytes fit")


@case
def file_at_size_limit_runs(c):
    require_cpu("kvm")
    image = bytes([0xB0, 7, 0xF4, 0x02, 0xFD]) + bytes(623616 - 5)
    r = c.mvm_run("boot", "--no-bios", c.image("fits.bin", image))
    expect_status(r, 7)


@case
def empty_file(c):
    r = c.mvm_run("boot", "--no-bios", c.image("empty.bin", b""))
    expect_status(r, 1)
    expect_stderr(r, r"is empty")


@case
def directory_as_file(c):
    r = c.mvm_run("boot", "--no-bios", c.tmp)
    expect_status(r, 1)
    expect_stderr(r, r"is a directory")


@case
def kvm_absent(c):
    """/dev/kvm missing: a private mount namespace with an empty /dev."""
    require_root_tool("unshare")
    image = c.exit_image()
    r = run(["unshare", "--mount", "--propagation", "private", "sh", "-c",
             'mount -t tmpfs none /dev && exec "$0" boot --no-bios --cpu kvm "$1"', c.mvm, image])
    if r.status != 1 and "mount" in r.stderr:
        raise Skip(f"unshare: cannot mount in a private namespace here: {r.stderr.strip()}")
    expect_status(r, 1)
    expect_stderr(r, r"^mvm: KVM is not available: /dev/kvm does not exist")


@case
def auto_without_kvm_uses_ist(c):
    """--cpu auto where /dev/kvm is missing: the IST runs the guest, and -v says why."""
    require_root_tool("unshare")
    image = c.exit_image(5)
    r = run(["unshare", "--mount", "--propagation", "private", "sh", "-c",
             'mount -t tmpfs none /dev && exec "$0" -v boot --no-bios "$1"', c.mvm, image])
    if r.status != 5 and "mount" in r.stderr:
        raise Skip(f"unshare: cannot mount in a private namespace here: {r.stderr.strip()}")
    expect_status(r, 5)
    expect_stderr(r, r"^mvm: CPU backend: ist \(auto: ")


@case
def kvm_no_permission(c):
    """/dev/kvm not usable: mvm run as an unprivileged user."""
    require_root_tool("setpriv")
    if not os.path.exists("/dev/kvm"):
        raise Skip("kvm: /dev/kvm absent")
    if os.stat("/dev/kvm").st_mode & 0o006:
        raise Skip("kvm: /dev/kvm is open to every user here")
    image = c.exit_image()
    os.chmod(c.tmp, 0o755)
    os.chmod(image, 0o644)
    r = run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", c.mvm, "boot",
             "--no-bios", "--cpu", "kvm", image])
    expect_status(r, 1)
    expect_stderr(r, r"^mvm: KVM is not usable: no permission to open /dev/kvm")


@case
def vdd_unknown(c):
    r = c.mvm_run("boot", "--no-bios", "--vdd", "nosuchvdd", c.exit_image())
    expect_status(r, 1)
    expect_stderr(r, r"no VDD named 'nosuchvdd' \(looked for nosuchvdd\.so in: .*\)")


@case
def vdd_wrong_api_version(c):
    r = c.mvm_run("boot", "--no-bios", "--vdd", "bad_version", c.exit_image())
    expect_status(r, 1)
    expect_stderr(r, r"^mvm: /\S*/bad_version\.so: built for VDH API version \d+, "
                     r"this mvm provides version \d+")


@case
def vdd_missing_entry_symbol(c):
    r = c.mvm_run("boot", "--no-bios", "--vdd", "bad_noentry", c.exit_image())
    expect_status(r, 1)
    expect_stderr(r, r"^mvm: /\S*/bad_noentry\.so: missing entry point: no 'vdd_module'")


@case
def vdd_missing_create(c):
    r = c.mvm_run("boot", "--no-bios", "--vdd", "bad_nocreate", c.exit_image())
    expect_status(r, 1)
    expect_stderr(r, r"^mvm: /\S*/bad_nocreate\.so: missing entry point: create\(\)")


def clash(c, what, message):
    """The clashing VDD comes after testvdd, which must be undone again."""
    marker = os.path.join(c.tmp, "testvdd-created")
    r = c.mvm_run("boot", "--no-bios", "--vdd", f"testvdd:marker={marker}", "--vdd",
                  f"bad_clash:what={what}", c.exit_image())
    expect_status(r, 1)
    expect_stderr(r, r"^mvm: /\S*/bad_clash\.so: refused: " + message)
    expect(not os.path.exists(marker),
           "testvdd was created but not terminated: the VM was left half configured", r)


@case
def vdd_port_clash(c):
    clash(c, "port", r"ports 0x0020-0x0021: port 0x0020 already taken by vpic \(/\S*/vpic\.so\)")


@case
def vdd_irq_clash(c):
    clash(c, "irq", r"IRQ 0 already taken by vpit$")


@case
def vdd_intc_clash(c):
    clash(c, "intc", r"the interrupt controller is already vpic$")


@case
def vdd_ignored_error_still_refused(c):
    clash(c, "ignored", r"ports 0x0040-0x0043: port 0x0040 already taken by vpit")


@case
def vdd_created_and_terminated(c):
    require_cpu("kvm")
    marker = os.path.join(c.tmp, "testvdd-created")
    r = c.mvm_run("boot", "--no-bios", "--vdd", f"testvdd:marker={marker}", c.exit_image())
    expect_status(r, 0)
    expect(not os.path.exists(marker), "terminate() did not run at the end", r)


@case
def vdd_unknown_property(c):
    r = c.mvm_run("boot", "--no-bios", "--vdd", "debugcon:colour=red", c.exit_image())
    expect_status(r, 1)
    expect_stderr(r, r"debugcon has no property 'colour' \(it has: output, port\)")


@case
def vdd_property_out_of_range(c):
    r = c.mvm_run("boot", "--no-bios", "--vdd", "testvdd:irq=99", c.exit_image())
    expect_status(r, 1)
    expect_stderr(r, r"testvdd: property 'irq' wants an integer from 0 to 15, not '99'")


@case
def vdd_given_twice(c):
    vpic = os.path.join(os.path.dirname(os.path.dirname(c.mvm)), "vdd", "vpic.so")
    r = c.mvm_run("boot", "--no-bios", "--vdd", vpic, c.exit_image())
    expect_status(r, 1)
    expect_stderr(r, r"VDD 'vpic' is given twice")


@case
def vdd_listing(c):
    r = c.mvm_run("vdds")
    expect_status(r, 0)
    for name in ("vpic", "vpit", "debugcon", "testvdd"):
        expect(re.search(rf"^{name}\s", r.stdout, re.M), f"'mvm vdds' lists {name}", r)
    expect("output=<string> (default 'stdio')" in r.stdout, "debugcon's property", r)
    expect(re.search(r"bad_version\.so\n\s+not loadable: .*API version", r.stdout),
           "a broken VDD is listed as not loadable", r)


@case
def debugcon_to_stdout(c):
    require_cpu("kvm")
    r = c.mvm_run("boot", "--no-bios", "--debugcon", "stdio", c.guest("hello"))
    expect_status(r, 0)
    expect(r.stdout == "Hello from the guest\n", "debugcon on stdout", r)


@case
def debugcon_unwritable(c):
    r = c.mvm_run("boot", "--no-bios", "--debugcon", "/nonexistent/dir/out.txt",
                  c.exit_image())
    expect_status(r, 1)
    expect_stderr(r, r"debugcon: cannot open '/nonexistent/dir/out.txt': No such file")


@case
def interrupt_stops_cleanly(c):
    """SIGINT stops an idling guest, flushes debugcon, exits 130."""
    require_cpu("kvm")
    out = os.path.join(c.tmp, "debugcon.txt")
    p = subprocess.Popen([c.mvm, "boot", "--no-bios", "--debugcon", out, c.guest("idle_forever")],
                         stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if os.path.exists(out) and os.path.getsize(out) > 0:
            break
        time.sleep(0.05)
    p.send_signal(2)
    try:
        _, err = p.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        p.kill()
        raise Failure("mvm did not stop on SIGINT")
    r = Run(p.args, p.returncode, "", err, 0, 0)
    expect_status(r, 130)
    expect_stderr(r, r"^mvm: stopped at 0000:7c\w\w \(Interrupt\)")
    with open(out) as f:
        expect(f.read() == "idling\n", "debugcon flushed", r)


# ---- mvm run: DOS programs ---------------------------------------------------

def dos_program(c, name, source):
    """Assembles a .COM (org 100h) into the test's directory."""
    asm = os.path.join(c.tmp, name + ".asm")
    out = os.path.join(c.tmp, name)
    with open(asm, "w") as f:
        f.write("org 100h\n" + source)
    subprocess.run(["nasm", "-f", "bin", asm, "-o", out], check=True)
    os.unlink(asm)
    return out


ASK_SOURCE = """
    mov ah, 9
    mov dx, q
    int 21h
    mov ah, 1
    int 21h
    mov ah, 4Ch
    cmp al, 'y'
    mov al, 0
    jne .no
    mov al, 1
.no:
    int 21h
q: db 'Continue? $'
"""


@case
def run_help(c):
    """mvm run --help names the options and says there is no shell."""
    r = c.mvm_run("run", "--help")
    expect_status(r, 0)
    for word in ("--drive", "--console", "--keys", "--screenshot", "--dos-version", ":ro",
                 ".BAT", "Exit status"):
        expect(word in r.stdout, f"run help mentions {word}", r)


@case
def run_no_program(c):
    r = c.mvm_run("run")
    expect_status(r, 2)
    expect_stderr(r, r"^mvm: no program given\nTry 'mvm run --help'")


@case
def run_bad_drive(c):
    r = c.mvm_run("run", "--drive", "C=/nonexistent/dir", "X.COM")
    expect_status(r, 1)
    expect_stderr(r, r"'/nonexistent/dir' is not a directory")
    r = c.mvm_run("run", "--drive", "CC=/tmp", "X.COM")
    expect_status(r, 2)
    expect_stderr(r, r"--drive: 'CC=/tmp' is not LETTER=DIRECTORY")


@case
def run_missing_program(c):
    """A DOS path that names nothing: DOS's error, mvm's status 1."""
    r = c.mvm_run("run", "--cpu", "ist", "--drive", f"C={c.tmp}", "NOPE.COM")
    expect_status(r, 1)
    expect_stderr(r, r"cannot run 'NOPE.COM': file not found \(DOS error 2\)")


@case
def run_program_outside_drives(c):
    prog = dos_program(c, "HELLO.COM", "mov ax, 4C00h\nint 21h\n")
    other = os.path.join(c.tmp, "other")
    os.mkdir(other)
    r = c.mvm_run("run", "--cpu", "ist", "--drive", f"C={other}", prog)
    expect_status(r, 1)
    expect_stderr(r, r"is not inside a drive of the VM")


@case
def run_exit_status_and_stdout(c):
    """The program's output reaches stdout byte for byte; its code is mvm's status."""
    prog = dos_program(c, "HELLO.COM", """
    mov ah, 9
    mov dx, msg
    int 21h
    mov ax, 4C2Ah
    int 21h
msg: db 'Hello, DOS', 13, 10, 9, 'tab', 13, 10, '$'
""")
    p = subprocess.run([c.mvm, "run", "--cpu", "ist", "--console", "stdio", prog],
                       capture_output=True, timeout=60)
    r = Run(p.args, p.returncode, repr(p.stdout) + "\n", p.stderr.decode(), 0, 0)
    expect_status(r, 42)
    expect(p.stdout == b"Hello, DOS\r\n\ttab\r\n", "stdout as DOS wrote it", r)


@case
def run_stdin_answers(c):
    """echo y | mvm run ASK.COM: a host pipe is the keyboard."""
    prog = dos_program(c, "ASK.COM", ASK_SOURCE)
    for answer, status in (("y\n", 1), ("n\n", 0), ("", 0)):
        p = subprocess.run([c.mvm, "run", "--cpu", "ist", "--console", "stdio", prog],
                           input=answer, capture_output=True, text=True, timeout=60)
        r = Run(p.args, p.returncode, p.stdout, p.stderr, 0, 0)
        expect_status(r, status)
        echoed = answer[:1] if answer else "\x1a"
        expect(r.stdout == "Continue? " + echoed, f"prompt and echo of {answer!r}", r)


@case
def run_keys_from_keyboard(c):
    """With a terminal as stdin, keys come from the keyboard device (--keys)."""
    prog = dos_program(c, "ASK.COM", ASK_SOURCE)
    script = shutil.which("script")
    if not script:
        raise Skip("script: not installed (util-linux), needed for a terminal")
    cmd = shlex.join([c.mvm, "run", "--cpu", "ist", "--console", "screen", "--keys", "y", prog])
    r = run([script, "-qec", cmd, "/dev/null"])
    expect_status(r, 1)


@case
def run_readonly_drive(c):
    """A :ro drive refuses creation with access denied (5)."""
    prog = dos_program(c, "MAKE.COM", """
    mov ah, 3Ch
    xor cx, cx
    mov dx, name
    int 21h
    jc .err
    mov al, 0
.err:
    mov ah, 4Ch
    int 21h
name: db 'NEW.TXT', 0
""")
    r = c.mvm_run("run", "--cpu", "ist", "--drive", f"C={c.tmp}:ro", "C:\\MAKE.COM")
    expect_status(r, 5)
    expect(not os.path.exists(os.path.join(c.tmp, "NEW.TXT")), "no file created", r)
    r = c.mvm_run("run", "--cpu", "ist", "--drive", f"C={c.tmp}", "C:\\MAKE.COM")
    expect_status(r, 0)
    expect(os.path.exists(os.path.join(c.tmp, "NEW.TXT")), "file created", r)


@case
def run_signal_closes_files(c):
    """SIGTERM while a program holds a file open: what it wrote is in the file."""
    prog = dos_program(c, "HOLD.COM", """
    mov ah, 3Ch
    xor cx, cx
    mov dx, name
    int 21h
    mov bx, ax
    mov ah, 40h
    mov cx, 5
    mov dx, data
    int 21h
    mov ah, 9
    mov dx, ready
    int 21h
.forever:
    sti
    hlt
    jmp .forever
name: db 'HELD.TXT', 0
data: db 'saved'
ready: db 'ready$'
""")
    p = subprocess.Popen([c.mvm, "run", "--cpu", "ist", "--console", "stdio", prog],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    got = p.stdout.read(5)
    p.send_signal(15)
    try:
        _, err = p.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        p.kill()
        raise Failure("mvm did not stop on SIGTERM")
    r = Run(p.args, p.returncode, got.decode(), err.decode(), 0, 0)
    expect(got == b"ready", "the program ran up to its wait", r)
    expect_status(r, 143)
    with open(os.path.join(c.tmp, "HELD.TXT"), "rb") as f:
        expect(f.read() == b"saved", "the written bytes reached the host file", r)


def run_cli(args):
    fn = CASES.get(args.case)
    if not fn:
        raise Failure(f"no case named {args.case}")
    print(f"test: {(fn.__doc__ or fn.__name__).strip()}")
    with tempfile.TemporaryDirectory() as tmp:
        fn(Context(args, tmp))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="mode", required=True)
    g = sub.add_parser("guest")
    g.add_argument("--mvm", required=True)
    g.add_argument("--cpu", required=True)
    g.add_argument("--asm", required=True)
    g.add_argument("--bin", required=True)
    c = sub.add_parser("cli")
    c.add_argument("--mvm", required=True)
    c.add_argument("--case", required=True)
    c.add_argument("--guest-dir", required=True)
    sub.add_parser("list-cli")
    args = parser.parse_args()
    try:
        if args.mode == "guest":
            run_guest(args)
        elif args.mode == "cli":
            run_cli(args)
        else:
            print("\n".join(CASES))
            return 0
    except Skip as s:
        print(f"SKIP {s}")
        return SKIP
    except Failure as f:
        print(f"FAIL {f}")
        return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
