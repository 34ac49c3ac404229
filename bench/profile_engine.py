"""Where `replylint.check` spends its time, stage by stage, on generated replies.

    python bench/profile_engine.py                 # 600 generated English replies
    python bench/profile_engine.py --replies 2000 --tone

Each stage is timed exclusively (a stage's time leaves out the stages it calls), so the rows
add up to the whole check. Stages are found by wrapping the engine's own functions in this
process; nothing in the package is changed. Figures in docs/performance.md. One core.
"""
from __future__ import annotations

import argparse
import importlib
import random
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_engine import make_reply

import replylint

# stage name -> (module, attribute) places to wrap; a function imported by name is wrapped
# where its caller looks it up.
STAGES: dict[str, list[tuple[str, str]]] = {
    "document: read, map back, suppressions": [("replylint.inputs.document_check", "check_document"),
                                                ("replylint.inputs.formats", "read_document")],
    "language detection": [("replylint.engine.language", "detect_languages")],
    "rules: hits to findings, exceptions": [("replylint.inputs.document_check", "check_text")],
    "matching: token Matcher, hit bookkeeping": [("replylint.engine.matching", "CompiledRules.run")],
    "tokenize + sentences (spaCy)": [("replylint.engine.matching", "tokenized")],
    "text views (lower, spaced, word starts)": [("replylint.engine.matching", "_views")],
    "literal gates (Aho-Corasick)": [("replylint.engine.prefilter", "GateIndex.candidates_at")],
    "phrase regexes (tries and scans)": [("replylint.engine.matching", "_run")],
    "reply-level checks": [("replylint.inputs.document_check", "check_reply")],
    "tone model": [("replylint.engine.tone.findings", "tone_findings")],
}
MATCHER = "spaCy token Matcher (packs with token patterns)"


class StageClock:
    """Exclusive time per stage: a wrapped call's time minus the wrapped calls inside it."""

    def __init__(self) -> None:
        self.exclusive: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self._children: list[float] = []

    def wrap(self, stage: str, fn: Callable) -> Callable:
        def timed(*args: Any, **kwargs: Any) -> Any:
            self._children.append(0.0)
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - start
                inner = self._children.pop()
                self.exclusive[stage] += elapsed - inner
                self.calls[stage] += 1
                if self._children:
                    self._children[-1] += elapsed
        return timed


def install(clock: StageClock) -> None:
    for stage, places in STAGES.items():
        for module_name, attribute in places:
            module = importlib.import_module(module_name)
            owner_name, _, name = attribute.rpartition(".")
            owner = getattr(module, owner_name) if owner_name else module
            setattr(owner, name, clock.wrap(stage, getattr(owner, name)))
    from replylint.engine.matching import compiled_rules

    compiled = compiled_rules("en")
    compiled.token_matchers = [clock.wrap(MATCHER, m) for m in compiled.token_matchers]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replies", type=int, default=600)
    parser.add_argument("--tone", action="store_true", help="with the tone model on")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    replies = [make_reply(rng, rng.randint(2, 9)) for _ in range(args.replies)]
    words = sum(len(r.split()) for r in replies)
    config = {"tone-model": args.tone, "lang": "en"}
    # warm: every regex these replies open compiled (lazily, on first use), pipeline built, model loaded
    for reply in replies:
        replylint.check(reply, config=config)
    clock = StageClock()
    install(clock)
    wrapped_whole = clock.wrap("whole check (outside every stage)", replylint.check)
    start = time.perf_counter()
    for reply in replies:
        wrapped_whole(reply, config=config)
    total = time.perf_counter() - start
    print(f"{len(replies)} replies, {words:,} words, tone model {'on' if args.tone else 'off'}: "
          f"{total:.2f} s, {words / total:,.0f} words/s (timers included)")
    print(f"{'stage':44} {'ms':>9} {'share':>7} {'calls':>8} {'µs/reply':>9}")
    for stage, seconds in sorted(clock.exclusive.items(), key=lambda kv: -kv[1]):
        print(f"{stage:44} {seconds * 1000:9.1f} {seconds / total:7.1%} {clock.calls[stage]:8d} "
              f"{seconds / len(replies) * 1e6:9.0f}")


if __name__ == "__main__":
    main()
