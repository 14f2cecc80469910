#!/usr/bin/env python3
"""Checks the demo mail of facteur (scenarios/mail/): every .eml parses with
Python's email package without defects, follows RFC 5322 line limits and the
MIME rules for 8-bit data, has the structure the lessons describe, carries a
valid PNG/PDF where it says so; demo.conf names only existing files and gives
the flags the IMAP lessons rely on ([UNSEEN n] is not a count)."""
import base64
import binascii
import email
import email.policy
import email.utils
import os
import re
import struct
import sys
import zlib

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from tap import Tap  # noqa: E402

TOP = os.environ.get("FACTEUR_TOP") or os.path.join(os.path.dirname(__file__), "..")
MAIL = os.path.join(TOP, "scenarios", "mail")

# Every .eml and its MIME tree: type[transfer-encoding], children in ().
STRUCTURE = {
    "01-bienvenue.eml": "text/plain[7bit]",
    "02-reunion.eml": "text/plain[8bit]",
    "03-re-bienvenue.eml": "text/plain[8bit]",
    "04-re-re-bienvenue.eml": "text/plain[8bit]",
    "05-compte-rendu.eml": "multipart/mixed(multipart/alternative("
    "text/plain[quoted-printable],text/html[quoted-printable]),image/png[base64])",
    "06-rappel-controle.eml": "text/plain[quoted-printable]",
    "projets-1-sujet.eml": "text/plain[8bit]",
    "projets-2-cahier-des-charges.eml": "multipart/mixed(text/plain[quoted-printable],"
    "application/pdf[base64])",
    "bob-1-re-reunion.eml": "text/plain[8bit]",
    "bob-2-notes-pop3.eml": "text/plain[8bit]",
    "bob-3-ce-soir.eml": "text/plain[8bit]",
    "simple.eml": "text/plain[7bit]",
    "piece-jointe.eml": "multipart/mixed(text/plain[quoted-printable],image/png[base64])",
    "image-seule.eml": "image/png[base64]",
    "nouveau.eml": "text/plain[quoted-printable]",
}
SCENARIO_FILES = {"simple.eml", "piece-jointe.eml", "image-seule.eml", "nouveau.eml"}
SYSTEM_FLAGS = {"\\Seen", "\\Answered", "\\Flagged", "\\Deleted", "\\Draft"}
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def structure(part):
    ctype = part.get_content_type()
    if part.is_multipart():
        return ctype + "(" + ",".join(structure(p) for p in part.iter_parts()) + ")"
    return f"{ctype}[{part.get('Content-Transfer-Encoding', '7bit').lower()}]"


def split_raw(raw):
    """(header bytes, body bytes) split at the first empty line."""
    head, sep, body = raw.partition(b"\n\n")
    return head, body


def raw_header(raw, name):
    """The unfolded raw value of a header field, or None."""
    head, _ = split_raw(raw)
    text = head.decode("ascii", "replace").replace("\n ", " ").replace("\n\t", " ")
    for line in text.split("\n"):
        field, _, value = line.partition(":")
        if field.lower() == name.lower():
            return value.strip()
    return None


def check_png(t, name, data):
    t.ok(data.startswith(PNG_MAGIC), f"{name}: the PNG starts with its magic bytes")
    pos, chunks = 8, []
    while pos + 8 <= len(data):
        length, ctype = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        crc = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])[0]
        chunks.append((ctype, body, crc == zlib.crc32(ctype + body) & 0xFFFFFFFF))
        pos += 12 + length
    t.eq([c[0] for c in chunks], [b"IHDR", b"IDAT", b"IEND"], f"{name}: PNG chunks")
    t.ok(all(c[2] for c in chunks), f"{name}: every PNG chunk CRC is right")
    w, h, depth, colour = struct.unpack(">IIBB", chunks[0][1][:10])
    t.eq((w, h, depth, colour), (16, 16, 8, 6), f"{name}: 16x16 RGBA PNG")
    raw = zlib.decompress(chunks[1][1])
    t.eq(len(raw), h * (1 + 4 * w), f"{name}: the PNG image data inflates to 16 rows")


