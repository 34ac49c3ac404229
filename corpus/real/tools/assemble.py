"""Assemble corpus/real/en.jsonl (dev) and corpus/real/blind/en.jsonl (blind).

usage: python assemble.py OUT_DIR candidates.jsonl [...] [--ref reference.jsonl ...]

- drops lines whose normalised text is < 3 words or already seen (earlier line or any
  --ref file, e.g. the shared real-dev / real-unlabeled corpora);
- splits BY SOURCE: a source is the page URL, or for dataset rows the dataset file
  (source up to '#'); a source goes to the blind split when the first 8 hex digits of
  sha1(source) / 2**32 < 0.30, so about 30% of the sources, whole, are held out;
- a source that also occurs in a --ref file (already tuned on elsewhere) is never blind.
"""
import hashlib
import json
import os
import re
import sys

BLIND_SHARE = 0.30
REQUIRED = ("id", "lang", "text", "expect", "kind", "source")

def norm(t):
    t = re.sub(r"@\w+|https?://\S+|\^\w+", " ", t.lower().replace("\u2019", "'"))
    return " ".join(re.findall(r"[a-z0-9']+", t))

def source_key(src):
    return src.split("#", 1)[0]

def is_blind(src):
    h = hashlib.sha1(source_key(src).encode("utf-8")).hexdigest()
    return int(h[:8], 16) / 2**32 < BLIND_SHARE

def main(argv):
    out = argv[0]
    args = argv[1:]
    refs = []
    if "--ref" in args:
        i = args.index("--ref")
        refs = args[i + 1:]
        args = args[:i]
    seen, ref_sources = set(), set()
    for ref in refs:
        with open(ref, encoding="utf-8") as fh:
            for line in fh:
                r = json.loads(line)
                seen.add(norm(r["text"]))
                ref_sources.add(source_key(r.get("source", "")))
    dev, blind, ids = [], [], set()
    for path in args:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                d = json.loads(line)
                assert all(k in d for k in REQUIRED), d
                n = norm(d["text"])
                if len(n.split()) < 3 or n in seen:
                    continue
                seen.add(n)
                assert d["id"] not in ids, d["id"]
                ids.add(d["id"])
                held_out = is_blind(d["source"]) and source_key(d["source"]) not in ref_sources
                (blind if held_out else dev).append(d)
    os.makedirs(os.path.join(out, "blind"), exist_ok=True)
    for rows, path in ((dev, os.path.join(out, "en.jsonl")), (blind, os.path.join(out, "blind", "en.jsonl"))):
        with open(path, "w", encoding="utf-8") as f:
            for d in rows:
                f.write(json.dumps(d, ensure_ascii=False) + "\n")
    print(f"dev {len(dev)}  blind {len(blind)}")

if __name__ == "__main__":
    main(sys.argv[1:])
