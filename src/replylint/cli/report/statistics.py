"""`--statistics`: how many findings each rule made, most first."""
from __future__ import annotations

from collections import Counter
from typing import TextIO

from ..results import RunResult


def print_statistics(run: RunResult, out: TextIO) -> None:
    """Rules by count, then the total and how many of the checked files had findings."""
    counts = Counter((f.rule, f.name, f.severity) for _, f in run.findings())
    width = max((len(str(n)) for n in counts.values()), default=1)
    for (code, name, severity), count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        out.write(f"{count:>{width}}  {code}  {name}  ({severity})\n")
    total = sum(counts.values())
    with_findings = sum(1 for result in run.results if result.findings)
    files = len(run.results)
    out.write(f"{total} finding{'s' if total != 1 else ''} in {with_findings} of {files} "
              f"file{'s' if files != 1 else ''}\n")
