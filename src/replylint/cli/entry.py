"""The `replylint` command's entry point: `replylint --version` (`-V`) answers without loading the
command line's modules (the rule loader, the engine, the output formats); the rest runs cli."""
from __future__ import annotations

import sys


def run() -> None:
    if sys.argv[1:] in (["--version"], ["-V"]):
        from replylint._version import __version__

        print(f"replylint {__version__}")
        return
    from .main import run as run_cli

    run_cli()
