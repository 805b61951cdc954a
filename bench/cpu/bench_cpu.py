#!/usr/bin/env python3
# bench_cpu: the sieve of Eratosthenes under mvm's IST beside DOSBox and QEMU TCG.
#
# meson copies this file to build-release/bench/cpu/bench_cpu with the paths
# below filled in; bench/run runs it there with every other benchmark.
"""Times one CPU-bound guest program (sieve.inc) on every engine at two
iteration counts and prints time per sieve iteration with start-up removed,
IST's ratios to its peers and peak memory."""

import argparse
import os
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time

MVM = '@MVM@'
SIEVE_BOOT = '@SIEVE_BOOT@'
SIEVE_COM = '@SIEVE_COM@'
SPAWN_PEAK = '@SPAWN_PEAK@'
sys.path.insert(0, '@SCRIPTS@')
import dosbox_headless  # noqa: E402

EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_SKIP = 77

# DOSBox's cycles=max needs a second or two to ramp up to speed: the N1 run
# must last beyond that, or the ramp lands in N2 - N1 (DOSBox dynamic looked
# 1.6 times slower with 100 and 1100). N2 - N1 lets QEMU, the fastest
# engine, run half a second beyond its start-up.
DEFAULT_N1 = 2000
DEFAULT_N2 = 12000
DEFAULT_REPEAT = 3
DEFAULT_TIMEOUT = 600
MAX_ITERATIONS = 0xFFFF  # the guest counts them in BP

# Below this share of a CPU over the extra iterations, an engine was held
# back: DOSBox still ramping up, or the host busy.
MIN_BUSY = 0.80
MUST_DOSBOX_DYNAMIC = 0.50  # the requirement: IST at most half DOSBox dynamic's time
GOAL_QEMU_TCG = 1.00

# Both images start with `jmp short start`, then the iteration count (a word)
# at offset 4; in the .COM that is CS:0104.
ITERATIONS_OFFSET = 4
JMP_SHORT = 0xEB
BOOT_SECTOR_SIZE = 512
FLOPPY_SIZE = 1474560  # 3.5" 1.44 MB: SeaBIOS finds the geometry from the size
SIEVE_SIZE = 8190
SIEVE_PRIMES = 1899
COM_MAX_SIZE = 0x10000 - 0x100 - (SIEVE_SIZE + 1)  # the flags follow the .COM in its segment
RESULT_FILE = 'SIEVE.OK'  # the .COM writes its count there

# QEMU's isa-debug-exit: a write of V to port F4h ends QEMU with status V * 2 + 1.
QEMU_DEBUG_EXIT = 'isa-debug-exit,iobase=0xf4,iosize=0x04'
QEMU_STATUS_PASS = 0 * 2 + 1
QEMU_STATUS_WRONG_COUNT = 1 * 2 + 1

USAGE_EPILOG = """\
Each engine runs the sieve N1 times and N2 times (median of R wall times
each); (t(N2) - t(N1)) / (N2 - N1) is the time of one sieve iteration with
start-up and shut-down taken out. Engines: mvm-ist (mvm boot --no-bios --cpu ist
--no-pacing), mvm-ist-interp (the same with --ist-interpret: the IST without its
translator), dosbox-normal and dosbox-dynamic (cycles=max), qemu-tcg
(qemu-system-i386 -accel tcg, a floppy booted by SeaBIOS), and mvm-kvm when the
host CPU has VT-x or AMD-V. Engines that are not installed are skipped.

Exit status: 0 when every engine ran and IST met its requirement (at most
0.50 of DOSBox dynamic's time); 1 when an engine failed or IST missed the
requirement; 77 when mvm, DOSBox or QEMU cannot run here; 2 for a bad
command line.
"""


def sieve_instructions():
    """Guest instructions one sieve iteration executes, counted the way
    sieve.inc runs them (its loop structure mirrored line for line)."""
    count = 1 + 4 * (SIEVE_SIZE + 1) + 2  # xor, the fill loop, two xors
    flags = [True] * (SIEVE_SIZE + 1)
    for i in range(SIEVE_SIZE + 1):
        count += 2  # cmp, je
        if flags[i]:
            prime = i + i + 3
            count += 6  # mov, add, add, mov, add, jmp
            for k in range(i + prime, SIEVE_SIZE + 1, prime):
                flags[k] = False
                count += 4  # mov, add, cmp, jbe
            count += 3  # cmp, jbe (out), inc dx
        count += 3  # inc, cmp, jbe
    return count + 2  # dec bp, jnz


