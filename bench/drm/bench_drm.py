#!/usr/bin/env python3
# bench_drm: a guest frame's arrival at vman to the page flip that shows it, vman's DRM presenter beside a bare KMS client, and the vman service's CPU on a static screen, in QEMU VMs.
#
# meson copies this file to build-release/bench/drm/bench_drm with the paths below filled
# in; bench/run runs it there with every other benchmark.
"""Boots tests/drm's VM (Debian's kernel under QEMU TCG, an initramfs with this build's vman
service, drm_feed and drm_latency; tests/drm/vm.py, initramfs.py, debian_kernel.py and
drm_vm.py's set-up) once per device:

  bochs   -vga std, bochs-drm, vman with legacy commits (MVM_DRM_ATOMIC=0, as drm/bochs)
  virtio  -device virtio-gpu-pci, virtio-gpu, vman with atomic commits

and in it, as root on /dev/dri/card0:

  latency   drm_latency (bench/drm/drm_latency.c): from a 640x400 frame arriving at vman
            (vman_screen_update + vman_frame, what the service does on a SCREEN and a FRAME)
            to the kernel's time of the page flip that shows it, beside a bare KMS client
            (bench/drm/native_kms.c: two dumb buffers, PageFlip with an event) taking the
            card in turns with it; median, p99 and vman/native
  static    the vman service (`vman --display drm`, MVM_DRM_DUMB=1) showing one frame from
            drm_feed, then its CPU time over 5 s of a static screen: /proc/PID/stat's
            utime + stime (clock ticks of 10 ms) and /proc/PID/schedstat's run time (ns)

The issue's figure has no goal under TCG: it is reported. Exit status 0 when every run
worked, 1 when one failed, 2 for a bad command line, 77 (after "SKIP bench/drm: why") when
QEMU or apt is missing or Debian's kernel cannot be fetched."""

import argparse
import os
import re
import shutil
import sys
import tempfile
import time

BUILD = '@BUILD@'
SOURCE = '@SOURCE@'
LATENCY = '@LATENCY@'

sys.path.insert(0, os.path.join(SOURCE, 'tests', 'drm'))
import drm_vm  # noqa: E402
import vm as vmlib  # noqa: E402
from initramfs import Initramfs  # noqa: E402

SKIP = 77
DEVICES = ('bochs', 'virtio')
LATENCY_TIMEOUT = 900.0  # seconds for drm_latency under TCG
ROW = re.compile(r'^\s+(vman|native)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)$')
VMAN_MODE = re.compile(r'vman: drm: \S+ (\d+x\d+@\d+): the 640x400 frame')
PEER_MODE = re.compile(r'centred in (\d+x\d+@\d+)')
RATIO = re.compile(r'vman/native: median ([\d.]+), p99 ([\d.]+)')


class BenchCase(drm_vm.Case):
    """tests/drm's VM and its vman steps, with drm_latency in the initramfs too."""

    def build_initramfs(self, kernel):
        path = super().build_initramfs(kernel)
        # The kernel unpacks concatenated cpio archives one after the other.
        extra = Initramfs()
        extra.program('bin/drm_latency', LATENCY)
        extra_path = os.path.join(self.workdir, 'bench.cpio')
        extra.write(extra_path)
        with open(path, 'ab') as out, open(extra_path, 'rb') as f:
            out.write(f.read())
        return path

    def cpu_used(self):
        """vman's CPU time so far: (clock ticks, ns of run time from /proc/PID/schedstat)."""
        ns = int(self.vm.sh(f'cat /proc/{self.pid}/schedstat')[0].split()[0])
        return self.cpu_ticks(), ns


def latency(case, args):
    """Runs drm_latency in the VM: its output lines and the figures parsed from them."""
    # The console's blinking cursor would keep fbcon busy beside the benchmark.
    case.vm.sh('echo 0 > /sys/class/graphics/fbcon/cursor_blink')
    lines = case.vm.sh(f'{case.config["environment"]} drm_latency -n {args.samples} '
                       f'-w {args.warmup} -b {args.block} 2>&1', seconds=LATENCY_TIMEOUT)
    figures = {}
    for line in lines:
        m = ROW.match(line)
        if m:
            figures[m.group(1)] = [float(v) for v in m.groups()[1:]]
    text = '\n'.join(lines)
    vman_mode, peer_mode, ratio = VMAN_MODE.search(text), PEER_MODE.search(text), RATIO.search(text)
    if len(figures) != 2 or not vman_mode or not peer_mode or not ratio:
        raise drm_vm.Failure('drm_latency printed no figures:\n' + text)
    if vman_mode.group(1) != peer_mode.group(1):
        lines.append(f'NOTE: vman set {vman_mode.group(1)}, the peer {peer_mode.group(1)}')
    figures['mode'] = peer_mode.group(1)
    figures['ratio'] = ratio.group(1, 2)
    return lines, figures


