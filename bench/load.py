#!/usr/bin/env python3
"""Load test of facteur's servers on loopback: many concurrent sessions for a
bounded time — IMAP sessions in IDLE (woken by the deliveries to their user),
POP3 sessions logging in and retrieving, SMTP sessions delivering — then a
check that every message that got 250 is in its recipient's INBOX.

Reports the number of errors (any -ERR, NO, BAD, 4xx/5xx or dropped
connection), the median and 99th percentile latency of each command, the IDLE
notification delay, and the server's memory (VmRSS sampled every second,
VmHWM at the end) from /proc. Exit status 0 only when there was no error and
nothing was lost.

    bench/load.py [--duration 60] [--imap 200] [--pop3 150] [--smtp 150]
                  [--think 1.0] [--json FILE] [--facteur build/facteur]

See bench/README.md."""
import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "lib"))
import faultlib  # noqa: E402

LIMIT = 64 * 1024 * 1024  # StreamReader buffer: a whole message fits


class Stats:
    def __init__(self):
        self.lat = {}
        self.errors = []
        self.counts = {}

    def record(self, name, seconds):
        self.lat.setdefault(name, []).append(seconds)

    def count(self, name, n=1):
        self.counts[name] = self.counts.get(name, 0) + n

    def error(self, what):
        self.errors.append(what)

    def table(self):
        rows = []
        for name in sorted(self.lat):
            xs = sorted(self.lat[name])
            p99 = xs[min(len(xs) - 1, int(len(xs) * 0.99))]
            rows.append({"command": name, "count": len(xs),
                         "median_ms": round(statistics.median(xs) * 1000, 3),
                         "p99_ms": round(p99 * 1000, 3),
                         "max_ms": round(xs[-1] * 1000, 3)})
        return rows


class Conn:
    """An asyncio stream with the few reads the three protocols need."""

    def __init__(self, stats, proto):
        self.stats = stats
        self.proto = proto

    async def open(self, port):
        start = time.perf_counter()
        self.r, self.w = await asyncio.open_connection("127.0.0.1", port, limit=LIMIT)
        line = await self.line()
        self.stats.record(f"{self.proto} connect+greeting", time.perf_counter() - start)
        return line

    async def line(self):
        data = await self.r.readline()
        if not data:
            raise ConnectionError(f"{self.proto}: connection closed by the server")
        return data.rstrip(b"\r\n").decode("latin-1")

    def send(self, text):
        self.w.write(text.encode() if isinstance(text, str) else text)

    async def timed(self, name, text, read):
        """Sends text, awaits read(), records the latency under name."""
        start = time.perf_counter()
        self.send(text)
        await self.w.drain()
        out = await read()
        self.stats.record(name, time.perf_counter() - start)
        return out

    def close(self):
        try:
            self.w.close()
        except Exception:  # noqa: BLE001 - closing a broken stream
            pass


