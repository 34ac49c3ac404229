import json, sys, random
sys.path.insert(0, '/work/blind10/tools'); import check
TM = 'github:google-research-datasets/Taskmaster@d92cb6af3005f1dc09c39e75e7daf4a04905e00b:TM-4-2024/reward/reward_01.json'
SG = 'github:google-research-datasets/dstc8-schema-guided-dialogue@e852981ae34990f4358979625854259302feaa78:'
out = []
# --- Taskmaster-4 reward_01: index -> (families, extra note)
tm_pick = {1:'',37:'',38:'cant-do|refusal with an odd question, no real alternative; borderline',40:'',
 42:'|refusal with a prompt to choose another drink; borderline cant-do',45:'cant-do|refusal with only "anything else?"',
 71:'',74:'',104:'',112:'',127:'',139:'',151:'',153:'',164:'',166:'',167:'',169:'|refusal with a prompt to order from the menu',
 177:'',182:'|"No" plus a similar alternative',183:'',184:'',192:'|refusal with a prompt to choose something else',
 200:'',202:'|points the customer back to the menu; borderline dismissive',207:'',209:'|refusal with an alternative offered',
 218:'',243:'',285:'',368:'',370:'',372:'',380:'',414:'',418:'|refusal with a prompt to order from the menu',
 421:'|"Unfortunately, no" followed by an alternative',427:'',432:'|cannot do it, asks for the usual order instead',494:''}
rows = {int(l.split('\t')[0]): l.rstrip('\n').split('\t') for l in open('tm4r01_cand.tsv')}
for i, spec in tm_pick.items():
    _, rew, cid, t = rows[i]
    fam, _, extra = spec.partition('|')
    out.append(dict(id=f'r10-tm4r01-{i:03d}', lang='en', text=t, expect=[f for f in fam.split(',') if f], kind='reply',
        source=f'{TM}#{i}', note=f'Taskmaster-4 reward set, agent generation (coffee ordering), {cid}, human rating {rew}' + (f'; {extra}' if extra else '')))
# --- SGD: failures + a spread sample
def sgd(fname, tag, n):
    rows = [l.rstrip('\n').split('\t') for l in open(fname)]
    fails = [r for r in rows if r[3].startswith('NOTIFY_FAILURE')][:8]
    rest = [r for r in rows if not r[3].startswith('NOTIFY_FAILURE')]
    step = len(rest) // (n - len(fails))
    pick = fails + rest[5::step][: n - len(fails)]
    for did, ti, svc, acts, t in pick:
        fam, extra = [], ''
        if acts == 'NOTIFY_FAILURE,REQ_MORE':
            fam, extra = ['cant-do'], 'failure with only "anything else?"'
        elif acts.startswith('NOTIFY_FAILURE'):
            extra = 'failure followed by an alternative'
        src = SG + f'{tag}#{did}/{ti}'
        out.append(dict(id=f'r10-sgd-{did}-t{ti}', lang='en', text=t, expect=fam, kind='reply', source=src,
            note=f'SGD system turn ({svc}; acts {acts})' + (f'; {extra}' if extra else '')))
sgd('sgd_dev010_cand.tsv', 'dev/dialogues_010.json', 30)
sgd('sgd_test030_cand.tsv', 'test/dialogues_030.json', 30)
for d in out:
    d['text'] = d['text'].replace('\u2019', "'").replace('\u2018', "'").replace('\u201c', '"').replace('\u201d', '"')
with open('datasets.jsonl', 'w') as fh:
    for d in out: fh.write(json.dumps(d, ensure_ascii=False) + '\n')
print(len(out))

# --- trim (round 10 balance): drop a junk turn, keep all risky lines, cap clean lines per file
import collections
JUNK = {'r10-sgd-10_00079-t11'}  # "jesus and jack daniels tv": not a reply
CAP = {'reward_01.json': 30, 'dialogues_010.json': 25, 'dialogues_030.json': 25}
kept, clean_seen = [], collections.Counter()
nrisky = collections.Counter(d['source'].split('#')[0].rsplit('/', 1)[-1] for d in out if d['expect'])
for d in out:
    if d['id'] in JUNK: continue
    f = d['source'].split('#')[0].rsplit('/', 1)[-1]
    if d['expect']:
        kept.append(d); continue
    clean_seen[f] += 1
    if clean_seen[f] <= CAP[f] - nrisky[f]:
        kept.append(d)
with open('datasets.jsonl', 'w') as fh:
    for d in kept: fh.write(json.dumps(d, ensure_ascii=False) + '\n')
print('trimmed', len(kept))
