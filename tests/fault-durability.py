#!/usr/bin/env python3
"""Durability of SMTP delivery under SIGKILL. A client delivers numbered
messages (each carrying the SHA-256 of its body) to alice, and to bob as well
for every third one, and records which ones got 250; meanwhile the harness
kills `facteur serve` with SIGKILL at random moments and starts it again on
the same data directory, until at least 250 deliveries were acknowledged over
at least 20 kills. Then:
- every message that got 250 is in its recipients' INBOX (read back over POP3,
  and over IMAP when the build has it), exactly once;
- no message in the store is partial: every body matches its checksum;
- the uid lists stay consistent across all the restarts: a file keeps its UID,
  a UID never names another file, new UIDs are above every UID handed out
  before, UIDVALIDITY never changes (let alone goes down), and the listing the
  servers give matches facteur-uidlist."""
import base64
import hashlib
import os
import random
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from faultlib import Client, Server, maildir_files, read_uidlist  # noqa: E402
from tap import Tap  # noqa: E402

t = Tap()
rng = random.Random(5321)
MIN_ACKED = 250
MIN_KILLS = 40
TIME_LIMIT = 45  # seconds for the kill loop; the test fails if it is not enough
USERS = ("alice", "bob")


def make_message(n):
    size = rng.choice((200, 2_000, 20_000, 150_000))
    raw = rng.randbytes(size * 3 // 4)
    text = base64.b64encode(raw).decode()
    body = "\r\n".join(text[i:i + 76] for i in range(0, len(text), 76)) + "\r\n"
    digest = hashlib.sha256(body.encode()).hexdigest()
    head = (f"From: durability@example.org\r\nSubject: durability {n}\r\n"
            f"X-Check: {digest}\r\n")
    return head + "\r\n" + body


class Delivery:
    """The client side: delivers until told to stop, through every restart."""

    def __init__(self, srv):
        self.srv = srv
        self.cond = threading.Condition()
        self.generation = 0
        self.port = srv.ports["smtp"]
        self.acked = {}  # n -> recipients
        self.attempted = 0
        self.stop = False
        self.thread = threading.Thread(target=self.run)

    def restarted(self, port):
        with self.cond:
            self.port = port
            self.generation += 1
            self.cond.notify_all()

    def wait_restart(self, generation):
        with self.cond:
            while self.generation == generation and not self.stop:
                self.cond.wait(0.5)

    def run(self):
        n = 0
        while not self.stop:
            with self.cond:
                port, generation = self.port, self.generation
            try:
                c = Client(port, timeout=5)
                if not c.line().startswith("220"):
                    raise ConnectionError("no greeting")
                c.send("EHLO durability.test\r\n")
                c.until(lambda line: line.startswith("250 "))
                while not self.stop:
                    n += 1
                    rcpts = USERS if n % 3 == 0 else USERS[:1]
                    message = make_message(n)
                    self.attempted += 1
                    # Pipelined, as real clients do.
                    c.send("MAIL FROM:<durability@example.org>\r\n"
                           + "".join(f"RCPT TO:<{u}@example.org>\r\n" for u in rcpts)
                           + "DATA\r\n")
                    replies = [c.line() for _ in range(len(rcpts) + 2)]
                    if None in replies or not replies[-1].startswith("354"):
                        raise ConnectionError(f"transaction refused: {replies}")
                    c.send(message + ".\r\n")
                    final = c.line()
                    if final is None:
                        raise ConnectionError("closed during DATA")
                    if final.startswith("250"):
                        self.acked[n] = rcpts
                    else:
                        raise ConnectionError(f"final reply {final}")
            except (OSError, ConnectionError, socket.timeout, AttributeError):
                self.wait_restart(generation)
            finally:
                try:
                    c.close()
                except NameError:
                    pass


class UidHistory:
    """Every (mailbox, file base) → UID seen in a facteur-uidlist, across restarts."""

    def __init__(self, data):
        self.data = data
        self.by_base = {u: {} for u in USERS}
        self.by_uid = {u: {} for u in USERS}
        self.max_uid = {u: 0 for u in USERS}
        self.validity = {}
        self.problems = []
        self.snapshots = 0

    def look(self):
        self.snapshots += 1
        for u in USERS:
            path = os.path.join(self.data, u, "Maildir", "facteur-uidlist")
            validity, uidnext, records = read_uidlist(path)
            old = self.validity.setdefault(u, validity)
            if validity != old:
                self.problems.append(f"{u}: UIDVALIDITY {old} became {validity}")
            top = self.max_uid[u]
            last = 0
            for uid, base in records:
                if uid <= last:
                    self.problems.append(f"{u}: UIDs not ascending ({last} then {uid})")
                last = uid
                known = self.by_base[u].get(base)
                if known is not None and known != uid:
                    self.problems.append(f"{u}: {base} had UID {known}, now {uid}")
                owner = self.by_uid[u].get(uid)
                if owner is not None and owner != base:
                    self.problems.append(f"{u}: UID {uid} reused ({owner}, then {base})")
                if known is None and uid <= top and owner is None:
                    self.problems.append(f"{u}: new file {base} got UID {uid} <= {top}, "
                                         "an UID already handed out")
                self.by_base[u][base] = uid
                self.by_uid[u][uid] = base
                self.max_uid[u] = max(self.max_uid[u], uid)
            if uidnext <= 0:
                self.problems.append(f"{u}: UIDNEXT {uidnext}")


def pop3_read_all(srv, user):
    """[(uidl, n, sha_ok, n_subject)] of the user's INBOX over POP3."""
    c = Client(srv.ports["pop3"], timeout=20)
    c.line()
    c.cmd(f"USER {user}")
    assert c.cmd(f"PASS {user}pass").startswith("+OK")
    c.send("UIDL\r\n")
    lines = c.until(lambda line: line == ".")
    uidls = [line.split()[1] for line in lines[1:-1]]
    out = []
    for i, uidl in enumerate(uidls, 1):
        status = c.cmd(f"RETR {i}")
        assert status.startswith("+OK"), status
        raw = c.read_until(b"\r\n.\r\n")
        # The bodies have no line starting with ".", so no unstuffing is needed.
        msg = ("\r\n" + raw.decode("latin-1"))[2:-3]
        head, _, body = msg.partition("\r\n\r\n")
        fields = dict(h.split(": ", 1) for h in head.split("\r\n") if ": " in h)
        subject = fields.get("Subject", "")
        num = int(subject.split()[1]) if subject.startswith("durability ") else None
        check = fields.get("X-Check")
        ok = check is None or hashlib.sha256(body.encode()).hexdigest() == check
        out.append((uidl, num, ok))
    c.cmd("QUIT")
    c.close()
    return out


def imap_listing(srv, user):
    """(UIDVALIDITY, [UID]) of INBOX over IMAP."""
    import imaplib
    m = imaplib.IMAP4("127.0.0.1", srv.ports["imap"], timeout=20)
    m.login(user, user + "pass")
    m.select("INBOX", readonly=True)
    validity = int(m.response("UIDVALIDITY")[1][0])
    typ, data = m.uid("SEARCH", "ALL")
    uids = [int(x) for x in data[0].split()]
    m.logout()
    return validity, uids


def main():
    srv = Server(timeouts={"smtp": 30, "pop3": 30, "imap": 30})
    try:
        srv.start_or_skip(t)
        history = UidHistory(srv.data)
        history.look()
        client = Delivery(srv)
        client.thread.start()
        kills = 0
        start = time.monotonic()
        while (len(client.acked) < MIN_ACKED or kills < MIN_KILLS) and \
                time.monotonic() - start < TIME_LIMIT:
            time.sleep(rng.uniform(0.01, 0.15))
            srv.kill()
            kills += 1
            history.look()
            srv.start()
            client.restarted(srv.ports["smtp"])
        client.stop = True
        client.restarted(srv.ports["smtp"])
        client.thread.join(30)
        elapsed = time.monotonic() - start
        print(f"# {client.attempted} deliveries attempted, {len(client.acked)} got 250, "
              f"{kills} SIGKILLs in {elapsed:.1f} s")
        t.ok(len(client.acked) >= MIN_ACKED, f"at least {MIN_ACKED} deliveries got 250 "
             f"({len(client.acked)})")
        t.ok(kills >= MIN_KILLS, f"at least {MIN_KILLS} SIGKILLs ({kills})")
        # One last kill, then a last look with the server up.
        srv.kill()
        history.look()
        srv.start()
        for u in USERS:
            got = pop3_read_all(srv, u)
            want = sorted(n for n, rcpts in client.acked.items() if u in rcpts)
            nums = [num for _, num, _ in got if num is not None]
            present = set(nums)
            missing = [n for n in want if n not in present]
            t.eq(missing, [], f"{u}: every message that got 250 is in the INBOX ({len(want)})")
            t.eq(len(nums), len(present), f"{u}: no message stored twice")
            bad = [num for _, num, ok in got if not ok]
            t.eq(bad, [], f"{u}: no partial message among the {len(got)} in the INBOX")
            msgs, _ = maildir_files(srv.data, u)
            t.eq(len(got), len(msgs), f"{u}: POP3 lists every file of new/ and cur/")
            history.look()
            validity, _, records = read_uidlist(
                os.path.join(srv.data, u, "Maildir", "facteur-uidlist"))
            # The unique id is the UID then the UIDVALIDITY, %08x%08x as Dovecot's.
            listed = [f"{uid:08x}{validity:08x}" for uid, _ in records]
            t.eq(len(records), len(got), f"{u}: facteur-uidlist has one line per message")
            t.eq([uidl for uidl, _, _ in got], listed, f"{u}: POP3 UIDL matches facteur-uidlist")
            if srv.has("imap"):
                v, uids = imap_listing(srv, u)
                t.eq(v, history.validity[u], f"{u}: IMAP UIDVALIDITY is the one of the uid list")
                t.eq(uids, [uid for uid, _ in records], f"{u}: IMAP UIDs are the uid list's")
        t.eq(history.problems, [], f"uid lists consistent over {history.snapshots} looks "
             "(UIDs never reused, UIDVALIDITY never changed)")
    finally:
        srv.close()
    t.done()


main()
