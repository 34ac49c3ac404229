"""replylint's language server: a thin pygls adapter over `replylint` and `replylint.workspace`.

Start it with `replylint lsp` (stdio). No lint logic lives here: documents go to
`replylint.check`, and findings come back as diagnostics, hovers and code actions.
"""
from __future__ import annotations

import logging
import sys


def main(argv: list[str] | None = None) -> int:
    """Serve LSP over stdin/stdout until the client exits. `--stdio` is accepted and ignored."""
    args = [a for a in (sys.argv[1:] if argv is None else argv) if a != "--stdio"]
    if args and args[0] in ("-h", "--help"):
        print("usage: replylint lsp [--stdio]\n\nStart the replylint language server on stdin/stdout."
              "\nEditor set-up: docs/editors.md")
        return 0
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="replylint-lsp %(levelname)s: %(message)s")
    from .dispatch import create_server

    create_server().start_io()
    return 0
