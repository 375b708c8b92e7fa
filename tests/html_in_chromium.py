#!/usr/bin/env python3
"""html_in_chromium.py - the step-through pages (`mmsim render --html`) in a real browser.

For each lesson: write its page and the PNGs of `mmsim render` at known steps, load the
page in headless Chromium through the DevTools protocol, step with the keys (Right,
Left, Space, Backspace, n, p, Home, End, h) and check the step shown and its text after
each, take screenshots at the known steps and compare them with the PNGs at the centre
of every cache line, MMU entry, legend swatch and himem bank page (the same layout, so
the same colour, which must be the palette's colour of the rectangle), and fail on any
console error or uncaught exception.  Python's standard library only: a small WebSocket
client and PNG reader are below.

usage: html_in_chromium.py MMSIM CHROMIUM WORKDIR LESSON.yaml...
"""
import base64
import http.client
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import time
import zlib

# ---- PNG (8-bit RGB or RGBA, non-interlaced: what SDL_image and Chromium write) ----


def png_read(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and ctype in (2, 6) and interlace == 0, "PNG form %d/%d/%d" % (depth, ctype, interlace)
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev = [], bytearray(stride)
    low, high = int.from_bytes(b"\x7f" * stride, "little"), int.from_bytes(b"\x80" * stride, "little")
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if f == 0:
            rows.append(line)
            prev = line
            continue
        if f == 2:
            # Up, the commonest: every byte plus the byte above, mod 256, in one big-integer sum
            # whose carries are kept inside each byte.
            a, b = int.from_bytes(line, "little"), int.from_bytes(prev, "little")
            line = bytearray((((a & low) + (b & low)) ^ ((a ^ b) & high)).to_bytes(stride, "little"))
            rows.append(line)
            prev = line
            continue
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    return w, h, bpp, rows


def pixel(img, x, y):
    w, h, bpp, rows = img
    return tuple(rows[y][x * bpp:x * bpp + 3])

# ---- a WebSocket client, enough for the DevTools protocol ----


class Socket:
    def __init__(self, url):
        m = re.match(r"ws://([^:/]+):(\d+)(/.*)", url)
        self.s = socket.create_connection((m.group(1), int(m.group(2))), timeout=60)
        key = base64.b64encode(os.urandom(16)).decode()
        self.s.sendall(("GET %s HTTP/1.1\r\nHost: %s:%s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n"
                        % (m.group(3), m.group(1), m.group(2), key)).encode())
        self.f = self.s.makefile("rb")
        status = self.f.readline()
        assert b" 101 " in status, "no WebSocket upgrade: %r" % status
        while self.f.readline() not in (b"\r\n", b""):
            pass

    def send(self, text):
        data = text.encode()
        n = len(data)
        head = bytes([0x81]) + (bytes([0x80 | n]) if n < 126 else bytes([0x80 | 126]) + struct.pack(">H", n)
                                if n < 65536 else bytes([0x80 | 127]) + struct.pack(">Q", n))
        mask = os.urandom(4)
        self.s.sendall(head + mask + bytes(b ^ mask[i & 3] for i, b in enumerate(data)))

    def recv(self):
        message = b""
        while True:
            b0, b1 = self.f.read(2)
            n = b1 & 127
            if n == 126:
                n = struct.unpack(">H", self.f.read(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self.f.read(8))[0]
            payload = self.f.read(n)
            op = b0 & 15
            if op == 8:
                raise EOFError("the browser closed the connection")
            if op in (9, 10):
                continue
            message += payload
            if b0 & 0x80:
                return json.loads(message)


class Browser:
    def __init__(self, chromium, profile):
        self.proc = subprocess.Popen(
            [chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--force-color-profile=srgb", "--hide-scrollbars", "--remote-debugging-port=0",
             "--user-data-dir=" + profile, "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        port = None
        deadline = time.time() + 60
        while time.time() < deadline:
            line = self.proc.stderr.readline()
            m = re.search(r"DevTools listening on ws://[^:]+:(\d+)/", line)
            if m:
                port = int(m.group(1))
                break
            if not line and self.proc.poll() is not None:
                break
        assert port, "Chromium did not start its DevTools endpoint"
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", "/json/list")
        pages = [t for t in json.loads(conn.getresponse().read()) if t["type"] == "page"]
        self.ws = Socket(pages[0]["webSocketDebuggerUrl"])
        self.next_id = 0
        self.events = []
        for domain in ("Runtime", "Log", "Page"):
            self.call(domain + ".enable")

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            m = self.ws.recv()
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise RuntimeError("%s: %s" % (method, m["error"]))
                return m.get("result", {})
            self.events.append(m)

    def wait_event(self, method):
        while True:
            for i, e in enumerate(self.events):
                if e.get("method") == method:
                    return self.events.pop(i)
            self.events.append(self.ws.recv())

    def eval(self, expr):
        r = self.call("Runtime.evaluate", expression=expr, returnByValue=True)
        if "exceptionDetails" in r:
            raise RuntimeError("%s: %s" % (expr, r["exceptionDetails"]))
        return r["result"].get("value")

    KEYS = {"ArrowRight": 39, "ArrowLeft": 37, "Home": 36, "End": 35, "Backspace": 8, " ": 32,
            "n": 78, "p": 80, "h": 72}

    def key(self, key):
        code = self.KEYS[key]
        text = key if len(key) == 1 else ""
        for kind in ("keyDown", "keyUp"):
            self.call("Input.dispatchKeyEvent", type=kind, key=key, windowsVirtualKeyCode=code,
                      nativeVirtualKeyCode=code, text=text if kind == "keyDown" else "")

    def console_errors(self):
        bad = []
        for e in self.events:
            m, p = e.get("method"), e.get("params", {})
            if m == "Runtime.exceptionThrown":
                bad.append("exception: %s" % p["exceptionDetails"].get("exception", {}).get("description",
                                                                                          p["exceptionDetails"]))
            elif m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert", "warning"):
                bad.append("console.%s: %s" % (p["type"], [a.get("value") for a in p.get("args", [])]))
            elif m == "Log.entryAdded" and p["entry"]["level"] in ("error", "warning"):
                bad.append("log %s: %s" % (p["entry"]["level"], p["entry"]["text"]))
        return bad

    def close(self):
        self.proc.kill()
        self.proc.wait()

# ---- the checks ----


# viz_item_t (viz/include/viz_layout.h)
ITEM_MMU_ENTRY, ITEM_CACHE_LINE, ITEM_BANK_PAGE, ITEM_LEGEND = 8, 9, 10, 13
CHECKED_ITEMS = (ITEM_MMU_ENTRY, ITEM_CACHE_LINE, ITEM_BANK_PAGE, ITEM_LEGEND)


def check_picture(b, mmsim, lesson, step, work, name, failures):
    png_path = os.path.join(work, "%s-step%d.png" % (name, step))
    subprocess.run([mmsim, "render", lesson, "--step", str(step), "-o", png_path], check=True,
                   env=dict(os.environ, SDL_VIDEODRIVER="dummy"))
    ref = png_read(open(png_path, "rb").read())
    box = b.eval("(function(){const r=document.getElementById('pic').getBoundingClientRect();"
                 "return [r.left, r.top, r.width, r.height];})()")
    shot = b.call("Page.captureScreenshot", format="png", captureBeyondViewport=True,
                  clip={"x": box[0], "y": box[1], "width": box[2], "height": box[3], "scale": 1})
    img = png_read(base64.b64decode(shot["data"]))
    assert (img[0], img[1]) == (ref[0], ref[1]), "screenshot %dx%d, PNG %dx%d" % (img[0], img[1], ref[0], ref[1])
    rects = b.eval("(function(){const D=mmsimPage.data, st=D.steps[mmsimPage.step()], out=[];"
                   "for (let i=0;i<st.r.length;i+=2) for (let k=0;k<st.r[i+1];k++) out.push(D.rects[st.r[i]+k]);"
                   "return out;})()")
    palette = b.eval("mmsimPage.data.palette")
    checked = 0
    for x, y, w, h, fill, outline, tip, item, index in rects:
        if item not in CHECKED_ITEMS or not fill or w < 3 or h < 3:
            continue
        cx, cy = x + w // 2, y + h // 2
        want = tuple(int(palette[fill][i:i + 2], 16) for i in (1, 3, 5))
        got, png = pixel(img, cx, cy), pixel(ref, cx, cy)
        checked += 1
        if png != got:
            failures.append("%s step %d: item %d/%d at (%d,%d): page %s, PNG %s" % (name, step, item, index, cx, cy,
                                                                                   got, png))
        elif png != want and outline == 0:
            failures.append("%s step %d: item %d/%d at (%d,%d): %s, not the palette's %s" % (name, step, item, index,
                                                                                             cx, cy, got, want))
    if checked < 10:
        failures.append("%s step %d: only %d rectangles to compare" % (name, step, checked))
    return checked


def check_lesson(b, mmsim, lesson, work, failures):
    name = os.path.splitext(os.path.basename(lesson))[0]
    page = os.path.join(work, name + ".html")
    subprocess.run([mmsim, "render", lesson, "--html", page], check=True, env=dict(os.environ, SDL_VIDEODRIVER="dummy"))
    html = open(page, encoding="utf-8").read()
    for pattern in (r"<script[^>]*\ssrc=", r"<link\b", r"https?://(?!www\.w3\.org/2000/svg)"):
        if re.search(pattern, html):
            failures.append("%s: the page reaches outside itself (%s)" % (name, pattern))
    b.call("Emulation.setDeviceMetricsOverride", width=1440, height=1200, deviceScaleFactor=1, mobile=False)
    b.events.clear()
    b.call("Page.navigate", url="file://" + os.path.abspath(page))
    b.wait_event("Page.loadEventFired")
    last = b.eval("mmsimPage.data.steps.length - 1")
    first_hazard = b.eval("mmsimPage.data.firstHazard")

    def expect(step, after):
        got = b.eval("mmsimPage.step()")
        head = b.eval("document.getElementById('head').textContent")
        want_head = "step %d of" % b.eval("mmsimPage.data.steps[%d].n" % step)
        if got != step or not head.startswith(want_head):
            failures.append("%s: after %s the page shows step %s (%r), expected %d" % (name, after, got, head, step))

    expect(0, "loading")
    checked = check_picture(b, mmsim, lesson, 0, work, name, failures)
    b.key("ArrowRight")
    expect(1, "Right")
    b.key(" ")
    b.key("n")
    expect(min(3, last), "Space, n")
    b.key("ArrowLeft")
    b.key("Backspace")
    expect(min(3, last) - 2, "Left, Backspace")
    b.key("p")
    b.key("p")
    expect(0, "p past the start")
    b.key("End")
    expect(last, "End")
    checked += check_picture(b, mmsim, lesson, last, work, name, failures)
    b.key("ArrowRight")
    expect(last, "Right past the end")
    b.key("Home")
    expect(0, "Home")
    if first_hazard >= 0:
        b.key("h")
        expect(first_hazard, "h")
        haz = b.eval("document.getElementById('haz').textContent + document.getElementById('fail').textContent")
        if not haz:
            failures.append("%s: the first hazard's step lists no hazard" % name)
        checked += check_picture(b, mmsim, lesson, first_hazard, work, name, failures)
    for e in b.console_errors():
        failures.append("%s: %s" % (name, e))
    print("%s: %d steps, first hazard at %d, %d rectangles compared" % (name, last, first_hazard, checked))


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    mmsim, chromium, work = sys.argv[1:4]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    b = Browser(chromium, os.path.join(work, "profile"))
    failures = []
    try:
        for lesson in sys.argv[4:]:
            check_lesson(b, mmsim, lesson, work, failures)
    finally:
        b.close()
    for f in failures[:40]:
        print("FAIL", f)
    if failures:
        sys.exit("%d differences" % len(failures))


if __name__ == "__main__":
    main()
