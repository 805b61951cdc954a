"""vm.py: tests/drm's QEMU VM: boots Debian's kernel with an initramfs under TCG and drives it.

The VM's first serial port is a shell (init.sh) that Vm.sh runs commands in; its second is
the stand-in VM drm_feed's command line (Vm.feed); QMP takes screendumps (Vm.screendump).
"""

import collections
import json
import os
import queue
import socket
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from pngio import PpmError, read_ppm  # noqa: E402

READY_SECONDS = 120.0


class VmError(Exception):
    """The VM did not do what it was asked in time."""


class Vm:
    def __init__(self, workdir, kernel, initrd, display_args, memory_mib=512, log=None):
        self.workdir = workdir
        self.log = log or (lambda line: None)
        self.qmp_path = os.path.join(workdir, "qmp.sock")
        self.feed_path = os.path.join(workdir, "feed.sock")
        self.lines = queue.Queue()
        self.tail = collections.deque(maxlen=20)  # the console's last lines, for errors
        args = ["qemu-system-x86_64", "-accel", "tcg", "-m", str(memory_mib), "-smp", "2",
                "-nodefaults", "-no-user-config", "-no-reboot", "-display", "none",
                *display_args,
                "-kernel", kernel, "-initrd", initrd,
                "-append", "console=ttyS0 quiet loglevel=3 panic=-1 tsc=reliable",
                "-chardev", "stdio,id=console,signal=off", "-serial", "chardev:console",
                "-chardev", f"socket,id=feed,path={self.feed_path},server=on,wait=off",
                "-serial", "chardev:feed",
                "-qmp", f"unix:{self.qmp_path},server=on,wait=off"]
        self.proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, cwd=workdir)
        threading.Thread(target=self._read_console, daemon=True).start()
        self.qmp = None
        self.feed_sock = None
        self.feed_buffer = b""

    def _read_console(self):
        for raw in self.proc.stdout:
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            self.log(line)
            self.tail.append(line)
            self.lines.put(line)
        self.lines.put(None)

    def _next_line(self, deadline, what):
        try:
            line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise VmError(f"timed out waiting for {what}") from None
        if line is None:
            raise VmError(f"QEMU ended (status {self.proc.wait()}) while waiting for {what}: "
                          + " | ".join(self.tail))
        return line

    def wait_ready(self):
        """Waits for init.sh's @@ready: the seconds the guest kernel took to get there."""
        deadline = time.monotonic() + READY_SECONDS
        while True:
            line = self._next_line(deadline, "the VM to boot")
            if line.startswith("@@insmod"):
                raise VmError(line[2:])
            if line.startswith("@@ready"):
                break
        self.qmp = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.qmp.connect(self.qmp_path)
        self.qmp_file = self.qmp.makefile("rwb")
        self._qmp_read()  # the greeting
        self.qmp_command("qmp_capabilities")
        return float(line.split()[1])

    def sh(self, command, seconds=30.0, check=True):
        """Runs a shell command in the VM: its output lines (and status when check is false)."""
        if "\n" in command:
            raise ValueError("one line at a time")
        self.proc.stdin.write(command.encode() + b"\n")
        self.proc.stdin.flush()
        deadline = time.monotonic() + seconds
        out = []
        while True:
            line = self._next_line(deadline, f"'{command}' in the VM")
            if "@@rc=" in line:
                head, rc = line.split("@@rc=", 1)
                if head:
                    out.append(head)
                rc = int(rc)
                break
            out.append(line)
        if check and rc != 0:
            raise VmError(f"'{command}' in the VM: status {rc}: " + " | ".join(out[-8:]))
        return out if check else (out, rc)

    def feed(self, command, seconds=30.0):
        """Sends drm_feed a command line and returns its answer."""
        if not self.feed_sock:
            self.feed_sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self.feed_sock.connect(self.feed_path)
        self.feed_sock.sendall(command.encode() + b"\n")
        self.feed_sock.settimeout(seconds)
        while b"\n" not in self.feed_buffer:
            try:
                chunk = self.feed_sock.recv(4096)
            except socket.timeout:
                raise VmError(f"drm_feed did not answer '{command}'") from None
            if not chunk:
                raise VmError("drm_feed's serial port closed")
            self.feed_buffer += chunk
        line, self.feed_buffer = self.feed_buffer.split(b"\n", 1)
        answer = line.decode("utf-8", "replace").strip("\r\0")
        if answer != "ok":
            raise VmError(f"drm_feed '{command}': {answer}")
        return answer

    def _qmp_read(self):
        while True:
            line = self.qmp_file.readline()
            if not line:
                raise VmError("QMP closed")
            message = json.loads(line)
            if "event" not in message:
                return message

    def qmp_command(self, name, **arguments):
        request = {"execute": name}
        if arguments:
            request["arguments"] = arguments
        self.qmp_file.write(json.dumps(request).encode() + b"\n")
        self.qmp_file.flush()
        reply = self._qmp_read()
        if "error" in reply:
            raise VmError(f"QMP {name}: {reply['error'].get('desc')}")
        return reply.get("return")

    def screendump(self):
        """What the VM's display shows: (width, height, rgb bytes)."""
        path = os.path.join(self.workdir, "screen.ppm")
        self.qmp_command("screendump", filename=path)
        try:
            return read_ppm(path)
        except PpmError as e:
            raise VmError(str(e)) from None

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for s in (self.qmp, self.feed_sock):
            if s:
                s.close()
