"""Write /work/blind10/sources-other.md from /work/blind10/other.jsonl."""
import collections, json
rows = [json.loads(l) for l in open('/work/blind10/other.jsonl', encoding='utf-8')]
NOTSAID = ('journalist', 'page text', 'terms text', 'public post', 'reported', 'translated', 'notice to residents', 'blog', 'typical')
out = ['# Round 10 blind split — other languages (sv, da, nb, fi, ms): sources\n']
out.append('Gathered at the start of session 14 by the blind-other helper (no rule writing, replylint not run, no rule files read). '
           'Every text is quoted verbatim from the page excerpt returned by the `search` tool (corpus `pages`); typographic quotes '
           'straightened, cuts only at sentence or clause ends, sic spellings and the source\'s capitals kept (notes say so; where the '
           'source breaks a sentence over lines, the note says so). No datasets: SGD, Taskmaster-4, ABCD and the twcs files are English only, '
           'and no Nordic/Malay support dataset with exact provenance was found. Every page address (host+path; scheme, `www.`/`m.`, '
           'query and fragment stripped, lower-cased, percent-decoded) was checked against every `source` in /work/main/corpus/**/*.jsonl '
           '(real/*.jsonl rounds 2-9, real/blind/, coaching corpora), /work/shared/corpus/*.jsonl, the URLs in /work/main/corpus/real/sources-*.md, '
           'README*.md and tools/**/*.txt, and every .jsonl/.md/.txt under /work/blind7-9; every text (NFKC, lower-cased, letters/digits only) '
           'is neither equal to nor a substring of any text in those JSONL files, and no text here is a substring of another: '
           '`tools/other_check.py` (and `python3 /work/main/corpus/real/tools/validate.py`). Hand transcription: `other-work/other_b1.txt`, '
           'built by `tools/other_build.py`. Ids `r10-p5NN-MMM`. Notes give an English gloss, say `borderline` where a call could go '
           'either way, and say when a line was said to a journalist, is page/terms text rather than a reply to one customer, '
           'a notice to residents, a report in the third person, or a translation. Because the query string is stripped before comparing, '
           '`?p=` pages of a site already used count as used (e.g. najihaonline.com was skipped).\n')
langs = ['sv', 'da', 'nb', 'fi', 'ms']
tot_src = len({r['source'] for r in rows})
out.append(f'Totals: {len(rows)} lines ({sum(1 for r in rows if r["expect"])} risky, {sum(1 for r in rows if not r["expect"])} clean), {tot_src} distinct pages.\n')
fam_all = collections.Counter(f for r in rows for f in r['expect'])
out.append('Families over all languages: ' + ', '.join(f'{k} {v}' for k, v in fam_all.most_common()) + '. '
           'Not found in this round: `hostility`, `sarcasm`, `you-are-wrong`, `blunt-no`, `last-word`, `other` (0 each). '
           'Fresh pages quoting owners\' or staff replies in these languages are exhausted: about 80% of the news stories, staff blogs, '
           'forum threads and advice/phrase-list pages the search returned were already sources (all Ekstra Bladet/B.T. review-reply '
           'stories, aasiakas.net, vauva.fi, notalwaysright-style blogs, Malay viral-seller stories), so most fresh pages are small '
           'businesses\' terms and booking pages (gyms, dentists, driving schools, dog kennels, homestays) and service notices, '
           'which is why policy-wall, legalese, threat and shouting dominate.\n')
for lg in langs:
    rs = [r for r in rows if r['lang'] == lg]
    srcs = collections.OrderedDict()
    for r in rs:
        pid = r['id'].split('-')[1]
        srcs.setdefault(r['source'], [pid, 0, 0])
        srcs[r['source']][1] += 1
        srcs[r['source']][2] += bool(r['expect'])
    risky = sum(1 for r in rs if r['expect'])
    kinds = collections.Counter(r['kind'] for r in rs)
    fam = collections.Counter(f for r in rs for f in r['expect'])
    bl = sum('borderline' in r['note'].lower() for r in rs)
    out.append(f'## {lg}: {len(rs)} lines ({risky} risky, {len(rs)-risky} clean), {len(srcs)} pages')
    out.append(f'kinds: {dict(kinds)}; notes saying borderline: {bl}')
    out.append('families: ' + str(dict(fam.most_common())) + '\n')
    out.append('| page id | n | risky | source |')
    out.append('|---|---|---|---|')
    for s, (pid, n, k) in srcs.items():
        out.append(f'| {pid} | {n} | {k} | {s} |')
    out.append('')
open('/work/blind10/sources-other.md', 'w', encoding='utf-8').write('\n'.join(out) + '\n')
print('\n'.join(out[:5]))
