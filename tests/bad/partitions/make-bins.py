#!/usr/bin/env python3
"""make-bins.py - writes the binary entries of this catalogue (run from this folder).

Each *.bin here is a partition table broken in one way; NAME.expected beside it holds
the message fw_partition_tool prints for it.  The tables are built from scratch here
(standard library only) so each break is plain to see."""
import hashlib
import struct


def entry(label, ptype, subtype, offset, size, flags=0, magic=0x50AA):
    return struct.pack('<HBBII16sI', magic, ptype, subtype, offset, size, label.encode(), flags)


def md5_record(entries):
    return b'\xeb\xeb' + b'\xff' * 14 + hashlib.md5(entries).digest()


END = b'\xff' * 32
GOOD = (entry('nvs', 1, 2, 0x9000, 0x6000) + entry('phy_init', 1, 1, 0xF000, 0x1000)
        + entry('factory', 0, 0, 0x10000, 0x100000))


def table(body):
    """Pad to 0xC00 bytes with 0xFF, as gen_esp32part.py does."""
    return body + b'\xff' * (0xC00 - len(body))


def write(name, data):
    with open(name, 'wb') as f:
        f.write(data)


good = table(GOOD + md5_record(GOOD))
write('empty.bin', b'')
write('truncated.bin', good[:100])                         # inside entry 3 (the MD5 record)
write('truncated-before-end.bin', good[:0x80])             # entries and MD5, no end marker
write('oversized.bin', good + b'\xff' * 0x401)             # 0x1001 bytes: more than the sector
write('erased.bin', b'\xff' * 0xC00)                       # end marker first: an empty table
bad_magic = GOOD[:32] + entry('phy_init', 1, 1, 0xF000, 0x1000, magic=0x50AB) + GOOD[64:]
write('bad-magic.bin', table(bad_magic + md5_record(bad_magic)))
corrupt = bytearray(good)
corrupt[0x70] ^= 0x01                                     # first byte of the digest
write('bad-md5.bin', bytes(corrupt))
write('no-md5.bin', table(GOOD))                           # the app wants the MD5 record
write('second-md5.bin', table(GOOD + md5_record(GOOD) + md5_record(GOOD)))
after = GOOD + md5_record(GOOD) + entry('late', 1, 0x81, 0x110000, 0x10000)
write('partition-after-md5.bin', table(after))
many = b''.join(entry('p%02d' % i, 1, 0x40, 0x9000 + 0x1000 * i, 0x1000) for i in range(96))
write('no-end-marker.bin', many)                           # 96 partitions fill all 0xC00 bytes
overlap = GOOD[:32] + entry('phy_init', 1, 1, 0xE000, 0x1000) + GOOD[64:]
write('overlapping.bin', table(overlap + md5_record(overlap)))
misaligned = GOOD[:64] + entry('factory', 0, 0, 0x18000, 0x100000)
write('misaligned-entry.bin', table(misaligned + md5_record(misaligned)))
below = entry('early', 1, 2, 0x7000, 0x6000) + GOOD[32:]
write('below-table.bin', table(below + md5_record(below)))
big = GOOD[:64] + entry('factory', 0, 0, 0x10000, 0x400000)
write('past-flash.bin', table(big + md5_record(big)))
