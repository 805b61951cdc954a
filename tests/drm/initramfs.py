"""initramfs.py: a cpio archive (the kernel's "newc" format) of files and the shared libraries
the programs among them need, as ldd lists them on the host."""

import os
import re
import stat
import subprocess

TRAILER = "TRAILER!!!"


class Initramfs:
    """Entries added by their path in the archive; write() puts them out, directories first."""

    def __init__(self):
        self.entries = {}  # path -> (mode, data bytes or link target)

    def directory(self, path):
        parts = path.strip("/").split("/")
        for i in range(1, len(parts) + 1):
            self.entries.setdefault("/".join(parts[:i]), (stat.S_IFDIR | 0o755, b""))

    def data(self, path, data, mode=0o644):
        path = path.strip("/")
        if "/" in path:
            self.directory(os.path.dirname(path))
        self.entries[path] = (stat.S_IFREG | mode, data)

    def file(self, path, host_path, mode=None):
        with open(host_path, "rb") as f:
            data = f.read()
        self.data(path, data, mode if mode is not None else os.stat(host_path).st_mode & 0o777)

    def symlink(self, path, target):
        path = path.strip("/")
        if "/" in path:
            self.directory(os.path.dirname(path))
        self.entries[path] = (stat.S_IFLNK | 0o777, target.encode())

    def program(self, path, host_path):
        """A dynamically linked program with its libraries (at their host paths) and loader."""
        self.file(path, host_path, 0o755)
        self._libraries(host_path)

    def shared_object(self, host_path):
        """A library that is loaded at run time (dlopen), at its host path, with its own."""
        self.file(host_path, host_path, 0o755)
        self._libraries(host_path)

    def _libraries(self, host_path):
        for lib in shared_libraries(host_path):
            real = os.path.realpath(lib)
            self.file(real, real, 0o755)
            if real != lib:
                self.symlink(lib, real)

    def write(self, out_path):
        with open(out_path, "wb") as out:
            for ino, path in enumerate(sorted(self.entries, key=lambda p: (p.count("/"), p))):
                mode, data = self.entries[path]
                _write_entry(out, ino + 1, path, mode, data)
            _write_entry(out, 0, TRAILER, 0, b"")


def _write_entry(out, ino, name, mode, data):
    name_bytes = name.encode() + b"\0"
    header = "070701" + "".join(f"{v:08X}" for v in (
        ino, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(name_bytes), 0))
    out.write(header.encode() + name_bytes)
    out.write(b"\0" * (-(110 + len(name_bytes)) % 4))
    out.write(data)
    out.write(b"\0" * (-len(data) % 4))


def shared_libraries(program):
    """The absolute paths of program's shared libraries and its loader, from ldd."""
    out = subprocess.run(["ldd", program], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         text=True, check=True).stdout
    libs = []
    for line in out.splitlines():
        m = re.search(r"=>\s+(/\S+)", line) or re.match(r"\s*(/\S+)\s+\(", line)
        if m:
            libs.append(m.group(1))
        elif "not found" in line:
            raise RuntimeError(f"{program}: ldd: {line.strip()}")
    return libs
