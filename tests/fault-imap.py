#!/usr/bin/env python3
"""Bad input and faults against facteur's IMAP server, over real sockets:
binary junk, NUL bytes, a line of 1 MB, literals announced larger than the
limit (synchronising and LITERAL+), commands in every wrong state, a client
that sends half a line (or half a literal) and stalls, one that disconnects in
the middle of an APPEND literal. The server answers BAD/NO (or BYE and closes
that one connection), other sessions keep working, nothing partial is stored,
and the server's memory stays bounded (VmRSS/VmHWM from /proc)."""
import os
import random
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from faultlib import Client, Server, maildir_files  # noqa: E402
from tap import Tap  # noqa: E402

t = Tap()
rng = random.Random(3501)
ASAN = "ASAN_OPTIONS" in os.environ
TIMEOUT = 2


class Imap(Client):
    n = 0

    def tagged(self, command, timeout=None):
        """Sends a tagged command; (status, lines) once the tagged reply came,
        (None, lines) when the server closed first."""
        Imap.n += 1
        tag = f"t{Imap.n}"
        self.send(f"{tag} {command}\r\n")
        return self.wait(tag, timeout)

    def wait(self, tag, timeout=None):
        lines = []
        while True:
            line = self.line(timeout)
            if line is None:
                return None, lines
            while line.endswith("}") and "{" in line:
                size = int(line[line.rindex("{") + 1:-1].rstrip("+"))
                self.read_exactly(size, timeout)
                more = self.line(timeout)
                if more is None:
                    return None, lines
                line += more
            lines.append(line)
            if line.startswith(tag + " "):
                return line.split()[1], lines


def login(srv, user="alice"):
    c = Imap(srv.ports["imap"])
    greeting = c.line()
    assert greeting.startswith("* OK"), greeting
    status, _ = c.tagged(f"LOGIN {user} {user}pass")
    assert status == "OK", status
    return c


def inbox_count(srv, user="bob"):
    c = login(srv, user)
    _, lines = c.tagged("STATUS INBOX (MESSAGES)")
    c.tagged("LOGOUT")
    c.close()
    for line in lines:
        if line.startswith("* STATUS"):
            return int(line.split("MESSAGES")[1].strip(" )"))
    raise AssertionError(lines)


