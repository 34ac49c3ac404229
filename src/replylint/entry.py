"""The `replylint` command's entry point: `replylint --version` (`-V`) answers without loading the
command line's modules (the rule loader, the engine, the output formats); the rest runs cli."""
from __future__ import annotations

import sys


def run() -> None:
    if sys.argv[1:] in (["--version"], ["-V"]):
        from . import __version__

        print(f"replylint {__version__}")
        return
    from .cli import run as run_cli

    run_cli()
