"""Round 10 (English) newness checks.
usage: python3 check.py FILE.jsonl         (sources + texts + format; prints problems)
       python3 check.py --url URL ...      (page addresses / dataset files only)
       python3 check.py --text "..." ...   (texts only)
Reference: every jsonl / sources-*.md of /work/main/corpus/real (+blind/), /work/shared/corpus,
/work/main/corpus/replies, /work/blind7, /work/blind8, /work/blind9 (round 9, now in real/ too)."""
import glob, json, re, sys, collections
REF_JSONL = (glob.glob('/work/main/corpus/real/*.jsonl') + glob.glob('/work/main/corpus/real/blind/*.jsonl')
             + glob.glob('/work/shared/corpus/*.jsonl') + glob.glob('/work/main/corpus/replies/*.jsonl')
             + glob.glob('/work/blind7/**/*.jsonl', recursive=True) + glob.glob('/work/blind8/**/*.jsonl', recursive=True)
             + glob.glob('/work/blind9/**/*.jsonl', recursive=True))
REF_MD = (glob.glob('/work/main/corpus/real/sources-*.md') + glob.glob('/work/main/corpus/real/blind/sources-*.md')
          + glob.glob('/work/blind7/sources-*.md') + glob.glob('/work/blind8/sources-*.md') + glob.glob('/work/blind9/sources-*.md'))
EXCLUDED_FILES = {'tm-4-2024/reward/reward_03.json', 'tm-4-2024/reward/reward_05.json'} | {
    f'train/dialogues_{n}.json' for n in ('033', '050', '065', '088', '095', '100', '113', '125')}
FAMILIES = {"blunt-no", "you-are-wrong", "blame", "cant-do", "policy-wall", "deflection", "last-word",
            "condescension", "commanding", "legalese", "shouting", "cliche", "non-apology", "hostility",
            "threat", "dismissive", "sarcasm", "other"}

def norm_text(t):
    return re.sub(r'[^0-9a-z\u00c0-\u024f]+', '', t.lower())

def url_key(u):
    u = u.strip().strip('<>()`').split('#')[0]
    u = re.sub(r'^https?://', '', u, flags=re.I)
    u = re.sub(r'^(www\.|m\.|amp\.)', '', u, flags=re.I)
    return u.rstrip('/').lower()

def url_keys(u):
    k = url_key(u)
    return {k, k.split('?')[0].rstrip('/')}

def file_tail(s):
    # github:owner/repo@commit:path -> lower path
    return s.split('#')[0].split(':')[-1].lower() if s.startswith('github:') else None

ref_src, ref_texts = set(), []
for p in REF_JSONL:
    for line in open(p, encoding='utf-8'):
        line = line.strip()
        if not line: continue
        try: d = json.loads(line)
        except ValueError: continue
        for key in ('source', 'url'):
            s = d.get(key)
            if isinstance(s, str) and s:
                ref_src |= url_keys(s)
        for key in ('text', 'reply'):
            t = d.get(key)
            if isinstance(t, str) and t:
                n = norm_text(t)
                if n: ref_texts.append(n)
for p in REF_MD:
    for m in re.finditer(r'(https?://[^\s)>`\]]+|github:[^\s)>`\]]+)', open(p, encoding='utf-8').read()):
        ref_src |= url_keys(m.group(1))
    for m in re.finditer(r'`([A-Za-z0-9_./-]+\.json)`', open(p, encoding='utf-8').read()):
        ref_src.add('github:x:' + m.group(1).lower())
ref_blob = '\n'.join(ref_texts)
ref_set = set(ref_texts)
ref_files = {r.split(':')[-1] for r in ref_src if r.startswith('github:')} | EXCLUDED_FILES

def src_problem(s):
    if s.startswith('github:'):
        t = file_tail(s)
        if t in ref_files or any(t.endswith('/' + f) or f.endswith('/' + t) for f in ref_files):
            return 'dataset file already used: ' + t
        return None
    if url_keys(s) & ref_src:
        return 'page already used: ' + s
    return None

def text_problem(t):
    n = norm_text(t)
    if not n: return 'empty'
    if n in ref_set: return 'equal to a reference text'
    if n in ref_blob: return 'substring of a reference text'
    return None

if __name__ == '__main__':
    if sys.argv[1] == '--url':
        for u in sys.argv[2:]:
            print(('USED ' if src_problem(u) else 'new  ') + u)
        sys.exit()
    if sys.argv[1] == '--text':
        for t in sys.argv[2:]:
            print((text_problem(t) or 'new') + ' : ' + t)
        sys.exit()
    bad = 0; ids = set(); seen = {}; per_src = collections.Counter()
    for path in sys.argv[1:]:
        for n, line in enumerate(open(path, encoding='utf-8'), 1):
            d = json.loads(line)
            for k in ('id', 'lang', 'text', 'expect', 'kind', 'source', 'note'):
                if k not in d: print(f'{path}:{n}: missing {k}'); bad += 1
            if d['id'] in ids: print(f'{path}:{n}: dup id'); bad += 1
            ids.add(d['id'])
            if any(f not in FAMILIES for f in d['expect']): print(f'{path}:{n}: bad family'); bad += 1
            if d['kind'] not in ('avoid', 'better', 'reply'): print(f'{path}:{n}: bad kind'); bad += 1
            if 'other' in d['expect'] and not d.get('note'): print(f'{path}:{n}: other w/o note'); bad += 1
            if any(c in d['text'] for c in '\u2018\u2019\u201c\u201d'): print(f'{path}:{n}: curly quotes'); bad += 1
            if len(re.findall(r"[\w']+", d['text'])) < 3: print(f'{path}:{n}: <3 words'); bad += 1
            nt = norm_text(d['text'])
            if nt in seen: print(f'{path}:{n}: dup text of line {seen[nt]}'); bad += 1
            seen[nt] = n
            for prob in (src_problem(d['source']), text_problem(d['text'])):
                if prob: print(f'{path}:{n}: {d["id"]}: {prob}'); bad += 1
            per_src[d['source'].split('#')[0]] += 1
    for s, c in per_src.items():
        lim = 40 if s.startswith('github:') else 8
        if c > lim: print(f'too many lines ({c}) from {s}'); bad += 1
    print('problems:', bad, '| sources:', len(per_src))
