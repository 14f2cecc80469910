#!/usr/bin/env python3
"""Bad input and faults against facteur's SMTP server, over real sockets:
binary junk, NUL bytes, a line of 1 MB, a message over the size limit,
commands in every wrong state, a client that sends half a line and stalls, one
that disconnects in the middle of DATA, the connection cap. Each time the
server answers with an SMTP error or closes that one connection, other
sessions keep working, nothing partial is stored, and the server's memory
stays bounded (VmRSS/VmHWM from /proc)."""
import os
import random
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from faultlib import Client, Server, maildir_files  # noqa: E402
from tap import Tap  # noqa: E402

t = Tap()
rng = random.Random(9)
# Under ASan freed memory sits in quarantine (256 MB by default): looser bounds.
ASAN = "ASAN_OPTIONS" in os.environ


def ehlo(c):
    lines = c.until(lambda line: line[:4] in ("250 ", "500 ", "501 ") or line[3:4] == " ")
    return lines


def session(srv):
    c = Client(srv.ports["smtp"])
    greeting = c.line()
    assert greeting.startswith("220 "), greeting
    c.send("EHLO fault.test\r\n")
    ehlo(c)
    return c


def deliver(srv, subject, rcpts=("alice@example.org",), body="Bonjour.\r\n"):
    """A whole delivery; returns the final reply."""
    c = session(srv)
    try:
        assert c.cmd("MAIL FROM:<bob@example.org>").startswith("250")
        for r in rcpts:
            assert c.cmd(f"RCPT TO:<{r}>").startswith("250")
        assert c.cmd("DATA").startswith("354")
        c.send(f"Subject: {subject}\r\n\r\n{body}.\r\n")
        final = c.line()
        c.cmd("QUIT")
        return final
    finally:
        c.close()


def works(srv, what):
    """Another session can still deliver."""
    final = deliver(srv, f"still works after {what}")
    t.ok(final is not None and final.startswith("250 "), f"another session delivers after {what}")


def codes(lines):
    return [line[:3] for line in lines]


def all_replies(lines):
    """Every line the server sent is an SMTP reply (3 digits then space or -)."""
    return all(len(line) >= 4 and line[:3].isdigit() and line[3] in " -" for line in lines)


def test_junk(srv):
    c = session(srv)
    junk = bytes(rng.getrandbits(8) for _ in range(200_000))
    c.send(junk + b"\r\nNOOP\r\nQUIT\r\n")
    lines = c.until(lambda line: line.startswith("221 "), timeout=10)
    t.ok(lines and lines[-1].startswith("221 "), "binary junk: the session still answers QUIT")
    t.ok(all_replies(lines), "binary junk: every answer is an SMTP reply")
    t.ok(any(code in ("500", "501", "502", "503") for code in codes(lines)),
         "binary junk: answered with 5xx errors")
    t.ok("250" in codes(lines), "binary junk: the NOOP after it gets 250")
    c.close()
    works(srv, "binary junk")


def test_nul(srv):
    c = session(srv)
    r1 = c.cmd("EHLO a\0b")
    r2 = c.cmd("MAIL FROM:<bob\0@example.org>")
    r3 = c.cmd("\0\0\0")
    r4 = c.cmd("NOOP")
    t.ok(r1.startswith("501") or r1.startswith("500"), f"NUL in EHLO: {r1[:40]}")
    t.ok(r2[:1] == "5", f"NUL in MAIL FROM: refused ({r2[:40]})")
    t.ok(r3[:1] == "5", f"a line of NUL bytes: refused ({r3[:40]})")
    t.eq(r4[:3], "250", "NUL bytes: NOOP still answered")
    c.close()


