"""Validate corpus/real JSONL files and print counts.
usage: python validate.py corpus/real/en.jsonl corpus/real/blind/en.jsonl"""
import collections
import json
import sys

FAMILIES = set([
    "blunt-no", "you-are-wrong", "blame", "cant-do", "policy-wall", "deflection",
    "last-word", "condescension", "commanding", "legalese", "shouting", "cliche",
    "non-apology", "hostility", "threat", "dismissive", "sarcasm", "other",
])
REQUIRED = ("id", "lang", "text", "expect", "kind", "source")
LANGS = {"en", "sv", "da", "nb", "fi", "ms"}
ids, texts, errors = set(), set(), []
srcs = {}
for path in sys.argv[1:]:
    fam = collections.Counter()
    kinds = collections.Counter()
    risky = clean = 0
    sources = set()
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            try:
                d = json.loads(line)
            except ValueError as e:
                errors.append(f"{path}:{n}: not JSON ({e})")
                continue
            for k in REQUIRED:
                if k not in d:
                    errors.append(f"{path}:{n}: missing {k}")
            if d.get("id") in ids:
                errors.append(f"{path}:{n}: duplicate id {d.get('id')}")
            ids.add(d.get("id"))
            t = " ".join(d.get("text", "").lower().split())
            if t in texts:
                errors.append(f"{path}:{n}: duplicate text")
            texts.add(t)
            if d.get("lang") not in LANGS:
                errors.append(f"{path}:{n}: lang")
            if not isinstance(d.get("expect"), list) or any(f not in FAMILIES for f in d["expect"]):
                errors.append(f"{path}:{n}: bad expect {d.get('expect')}")
            sk = d["source"].split("#", 1)[0]
            sources.add(sk)
            srcs.setdefault(sk, set()).add(path)
            kinds[d["kind"]] += 1
            if d["expect"]:
                risky += 1
                fam.update(d["expect"])
            else:
                clean += 1
    print(f"== {path}: {risky + clean} lines, risky {risky}, clean {clean}, sources {len(sources)}")
    print("   kinds:", dict(kinds))
    print("   families:", dict(sorted(fam.items(), key=lambda x: -x[1])))
leak = [s for s, p in srcs.items() if len(p) > 1]
if leak:
    errors.append(f"sources in both splits: {leak[:5]}")
print("total distinct sources:", len(srcs))
print("errors:", len(errors))
for e in errors[:20]:
    print("  ", e)
sys.exit(1 if errors else 0)