class Load:
    def __init__(self, args, ports):
        self.args = args
        self.ports = ports
        self.stats = Stats()
        self.rng = random.Random(2026)
        self.deadline = 0.0
        self.delivered = {}  # user -> set of message ids that got 250
        self.sent_at = {}  # user -> [time the final dot was sent], for IDLE delays
        self.next_id = 0
        self.imap_users = [f"imap{i:03d}" for i in range(args.imap)]
        self.pop3_users = [f"pop{i:03d}" for i in range(args.pop3)]
        self.rcpt_users = self.imap_users + self.pop3_users or ["alice"]

    def think(self):
        return min(self.rng.expovariate(1.0 / self.args.think), 5 * self.args.think) \
            if self.args.think > 0 else 0

    def left(self):
        return self.deadline - time.monotonic()

    # --- SMTP ---

    async def smtp_session(self, i):
        st = self.stats
        while self.left() > 0:
            c = Conn(st, "SMTP")
            try:
                greet = await c.open(self.ports["smtp"])
                if not greet.startswith("220"):
                    st.error(f"SMTP greeting {greet}")
                    return
                await c.timed("SMTP EHLO", f"EHLO load{i}.test\r\n", lambda: self.smtp_multi(c))
                for _ in range(20):
                    if self.left() <= 0:
                        break
                    await self.smtp_transaction(c)
                    await asyncio.sleep(self.think())
                await c.timed("SMTP QUIT", "QUIT\r\n", c.line)
            except (ConnectionError, OSError, asyncio.IncompleteReadError) as e:
                st.error(f"SMTP session {i}: {e!r}")
                await asyncio.sleep(1)
            finally:
                c.close()

    async def smtp_multi(self, c):
        while True:
            line = await c.line()
            if line[3:4] != "-":
                return line

    async def smtp_transaction(self, c):
        st = self.stats
        user = self.rng.choice(self.rcpt_users)
        self.next_id += 1
        mid = self.next_id
        r = await c.timed("SMTP MAIL", "MAIL FROM:<load@example.org>\r\n", c.line)
        r2 = await c.timed("SMTP RCPT", f"RCPT TO:<{user}@example.org>\r\n", c.line)
        r3 = await c.timed("SMTP DATA", "DATA\r\n", c.line)
        if not (r.startswith("250") and r2.startswith("250") and r3.startswith("354")):
            st.error(f"SMTP transaction refused: {r} / {r2} / {r3}")
            return
        size = self.rng.choice((500, 2000, 8000, 30000))
        body = ("Bonjour, ceci est un message de charge.\r\n" * (size // 41 + 1))
        self.sent_at.setdefault(user, []).append(time.monotonic())
        final = await c.timed("SMTP DATA end (250)",
                              f"Subject: load {mid}\r\nMessage-ID: <{mid}@load>\r\n\r\n{body}.\r\n",
                              c.line)
        if final.startswith("250"):
            self.delivered.setdefault(user, set()).add(mid)
            st.count("SMTP messages delivered")
        else:
            st.error(f"SMTP DATA: {final}")

    # --- POP3 ---

    async def pop3_session(self, i):
        st = self.stats
        user = self.pop3_users[i]
        while self.left() > 0:
            c = Conn(st, "POP3")
            try:
                await c.open(self.ports["pop3"])
                r1 = await c.timed("POP3 USER", f"USER {user}\r\n", c.line)
                r2 = await c.timed("POP3 PASS", f"PASS {user}pass\r\n", c.line)
                if not (r1.startswith("+OK") and r2.startswith("+OK")):
                    st.error(f"POP3 login {user}: {r1} / {r2}")
                    await asyncio.sleep(1)
                    continue
                r = await c.timed("POP3 STAT", "STAT\r\n", c.line)
                n = int(r.split()[1])
                for _ in range(10):
                    if self.left() <= 0 or n == 0:
                        break
                    k = self.rng.randint(1, n)
                    r = await c.timed("POP3 RETR", f"RETR {k}\r\n", lambda: self.pop3_body(c))
                    if r is not None:
                        st.error(f"POP3 RETR {k}: {r}")
                    else:
                        st.count("POP3 messages retrieved")
                    await asyncio.sleep(self.think())
                r = await c.timed("POP3 QUIT", "QUIT\r\n", c.line)
                if not r.startswith("+OK"):
                    st.error(f"POP3 QUIT: {r}")
            except (ConnectionError, OSError, asyncio.IncompleteReadError, ValueError) as e:
                st.error(f"POP3 session {i}: {e!r}")
                await asyncio.sleep(1)
            finally:
                c.close()

    async def pop3_body(self, c):
        first = await c.line()
        if not first.startswith("+OK"):
            return first
        await c.r.readuntil(b"\r\n.\r\n")
        return None

    # --- IMAP ---

    async def imap_response(self, c, tag, on_untagged=None):
        """Lines up to the tagged one, literals included; returns the tagged line."""
        while True:
            line = await c.line()
            while line.endswith("}") and "{" in line:
                n = int(line[line.rindex("{") + 1:-1].rstrip("+"))
                await c.r.readexactly(n)
                line = await c.line()
            if line.startswith(tag + " "):
                return line
            if on_untagged is not None:
                on_untagged(line)

    async def imap_session(self, i):
        st = self.stats
        user = self.imap_users[i]
        c = Conn(st, "IMAP")
        exists = [0]
        idling = [False]
        counted = [None]  # EXISTS value up to which deliveries were matched

        def untagged(line):
            parts = line.split()
            if len(parts) >= 3 and parts[0] == "*" and parts[2] == "EXISTS":
                n = int(parts[1])
                # Each new message is matched with the oldest delivery to this
                # user; the delay counts only when the news came during IDLE.
                if counted[0] is not None and n > counted[0]:
                    now = time.monotonic()
                    sent = self.sent_at.get(user, [])
                    for _ in range(n - counted[0]):
                        if sent:
                            t0 = sent.pop(0)
                            if idling[0]:
                                st.record("IMAP IDLE notification (dot → EXISTS)", now - t0)
                counted[0] = max(counted[0] or 0, n)
                exists[0] = n

        try:
            await c.open(self.ports["imap"])
            r = await c.timed("IMAP LOGIN", f"a LOGIN {user} {user}pass\r\n",
                              lambda: self.imap_response(c, "a"))
            if not r.startswith("a OK"):
                st.error(f"IMAP LOGIN {user}: {r}")
                return
            r = await c.timed("IMAP SELECT", "b SELECT INBOX\r\n",
                              lambda: self.imap_response(c, "b", untagged))
            if not r.startswith("b OK"):
                st.error(f"IMAP SELECT: {r}")
                return
            seen = exists[0]
            counted[0] = exists[0]
            self.sent_at[user] = []  # deliveries before SELECT are in its EXISTS
            n = 0
            while self.left() > 0:
                n += 1
                tag = f"i{n}"
                r = await c.timed("IMAP IDLE (to +)", f"{tag} IDLE\r\n", c.line)
                if not r.startswith("+"):
                    st.error(f"IMAP IDLE: {r}")
                    return
                # Wait for news, at most 25 s (clients re-IDLE before 29 min; we do it often).
                wake = min(25.0, max(0.0, self.left()))
                idling[0] = True
                try:
                    while exists[0] <= seen:
                        untagged(await asyncio.wait_for(c.line(), timeout=wake))
                except asyncio.TimeoutError:
                    pass
                idling[0] = False
                r = await c.timed("IMAP DONE", "DONE\r\n",
                                  lambda: self.imap_response(c, tag, untagged))
                if not r.startswith(f"{tag} OK"):
                    st.error(f"IMAP DONE: {r}")
                    return
                if exists[0] > seen:
                    f = f"f{n}"
                    r = await c.timed(
                        "IMAP FETCH (new messages)",
                        f"{f} FETCH {seen + 1}:{exists[0]} (UID RFC822.SIZE "
                        f"BODY.PEEK[HEADER.FIELDS (SUBJECT)])\r\n",
                        lambda: self.imap_response(c, f, untagged))
                    if not r.startswith(f"{f} OK"):
                        st.error(f"IMAP FETCH: {r}")
                    st.count("IMAP messages fetched after IDLE", exists[0] - seen)
                    seen = exists[0]
            await c.timed("IMAP LOGOUT", "z LOGOUT\r\n", lambda: self.imap_response(c, "z"))
        except (ConnectionError, OSError, asyncio.IncompleteReadError, ValueError) as e:
            st.error(f"IMAP session {i}: {e!r}")
        finally:
            c.close()

    # --- the whole run ---

    async def memory_sampler(self, pid, samples):
        while self.left() > 0:
            samples.append(faultlib.proc_status(pid)["VmRSS"])
            await asyncio.sleep(1)

    async def run(self, pid):
        self.deadline = time.monotonic() + self.args.duration
        tasks = []
        kinds = ([("imap", i) for i in range(self.args.imap)] +
                 [("pop3", i) for i in range(self.args.pop3)] +
                 [("smtp", i) for i in range(self.args.smtp)])
        self.rng.shuffle(kinds)
        samples = []
        tasks.append(asyncio.create_task(self.memory_sampler(pid, samples)))
        # Sessions arrive over the ramp-up, as a class logging in.
        ramp = min(self.args.ramp, self.args.duration / 4)
        peak = [0]
        for k, (kind, i) in enumerate(kinds):
            fn = {"imap": self.imap_session, "pop3": self.pop3_session,
                  "smtp": self.smtp_session}[kind]
            tasks.append(asyncio.create_task(fn(i)))
            await asyncio.sleep(ramp / max(1, len(kinds)))
        peak[0] = len(kinds)
        await asyncio.gather(*tasks)
        return samples

    async def verify(self):
        """Every message that got 250 is in its recipient's INBOX (POP3 TOP n 0)."""
        missing = 0
        checked = 0
        sem = asyncio.Semaphore(20)

        async def one(user, want):
            nonlocal missing, checked
            async with sem:
                c = Conn(self.stats, "verify")
                await c.open(self.ports["pop3"])
                c.send(f"USER {user}\r\nPASS {user}pass\r\nSTAT\r\n")
                await c.line()
                r = await c.line()
                if not r.startswith("+OK"):
                    self.stats.error(f"verify {user}: {r}")
                    return
                n = int((await c.line()).split()[1])
                found = set()
                for k in range(1, n + 1):
                    c.send(f"TOP {k} 0\r\n")
                    await c.line()
                    head = (await c.r.readuntil(b"\r\n.\r\n")).decode("latin-1")
                    for h in head.split("\r\n"):
                        if h.startswith("Subject: load "):
                            found.add(int(h.split()[2]))
                c.send("QUIT\r\n")
                await c.line()
                c.close()
                lost = want - found
                missing += len(lost)
                checked += len(want)
                for mid in sorted(lost)[:5]:
                    self.stats.error(f"message {mid} to {user} got 250 and is not in the INBOX")

        await asyncio.gather(*(one(u, w) for u, w in self.delivered.items()))
        return checked, missing


def prepare(data, args):
    """users.conf with the load users and a few messages in each POP3 maildrop."""
    os.makedirs(data, exist_ok=True)
    rng = random.Random(7)
    users = ["alice", "bob"] + [f"imap{i:03d}" for i in range(args.imap)] + \
        [f"pop{i:03d}" for i in range(args.pop3)]
    with open(os.path.join(data, "users.conf"), "w") as f:
        f.write("# facteur users for bench/load.py\n")
        for u in users:
            f.write(f"\n[{u}]\npassword={u}pass\n")
    for u in users:
        for sub in ("cur", "new", "tmp"):
            os.makedirs(os.path.join(data, u, "Maildir", sub), exist_ok=True)
        if not u.startswith("pop"):
            continue
        for k in range(10):
            size = rng.choice((1000, 5000, 20000, 80000))
            text = f"From: seed@example.org\r\nSubject: seed {k}\r\n\r\n" + \
                "Du texte pour remplir la boite.\r\n" * (size // 33)
            name = f"1700000000.M{k}P1.seed"
            with open(os.path.join(data, u, "Maildir", "new", name), "w") as f:
                f.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--duration", type=float, default=60)
    ap.add_argument("--imap", type=int, default=200, help="IMAP sessions in IDLE")
    ap.add_argument("--pop3", type=int, default=150, help="POP3 sessions retrieving")
    ap.add_argument("--smtp", type=int, default=150, help="SMTP sessions delivering")
    ap.add_argument("--think", type=float, default=1.0,
                    help="mean pause between two commands of a session, seconds")
    ap.add_argument("--ramp", type=float, default=5.0, help="seconds to open all sessions")
    ap.add_argument("--json", help="write the figures to this file too")
    ap.add_argument("--facteur", default=faultlib.FACTEUR)
    args = ap.parse_args()
    faultlib.FACTEUR = args.facteur

    srv = faultlib.Server()
    prepare(srv.data, args)
    srv.start()
    try:
        if not srv.has("imap") and args.imap:
            print(f"note: this facteur has no IMAP server; the {args.imap} IDLE sessions "
                  "become POP3 and SMTP sessions", file=sys.stderr)
            args.pop3 += args.imap // 2
            args.smtp += args.imap - args.imap // 2
            args.imap = 0
            srv.stop()
            prepare(srv.data, args)
            srv.start()
        mem0 = srv.memory()
        load = Load(args, srv.ports)
        started = time.monotonic()
        samples = asyncio.run(load.run(srv.pid))
        elapsed = time.monotonic() - started
        mem1 = srv.memory()
        checked, missing = asyncio.run(load.verify())
        alive = srv.alive()
    finally:
        srv.stop()
        log = srv.log()
        srv.close()
    st = load.stats
    result = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "sessions": {"imap": args.imap, "pop3": args.pop3, "smtp": args.smtp},
        "duration_s": round(elapsed, 1),
        "think_s": args.think,
        "counts": st.counts,
        "delivered_checked": checked,
        "missing": missing,
        "errors": len(st.errors),
        "error_samples": st.errors[:20],
        "server_alive": alive,
        "memory_kB": {"VmRSS_start": mem0["VmRSS"], "VmRSS_end": mem1["VmRSS"],
                      "VmRSS_max_sampled": max(samples) if samples else None,
                      "VmHWM": mem1["VmHWM"]},
        "latency": st.table(),
    }
    print(f"facteur load: {sum(result['sessions'].values())} sessions "
          f"({args.imap} IMAP IDLE, {args.pop3} POP3, {args.smtp} SMTP) for "
          f"{result['duration_s']} s, think time {args.think} s")
    for k, v in sorted(st.counts.items()):
        print(f"  {k}: {v}")
    print(f"  delivered messages checked afterwards: {checked}, missing: {missing}")
    print(f"  errors: {len(st.errors)}")
    for e in st.errors[:20]:
        print(f"    {e}")
    m = result["memory_kB"]
    print(f"  server memory: VmRSS {m['VmRSS_start']} kB at start, {m['VmRSS_end']} kB at "
          f"the end, {m['VmRSS_max_sampled']} kB at most (sampled), VmHWM {m['VmHWM']} kB")
    print(f"  {'command':40s} {'count':>7s} {'median ms':>10s} {'p99 ms':>8s} {'max ms':>8s}")
    for row in result["latency"]:
        print(f"  {row['command']:40s} {row['count']:7d} {row['median_ms']:10.2f} "
              f"{row['p99_ms']:8.2f} {row['max_ms']:8.2f}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=1)
    if "CRITICAL" in log or "WARNING" in log:
        print("server log:\n" + log[-2000:])
    ok = not st.errors and missing == 0 and alive
    print("PASS" if ok else "FAIL")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