def check_pdf(t, name, data):
    t.ok(data.startswith(b"%PDF-1."), f"{name}: the PDF starts with %PDF-")
    t.ok(data.rstrip().endswith(b"%%EOF"), f"{name}: the PDF ends with %%EOF")
    m = re.search(rb"startxref\s+(\d+)\s+%%EOF", data)
    xref = int(m.group(1)) if m else -1
    t.ok(data[xref:xref + 4] == b"xref", f"{name}: startxref points at the xref table")
    entries = re.findall(rb"(\d{10}) 00000 n ", data[xref:])
    good = [data[int(off):].startswith(b"%d 0 obj" % (i + 1)) for i, off in enumerate(entries)]
    t.ok(entries and all(good), f"{name}: every xref offset points at its object")


def check_file(t, name, raw, msgs):
    lines = raw.split(b"\n")
    t.ok(b"\r" not in raw and raw.endswith(b"\n"), f"{name}: LF line ends, last line ended")
    t.ok(all(len(ln) <= 998 for ln in lines), f"{name}: every line at most 998 octets")
    long = [ln for ln in lines if len(ln.decode("utf-8")) > 78]
    t.eq(long, [], f"{name}: every line at most 78 characters (RFC 5322 §2.1.1)")
    head, body = split_raw(raw)
    t.ok(head.isascii(), f"{name}: the header is ASCII (RFC 2047 for the rest)")

    msg = email.message_from_bytes(raw, policy=email.policy.default)
    msgs[name] = msg
    defects, bad_headers = [], []
    for part in msg.walk():
        defects += [type(d).__name__ for d in part.defects]
        for field, value in part.items():
            if getattr(value, "defects", None):
                bad_headers.append(f"{field}: {value.defects}")
    t.eq(defects, [], f"{name}: no MIME defects")
    t.eq(bad_headers, [], f"{name}: every header parses without defects")
    t.eq(structure(msg), STRUCTURE.get(name), f"{name}: MIME structure")

    # 8-bit octets only where the message says 8bit (RFC 2045 §2.8, §6.2).
    if not body.isascii():
        t.eq(msg.get("Content-Transfer-Encoding", "").lower(), "8bit",
             f"{name}: 8-bit body declared 8bit")
    else:
        t.ok(True, f"{name}: 7-bit clean body")

    for field in ("From", "Date", "Message-ID"):
        t.ok(msg[field] is not None, f"{name}: has {field}")
    date = raw_header(raw, "Date") or ""
    when = email.utils.parsedate_to_datetime(date)
    t.ok(when.year == 2026 and when.month == 11 and date[-5:] in ("+0100", "+0000"),
         f"{name}: dated November 2026, zone +0100 or +0000")
    t.ok(date[:3] == when.strftime("%a"), f"{name}: the day of the week is right")
    addrs = [a for f in ("From", "To", "Cc", "Reply-To") for a in msg.get_all(f, [])]
    domains = {addr.domain for h in addrs for addr in h.addresses}
    t.ok(domains and all(d.endswith("example.org") for d in domains),
         f"{name}: addresses under example.org")
    if msg.get("MIME-Version") is not None or msg.is_multipart():
        t.eq(str(msg["MIME-Version"]), "1.0", f"{name}: MIME-Version: 1.0")

    for part in msg.walk():
        if part.is_multipart():
            continue
        content = part.get_content()  # raises if the transfer encoding is broken
        check_encoding(t, name, part)
        ctype = part.get_content_type()
        if ctype == "image/png":
            check_png(t, name, content)
        elif ctype == "application/pdf":
            check_pdf(t, name, content)
        if ctype in ("image/png", "application/pdf") and part.is_attachment():
            t.ok(part.get_filename(), f"{name}: the attachment has a filename")
        if part.get_content_maintype() == "text":
            t.ok(isinstance(content, str) and content.strip(), f"{name}: {ctype} decodes")


