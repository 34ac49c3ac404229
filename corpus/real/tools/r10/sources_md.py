import json, collections, re, sys
L = [json.loads(l) for l in open('/work/blind10/en.jsonl')]
risky = sum(1 for d in L if d['expect'])
fam = collections.Counter(f for d in L for f in d['expect'])
kinds = collections.Counter(d['kind'] for d in L)
bl = sum(1 for d in L if 'borderline' in d['note'])
nsa = sum(1 for d in L if re.search(r'not said|not sent|not heard|not to a customer|not a customer|said to the (public|press)|to the press|not said to', d['note']))
src = collections.OrderedDict()
for d in L:
    s = d['source'].split('#')[0]
    src.setdefault(s, []).append(d)
pages = [s for s in src if not s.startswith('github:')]
ds = [s for s in src if s.startswith('github:')]
nds = sum(len(src[s]) for s in ds)
out = []
out.append('# Sources, blind10 English (round 10, session 14)\n')
out.append(f'{len(L)} lines ({risky} risky, {len(L)-risky} clean) from {len(src)} sources: {len(pages)} pages and {len(ds)} dataset files ({nds} dataset lines, {round(100*nds/len(L))}%).')
out.append(f'Kinds: {dict(kinds)}. Families: {dict(fam.most_common())}.')
out.append(f'{bl} notes say "borderline"; {nsa} notes say the line was not said aloud / not sent / not said to a customer / said to the public or the press.\n')
out.append('Checks (tools/check.py): every source against every `source`/`url` in /work/main/corpus/real/*.jsonl, real/blind/*.jsonl, /work/shared/corpus/*.jsonl, /work/main/corpus/replies/*.jsonl, /work/blind7-9 (all jsonl), and every address in real/sources-*.md, real/blind/sources-*.md, /work/blind7-9/sources-*.md (host+path, with and without query, www./m./amp. folded). Dataset files were checked against every dataset file named there plus TM-4 reward_03/reward_05 and SGD train 033, 050, 065, 088, 095, 100, 113, 125. Each text was dropped when its normalised form (lower-cased, only letters and digits kept) equals, or is a substring of, a reference text. At most 8 lines per page, 40 per dataset file. Hand transcriptions: en-work/b01.txt-b06.txt; dataset picks and labels: tools/build_datasets.py.\n')
out.append('## Pages (id prefix, lines, risky)\n')
for s in pages:
    ids = src[s]; pref = ids[0]['id'].rsplit('-', 1)[0]
    out.append(f'- `{pref}` {len(ids)} ({sum(1 for d in ids if d["expect"])} risky): {s}')
out.append('\n## Dataset files (lines, risky)\n')
for s in ds:
    ids = src[s]
    out.append(f'- {len(ids)} ({sum(1 for d in ids if d["expect"])} risky): `{s}`')
open('/work/blind10/sources-en.md', 'w').write('\n'.join(out) + '\n')
print('\n'.join(out[:6]))
