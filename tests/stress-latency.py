#!/usr/bin/env python3
"""Latency of one command on loopback: a reply made of two writes (POP3's
"+OK" line then the message, IMAP's FETCH) must not wait for the client's
delayed ACK. Before the servers set TCP_NODELAY each RETR took 40 ms here
(Nagle's algorithm held the message back): the median must stay under 5 ms.
And 200 clients connecting at once are all greeted without a dropped SYN
(GLib's default listen backlog of 10 made some wait for the kernel's 1 s
retry: 14 s for the 200 before the fix)."""
import os
import socket
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from faultlib import Client, Server  # noqa: E402
from tap import Tap  # noqa: E402

t = Tap()
N = 60
LIMIT_MS = 5.0


def big_message(size):
    """A message of about size octets whose lines tell where they are."""
    lines = [f"Subject: big {size}", ""]
    total = 0
    k = 0
    while total < size:
        line = f"line {k:08d} " + "abcdefghij" * 6
        lines.append(line)
        total += len(line) + 2
        k += 1
    return "\r\n".join(lines) + "\r\n"


def report(name, times):
    ms = sorted(x * 1000 for x in times)
    med = statistics.median(ms)
    print(f"# {name}: median {med:.2f} ms, max {ms[-1]:.2f} ms over {len(ms)}")
    t.ok(med < LIMIT_MS, f"{name}: median latency {med:.2f} ms < {LIMIT_MS} ms")


def main():
    srv = Server(timeouts={"smtp": 30, "pop3": 30, "imap": 30}).start_or_skip(t)
    with srv:
        # A class connecting at once: no SYN may be dropped (a 1 s retry).
        start = time.perf_counter()
        crowd = [socket.create_connection(("127.0.0.1", srv.ports["pop3"])) for _ in range(200)]
        for s in crowd:
            s.settimeout(5)
            s.recv(100)
        took = time.perf_counter() - start
        for s in crowd:
            s.close()
        bound = 3.0 if "ASAN_OPTIONS" in os.environ else 0.9
        t.ok(took < bound,
             f"200 clients connecting at once are all greeted in {took:.2f} s (< {bound} s)")
        c = Client(srv.ports["smtp"])
        c.line()
        c.send("EHLO latency.test\r\n")
        c.until(lambda line: line.startswith("250 "))
        times = []
        for i in range(N):
            start = time.perf_counter()
            c.send("MAIL FROM:<bob@example.org>\r\nRCPT TO:<alice@example.org>\r\nDATA\r\n")
            for _ in range(3):
                c.line()
            c.send(f"Subject: latency {i}\r\n\r\n" + "Bonjour.\r\n" * (i * 20) + ".\r\n")
            r = c.line()
            times.append(time.perf_counter() - start)
            assert r.startswith("250"), r
        # Around the size where the store stops reading a file and maps it.
        sizes = (262_140, 262_144, 262_150, 1_000_000)
        for size in sizes:
            c.send("MAIL FROM:<bob@example.org>\r\nRCPT TO:<alice@example.org>\r\nDATA\r\n")
            for _ in range(3):
                c.line()
            c.send(big_message(size) + ".\r\n")
            r = c.line()
            assert r.startswith("250"), r
        c.cmd("QUIT")
        c.close()
        t.ok(True, f"{N} deliveries and {len(sizes)} large ones")
        p = Client(srv.ports["pop3"])
        p.line()
        p.cmd("USER alice")
        p.cmd("PASS alicepass")
        n = int(p.cmd("STAT").split()[1]) - len(sizes)
        times = []
        for i in range(1, n + 1):
            start = time.perf_counter()
            r = p.cmd(f"RETR {i}")
            body = p.read_until(b"\r\n.\r\n")
            times.append(time.perf_counter() - start)
            assert r.startswith("+OK") and body, r
        got = []
        for k in range(n + 1, n + 1 + len(sizes)):
            p.cmd(f"RETR {k}")
            got.append(p.read_until(b"\r\n.\r\n"))
        p.cmd("QUIT")
        p.close()
        for size, raw in zip(sizes, got):
            body = raw.split(b"\r\n\r\n", 1)[1][:-3].decode()
            t.eq(body, big_message(size).split("\r\n\r\n", 1)[1],
                 f"a message of {size} octets comes back whole")
        report(f"POP3 RETR of {n} messages", times)
        if srv.has("imap"):
            m = Client(srv.ports["imap"])
            m.line()
            m.send("a LOGIN alice alicepass\r\nb SELECT INBOX\r\n")
            m.until(lambda line: line.startswith("b "))
            times = []
            for i in range(1, n + 1):
                start = time.perf_counter()
                m.send(f"f{i} FETCH {i} BODY.PEEK[]\r\n")
                m.until(lambda line, i=i: line.startswith(f"f{i} "))
                times.append(time.perf_counter() - start)
            report(f"IMAP FETCH BODY[] of {n} messages", times)
            m.send("z LOGOUT\r\n")
            m.close()
    t.done()


main()
