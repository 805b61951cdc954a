#!/usr/bin/env python3
"""dos_oracle.py: a DOS program on `mvm run` against the same program on DOSBox.

  dos_oracle.py test --mvm MVM --cpu ist|kvm --case NAME --src-dir DIR --build-dir DIR
      Runs the case's program (BUILD-DIR/NAME.COM or NAME.EXE, built from
      SRC-DIR/progs/NAME.asm or NAME.c) in two fresh copies of its drive: one
      on DOSBox, one on mvm (`mvm run --console stdio`). The two must agree on
        - what the program wrote to stdout (DOSBox: redirected to a file),
        - its return code (DOSBox: read back with IF ERRORLEVEL),
        - the files and directories left on the drive (names compared without
          regard to case, contents byte for byte).
  dos_oracle.py dosbox --case NAME --src-dir DIR --build-dir DIR
      Runs the case on DOSBox alone and prints what it wrote, its return code
      and the files it left; with an override (below), the difference from it.
      For writing and checking a program before mvm can run it.
  dos_oracle.py ... --freecom IMG --args TEXT
      The program is FreeDOS's COMMAND.COM, copied out of the floppy image IMG
      with mtools' mcopy at test time (never kept in the repository), run with
      the command tail TEXT.

What a case is made of, all optional but the program:
  progs/NAME.asm|c       the program. Its opening comment block may say
                           args: TEXT        the command tail
                           with: FILE ...    more built programs on the drive
                                             (children it executes)
                           dosbox: no (WHY)  DOSBox cannot run it (it hangs, exits,
                                             or writes what differs run to run):
                                             mvm is compared with the override
                                             alone, and no drive is compared
  fixtures/NAME/         files and directories copied to the drive (C:\\)
  stdin/NAME.txt         the program's stdin. Lines end in LF; DOSBox reads a
                         copy whose line ends are CR, the Enter key, which is
                         what mvm makes of a host LF on the DOS keyboard, so
                         the character functions see the same bytes on both.
  expected/NAME.txt      an override: the output MS-DOS 5 gives where DOSBox is
                         known to differ (the program's comments say why), byte
                         for byte (CR LF). mvm's stdout is then compared with it
                         instead of DOSBox's; the drives are still compared.
  expected/NAME.exit     with it, the return code MS-DOS gives.

DOSBox runs with C: the case's drive and D: a directory of its own holding the
batch file, the redirected stdin and stdout and the return code, so a program
that lists C: sees the same files on both. mvm runs with C: its drive and the
program as a host path, stdin from the case's input (else /dev/null).

Exit status 0 pass, 1 fail, 77 skip (meson's convention); a skip prints
"SKIP <what>: <why>".
"""

import argparse
import difflib
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

# The KVM check the other mvm tests make.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from run_mvm import SKIP, Failure, Skip, kvm_unusable_reason  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "scripts"))
import dosbox_headless  # noqa: E402

DOSBOX_TIMEOUT = 30