def check_encoding(t, name, part):
    """The encoded lines themselves, which decoders are lenient about."""
    cte = part.get("Content-Transfer-Encoding", "7bit").lower()
    lines = part.get_payload(decode=False).rstrip("\n").split("\n")
    if cte == "base64":
        good = all(re.fullmatch(r"[A-Za-z0-9+/]*={0,2}", ln) and len(ln) <= 76 for ln in lines)
        try:
            base64.b64decode("".join(lines), validate=True)
        except binascii.Error:
            good = False
        t.ok(good, f"{name}: strict base64, lines of at most 76 (RFC 2045 §6.8)")
    elif cte == "quoted-printable":
        good = all(len(ln) <= 76 and re.fullmatch(r"([!-<>-~ \t]|=[0-9A-F]{2})*=?", ln)
                   and not re.search(r"[ \t]$", ln) for ln in lines)
        t.ok(good, f"{name}: quoted-printable lines of at most 76, =XX upper case (§6.7)")


def parse_keyfile(path):
    """A GKeyFile as the store reads it: groups, key=value, # comments."""
    groups, cur = {}, None
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            if line.startswith("["):
                cur = groups.setdefault(line.strip("[]"), {})
                continue
            key, _, value = line.partition("=")
            cur[key.strip()] = value.strip()
    return groups


def check_conf(t, msgs):
    conf = parse_keyfile(os.path.join(MAIL, "demo.conf"))
    t.eq(sorted(conf), ["alice", "bob"], "demo.conf: users alice and bob")
    t.eq(conf["alice"].get("password"), "alicepass", "demo.conf: alice's password")
    t.eq(conf["bob"].get("password"), "bobpass", "demo.conf: bob's password")
    listed = []
    boxes = {}
    for user, keys in conf.items():
        for key, value in keys.items():
            if key.startswith("mailbox."):
                files = [f for f in value.split(";") if f]
                boxes[(user, key[8:])] = files
                listed += files
    missing = [f for f in listed if not os.path.isfile(os.path.join(MAIL, f))]
    t.eq(missing, [], "demo.conf: every listed file exists")
    t.eq(len(listed), len(set(listed)), "demo.conf: no file listed twice")
    eml = {f for f in os.listdir(MAIL) if f.endswith(".eml")}
    t.eq(sorted(eml - set(listed) - SCENARIO_FILES), [], "no .eml left out of demo.conf")
    t.eq(sorted(SCENARIO_FILES - eml), [], "the scenario messages exist")
    t.ok(len(boxes.get(("alice", "INBOX"), [])) >= 5, "alice's INBOX has at least 5 messages")
    t.eq(len(boxes.get(("alice", "Projets"), [])), 2, "alice's Projets has 2 messages")
    t.ok(2 <= len(boxes.get(("bob", "INBOX"), [])) <= 3, "bob's INBOX has 2 or 3 messages")

    flags = {}
    for user, keys in conf.items():
        mine = {f for (u, _), files in boxes.items() if u == user for f in files}
        for key, value in keys.items():
            if key.startswith("flags."):
                t.ok(key[6:] in mine, f"demo.conf: flags of {key[6:]}, a file of {user}")
                t.ok(set(value.split()) <= SYSTEM_FLAGS, f"demo.conf: {key} are system flags")
                flags[key[6:]] = set(value.split())
    inbox = boxes[("alice", "INBOX")]
    unseen = [i + 1 for i, f in enumerate(inbox) if "\\Seen" not in flags.get(f, set())]
    t.ok(unseen and unseen[0] > 1, "alice's INBOX: the first message is seen, a later one not")
    t.ok(unseen and unseen[0] != len(unseen),
         "alice's INBOX: [UNSEEN n] (first unseen) differs from the unseen count")
    every = set().union(*[flags.get(f, set()) for f in inbox])
    t.ok({"\\Flagged", "\\Answered"} <= every, "alice's INBOX: one \\Flagged, one \\Answered")

    # What the lessons need from alice's INBOX, all together.
    raws = {f: open(os.path.join(MAIL, f), "rb").read() for f in inbox}
    fields = {k.lower() for f in inbox for k in msgs[f].keys()}
    need = ["from", "to", "cc", "message-id", "date", "in-reply-to", "reply-to", "references"]
    t.eq([n for n in need if n not in fields], [], "alice's INBOX has every header of lesson 3")
    subjects = [raw_header(r, "Subject") for r in raws.values()]
    t.ok(any(re.search(r"=\?[^?]+\?Q\?", s, re.I) for s in subjects), "an RFC 2047 Q Subject")
    t.ok(any(re.search(r"=\?[^?]+\?B\?", s, re.I) for s in subjects), "an RFC 2047 B Subject")
    t.ok(any(l.startswith(b".") for r in raws.values() for l in split_raw(r)[1].split(b"\n")),
         "alice's INBOX: a body line starts with a dot")
    t.ok(any(structure(msgs[f]) == "text/plain[7bit]" and raws[f].isascii() for f in inbox),
         "alice's INBOX: a plain 7bit message")
    ids = {str(msgs[f]["Message-ID"]) for f in inbox}
    t.ok(any(str(msgs[f].get("In-Reply-To", "")) in ids for f in inbox),
         "alice's INBOX: a reply to another message of the INBOX")


