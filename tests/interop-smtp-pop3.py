#!/usr/bin/env python3
"""Interop of facteur's SMTP and POP3 servers with real clients: `facteur serve`
on ephemeral ports (read back from --port-file), curl (smtp:// uploading a
multipart message with an attachment, pop3:// listing and retrieving), Python's
smtplib (EHLO, AUTH PLAIN and LOGIN, sendmail to two recipients, one unknown)
and poplib (user/pass_, apop, stat, list, uidl, top, retr, dele, rset, quit).
A message read back by POP3 must be byte-identical to the one sent, apart from
the Return-Path: and Received: headers the server puts on top."""
import email.message
import email.policy
import os
import poplib
import re
import shutil
import signal
import smtplib
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from tap import Tap  # noqa: E402

FACTEUR = os.environ.get("FACTEUR") or os.path.join(
    os.path.dirname(__file__), "..", "build", "facteur")
TRACE = re.compile(rb"\AReturn-Path: <[^>\r\n]*>\r\nReceived: [^\r\n]*\r\n(?:\t[^\r\n]*\r\n)+")

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


def split_trace(raw, sent):
    """The trace headers the server added, or None when raw is not them + sent."""
    if not raw.endswith(sent):
        return None
    head = raw[: len(raw) - len(sent)]
    m = TRACE.fullmatch(head)
    return head if m else None


def multipart_message():
    msg = email.message.EmailMessage()
    msg["From"] = "Bob <bob@example.org>"
    msg["To"] = "Alice <alice@example.org>"
    msg["Subject"] = "Compte rendu et pièce jointe"
    msg["Message-ID"] = "<interop-curl-1@client.example>"
    msg.set_content("Bonjour Alice,\n\n.Cette ligne commence par un point.\n.\n"
                    "Voici la pièce jointe.\n\nBob\n", cte="quoted-printable")
    attachment = bytes(range(256)) * 8
    msg.add_attachment(attachment, maintype="application", subtype="octet-stream",
                       filename="donnees.bin")
    return msg.as_bytes(policy=email.policy.SMTP), attachment


def curl(*args):
    return subprocess.run(["curl", "-sS", "--max-time", "20", *args],
                          capture_output=True, timeout=30)


def test_curl(ports, tmp):
    smtp, pop3 = ports["smtp"], ports["pop3"]
    if shutil.which("curl") is None:
        t.skip("curl smtp:// and pop3://", "curl is not installed")
        return
    raw, attachment = multipart_message()
    path = os.path.join(tmp, "message.eml")
    with open(path, "wb") as f:
        f.write(raw)
    r = curl(f"smtp://127.0.0.1:{smtp}/client.example", "--mail-from", "bob@example.org",
             "--mail-rcpt", "alice@example.org", "--upload-file", path)
    t.eq(r.returncode, 0, "curl smtp:// uploads a multipart message with an attachment")
    if r.returncode != 0:
        print("# " + r.stderr.decode(errors="replace").strip())

    r = curl(f"pop3://alice:alicepass@127.0.0.1:{pop3}/")
    t.eq(r.returncode, 0, "curl pop3:// lists the maildrop")
    listing = r.stdout.decode().split("\r\n")
    entries = [line.split() for line in listing if line]
    t.ok(len(entries) == 7 and all(len(e) == 2 for e in entries),
         "curl pop3:// LIST: alice's 6 demo messages and the new one")
    last = entries[-1][0] if entries else "1"
    r = curl(f"pop3://alice:alicepass@127.0.0.1:{pop3}/{last}")
    t.eq(r.returncode, 0, "curl pop3:// retrieves the message")
    trace = split_trace(r.stdout, raw)
    t.ok(trace is not None,
         "curl pop3:// RETR: byte-identical to what curl sent, after Return-Path and Received")
    if trace is None:
        print(f"# got {r.stdout[:300]!r}")
    else:
        t.ok(trace.startswith(b"Return-Path: <bob@example.org>\r\nReceived: from client.example"),
             "the trace headers name the envelope sender and curl's EHLO name")
        t.ok(b"\tfor <alice@example.org>;" in trace, "Received: names the one recipient")
    parsed = email.message_from_bytes(r.stdout, policy=email.policy.default)
    parts = list(parsed.iter_attachments())
    t.ok(len(parts) == 1 and parts[0].get_filename() == "donnees.bin"
         and parts[0].get_content() == attachment,
         "the attachment decodes to the bytes attached")
    r = curl(f"pop3://alice:alicepass@127.0.0.1:{pop3}/", "-X", "UIDL")
    t.ok(r.returncode == 0 and len([x for x in r.stdout.split(b"\r\n") if x]) == 7,
         "curl pop3:// custom command UIDL")
    r = curl(f"pop3://alice:wrong@127.0.0.1:{pop3}/")
    t.ok(r.returncode != 0, "curl pop3:// with a wrong password fails")


