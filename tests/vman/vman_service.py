#!/usr/bin/env python3
"""vman_service.py: the vman service with mvm's VMs as its clients.

  vman_service.py CASE --mvm MVM --vman VMAN --vvmiwin VVMIWIN.COM --fill FILL.COM

Each case starts its own service (vman --socket in a fresh directory) and runs
VMs against it with MVM_VMAN_SOCKET pointing there, on the IST:
  screenshot  VVMIWIN.COM through the service: the service's --screenshot,
              written when SIGTERM stops it, equals the in-process one
  auto        --display auto: the service when one listens, else headless in
              process (no socket file, or a dead service's); -v says which;
              a relative --screenshot lands where mvm runs; a second service
              on a live socket refuses to start, one on a dead socket starts
  peercred    a client of another uid (setpriv, uid 65534) is refused by
              SO_PEERCRED even where the socket's mode lets it connect
  two-vms     two VMs on one service: the first owns the output, the second's
              VDDs are in the background (it sends no screens), and
              vman --foreground brings either forward
  garbage     malformed clients (short, long, unknown, lying lengths, missing,
              extra or unsealed memfds, too small ones...) are closed, and the
              service keeps serving a VM; an idle connection blocks nobody
  dies        the service killed under a running VM: one clear error line,
              the VM runs on to its --timeout, no hang
Exit status 0 pass, 1 fail, 77 skip.
"""

import argparse
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from run_mvm import SKIP, Failure  # noqa: E402
from pngio import read_png  # noqa: E402

# The VGA DAC's 6-bit 2Ah, as the VGA VDD widens it.
RED, BLUE = bytes.fromhex("A80000"), bytes.fromhex("0000A8")

# wire.h
HELLO, SHARE_HEAP, SCREEN, GHI, FRAME, SCREENSHOT, FOREGROUND = range(1, 8)
REPLY, EVENT = 0x100, 0x101
WIRE_VERSION = 1


def wait_for(what, predicate, seconds=10.0):
    """Polls predicate until it is true; fails after seconds."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise Failure(f"timed out waiting for {what}")


class Service:
    """One vman service on its own socket, its log in a file."""

    started = []  # every one, killed when the case ends however it ends

    def __init__(self, args, tmp, *extra):
        self.vman, self.socket = args.vman, os.path.join(tmp, "vman.sock")
        self.log_path = os.path.join(tmp, f"vman-{len(os.listdir(tmp))}.log")
        self.log_file = open(self.log_path, "w")
        self.proc = subprocess.Popen([self.vman, "--socket", self.socket, *extra],
                                     stdout=self.log_file, stderr=subprocess.STDOUT)
        Service.started.append(self.proc)
        wait_for("the service to listen", lambda: "listening at" in self.log() or
                 self.proc.poll() is not None)
        if self.proc.poll() is not None:
            raise Failure(f"vman exited {self.proc.returncode}:\n{self.log()}")

    def log(self):
        with open(self.log_path) as f:
            return f.read()

    def stop(self):
        """SIGTERM; returns vman's exit status."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=10)
        finally:
            self.log_file.close()

    def kill(self):
        self.proc.kill()
        self.proc.wait()
        self.log_file.close()

    def alive(self):
        return self.proc.poll() is None

    def control(self, *argv):
        return subprocess.run([self.vman, "--socket", self.socket, *argv],
                              capture_output=True, text=True, timeout=20)

    def pixel(self, path, x, y):
        """The pixel at x, y of a snapshot of the output now (None: no frame)."""
        if self.control("--snapshot", path).returncode != 0:
            return None
        width, height, rgb = read_png(path)
        at = (y * width + x) * 3
        return rgb[at:at + 3]


def mvm_argv(args, *extra):
    return [os.path.abspath(args.mvm), "run", "--cpu", "ist", *extra]


def run_mvm(args, cwd, env_socket, *extra, timeout=60):
    env = dict(os.environ)
    if env_socket is None:
        env.pop("MVM_VMAN_SOCKET", None)
    else:
        env["MVM_VMAN_SOCKET"] = env_socket
    return subprocess.run(mvm_argv(args, *extra), cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)


def expect_exit(r, status):
    if r.returncode != status:
        raise Failure(f"{' '.join(r.args)} exited {r.returncode}, not {status}:\n"
                      f"{r.stdout}{r.stderr}")


def same_png(a, b):
    if read_png(a) != read_png(b):
        raise Failure(f"{a} and {b} differ")


