#!/usr/bin/env python3
"""facteur decode compared with tshark 4.0's dissection of the same captures.

For every capture in tests/captures/ the commands (verbs, IMAP tags), the
replies (SMTP codes, +OK/-ERR, IMAP tagged status) and the continuations
found by `facteur decode --json` are compared, connection by connection, with
the fields tshark gave (F.fields.tsv, made by tshark 4.0.17). Where the two
differ, the difference must be one of the known kinds below, each explained in
tests/README.md; anything else fails. The differences are printed as TAP
comments, so that `tests/run.sh build trace-tshark` shows them all.
"""
import csv
import difflib
import glob
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from tap import Tap  # noqa: E402

TOP = os.environ.get("FACTEUR_TOP", os.path.join(os.path.dirname(__file__), ".."))
FACTEUR = os.environ.get("FACTEUR", os.path.join(TOP, "build", "facteur"))
CAPTURES = os.path.join(TOP, "tests", "captures")

# What facteur finds and tshark 4.0 does not, one entry per item:
# (capture, tcp.stream, "cmd" or "rep", item) -> the reason (see tests/README.md).
FACTEUR_ONLY = {
    ("smtp-errors.pcap", 0, "cmd", "XYZZ"):
        "tshark shows an unknown verb before EHLO as text, not as a command",
    ("smtp-errors.pcap", 1, "cmd", "NOOP"):
        "tshark stays in DATA mode after 503 to DATA",
    ("smtp-errors.pcap", 1, "cmd", "QUIT"):
        "tshark stays in DATA mode after 503 to DATA",
    ("smtp-bdat.pcap", 0, "cmd", "BDAT"):
        "tshark 4.0 does not report BDAT as smtp.req.command",
}

BASE64 = re.compile(r"^[A-Za-z0-9+/]+=*$")


def tshark_items(path):
    """Per tcp.stream: commands and replies as tshark reported them."""
    out = {}
    with open(path + ".fields.tsv", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            d = out.setdefault(int(row["tcp.stream"]), {"cmd": [], "rep": []})

            def split(key):
                return row[key].split("|") if row[key] else []

            for c in split("smtp.req.command"):
                d["cmd"].append(c.upper())
            for c in split("smtp.response.code"):
                d["rep"].append(c)
            for c in split("pop.request.command"):
                d["cmd"].append(c.upper())
            for c in split("pop.response.indicator"):
                d["rep"].append(c)
            tags, cmds = split("imap.request_tag"), split("imap.request.command")
            for i, t in enumerate(tags):
                d["cmd"].append(f"{t} {cmds[i].upper() if i < len(cmds) else ''}".strip())
            # A frame holding literal lines and a completion gives more tags
            # than statuses: the statuses belong to the last tags.
            rtags, rstat = split("imap.response_tag"), split("imap.response.status")
            pad = [""] * (len(rtags) - len(rstat))
            for t, s in zip(rtags, pad + rstat):
                d["rep"].append("+" if t == "+" else f"{t} {s}".strip())
    return out


def facteur_items(path):
    run = subprocess.run([FACTEUR, "decode", "--json", "--lang", "en", path],
                         capture_output=True, text=True)
    out, extra = {}, {}
    for line in run.stdout.splitlines():
        e = json.loads(line)
        if "conn" not in e:
            continue
        st = e["conn"] - 1
        d = out.setdefault(st, {"cmd": [], "rep": []})
        x = extra.setdefault(st, {"sasl": set(), "literal": False})
        kind, proto = e["kind"], e["proto"]
        if kind == "command":
            verb = e.get("verb", "")
            if proto == "imap":
                # tshark names "UID FETCH" by its second word.
                verb = verb[4:] if verb.startswith("UID ") else verb
                d["cmd"].append(f"{e.get('tag', '')} {verb}".strip())
            else:
                d["cmd"].append(verb[:4] if proto == "smtp" else verb)
        elif kind == "reply" and not e.get("more"):
            d["rep"].append(f"{e['tag']} {e['status']}" if proto == "imap" else e["status"])
        elif kind == "continuation" and e["dir"] == "s2c":
            if proto == "imap":
                d["rep"].append("+")
            x["sasl"].add("s2c")
        elif kind == "continuation" and e["dir"] == "c2s":
            x["sasl"].add(e.get("raw", "").upper())
        elif kind == "data" and e.get("name") == "literal":
            x["literal"] = True
    return out, extra, run.returncode


def tshark_only_reason(proto_items, item, x, tagged):
    """Why an item tshark reports is absent from facteur, or None."""
    if item.upper() in x["sasl"]:
        return "tshark takes the client's SASL answer (base64) for a command"
    first = item.split(" ")[0]
    if x["literal"] and first not in tagged:
        return "tshark reads the lines of a literal as IMAP requests or responses"
    if x["literal"] and first == ")":
        return "tshark reads the “)” closing a FETCH literal as a response tag"
    return None


def compare(t, name):
    path = os.path.join(CAPTURES, name)
    ts = tshark_items(path)
    fa, extra, rc = facteur_items(path)
    t.eq(rc, 0, f"{name}: facteur decode exits 0")
    unexplained = 0
    for st in sorted(set(ts) | set(fa)):
        x = extra.get(st, {"sasl": set(), "literal": False})
        for what in ("cmd", "rep"):
            a = ts.get(st, {}).get(what, [])
            b = fa.get(st, {}).get(what, [])
            tagged = {r.split(" ")[0] for r in ts.get(st, {}).get("rep", []) if " " in r}
            sm = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
            for op, i1, i2, j1, j2 in sm.get_opcodes():
                if op == "equal":
                    continue
                ta, fb = a[i1:i2], b[j1:j2]
                for item in ta:
                    why = tshark_only_reason(what, item, x, tagged)
                    print(f"# {name} stream {st} {what}: only tshark “{item[:60]}”: {why or 'UNEXPLAINED'}")
                    unexplained += why is None
                for item in fb:
                    if what == "rep" and item.startswith("* "):
                        continue
                    key = (name, st, what, item)
                    why = FACTEUR_ONLY.get(key)
                    print(f"# {name} stream {st} {what}: only facteur “{item}”: {why or 'UNEXPLAINED'}")
                    unexplained += why is None
    t.eq(unexplained, 0, f"{name}: facteur agrees with tshark except for the documented differences")
    n_cmd = sum(len(v["cmd"]) for v in fa.values())
    t.ok(n_cmd > 0, f"{name}: facteur finds commands")


def main():
    t = Tap()
    if not os.path.exists(FACTEUR):
        t.ok(False, f"{FACTEUR} exists")
        t.done()
    names = sorted(os.path.basename(p) for p in glob.glob(os.path.join(CAPTURES, "*.pcap*"))
                   if not p.endswith((".tsv", ".txt", ".jsonl")))
    for name in names:
        t.run(f"{name}: comparison runs", compare, t, name)
    t.done()


main()