def test_long_line(srv):
    c = session(srv)
    c.send(b"NOOP " + b"x" * (1 << 20) + b"\r\n")
    r = c.line(timeout=10)
    t.ok(r is not None and r.startswith("500"), f"a line of 1 MB: 500 ({(r or '')[:50]})")
    t.eq(c.cmd("NOOP")[:3], "250", "a line of 1 MB: the session goes on")
    # The same in the middle of a transaction: the transaction survives.
    t.eq(c.cmd("MAIL FROM:<bob@example.org>")[:3], "250", "MAIL before a long RCPT")
    c.send(b"RCPT TO:<" + b"a" * (1 << 20) + b"@example.org>\r\n")
    r = c.line(timeout=10)
    t.ok(r.startswith("500"), "a RCPT line of 1 MB: 500")
    t.eq(c.cmd("RCPT TO:<alice@example.org>")[:3], "250", "RCPT after it: 250")
    c.cmd("RSET")
    c.close()


def test_wrong_states(srv):
    c = Client(srv.ports["smtp"])
    c.line()
    cases_before_helo = [("MAIL FROM:<bob@example.org>", "503"), ("RCPT TO:<alice@example.org>", "503"),
                         ("DATA", "503"), ("AUTH PLAIN", "503")]
    for cmd, want in cases_before_helo:
        t.eq(c.cmd(cmd)[:3], want, f"before EHLO: {cmd.split()[0]} → {want}")
    c.send("EHLO fault.test\r\n")
    ehlo(c)
    for cmd, want in [("RCPT TO:<alice@example.org>", "503"), ("DATA", "503")]:
        t.eq(c.cmd(cmd)[:3], want, f"before MAIL: {cmd.split()[0]} → {want}")
    t.eq(c.cmd("MAIL FROM:<bob@example.org>")[:3], "250", "MAIL")
    t.eq(c.cmd("MAIL FROM:<bob@example.org>")[:3], "503", "nested MAIL → 503")
    t.eq(c.cmd("DATA")[:3], "503", "DATA before RCPT → 503")
    t.eq(c.cmd("RCPT TO:<nobody@example.org>")[:3], "550", "unknown recipient → 550")
    t.eq(c.cmd("DATA")[:3], "554", "DATA with no valid recipient → 554")
    t.eq(c.cmd("AUTH PLAIN")[:3], "503", "AUTH inside a transaction → 503")
    t.eq(c.cmd("RCPT TO:<alice@example.org>")[:3], "250", "RCPT")
    t.eq(c.cmd("EHLO again")[:3], "250", "EHLO in a transaction resets it")
    ehlo(c)
    t.eq(c.cmd("RCPT TO:<alice@example.org>")[:3], "503", "RCPT after the reset → 503")
    t.eq(c.cmd("XYZZY")[:3], "500", "unknown command → 500")
    t.eq(c.cmd("")[:3], "500", "empty line → 500")
    t.eq(c.cmd("QUIT")[:3], "221", "QUIT")
    c.close()


def test_stall(srv):
    """Half a line, then nothing: others are served; the staller is timed out."""
    c = session(srv)
    c.send("MAIL FROM:<bob@exa")
    start = time.monotonic()
    works(srv, "a client stalled in the middle of a line")
    r = c.line(timeout=srv.timeouts["smtp"] + 5)
    waited = time.monotonic() - start
    t.ok(r is not None and r.startswith("421"), f"the stalled client gets 421 ({r})")
    t.ok(waited < srv.timeouts["smtp"] + 4, f"after the idle limit ({waited:.1f} s)")
    t.ok(c.closed(timeout=5), "and its connection is closed")
    c.close()


def test_disconnect_mid_data(srv):
    before, _ = maildir_files(srv.data, "alice")
    for cut in (0, 1, 5000, 200_000):
        c = session(srv)
        c.cmd("MAIL FROM:<bob@example.org>")
        c.cmd("RCPT TO:<alice@example.org>")
        c.cmd("RCPT TO:<bob@example.org>")
        c.cmd("DATA")
        c.send(b"Subject: cut\r\n\r\n" + b"y" * cut + (b"\r\n." if cut == 5000 else b""))
        c.close()
    # The server notices the closed connections on its next loop turn.
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        after, tmp = maildir_files(srv.data, "alice")
        _, tmp_bob = maildir_files(srv.data, "bob")
        if not tmp and not tmp_bob:
            break
        time.sleep(0.05)
    t.eq(after, before, "disconnect in the middle of DATA: no message stored")
    t.eq(tmp + tmp_bob, [], "disconnect in the middle of DATA: tmp/ emptied")
    works(srv, "disconnects in the middle of DATA")


