"""The memory soak benchmark (bench/soak_lsp.py) runs end to end: a real server with all six
packs and the tone model, a big document, edits; it reports memory at every stage and no
growth over a short run. The full figures (1 MB, 1,000 edits) are in docs/performance.md."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "soak_lsp.py"


def test_soak_bench_reports_memory_for_six_packs_and_a_big_document() -> None:
    done = subprocess.run([sys.executable, str(BENCH), "--mb", "0.02", "--edits", "12", "--json"],
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    labels = [label for label, _, _ in figures["memory"]]
    assert labels[:3] == ["started", "six packs + tone model", "big document"]
    assert labels[-1] == "after 12 edits"
    started, loaded = figures["memory"][0], figures["memory"][1]
    assert loaded[2] > started[2] + 50  # the checker process holds the packs and the model
    assert figures["big_chars"] > 15_000 and figures["edit_p95_ms"] is not None
    assert figures["growth_total_mb"] < 50
