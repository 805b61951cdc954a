#!/usr/bin/env python3
# bench_dos: `mvm run HELLO.COM` beside DOSBox running it the same way; a 16 MiB copy beside cp.
#
# meson copies this file to build-release/bench/dos/bench_dos with the paths
# below filled in; bench/run runs it there with every other benchmark.
"""Runs HELLO.COM (print a line, exit) with its output redirected to a file,
on mvm (IST; C: a host directory) and on DOSBox (headless: SDL's dummy video
and audio drivers), R times each in turn, and prints the median wall time
and the peak resident memory of each and mvm's ratios to DOSBox. Then
COPY.COM copies a 16 MiB file in 32 KiB reads and writes under mvm, and
its throughput is printed beside host cp's of the same file.

Every run goes through bench/cpu's spawn_peak, which forks, execs, reaps with
wait4 and reports the wall time and ru_maxrss: Linux carries a process's peak
RSS across exec, so a child forked from Python would weigh at least Python's.

Goals (issue 5): mvm under 50 ms, at most 0.1x DOSBox's time, at most 0.5x
its peak memory. Exit status: 0 when all hold, 1 when one does not or a run
failed, 77 when DOSBox is missing, 2 for a bad command line."""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

MVM = '@MVM@'
HELLO = '@HELLO@'
COPY = '@COPY@'
SPAWN_PEAK = '@SPAWN_PEAK@'
sys.path.insert(0, '@SCRIPTS@')
import dosbox_headless  # noqa: E402

RUN_TIMEOUT = 120
EXIT_SKIP = 77
GOAL_MS = 50.0
GOAL_TIME_RATIO = 0.1
GOAL_MEMORY_RATIO = 0.5
COPY_BYTES = 16 << 20


def measure(argv, cwd, log, env=None):
    """Wall seconds and peak RSS (KiB) of one run through spawn_peak; argv's stdout and
    stderr go to the file log. Fails on a status other than 0."""
    out = subprocess.run([SPAWN_PEAK, str(RUN_TIMEOUT), log] + argv, cwd=cwd, env=env,
                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True,
                         check=False)
    fields = out.stdout.split()
    if out.returncode != 0 or len(fields) != 5:
        raise RuntimeError(f'spawn_peak failed (status {out.returncode}) running {argv[0]}')
    how, status, wall_ns, _, maxrss = fields
    if how != 'exit' or status != '0':
        with open(log, errors='replace') as f:
            raise RuntimeError(f'{argv[0]} ended with {how} {status}:\n{f.read()}')
    return int(wall_ns) / 1e9, int(maxrss)


def hello_runs(work, rounds):
    """mvm and DOSBox alternately, each printing into a file as DOS redirection does."""
    drive, home = os.path.join(work, 'c'), os.path.join(work, 'home')
    os.makedirs(drive)
    os.makedirs(home)
    shutil.copy(HELLO, os.path.join(drive, 'HELLO.COM'))
    conf = dosbox_headless.write_conf(home)
    mvm = [MVM, 'run', '--cpu', 'ist', '--console', 'stdio', 'HELLO.COM']
    dosbox = ['dosbox', '-conf', conf, '-c', f'mount c {drive}', '-c', 'c:',
              '-c', 'HELLO.COM > OUT.TXT', '-c', 'exit']
    # DOSBox writes its own configuration under $HOME: keep it in the work directory.
    env = dosbox_headless.environment(home)
    runs = {'mvm-ist': [], 'dosbox': []}
    for _ in range(rounds):
        runs['mvm-ist'].append(measure(mvm, drive, os.path.join(work, 'MVM.TXT')))
        runs['dosbox'].append(measure(dosbox, drive, os.path.join(home, 'dosbox.log'), env))
    for name in (os.path.join(work, 'MVM.TXT'), os.path.join(drive, 'OUT.TXT')):
        with open(name, 'rb') as f:
            if f.read() != b'Hello, world\r\n':
                raise RuntimeError(f'{name} does not hold the program\'s line')
    return runs


def copy_runs(work, rounds):
    """COPY.COM under mvm and cp on the same 16 MiB file; MB/s of each."""
    shutil.copy(COPY, os.path.join(work, 'COPY.COM'))
    source = os.path.join(work, 'IN.BIN')
    with open(source, 'wb') as f:
        f.write(os.urandom(COPY_BYTES))
    with open(source, 'rb') as f:
        data = f.read()
    mvm, cp = [], []
    for _ in range(rounds):
        os.path.exists(os.path.join(work, 'OUT.BIN')) and os.unlink(os.path.join(work, 'OUT.BIN'))
        mvm.append(measure([MVM, 'run', '--cpu', 'ist', '--console', 'stdio', 'COPY.COM'],
                           work, os.path.join(work, 'copy.log'))[0])
        with open(os.path.join(work, 'OUT.BIN'), 'rb') as f:
            if f.read() != data:
                raise RuntimeError('COPY.COM\'s OUT.BIN differs from IN.BIN')
        cp.append(measure(['cp', source, os.path.join(work, 'CP.BIN')], work,
                          os.path.join(work, 'cp.log'))[0])
    return statistics.median(mvm), statistics.median(cp)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--rounds', type=int, default=7, help='runs of each (default 7)')
    parser.add_argument('--iterations', type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.rounds < 1:
        parser.error('--rounds must be at least 1')
    if not shutil.which('dosbox'):
        print('SKIP dosbox: not installed (Debian package dosbox)')
        return EXIT_SKIP
    with tempfile.TemporaryDirectory(prefix='bench_dos.') as work:
        try:
            runs = hello_runs(work, args.rounds)
            copy_mvm, copy_cp = copy_runs(work, max(3, args.rounds // 2))
        except (RuntimeError, OSError) as e:
            print(f'bench_dos: {e}', file=sys.stderr)
            return 1
    med = {k: (statistics.median(s for s, _ in v), max(m for _, m in v)) for k, v in runs.items()}
    print(f'HELLO.COM, output redirected to a file, median of {args.rounds} runs:')
    for name, (seconds, rss) in med.items():
        print(f'  {name:8} {seconds * 1000:8.1f} ms   peak RSS {rss / 1024:6.1f} MiB')
    time_ratio = med['mvm-ist'][0] / med['dosbox'][0]
    memory_ratio = med['mvm-ist'][1] / med['dosbox'][1]
    ms = med['mvm-ist'][0] * 1000
    print(f'  mvm-ist/dosbox: time {time_ratio:.3f} (goal <= {GOAL_TIME_RATIO}), '
          f'memory {memory_ratio:.3f} (goal <= {GOAL_MEMORY_RATIO}); '
          f'mvm {ms:.1f} ms (goal < {GOAL_MS:.0f} ms)')
    mb = COPY_BYTES / 1e6
    print(f'COPY.COM, 16 MiB in 32 KiB reads and writes (median):')
    print(f'  mvm-ist  {copy_mvm * 1000:8.1f} ms  {mb / copy_mvm:8.1f} MB/s for the whole run; '
          f'{mb / max(copy_mvm - med["mvm-ist"][0], 1e-6):.1f} MB/s once HELLO.COM\'s time '
          f'(boot and exit) is taken out')
    print(f'  cp       {copy_cp * 1000:8.1f} ms  {mb / copy_cp:8.1f} MB/s')
    print(f'  mvm-ist/cp throughput: {copy_cp / copy_mvm:.3f}')
    ok = ms < GOAL_MS and time_ratio <= GOAL_TIME_RATIO and memory_ratio <= GOAL_MEMORY_RATIO
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