class Case:
    """The program, its drive's files, its input and what it is compared with."""

    def __init__(self, args):
        self.name = args.case
        src = args.src_dir
        self.fixtures = os.path.join(src, "fixtures", self.name)
        self.stdin = os.path.join(src, "stdin", self.name + ".txt")
        self.expected = os.path.join(src, "expected", self.name + ".txt")
        self.expected_exit = os.path.join(src, "expected", self.name + ".exit")
        self.args, self.skip_dosbox = "", None
        if args.freecom:
            self.prog = "COMMAND.COM"
            self.prog_paths = []
        else:
            header = self.read_header(src)
            self.args = header.get("args", "")
            if header.get("dosbox", "").startswith("no"):
                self.skip_dosbox = header["dosbox"][2:].strip(" ()") or "the program says so"
            self.prog = self.built_name(args.build_dir)
            self.prog_paths = [os.path.join(args.build_dir, self.prog)]
            for name in header.get("with", "").split():
                path = os.path.join(args.build_dir, name)
                if not os.path.exists(path):
                    raise Failure(f"{self.name}: {path} (named by 'with:') was not built")
                self.prog_paths.append(path)
        if args.args is not None:
            self.args = args.args
        if args.no_dosbox:
            self.skip_dosbox = args.no_dosbox
        # The tail as COMMAND.COM makes it: the arguments after one space.
        self.args = " " + " ".join(self.args.split()) if self.args.strip() else ""
        if not os.path.exists(self.stdin):
            self.stdin = None
        if self.skip_dosbox and not os.path.exists(self.expected):
            raise Failure(f"{self.name}: 'dosbox: no' without expected/{self.name}.txt")

    def read_header(self, src):
        """The 'key: value' lines of the comment block the program opens with."""
        for ext in (".asm", ".c"):
            path = os.path.join(src, "progs", self.name + ext)
            if os.path.exists(path):
                break
        else:
            raise Failure(f"no progs/{self.name}.asm or .c in {src}")
        header = {}
        with open(path) as f:
            for line in f:
                line = line.strip()
                if not line.startswith((";", "/*", "*")):
                    break
                m = re.match(r"^(?:;|/\*|\*)\s*(args|with|dosbox):\s?(.*?)\s*(?:\*/)?$", line)
                if m:
                    header[m.group(1)] = m.group(2)
        return header

    def built_name(self, build_dir):
        for ext in (".COM", ".EXE"):
            if os.path.exists(os.path.join(build_dir, self.name.upper() + ext)):
                return self.name.upper() + ext
        raise Failure(f"{self.name}: neither {self.name.upper()}.COM nor .EXE in {build_dir} "
                      f"(not built?)")

    def override(self):
        """(stdout bytes, exit status or None) MS-DOS gives, or None without an override."""
        if not os.path.exists(self.expected):
            return None
        with open(self.expected, "rb") as f:
            out = f.read()
        status = None
        if os.path.exists(self.expected_exit):
            with open(self.expected_exit) as f:
                status = int(f.read().strip())
        return out, status


def extract_command_com(image, dest):
    if not os.path.exists(image):
        raise Skip(f"freecom: {image} absent (../shared/guests/freedos)")
    if not shutil.which("mcopy"):
        raise Skip("mcopy: not installed (Debian package mtools)")
    r = subprocess.run(["mcopy", "-n", "-i", image, "::COMMAND.COM", dest],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise Failure(f"mcopy could not copy COMMAND.COM out of {image}: {r.stderr.strip()}")


def make_drive(case, args, path):
    """A fresh C: for one engine: the fixtures, then the programs."""
    if os.path.isdir(case.fixtures):
        shutil.copytree(case.fixtures, path)
    else:
        os.makedirs(path)
    for prog in case.prog_paths:
        shutil.copy(prog, os.path.join(path, os.path.basename(prog)))
    if args.freecom:
        extract_command_com(args.freecom, os.path.join(path, "COMMAND.COM"))


def run_dosbox(case, args, tmp):
    """(stdout bytes, exit status) of the program on DOSBox; its drive is tmp/dosbox."""
    if not shutil.which("dosbox"):
        raise Skip("dosbox: not installed (Debian package dosbox)")
    drive, side, home = (os.path.join(tmp, d) for d in ("dosbox", "dosbox-d", "dosbox-home"))
    make_drive(case, args, drive)
    os.makedirs(side)
    os.makedirs(home)
    conf = dosbox_headless.write_conf(home)
    redirect = "> D:\\OUT.TXT"
    if case.stdin:
        with open(case.stdin, "rb") as f:
            text = f.read()
        with open(os.path.join(side, "IN.TXT"), "wb") as f:
            f.write(text.replace(b"\r\n", b"\r").replace(b"\n", b"\r"))
        redirect = "< D:\\IN.TXT " + redirect
    # The return code: IF ERRORLEVEL N is true for N and above, so the last
    # SET that runs is the code's.
    lines = ["@echo off", f"{case.prog}{case.args} {redirect}", "set RC=0"]
    lines += [f"if errorlevel {n} set RC={n}" for n in range(1, 256)]
    lines += ["echo %RC%> D:\\RC.TXT", "exit"]
    with open(os.path.join(side, "RUN.BAT"), "w", newline="\r\n") as f:
        f.write("\n".join(lines) + "\n")
    env = dosbox_headless.environment(home)
    argv = ["dosbox", "-conf", conf, "-c", f"mount c {drive}", "-c", f"mount d {side}",
            "-c", "c:", "-c", "D:\\RUN.BAT"]
    start = time.monotonic()
    try:
        r = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, env=env,
                           timeout=DOSBOX_TIMEOUT)
    except subprocess.TimeoutExpired:
        try:
            with open(os.path.join(side, "OUT.TXT"), "rb") as f:
                partial = "\n".join(readable(f.read()))
        except OSError:
            partial = "(none)"
        raise Failure(f"DOSBox did not end within {DOSBOX_TIMEOUT} s (the program waits for "
                      f"a key, or hangs): {shlex.join(argv)}\nits stdout so far:\n{partial}")
    print(f"dosbox: exit {r.returncode} after {time.monotonic() - start:.1f} s")
    try:
        with open(os.path.join(side, "OUT.TXT"), "rb") as f:
            out = f.read()
        with open(os.path.join(side, "RC.TXT")) as f:
            status = int(f.read().strip())
    except (OSError, ValueError) as e:
        raise Failure(f"DOSBox did not run the batch file to its end ({e}); its output:\n"
                      f"{r.stdout.decode(errors='replace')}{r.stderr.decode(errors='replace')}")
    return out, status