def test_smtplib(ports):
    smtp = smtplib.SMTP("127.0.0.1", ports["smtp"], local_hostname="client.example",
                        timeout=20)
    code, _ = smtp.ehlo()
    t.eq(code, 250, "smtplib EHLO")
    for kw in ("pipelining", "size", "8bitmime", "enhancedstatuscodes", "auth", "help"):
        t.ok(smtp.has_extn(kw), f"EHLO advertises {kw.upper()}")
    t.eq(smtp.esmtp_features.get("auth", "").split(), ["PLAIN", "LOGIN"],
         "AUTH PLAIN LOGIN advertised")
    start = time.monotonic()
    try:
        smtp.login("alice", "wrong")
        t.ok(False, "a wrong password is refused")
    except smtplib.SMTPAuthenticationError as e:
        t.eq(e.smtp_code, 535, "a wrong password is refused with 535")
        t.ok(time.monotonic() - start >= 0.9, "after the one-second failure delay")
    code, text = smtp.login("alice", "alicepass")
    t.eq((code, text[:5]), (235, b"2.7.0"), "smtplib login uses AUTH PLAIN: 235 2.7.0")
    body = ("From: Alice <alice@example.org>\r\nTo: Bob <bob@example.org>\r\n"
            "Subject: =?UTF-8?Q?Ce_soir_=C3=A0_20h?=\r\nMIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=UTF-8\r\n"
            "Content-Transfer-Encoding: 8bit\r\n\r\n"
            "Rendez-vous à 20 h.\r\n.Un point en tête de ligne.\r\n..Et deux.\r\n").encode()
    refused = smtp.sendmail("alice@example.org", ["bob@example.org", "nobody@example.org"],
                            body, mail_options=["BODY=8BITMIME"])
    t.ok(list(refused) == ["nobody@example.org"] and refused["nobody@example.org"][0] == 550
         and refused["nobody@example.org"][1].startswith(b"5.1.1"),
         "sendmail to two recipients: the unknown one is refused with 550 5.1.1")
    try:
        smtp.sendmail("alice@example.org", ["someone@example.net"], b"Subject: x\r\n\r\nx\r\n")
        t.ok(False, "relaying to another domain is refused")
    except smtplib.SMTPRecipientsRefused as e:
        code, text = e.recipients["someone@example.net"]
        t.ok(code == 550 and text.startswith(b"5.7.1"), "relaying is refused with 550 5.7.1")
    code, text = smtp.verify("bob")
    t.eq(code, 252, "VRFY bob: 252")
    code, _ = smtp.docmd("EXPN", "staff")
    t.eq(code, 502, "EXPN: 502")
    smtp.quit()

    # AUTH LOGIN, the two-step mechanism, with the user bob.
    smtp = smtplib.SMTP("127.0.0.1", ports["smtp"], local_hostname="client.example",
                        timeout=20)
    smtp.ehlo()
    smtp.user, smtp.password = "bob", "bobpass"
    code, _ = smtp.auth("LOGIN", smtp.auth_login, initial_response_ok=False)
    t.eq(code, 235, "smtplib AUTH LOGIN: 235")
    smtp.quit()
    return body


