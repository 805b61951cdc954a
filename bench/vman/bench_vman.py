#!/usr/bin/env python3
# bench_vman: VVMI commands per second and present latency from a DOS guest on the IST, beside the same commands on libvman in this host.
#
# meson copies this file to build-release/bench/vman/bench_vman with the paths
# below filled in; bench/run runs it there with every other benchmark.
"""Runs VMANBNCH.COM (bench/vman/vmanbnch.asm) under `mvm run --cpu ist --display
headless` with the vvmi VDD and the hoststamp VDD, whose port the guest writes to
stamp moments with the host's clock (the guest's own clocks count virtual time):

  fills    R rounds of N solid 8x8 FILLs on a 640x480 I8 screen, rung in batches
           as vvmi_put fills the ring, then PRESENT and wait for PRESENTED; each
           round's time less that of an empty PRESENT and wait in the same round
  blits    the same with 64x64 BITBLTs from an off-screen bitmap to the screen
  present  R times: from the stamp before the guest rings the doorbell (a PRESENT
           in the ring, an 8x8 FILL run just before it) to the stamp after it read
           PRESENTED from its event ring, less what one stamp costs (the median gap
           between two stamps in a row)

  mode     MODESW.COM (bench/vman/modesw.asm) switches text -> 13h -> 12h -> text six
           times through int 10h; the VGA VDD times each switch from the guest's last
           mode register write to the frame presented at the new size (host clock)
           and mvm -v prints the median and the maximum

and the same rounds with vman_native, in its own process on libvman (pixman,
headless): `direct` hands each command to vman_ghi (the ceiling), `ring` goes
through the VVMI ring code as the VVMI VDD does. Prints commands per second and
latencies (median, 99th percentile), and the guest's ratio to `direct`.

Goals (issue: bench/vman): 1,000,000 small fills per second; present latency under
2 ms; a mode switch within one frame (16.7 ms; its peer is that frame). A goal not
met is reported, not a failure. Exit status: 0 when every run worked, 1 when one
failed, 2 for a bad command line."""

import argparse
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

MVM = '@MVM@'
GUEST = '@GUEST@'
HOSTSTAMP = '@HOSTSTAMP@'
NATIVE = '@NATIVE@'
MODESW = '@MODESW@'

RUN_TIMEOUT = 600
GOAL_FILLS_PER_S = 1_000_000
GOAL_PRESENT_MS = 2.0
GOAL_MODE_SWITCH_MS = 16.7
# A load average above this (the benchmark itself keeps one CPU busy) earns a NOTE.
LOAD_NOTE = 1.5

TAG_CALIBRATE = 1
TAG_ROUND, TAG_EMPTY_PRESENTED, TAG_BATCH_PRESENTED = 2, 3, 4
TAG_DOORBELL, TAG_PRESENTED = 5, 6


def parse_stamps(text):
    return [tuple(int(field) for field in line.split()) for line in text.splitlines()
            if line.strip()]


def stamp_cost_ns(stamps):
    """The median gap between two calibration stamps in a row: one stamp's cost."""
    times = [ns for tag, ns in stamps if tag == TAG_CALIBRATE]
    return statistics.median(b - a for a, b in zip(times, times[1:]))


def pooled(runs, per_run):
    """per_run's values of every run, together."""
    return [value for stamps in runs for value in per_run(stamps)]


def round_command_ns(stamps):
    """Per round: (batch presented - empty presented) - (empty presented - round)."""
    out = []
    for i in range(len(stamps) - 2):
        (t0, a), (t1, b), (t2, c) = stamps[i:i + 3]
        if (t0, t1, t2) == (TAG_ROUND, TAG_EMPTY_PRESENTED, TAG_BATCH_PRESENTED):
            out.append((c - b) - (b - a))
    return out


def present_ns(stamps):
    """Doorbell to PRESENTED read, less the run's own stamp cost."""
    cost = stamp_cost_ns(stamps)
    return [b - a - cost for (t0, a), (t1, b) in zip(stamps, stamps[1:])
            if (t0, t1) == (TAG_DOORBELL, TAG_PRESENTED)]


def p99(values):
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.99 * len(ordered)) - 1)]