def patched(image, iterations):
    data = bytearray(image)
    struct.pack_into('<H', data, ITERATIONS_OFFSET, iterations)
    return bytes(data)


def read_image(path, max_size):
    with open(path, 'rb') as f:
        data = f.read()
    if len(data) > max_size or len(data) < ITERATIONS_OFFSET + 2 or data[0] != JMP_SHORT:
        raise ValueError(f'{path}: not a sieve image (jmp short, then the iteration count)')
    return data


class RunResult:
    def __init__(self, how, status, seconds, cpu_seconds, maxrss_kib, log):
        self.how = how  # 'exit', 'signal' or 'timeout'
        self.status = status  # exit status, signal number, or the timeout in seconds
        self.seconds = seconds
        self.cpu_seconds = cpu_seconds
        self.maxrss_kib = maxrss_kib
        self.log = log

    def describe(self):
        if self.how == 'timeout':
            return f'still running after {self.status} s (--timeout): killed'
        if self.how == 'signal':
            return f'killed by signal {self.status}'
        return f'exit status {self.status}'

    def log_tail(self, lines=8):
        text = '\n'.join(self.log.rstrip().splitlines()[-lines:])
        return '\n'.join('    ' + line for line in text.splitlines())


def spawn(argv, log_path, timeout, env=None):
    """Runs argv through spawn_peak: its own wall time, CPU time and peak RSS."""
    out = subprocess.run([SPAWN_PEAK, str(timeout), log_path] + argv, env=env,
                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True,
                         check=False)
    fields = out.stdout.split()
    if out.returncode != 0 or len(fields) != 5:
        raise RuntimeError(f'spawn_peak failed (status {out.returncode}) running {argv[0]}')
    how, status, wall_ns, cpu_ns, maxrss = fields
    with open(log_path, errors='replace') as f:
        log = f.read()
    return RunResult(how, int(status), int(wall_ns) / 1e9, int(cpu_ns) / 1e9, int(maxrss), log)


class Engine:
    """One way of running the sieve. probe() says why it cannot run here, or
    None; prepare() writes what a run at N iterations needs; run() runs it and
    returns (RunResult, None) or (RunResult, what went wrong)."""
    name = ''
    required = True  # a missing required engine makes the whole benchmark a skip

    def probe(self):
        return None

    def prepare(self, workdir, n):
        raise NotImplementedError

    def run(self, n, timeout):
        raise NotImplementedError


class MvmEngine(Engine):
    def __init__(self, cpu, boot_image, interpret=False):
        self.cpu = cpu
        self.interpret = interpret
        self.name = f'mvm-{cpu}' + ('-interp' if interpret else '')
        self.required = cpu == 'ist' and not interpret
        self.boot_image = boot_image
        self.images = {}

    def probe(self):
        if not os.access(MVM, os.X_OK):
            return f'{MVM} is not built'
        if self.cpu != 'kvm':
            return None
        flags = set()
        try:
            with open('/proc/cpuinfo') as f:
                for line in f:
                    if line.startswith('flags'):
                        flags.update(line.split(':', 1)[1].split())
        except OSError as e:
            return f'/proc/cpuinfo: {e.strerror}'
        if not flags & {'vmx', 'svm'}:
            return ('the host CPU has no VT-x or AMD-V (no vmx or svm in /proc/cpuinfo); '
                    'a /dev/kvm here would be emulated in software and time nothing useful')
        if not os.access('/dev/kvm', os.R_OK | os.W_OK):
            return '/dev/kvm is not usable'
        return None

    def prepare(self, workdir, n):
        path = os.path.join(workdir, f'sieve_boot_{n}.bin')
        with open(path, 'wb') as f:
            f.write(patched(self.boot_image, n))
        self.images[n] = (path, os.path.join(workdir, f'{self.name}.log'))

    def run(self, n, timeout):
        image, log = self.images[n]
        r = spawn([MVM, 'boot', '--no-bios', '--cpu', self.cpu, '--no-pacing'] +
                  (['--ist-interpret'] if self.interpret else []) + [image], log, timeout)
        if r.how == 'exit' and r.status == 0:
            return r, None
        if r.how == 'exit' and r.status == 1:
            return r, 'wrong prime count, or mvm could not run the guest (exit status 1)'
        return r, r.describe()


