#!/usr/bin/env python3
"""facteur against Dovecot (IMAP, POP3) and Postfix (SMTP), on loopback, in
one run, with the same client and the same messages.

Run as root (it installs the Debian packages when missing, through
bench/compare-install.sh, and starts the services):

    bench/compare.py [--messages 1000] [--deliveries 2000] [--rounds 3]
                     [--smtp-clients 4] [--json FILE] [--facteur build/facteur]

What it does:
- writes one Maildir of --messages messages for alice (sizes from 1 KB to
  300 KB, a few with a base64 attachment) into a facteur data directory and,
  file for file, into Dovecot's mail directory;
- starts facteur serve, a Dovecot instance of its own (its own base_dir, ports
  21110 and 21143, users alice/bob with the demo passwords), and Postfix on
  127.0.0.1:22525 delivering to Maildir through virtual(8) (which fsyncs each
  message); Postfix's /etc/postfix/main.cf and master.cf are saved before and
  put back after;
- times each workload against each server, after one warm-up pass, --rounds
  times, and keeps the median:
    POP3: USER/PASS, RETR of every message, QUIT;
    IMAP: LOGIN, SELECT, FETCH 1:* (FLAGS RFC822.SIZE BODY.PEEK[HEADER]),
          UID FETCH n BODY.PEEK[] of every message one by one, LOGOUT;
    IMAP SEARCH: SUBJECT, FROM, BODY (reads every message), SINCE, UNSEEN;
    SMTP: --deliveries messages to bob over --smtp-clients connections,
          timed until the last 250 and until the last file is in bob's
          Maildir (Postfix queues first, then delivers);
- prints each time and the ratio facteur / other (below 1: facteur faster),
  stops every service it started and removes its files."""
import argparse
import email.utils
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "lib"))
import faultlib  # noqa: E402
from faultlib import Client  # noqa: E402

DOVECOT_POP3 = 21110
DOVECOT_IMAP = 21143
POSTFIX_SMTP = 22525
USERS = {"alice": "alicepass", "bob": "bobpass"}
WORDS = ("courrier facteur boite lettre message reunion projet cours eleve classe serveur "
         "protocole adresse enveloppe timbre colis bureau poste envoi reponse").split()


# --- the messages ---