def run_guest(work, cpu, pacing, args):
    drive = os.path.join(work, 'c')
    os.makedirs(drive, exist_ok=True)
    shutil.copy(GUEST, os.path.join(drive, 'VMANBNCH.COM'))
    stamps = os.path.join(work, 'stamps.txt')
    if os.path.exists(stamps):
        os.unlink(stamps)
    argv = [MVM, 'run', '--cpu', cpu, '--display', 'headless', '--vdd', 'vvmi',
            '--vdd', f'{HOSTSTAMP}:out={stamps}'] + ([] if pacing else ['--no-pacing']) + \
        ['VMANBNCH.COM'] + [str(a) for a in args]
    r = subprocess.run(argv, cwd=drive, stdin=subprocess.DEVNULL, capture_output=True,
                       text=True, timeout=RUN_TIMEOUT, check=False)
    if r.returncode != 0:
        raise RuntimeError(f'{" ".join(argv)} exited {r.returncode}:\n{r.stdout}{r.stderr}')
    with open(stamps) as f:
        return parse_stamps(f.read())


MODE_SWITCH_LINE = re.compile(r'vvga: (\d+) mode switches shown; .*: median ([\d.]+) ms, '
                              r'max ([\d.]+) ms')


def run_mode_switches(work, cpu):
    """(switches, median ms, max ms) as the VGA VDD reports them."""
    drive = os.path.join(work, 'm')
    os.makedirs(drive, exist_ok=True)
    shutil.copy(MODESW, os.path.join(drive, 'MODESW.COM'))
    argv = [MVM, 'run', '-v', '--cpu', cpu, '--display', 'headless', '--console', 'screen',
            'MODESW.COM']
    r = subprocess.run(argv, cwd=drive, stdin=subprocess.DEVNULL, capture_output=True,
                       text=True, timeout=RUN_TIMEOUT, check=False)
    found = MODE_SWITCH_LINE.search(r.stderr)
    if r.returncode != 0 or not found:
        raise RuntimeError(f'{" ".join(argv)} exited {r.returncode} without the mode switch '
                           f'line:\n{r.stdout}{r.stderr}')
    return int(found.group(1)), float(found.group(2)), float(found.group(3))


def run_native(path, args):
    argv = [NATIVE, path] + [str(a) for a in args]
    r = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                       timeout=RUN_TIMEOUT, check=False)
    if r.returncode != 0:
        raise RuntimeError(f'{" ".join(argv)} exited {r.returncode}:\n{r.stderr}')
    return parse_stamps(r.stdout)


def throughput(runs, count):
    """Commands per second from the median round of all runs."""
    return count / (statistics.median(pooled(runs, round_command_ns)) / 1e9)