def test_too_big(srv):
    before, _ = maildir_files(srv.data, "alice")
    c = session(srv)
    t.eq(c.cmd("MAIL FROM:<bob@example.org> SIZE=99999999999")[:3], "552",
         "SIZE over the limit → 552")
    c.cmd("MAIL FROM:<bob@example.org>")
    c.cmd("RCPT TO:<alice@example.org>")
    c.cmd("DATA")
    line = b"z" * 998 + b"\r\n"
    chunk = line * 1024  # 1 MB
    for _ in range(27):
        c.send(chunk)
    c.send(b".\r\n")
    r = c.line(timeout=30)
    t.ok(r is not None and r.startswith("552"), f"a message of 27 MB → 552 ({r})")
    t.eq(c.cmd("NOOP")[:3], "250", "the session goes on after 552")
    c.close()
    after, tmp = maildir_files(srv.data, "alice")
    t.eq(after, before, "the message over the limit is not stored")
    t.eq(tmp, [], "nor left in tmp/")


def test_many_bad_at_once(srv):
    """Twenty clients sending long lines and junk together, while a good one delivers."""
    def bad(i):
        try:
            c = session(srv)
            c.send(b"\xff" * (1 << 20) + b"\r\n" + bytes(range(256)) * 400)
            c.close()
        except OSError:
            pass
    threads = [threading.Thread(target=bad, args=(i,)) for i in range(20)]
    for th in threads:
        th.start()
    works(srv, "twenty clients sending junk at once")
    for th in threads:
        th.join()


def test_cap():
    with Server(timeouts={"smtp": 5, "pop3": 5, "imap": 5},
                extra=["--max-connections", "4"]) as srv:
        clients = [session(srv) for _ in range(4)]
        extra = Client(srv.ports["smtp"])
        r = extra.line()
        t.ok(r is not None and r.startswith("421"), f"over the connection cap: 421 ({r})")
        t.ok(extra.closed(), "and the refused connection is closed")
        extra.close()
        t.eq(clients[0].cmd("NOOP")[:3], "250", "the connections within the cap keep working")
        for c in clients:
            c.close()
        time.sleep(0.2)
        works(srv, "the cap was reached and released")


def main():
    srv = Server(timeouts={"smtp": 2, "pop3": 2, "imap": 2}).start_or_skip(t, ("smtp",))
    with srv:
        mem0 = srv.memory()
        for name, fn in [("junk", test_junk), ("nul", test_nul), ("long line", test_long_line),
                         ("wrong states", test_wrong_states), ("stall", test_stall),
                         ("disconnect mid-DATA", test_disconnect_mid_data),
                         ("too big", test_too_big), ("many bad", test_many_bad_at_once)]:
            t.run(name, fn, srv)
        mem1 = srv.memory()
        t.ok(srv.alive(), "the server survived it all")
        grown = mem1["VmHWM"] - mem0["VmHWM"]
        print(f"# VmRSS {mem0['VmRSS']} → {mem1['VmRSS']} kB, VmHWM {mem0['VmHWM']} → "
              f"{mem1['VmHWM']} kB")
        bound = 320 if ASAN else 16
        t.ok(grown < bound * 1024, f"memory bounded: VmHWM grew by {grown} kB (< {bound} MB)")
        kept = mem1["VmRSS"] - mem0["VmRSS"]
        t.ok(kept < bound * 1024, f"memory given back: VmRSS grew by {kept} kB (< {bound} MB)")
    t.run("cap", test_cap)
    t.done()


main()