def test_poplib(ports, sent):
    pop = poplib.POP3("127.0.0.1", ports["pop3"], timeout=20)
    t.ok(re.fullmatch(rb"\+OK .* <\d+\.\d+\.\d+@mail\.example\.org>", pop.getwelcome()),
         "greeting with the APOP timestamp")
    capa = pop.capa()
    t.ok(all(k in capa for k in ("TOP", "USER", "UIDL", "RESP-CODES", "PIPELINING")),
         "CAPA lists TOP USER UIDL RESP-CODES PIPELINING")
    t.eq(capa.get("EXPIRE"), ["NEVER"], "CAPA: EXPIRE NEVER")
    pop.user("bob")
    resp = pop.pass_("bobpass")
    t.ok(resp.startswith(b"+OK"), "user/pass_")
    count, octets = pop.stat()
    t.eq(count, 4, "stat: bob's 3 demo messages and the one smtplib sent")
    resp, listing, _ = pop.list()
    sizes = {int(n): int(s) for n, s in (line.split() for line in listing)}
    t.ok(len(sizes) == 4 and sum(sizes.values()) == octets, "list agrees with stat")
    resp, uids, _ = pop.uidl()
    uidl = dict(line.split() for line in uids)
    t.ok(len(set(uidl.values())) == 4, "uidl: four distinct unique ids")
    resp, top, _ = pop.top(4, 0)
    t.ok(top[0].startswith(b"Return-Path: <alice@example.org>") and top[-1] == b"",
         "top 4 0: the header and the blank line")
    resp, lines, size = pop.retr(4)
    raw = b"\r\n".join(lines) + b"\r\n"
    t.ok(resp.startswith(b"+OK ") and int(resp.split()[1]) == sizes[4],
         "retr announces the size that list gave")
    t.ok(split_trace(raw, sent) is not None,
         "retr: byte-identical to what smtplib sent, after Return-Path and Received")
    t.ok(pop.dele(1).startswith(b"+OK"), "dele 1")
    t.eq(pop.stat()[0], 3, "stat leaves the marked message out")
    try:
        pop.retr(1)
        t.ok(False, "retr of a deleted message is refused")
    except poplib.error_proto as e:
        t.ok(str(e).find("already deleted") > 0, "retr 1 after dele: -ERR already deleted")
    t.ok(pop.rset().startswith(b"+OK"), "rset")
    t.eq(pop.stat()[0], 4, "rset unmarks")
    pop.dele(2)
    resp = pop.quit()
    t.ok(b"1 message deleted" in resp, "quit removes the marked message and says so")

    # A second session (APOP this time) sees the result.
    pop = poplib.POP3("127.0.0.1", ports["pop3"], timeout=20)
    pop.apop("bob", "bobpass")
    resp, uids, _ = pop.uidl()
    after = [line.split()[1] for line in uids]
    t.ok(len(after) == 3 and uidl[b"2"] not in after, "apop; the deleted message is gone")
    # The maildrop is locked while this session holds it.
    other = poplib.POP3("127.0.0.1", ports["pop3"], timeout=20)
    other.user("bob")
    try:
        other.pass_("bobpass")
        t.ok(False, "a second session of bob gets -ERR [IN-USE]")
    except poplib.error_proto as e:
        t.ok(str(e).find("[IN-USE]") > 0, "a second session of bob gets -ERR [IN-USE]")
    other.quit()
    pop.quit()


def main():
    tmp = tempfile.mkdtemp(prefix="facteur-interop-")
    proc = None
    try:
        proc, ports = start_server(tmp)
        t.ok("smtp" in ports and "pop3" in ports, "serve --port-file gives the SMTP and POP3 ports")
        t.run("curl", test_curl, ports, tmp)
        sent = None

        def smtp_part():
            nonlocal sent
            sent = test_smtplib(ports)
        t.run("smtplib", smtp_part)
        if sent is not None:
            t.run("poplib", test_poplib, ports, sent)
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
