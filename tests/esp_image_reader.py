#!/usr/bin/env python3
"""esp_image_reader.py - an independent reader of ESP32-family app and bootloader images,
written from esptool's documented format, for the images_vs_esptool ctest: it prints the
segment table exactly as `fw_tool image --table` does, so that mmsim's C parser can be
checked against it on real images.  It shares no code with mmsim.

  esp_image_reader.py FILE   -> chip_id, entry, segments, one line per segment
                                (index, load address, length, data offset), checksum, hash
A file that ends inside the header, a segment or the checksum prints "truncated"."""
import hashlib
import struct
import sys


def main(path):
    data = open(path, 'rb').read()
    if len(data) < 24 or data[0] != 0xE9:
        print('truncated' if data[:1] == b'\xe9' else 'not an image')
        return
    count = data[1]
    entry = struct.unpack_from('<I', data, 4)[0]
    chip_id = struct.unpack_from('<H', data, 12)[0]
    hash_appended = data[23] != 0
    lines = ['chip_id %d' % chip_id, 'entry 0x%08x' % entry, 'segments %d' % count]
    pos = 24
    checksum = 0xEF
    for i in range(count):
        if pos + 8 > len(data):
            print('truncated')
            return
        load, length = struct.unpack_from('<II', data, pos)
        pos += 8
        if pos + length > len(data):
            print('truncated')
            return
        lines.append('segment %d 0x%08x 0x%x 0x%x' % (i, load, length, pos))
        for b in data[pos:pos + length]:
            checksum ^= b
        pos += length
    # zero padding so that the checksum byte ends a 16-byte block
    end = (pos + 16) & ~15
    if end > len(data):
        print('truncated')
        return
    lines.append('checksum %s' % ('ok' if data[end - 1] == checksum else 'bad'))
    if hash_appended:
        if end + 32 > len(data):
            print('truncated')
            return
        ok = hashlib.sha256(data[:end]).digest() == data[end:end + 32]
        lines.append('hash %s' % ('ok' if ok else 'bad'))
    else:
        lines.append('hash none')
    print('\n'.join(lines))


if __name__ == '__main__':
    main(sys.argv[1])
