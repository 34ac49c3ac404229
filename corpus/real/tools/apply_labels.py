"""Apply labels from a TSV (id, families, note) to candidate JSONL lines.
usage: python apply_labels.py candidates.jsonl labels.tsv > labelled.jsonl"""
import json
import sys

labels = {}
with open(sys.argv[2], encoding="utf-8") as fh:
    for line in fh:
        if line.startswith("#") or not line.strip():
            continue
        id_, fams, note = [*line.rstrip("\n").split("\t"), "", ""][:3]
        labels[id_] = ([f for f in fams.split(",") if f], note)
used = set()
with open(sys.argv[1], encoding="utf-8") as fh:
    for line in fh:
        d = json.loads(line)
        if d["id"] in labels:
            d["expect"], note = labels[d["id"]]
            used.add(d["id"])
            if note:
                d["note"] = (d.get("note", "") + "; " + note).lstrip("; ")
        print(json.dumps(d, ensure_ascii=False))
missing = set(labels) - used
if missing:
    sys.exit(f"labels for unknown ids: {sorted(missing)}")
