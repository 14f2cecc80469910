"""Every scenario of scenarios/ plays green, and its transcript (the --json
output of `facteur play`) equals the golden one in tests/golden/scenarios/,
after leaving out only what honestly varies between runs: capture times,
ephemeral ports, elapsed times. Golden transcripts are made with the in-process tap (the same
for root and for a normal user); with --capture auto (libpcap on lo when
permitted) the scenarios must also play green and give the same transcript.
Also: a failing expectation exits 1 with its message, a bad file exits 2.

FACTEUR_UPDATE_GOLDEN=1 rewrites the golden files (then review the diff)."""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from tap import Tap  # noqa: E402

FACTEUR = os.environ["FACTEUR"]
TOP = os.environ.get("FACTEUR_TOP", os.path.join(os.path.dirname(__file__), ".."))
GOLDEN = os.path.join(TOP, "tests", "golden", "scenarios")
UPDATE = os.environ.get("FACTEUR_UPDATE_GOLDEN") == "1"


def play(args, lang="en"):
    return subprocess.run([FACTEUR, "play", "--lang", lang] + args, capture_output=True,
                          text=True, timeout=120)


def normalise(text):
    out = []
    for line in text.splitlines():
        o = json.loads(line)
        for k in ("ts", "elapsed_us", "client", "server"):
            o.pop(k, None)
        if o.get("kind") == "connection" and o.get("name") == "open":
            # How the tracer saw the connection open: "tap" or the TCP "handshake".
            o.pop("value", None)
        out.append(json.dumps(o, ensure_ascii=False, sort_keys=True))
    return out


def first_difference(got, want):
    for i, (g, w) in enumerate(zip(got, want)):
        if g != w:
            return f"line {i + 1}:\n#   got  {g[:300]}\n#   want {w[:300]}"
    return f"lengths differ: got {len(got)} lines, want {len(want)}"


def main():
    t = Tap()
    scenarios = sorted(f[:-4] for f in os.listdir(os.path.join(TOP, "scenarios"))
                       if f.endswith(".scn"))
    t.ok(len(scenarios) >= 10, f"{len(scenarios)} scenarios shipped")
    os.makedirs(GOLDEN, exist_ok=True)
    for sid in scenarios:
        r = play([sid, "--json", "--capture", "tap"])
        if not t.eq(r.returncode, 0, f"{sid}: plays green with the tap"):
            for line in (r.stdout.splitlines()[-3:] + r.stderr.splitlines()[-3:]):
                print(f"# {line}")
            continue
        got = normalise(r.stdout)
        path = os.path.join(GOLDEN, sid + ".jsonl")
        if UPDATE:
            with open(path, "w", encoding="utf-8") as f:
                f.write("\n".join(got) + "\n")
        want = open(path, encoding="utf-8").read().splitlines() if os.path.exists(path) else []
        if not t.ok(got == want, f"{sid}: transcript equals the golden one"):
            print("# " + first_difference(got, want))
        # With libpcap when permitted (root, or setcap): the same expectations
        # hold, and the tracer sees the same conversation on the wire as the tap.
        r2 = play([sid, "--json", "--capture", "auto"])
        if not t.eq(r2.returncode, 0, f"{sid}: plays green with --capture auto"):
            print("# " + r2.stdout[-300:] + r2.stderr[-300:])
        got2 = normalise(r2.stdout)
        if not t.ok(got2 == want, f"{sid}: --capture auto gives the golden transcript"):
            print("# " + first_difference(got2, want))

    # Text output: narration, explanations, the end line.
    r = play(["05-pop3-dele-rset-quit", "--capture", "tap"])
    t.eq(r.returncode, 0, "text transcript: exit 0")
    t.ok("Step 5/7" in r.stdout and "RFC\u00a01939\u00a0§6" in r.stdout and
         "Every expectation held." in r.stdout, "text transcript: steps, RFC sections, result")

    # --list names every scenario.
    r = play(["--list"])
    t.ok(r.returncode == 0 and all(s in r.stdout for s in scenarios), "--list names every scenario")

    with tempfile.TemporaryDirectory() as d:
        bad = os.path.join(d, "faux.scn")
        with open(bad, "w", encoding="utf-8") as f:
            f.write("titre fr: Faux\nétape 1\nfr: a\nen: b\nenvoyer c9 HELLO\n")
        r = play([bad])
        t.eq(r.returncode, 2, "a bad scenario file exits 2")
        t.ok(f"{bad}:5:" in r.stderr and "c9" in r.stderr, "…and the error names the file and line")

        fail = os.path.join(d, "echec.scn")
        with open(fail, "w", encoding="utf-8") as f:
            f.write("titre fr: Échec\nutilisateur bob bobpass\nétape 1\nfr: a\nen: b\n"
                    "ouvrir c1 pop3\nattendre c1 -ERR\n")
        r = play([fail, "--capture", "tap"])
        t.eq(r.returncode, 1, "a failed expectation exits 1")
        t.ok("Step 1, line 7: expected «-ERR» on c1, got «+OK" in r.stdout,
             "…and says the step, the line, what was expected and what came")
        r = play([fail, "--json", "--capture", "tap"])
        objs = [json.loads(x) for x in r.stdout.splitlines()]
        failed = [o for o in objs if o.get("kind") == "failed"]
        t.ok(len(failed) == 1 and failed[0].get("line") == 7 and
             objs[-1] == {"kind": "result", "ok": False}, "--json reports the failure and the result")

    r = play(["nulle-part"])
    t.ok(r.returncode == 2 and "nulle-part" in r.stderr, "an unknown scenario exits 2 and names it")
    t.done()


main()