def run_mvm(case, args, tmp):
    """(stdout bytes, exit status) of the program on mvm; its drive is tmp/mvm."""
    if args.cpu == "kvm":
        reason = kvm_unusable_reason()
        if reason:
            raise Skip(f"kvm: {reason}")
    drive = os.path.join(tmp, "mvm")
    make_drive(case, args, drive)
    argv = [os.path.abspath(args.mvm), "run", "--cpu", args.cpu, "--console", "stdio",
            "--timeout", str(args.timeout), os.path.join(drive, case.prog)]
    argv += case.args.split()
    stdin = open(case.stdin, "rb") if case.stdin else subprocess.DEVNULL
    start = time.monotonic()
    try:
        r = subprocess.run(argv, stdin=stdin, capture_output=True, cwd=tmp,
                           timeout=args.host_timeout)
    except subprocess.TimeoutExpired:
        raise Failure(f"mvm did not end within {args.host_timeout} s: {shlex.join(argv)}")
    finally:
        if case.stdin:
            stdin.close()
    err = r.stderr.decode(errors="replace").strip()
    print(f"mvm: exit {r.returncode} after {time.monotonic() - start:.1f} s"
          + (f"; stderr:\n{err}" if err else ""))
    return r.stdout, r.returncode


def drive_files(root):
    """{upper-case relative path: bytes, or None for a directory}."""
    files = {}
    for dirpath, dirnames, filenames in os.walk(root):
        rel = os.path.relpath(dirpath, root)
        for d in dirnames:
            files[os.path.normpath(os.path.join(rel, d)).upper() + "/"] = None
        for name in filenames:
            with open(os.path.join(dirpath, name), "rb") as f:
                files[os.path.normpath(os.path.join(rel, name)).upper()] = f.read()
    return files


def readable(data):
    """Lines of bytes as text, control characters other than LF shown as escapes."""
    text = ""
    for b in data:
        if b == 10:
            text += "\\n\n"
        elif 32 <= b < 127:
            text += chr(b)
        elif b == 13:
            text += "\\r"
        else:
            text += f"\\x{b:02x}"
    return text.splitlines(keepends=False)


def diff(a, b, name_a, name_b):
    return "\n".join(difflib.unified_diff(readable(a), readable(b), name_a, name_b,
                                          lineterm="", n=3))


def compare_drives(mvm_root, dosbox_root):
    """Problems with the files mvm left, against DOSBox's."""
    mvm, box = drive_files(mvm_root), drive_files(dosbox_root)
    problems = []
    for name in sorted(set(mvm) | set(box)):
        if name not in mvm:
            problems.append(f"{name}: on DOSBox's drive, not on mvm's")
        elif name not in box:
            problems.append(f"{name}: on mvm's drive, not on DOSBox's")
        elif mvm[name] != box[name]:
            problems.append(f"{name}: contents differ ({len(mvm[name])} bytes on mvm, "
                            f"{len(box[name])} on DOSBox):\n"
                            + diff(box[name], mvm[name], "dosbox", "mvm"))
    return problems