def goal(ok):
    return 'ok' if ok else 'not yet'


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--fills', type=int, default=200000, help='FILLs a round (200000)')
    p.add_argument('--blits', type=int, default=20000, help='BITBLTs a round (20000)')
    p.add_argument('--presents', type=int, default=2000, help='presents timed (2000)')
    p.add_argument('--rounds', type=int, default=7, help='rounds of fills and of blits (7)')
    p.add_argument('--passes', type=int, default=3,
                   help='runs of each of guest, ring and direct, in turn (3)')
    p.add_argument('--cpu', default='ist', help='mvm\'s CPU: ist (default) or kvm')
    p.add_argument('--no-pacing', action='store_true',
                   help='run mvm with --no-pacing (virtual time not held to the host\'s)')
    # bench/run passes these to every benchmark.
    p.add_argument('--iterations', type=int, help='the same as --fills (blits: a tenth)')
    p.add_argument('--repeat', type=int, help='the same as --rounds')
    args = p.parse_args()
    if args.iterations:
        args.fills, args.blits = args.iterations, max(1, args.iterations // 10)
    if args.repeat:
        args.rounds = args.repeat
    if min(args.fills, args.blits, args.presents, args.rounds, args.passes) < 1 or \
            args.rounds > 0xFFFF or args.presents > 0xFFFF:
        p.error('counts must be at least 1; rounds and presents at most 65535')

    load_before = os.getloadavg()[0]
    work = tempfile.mkdtemp(prefix='bench-vman-')
    figures = {}
    try:
        pacing = not args.no_pacing
        cases = [('fills', ['F', args.fills, args.rounds]),
                 ('blits', ['B', args.blits, args.rounds]),
                 ('present', ['P', args.presents])]
        # The three in turn, passes times: a host that changes speed weighs on all.
        for name, case in cases:
            figures[name] = {'guest': [], 'ring': [], 'direct': []}
            for _ in range(args.passes):
                figures[name]['guest'].append(run_guest(work, args.cpu, pacing, case))
                figures[name]['ring'].append(run_native('ring', case))
                figures[name]['direct'].append(run_native('direct', case))
        switches = [run_mode_switches(work, args.cpu) for _ in range(args.passes)]
    except (RuntimeError, subprocess.TimeoutExpired, OSError) as e:
        print(f'bench_vman: {e}', file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(work, ignore_errors=True)

    paths = ('guest', 'ring', 'direct')
    cost = statistics.median(stamp_cost_ns(stamps) for stamps in figures['present']['guest'])
    load_after = os.getloadavg()[0]
    print(f'VVMI from a DOS guest (mvm run --cpu {args.cpu} --display headless'
          f'{"" if pacing else " --no-pacing"}) beside the same commands on libvman in a host '
          'process (pixman, headless); 640x480 I8:')
    print(f'  {"":24} {"guest " + args.cpu:>14} {"native ring":>14} {"native direct":>14}'
          f' {"guest/direct":>13}')
    rates = {}
    for name, label, count in (('fills', '8x8 FILL /s', args.fills),
                               ('blits', '64x64 BITBLT /s', args.blits)):
        rates[name] = {path: throughput(figures[name][path], count) for path in paths}
        r = rates[name]
        print(f'  {label:24} {r["guest"]:14,.0f} {r["ring"]:14,.0f} {r["direct"]:14,.0f}'
              f' {r["guest"] / r["direct"]:13.3f}')
    latency = {path: pooled(figures['present'][path], present_ns) for path in paths}
    for label, stat in (('present, median ms', statistics.median),
                        ('present, p99 ms', p99)):
        v = {path: stat(latency[path]) / 1e6 for path in paths}
        print(f'  {label:24} {v["guest"]:14.3f} {v["ring"]:14.3f} {v["direct"]:14.3f}'
              f' {v["guest"] / v["direct"]:13.2f}')
    switch_count = sum(n for n, _, _ in switches)
    switch_median = statistics.median(m for _, m, _ in switches)
    switch_max = max(x for _, _, x in switches)
    print(f'  {"mode switch, median ms":24} {switch_median:14.3f} {"":>14} '
          f'{GOAL_MODE_SWITCH_MS:>14} {switch_median / GOAL_MODE_SWITCH_MS:13.3f}')
    print(f'  {"mode switch, max ms":24} {switch_max:14.3f} {"":>14} '
          f'{GOAL_MODE_SWITCH_MS:>14} {switch_max / GOAL_MODE_SWITCH_MS:13.3f}')
    print(f'  (mode switch: {switch_count} switches in {args.passes} runs of MODESW.COM, from '
          'the last mode register write to the frame presented; the peer column is one '
          'frame at 60 Hz)')
    print(f'  (fills and blits: the median of {args.passes} x {args.rounds} rounds of '
          f'{args.fills} and {args.blits}, an empty present\'s time taken off; present: '
          f'{args.passes} x {args.presents} samples, from before the doorbell to PRESENTED read, '
          f'less one stamp: {cost / 1000:.2f} us in the guest)')
    if max(load_before, load_after) > LOAD_NOTE:
        print(f'NOTE: the host was busy (load average {load_before:.1f} before, '
              f'{load_after:.1f} after, on {os.cpu_count()} CPUs): the figures, the p99 most, '
              'are worse than on a quiet host')
    fills = rates['fills']['guest']
    present_p99 = p99(latency['guest']) / 1e6
    print(f'goals: {fills:,.0f} fills/s (>= {GOAL_FILLS_PER_S:,}) '
          f'{goal(fills >= GOAL_FILLS_PER_S)}; present p99 {present_p99:.3f} ms '
          f'(< {GOAL_PRESENT_MS} ms) {goal(present_p99 < GOAL_PRESENT_MS)}; mode switch max '
          f'{switch_max:.3f} ms (< {GOAL_MODE_SWITCH_MS} ms) '
          f'{goal(switch_max < GOAL_MODE_SWITCH_MS)}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
