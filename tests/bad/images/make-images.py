#!/usr/bin/env python3
"""make-images.py - writes the binary inputs of this catalogue: a small valid ESP32-S3 app
image (app descriptor in a DROM segment, a DRAM segment, an IROM segment, checksum and
SHA-256 as esptool writes them), each copy broken in one way, plus a few other files.
Run it from this folder; the .expected files say what mmsim answers to each."""
import hashlib
import struct


def image(chip_id=9, segs=None, count=None, hash_appended=True, desc_magic=0xABCD5432):
    if segs is None:
        desc = struct.pack('<II', desc_magic, 0) + b'\0' * 8 + b'1.0'.ljust(32, b'\0') + \
            b'bad'.ljust(32, b'\0') + b'\0' * (256 - 80)
        segs = [(0x3C000020, desc), (0x3FC88000, b'\x11' * 16), (0x42000140, b'\x22' * 32)]
    out = bytearray(struct.pack('<BBBBI', 0xE9, len(segs) if count is None else count, 2, 0x2F,
                                0x42000140))
    out += bytes([0xEE, 0, 0, 0]) + struct.pack('<HBHH', chip_id, 0, 0, 0xFFFF) + b'\0' * 4
    out += bytes([1 if hash_appended else 0])
    x = 0xEF
    for addr, data in segs:
        out += struct.pack('<II', addr, len(data)) + data
        for b in data:
            x ^= b
    while (len(out) + 1) % 16:
        out.append(0)
    out.append(x)
    if hash_appended:
        out += hashlib.sha256(out).digest()
    return bytearray(out)


def write(name, data):
    open(name, 'wb').write(bytes(data))


good = image()
write('truncated-header.bin', good[:10])
b = image(); b[0] = 0xE8; write('bad-magic.bin', b)
b = image(); b[0x130] ^= 0xFF; write('bad-checksum.bin', b)
b = image(); b[-1] ^= 0x01; write('bad-hash.bin', b)
write('wrong-chip.bin', image())
b = image(); struct.pack_into('<I', b, 0x120 + 4, 0x11); write('bad-segment-length.bin', b)
write('too-many-segments.bin', image(count=17))
desc = struct.pack('<I', 0xABCD5432) + b'\0' * 12
write('short-app-desc.bin', image(segs=[(0x3C000020, desc)]))
b = image(); struct.pack_into('<I', b, 24, 0x3C000040); write('misaligned-drom.bin', b)
b = image(); struct.pack_into('<I', b, 0x120, 0x60000000); write('bad-load-address.bin', b)
write('truncated-segment.bin', image()[:0x150])
write('too-big-for-partition.bin', image())
write('no-app-desc-c6.bin', image(chip_id=13, segs=[(0x42000020, b'\0' * 256),
                                                   (0x42000140, b'\x22' * 32)]))
write('unknown-chip.bin', image(chip_id=0x77))
write('empty.bin', b'')
write('merged-no-bootloader.bin', b'\xff' * 0x100)
write('otadata-short.bin', b'\xff' * 100)
