"""debian_kernel.py: Debian's kernel and busybox for tests/drm's VM, fetched with apt-get download.

Nothing is installed: the .debs are downloaded into a cache directory (kept between runs,
keyed by the packages' versions) and only what the VM needs is taken out of them: the
kernel image, the modules asked for with every module they depend on (read from each
module's .modinfo section, since Debian's package ships no modules.dep), and the static
busybox.
"""

import os
import shutil
import struct
import subprocess
import tempfile

KERNEL_META = "linux-image-amd64"
BUSYBOX = "busybox-static"


class FetchError(Exception):
    """A package could not be downloaded or read."""


def _run(args, cwd=None):
    proc = subprocess.run(args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True)
    if proc.returncode != 0:
        raise FetchError(f"{' '.join(args)}: {proc.stdout.strip()[-400:]}")
    return proc.stdout


def _kernel_package():
    """The versioned image package linux-image-amd64 depends on (linux-image-6.1.0-N-amd64)."""
    out = _run(["apt-cache", "depends", "--no-recommends", "--no-suggests", KERNEL_META])
    for line in out.splitlines():
        line = line.strip()
        if line.startswith("Depends:") and "linux-image-" in line:
            return line.split()[-1]
    raise FetchError(f"apt-cache knows no image package that {KERNEL_META} depends on")


def _download(package, cache):
    """The .deb of package's candidate version in cache, downloaded when not there yet."""
    version = _run(["apt-cache", "policy", package])
    candidate = next((line.split()[-1] for line in version.splitlines()
                      if line.strip().startswith("Candidate:")), "(none)")
    if candidate == "(none)":
        raise FetchError(f"apt has no candidate for {package} (apt-get update?)")
    stem = f"{package}_{candidate.split(':')[-1]}_"
    for name in os.listdir(cache):
        if name.startswith(stem) and name.endswith(".deb"):
            return os.path.join(cache, name)
    with tempfile.TemporaryDirectory(dir=cache) as tmp:
        # apt's sandbox user may not write here; the download is unsandboxed then (a warning).
        os.chmod(tmp, 0o755)
        _run(["apt-get", "download", "-q", package], cwd=tmp)
        debs = [n for n in os.listdir(tmp) if n.endswith(".deb")]
        if len(debs) != 1:
            raise FetchError(f"apt-get download {package} left {debs}")
        # apt writes the epoch's colon as %3a.
        name = stem + debs[0].rsplit("_", 1)[-1]
        os.replace(os.path.join(tmp, debs[0]), os.path.join(cache, name))
    return os.path.join(cache, name)


def modinfo(path):
    """A kernel module's .modinfo section as a dict (name, depends, ...)."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"\x7fELF" or data[4] != 2:
        raise FetchError(f"{path}: not a 64-bit ELF module")
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize)
                for i in range(shnum)]
    names = sections[shstrndx][4]
    for name_off, _, _, _, offset, size, *_ in sections:
        end = data.index(b"\0", names + name_off)
        if data[names + name_off:end] == b".modinfo":
            fields = data[offset:offset + size].decode("utf-8", "replace").split("\0")
            return dict(f.split("=", 1) for f in fields if "=" in f)
    return {}


def _module_order(tree, wanted):
    """The module files under tree (lib/modules/VERSION) that wanted need, in load order."""
    by_name = {}
    for root, _, files in os.walk(os.path.join(tree, "kernel")):
        for f in files:
            if f.endswith(".ko"):
                by_name[f[:-3].replace("-", "_")] = os.path.join(root, f)
    order, state = [], {}

    def visit(name):
        key = name.replace("-", "_")
        if state.get(key) == "done":
            return
        if state.get(key) == "visiting":
            raise FetchError(f"module dependency loop at {name}")
        if key not in by_name:
            raise FetchError(f"the kernel package has no module {name}")
        state[key] = "visiting"
        for dep in filter(None, modinfo(by_name[key]).get("depends", "").split(",")):
            visit(dep)
        state[key] = "done"
        order.append(by_name[key])

    for name in wanted:
        visit(name)
    return order


def _unpack(deb, cache):
    """The .deb's files unpacked beside it (DEB.d), unpacked now when not there yet; a failed
    unpack leaves nothing behind."""
    unpacked = deb[:-4] + ".d"
    if not os.path.isdir(unpacked):
        tmp = tempfile.mkdtemp(dir=cache)
        try:
            _run(["dpkg-deb", "-x", deb, tmp])
            os.replace(tmp, unpacked)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return unpacked


def fetch(cache, modules):
    """Fetches (or finds in cache) the kernel and busybox: a dict with 'kernel' (the
    bzImage), 'modules' (.ko paths in load order), 'busybox' and 'version'."""
    os.makedirs(cache, exist_ok=True)
    kernel_deb = _download(_kernel_package(), cache)
    busybox_deb = _download(BUSYBOX, cache)
    unpacked = _unpack(kernel_deb, cache)
    bb_unpacked = _unpack(busybox_deb, cache)
    versions = os.listdir(os.path.join(unpacked, "lib", "modules"))
    if len(versions) != 1:
        raise FetchError(f"{kernel_deb}: expected one module tree, found {versions}")
    boot = os.path.join(unpacked, "boot")
    kernel = next((os.path.join(boot, n) for n in os.listdir(boot) if n.startswith("vmlinuz")),
                  None)
    if not kernel:
        raise FetchError(f"{kernel_deb} holds no vmlinuz")
    tree = os.path.join(unpacked, "lib", "modules", versions[0])
    return {"kernel": kernel, "modules": _module_order(tree, modules),
            "busybox": os.path.join(bb_unpacked, "bin", "busybox"), "version": versions[0]}