def describe_run(out, status, who):
    text = "\n".join(readable(out))
    return f"--- {who}: exit status {status}, stdout:\n{text}\n--- end"


def cmd_dosbox(args):
    case = Case(args)
    if case.skip_dosbox:
        print(f"{case.name}: not run on DOSBox: {case.skip_dosbox}")
        return 0
    with tempfile.TemporaryDirectory(prefix=f"mvm-dos-{case.name}-") as tmp:
        out, status = run_dosbox(case, args, tmp)
        print(describe_run(out, status, "DOSBox"))
        files = drive_files(os.path.join(tmp, "dosbox"))
        for name, data in sorted(files.items()):
            print(f"  {name}" + ("" if data is None else f" ({len(data)} bytes)"))
    override = case.override()
    if override:
        want, want_status = override
        if want != out:
            print(f"override expected/{case.name}.txt (MS-DOS) against DOSBox:\n"
                  + diff(want, out, "MS-DOS", "DOSBox"))
        else:
            print(f"DOSBox's output equals the override expected/{case.name}.txt")
        if want_status is not None and want_status != status:
            print(f"exit status: MS-DOS {want_status}, DOSBox {status}")
    return 0


def cmd_test(args):
    case = Case(args)
    tmp = tempfile.mkdtemp(prefix=f"mvm-dos-{case.name}-")
    if case.skip_dosbox:
        print(f"dosbox: not run ({case.skip_dosbox})")
        box_out, box_status = None, 0
    else:
        box_out, box_status = run_dosbox(case, args, tmp)
    mvm_out, mvm_status = run_mvm(case, args, tmp)
    problems = []
    override = case.override()
    if override:
        want, want_status = override
        peer = f"MS-DOS (expected/{case.name}.txt; DOSBox differs here)"
        if want_status is None:
            want_status = box_status
    else:
        want, want_status, peer = box_out, box_status, "DOSBox"
    if mvm_out != want:
        problems.append(f"stdout differs from {peer}'s:\n" + diff(want, mvm_out, peer, "mvm"))
    if mvm_status != want_status:
        problems.append(f"exit status: mvm {mvm_status}, {peer} {want_status}")
    if not case.skip_dosbox:
        problems += compare_drives(os.path.join(tmp, "mvm"), os.path.join(tmp, "dosbox"))
    if problems:
        raise Failure(f"{case.name}: mvm and {peer} differ (drives kept in {tmp}):\n"
                      + "\n".join(problems) + "\n" + describe_run(mvm_out, mvm_status, "mvm"))
    lines = mvm_out.count(b"\n")
    print(f"{case.name}: mvm on {args.cpu} wrote the same {len(mvm_out)} bytes ({lines} lines) "
          f"as {peer}, exit status {mvm_status}"
          + ("" if case.skip_dosbox else ", the same files as DOSBox"))
    shutil.rmtree(tmp)
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    t = sub.add_parser("test")
    t.add_argument("--mvm", required=True)
    t.add_argument("--cpu", default="ist", choices=("ist", "kvm", "auto"))
    t.add_argument("--timeout", type=float, default=20, help="mvm's --timeout (seconds)")
    t.add_argument("--host-timeout", type=float, default=120,
                   help="seconds before the harness gives up on mvm")
    d = sub.add_parser("dosbox")
    for s in (t, d):
        s.add_argument("--case", required=True)
        s.add_argument("--src-dir", default=os.path.dirname(os.path.abspath(__file__)))
        s.add_argument("--build-dir", default=".")
        s.add_argument("--freecom", metavar="IMG", help="run COMMAND.COM out of this image")
        s.add_argument("--args", help="the command tail (replaces the program's args:)")
        s.add_argument("--no-dosbox", metavar="WHY",
                       help="compare with expected/CASE.txt alone (as 'dosbox: no')")
    args = p.parse_args()
    try:
        return {"test": cmd_test, "dosbox": cmd_dosbox}[args.command](args)
    except Skip as e:
        print(f"SKIP {e}")
        return SKIP
    except Failure as e:
        print(f"FAIL: {e}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
