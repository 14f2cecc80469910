#!/usr/bin/env python3
"""Checks the structure of the lessons (lessons/fr, lessons/en): the title
line, the one-line summary the TUI's home list shows, the Scénarios line
naming only real scenarios, both languages with the same files and the same
shape, exercises and answers last (3 to 5 of each), closed code fences, and
only the simple Markdown the TUI renders."""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from tap import Tap  # noqa: E402

TOP = os.environ.get("FACTEUR_TOP") or os.path.join(os.path.dirname(__file__), "..")
LESSONS = os.path.join(TOP, "lessons")

SCENARIOS = [
    "01-smtp-envoi-simple", "02-smtp-mime-piece-jointe", "03-smtp-erreurs",
    "04-pop3-lecture", "05-pop3-dele-rset-quit", "06-imap-select",
    "07-imap-uidnext-idle", "08-imap-uidvalidity", "09-imap-deux-sessions",
    "10-identifiants-en-clair",
]
# Lesson number -> its scenarios, as issue 8 ties them.
MAPPING = {
    1: ["01-smtp-envoi-simple"],
    2: ["01-smtp-envoi-simple", "03-smtp-erreurs"],
    3: ["01-smtp-envoi-simple"],
    4: ["02-smtp-mime-piece-jointe"],
    5: ["04-pop3-lecture", "05-pop3-dele-rset-quit"],
    6: ["06-imap-select", "09-imap-deux-sessions"],
    7: ["07-imap-uidnext-idle", "08-imap-uidvalidity"],
    8: ["10-identifiants-en-clair"],
    9: [],
}
LANG = {
    "fr": {"title": "Leçon", "scen": "Scénarios : ", "none": "aucun",
           "ex": "## Exercices", "ans": "## Réponses"},
    "en": {"title": "Lesson", "scen": "Scenarios: ", "none": "none",
           "ex": "## Exercises", "ans": "## Answers"},
}


def prose_lines(lines):
    """(number, line) of the lines outside fenced code blocks."""
    out, fenced = [], False
    for i, line in enumerate(lines, 1):
        if line.startswith("```"):
            fenced = not fenced
            continue
        if not fenced:
            out.append((i, line))
    return out


def sections(lines):
    """[(title, [lines])] for each '## ' section, outside code blocks."""
    result = []
    for _, line in prose_lines(lines):
        if line.startswith("## "):
            result.append((line, []))
        elif result:
            result[-1][1].append(line)
    return result


def numbered(body):
    """The numbers of the '**N.** …' paragraphs of a section."""
    return [int(m.group(1)) for m in (re.match(r"\*\*(\d+)\.\*\* \S", ln) for ln in body) if m]


def markdown_problems(lines):
    """Constructs outside the simple Markdown the TUI renders."""
    bad = []
    for n, line in prose_lines(lines):
        if line.count("`") % 2:
            bad.append(f"{n}: unbalanced ` in {line[:40]!r}")
        text = re.sub(r"`[^`]*`", "", line)
        checks = [
            (r"^#{3,}", "heading deeper than ##"),
            (r"^\s*\|", "table"),
            (r"^\s*>", "block quote"),
            (r"^\s*\d+[.)] ", "numbered list"),
            (r"^\s*[*+] ", "list not written with -"),
            (r"\[[^\]]*\]\([^)]*\)", "link"),
            (r"<[a-zA-Z/][^>]*>", "HTML tag"),
            (r"(?<![*\w])\*(?!\*)\S[^*]*?(?<=\S)\*(?!\*)", "italics"),
            (r"(?<!\w)_\S[^_]*?_(?!\w)", "italics"),
        ]
        for pattern, what in checks:
            if re.search(pattern, text):
                bad.append(f"{n}: {what}: {line[:50]!r}")
        if text.count("**") % 2:
            bad.append(f"{n}: unbalanced ** in {line[:40]!r}")
    return bad


