#!/usr/bin/env python3
"""Writes a large synthetic capture of mixed mail sessions for the tracer's
benchmark: SMTP (EHLO, AUTH PLAIN, MAIL, RCPT, DATA with dot-stuffing), POP3
(USER/PASS, STAT, LIST, UIDL, RETR, DELE, QUIT) and IMAP (LOGIN, SELECT,
FETCH of flags and of whole messages as literals, APPEND, STORE, LOGOUT),
carrying MIME messages of many shapes (quoted-printable French text,
multipart/alternative, multipart/mixed with base64 attachments, nested
multipart/related, RFC 2047 headers). Several sessions run at once; payloads
are cut into 1448-octet segments with ACKs, as on an Ethernet link.

    bench/gen-capture.py OUT.pcap [SIZE_MB] [SEED]
"""
import base64
import random
import struct
import sys

MSS = 1448


class Writer:
    def __init__(self, path):
        self.f = open(path, "wb", buffering=1 << 20)
        self.f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
        self.t = 1793610000 * 1000000
        self.size = 24

    def packet(self, src, dst, sport, dport, seq, ack, flags, payload=b""):
        tcp = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF,
                          5 << 4, flags, 65535, 0, 0)
        total = 20 + len(tcp) + len(payload)
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, total, 0, 0x4000, 64, 6, 0, src, dst)
        eth = b"\x00\x00\x00\x00\x00\x02\x00\x00\x00\x00\x00\x01\x08\x00"
        frame = eth + ip + tcp + payload
        self.t += 37
        rec = struct.pack("<IIII", self.t // 1000000, self.t % 1000000, len(frame), len(frame))
        self.f.write(rec)
        self.f.write(frame)
        self.size += 16 + len(frame)


class Conn:
    SYN, ACK, PSH, FIN = 0x02, 0x10, 0x08, 0x01

    def __init__(self, w, n, sport):
        self.w = w
        self.c = bytes([10, 0, (n >> 8) & 255, n & 255])
        self.s = bytes([10, 1, 0, 1])
        self.cport = 20000 + n % 40000
        self.sport = sport
        self.seq = [random.randrange(1 << 32), random.randrange(1 << 32)]
        w.packet(self.c, self.s, self.cport, sport, self.seq[0], 0, self.SYN)
        w.packet(self.s, self.c, sport, self.cport, self.seq[1], self.seq[0] + 1, self.SYN | self.ACK)
        self.seq[0] += 1
        self.seq[1] += 1
        w.packet(self.c, self.s, self.cport, sport, self.seq[0], self.seq[1], self.ACK)

    def send(self, from_client, data):
        me = 0 if from_client else 1
        src, dst = (self.c, self.s) if from_client else (self.s, self.c)
        sp, dp = (self.cport, self.sport) if from_client else (self.sport, self.cport)
        for i, off in enumerate(range(0, len(data), MSS)):
            chunk = data[off:off + MSS]
            self.w.packet(src, dst, sp, dp, self.seq[me], self.seq[1 - me], self.PSH | self.ACK, chunk)
            self.seq[me] += len(chunk)
            if i % 2 == 1 or off + MSS >= len(data):
                self.w.packet(dst, src, dp, sp, self.seq[1 - me], self.seq[me], self.ACK)

    def close(self):
        self.w.packet(self.c, self.s, self.cport, self.sport, self.seq[0], self.seq[1], self.FIN | self.ACK)
        self.w.packet(self.s, self.c, self.sport, self.cport, self.seq[1], self.seq[0] + 1, self.FIN | self.ACK)
        self.w.packet(self.c, self.s, self.cport, self.sport, self.seq[0] + 1, self.seq[1] + 1, self.ACK)


WORDS = ("réunion été élèves café Montréal à déjà œuvre naïve garçon projet courrier "
         "message serveur protocole boîte lettre facteur envoi réponse pièce jointe").split()


def qp(text):
    out = []
    for line in text.split("\n"):
        enc = "".join(c if (32 <= ord(c) < 127 and c != "=") else
                      "".join(f"={b:02X}" for b in c.encode()) for c in line)
        while len(enc) > 75:
            cut = 75
            while enc[cut - 1] == "=" or enc[cut - 2] == "=":
                cut -= 1
            out.append(enc[:cut] + "=")
            enc = enc[cut:]
        out.append(enc)
    return "\r\n".join(out)


def text(rnd, n_lines):
    lines = []
    for i in range(n_lines):
        words = " ".join(rnd.choice(WORDS) for _ in range(rnd.randrange(5, 14)))
        lines.append(("." if i % 17 == 5 else "") + words.capitalize() + ".")
    return "\n".join(lines)


def b64(data):
    s = base64.b64encode(data).decode()
    return "\r\n".join(s[i:i + 76] for i in range(0, len(s), 76))


def headers(rnd, i, ctype):
    return (f"From: =?ISO-8859-1?Q?Bob_L=E9ger?= <bob@example.org>\r\n"
            f"To: =?UTF-8?B?QWxpY2UgRMO7cG9udA==?= <alice@example.org>\r\n"
            f"Subject: =?UTF-8?Q?R=C3=A9union_{i}?= et suite\r\n"
            f"Date: Mon, 02 Nov 2026 09:{i % 60:02d}:00 +0100\r\n"
            f"Message-ID: <bench-{i}@client.example.org>\r\n"
            f"MIME-Version: 1.0\r\n"
            f"Content-Type: {ctype}\r\n")


def message(rnd, i):
    shape = i % 4
    if shape == 0:
        return (headers(rnd, i, "text/plain; charset=UTF-8") +
                "Content-Transfer-Encoding: quoted-printable\r\n\r\n" +
                qp(text(rnd, rnd.randrange(20, 120))) + "\r\n")
    if shape == 1:
        body = text(rnd, rnd.randrange(20, 80))
        html = "<html><body><p>" + body.replace("\n", "</p>\n<p>") + "</p></body></html>"
        return (headers(rnd, i, 'multipart/alternative; boundary="alt-%d"' % i) + "\r\n"
                f"--alt-{i}\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                "Content-Transfer-Encoding: quoted-printable\r\n\r\n" + qp(body) + "\r\n"
                f"--alt-{i}\r\nContent-Type: text/html; charset=UTF-8\r\n"
                "Content-Transfer-Encoding: base64\r\n\r\n" + b64(html.encode()) + "\r\n"
                f"--alt-{i}--\r\n")
    if shape == 2:
        att = rnd.randbytes(rnd.choice((8, 40, 120, 400)) * 1024)
        return (headers(rnd, i, 'multipart/mixed; boundary="mix-%d"' % i) +
                "\r\nThis is a multi-part message in MIME format.\r\n\r\n"
                f"--mix-{i}\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                "Content-Transfer-Encoding: quoted-printable\r\n\r\n" +
                qp(text(rnd, 30)) + "\r\n"
                f"--mix-{i}\r\nContent-Type: application/pdf; name=\"rapport.pdf\"\r\n"
                "Content-Transfer-Encoding: base64\r\n"
                "Content-Disposition: attachment; filename=\"rapport.pdf\";\r\n"
                " filename*=UTF-8''rapport%C3%A9.pdf\r\n\r\n" + b64(att) + "\r\n"
                f"--mix-{i}--\r\n")
    img = rnd.randbytes(6 * 1024)
    return (headers(rnd, i, 'multipart/mixed; boundary="o-%d"' % i) + "\r\n"
            f"--o-{i}\r\nContent-Type: multipart/related; boundary=\"r-{i}\"; type=\"text/html\"\r\n\r\n"
            f"--r-{i}\r\nContent-Type: text/html; charset=UTF-8\r\n"
            "Content-Transfer-Encoding: quoted-printable\r\n\r\n" +
            qp("<p>" + text(rnd, 25) + "</p><img src=\"cid:img@example.org\">") + "\r\n"
            f"--r-{i}\r\nContent-Type: image/png\r\nContent-ID: <img@example.org>\r\n"
            "Content-Transfer-Encoding: base64\r\n\r\n" + b64(img) + "\r\n"
            f"--r-{i}--\r\n--o-{i}--\r\n")


def stuff(msg):
    return msg.replace(b"\r\n.", b"\r\n..")


def smtp(rnd, msgs):
    m = rnd.choice(msgs)
    yield False, b"220 mail.example.org ESMTP Postfix (Debian/GNU)\r\n"
    yield True, b"EHLO client.example.org\r\n"
    yield False, (b"250-mail.example.org\r\n250-PIPELINING\r\n250-SIZE 20480000\r\n"
                  b"250-AUTH PLAIN LOGIN\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n"
                  b"250 CHUNKING\r\n")
    yield True, b"AUTH PLAIN AGJvYgBib2JwYXNz\r\n"
    yield False, b"235 2.7.0 Authentication successful\r\n"
    yield True, b"MAIL FROM:<bob@example.org> SIZE=%d\r\n" % len(m)
    yield False, b"250 2.1.0 Ok\r\n"
    for r in range(rnd.randrange(1, 4)):
        yield True, b"RCPT TO:<user%d@example.org>\r\n" % r
        yield False, b"250 2.1.5 Ok\r\n"
    yield True, b"DATA\r\n"
    yield False, b"354 End data with <CR><LF>.<CR><LF>\r\n"
    yield True, stuff(m) + b".\r\n"
    yield False, b"250 2.0.0 Ok: queued as 4F2A1C0B12\r\n"
    yield True, b"QUIT\r\n"
    yield False, b"221 2.0.0 Bye\r\n"


def pop3(rnd, msgs):
    box = [rnd.choice(msgs) for _ in range(rnd.randrange(2, 6))]
    yield False, b"+OK Dovecot (Debian) ready.\r\n"
    yield True, b"USER alice\r\n"
    yield False, b"+OK\r\n"
    yield True, b"PASS alicepass\r\n"
    yield False, b"+OK Logged in.\r\n"
    yield True, b"STAT\r\n"
    yield False, b"+OK %d %d\r\n" % (len(box), sum(map(len, box)))
    yield True, b"LIST\r\n"
    yield False, b"+OK %d messages:\r\n" % len(box) + b"".join(
        b"%d %d\r\n" % (i + 1, len(m)) for i, m in enumerate(box)) + b".\r\n"
    yield True, b"UIDL\r\n"
    yield False, b"+OK\r\n" + b"".join(
        b"%d 0000%04x6b07c81b\r\n" % (i + 1, i + 1) for i in range(len(box))) + b".\r\n"
    for i, m in enumerate(box):
        yield True, b"RETR %d\r\n" % (i + 1)
        yield False, b"+OK %d octets\r\n" % len(m) + stuff(m) + b".\r\n"
        yield True, b"DELE %d\r\n" % (i + 1)
        yield False, b"+OK Marked to be deleted.\r\n"
    yield True, b"QUIT\r\n"
    yield False, b"+OK Logging out, messages deleted.\r\n"


def imap(rnd, msgs):
    box = [rnd.choice(msgs) for _ in range(rnd.randrange(2, 6))]
    yield False, b"* OK [CAPABILITY IMAP4rev1 SASL-IR LITERAL+ IDLE AUTH=PLAIN] Dovecot ready.\r\n"
    yield True, b"a1 LOGIN alice alicepass\r\n"
    yield False, b"a1 OK [CAPABILITY IMAP4rev1 IDLE UIDPLUS MOVE] Logged in\r\n"
    yield True, b"a2 SELECT INBOX\r\n"
    yield False, (b"* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n"
                  b"* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags permitted.\r\n"
                  b"* %d EXISTS\r\n* 0 RECENT\r\n* OK [UIDVALIDITY 1795672103] UIDs valid\r\n"
                  b"* OK [UIDNEXT %d] Predicted next UID\r\na2 OK [READ-WRITE] Select completed.\r\n"
                  % (len(box), len(box) + 1))
    yield True, b"a3 FETCH 1:* (FLAGS UID RFC822.SIZE)\r\n"
    yield False, b"".join(b"* %d FETCH (FLAGS (\\Seen) UID %d RFC822.SIZE %d)\r\n" % (i + 1, i + 1, len(m))
                          for i, m in enumerate(box)) + b"a3 OK Fetch completed.\r\n"
    for i, m in enumerate(box):
        tag = b"f%d" % i
        yield True, tag + b" FETCH %d (BODY.PEEK[])\r\n" % (i + 1)
        yield False, b"* %d FETCH (BODY[] {%d}\r\n" % (i + 1, len(m)) + m + b")\r\n" + tag + b" OK Fetch completed.\r\n"
    m = rnd.choice(msgs)
    yield True, b"a4 APPEND Sent (\\Seen) {%d}\r\n" % len(m)
    yield False, b"+ OK\r\n"
    yield True, m + b"\r\n"
    yield False, b"a4 OK [APPENDUID 1795672103 %d] Append completed.\r\n" % (len(box) + 1)
    yield True, b"a5 STORE 1 +FLAGS (\\Deleted)\r\n"
    yield False, b"* 1 FETCH (FLAGS (\\Seen \\Deleted))\r\na5 OK Store completed.\r\n"
    yield True, b"a6 LOGOUT\r\n"
    yield False, b"* BYE Logging out\r\na6 OK Logout completed.\r\n"


def main():
    out = sys.argv[1]
    target = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    random.seed(int(sys.argv[3]) if len(sys.argv) > 3 else 2026)
    rnd = random.Random(random.random())
    msgs = [message(rnd, i).encode() for i in range(64)]
    w = Writer(out)
    n = 0
    live = []
    kinds = ((smtp, 25), (pop3, 110), (imap, 143))
    while w.size < target * 1024 * 1024 or live:
        while len(live) < 6 and w.size < target * 1024 * 1024:
            gen, port = kinds[n % 3]
            n += 1
            live.append((Conn(w, n, port), gen(rnd, msgs)))
        conn, steps = live[rnd.randrange(len(live))]
        step = next(steps, None)
        if step is None:
            conn.close()
            live = [x for x in live if x[0] is not conn]
            continue
        conn.send(*step)
    w.f.close()
    print(f"{out}: {w.size / 1048576:.0f} MB, {n} sessions")


main()