class DosboxEngine(Engine):
    def __init__(self, core, com_image):
        self.core = core
        self.name = f'dosbox-{core}'
        self.com_image = com_image
        self.dirs = {}

    def probe(self):
        self.dosbox = shutil.which('dosbox')
        return None if self.dosbox else 'dosbox is not installed (Debian: dosbox)'

    def prepare(self, workdir, n):
        # One DOS drive per N. HOME points inside it so that DOSBox keeps its
        # ~/.dosbox to itself.
        top = os.path.join(workdir, f'{self.name}_{n}')
        drive = os.path.join(top, 'c')
        os.makedirs(drive)
        with open(os.path.join(drive, 'SIEVE.COM'), 'wb') as f:
            f.write(patched(self.com_image, n))
        conf = dosbox_headless.write_conf(top, self.core)
        self.dirs[n] = (top, drive, conf)

    def run(self, n, timeout):
        top, drive, conf = self.dirs[n]
        result_path = os.path.join(drive, RESULT_FILE)
        if os.path.exists(result_path):
            os.unlink(result_path)
        env = dosbox_headless.environment(top)
        r = spawn([self.dosbox, '-conf', conf, '-c', f'mount c "{drive}"', '-c', 'c:',
                   '-c', 'SIEVE.COM', '-c', 'exit'], os.path.join(top, 'dosbox.log'), timeout,
                  env)
        if r.how != 'exit' or r.status != 0:
            return r, r.describe()
        try:
            with open(result_path, 'rb') as f:
                answer = f.read()
        except OSError:
            return r, f'SIEVE.COM did not run to its end (no {RESULT_FILE})'
        if answer != str(SIEVE_PRIMES).encode():
            return r, f'wrong prime count: {RESULT_FILE} holds {answer!r}'
        return r, None


class QemuEngine(Engine):
    name = 'qemu-tcg'

    def __init__(self, boot_image):
        self.boot_image = boot_image
        self.images = {}

    def probe(self):
        self.qemu = shutil.which('qemu-system-i386')
        return None if self.qemu else 'qemu-system-i386 is not installed (Debian: qemu-system-x86)'

    def prepare(self, workdir, n):
        path = os.path.join(workdir, f'sieve_floppy_{n}.img')
        sector = patched(self.boot_image, n)
        with open(path, 'wb') as f:
            f.write(sector + bytes(FLOPPY_SIZE - len(sector)))
        self.images[n] = (path, os.path.join(workdir, f'{self.name}.log'))

    def run(self, n, timeout):
        image, log = self.images[n]
        r = spawn([self.qemu, '-accel', 'tcg', '-display', 'none',
                   '-drive', f'if=floppy,index=0,format=raw,readonly=on,file={image}',
                   '-boot', 'a', '-no-reboot', '-device', QEMU_DEBUG_EXIT], log, timeout)
        if r.how == 'exit' and r.status == QEMU_STATUS_PASS:
            return r, None
        if r.how == 'exit' and r.status == QEMU_STATUS_WRONG_COUNT:
            return r, 'wrong prime count'
        return r, f'{r.describe()}: the guest never wrote its status to port F4h'


def iterations(text):
    value = int(text)
    if not 1 <= value <= MAX_ITERATIONS:
        raise argparse.ArgumentTypeError(f'from 1 to {MAX_ITERATIONS}, not {text}')
    return value


def positive(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f'at least 1, not {text}')
    return value


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog='bench_cpu', description=__doc__, epilog=USAGE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--n1', type=iterations, default=DEFAULT_N1,
                   help=f'sieve iterations of the short run (default {DEFAULT_N1})')
    p.add_argument('--n2', '--iterations', type=iterations, default=DEFAULT_N2,
                   help=f'sieve iterations of the long run (default {DEFAULT_N2}); '
                   'bench/run passes --iterations to every benchmark')
    p.add_argument('--repeat', type=positive, default=DEFAULT_REPEAT,
                   help=f'runs of each engine at each N, interleaved (default {DEFAULT_REPEAT})')
    p.add_argument('--engines', default=None,
                   help='comma-separated engines to run (default: all of mvm-ist, '
                   'mvm-ist-interp, dosbox-normal, dosbox-dynamic, qemu-tcg, mvm-kvm)')
    p.add_argument('--timeout', type=positive, default=DEFAULT_TIMEOUT,
                   help=f'seconds one run may take (default {DEFAULT_TIMEOUT})')
    args = p.parse_args(argv)
    if args.n2 <= args.n1:
        p.error(f'--n2 ({args.n2}) must be larger than --n1 ({args.n1})')
    return args