def check_details(t, msgs):
    raw = open(os.path.join(MAIL, "05-compte-rendu.eml"), "rb").read()
    t.ok(b"=\n" in raw and b"=3D" in raw, "05: quoted-printable soft line break and =3D")
    cr = msgs["05-compte-rendu.eml"]
    t.eq(str(cr["Subject"]), "Compte rendu du TP n°1 et icône du cours", "05: B Subject decodes")
    plain = cr.get_body(("plain",)).get_content()
    t.ok("première séance" in plain and 'boundary="..."' in plain, "05: the QP text decodes")
    att = next(cr.iter_attachments())
    t.eq((att.get_content_disposition(), att.get_filename(), str(att["Content-ID"])),
         ("attachment", "enveloppe.png", "<enveloppe.png@example.org>"), "05: the attachment")
    t.eq(str(msgs["02-reunion.eml"]["Subject"]), "Réunion de préparation du TP",
         "02: Q Subject decodes")
    t.eq(str(msgs["06-rappel-controle.eml"]["Subject"]), "Rappel : contrôle du 30 novembre",
         "06: ISO-8859-1 Q Subject decodes")

    simple = msgs["simple.eml"]
    t.eq(sorted(simple.keys()),
         sorted(["From", "To", "Subject", "Message-ID", "Date", "Reply-To", "In-Reply-To"]),
         "simple.eml: exactly the headers of scenario 1")
    pj = msgs["piece-jointe.eml"]
    t.eq(pj.get_boundary(), "=_frontiere_facteur", "piece-jointe.eml: the boundary")
    png = list(pj.iter_attachments())
    t.ok(len(png) == 1 and png[0]["Content-ID"] and png[0].get_content_disposition()
         == "attachment", "piece-jointe.eml: Content-Disposition and Content-ID")
    single = msgs["image-seule.eml"]
    t.eq(single.get_content(), png[0].get_content(), "image-seule.eml: the same PNG, alone")

    ids = {}
    for name, msg in msgs.items():
        ids.setdefault(str(msg["Message-ID"]), []).append(name)
    t.eq([v for v in ids.values() if len(v) > 1], [], "every Message-ID is unique")
    refs = []
    for name, msg in msgs.items():
        for field in ("In-Reply-To", "References"):
            refs += [(name, r) for r in re.findall(r"<[^>]+>", str(msg.get(field, "")))]
    t.eq([r for r in refs if r[1] not in ids], [],
         "every In-Reply-To/References names a demo message")


def main():
    t = Tap()
    msgs = {}
    names = sorted(f for f in os.listdir(MAIL) if f.endswith(".eml"))
    t.eq(sorted(names), sorted(STRUCTURE), "the .eml files are the expected ones")
    for name in names:
        with open(os.path.join(MAIL, name), "rb") as f:
            t.run(name, check_file, t, name, f.read(), msgs)
    t.run("demo.conf", check_conf, t, msgs)
    t.run("details", check_details, t, msgs)
    t.done()


main()