def static_cpu(case, seconds):
    """The vman service's CPU time over seconds of a static screen: (ticks, ms), and its
    run time in all (ms), which shows that schedstat counts."""
    case.start_vman()
    case.vm.feed('frame /frames/mode13h.ppm')
    case.wait_log('drawn and set in')
    ticks_before, ns_before = case.cpu_used()
    time.sleep(seconds)
    ticks_after, ns_after = case.cpu_used()
    case.stop_vman()
    return ticks_after - ticks_before, (ns_after - ns_before) / 1e6, ns_after / 1e6


def run_device(device, args):
    """One VM: (latency figures, static CPU); raises drm_vm.SkipCase, Failure or VmError."""
    workdir = tempfile.mkdtemp(prefix=f'mvm-bench-drm-{device}-')
    options = argparse.Namespace(case=device, build=BUILD, source=SOURCE, verbose=args.verbose)
    case = BenchCase(options, workdir)
    ok = False
    try:
        case.boot()
        lines, figures = latency(case, args)
        print('\n'.join(lines), flush=True)
        ticks, ms, total = static_cpu(case, args.static_seconds)
        print(f'static screen: the vman service used {ticks} clock ticks ({ticks * 10} ms), '
              f'{ms:.2f} ms run time (schedstat), in {args.static_seconds} s; {total:.1f} ms '
              'run time since it started', flush=True)
        ok = True
        return figures, (ticks, ms)
    finally:
        if case.vm:
            case.vm.stop()
        if ok and not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f'work directory kept: {workdir}')


def summary(results, args):
    print(f'\nsummary (ms; {args.samples} samples each; TCG: no goal)')
    print('| device | mode | vman median | vman p99 | native median | native p99 | '
          'vman/native median, p99 | static CPU in %d s |' % args.static_seconds)
    print('| --- | --- | --- | --- | --- | --- | --- | --- |')
    for device, (figures, (ticks, ms)) in results.items():
        v, n = figures['vman'], figures['native']
        print(f'| {device} | {figures["mode"]} | {v[0]:.3f} | {v[1]:.3f} | {n[0]:.3f} | '
              f'{n[1]:.3f} | {figures["ratio"][0]}, {figures["ratio"][1]} | {ticks} ticks, '
              f'{ms:.2f} ms |')


def main():
    p = argparse.ArgumentParser(
        description='bench/drm: frame arrival at vman to page-flip completion, vman beside a bare '
                    'KMS client, and the vman service\'s CPU on a static screen, in QEMU VMs')
    p.add_argument('-n', '--samples', type=int, default=200, help='samples of each path')
    p.add_argument('--warmup', type=int, default=20, help='samples left out first')
    p.add_argument('--block', type=int, default=50, help='samples of each per turn')
    p.add_argument('--device', choices=DEVICES + ('both',), default='both')
    p.add_argument('--static-seconds', type=int, default=drm_vm.STATIC_SECONDS)
    p.add_argument('--verbose', action='store_true', help="show the VM's console")
    p.add_argument('--keep', action='store_true', help='keep the work directories')
    args = p.parse_args()
    if args.samples < 1 or args.warmup < 0 or args.block < 1 or args.static_seconds < 1:
        p.error('counts must be positive')

    missing = list(dict.fromkeys(t for device in DEVICES for t in drm_vm.missing_tools(device)))
    if missing:
        print(f'SKIP bench/drm: {", ".join(missing)} not installed')
        return SKIP
    results, status = {}, 0
    for device in DEVICES if args.device == 'both' else (args.device,):
        config = drm_vm.CASES[device]
        print(f'== {device}: {" ".join(config["display"])}, {config["environment"]}',
              flush=True)
        started = time.monotonic()
        try:
            results[device] = run_device(device, args)
        except drm_vm.SkipCase as e:
            print(f'SKIP bench/drm: {e}')
            return SKIP
        except (drm_vm.Failure, vmlib.VmError) as e:
            print(f'FAIL bench/drm {device}: {e}')
            status = 1
        print(f'{device}: {time.monotonic() - started:.1f} s', flush=True)
    if results:
        summary(results, args)
    return status


if __name__ == '__main__':
    sys.exit(main())
