"""Benchmark bundle reading: a generated Zendesk macro export against the same replies as plain text.

    python bench/bench_bundles.py            # 20 MB export; prints words/s for both and the ratio
    python bench/bench_bundles.py --mb 5

Target (issue: inputs): the export is checked at no less than half the words per second of
plain text. Figures are recorded in docs/performance.md.
"""
from __future__ import annotations

import argparse
import json
import random
import time

from bench_engine import make_reply

import replylint
from replylint.engine.config import Config
from replylint.inputs.document_check import check_document
from replylint.inputs.formats import read_document
from replylint.inputs.options import read_options


def make_export(megabytes: float, seed: int = 3) -> tuple[str, list[str]]:
    """A Zendesk `{"macros": [...]}` export and the reply bodies in it."""
    rng = random.Random(seed)
    macros, bodies, size = [], [], 0
    while size < megabytes * 1_000_000:
        body = make_reply(rng, rng.randint(2, 8)).replace("Hi ", "Hi {{ticket.requester.first_name}} ", 1)
        bodies.append(body)
        macros.append({"id": len(macros) + 1, "title": f"Macro {len(macros) + 1}", "active": True,
                       "actions": [{"field": "comment_value", "value": ["channel:all", body]},
                                   {"field": "status", "value": "pending"}]})
        size += len(json.dumps(macros[-1]))
    return json.dumps({"macros": macros, "count": len(macros)}, indent=2), bodies


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--mb", type=float, default=20.0)
    a = ap.parse_args()
    export, bodies = make_export(a.mb)
    words = sum(len(b.split()) for b in bodies)
    config = Config()
    replylint.check("warm up: you're wrong.")

    t0 = time.perf_counter()
    plain_findings = sum(len(replylint.check(b)) for b in bodies)
    plain = time.perf_counter() - t0

    t0 = time.perf_counter()
    document = read_document(export, "json", read_options(config))
    read = time.perf_counter() - t0
    result = check_document(document, "auto", config)
    bundle = time.perf_counter() - t0

    print(f"export: {len(export) / 1e6:.1f} MB, {len(bodies):,} macros, {words:,} words")
    print(f"plain text, reply by reply: {plain:.1f} s -> {words / plain:,.0f} words/s ({plain_findings:,} findings)")
    print(f"zendesk export: {bundle:.1f} s (reading {read:.1f} s) -> {words / bundle:,.0f} words/s "
          f"({len(result.findings):,} findings)")
    print(f"ratio export / plain: {plain / bundle:.2f} (target >= 0.5)")


if __name__ == "__main__":
    main()