class HostLoad:
    """CPU time the whole host spent between start() and stop(), from
    /proc/stat (steal time included: on a VM it is someone else's work)."""

    def __init__(self):
        self.cpus = os.cpu_count() or 1
        self.before = None
        self.busy_seconds = None
        self.wall_seconds = None

    @staticmethod
    def _sample():
        try:
            with open('/proc/stat') as f:
                fields = [int(x) for x in f.readline().split()[1:]]
        except (OSError, ValueError):
            return None
        idle = fields[3] + fields[4]  # idle, iowait
        # user nice system idle iowait irq softirq steal; guest time is in user
        return sum(fields[:8]) - idle, time.monotonic()

    def start(self):
        self.before = self._sample()

    def stop(self):
        after = self._sample()
        if self.before and after:
            self.busy_seconds = (after[0] - self.before[0]) / os.sysconf('SC_CLK_TCK')
            self.wall_seconds = after[1] - self.before[1]

    def report(self, own_seconds):
        """Prints how much CPU the rest of the host used while the engines ran."""
        if self.busy_seconds is None or self.wall_seconds <= 0:
            print(f'host: {self.cpus} CPUs; their load is unknown (no /proc/stat)')
            return
        others = max(0.0, self.busy_seconds - own_seconds) / self.wall_seconds
        print(f'host: {self.cpus} CPUs; other work used {others:.2f} of them on average '
              'during the runs')
        # An engine wants a CPU to itself, QEMU and DOSBox a bit more.
        if self.cpus - others < 1.5:
            print('NOTE the host was busy: the times are noisy, and DOSBox lowers its cycles '
                  'when it gets less CPU (the cpu us column moves least)')


def fmt_mib(kib):
    return f'{kib / 1024:.1f} MiB'


def per_iteration(samples, args):
    """Seconds per sieve iteration from the medians at N1 and N2, and the
    half-spread of the runs carried into it (how far apart they were, not a
    confidence interval)."""
    t1 = statistics.median(samples[args.n1])
    t2 = statistics.median(samples[args.n2])
    spread = sum(max(samples[n]) - min(samples[n]) for n in (args.n1, args.n2)) / 2
    return (t2 - t1) / (args.n2 - args.n1), spread / (args.n2 - args.n1), t1, t2


def print_engines(ready, failed, times, cpu_times, peak, args):
    """One line per engine that ran; returns {engine: (wall, cpu) us per iteration}
    for those whose figure is usable."""
    insns = sieve_instructions()
    per_iter = {}
    print(f'{"engine":<15} {"us/iter":>8} {"+/-":>6} {"cpu us":>8} {"MIPS":>5} '
          f'{"start-up":>8} {"t(N1)":>7} {"t(N2)":>7} {"peak RSS":>9}')
    for e in ready:
        if e.name in failed:
            continue
        wall, err, t1, t2 = per_iteration({n: times[(e.name, n)] for n in (args.n1, args.n2)},
                                          args)
        cpu = per_iteration({n: cpu_times[(e.name, n)] for n in (args.n1, args.n2)}, args)[0]
        us, err_us, cpu_us = wall * 1e6, err * 1e6, cpu * 1e6
        mips = f'{insns / us:5.0f}' if us > 0 else '    -'
        print(f'{e.name:<15} {us:8.1f} {err_us:6.1f} {cpu_us:8.1f} {mips} '
              f'{t1 - args.n1 * wall:7.2f}s {t1:6.2f}s {t2:6.2f}s {fmt_mib(peak[e.name]):>9}')
        if us > 0 and cpu_us > 0:
            per_iter[e.name] = (us, cpu_us)
        if us <= 0 or err_us > us / 4:
            print(f'NOTE {e.name}: the runs differ by more than a quarter of the difference '
                  'between N1 and N2; raise --n2 or --repeat, or quiet the host')
        elif cpu_us < MIN_BUSY * us:
            why = ('its cycles=max was still ramping up (raise --n1), or the host held it back'
                   if isinstance(e, DosboxEngine) else 'the host held it back')
            print(f'NOTE {e.name}: it used {cpu_us / us:.0%} of a CPU for the extra '
                  f'iterations: {why}')
    print(f'(one sieve iteration is {insns} guest instructions; cpu us: user + system time)')
    return per_iter