def check_lesson(t, lang, name, text, shapes):
    words = LANG[lang]
    where = f"{lang}/{name}"
    lines = text.split("\n")
    number = int(name[:2])
    t.ok(text.endswith("\n") and "\r" not in text and "\t" not in text,
         f"{where}: LF line ends, no tabs, final newline")
    title = re.fullmatch(rf"# {words['title']} (\d+) — \S.*", lines[0])
    t.ok(title and int(title.group(1)) == number, f"{where}: title line '# {words['title']} "
         f"{number} — …'")
    t.eq(lines[1], "", f"{where}: blank line after the title")
    summary = lines[2] if len(lines) > 2 else ""
    t.ok(summary and not re.match(r"[#\-`>|*]|Sc[ée]narios", summary) and 20 < len(summary) < 300
         and lines[3] == "", f"{where}: a one-line summary paragraph")

    scen = lines[4] if len(lines) > 4 else ""
    t.ok(scen.startswith(words["scen"]), f"{where}: the scenarios line")
    value = scen[len(words["scen"]):]
    if value == words["none"]:
        named = []
    else:
        named = re.findall(r"`([^`]+)`", value)
        t.eq(", ".join(f"`{s}`" for s in named), value, f"{where}: scenarios as `a`, `b`")
    t.eq([s for s in named if s not in SCENARIOS], [], f"{where}: only known scenario names")
    t.eq(named, MAPPING.get(number), f"{where}: the scenarios of lesson {number}")
    body = "\n".join(lines[5:])
    # Words like 07-imap-uidnext-idle (file names such as 05-compte-rendu.eml aside).
    mentioned = {w for w in re.findall(r"[\w./-]+", body)
                 if re.fullmatch(r"\d\d-[a-z][a-z0-9]*(-[a-z0-9]+)+", w)}
    t.eq(sorted(mentioned - set(SCENARIOS)), [], f"{where}: scenario names in the text exist")

    fences = [ln for ln in lines if ln.startswith("```")]
    t.ok(len(fences) % 2 == 0, f"{where}: every code block is closed")
    t.eq(markdown_problems(lines), [], f"{where}: only simple Markdown")

    secs = sections(lines)
    titles = [s[0] for s in secs]
    t.ok(len(titles) >= 4, f"{where}: has sections")
    t.ok(titles[-2:] == [words["ex"], words["ans"]],
         f"{where}: '{words['ex']}' then '{words['ans']}' last")
    t.eq(titles.count(words["ans"]), 1, f"{where}: one answers section")
    exercises = numbered(secs[-2][1]) if len(secs) >= 2 else []
    answers = numbered(secs[-1][1]) if secs else []
    t.ok(3 <= len(exercises) <= 5 and exercises == list(range(1, len(exercises) + 1)),
         f"{where}: 3 to 5 exercises numbered from 1")
    t.eq(answers, exercises, f"{where}: one answer per exercise")
    t.ok(all(re.search(r"facteur|\.pcap|\.eml|tshark", ln)
             for ln in secs[-2][1] if re.match(r"\*\*\d+\.\*\*", ln)) if len(secs) >= 2 else False,
         f"{where}: every exercise says what to try")

    for path in re.findall(r"lessons/captures/[\w.-]+", text):
        t.ok(os.path.isfile(os.path.join(TOP, path)), f"{where}: {path} exists")
    shapes[(lang, name)] = (len(titles), len(fences), named, len(exercises),
                            len(re.findall(r"RFC \d+", text)) > 0)


def main():
    t = Tap()
    names = {}
    for lang in LANG:
        d = os.path.join(LESSONS, lang)
        names[lang] = sorted(f for f in os.listdir(d) if f.endswith(".md")) if os.path.isdir(d) else []
    t.eq(names["en"], names["fr"], "lessons/fr and lessons/en have the same files")
    t.eq([n[:3] for n in names["fr"]], [f"{i:02d}-" for i in range(1, 10)], "nine lessons, 01 to 09")
    t.ok(names["fr"][:1] == ["01-chemin-du-message.md"] and
         names["fr"][-1:] == ["09-lire-une-capture.md"], "first and last lesson file names")
    shapes = {}
    for lang in LANG:
        for name in names[lang]:
            with open(os.path.join(LESSONS, lang, name), encoding="utf-8") as f:
                t.run(f"{lang}/{name}", check_lesson, t, lang, name, f.read(), shapes)
    for name in names["fr"]:
        fr, en = shapes.get(("fr", name)), shapes.get(("en", name))
        t.eq(en, fr, f"{name}: same sections, code blocks, scenarios and exercises in fr and en")
        t.ok(fr and fr[4], f"{name}: cites RFCs")
    captures = os.path.join(LESSONS, "captures")
    pcaps = sorted(f for f in os.listdir(captures) if f.endswith(".pcap")) if os.path.isdir(
        captures) else []
    t.ok(len(pcaps) >= 3, "lessons/captures holds the lesson 9 captures")
    readme = open(os.path.join(captures, "README.md"), encoding="utf-8").read() if pcaps else ""
    t.eq([p for p in pcaps if p not in readme], [], "lessons/captures/README.md describes each one")
    for p in pcaps:
        with open(os.path.join(captures, p), "rb") as f:
            magic = f.read(4)
        t.ok(magic in (b"\xd4\xc3\xb2\xa1", b"\xa1\xb2\xc3\xd4", b"\x4d\x3c\xb2\xa1",
                       b"\xa1\xb2\x3c\x4d", b"\x0a\x0d\x0d\x0a"), f"{p}: a pcap or pcapng file")
    t.done()


main()
