import json, sys
sys.path.insert(0, '/work/blind10/tools')
import check
def tm4(path, n=70):
    d = json.load(open(path)); out = []; seen = set()
    for i, r in enumerate(d):
        g = json.loads(r['generation'])
        t = g.get('text')
        if not t or 'api' in g: continue
        t = ' '.join(t.split())
        k = check.norm_text(t)
        if k in seen or check.text_problem(t) or len(t.split()) < 3: continue
        seen.add(k)
        out.append((i, r['reward'], r['conversation_id'], t))
    return out
def sgd(path):
    d = json.load(open(path)); out = []; seen = set()
    for dl in d:
        for ti, turn in enumerate(dl['turns']):
            if turn['speaker'] != 'SYSTEM': continue
            t = turn['utterance']; k = check.norm_text(t)
            if k in seen or check.text_problem(t) or len(t.split()) < 3: continue
            seen.add(k)
            acts = sorted({a['act'] for f in turn['frames'] for a in f['actions']})
            svc = turn['frames'][0]['service'] if turn['frames'] else ''
            out.append((dl['dialogue_id'], ti, svc, ','.join(acts), t))
    return out
if __name__ == '__main__':
    if sys.argv[1] == 'tm4':
        for r in tm4(sys.argv[2]): print(*r, sep='\t')
    else:
        for r in sgd(sys.argv[2]): print(*r, sep='\t')
