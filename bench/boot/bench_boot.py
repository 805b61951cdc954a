#!/usr/bin/env python3
# bench_boot: wall time from start to the boot sector: mvm booting through SeaBIOS beside QEMU.
#
# meson copies this file to build-release/bench/boot/bench_boot with the paths
# below filled in; bench/run runs it there with every other benchmark.
"""Boots a floppy whose boot sector ends the VM at once, on mvm (IST, and KVM
where the host CPU has VT-x or AMD-V) and on QEMU TCG (-M isapc, the same
SeaBIOS and VGA BIOS), R times each in turn, and prints the median wall time
from process start to exit of each and mvm's ratio to QEMU. mvm runs as users
run it (virtual time paced to the host's) and, for information, unpaced.

Exit status: 0 when mvm-ist took at most QEMU's time (the issue's
requirement), 1 when it did not or an engine failed, 77 when QEMU or the
firmware is missing, 2 for a bad command line."""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

MVM = '@MVM@'
BOOT_EXIT = '@BOOT_EXIT@'
BIOS = '/usr/share/seabios/bios.bin'
FLOPPY_SIZE = 1474560
EXIT_SKIP = 77
MUST_QEMU = 1.00
QEMU_STATUS_PASS = 0 * 2 + 1


def has_hardware_virtualization():
    with open('/proc/cpuinfo') as f:
        flags = f.read()
    return ' vmx' in flags or ' svm' in flags


def engines(floppy):
    mvm = [MVM, 'boot', '--floppy', floppy, '--readonly']
    table = [('mvm-ist', mvm + ['--cpu', 'ist'], 0),
             ('mvm-ist-unpaced', mvm + ['--cpu', 'ist', '--no-pacing'], 0),
             ('qemu-tcg', ['qemu-system-i386', '-M', 'isapc', '-accel', 'tcg', '-vga', 'std',
                           '-display', 'none', '-bios', BIOS, '-m', '16', '-no-reboot',
                           '-drive', f'if=floppy,index=0,format=raw,readonly=on,file={floppy}',
                           '-boot', 'a', '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04'],
              QEMU_STATUS_PASS)]
    if has_hardware_virtualization():
        table.insert(1, ('mvm-kvm', mvm + ['--cpu', 'kvm'], 0))
    return table


def time_run(argv, status, timeout):
    start = time.monotonic()
    r = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                       timeout=timeout, check=False)
    seconds = time.monotonic() - start
    if r.returncode != status:
        raise RuntimeError(f'{argv[0]} ended with status {r.returncode}, not {status}:\n'
                           f'{r.stderr.strip()}')
    return seconds


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--repeat', type=int, default=5, help='runs per engine (default 5)')
    p.add_argument('--iterations', type=int, help='ignored (bench/run passes it to all)')
    p.add_argument('--timeout', type=float, default=120, help='seconds before a run is killed')
    args = p.parse_args()
    if args.repeat < 1:
        p.error('--repeat must be at least 1')
    if not shutil.which('qemu-system-i386'):
        print('SKIP qemu-tcg: qemu-system-i386 not installed (Debian package qemu-system-x86)')
        return EXIT_SKIP
    if not os.path.exists(BIOS):
        print(f'SKIP seabios: {BIOS} absent (Debian package seabios)')
        return EXIT_SKIP
    with tempfile.TemporaryDirectory() as tmp:
        floppy = os.path.join(tmp, 'boot.img')
        with open(BOOT_EXIT, 'rb') as f:
            sector = f.read()
        with open(floppy, 'wb') as f:
            f.write(sector + bytes(FLOPPY_SIZE - len(sector)))
        table = engines(floppy)
        times = {name: [] for name, _, _ in table}
        for _ in range(args.repeat):
            for name, argv, status in table:
                try:
                    times[name].append(time_run(argv, status, args.timeout))
                except (RuntimeError, subprocess.TimeoutExpired) as e:
                    print(f'{name}: FAILED: {e}')
                    return 1
    median = {name: statistics.median(t) for name, t in times.items()}
    print(f'start to boot sector, median of {args.repeat} runs (a 1.44 MB floppy, SeaBIOS '
          f'{BIOS}):')
    for name, t in times.items():
        print(f'  {name:16} {median[name] * 1000:8.1f} ms   (min {min(t) * 1000:.1f}, '
              f'max {max(t) * 1000:.1f})')
    ratio = median['mvm-ist'] / median['qemu-tcg']
    verdict = 'ok' if ratio <= MUST_QEMU else 'FAIL'
    print(f'mvm-ist/qemu-tcg {ratio:.2f} (must <= {MUST_QEMU:.2f})  {verdict}')
    print(f'mvm-ist-unpaced/qemu-tcg {median["mvm-ist-unpaced"] / median["qemu-tcg"]:.2f}')
    return 0 if ratio <= MUST_QEMU else 1


if __name__ == '__main__':
    sys.exit(main())
