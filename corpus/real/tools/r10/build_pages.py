"""build page lines from batch files: URL || kind || families || text || note"""
import json, sys, collections, re
pages = collections.OrderedDict(); out = []
for path in sys.argv[1:]:
    for n, line in enumerate(open(path, encoding='utf-8'), 1):
        line = line.rstrip('\n')
        if not line.strip() or line.startswith('#'): continue
        parts = [p.strip() for p in re.split(r'\s*\|\|\s*', line)]
        assert len(parts) == 5, (path, n, line)
        url, kind, fam, text, note = parts
        text = text.replace('\u2019', "'").replace('\u2018', "'").replace('\u201c', '"').replace('\u201d', '"')
        if url not in pages: pages[url] = [len(pages) + 1, 0]
        pages[url][1] += 1
        pn, m = pages[url]
        out.append(dict(id=f'r10-p{pn:02d}-{m:03d}', lang='en', text=text,
                        expect=[f for f in fam.split(',') if f], kind=kind, source=url, note=note))
for d in out: print(json.dumps(d, ensure_ascii=False))