def program_dir(tmp, source, *names):
    """tmp/run holding a copy of source under each name."""
    run = os.path.join(tmp, "run")
    os.makedirs(run, exist_ok=True)
    for name in names:
        shutil.copy(source, os.path.join(run, name))
    return run


def case_screenshot(args, tmp):
    run = program_dir(tmp, args.vvmiwin, "VVMIWIN.COM")
    served, local = os.path.join(tmp, "served.png"), os.path.join(tmp, "local.png")
    service = Service(args, tmp, "--screenshot", served)
    r = run_mvm(args, run, service.socket, "--timeout", "20", "--display", "vman",
                "--vdd", "vvmi", "VVMIWIN.COM")
    expect_exit(r, 0)
    status = service.stop()
    if status != 0 or not os.path.exists(served):
        raise Failure(f"vman exited {status} without {served}:\n{service.log()}")
    if os.path.exists(service.socket):
        raise Failure("the stopped service left its socket behind")
    r = run_mvm(args, run, None, "--timeout", "20", "--display", "headless", "--vdd", "vvmi",
                "--screenshot", local, "VVMIWIN.COM")
    expect_exit(r, 0)
    same_png(served, local)
    width, height, _ = read_png(served)
    print(f"VVMIWIN.COM through the service: {width}x{height}, the same as in process")


def case_auto(args, tmp):
    run = program_dir(tmp, args.vvmiwin, "VVMIWIN.COM")
    sock = os.path.join(tmp, "vman.sock")
    argv = ["-v", "--timeout", "20", "--vdd", "vvmi", "VVMIWIN.COM"]

    r = run_mvm(args, run, sock, "--screenshot", "alone.png", *argv)
    expect_exit(r, 0)
    if f"display: headless in this process (no vman service at {sock})" not in r.stderr:
        raise Failure(f"no socket: mvm did not say it runs headless:\n{r.stderr}")
    print("no socket: headless in process")

    service = Service(args, tmp)
    r = run_mvm(args, run, sock, "--screenshot", "served.png", *argv)
    expect_exit(r, 0)
    if f"display: the vman service at {sock}" not in r.stderr:
        raise Failure(f"mvm did not use the service:\n{r.stderr}")
    if not joined(service.log(), "VVMIWIN.COM"):
        raise Failure(f"the service did not see the VM:\n{service.log()}")
    same_png(os.path.join(run, "served.png"), os.path.join(run, "alone.png"))
    print("a service listens: mvm used it; its screenshot (a relative path) is the same")

    second = subprocess.run([args.vman, "--socket", sock], capture_output=True, text=True,
                            timeout=20)
    if second.returncode == 0 or "another vman is listening" not in second.stderr:
        raise Failure(f"a second service on a live socket: exit {second.returncode}:\n"
                      f"{second.stderr}")
    print("a second service on the same socket refuses to start")

    service.kill()
    r = run_mvm(args, run, sock, *argv)
    expect_exit(r, 0)
    if f"display: headless in this process (no vman service at {sock})" not in r.stderr:
        raise Failure(f"dead service: mvm did not fall back:\n{r.stderr}")
    print("a dead service's socket: headless in process")
    service = Service(args, tmp)
    print("a new service replaces the dead one's socket")
    if service.stop() != 0:
        raise Failure(service.log())


def case_peercred(args, tmp):
    if os.geteuid() != 0:
        print("SKIP peercred: needs root to run a client as another user (setpriv)")
        return SKIP
    if not shutil.which("setpriv"):
        print("SKIP peercred: setpriv (util-linux) is not installed")
        return SKIP
    os.chmod(tmp, 0o755)
    run = program_dir(tmp, args.vvmiwin, "VVMIWIN.COM")
    os.chmod(run, 0o755)
    service = Service(args, tmp)
    os.chmod(service.socket, 0o666)  # the socket lets anyone connect: SO_PEERCRED must refuse
    env = dict(os.environ, MVM_VMAN_SOCKET=service.socket)
    r = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                        *mvm_argv(args, "--timeout", "20", "--display", "vman", "--vdd", "vvmi",
                                  "VVMIWIN.COM")],
                       cwd=run, env=env, capture_output=True, text=True, timeout=60)
    if r.returncode == 0 or "refused this VM" not in r.stderr:
        raise Failure(f"uid 65534's VM: exit {r.returncode}:\n{r.stdout}{r.stderr}")
    if "refused a connection from uid 65534" not in service.log():
        raise Failure(f"the service did not log the refusal:\n{service.log()}")
    print(f"uid 65534 refused: {r.stderr.strip().splitlines()[-1]}")
    r = run_mvm(args, run, service.socket, "--timeout", "20", "--display", "vman", "--vdd",
                "vvmi", "VVMIWIN.COM")
    expect_exit(r, 0)
    print("the service's own user still gets in")
    if service.stop() != 0:
        raise Failure(service.log())