def print_ratios(per_iter, ran, peak):
    """IST against each peer, wall time (what the requirement and goal judge)
    and CPU time (what a busy host moves least). False when IST misses its
    requirement, or when both ran but their figures cannot judge it."""
    met = True
    ist = per_iter.get('mvm-ist')
    for peer, limit, kind in (('dosbox-dynamic', MUST_DOSBOX_DYNAMIC, 'must'),
                              ('dosbox-normal', None, None),
                              ('qemu-tcg', GOAL_QEMU_TCG, 'goal'),
                              ('mvm-ist-interp', None, None)):
        label = f'ist/{peer.removeprefix("mvm-")}'
        if ist is None or peer not in per_iter:
            missing = 'mvm-ist' if ist is None else peer
            line = f'{label:<19}      -  (no usable figure from {missing})'
            if kind == 'must' and {'mvm-ist', peer} <= ran:
                line += '  FAIL: not judged; raise --n2'
                met = False
            print(line)
            continue
        ratio = ist[0] / per_iter[peer][0]
        line = f'{label:<19} {ratio:6.2f}  cpu time {ist[1] / per_iter[peer][1]:5.2f}'
        if limit is not None:
            line += f'  ({kind} <= {limit:.2f})'
            if ratio > limit:
                line += '  FAIL' if kind == 'must' else '  not yet'
                met = met and kind != 'must'
        print(line)
    if peak.get('mvm-ist'):
        for peer in ('dosbox-normal', 'dosbox-dynamic'):
            if peak.get(peer):
                print(f'peak RSS at N2: mvm-ist {fmt_mib(peak["mvm-ist"])}  {peer} '
                      f'{fmt_mib(peak[peer])}  ratio {peak["mvm-ist"] / peak[peer]:.2f}')
    return met


def measure(ready, args):
    """Runs every engine R times at N1 and N2. Returns the wall and CPU times
    of the good runs by (engine, N), the peak RSS of each engine's N2 runs, and
    what went wrong by engine."""
    ns = (args.n1, args.n2)
    times = {(e.name, n): [] for e in ready for n in ns}
    cpu_times = {(e.name, n): [] for e in ready for n in ns}
    peak = {e.name: 0 for e in ready}
    failed = {}
    with tempfile.TemporaryDirectory(prefix='bench_cpu.') as workdir:
        for e in ready:
            for n in ns:
                e.prepare(workdir, n)
        # Round robin, so a host that slows down or speeds up mid-run weighs
        # on every engine alike.
        for _ in range(args.repeat):
            for n in ns:
                for e in ready:
                    if e.name in failed:
                        continue
                    r, problem = e.run(n, args.timeout)
                    if problem:
                        failed[e.name] = problem
                        print(f'FAIL {e.name} at N={n}: {problem}')
                        if r.log.strip():
                            print(r.log_tail())
                        sys.stdout.flush()
                        continue
                    times[(e.name, n)].append(r.seconds)
                    cpu_times[(e.name, n)].append(r.cpu_seconds)
                    if n == args.n2:
                        peak[e.name] = max(peak[e.name], r.maxrss_kib)
    return times, cpu_times, peak, failed


def main(argv):
    args = parse_args(argv)
    if MVM.startswith('@'):
        print('bench_cpu: run the copy meson makes, build-release/bench/cpu/bench_cpu, '
              'not bench/cpu/bench_cpu.py', file=sys.stderr)
        return EXIT_FAILED
    try:
        boot = read_image(SIEVE_BOOT, BOOT_SECTOR_SIZE)
        com = read_image(SIEVE_COM, COM_MAX_SIZE)
    except (OSError, ValueError) as e:
        print(f'bench_cpu: {e}', file=sys.stderr)
        return EXIT_FAILED
    engines = [MvmEngine('ist', boot), MvmEngine('ist', boot, interpret=True),
               DosboxEngine('normal', com),
               DosboxEngine('dynamic', com), QemuEngine(boot), MvmEngine('kvm', boot)]
    if args.engines:
        wanted = args.engines.split(',')
        unknown = set(wanted) - {e.name for e in engines}
        if unknown:
            print(f'bench_cpu: no engine {", ".join(sorted(unknown))}', file=sys.stderr)
            return EXIT_USAGE
        engines = [e for e in engines if e.name in wanted]

    status = 0
    ready = []
    for e in engines:
        why = e.probe()
        if why:
            print(f'SKIP {e.name}: {why}')
            if e.required and status == 0:
                status = EXIT_SKIP
        else:
            ready.append(e)

    print(f'N1 {args.n1}, N2 {args.n2}; median of {args.repeat} runs each')
    sys.stdout.flush()
    load = HostLoad()
    load.start()
    try:
        times, cpu_times, peak, failed = measure(ready, args)
    except (OSError, RuntimeError) as e:
        print(f'bench_cpu: {e}', file=sys.stderr)
        return EXIT_FAILED
    load.stop()
    load.report(sum(sum(v) for v in cpu_times.values()))

    per_iter = print_engines(ready, failed, times, cpu_times, peak, args)
    ran = {e.name for e in ready if e.name not in failed}
    if not print_ratios(per_iter, ran, peak):
        status = EXIT_FAILED
    if failed:
        status = EXIT_FAILED
    return status


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
