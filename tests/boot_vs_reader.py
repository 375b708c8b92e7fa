#!/usr/bin/env python3
"""boot_vs_reader.py - boot an app image with `mmsim boot` and check the bootloader's
segment lines against the segment table esp_image_reader.py (an independent reader, no
code shared with mmsim) reads from the same file.

  boot_vs_reader.py MMSIM READER IMAGE CHIP [mmsim boot options...]

The image is booted as a lone app (placed at 0x10000), so every segment N must appear in
the boot log as ESP-IDF's bootloader prints it,
  esp_image: segment N: paddr=<0x10000 + data offset> vaddr=<load> size=<len>h (<len>) <use>
with `map` for each segment in the chip's flash-mapped range, and the log must end the
bootloader's part with "Loaded app from partition at offset 0x10000".  Exit 0 when all
agree, 1 with the differences listed."""
import re
import subprocess
import sys


def main(mmsim, reader, image, chip, extra):
    table = subprocess.run([sys.executable, reader, image], capture_output=True, text=True, check=True).stdout
    segs = [tuple(int(x, 0) for x in l.split()[1:]) for l in table.splitlines() if l.startswith('segment ')]
    boot = subprocess.run([mmsim, 'boot', image, '--chip', chip] + extra, capture_output=True, text=True)
    if boot.returncode != 0:
        print('%s: mmsim boot failed (%d): %s' % (image, boot.returncode, boot.stderr.strip()))
        return 1
    got = {}
    for l in boot.stdout.splitlines():
        m = re.search(r'esp_image: segment (\d+): paddr=([0-9a-f]{8}) vaddr=([0-9a-f]{8}) '
                      r'size=([0-9a-f]{5,})h \( *(\d+)\) ?(\w*)$', l)
        if m:
            got[int(m.group(1))] = (int(m.group(2), 16), int(m.group(3), 16), int(m.group(4), 16),
                                    int(m.group(5)), m.group(6))
    bad = []
    mapped = 0
    for (i, load, length, offset) in segs:
        g = got.get(i)
        want = (0x10000 + offset, load, length, length)
        if not g or g[:4] != want:
            bad.append('segment %d: reader says paddr=%08x vaddr=%08x size=%x, boot log says %s'
                       % (i, want[0], load, length, g))
        elif g[4] == 'map':
            mapped += 1
    if len(got) != len(segs):
        bad.append('%d segments in the image, %d in the boot log' % (len(segs), len(got)))
    if mapped != 2:
        bad.append('%d segments mapped, the bootloader maps 2 (DROM and IROM)' % mapped)
    if 'Loaded app from partition at offset 0x10000' not in boot.stdout:
        bad.append('no "Loaded app" line')
    for b in bad:
        print('%s (%s): %s' % (image, chip, b))
    if not bad:
        print('%s (%s): %d segments, 2 mapped, as the reader reads them' % (image, chip, len(segs)))
    return 1 if bad else 0


if __name__ == '__main__':
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]))
