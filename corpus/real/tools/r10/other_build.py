"""Build /work/blind10/other.jsonl from batch files.
Batch format:  '@ pNNN | lang | URL'  then lines  'expect | kind | text | note'  (expect '-' = clean, comma-separated)."""
import json, sys
out = []
for path in sys.argv[1:]:
    pid = lang = url = None; n = 0
    for raw in open(path, encoding='utf-8'):
        line = raw.rstrip('\n')
        if not line.strip() or line.startswith('#'):
            continue
        if line.startswith('@'):
            pid, lang, url = [x.strip() for x in line[1:].split('|', 2)]
            n = 0
            continue
        exp, kind, text, note = [x.strip() for x in line.split(' | ', 3)]
        n += 1
        text = text.replace('\u2019', "'").replace('\u2018', "'").replace('\u201c', '"').replace('\u201d', '"')
        out.append({"id": f"r10-{pid}-{n:03d}", "lang": lang, "text": text,
                    "expect": [] if exp == '-' else exp.split(','), "kind": kind,
                    "source": url, "note": note})
with open('/work/blind10/other.jsonl', 'w', encoding='utf-8') as fh:
    for d in out:
        fh.write(json.dumps(d, ensure_ascii=False) + '\n')
print(len(out), 'lines written')
