"""Turn hand-transcribed page quotes into JSONL lines.

Input format (one file per batch, UTF-8):
  @ <exact source URL>            starts a source; following lines belong to it
  <kind>|<families>|<text>|<note>
kind: a = avoid (phrase an advice page says not to use), b = better (its suggested
alternative), r = reply (a real reply by a business or agent, quoted by the page).
families: comma-separated rule family names (docs/rules/index.md), empty for clean.
Lines starting with # are comments.  The text is the page's words verbatim
(typographic quotes and apostrophes normalised to straight ones).
usage: python build_pages.py batch.txt [...] > pages.jsonl"""
import json
import os
import sys

KINDS = {"a": "avoid", "b": "better", "r": "reply"}
FAMILIES = set([
    "blunt-no", "you-are-wrong", "blame", "cant-do", "policy-wall", "deflection",
    "last-word", "condescension", "commanding", "legalese", "shouting", "cliche",
    "non-apology", "hostility", "threat", "dismissive", "sarcasm", "other",
])
for path in sys.argv[1:]:
    stem = os.path.splitext(os.path.basename(path))[0]
    src = None
    n = 0
    with open(path, encoding="utf-8") as fh:
        for ln, line in enumerate(fh, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            if line.startswith("@ "):
                src = line[2:].strip()
                continue
            parts = line.split("|")
            if len(parts) < 3 or parts[0] not in KINDS or src is None:
                sys.exit(f"{path}:{ln}: bad line: {line}")
            kind, fams, text = parts[0], parts[1], parts[2]
            note = "|".join(parts[3:]).strip()
            fl = [f.strip() for f in fams.split(",") if f.strip()]
            bad = [f for f in fl if f not in FAMILIES]
            if bad:
                sys.exit(f"{path}:{ln}: unknown family {bad}")
            text = (text.strip().replace("\u2019", "'").replace("\u2018", "'")
                    .replace("\u201c", '"').replace("\u201d", '"'))
            n += 1
            d = {"id": f"r2-{stem}-{n:03d}", "lang": "en", "text": text, "expect": fl,
                 "kind": KINDS[kind], "source": src}
            if note:
                d["note"] = note
            print(json.dumps(d, ensure_ascii=False))
