#!/usr/bin/env python3
"""Golden tests of the tracer: `facteur decode --json --lang en` on every
capture of tests/captures/ must print what tests/captures/NAME.golden.jsonl
holds. The wording of explanations is left out of the comparison (only their
RFC references are kept), so that improving a table's text does not break
this test; everything else (events, order, fields) must match.

    tests/trace-golden.py --update    rewrites the golden files (then review the diff)
"""
import difflib
import glob
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from tap import Tap  # noqa: E402

TOP = os.environ.get("FACTEUR_TOP", os.path.join(os.path.dirname(__file__), ".."))
FACTEUR = os.environ.get("FACTEUR", os.path.join(TOP, "build", "facteur"))
CAPTURES = os.path.join(TOP, "tests", "captures")


def normalise(line):
    e = json.loads(line)
    if "explain" in e:
        e["explain"] = "…"
    for a in e.get("also", []):
        a["explain"] = "…"
    return json.dumps(e, ensure_ascii=False, sort_keys=False)


def decode(path):
    run = subprocess.run([FACTEUR, "decode", "--json", "--lang", "en", path],
                         capture_output=True, text=True)
    return run.returncode, [normalise(l) for l in run.stdout.splitlines()], run.stderr


def main():
    update = "--update" in sys.argv
    t = Tap()
    names = sorted(os.path.basename(p) for p in glob.glob(os.path.join(CAPTURES, "*.pcap*"))
                   if not p.endswith((".tsv", ".txt", ".jsonl")))
    for name in names:
        path = os.path.join(CAPTURES, name)
        golden = os.path.join(CAPTURES, name + ".golden.jsonl")
        rc, got, err = decode(path)
        t.eq(rc, 0, f"{name}: decode --json exits 0")
        t.eq(err, "", f"{name}: nothing on stderr")
        if update:
            with open(golden, "w") as f:
                f.write("\n".join(got) + "\n")
        want = open(golden).read().splitlines() if os.path.exists(golden) else []
        if got != want:
            for d in list(difflib.unified_diff(want, got, "golden", "facteur", lineterm=""))[:40]:
                print(f"# {d[:300]}")
        t.ok(got == want, f"{name}: JSON Lines equal to {os.path.basename(golden)}")
        text = subprocess.run([FACTEUR, "decode", "--lang", "en", path], capture_output=True,
                              text=True)
        t.ok(text.returncode == 0 and "C> " in text.stdout and "S< " in text.stdout
             and "\033[" not in text.stdout,
             f"{name}: text output without colour when not a terminal")
    t.done()


main()