def joined(log, name):
    """Whether the service's log says VM name joined."""
    return any(line.startswith(f"vman: {name} (connection ") and line.endswith(") joined")
               for line in log.splitlines())


def background_screens(log, name):
    """What the service said name sent in the background when it came forward."""
    for line in log.splitlines():
        if line.startswith(f"vman: {name} ") and "is in the foreground" in line:
            return int(line.split("(it sent ")[1].split()[0])
    raise Failure(f"the service never brought {name} forward:\n{log}")


def case_two_vms(args, tmp):
    run = program_dir(tmp, args.fill, "RED.COM", "BLUE.COM")
    service = Service(args, tmp)
    snap = os.path.join(tmp, "snap.png")
    env = dict(os.environ, MVM_VMAN_SOCKET=service.socket)
    vms = []
    try:
        for name, colour, seconds in (("RED.COM", "4", "6"), ("BLUE.COM", "1", "8")):
            vms.append(subprocess.Popen(
                mvm_argv(args, "--timeout", seconds, "--display", "vman", name, colour),
                cwd=run, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
            wait_for(f"{name} to join", lambda: joined(service.log(), name))
            if name == "RED.COM":
                wait_for("the output to show RED.COM", lambda: service.pixel(snap, 10, 10) == RED)
        # BLUE.COM set its mode and filled its screen meanwhile; the output stays red.
        time.sleep(1.0)
        got = service.pixel(snap, 10, 10)
        if got != RED:
            raise Failure(f"with BLUE.COM in the background the output shows {got.hex()}")
        print("RED.COM owns the output; BLUE.COM runs in the background")

        r = service.control("--foreground", "BLUE.COM")
        expect_exit(r, 0)
        wait_for("the output to show BLUE.COM", lambda: service.pixel(snap, 10, 10) == BLUE)
        # Its VGA sent nothing in the background: not its first picture, not
        # mode 13h, not the fill.
        sent = background_screens(service.log(), "BLUE.COM")
        if sent > 0:
            raise Failure(f"BLUE.COM sent {sent} screens in the background")
        print(f"vman --foreground BLUE.COM: the output shows it (it sent {sent} screens "
              "in the background)")

        r = service.control("--foreground", "RED.COM")
        expect_exit(r, 0)
        wait_for("the output to show RED.COM again",
                 lambda: service.pixel(snap, 10, 10) == RED)
        print("vman --foreground RED.COM: back")
        r = service.control("--foreground", "NOSUCH.COM")
        if r.returncode != 1 or "no VM of that name" not in r.stderr:
            raise Failure(f"--foreground of an unknown VM: exit {r.returncode}: {r.stderr}")

        for vm in vms:
            out, err = vm.communicate(timeout=60)
            if vm.returncode != 124:
                raise Failure(f"{vm.args} exited {vm.returncode}:\n{out}{err}")
            if vm is vms[0]:
                wait_for("the output to show BLUE.COM once RED.COM left",
                         lambda: service.pixel(snap, 10, 10) == BLUE)
                print("RED.COM ended: BLUE.COM is in the foreground")
    finally:
        for vm in vms:
            if vm.poll() is None:
                vm.kill()
                vm.wait()
    if service.stop() != 0:
        raise Failure(service.log())


def send(sock, kind, payload=b"", fds=()):
    header = struct.pack("=II", kind, len(payload))
    sock.sendmsg([header + payload],
                 [(socket.SOL_SOCKET, socket.SCM_RIGHTS, struct.pack(f"={len(fds)}i", *fds))]
                 if fds else [])


def recv_reply(sock):
    """Skips events; returns the reply's (request, status)."""
    while True:
        data = sock.recv(70000)
        if not data:
            raise Failure("the service closed a connection that did nothing wrong")
        kind, length = struct.unpack_from("=II", data)
        if kind == REPLY:
            return struct.unpack_from("=Ii", data, 8)


def hello(sock, name=b"GARBAGE"):
    send(sock, HELLO, struct.pack("=I64s", WIRE_VERSION, name))
    request, status = recv_reply(sock)
    if (request, status) != (HELLO, 0):
        raise Failure(f"HELLO answered {request}, {status}")


def memfd(size, sealed):
    fd = os.memfd_create("garbage", os.MFD_CLOEXEC | (os.MFD_ALLOW_SEALING if sealed else 0))
    os.ftruncate(fd, size)
    if sealed:
        import fcntl
        fcntl.fcntl(fd, fcntl.F_ADD_SEALS, fcntl.F_SEAL_SHRINK)
    return fd


def garbage_cases():
    """(what, needs HELLO first, what it sends: a function of the socket)."""
    def screen_no_fd(s):
        send(s, SCREEN, struct.pack("=III", 640, 400, 2560))

    def with_memfd(kind, payload, size, sealed=True):
        def attack(s):
            fd = memfd(size, sealed)
            send(s, kind, payload, [fd])
            os.close(fd)
        return attack

    def heap_pipe(s):
        r, w = os.pipe()
        send(s, SHARE_HEAP, struct.pack("=II", 4096, 0), [r])
        os.close(r)
        os.close(w)

    def two_fds(s):
        a, b = memfd(4096, True), memfd(4096, True)
        send(s, SCREEN, struct.pack("=III", 16, 16, 64), [a, b])
        os.close(a)
        os.close(b)

    def never_reads(s):
        # Each command is answered; the answers pile up until the service gives up.
        s.settimeout(10)
        command = struct.pack("=II", GHI, 4) + struct.pack("=HH", 0x7777, 0)
        try:
            for _ in range(500000):
                s.send(command)
        except (BrokenPipeError, ConnectionResetError):
            return
        raise Failure("the service kept answering a client that reads nothing")

    malformed = "a malformed message"
    unmappable = "memfd cannot be mapped"
    return [
        ("three bytes", False, lambda s: s.send(b"\x01\x02\x03"), malformed),
        ("an unknown request", True, lambda s: send(s, 99), "an unknown request"),
        ("a request before HELLO", False, lambda s: send(s, FRAME), "before its HELLO"),
        ("a HELLO of the wrong size", False, lambda s: send(s, HELLO, b"x" * 10),
         "a HELLO of the wrong size"),
        ("a length that lies", False,
         lambda s: s.send(struct.pack("=II", HELLO, 1000) + b"\0" * 68), malformed),
        ("a packet longer than any message", True, lambda s: s.send(os.urandom(70000)),
         malformed),
        ("a second HELLO", True, lambda s: send(s, HELLO, struct.pack("=I64s", 1, b"X")),
         "a second HELLO"),
        ("a SCREEN without pixels", True, screen_no_fd, "pixels are not all in its memfd"),
        ("a heap in an unsealed memfd", True,
         with_memfd(SHARE_HEAP, struct.pack("=II", 65536, 0x3000), 65536, sealed=False),
         unmappable + ": Operation not permitted"),
        ("a heap memfd smaller than it says", True,
         with_memfd(SHARE_HEAP, struct.pack("=II", 65536, 0x3000), 4096),
         unmappable + ": Invalid argument"),
        ("a pipe for a heap", True, heap_pipe, unmappable + ": Operation not permitted"),
        ("a 4096x4096 screen in 4 KiB", True,
         with_memfd(SCREEN, struct.pack("=III", 4096, 4096, 16384), 4096),
         "pixels are not all in its memfd"),
        ("a descriptor with a GHI", True, with_memfd(GHI, struct.pack("=HH", 1, 0), 4096),
         "a descriptor where none belongs"),
        ("two descriptors", True, two_fds, malformed),
        ("a relative screenshot path", True, lambda s: send(s, SCREENSHOT, b"x.png"),
         "not absolute"),
        ("a FRAME with a payload", True, lambda s: send(s, FRAME, b"1234"),
         "a FRAME with a payload"),
        ("commands, never reading the answers", True, never_reads,
         "it does not read what the service sends"),
    ]


def closed_lines(log):
    return [line for line in log.splitlines() if " closed: " in line]


def expect_closed(sock, what):
    sock.settimeout(10)
    try:
        while sock.recv(70000):
            pass
    except ConnectionResetError:
        pass
    except socket.timeout:
        raise Failure(f"the service kept a client that sent {what}")


def case_garbage(args, tmp):
    run = program_dir(tmp, args.vvmiwin, "VVMIWIN.COM")
    served = os.path.join(tmp, "served.png")
    service = Service(args, tmp, "--screenshot", served)
    idle = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    idle.connect(service.socket)  # connected, says nothing, reads nothing
    for what, needs_hello, attack, reason in garbage_cases():
        closed = closed_lines(service.log())
        s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        s.connect(service.socket)
        if needs_hello:
            hello(s)
        attack(s)
        expect_closed(s, what)
        s.close()
        if not service.alive():
            raise Failure(f"the service died of {what}:\n{service.log()}")
        wait_for("the service to log why", lambda: len(closed_lines(service.log())) > len(closed))
        said = closed_lines(service.log())[-1]
        if reason not in said:
            raise Failure(f"{what}: the service closed it, but said '{said}', not '{reason}'")
        print(f"closed: {what} ({said})")

    # A GHI command the guest got wrong is the guest's error, not the client's.
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.connect(service.socket)
    hello(s, b"SANE")
    send(s, GHI, struct.pack("=HH", 0x7777, 0) + os.urandom(64))
    request, status = recv_reply(s)
    if request != GHI or status <= 0:
        raise Failure(f"an unknown GHI opcode answered {request}, {status}")
    print(f"kept: a GHI command libvman refuses (VVMI error {status})")
    s.close()

    r = run_mvm(args, run, service.socket, "--timeout", "20", "--display", "vman", "--vdd",
                "vvmi", "VVMIWIN.COM")
    expect_exit(r, 0)
    idle.close()
    if service.stop() != 0:
        raise Failure(service.log())
    local = os.path.join(tmp, "local.png")
    r = run_mvm(args, run, None, "--timeout", "20", "--display", "headless", "--vdd", "vvmi",
                "--screenshot", local, "VVMIWIN.COM")
    expect_exit(r, 0)
    same_png(served, local)
    print("then VVMIWIN.COM ran through the service as it does in process")


def case_dies(args, tmp):
    run = program_dir(tmp, args.fill, "CYCLE.COM")
    service = Service(args, tmp)
    snap = os.path.join(tmp, "snap.png")
    env = dict(os.environ, MVM_VMAN_SOCKET=service.socket)
    # The screen changes at every timer tick: the VGA sends it all the time.
    vm = subprocess.Popen(mvm_argv(args, "--timeout", "4", "--display", "vman", "CYCLE.COM",
                                   "*"),
                          cwd=run, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True)
    try:
        wait_for("CYCLE.COM to join", lambda: joined(service.log(), "CYCLE.COM"))
        wait_for("a frame", lambda: service.pixel(snap, 10, 10) is not None)
        service.kill()
        out, err = vm.communicate(timeout=60)
    finally:
        if vm.poll() is None:
            vm.kill()
            vm.wait()
    if vm.returncode != 124:
        raise Failure(f"CYCLE.COM exited {vm.returncode}, not 124 (its --timeout):\n{out}{err}")
    gone = [line for line in err.splitlines() if "the vman service at" in line]
    if len(gone) != 1 or "the VM's display shows nothing more" not in gone[0]:
        raise Failure(f"not one clear line about the service:\n{err}")
    print(f"the VM ran to its timeout; mvm said once: {gone[0]}")
    others = [line for line in err.splitlines() if line not in gone and "timeout" not in line]
    if len(others) > 1:
        raise Failure(f"more than one other error line after the service went:\n{err}")
    for line in others:
        print(f"and: {line}")


CASES = {
    "screenshot": case_screenshot,
    "auto": case_auto,
    "peercred": case_peercred,
    "two-vms": case_two_vms,
    "garbage": case_garbage,
    "dies": case_dies,
}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("case", choices=sorted(CASES))
    p.add_argument("--mvm", required=True)
    p.add_argument("--vman", required=True)
    p.add_argument("--vvmiwin", required=True)
    p.add_argument("--fill", required=True)
    args = p.parse_args()
    args.vman = os.path.abspath(args.vman)
    for name in ("vvmiwin", "fill"):
        setattr(args, name, os.path.abspath(getattr(args, name)))
    with tempfile.TemporaryDirectory(prefix="mvm-vman-") as tmp:
        try:
            return CASES[args.case](args, tmp) or 0
        except Failure as e:
            print(f"FAIL {args.case}: {e}")
            return 1
        finally:
            for proc in Service.started:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()


if __name__ == "__main__":
    sys.exit(main())