def make_messages(n, rng):
    """[(file name, bytes)] with CRLF line ends, deterministic."""
    out = []
    base = 1_700_000_000
    for i in range(n):
        r = rng.random()
        size = (rng.randint(1_000, 8_000) if r < 0.6 else
                rng.randint(8_000, 64_000) if r < 0.9 else rng.randint(64_000, 300_000))
        subject = ("Reunion de rentree" if i % 20 == 0 else
                   f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} {i}")
        sender = "bob@example.org" if i % 3 == 0 else f"eleve{i % 40}@example.org"
        date = email.utils.formatdate(base + i * 3600)
        head = (f"From: {sender}\r\nTo: alice@example.org\r\nSubject: {subject}\r\n"
                f"Date: {date}\r\nMessage-ID: <{i}.bench@example.org>\r\nMIME-Version: 1.0\r\n")
        words = []
        length = 0
        while length < min(size, 20_000):
            w = rng.choice(WORDS)
            words.append(w)
            length += len(w) + 1
        if i % 100 == 7:
            words.insert(len(words) // 2, "aiguille")  # what SEARCH BODY looks for
        lines = [" ".join(words[k:k + 12]) for k in range(0, len(words), 12)]
        text = "\r\n".join(lines) + "\r\n"
        if size > 20_000:
            blob = rng.randbytes(max(1000, (size - len(text)) * 3 // 4))
            import base64
            b64 = base64.b64encode(blob).decode()
            att = "\r\n".join(b64[k:k + 76] for k in range(0, len(b64), 76))
            head += 'Content-Type: multipart/mixed; boundary="b1"\r\n'
            body = (f"--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{text}"
                    f"--b1\r\nContent-Type: application/octet-stream\r\n"
                    f"Content-Transfer-Encoding: base64\r\n\r\n{att}\r\n--b1--\r\n")
        else:
            head += "Content-Type: text/plain; charset=utf-8\r\n"
            body = text
        data = (head + "\r\n" + body).encode()
        out.append((f"{base + i}.M{i}P1.bench", data))
    return out


def write_maildir(root, user, messages, uid=None, gid=None):
    md = os.path.join(root, user, "Maildir")
    for sub in ("cur", "new", "tmp"):
        os.makedirs(os.path.join(md, sub), exist_ok=True)
    if user == "alice":
        for name, data in messages:
            with open(os.path.join(md, "cur", name + ":2,S"), "wb") as f:
                f.write(data)
    if uid is not None:
        for dirpath, dirs, files in os.walk(os.path.join(root, user)):
            os.chown(dirpath, uid, gid)
            for f in files:
                os.chown(os.path.join(dirpath, f), uid, gid)
        os.chown(os.path.join(root, user), uid, gid)


def wait_port(port, what, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            c = Client(port, timeout=2)
            line = c.line()
            c.close()
            if line:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{what} does not answer on port {port}")


# --- Dovecot ---

class Dovecot:
    def __init__(self, work, messages):
        self.work = work
        self.mail = os.path.join(work, "dovecot-mail")
        self.conf = os.path.join(work, "dovecot.conf")
        self.base = os.path.join(work, "dovecot-run")
        nobody = 65534
        os.makedirs(self.mail)
        os.chown(self.mail, nobody, nobody)
        for u in USERS:
            write_maildir(self.mail, u, messages, nobody, nobody)
        with open(os.path.join(work, "dovecot-users"), "w") as f:
            for u, p in USERS.items():
                f.write(f"{u}:{{PLAIN}}{p}\n")
        with open(self.conf, "w") as f:
            f.write(f"""# Written by facteur's bench/compare.py
base_dir = {self.base}
state_dir = {os.path.join(work, "dovecot-state")}
log_path = {os.path.join(work, "dovecot.log")}
protocols = imap pop3
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{self.mail}/%u/Maildir
first_valid_uid = 1000
pop3_uidl_format = %08Xu%08Xv
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {os.path.join(work, "dovecot-users")}
}}
userdb {{
  driver = static
  args = uid={nobody} gid={nobody} home={self.mail}/%u
}}
service imap-login {{
  inet_listener imap {{
    port = {DOVECOT_IMAP}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service pop3-login {{
  inet_listener pop3 {{
    port = {DOVECOT_POP3}
  }}
  inet_listener pop3s {{
    port = 0
  }}
}}
service submission-login {{
  inet_listener submission {{
    port = 0
  }}
}}
""")

    def start(self):
        subprocess.run(["dovecot", "-c", self.conf], check=True)
        wait_port(DOVECOT_POP3, "Dovecot POP3")
        wait_port(DOVECOT_IMAP, "Dovecot IMAP")

    def stop(self):
        subprocess.run(["doveadm", "-c", self.conf, "stop"], check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        pidfile = os.path.join(self.base, "master.pid")
        deadline = time.monotonic() + 10
        while os.path.exists(pidfile) and time.monotonic() < deadline:
            time.sleep(0.1)


# --- Postfix ---

class Postfix:
    SAVED = ("main.cf", "master.cf")

    def __init__(self, work):
        self.work = work
        self.mail = os.path.join(work, "postfix-mail")
        self.saved = os.path.join(work, "postfix-saved")
        self.started = False
        os.makedirs(self.mail)
        os.chown(self.mail, 65534, 65534)
        os.makedirs(self.saved)
        for f in self.SAVED:
            shutil.copy2(os.path.join("/etc/postfix", f), self.saved)
        with open(os.path.join(work, "vmailbox"), "w") as f:
            for u in USERS:
                f.write(f"{u}@example.org {u}/Maildir/\n")

    def configure(self):
        settings = {
            "inet_interfaces": "127.0.0.1",
            "inet_protocols": "ipv4",
            "myhostname": "bench.example.org",
            "mydestination": "",
            "mynetworks": "127.0.0.0/8",
            "relayhost": "",
            "virtual_mailbox_domains": "example.org",
            "virtual_mailbox_base": self.mail,
            "virtual_mailbox_maps": f"texthash:{os.path.join(self.work, 'vmailbox')}",
            "virtual_uid_maps": "static:65534",
            "virtual_gid_maps": "static:65534",
            "virtual_minimum_uid": "100",
            "message_size_limit": "26214400",
            "maillog_file": os.path.join(self.work, "postfix.log"),
            "maillog_file_prefixes": self.work,
            "smtpd_client_connection_rate_limit": "0",
            "smtpd_client_message_rate_limit": "0",
            "default_process_limit": "100",
            "compatibility_level": "3.6",
        }
        subprocess.run(["postconf", "-e"] + [f"{k}={v}" for k, v in settings.items()],
                       check=True)
        # Only our listener: 127.0.0.1:22525, no chroot (no copied /etc inside the spool).
        subprocess.run(["postconf", "-MX", "smtp/inet"], check=True)
        subprocess.run(["postconf", "-M",
                        f"127.0.0.1:{POSTFIX_SMTP}/inet=127.0.0.1:{POSTFIX_SMTP} inet n - n - - smtpd"],
                       check=True)
        subprocess.run(["postconf", "-F", "*/*/chroot=n"], check=True)

    def start(self):
        self.configure()
        subprocess.run(["postfix", "check"], check=False)
        r = subprocess.run(["postfix", "start"], capture_output=True, text=True)
        if r.returncode != 0:
            log = os.path.join(self.work, "postfix.log")
            tail = open(log).read()[-2000:] if os.path.exists(log) else ""
            raise RuntimeError(f"postfix start failed: {r.stdout}{r.stderr}{tail}")
        self.started = True
        wait_port(POSTFIX_SMTP, "Postfix SMTP")

    def stop(self):
        if self.started:
            subprocess.run(["postfix", "stop"], check=False,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            self.started = False
        for f in self.SAVED:
            shutil.copy2(os.path.join(self.saved, f), os.path.join("/etc/postfix", f))


# --- the workloads (one blocking client, the same for every server) ---

def pop3_retr_all(port, n):
    c = Client(port, timeout=60)
    c.line()
    assert c.cmd("USER alice").startswith("+OK")
    r = c.cmd("PASS alicepass")
    assert r.startswith("+OK"), r
    total = 0
    for k in range(1, n + 1):
        r = c.cmd(f"RETR {k}")
        assert r.startswith("+OK"), r
        total += len(c.read_until(b"\r\n.\r\n"))
    c.cmd("QUIT")
    c.close()
    return total


def imap_read(c, tag):
    """Lines up to the tagged one, with literals read; returns (tagged line, octets)."""
    octets = 0
    while True:
        line = c.line()
        if line is None:
            raise ConnectionError("IMAP connection closed")
        while line.endswith("}") and "{" in line:
            size = int(line[line.rindex("{") + 1:-1])
            octets += len(c.read_exactly(size))
            line = c.line()
        if line.startswith(tag + " "):
            if not line.startswith(tag + " OK"):
                raise RuntimeError(line)
            return line, octets


def imap_login(port):
    c = Client(port, timeout=60)
    c.line()
    c.send("a LOGIN alice alicepass\r\n")
    imap_read(c, "a")
    c.send("b SELECT INBOX\r\n")
    imap_read(c, "b")
    return c


def imap_fetch(port, n):
    c = imap_login(port)
    c.send("c FETCH 1:* (FLAGS RFC822.SIZE BODY.PEEK[HEADER])\r\n")
    _, total = imap_read(c, "c")
    c.send("u UID SEARCH ALL\r\n")
    uids = []
    while True:
        line = c.line()
        if line.startswith("* SEARCH"):
            uids = line.split()[2:]
        if line.startswith("u "):
            break
    assert len(uids) == n, (len(uids), n)
    for k, uid in enumerate(uids):
        tag = f"f{k}"
        c.send(f"{tag} UID FETCH {uid} BODY.PEEK[]\r\n")
        total += imap_read(c, tag)[1]
    c.send("z LOGOUT\r\n")
    c.until(lambda line: line.startswith("z "))
    c.close()
    return total


SEARCHES = ('SUBJECT "reunion"', 'FROM "bob@example.org"', 'BODY "aiguille"',
            'SINCE 1-Jan-2024', "UNSEEN", 'TEXT "aiguille"')


def imap_search(port, n):
    c = imap_login(port)
    found = []
    for k, key in enumerate(SEARCHES):
        tag = f"s{k}"
        c.send(f"{tag} SEARCH {key}\r\n")
        hits = 0
        while True:
            line = c.line()
            if line.startswith("* SEARCH"):
                hits = len(line.split()) - 2
            if line.startswith(tag + " "):
                assert line.startswith(tag + " OK"), line
                break
        found.append(hits)
    c.send("z LOGOUT\r\n")
    c.until(lambda line: line.startswith("z "))
    c.close()
    return found


def smtp_deliver(port, count, clients, maildir_new, rng):
    """count messages to bob over clients connections; (seconds to the last 250,
    seconds until every file is in maildir_new)."""
    body = ("Un message de test pour mesurer la livraison.\r\n" * 60)
    before = len(os.listdir(maildir_new)) if os.path.isdir(maildir_new) else 0
    errors = []

    def one(k, n):
        try:
            c = Client(port, timeout=60)
            c.line()
            c.send("EHLO bench.test\r\n")
            c.until(lambda line: line[3:4] == " ")
            for i in range(n):
                c.send("MAIL FROM:<alice@example.org>\r\nRCPT TO:<bob@example.org>\r\nDATA\r\n")
                replies = [c.line() for _ in range(3)]
                if not replies[2].startswith("354"):
                    raise RuntimeError(replies)
                c.send(f"From: alice@example.org\r\nTo: bob@example.org\r\n"
                       f"Subject: livraison {k}-{i}\r\n\r\n{body}.\r\n")
                r = c.line()
                if not r.startswith("250"):
                    raise RuntimeError(r)
            c.cmd("QUIT")
            c.close()
        except Exception as e:  # noqa: BLE001 - reported after the run
            errors.append(repr(e))

    per = [count // clients + (1 if k < count % clients else 0) for k in range(clients)]
    threads = [threading.Thread(target=one, args=(k, n)) for k, n in enumerate(per)]
    start = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    acked = time.perf_counter() - start
    if errors:
        raise RuntimeError(f"SMTP errors: {errors[:3]}")
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if os.path.isdir(maildir_new) and len(os.listdir(maildir_new)) - before >= count:
            break
        time.sleep(0.01)
    stored = time.perf_counter() - start
    got = len(os.listdir(maildir_new)) - before
    if got < count:
        raise RuntimeError(f"only {got} of {count} messages reached {maildir_new}")
    return acked, stored


def timed(fn, *args):
    start = time.perf_counter()
    out = fn(*args)
    return time.perf_counter() - start, out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--messages", type=int, default=1000)
    ap.add_argument("--deliveries", type=int, default=2000)
    ap.add_argument("--smtp-clients", type=int, default=4)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--json")
    ap.add_argument("--facteur", default=faultlib.FACTEUR)
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    args = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("bench/compare.py must run as root: it installs and starts Dovecot and Postfix.")
    subprocess.run([os.path.join(HERE, "compare-install.sh")], check=True)
    faultlib.FACTEUR = args.facteur

    rng = random.Random(1939)
    work = tempfile.mkdtemp(prefix="facteur-compare-")
    os.chmod(work, 0o755)
    messages = make_messages(args.messages, rng)
    octets = sum(len(d) for _, d in messages)
    print(f"{len(messages)} messages, {octets / 1e6:.1f} MB, in {work}")

    srv = faultlib.Server(data=os.path.join(work, "facteur-data"))
    os.makedirs(srv.data)
    with open(os.path.join(srv.data, "users.conf"), "w") as f:
        for u, p in USERS.items():
            f.write(f"[{u}]\npassword={p}\n\n")
    for u in USERS:
        write_maildir(srv.data, u, messages)
    dovecot = Dovecot(work, messages)
    postfix = Postfix(work)
    results = {}
    try:
        srv.start()
        dovecot.start()
        postfix.start()
        targets = {
            "facteur": {"pop3": srv.ports["pop3"], "imap": srv.ports.get("imap"),
                        "smtp": srv.ports["smtp"],
                        "new": os.path.join(srv.data, "bob", "Maildir", "new")},
            "other": {"pop3": DOVECOT_POP3, "imap": DOVECOT_IMAP, "smtp": POSTFIX_SMTP,
                      "new": os.path.join(postfix.mail, "bob", "Maildir", "new")},
        }
        n = len(messages)
        workloads = [("POP3 RETR of every message", "pop3", pop3_retr_all),
                     ("IMAP FETCH headers, then each body", "imap", imap_fetch),
                     ("IMAP SEARCH (6 searches)", "imap", imap_search)]
        for title, proto, fn in workloads:
            row = {}
            outputs = {}
            for who in ("facteur", "other"):
                port = targets[who][proto]
                if port is None:
                    continue
                outputs[who] = fn(port, n)  # warm-up (and Dovecot builds its index)
            times = {who: [] for who in outputs}
            for r in range(args.rounds):
                # Rounds interleaved, the first server alternating: a change in the
                # machine's load (it is shared) falls on both.
                order = list(outputs) if r % 2 == 0 else list(reversed(outputs))
                for who in order:
                    times[who].append(timed(fn, targets[who][proto], n)[0])
            for who in outputs:
                row[who] = statistics.median(times[who])
                row[who + "_range"] = [min(times[who]), max(times[who])]
            if "facteur" in outputs and "other" in outputs and outputs["facteur"] != outputs["other"]:
                row["note"] = f"different answers: facteur {outputs['facteur']}, " \
                              f"Dovecot {outputs['other']}"
            results[title] = row
            print(f"{title}: " + ", ".join(f"{k} {row[k]:.3f} s" for k in outputs), flush=True)
        acked = {"facteur": [], "other": []}
        stored = {"facteur": [], "other": []}
        for r in range(args.rounds):
            for who in (("facteur", "other") if r % 2 == 0 else ("other", "facteur")):
                a, s_ = smtp_deliver(targets[who]["smtp"], args.deliveries, args.smtp_clients,
                                     targets[who]["new"], rng)
                acked[who].append(a)
                stored[who].append(s_)
        for title, series in ((f"SMTP {args.deliveries} deliveries, last 250", acked),
                              (f"SMTP {args.deliveries} deliveries, all in the Maildir", stored)):
            row = results.setdefault(title, {})
            for who, xs in series.items():
                row[who] = statistics.median(xs)
                row[who + "_range"] = [min(xs), max(xs)]
        print()
        print(f"{'workload':48s} {'facteur':>9s} {'other':>9s} {'ratio':>7s}")
        names = {"POP3": "Dovecot", "IMAP": "Dovecot", "SMTP": "Postfix"}
        for title, row in results.items():
            f, o = row.get("facteur"), row.get("other")
            ratio = f / o if f and o else None
            row["ratio"] = ratio
            row["other_name"] = names[title[:4]]
            fs = f"{f:9.3f}" if f is not None else "      n/a"
            os_ = f"{o:9.3f}" if o is not None else "      n/a"
            rs = f"{ratio:7.2f}" if ratio else "    n/a"
            print(f"{title:48s} {fs} {os_} {rs}  (other = {row['other_name']})")
            if "facteur_range" in row and "other_range" in row:
                fr, orr = row["facteur_range"], row["other_range"]
                print(f"{'':48s} rounds: facteur {fr[0]:.3f}–{fr[1]:.3f}, "
                      f"other {orr[0]:.3f}–{orr[1]:.3f}")
            if "note" in row:
                print(f"    note: {row['note']}")
        print("times in seconds (median of the rounds); ratio = facteur / other, "
              "below 1 facteur is faster")
    finally:
        postfix.stop()
        dovecot.stop()
        srv.stop()
        srv.close()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                       "messages": args.messages, "octets": octets,
                       "deliveries": args.deliveries, "smtp_clients": args.smtp_clients,
                       "rounds": args.rounds, "results": results}, f, indent=1)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(1))
    main()
