#!/usr/bin/env python3
"""Bad input and faults against facteur's POP3 server, over real sockets:
binary junk, NUL bytes, a line of 1 MB, commands in every wrong state, a
client that sends half a line and stalls, and the two ways a session can die
after DELE — the client drops the connection, the server process is killed
with SIGKILL — neither of which may delete anything (RFC 1939 §6: deletion
happens only in the UPDATE state, after QUIT)."""
import os
import random
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from faultlib import Client, Server, maildir_files  # noqa: E402
from tap import Tap  # noqa: E402

t = Tap()
rng = random.Random(1939)
ASAN = "ASAN_OPTIONS" in os.environ


def login(srv, user="alice", password=None):
    c = Client(srv.ports["pop3"])
    greeting = c.line()
    assert greeting.startswith("+OK"), greeting
    assert c.cmd(f"USER {user}").startswith("+OK")
    r = c.cmd(f"PASS {password or user + 'pass'}")
    assert r.startswith("+OK"), r
    return c


def stat(c):
    r = c.cmd("STAT")
    assert r.startswith("+OK "), r
    n, size = r.split()[1:3]
    return int(n), int(size)


def retr(c, n):
    r = c.cmd(f"RETR {n}")
    if not r.startswith("+OK"):
        return None
    lines = c.until(lambda line: line == ".")
    return "\r\n".join(line[1:] if line.startswith(".") else line for line in lines[:-1])


def works(srv, what):
    c = login(srv, "bob")
    n, _ = stat(c)
    body = retr(c, 1) if n else ""
    t.ok(n > 0 and body is not None and "\r\n\r\n" in body,
         f"another session reads its mail after {what}")
    c.cmd("QUIT")
    c.close()


def is_reply(line):
    return line.startswith("+OK") or line.startswith("-ERR")


def test_junk(srv):
    c = Client(srv.ports["pop3"])
    c.line()
    junk = bytes(rng.getrandbits(8) for _ in range(100_000))
    c.send(junk + b"\r\nNOOP\r\nQUIT\r\n")
    lines = c.until(lambda line: "signing off" in line, timeout=10)
    t.ok(lines and lines[-1].startswith("+OK"), "binary junk: the session still answers QUIT")
    t.ok(all(is_reply(line) for line in lines), "binary junk: every answer is +OK or -ERR")
    t.ok(sum(line.startswith("-ERR") for line in lines) > 0, "binary junk: answered with -ERR")
    c.close()
    works(srv, "binary junk")


def test_nul_and_long(srv):
    c = Client(srv.ports["pop3"])
    c.line()
    t.ok(c.cmd("USER ali\0ce").startswith("-ERR"), "NUL in USER: -ERR")
    t.ok(c.cmd("\0\0").startswith("-ERR"), "a line of NUL bytes: -ERR")
    c.send(b"USER " + b"a" * (1 << 20) + b"\r\n")
    r = c.line(timeout=10)
    t.ok(r.startswith("-ERR"), f"a line of 1 MB: -ERR ({r[:50]})")
    t.ok(c.cmd("USER alice").startswith("+OK"), "USER after the long line: +OK")
    t.ok(c.cmd("PASS alicepass").startswith("+OK"), "PASS: +OK")
    c.send(b"RETR 1" + b" " * 300 + b"\r\n")
    t.ok(c.line().startswith("-ERR"), "a RETR line over 255 octets: -ERR")
    t.ok(c.cmd("STAT").startswith("+OK"), "the session goes on")
    c.cmd("QUIT")
    c.close()


def test_wrong_states(srv):
    c = Client(srv.ports["pop3"])
    c.line()
    for cmd in ("STAT", "LIST", "RETR 1", "DELE 1", "RSET", "UIDL", "TOP 1 0", "PASS alicepass"):
        t.ok(c.cmd(cmd).startswith("-ERR"), f"before login: {cmd.split()[0]} → -ERR")
    t.ok(c.cmd("USER alice").startswith("+OK"), "USER")
    t.ok(c.cmd("PASS wrong").startswith("-ERR"), "a wrong password → -ERR")
    t.ok(c.cmd("USER alice").startswith("+OK"), "USER again")
    t.ok(c.cmd("PASS alicepass").startswith("+OK"), "PASS")
    for cmd in ("USER alice", "PASS alicepass", "APOP alice 0123456789abcdef0123456789abcdef"):
        t.ok(c.cmd(cmd).startswith("-ERR"), f"after login: {cmd.split()[0]} → -ERR")
    n, _ = stat(c)
    for cmd in ("RETR 0", f"RETR {n + 1}", "RETR -1", "RETR 99999999999999999999",
                "DELE x", "TOP 1 -1", "TOP 1", "LIST 1 2", "XYZZY"):
        t.ok(c.cmd(cmd).startswith("-ERR"), f"in TRANSACTION: {cmd} → -ERR")
    t.ok(c.cmd("DELE 1").startswith("+OK"), "DELE 1")
    t.ok(c.cmd("DELE 1").startswith("-ERR"), "DELE 1 twice → -ERR")
    t.ok(c.cmd("RETR 1").startswith("-ERR"), "RETR of a deleted message → -ERR")
    t.ok(c.cmd("RSET").startswith("+OK"), "RSET")
    c.cmd("QUIT")
    c.close()


