#!/usr/bin/env python3
"""Names that try to leave the data directory, through the protocols: user
names and mailbox names with "../", absolute paths, modified UTF-7 that
decodes to "/" (&AC8-) or "\\" (&AFw-), and symbolic links planted in the
Maildir that point outside. A directory beside the data directory, holding a
secret file, is snapshotted before and after: nothing may be read from it or
written to it, and the secret never appears on the wire."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from faultlib import Client, Server, snapshot  # noqa: E402
from tap import Tap  # noqa: E402

t = Tap()
SECRET = "SECRET-9f3c-never-on-the-wire"


class Imap(Client):
    """Tagged IMAP commands over the raw client; returns every line up to the tagged one."""
    n = 0

    def tagged(self, command):
        Imap.n += 1
        tag = f"p{Imap.n}"
        self.send(f"{tag} {command}\r\n")
        lines = self.until(lambda line: line.startswith(tag + " "))
        return lines, (lines[-1].split()[1] if lines and lines[-1].startswith(tag + " ") else None)


def seen_on_wire(lines):
    return any(SECRET in line for line in lines)


def plant(root, data):
    """The outside directory and the symlinks pointing into it."""
    outside = os.path.join(root, "outside")
    os.makedirs(os.path.join(outside, "cur"))
    os.makedirs(os.path.join(outside, "new"))
    os.makedirs(os.path.join(outside, "tmp"))
    message = f"From: mallory@example.org\r\nSubject: {SECRET}\r\n\r\n{SECRET}\r\n"
    with open(os.path.join(outside, "secret.eml"), "w") as f:
        f.write(message)
    with open(os.path.join(outside, "cur", "1.M1P1.outside,S=90:2,S"), "w") as f:
        f.write(message)
    alice = os.path.join(data, "alice", "Maildir")
    # A message file that is a link to the secret.
    os.symlink(os.path.join(outside, "secret.eml"),
               os.path.join(alice, "cur", "1700000000.M1P1.evil,S=90:2,S"))
    os.symlink(os.path.join(outside, "secret.eml"),
               os.path.join(alice, "new", "1700000001.M1P1.evil"))
    # A folder that is a link to a Maildir outside.
    os.symlink(outside, os.path.join(alice, ".Evil"))
    # bob's tmp/ is a link: a delivery there must be refused, not written outside.
    bob_tmp = os.path.join(data, "bob", "Maildir", "tmp")
    os.rmdir(bob_tmp)
    os.symlink(os.path.join(outside, "tmp"), bob_tmp)
    return outside


def smtp_checks(srv):
    c = Client(srv.ports["smtp"])
    c.line()
    c.send("EHLO paths.test\r\n")
    c.until(lambda line: line.startswith("250 "))
    c.cmd("MAIL FROM:<mallory@example.org>")
    for rcpt in ("../bob@example.org", "..@example.org", "\"../../outside\"@example.org",
                 "\"/etc/passwd\"@example.org", "alice/../bob@example.org",
                 "\"alice/../../outside\"@example.org", ".@example.org",
                 "\"..\\\\outside\"@example.org"):
        r = c.cmd(f"RCPT TO:<{rcpt}>")
        t.ok(r[:1] == "5", f"SMTP RCPT TO:<{rcpt}> refused ({r[:3]})")
    c.cmd("RSET")
    # A delivery to bob, whose tmp/ is a symlink: refused with a temporary error.
    c.cmd("MAIL FROM:<mallory@example.org>")
    c.cmd("RCPT TO:<bob@example.org>")
    r = c.cmd("DATA")
    if r.startswith("354"):
        c.send("Subject: through the link\r\n\r\nx\r\n.\r\n")
        r = c.line()
    t.ok(r[:1] == "4", f"SMTP delivery to a Maildir whose tmp/ is a symlink: 4xx ({r[:3]})")
    c.cmd("QUIT")
    c.close()


def pop3_checks(srv):
    # All at once: each failure is answered after the server's delay (1 s).
    users = ("../alice", "alice/..", "/etc", "..", ".", "alice/../bob", "../../outside",
             "./alice")
    clients = []
    for user in users:
        c = Client(srv.ports["pop3"])
        c.line()
        c.send(f"USER {user}\r\nPASS alicepass\r\n")
        clients.append(c)
    for user, c in zip(users, clients):
        c.line()
        r = c.line()
        t.ok(r.startswith("-ERR"), f"POP3 USER {user}: no login")
        c.close()
    c = Client(srv.ports["pop3"])
    c.line()
    c.cmd("USER alice")
    t.ok(c.cmd("PASS alicepass").startswith("+OK"), "POP3 login as alice")
    r = c.cmd("LIST")
    lines = c.until(lambda line: line == ".")
    count = len(lines) - 1
    wire = []
    for i in range(1, count + 1):
        c.send(f"RETR {i}\r\n")
        wire += c.until(lambda line: line == ".")
    t.ok(count > 0 and not seen_on_wire(wire),
         f"POP3: the {count} messages of alice never include the symlinked secret")
    c.cmd("QUIT")
    c.close()


def imap_checks(srv):
    users = ("../alice", "\"../alice\"", "/etc/passwd", "\"alice/..\"", "\"./alice\"")
    clients = []
    for user in users:
        c = Imap(srv.ports["imap"])
        c.line()
        c.send(f"l1 LOGIN {user} alicepass\r\n")
        clients.append(c)
    for user, c in zip(users, clients):
        lines = c.until(lambda line: line.startswith("l1 "))
        status = lines[-1].split()[1] if lines else None
        t.ok(status in ("NO", "BAD"), f"IMAP LOGIN {user}: refused ({status})")
        c.close()
    c = Imap(srv.ports["imap"])
    c.line()
    _, status = c.tagged("LOGIN alice alicepass")
    t.eq(status, "OK", "IMAP LOGIN alice")
    names = ["../bob", "../../outside", "/tmp", "/etc", "INBOX/../../bob", "&AC8-tmp",
             "..&AC8-..&AC8-outside", "&AC8-..&AC8-outside", "&AFw-..&AFw-outside", "..",
             "Evil", "Evil.cur", "~/x", "INBOX/..", "&AC4ALg-&AC8-outside"]
    for name in names:
        for cmd in (f"SELECT \"{name}\"", f"CREATE \"{name}\"", f"RENAME \"Projets\" \"{name}\"",
                    f"STATUS \"{name}\" (MESSAGES)", f"APPEND \"{name}\" {{9+}}\r\nSubject: x"):
            lines, status = c.tagged(cmd)
            verb = cmd.split()[0]
            t.ok(status in ("NO", "BAD") and not seen_on_wire(lines),
                 f"IMAP {verb} {name}: refused ({status})")
    lines, status = c.tagged("LIST \"\" \"*\"")
    t.ok(status == "OK" and not any("Evil" in line for line in lines),
         "IMAP LIST does not show the symlinked folder")
    lines, status = c.tagged("LIST \"../\" \"*\"")
    t.ok(not seen_on_wire(lines) and not any("outside" in line for line in lines),
         "IMAP LIST with a reference of ../ shows nothing outside")
    lines, status = c.tagged("SELECT INBOX")
    t.eq(status, "OK", "IMAP SELECT INBOX")
    lines, status = c.tagged("FETCH 1:* (BODY.PEEK[])")
    t.ok(status == "OK" and not seen_on_wire(lines),
         "IMAP FETCH of INBOX never includes the symlinked secret")
    lines, status = c.tagged("COPY 1 \"../outside\"")
    t.ok(status in ("NO", "BAD"), f"IMAP COPY to ../outside: refused ({status})")
    c.tagged("LOGOUT")
    c.close()


def main():
    srv = Server(timeouts={"smtp": 5, "pop3": 5, "imap": 5})
    root = srv.tmp.name
    # A first start seeds the demo data; the links are planted while it is stopped.
    srv.start_or_skip(t, ())
    srv.stop()
    outside = plant(root, srv.data)
    before = snapshot(outside)
    srv.start()
    try:
        if srv.has("smtp"):
            t.run("smtp", smtp_checks, srv)
        else:
            t.skip("SMTP names", "this build of facteur has no SMTP server")
        if srv.has("pop3"):
            t.run("pop3", pop3_checks, srv)
        else:
            t.skip("POP3 names", "this build of facteur has no POP3 server")
        if srv.has("imap"):
            t.run("imap", imap_checks, srv)
        else:
            t.skip("IMAP names", "this build of facteur has no IMAP server")
        t.ok(srv.alive(), "the server is still running")
        srv.stop()
        after = snapshot(outside)
        t.eq(after, before, "nothing outside the data directory was written")
        # Nothing new appeared beside the data directory either.
        t.eq(sorted(n for n in os.listdir(root) if n not in ("serve.log", "ports")),
             ["data", "outside"], "nothing created beside the data directory")
        links = [os.path.join(srv.data, "alice", "Maildir", ".Evil"),
                 os.path.join(srv.data, "bob", "Maildir", "tmp")]
        t.ok(all(os.path.islink(p) for p in links), "the planted links were not followed away")
    finally:
        srv.close()
    t.done()


main()
