"""Runs the real `replylint` command line in a subprocess, for end-to-end tests."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def replylint(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "replylint", *args], cwd=cwd, input=stdin,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)
