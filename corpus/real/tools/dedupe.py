"""Drop candidates whose text is < 3 words, or duplicates (normalised) of an earlier
line or of any text in the given reference JSONL files.
usage: python dedupe.py candidates.jsonl [reference.jsonl ...] > kept.jsonl"""
import json
import re
import sys


def norm(t):
    t = re.sub(r"@\w+|https?://\S+|\^\w+", " ", t.lower())
    return " ".join(re.findall(r"[a-z0-9']+", t))

seen = set()
for ref in sys.argv[2:]:
    with open(ref, encoding="utf-8") as fh:
        for line in fh:
            seen.add(norm(json.loads(line)["text"]))
with open(sys.argv[1], encoding="utf-8") as fh:
    for line in fh:
        d = json.loads(line)
        n = norm(d["text"])
        if len(n.split()) < 3 or n in seen:
            continue
        seen.add(n)
        print(json.dumps(d, ensure_ascii=False))
