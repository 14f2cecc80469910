#!/usr/bin/env python3
"""Rebuilds the seed corpora of fuzz/corpus/ from the repository's own test
material: the TCP streams of the captures in tests/captures/ (extracted with
tshark), tests/data/, the demo messages, the MIME test messages, the
scenarios, and a few lines from the unit tests' tables. Run from the top of
the tree; needs tshark. The corpora are committed: `make fuzz` does not run
this."""

import hashlib
import os
import re
import shutil
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(TOP, "fuzz", "corpus")

SMTP_PORTS = {25, 587, 465, 2525}
POP3_PORTS = {110, 995, 2110}
IMAP_PORTS = {143, 993, 2143}
CAPTURES = os.path.join(TOP, "tests", "captures")


def put(target, data):
    """Stores data in the target's corpus under its hash (no duplicates)."""
    if not data:
        return
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def streams(path):
    """Yields (server_port, client_bytes, server_bytes) for each TCP stream."""
    conv = subprocess.run(["tshark", "-r", path, "-T", "fields", "-e", "tcp.stream"],
                          capture_output=True, text=True, check=True).stdout
    ids = sorted({int(x) for x in conv.split() if x.strip().isdigit()})
    for sid in ids:
        out = subprocess.run(["tshark", "-r", path, "-q", "-z", f"follow,tcp,raw,{sid}"],
                             capture_output=True, text=True, check=True).stdout
        nodes = dict(re.findall(r"^Node (\d): .*:(\d+)$", out, re.M))
        if len(nodes) != 2:
            continue
        data = {0: bytearray(), 1: bytearray()}
        for line in out.splitlines():
            m = re.fullmatch(r"(\t?)([0-9a-f]+)", line)
            if m:
                data[1 if m.group(1) else 0] += bytes.fromhex(m.group(2))
        p0, p1 = int(nodes["0"]), int(nodes["1"])
        known = SMTP_PORTS | POP3_PORTS | IMAP_PORTS
        if p1 in known:
            yield p1, bytes(data[0]), bytes(data[1])
        elif p0 in known:
            yield p0, bytes(data[1]), bytes(data[0])


def from_captures():
    for name in sorted(os.listdir(CAPTURES)):
        if not name.endswith((".pcap", ".pcapng")):
            continue
        path = os.path.join(CAPTURES, name)
        with open(path, "rb") as f:
            put("fuzz-pcap", f.read())
        for port, c2s, s2c in streams(path):
            if port in SMTP_PORTS:
                put("fuzz-smtp", c2s)
                put("fuzz-smtp", s2c)
            elif port in POP3_PORTS:
                put("fuzz-pop3", c2s)
                put("fuzz-pop3", s2c)
            elif port in IMAP_PORTS:
                put("fuzz-imap-command", c2s)
                put("fuzz-imap-response", s2c)


def files(target, directory, suffix):
    d = os.path.join(TOP, directory)
    for name in sorted(os.listdir(d)):
        if name.endswith(suffix):
            with open(os.path.join(d, name), "rb") as f:
                put(target, f.read())


def c_strings(path):
    """The string literals of a C test file, escapes decoded (roughly)."""
    with open(os.path.join(TOP, path), encoding="utf-8") as f:
        text = f.read()
    for m in re.finditer(r'"((?:[^"\\\n]|\\.)*)"', text):
        s = m.group(1)
        try:
            yield s.encode("utf-8").decode("unicode_escape").encode("latin-1")
        except (UnicodeDecodeError, UnicodeEncodeError):
            yield s.encode("utf-8")


def main():
    if shutil.which("tshark") is None:
        sys.exit("make-corpus.py: tshark is needed to extract the captures' streams")
    shutil.rmtree(OUT, ignore_errors=True)
    from_captures()
    with open(os.path.join(TOP, "tests", "data", "imap-dovecot-c2s.bin"), "rb") as f:
        put("fuzz-imap-command", f.read())
    with open(os.path.join(TOP, "tests", "data", "imap-dovecot-s2c.bin"), "rb") as f:
        put("fuzz-imap-response", f.read())
    for target in ("fuzz-mime", "fuzz-imap-message"):
        files(target, "scenarios/mail", ".eml")
        files(target, "tests/mime", ".eml")
    files("fuzz-scenario", "scenarios", ".scn")
    files("fuzz-scenario", "tests/fixtures", ".scn")
    # The unit tests' tables: command lines (one file of them per target),
    # mailbox names.
    for target, test in (("fuzz-smtp", "tests/test-smtp-proto.c"),
                         ("fuzz-pop3", "tests/test-pop3-proto.c"),
                         ("fuzz-imap-command", "tests/test-imap-parser.c")):
        lines = [s for s in c_strings(test) if 0 < len(s) < 300]
        put(target, b"\r\n".join(lines) + b"\r\n")
    for s in c_strings("tests/test-imap-utf7.c"):
        if 0 < len(s) < 100:
            put("fuzz-imap-utf7", s)


if __name__ == "__main__":
    main()
