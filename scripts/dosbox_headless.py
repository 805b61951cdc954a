"""DOSBox 0.74 run headless, the way the DOS tests (tests/dos) and the benchmarks
(bench/cpu, bench/dos) run it as the peer mvm is compared with: no window (SDL's dummy
video driver), no sound, the fastest core, and its configuration and ~/.dosbox kept
in a directory of the caller's, never the user's."""
import os

CONF = """\
[sdl]
output=surface
[cpu]
core={core}
cycles=max
[mixer]
nosound=true
[speaker]
pcspeaker=false
[midi]
mpu401=none
"""


def write_conf(home, core="auto"):
    """Writes dosbox.conf into home (which must exist) and returns its path."""
    path = os.path.join(home, "dosbox.conf")
    with open(path, "w") as f:
        f.write(CONF.format(core=core))
    return path


def environment(home):
    """The environment DOSBox runs in: HOME is home, SDL draws and plays nothing."""
    return dict(os.environ, HOME=home, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy")
