#!/usr/bin/env python3
"""facteur decode on damaged input: files cut short, garbage, a record with an
impossible length, bytes flipped at random, a link type facteur does not
read. Each is reported (the file named, what is wrong, exit 2), what came
before the damage is decoded, and nothing crashes (under make check-asan the
binary is the sanitised one)."""
import json
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from tap import Tap  # noqa: E402

TOP = os.environ.get("FACTEUR_TOP", os.path.join(os.path.dirname(__file__), ".."))
FACTEUR = os.environ.get("FACTEUR", os.path.join(TOP, "build", "facteur"))
CAPTURES = os.path.join(TOP, "tests", "captures")


def decode(path, *extra):
    return subprocess.run([FACTEUR, "decode", "--lang", "en", *extra, path],
                          capture_output=True, text=True, errors="replace")


def one_line(err):
    return err.count("\n") == 1


def main():
    t = Tap()
    tmp = tempfile.mkdtemp(prefix="facteur-corrupt-")
    try:
        src = os.path.join(CAPTURES, "smtp-errors.pcap")
        data = open(src, "rb").read()

        # Cut in the middle of a packet record, and inside a record header.
        for cut, what in ((len(data) // 2 + 7, "inside a packet"), (24 + 10, "inside a record header")):
            p = os.path.join(tmp, "cut.pcap")
            open(p, "wb").write(data[:cut])
            r = decode(p, "--json")
            t.eq(r.returncode, 2, f"file cut {what}: exit 2")
            t.ok(one_line(r.stderr) and p in r.stderr and "damaged" in r.stderr,
                 f"file cut {what}: one line naming the file and the damage")
            events = [json.loads(line) for line in r.stdout.splitlines()]
            t.ok(any(e.get("name") == "damaged-file" for e in events),
                 f"file cut {what}: a damaged-file note event")
            if what == "inside a packet":
                t.ok(any(e["kind"] == "command" for e in events),
                     f"file cut {what}: what came before is decoded")
                t.ok(events[-1]["kind"] == "connection" or any(
                    e["kind"] == "connection" and e.get("name") == "close" for e in events),
                    f"file cut {what}: open connections are ended")

        # A record whose captured length is impossible.
        p = os.path.join(tmp, "biglen.pcap")
        first_len = struct.unpack("<I", data[24 + 8:24 + 12])[0]
        second = 24 + 16 + first_len
        bad = bytearray(data)
        bad[second + 8:second + 12] = struct.pack("<I", 0x7FFFFFF0)
        open(p, "wb").write(bytes(bad))
        r = decode(p)
        t.eq(r.returncode, 2, "impossible record length: exit 2")
        t.ok(one_line(r.stderr) and "damaged after frame 1" in r.stderr,
             "impossible record length: says after which frame")

        # Not a capture at all, empty, missing.
        for name, content in (("garbage.pcap", os.urandom(4096)), ("empty.pcap", b"")):
            p = os.path.join(tmp, name)
            open(p, "wb").write(content)
            r = decode(p)
            t.eq(r.returncode, 2, f"{name}: exit 2")
            t.ok(one_line(r.stderr) and p in r.stderr and "cannot be read as a capture" in r.stderr,
                 f"{name}: one line naming the file")
        r = decode(os.path.join(tmp, "missing.pcap"))
        t.ok(r.returncode == 2 and one_line(r.stderr) and "missing.pcap" in r.stderr,
             "missing file: exit 2, one line naming it")

        # A link type facteur does not read (802.11).
        p = os.path.join(tmp, "wifi.pcap")
        hdr = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 105)
        open(p, "wb").write(hdr)
        r = decode(p)
        t.ok(r.returncode == 2 and one_line(r.stderr) and "link type" in r.stderr,
             "unsupported link type: exit 2 and says so")

        # Bytes flipped at random in every capture: reported or decoded, never a crash.
        rnd = random.Random(1793610000)
        crashes = 0
        runs = 0
        for name in sorted(os.listdir(CAPTURES)):
            if name.endswith((".tsv", ".txt", ".md", ".jsonl")):
                continue
            orig = open(os.path.join(CAPTURES, name), "rb").read()
            for _ in range(4):
                b = bytearray(orig)
                for _ in range(64):
                    i = rnd.randrange(24, len(b))
                    b[i] = rnd.randrange(256)
                p = os.path.join(tmp, "flip-" + name)
                open(p, "wb").write(bytes(b))
                for extra in ((), ("--json",)):
                    r = decode(p, *extra)
                    runs += 1
                    if r.returncode not in (0, 2):
                        crashes += 1
                        print(f"# {name}: exit {r.returncode}: {r.stderr[-500:]}")
        t.eq(crashes, 0, f"random damage in every capture ({runs} runs): exit 0 or 2, never a crash")
    finally:
        shutil.rmtree(tmp)
    t.done()


main()
