"""Check /work/blind10 other-language lines: fields, families, new sources, new texts.
usage: python3 other_check.py FILE.jsonl   |  python3 other_check.py --url URL [URL...]  |  --text TEXT"""
import glob, json, re, sys, unicodedata

FAM = set("blunt-no you-are-wrong blame cant-do policy-wall deflection last-word condescension commanding legalese shouting cliche non-apology hostility threat dismissive sarcasm other".split())
REF_JSONL = glob.glob('/work/main/corpus/**/*.jsonl', recursive=True) + glob.glob('/work/shared/corpus/*.jsonl') + [p for p in glob.glob('/work/blind[0-9]*/**/*.jsonl', recursive=True) if not p.startswith('/work/blind10/')]
REF_MD = glob.glob('/work/main/corpus/real/sources-*.md') + glob.glob('/work/main/corpus/real/blind/sources-*.md') + glob.glob('/work/main/corpus/real/README*.md') + glob.glob('/work/main/corpus/real/tools/**/*.txt', recursive=True) + [p for p in glob.glob('/work/blind[0-9]*/**/*.md', recursive=True) + glob.glob('/work/blind[0-9]*/**/*.txt', recursive=True) if not p.startswith('/work/blind10/')]

def nurl(u):
    u = u.strip().split('#', 1)[0]
    if u.startswith('github:'):
        return u.lower()
    u = re.sub(r'^[a-z]+://', '', u, flags=re.I)
    u = re.sub(r'^(www\d?|m)\.', '', u, flags=re.I)
    u = u.split('?', 1)[0].rstrip('/')
    from urllib.parse import unquote
    return unquote(u).lower()

def ntext(t):
    t = unicodedata.normalize('NFKC', t).lower()
    return ''.join(ch for ch in t if ch.isalnum())

ref_urls, ref_texts = set(), []
for p in REF_JSONL:
    for line in open(p, encoding='utf-8'):
        try:
            d = json.loads(line)
        except ValueError:
            continue
        if d.get('source'):
            ref_urls.add(nurl(d['source']))
        if d.get('text'):
            ref_texts.append(ntext(d['text']))
for p in REF_MD:
    for u in re.findall(r'https?://[^\s)|>`"\]]+', open(p, encoding='utf-8').read()):
        ref_urls.add(nurl(u))
big = '\n'.join(ref_texts)

def url_new(u):
    return nurl(u) not in ref_urls

def text_new(t):
    n = ntext(t)
    return not (n in big)  # equal or substring of any ref text

if __name__ == '__main__':
    if sys.argv[1] == '--url':
        for u in sys.argv[2:]:
            print('NEW ' if url_new(u) else 'USED', u)
        sys.exit()
    if sys.argv[1] == '--text':
        print(text_new(' '.join(sys.argv[2:])))
        sys.exit()
    errs = []
    ids = set(); seen = set(); persrc = {}
    rows = [json.loads(l) for l in open(sys.argv[1], encoding='utf-8') if l.strip()]
    for d in rows:
        i = d.get('id')
        for k in ('id', 'lang', 'text', 'expect', 'kind', 'source', 'note'):
            if k not in d or d[k] in (None, ''):
                errs.append(f'{i}: missing {k}')
        if i in ids: errs.append(f'{i}: dup id')
        ids.add(i)
        if not re.match(r'^r10-(p5\d\d-\d{3}|[a-z0-9]+-.+)$', i or ''): errs.append(f'{i}: id form')
        if d.get('lang') not in ('sv', 'da', 'nb', 'fi', 'ms'): errs.append(f'{i}: lang')
        if not isinstance(d.get('expect'), list) or any(f not in FAM for f in d['expect']): errs.append(f'{i}: expect')
        if d.get('kind') not in ('avoid', 'better', 'reply'): errs.append(f'{i}: kind')
        t = d.get('text', '')
        if any(c in t for c in '\u2018\u2019\u201c\u201d'): errs.append(f'{i}: curly quotes')
        if len(re.findall(r'\w+', t)) < 3: errs.append(f'{i}: <3 words')
        n = ntext(t)
        if n in seen: errs.append(f'{i}: dup text in file')
        seen.add(n)
        if not text_new(t): errs.append(f'{i}: text in reference corpora')
        if not url_new(d.get('source', '')): errs.append(f'{i}: source already used: {d.get("source")}')
        persrc[nurl(d['source'])] = persrc.get(nurl(d['source']), 0) + 1
        if 'other' in d.get('expect', []) and 'other' not in d.get('note', '').lower() and 'outside' not in d.get('note','').lower():
            errs.append(f'{i}: other without note')
    for s, c in persrc.items():
        if c > 6: errs.append(f'source gives {c} lines: {s}')
    print(len(rows), 'lines;', len(persrc), 'sources; ref urls', len(ref_urls), 'ref texts', len(ref_texts))
    print('errors:', len(errs))
    for e in errs: print('  ', e)
