#!/usr/bin/env python3
"""IMAP SEARCH on text, with Python's imaplib: matching ignores case in ASCII
and beyond (RFC 3501 §6.4.4; "ÉCOLE" finds "école",
"STRASSE" finds "Straße": Unicode full case folding), across runs of ASCII and
accented text (the server folds ASCII runs quickly and the others with
Unicode case folding), and stays fast on a mailbox of 300 messages."""
import imaplib
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from faultlib import Server  # noqa: E402
from tap import Tap  # noqa: E402

t = Tap()

MESSAGES = [
    ("Réunion du CONSEIL", "Rendez-vous à l'École à 18 h, salle B.\r\nÇa commence à l'heure."),
    ("Plain ascii", "Nothing special here: just ASCII text, the WORD Conseil once."),
    ("Mixte", "AAAé BBBÉ cccÀ DdD\r\nΣίσυφος ΣΊΣΥΦΟΣ Straße"),
]
CASES = [
    ("BODY école", {1}), ("BODY ÉCOLE", {1}), ("BODY ça", {1}), ("BODY conseil", {2}),
    ("TEXT conseil", {1, 2}), ("SUBJECT réunion", {1}), ("SUBJECT RÉUNION", {1}),
    ("BODY bbbé", {3}), ("BODY aaaÉ", {3}), ("BODY cccà", {3}), ("BODY σίσυφος", {3}),
    ("BODY ddd", {3}), ("BODY straße", {3}), ("BODY STRASSE", {3}), ("BODY absent", set()),
]


def search(m, crit):
    key, _, value = crit.partition(" ")
    m.literal = value.encode()  # sent as a literal after the key
    typ, data = m.uid("SEARCH", "CHARSET", "UTF-8", key)
    assert typ == "OK", (typ, data)
    return {int(x) for x in data[0].split()}


def main():
    srv = Server(timeouts={"smtp": 30, "pop3": 30, "imap": 30}).start_or_skip(t, ("imap",))
    with srv:
        m = imaplib.IMAP4("127.0.0.1", srv.ports["imap"], timeout=30)
        m.login("bob", "bobpass")
        m.create("Recherche")
        uids = []
        for subject, body in MESSAGES:
            msg = (f"From: a@example.org\r\nSubject: {subject}\r\nMIME-Version: 1.0\r\n"
                   f"Content-Type: text/plain; charset=utf-8\r\n"
                   f"Content-Transfer-Encoding: 8bit\r\n\r\n{body}\r\n").encode()
            typ, data = m.append("Recherche", None, None, msg)
            t.eq(typ, "OK", f"APPEND {subject}")
            uids.append(int(data[0].split()[2].rstrip(b"]")))
        m.select("Recherche")
        for crit, want in CASES:
            got = search(m, crit)
            t.eq(got, {uids[i - 1] for i in want}, f"SEARCH {crit}")
        # A mailbox of 300 messages of 20 KB: BODY reads and folds all of them.
        text = ("Le facteur passe deux fois. " * 40 + "\r\n") * 17
        for i in range(300):
            word = "aiguille" if i % 50 == 7 else "foin"
            m.append("Recherche", None, None,
                     f"Subject: tas {i}\r\n\r\n{text}{word}\r\n".encode())
        m.select("Recherche")
        start = time.perf_counter()
        got = search(m, "BODY AIGUILLE")
        took = time.perf_counter() - start
        t.eq(len(got), 6, "SEARCH BODY finds the 6 needles among 303 messages")
        limit = 10.0 if "ASAN_OPTIONS" in os.environ else 2.0
        print(f"# SEARCH BODY over 303 messages: {took * 1000:.0f} ms")
        t.ok(took < limit, f"in {took:.2f} s (< {limit} s)")
        m.logout()
    t.done()


main()
