"""Extract candidate agent replies from public dialogue/support datasets.

Reads git snapshots of the source repositories (paths given on the command line,
e.g. a bare clone) with `git show`, and writes candidate JSONL lines (expect = [])
to stdout.  Labels are applied afterwards by apply_labels.py from labels.tsv.

usage: python extract_datasets.py KECHTEL_GIT TASKMASTER_GIT SGD_GIT ABCD_GIT > candidates.jsonl
"""
import json
import os
import random
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from _xlsx import read as read_xlsx


def show(repo, path, binary=False):
    out = subprocess.run(["git", "-C", repo, "show", f"HEAD:{path}"], capture_output=True, check=True).stdout
    return out if binary else out.decode("utf-8")

def head(repo):
    return subprocess.run(
        ["git", "-C", repo, "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()[:12]

def emit(rows, id_, text, src, note):
    rows.append({"id": id_, "lang": "en", "text": text, "expect": [], "kind": "reply", "source": src, "note": note})

def kechtel(repo, rows):
    c = head(repo)
    for comp in ("AmazonHelp", "AppleSupport", "SpotifyCares"):
        p = f"data/predicted/twcs-{comp}-100-outbound-predicted.xlsx"
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as f:
            f.write(show(repo, p, binary=True))
            f.flush()
            data = read_xlsx(f.name)
        hdr = data[0]
        col = {v: k for k, v in hdr.items()}
        for r in data[1:]:
            t = r.get(col["text"])
            tid = r.get(col["tweet_id"])
            if not t:
                continue
            emit(rows, f"r2-twcs-{tid}", t.replace("&amp;", "&"), f"github:kechtel/ericsson@{c}:{p}#tweet_id={tid}",
                 f"{comp} reply (Customer Support on Twitter, via kechtel/ericsson sample)")

def taskmaster(repo, rows, n_dialogs=140):
    c = head(repo)
    for p in ("TM-4-2024/data/data_07.json",):
        data = json.loads(show(repo, p))
        random.Random(7).shuffle(data)
        for d in data[:n_dialogs]:
            for u in d["utterances"]:
                if u["speaker"] == "assistant" and u.get("text"):
                    emit(rows, f"r2-tm4-{d['conversation_id'][-12:]}-u{u['index']}", u["text"],
                         f"github:google-research-datasets/Taskmaster@{c}:{p}#conversation_id={d['conversation_id']}&index={u['index']}",
                         f"Taskmaster-4 assistant turn ({d.get('vertical')})")

def sgd(repo, rows, files=("train/dialogues_041.json", "train/dialogues_057.json",
                           "train/dialogues_098.json", "train/dialogues_109.json"), per_file=12):
    c = head(repo)
    for p in files:
        data = json.loads(show(repo, p))
        random.Random(p).shuffle(data)
        for d in data[:per_file]:
            for i, t in enumerate(d["turns"]):
                if t["speaker"] == "SYSTEM":
                    emit(rows, f"r2-sgd-{d['dialogue_id']}-t{i}", t["utterance"],
                         f"github:google-research-datasets/dstc8-schema-guided-dialogue@{c}:{p}#dialogue_id={d['dialogue_id']}&turn={i}",
                         f"SGD system turn (crowd-sourced, train split; {','.join(d['services'])})")

def abcd(repo, rows):
    c = head(repo)
    p = "data/abcd_sample.json"
    for d in json.loads(show(repo, p)):
        for i, (spk, txt) in enumerate(d["original"]):
            if spk == "agent":
                emit(rows, f"r2-abcd-{d['convo_id']}-t{i}", txt,
                     f"github:asappresearch/abcd@{c}:{p}#convo_id={d['convo_id']}&turn={i}",
                     f"ABCD agent turn (crowd-sourced customer-service role play; flow {d['scenario']['flow']})")

if __name__ == "__main__":
    k, tm, sg, ab = sys.argv[1:5]
    rows = []
    kechtel(k, rows)
    taskmaster(tm, rows)
    sgd(sg, rows)
    abcd(ab, rows)
    for r in rows:
        print(json.dumps(r, ensure_ascii=False))
