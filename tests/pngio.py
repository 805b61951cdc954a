"""pngio.py: 8-bit RGB PNG files read and written in pure Python (stdlib zlib and struct),
and binary PPM files (QEMU's screendumps).

The tests compare mvm's screenshots without PIL: read_png gives (width, height, rgb)
with rgb the rows' bytes, three per pixel, top to bottom; write_png takes the same, and so
do read_ppm and write_ppm.
"""

import re
import struct
import zlib

SIGNATURE = b"\x89PNG\r\n\x1a\n"
COLOUR_RGB, COLOUR_RGBA = 2, 6


class PngError(Exception):
    """A file that is not a PNG this module reads."""


class PpmError(Exception):
    """A file that is not a binary PPM (P6, maxval 255) this module reads."""


def read_ppm(path):
    with open(path, "rb") as f:
        data = f.read()
    m = re.match(rb"P6\s+(\d+)\s+(\d+)\s+255\s", data)
    if not m:
        raise PpmError(f"{path} is not a binary PPM")
    w, h = int(m.group(1)), int(m.group(2))
    if len(data) < m.end() + w * h * 3:
        raise PpmError(f"{path} holds fewer pixels than {w}x{h}")
    return w, h, data[m.end():m.end() + w * h * 3]


def write_ppm(path, width, height, rgb):
    with open(path, "wb") as f:
        f.write(b"P6\n%d %d\n255\n" % (width, height) + bytes(rgb))


def _unfilter(raw, width, height, channels):
    """The rows of a PNG's inflated data with each row's filter undone (PNG spec 9.2)."""
    stride = width * channels
    out, prev = bytearray(), bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind = raw[start]
        line = bytearray(raw[start + 1:start + 1 + stride])
        if kind == 2:
            line = bytearray((v + p) & 255 for v, p in zip(line, prev))
        elif kind in (1, 3, 4):
            for i in range(stride):
                a = line[i - channels] if i >= channels else 0
                b = prev[i]
                if kind == 1:
                    line[i] = (line[i] + a) & 255
                elif kind == 3:
                    line[i] = (line[i] + (a + b) // 2) & 255
                else:
                    c = prev[i - channels] if i >= channels else 0
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                    line[i] = (line[i] + pred) & 255
        elif kind != 0:
            raise PngError(f"row {y} has filter type {kind}")
        out += line
        prev = line
    return out


def read_png(path):
    """(width, height, bytes of RGB rows) of an 8-bit RGB or RGBA PNG, not interlaced."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != SIGNATURE:
        raise PngError(f"{path} is not a PNG")
    pos, idat, header = 8, b"", None
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            if len(body) != 13:
                raise PngError(f"{path}: an IHDR chunk of {len(body)} bytes")
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
        pos += 12 + length
    if header is None:
        raise PngError(f"{path}: no IHDR chunk")
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (COLOUR_RGB, COLOUR_RGBA) or interlace:
        raise PngError(f"{path}: PNG of depth {depth}, colour type {colour}, interlace "
                       f"{interlace}; expected 8-bit RGB")
    channels = 3 if colour == COLOUR_RGB else 4
    try:
        raw = zlib.decompress(idat)
    except zlib.error as e:
        raise PngError(f"{path}: image data does not inflate: {e}") from None
    if len(raw) < height * (width * channels + 1):
        raise PngError(f"{path}: image data too short for {width}x{height}")
    rows = _unfilter(raw, width, height, channels)
    if channels == 4:
        del rows[3::4]
    return width, height, bytes(rows)


def _chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(
        ">I", zlib.crc32(kind + body))


def write_png(path, width, height, rgb):
    """Writes RGB rows (3 bytes a pixel, top to bottom) as an 8-bit RGB PNG."""
    stride = width * 3
    if len(rgb) != stride * height:
        raise ValueError(f"{len(rgb)} bytes are not {width}x{height} RGB pixels")
    raw = b"".join(b"\x00" + rgb[y * stride:(y + 1) * stride] for y in range(height))
    with open(path, "wb") as f:
        f.write(SIGNATURE
                + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, COLOUR_RGB,
                                              0, 0, 0))
                + _chunk(b"IDAT", zlib.compress(raw, 9))
                + _chunk(b"IEND", b""))
