"""`--statistics`: how many findings each rule made, most first."""
from __future__ import annotations

from collections import Counter
from typing import TextIO

from . import Run


def print_statistics(run: Run, out: TextIO) -> None:
    counts = Counter((f.rule, f.name, f.severity) for _, f in run.findings())
    width = max((len(str(n)) for n in counts.values()), default=1)
    for (code, name, severity), count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        out.write(f"{count:>{width}}  {code}  {name}  ({severity})\n")
    total = sum(counts.values())
    out.write(f"{total} finding{'s' if total != 1 else ''} in {len(run.results)} "
              f"file{'s' if len(run.results) != 1 else ''}\n")