def works(srv, what):
    c = login(srv, "bob")
    status, lines = c.tagged("SELECT INBOX")
    fstatus, flines = c.tagged("FETCH 1 (BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
    c.tagged("LOGOUT")
    c.close()
    t.ok(status == "OK" and fstatus == "OK", f"another session reads its mail after {what}")


def is_response(line):
    return line.startswith("* ") or line.startswith("+") or line[:1].isalnum() or line == ""


def test_junk(srv):
    c = Imap(srv.ports["imap"])
    c.line()
    junk = bytes(rng.getrandbits(8) for _ in range(100_000)).replace(b"{", b"(")
    c.send(junk + b"\r\n")
    status, lines = c.tagged("NOOP", timeout=10)
    t.ok(status == "OK", f"binary junk: the NOOP after it is answered ({status})")
    t.ok(any(" BAD " in line or line.startswith("* BAD") for line in lines),
         "binary junk: answered with BAD")
    c.close()
    # Junk with literal announcements in it: the server may wait for a literal
    # or refuse; either way this connection only.
    c = Imap(srv.ports["imap"])
    c.line()
    c.send(bytes(rng.getrandbits(8) for _ in range(50_000)) + b"\r\n")
    c.close()
    works(srv, "binary junk")


def test_nul_and_long(srv):
    c = Imap(srv.ports["imap"])
    c.line()
    status, _ = c.tagged("LOGIN al\0ice alicepass")
    t.ok(status in ("BAD", "NO"), f"NUL in LOGIN: {status}")
    c.send(b"\0\0\0\r\n")
    r = c.line()
    t.ok(r is not None and "BAD" in r, f"a line of NUL bytes: BAD ({r})")
    c.send(b"t1m NOOP " + b"x" * (1 << 20) + b"\r\n")
    r = c.line(timeout=10)
    t.ok(r is not None and "BAD" in r.split()[1:2] + [r[:5]], f"a line of 1 MB: BAD ({(r or '')[:60]})")
    status, _ = c.tagged("NOOP")
    t.eq(status, "OK", "a line of 1 MB: the session goes on")
    status, _ = c.tagged("LOGIN alice alicepass")
    t.eq(status, "OK", "LOGIN after it")
    c.tagged("LOGOUT")
    c.close()


def test_literals(srv):
    before = inbox_count(srv, "alice")
    c = login(srv)
    status, lines = c.tagged("APPEND INBOX {999999999}")
    t.ok(status in ("BAD", "NO"), f"APPEND of a literal over the limit: {status} "
         f"({lines[-1][:70] if lines else ''})")
    status, _ = c.tagged("NOOP")
    t.eq(status, "OK", "the session goes on after the refused literal")
    status, lines = c.tagged("APPEND INBOX {18446744073709551617}")
    t.ok(status in ("BAD", "NO"), f"a literal size that overflows 64 bits: {status}")
    status, _ = c.tagged("LOGIN {99999}")
    t.ok(status in ("BAD", "NO"), f"a literal over the limit in LOGIN: {status}")
    status, _ = c.tagged("NOOP")
    t.eq(status, "OK", "the session goes on")
    # LITERAL+ (no wait for "+"): the server cannot stop the octets; it refuses
    # and either skips them or closes this connection.
    c.send("tp APPEND INBOX {999999999+}\r\n" + "x" * 1000 + "\r\n")
    r = c.line(timeout=10)
    t.ok(r is not None and ("BAD" in r or "NO" in r or "BYE" in r),
         f"a LITERAL+ over the limit: refused ({(r or 'closed')[:70]})")
    c.close()
    works(srv, "literals over the limit")
    t.eq(inbox_count(srv, "alice"), before, "nothing appended by the refused literals")


def test_wrong_states(srv):
    c = Imap(srv.ports["imap"])
    c.line()
    for cmd in ("SELECT INBOX", "EXAMINE INBOX", "FETCH 1 FLAGS", "LIST \"\" *", "CREATE x",
                "APPEND INBOX {1+}\r\nx", "CLOSE", "EXPUNGE", "SEARCH ALL", "UID FETCH 1 FLAGS",
                "STORE 1 +FLAGS (\\Seen)", "IDLE", "STATUS INBOX (MESSAGES)"):
        status, _ = c.tagged(cmd)
        t.ok(status in ("BAD", "NO"), f"before LOGIN: {cmd.split()[0]} → {status}")
    status, _ = c.tagged("LOGIN alice alicepass")
    t.eq(status, "OK", "LOGIN")
    for cmd in ("LOGIN alice alicepass", "FETCH 1 FLAGS", "STORE 1 +FLAGS (\\Seen)", "EXPUNGE",
                "CLOSE", "SEARCH ALL", "UID FETCH 1 FLAGS", "COPY 1 Projets", "DONE",
                "UID STORE 1 +FLAGS (\\Seen)"):
        status, _ = c.tagged(cmd)
        t.ok(status in ("BAD", "NO"), f"authenticated, nothing selected: {cmd.split()[0]} → {status}")
    status, _ = c.tagged("EXAMINE INBOX")
    t.eq(status, "OK", "EXAMINE INBOX")
    status, _ = c.tagged("STORE 1 +FLAGS (\\Deleted)")
    t.ok(status in ("NO", "BAD"), f"STORE in a read-only mailbox → {status}")
    status, _ = c.tagged("EXPUNGE")
    t.ok(status in ("NO", "BAD"), f"EXPUNGE in a read-only mailbox → {status}")
    for cmd in ("FETCH 99999 FLAGS", "FETCH 0 FLAGS", "FETCH 1:x FLAGS", "FETCH 1 (NOSUCH)",
                "SEARCH NOSUCHKEY", "XYZZY", "UID XYZZY 1", "FETCH 1 BODY[1.2.3.4.5.6.7.8.9.10.11]",
                "FETCH 4294967296 FLAGS"):
        status, lines = c.tagged(cmd)
        t.ok(status in ("BAD", "NO", "OK") and not any(line.startswith("* BYE") for line in lines),
             f"selected, bad arguments: {cmd} → {status}")
    c.send("\r\n")
    r = c.line()
    t.ok(r is not None and "BAD" in r, f"an empty line → BAD ({r})")
    status, _ = c.tagged("NOOP")
    t.eq(status, "OK", "the session goes on")
    c.tagged("LOGOUT")
    c.close()


def test_idle_junk(srv):
    c = login(srv)
    c.tagged("SELECT INBOX")
    c.send("ti IDLE\r\n")
    r = c.line()
    t.ok(r is not None and r.startswith("+"), "IDLE: continuation")
    c.send("NOT-DONE\r\n")
    status, _ = c.wait("ti")
    t.ok(status in ("BAD", "OK"), f"IDLE ended by a line that is not DONE: {status}")
    c.send(b"tj IDLE\r\n")
    c.line()
    c.send(b"D" * (1 << 20) + b"\r\n")
    status, _ = c.wait("tj", timeout=10)
    t.ok(status in ("BAD", "OK"), f"IDLE ended by a line of 1 MB: {status}")
    status, _ = c.tagged("NOOP")
    t.eq(status, "OK", "the session goes on after IDLE")
    c.close()
    # The same with the line AUTHENTICATE waits for.
    c = Imap(srv.ports["imap"])
    c.line()
    c.send("ta AUTHENTICATE PLAIN\r\n")
    r = c.line()
    t.ok(r is not None and r.startswith("+"), "AUTHENTICATE PLAIN: continuation")
    c.send(b"A" * (1 << 20) + b"\r\n")
    status, _ = c.wait("ta", timeout=10)
    t.ok(status in ("BAD", "NO"), f"AUTHENTICATE answered by a line of 1 MB: {status}")
    status, _ = c.tagged("NOOP")
    t.eq(status, "OK", "the session goes on after AUTHENTICATE")
    c.close()


def test_stall(srv):
    c = Imap(srv.ports["imap"])
    c.line()
    c.send("s1 LOGIN alice alic")
    d = login(srv)
    d.tagged("SELECT INBOX")
    d.send("sa APPEND INBOX {200}\r\n")
    r = d.line()
    assert r.startswith("+"), r
    d.send("Subject: stalled\r\n\r\n" + "x" * 50)
    start = time.monotonic()
    works(srv, "two clients stalled (mid-line, mid-literal)")
    for who, conn in (("mid-line", c), ("mid-literal", d)):
        r = conn.line(timeout=TIMEOUT + 5)
        t.ok(r is not None and r.startswith("* BYE"), f"the client stalled {who} gets * BYE ({r})")
        t.ok(conn.closed(timeout=5), f"and its connection is closed ({who})")
        conn.close()
    waited = time.monotonic() - start
    t.ok(waited < TIMEOUT + 4, f"after the idle limit ({waited:.1f} s)")


def test_disconnect_mid_literal(srv):
    before = inbox_count(srv, "bob")
    files_before, _ = maildir_files(srv.data, "bob")
    for size, sent, plus in ((200_000, 1000, False), (200_000, 150_000, True), (10, 0, False),
                             (5_000_000, 4_999_999, True)):
        c = login(srv, "bob")
        lit = f"{{{size}+}}" if plus else f"{{{size}}}"
        c.send(f"ta APPEND INBOX (\\Seen) {lit}\r\n")
        if not plus:
            r = c.line()
            assert r.startswith("+"), r
        c.send(b"Subject: cut\r\n\r\n" + b"y" * max(0, sent - 16))
        c.close()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        files, tmp = maildir_files(srv.data, "bob")
        if not tmp:
            break
        time.sleep(0.05)
    t.eq(files, files_before, "disconnect in the middle of an APPEND literal: no file stored")
    t.eq(tmp, [], "and tmp/ is empty")
    t.eq(inbox_count(srv, "bob"), before, "and the INBOX has the same messages")


def test_many_bad_at_once(srv):
    def bad(i):
        try:
            c = Imap(srv.ports["imap"])
            c.line()
            c.send(b"x LOGIN " + b"\xff" * (1 << 20) + b"\r\n" + bytes(range(256)) * 300)
            c.close()
        except OSError:
            pass
    threads = [threading.Thread(target=bad, args=(i,)) for i in range(20)]
    for th in threads:
        th.start()
    works(srv, "twenty clients sending junk at once")
    for th in threads:
        th.join()


def main():
    timeouts = {"smtp": TIMEOUT, "pop3": TIMEOUT, "imap": TIMEOUT}
    srv = Server(timeouts=timeouts).start_or_skip(t, ("imap",))
    with srv:
        mem0 = srv.memory()
        for name, fn in [("junk", test_junk), ("nul and long", test_nul_and_long),
                         ("literals", test_literals), ("wrong states", test_wrong_states),
                         ("idle junk", test_idle_junk), ("stall", test_stall),
                         ("disconnect mid-literal", test_disconnect_mid_literal),
                         ("many bad", test_many_bad_at_once)]:
            t.run(name, fn, srv)
        mem1 = srv.memory()
        t.ok(srv.alive(), "the server survived it all")
        print(f"# VmRSS {mem0['VmRSS']} → {mem1['VmRSS']} kB, VmHWM {mem0['VmHWM']} → "
              f"{mem1['VmHWM']} kB")
        grown = mem1["VmHWM"] - mem0["VmHWM"]
        bound = 320 if ASAN else 32
        t.ok(grown < bound * 1024, f"memory bounded: VmHWM grew by {grown} kB (< {bound} MB)")
    t.done()


main()
