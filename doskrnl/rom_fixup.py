#!/usr/bin/env python3
"""rom_fixup.py: makes NASM's output a valid option ROM: pads it to whole
512-byte blocks (with room for the checksum byte), sets the size byte, the
PnP header's checksum and the last byte so that the whole image sums to 0."""
import sys


def main():
    src, dst = sys.argv[1], sys.argv[2]
    rom = bytearray(open(src, 'rb').read())
    if rom[:2] != b'\x55\xaa':
        sys.exit(f'{src}: no 55h AAh signature')
    size = (len(rom) + 1 + 511) // 512 * 512
    if size > 255 * 512:
        sys.exit(f'{src}: {len(rom)} bytes do not fit an option ROM')
    rom += bytes(size - len(rom))
    rom[2] = size // 512
    pnp = rom[0x1A] | rom[0x1B] << 8
    if rom[pnp:pnp + 4] != b'$PnP':
        sys.exit(f'{src}: no $PnP header at {pnp:#x}')
    length = rom[pnp + 5] * 16
    rom[pnp + 9] = 0
    rom[pnp + 9] = -sum(rom[pnp:pnp + length]) & 0xFF
    rom[-1] = 0
    rom[-1] = -sum(rom) & 0xFF
    open(dst, 'wb').write(rom)


if __name__ == '__main__':
    main()
