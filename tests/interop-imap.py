#!/usr/bin/env python3
"""Interop of facteur's IMAP server with real clients: `facteur serve` on
ephemeral ports (read back from --port-file), Python's imaplib (login, list,
create with a modified UTF-7 name, select, status, append with a literal,
fetch of BODYSTRUCTURE, ENVELOPE, BODY.PEEK[HEADER] and BODY[], search,
store, copy, expunge, IDLE through raw commands while smtplib delivers,
delete, create, logout) and curl's imap:// (list, fetch by UID, search)."""
import email.message
import email.policy
import imaplib
import os
import re
import shutil
import signal
import smtplib
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from tap import Tap  # noqa: E402

FACTEUR = os.environ.get("FACTEUR") or os.path.join(
    os.path.dirname(__file__), "..", "build", "facteur")
ELEMENTS = "&AMk-l&AOk-ments envoy&AOk-s"  # "Éléments envoyés" in modified UTF-7

t = Tap()


def start_server(tmp):
    data = os.path.join(tmp, "data")
    ports_file = os.path.join(tmp, "ports")
    log = open(os.path.join(tmp, "serve.log"), "wb")
    proc = subprocess.Popen(
        [FACTEUR, "serve", "--data", data, "--smtp-port", "0", "--pop3-port", "0",
         "--imap-port", "0", "--port-file", ports_file],
        stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 15
    while not os.path.exists(ports_file):
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("facteur serve did not start")
        time.sleep(0.05)
    ports = {}
    with open(ports_file) as f:
        for line in f:
            key, _, value = line.strip().partition("=")
            ports[key] = int(value)
    return proc, ports


def multipart_message():
    msg = email.message.EmailMessage()
    msg["From"] = "Bob Léger <bob@example.org>"
    msg["To"] = "Alice <alice@example.org>"
    msg["Subject"] = "Interop : compte rendu"
    msg["Date"] = "Mon, 23 Nov 2026 09:15:00 +0100"
    msg["Message-ID"] = "<interop-imap-1@client.example>"
    msg.set_content("Bonjour Alice,\n\nle compte rendu est joint.\n\nBob\n")
    msg.add_attachment(b"%PDF-1.4\n" + bytes(range(256)), maintype="application",
                       subtype="pdf", filename="compte-rendu.pdf")
    return msg.as_bytes(policy=email.policy.SMTP)


SIMPLE = (b"From: Claire <claire@example.org>\r\nTo: alice@example.org\r\n"
          b"Subject: Interop second\r\nDate: Tue, 24 Nov 2026 10:00:00 +0000\r\n\r\n"
          b"Un message simple.\r\n")


def code(data, name):
    """The arguments of a response code [NAME …] found in imaplib's data."""
    for item in data:
        if isinstance(item, bytes):
            m = re.search(rb"\[" + name.encode() + rb" ([^\]]*)\]", item)
            if m:
                return m.group(1).decode()
    return None


def test_imaplib(ports):
    M = imaplib.IMAP4("127.0.0.1", ports["imap"])
    for cap in ("IMAP4REV1", "IDLE", "UIDPLUS", "MOVE", "NAMESPACE", "LITERAL+", "AUTH=PLAIN"):
        t.ok(cap in M.capabilities, f"capability {cap}")
    try:
        M.login("alice", "wrong")
        t.ok(False, "a wrong password is refused")
    except imaplib.IMAP4.error as e:
        t.ok("[AUTHENTICATIONFAILED]" in str(e), "a wrong password: NO [AUTHENTICATIONFAILED]")
    typ, data = M.login("alice", "alicepass")
    t.eq(typ, "OK", "login")
    typ, data = M.list()
    t.ok(typ == "OK" and any(line.endswith(b' "." INBOX') for line in data), "list shows INBOX")
    typ, data = M.namespace()
    t.eq(data, [b'(("" ".")) NIL NIL'], "namespace")
    t.eq(M.create("Interop")[0], "OK", "create Interop")
    t.eq(M.create('"' + ELEMENTS + '"')[0], "OK", "create “Éléments envoyés” in modified UTF-7")
    typ, data = M.list('""', "*")
    t.ok(f'(\\HasNoChildren) "." "{ELEMENTS}"'.encode() in data, "list gives the name back")
    typ, data = M.delete("INBOX")
    t.eq(typ, "NO", "delete INBOX is refused")

    typ, data = M.select("Interop")
    t.eq((typ, data), ("OK", [b"0"]), "select Interop: 0 messages")
    uidvalidity = int(M.untagged_responses["UIDVALIDITY"][0])
    big = multipart_message()
    typ, data = M.append("Interop", "(\\Flagged)", imaplib.Time2Internaldate(1795000000), big)
    t.eq(code(data, "APPENDUID"), f"{uidvalidity} 1", "append with a literal: [APPENDUID v 1]")
    typ, data = M.append("Interop", None, None, SIMPLE)
    t.eq(code(data, "APPENDUID"), f"{uidvalidity} 2", "second append: uid 2")
    typ, data = M.status("Interop", "(MESSAGES RECENT UIDNEXT UIDVALIDITY UNSEEN)")
    t.eq(data, [f"Interop (MESSAGES 2 RECENT 2 UIDNEXT 3 UIDVALIDITY {uidvalidity} UNSEEN 2)"
                .encode()], "status")
    typ, data = M.noop()
    t.eq(M.untagged_responses.get("EXISTS", [b"?"])[-1], b"2", "the appends were announced")

    typ, data = M.fetch("1", "(BODYSTRUCTURE)")
    bs = data[0]
    t.ok(b'("text" "plain" ("charset" "utf-8") NIL NIL "7bit"' in bs
         and b'("application" "pdf" NIL NIL NIL "base64"' in bs
         and b'("attachment" ("filename" "compte-rendu.pdf"))' in bs and b'"mixed"' in bs,
         "fetch BODYSTRUCTURE")
    typ, data = M.fetch("1", "(ENVELOPE)")
    env = data[0]
    t.ok(b'"Mon, 23 Nov 2026 09:15:00 +0100" "Interop : compte rendu"' in env
         and b'((NIL NIL "alice" "example.org"))' not in env
         and b'(("Alice" NIL "alice" "example.org"))' in env
         and b'"<interop-imap-1@client.example>"' in env
         and b'"bob" "example.org"' in env, "fetch ENVELOPE")
    typ, data = M.fetch("1", "(BODY.PEEK[HEADER] FLAGS)")
    header = big[: big.index(b"\r\n\r\n") + 4]
    t.eq(data[0][1], header, "fetch BODY.PEEK[HEADER]: the header, blank line included")
    t.ok(b"\\Seen" not in data[1], "BODY.PEEK does not set \\Seen")
    typ, data = M.fetch("1", "(BODY[])")
    t.eq(data[0][1], big, "fetch BODY[]: the message as appended")
    t.ok(b"\\Seen" in data[0][0], "BODY[] sets \\Seen and says so")
    typ, data = M.fetch("1", "(INTERNALDATE RFC822.SIZE)")
    t.ok(f"RFC822.SIZE {len(big)}".encode() in data[0], "RFC822.SIZE is the size appended")

    typ, data = M.search(None, "SUBJECT", "interop")
    t.eq(data, [b"1 2"], "search SUBJECT")
    typ, data = M.search(None, "FROM", "claire", "UNSEEN")
    t.eq(data, [b"2"], "search FROM … UNSEEN")
    typ, data = M.search(None, "OR", "FLAGGED", "BODY", "simple")
    t.eq(data, [b"1 2"], "search OR FLAGGED BODY")
    typ, data = M.uid("SEARCH", "NOT", "SEEN")
    t.eq(data, [b"2"], "uid search NOT SEEN")

    typ, data = M.store("2", "+FLAGS", "(\\Answered)")
    t.ok(typ == "OK" and b"\\Answered" in data[0], "store +FLAGS")
    typ, data = M.copy("1:2", '"' + ELEMENTS + '"')
    t.ok(typ == "OK" and code(data, "COPYUID") is not None
         and code(data, "COPYUID").endswith(" 1:2 1:2"), "copy: [COPYUID v 1:2 1:2]")
    typ, data = M.store("1", "+FLAGS", "(\\Deleted)")
    typ, data = M.expunge()
    t.eq((typ, data), ("OK", [b"1"]), "expunge: * 1 EXPUNGE")
    typ, data = M.fetch("1", "(UID FLAGS)")
    t.ok(b"UID 2 FLAGS (\\Answered" in data[0], "message 2 is now number 1")
    typ, data = M.status('"' + ELEMENTS + '"', "(MESSAGES)")
    t.eq(data, [f'"{ELEMENTS}" (MESSAGES 2)'.encode()], "the copies are there")

    # IDLE through raw commands while smtplib delivers to the INBOX.
    M.select("INBOX")
    tag = M._new_tag()
    M.send(tag + b" IDLE\r\n")
    t.eq(M.readline(), b"+ idling\r\n", "IDLE: + idling")
    with smtplib.SMTP("127.0.0.1", ports["smtp"], local_hostname="client.example",
                      timeout=20) as smtp:
        smtp.sendmail("bob@example.org", ["alice@example.org"],
                      b"Subject: pendant IDLE\r\n\r\nCoucou.\r\n")
    M.sock.settimeout(10)
    exists = M.readline()
    t.ok(re.fullmatch(rb"\* \d+ EXISTS\r\n", exists) is not None,
         "IDLE: * n EXISTS arrives at once when SMTP delivers")
    M.send(b"DONE\r\n")
    rest = b""
    while not rest.startswith(tag):
        rest = M.readline()
    t.ok(rest.startswith(tag + b" OK"), "DONE ends IDLE with OK")
    M.sock.settimeout(None)

    t.eq(M.close()[0], "OK", "close")
    t.eq(M.delete("Interop")[0], "OK", "delete Interop")
    t.eq(M.select("Interop")[0], "NO", "select a deleted mailbox: NO")
    t.eq(M.create("Interop")[0], "OK", "create Interop again")
    M.select("Interop")
    again = int(M.untagged_responses["UIDVALIDITY"][0])
    t.ok(again > uidvalidity, "the new Interop has a larger UIDVALIDITY")
    typ, data = M.logout()
    t.eq(typ, "BYE", "logout: BYE")


def curl(*args):
    return subprocess.run(["curl", "-sS", "--max-time", "20", *args],
                          capture_output=True, timeout=30)


def test_curl(ports):
    if shutil.which("curl") is None:
        t.skip("curl imap://", "curl is not installed")
        return
    base = f"imap://alice:alicepass@127.0.0.1:{ports['imap']}"
    r = curl(base + "/")
    t.ok(r.returncode == 0 and b'"." INBOX' in r.stdout, "curl imap:// lists the mailboxes")
    M = imaplib.IMAP4("127.0.0.1", ports["imap"])
    M.login("alice", "alicepass")
    M.select("INBOX")
    typ, data = M.uid("FETCH", "1", "(BODY.PEEK[])")
    message = data[0][1]
    typ, data = M.uid("SEARCH", "SUBJECT", "IDLE")
    wanted = data[0]
    M.logout()
    r = curl(base + "/INBOX;UID=1")
    t.ok(r.returncode == 0 and r.stdout == message, "curl imap:// fetches a message by UID")
    r = curl(base + "/INBOX;UID=1;SECTION=HEADER")
    t.ok(r.returncode == 0 and r.stdout == message[: message.index(b"\r\n\r\n") + 4],
         "curl imap:// fetches a header by UID")
    r = curl(base + "/INBOX?SUBJECT%20IDLE")
    t.eq(r.stdout.strip(), b"* SEARCH " + wanted, "curl imap:// searches")
    r = curl(f"imap://alice:wrong@127.0.0.1:{ports['imap']}/")
    t.ok(r.returncode != 0, "curl imap:// with a wrong password fails")


def main():
    tmp = tempfile.mkdtemp(prefix="facteur-interop-imap-")
    proc = None
    try:
        proc, ports = start_server(tmp)
        t.ok("imap" in ports, "serve --port-file gives the IMAP port")
        socket.create_connection(("127.0.0.1", ports["imap"]), timeout=5).close()
        t.run("imaplib", test_imaplib, ports)
        t.run("curl", test_curl, ports)
        proc.send_signal(signal.SIGTERM)
        t.eq(proc.wait(timeout=15), 0, "facteur serve stops cleanly on SIGTERM")
        proc = None
    except Exception as e:  # noqa: BLE001 - reported as a TAP failure
        t.ok(False, f"interop setup: {e}")
    finally:
        if proc is not None:
            proc.kill()
            proc.wait()
        log = os.path.join(tmp, "serve.log")
        if t.failed and os.path.exists(log):
            with open(log, errors="replace") as f:
                for line in f:
                    print("# serve: " + line.rstrip())
        shutil.rmtree(tmp, ignore_errors=True)
    t.done()


main()