def test_stall(srv):
    c = login(srv)
    c.send("RETR 1")
    start = time.monotonic()
    works(srv, "a client stalled in the middle of a line")
    limit = srv.timeouts["pop3"]
    r = c.line(timeout=limit + 5)
    waited = time.monotonic() - start
    t.ok(r is not None and r.startswith("-ERR"), f"the stalled client gets -ERR ({r})")
    t.ok(waited < limit + 4, f"after the idle limit ({waited:.1f} s)")
    t.ok(c.closed(timeout=5), "and its connection is closed")
    c.close()
    # Its maildrop lock is gone with it.
    works(srv, "the idle session ended")
    c = login(srv)
    t.ok(stat(c)[0] > 0, "alice's maildrop can be opened again")
    c.cmd("QUIT")
    c.close()


def dele_all(srv):
    c = login(srv)
    n, _ = stat(c)
    for i in range(1, n + 1):
        assert c.cmd(f"DELE {i}").startswith("+OK")
    t.eq(stat(c)[0], 0, "after DELE of every message, STAT says 0")
    return c, n


def test_dele_then_drop(srv):
    before, _ = maildir_files(srv.data, "alice")
    c, n = dele_all(srv)
    c.close()  # no QUIT
    # Logging in again needs the first session gone: wait until the lock is released.
    deadline = time.monotonic() + 5
    while True:
        c = Client(srv.ports["pop3"])
        c.line()
        c.cmd("USER alice")
        r = c.cmd("PASS alicepass")
        if r.startswith("+OK") or time.monotonic() > deadline:
            break
        c.close()
        time.sleep(0.05)
    t.ok(r.startswith("+OK"), "the maildrop is released when the client drops")
    t.eq(stat(c)[0], n, "client dropped after DELE: nothing deleted (STAT)")
    c.cmd("QUIT")
    c.close()
    t.eq(maildir_files(srv.data, "alice")[0], before, "client dropped after DELE: files intact")


def test_dele_then_kill(srv):
    before, _ = maildir_files(srv.data, "alice")
    c, n = dele_all(srv)
    srv.kill()
    c.close()
    srv.start()
    t.eq(maildir_files(srv.data, "alice")[0], before, "server killed after DELE: files intact")
    c = login(srv)
    t.eq(stat(c)[0], n, "server killed after DELE: nothing deleted (STAT after restart)")
    # And DELE + QUIT does delete, so the check above means something.
    assert c.cmd("DELE 1").startswith("+OK")
    r = c.cmd("QUIT")
    c.close()
    t.ok(r.startswith("+OK"), "DELE 1 then QUIT")
    c = login(srv)
    t.eq(stat(c)[0], n - 1, "DELE then QUIT deletes one message")
    c.cmd("QUIT")
    c.close()


def test_quit_then_login(srv):
    """QUIT then an immediate new login: the maildrop is free as soon as +OK is read."""
    refused = 0
    for _ in range(30):
        c = login(srv, "bob")
        c.cmd("QUIT")
        d = Client(srv.ports["pop3"])
        d.line()
        d.cmd("USER bob")
        if not d.cmd("PASS bobpass").startswith("+OK"):
            refused += 1
        d.cmd("QUIT")
        d.close()
        c.close()
    t.eq(refused, 0, "a login right after QUIT is never refused with [IN-USE] (30 tries)")


def main():
    srv = Server(timeouts={"smtp": 2, "pop3": 2, "imap": 2}).start_or_skip(t, ("pop3",))
    with srv:
        mem0 = srv.memory()
        for name, fn in [("junk", test_junk), ("nul and long", test_nul_and_long),
                         ("wrong states", test_wrong_states), ("stall", test_stall)]:
            t.run(name, fn, srv)
        mem1 = srv.memory()
        t.ok(srv.alive(), "the server survived it all")
        print(f"# VmRSS {mem0['VmRSS']} → {mem1['VmRSS']} kB, VmHWM {mem0['VmHWM']} → "
              f"{mem1['VmHWM']} kB")
        grown = mem1["VmHWM"] - mem0["VmHWM"]
        bound = 96 if ASAN else 16
        t.ok(grown < bound * 1024, f"memory bounded: VmHWM grew by {grown} kB (< {bound} MB)")
        t.run("QUIT then login", test_quit_then_login, srv)
        t.run("DELE then drop", test_dele_then_drop, srv)
        t.run("DELE then kill", test_dele_then_kill, srv)
    t.done()


main()
